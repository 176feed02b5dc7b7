package io.redjar;

import java.util.HashMap;
import java.util.Map;

/**
 * The error codes Redis 7.0 starts its error replies with: the first word of an
 * {@link Reply.ErrorReply} or a {@link RedJarException} message ({@code "WRONGTYPE Operation
 * against a key holding the wrong kind of value"}). INFO {@code errorstats} counts errors by this
 * code, and clients dispatch on it (a {@code MOVED} redirect, a {@code BUSY} script, ...), so the
 * code is part of the behaviour, not decoration.
 *
 * <p>Build errors with {@link RedJarException#RedJarException(ErrorPrefix, String)} or
 * {@link Reply#error(ErrorPrefix, String)} rather than with literals.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public enum ErrorPrefix {
    /** The generic error. */
    ERR,
    /** An operation against a key holding another type. */
    WRONGTYPE,
    /** EVALSHA of an unknown script. */
    NOSCRIPT,
    /** A script or function is running too long. */
    BUSY,
    /** SCRIPT KILL / FUNCTION KILL with nothing running. */
    NOTBUSY,
    /** The running script wrote and cannot be killed. */
    UNKILLABLE,
    /** The client must authenticate first. */
    NOAUTH,
    /** AUTH / HELLO AUTH with a wrong user name or password. */
    WRONGPASS,
    /** The user lacks the permission (ACL). */
    NOPERM,
    /** EXEC of a transaction that had an error while queueing. */
    EXECABORT,
    /** A write refused by {@code maxmemory}. */
    OOM,
    /** A write sent to a read-only replica. */
    READONLY,
    /** The dataset is still being loaded. */
    LOADING,
    /** Cluster redirect: the slot lives on another node. */
    MOVED,
    /** Cluster redirect during a slot migration. */
    ASK,
    /** Keys of one command hash to different slots. */
    CROSSSLOT,
    /** The cluster is down. */
    CLUSTERDOWN,
    /** Retry later (cluster: keys in migration). */
    TRYAGAIN,
    /** Writes refused: the last background save failed. */
    MISCONF,
    /** Writes refused: not enough good replicas. */
    NOREPLICAS,
    /** The replica lost its master ({@code replica-serve-stale-data no}). */
    MASTERDOWN,
    /** HELLO with a protocol version other than 2 or 3. */
    NOPROTO,
    /** RESTORE / COPY onto an existing key without REPLACE. */
    BUSYKEY,
    /** XGROUP CREATE of an existing group. */
    BUSYGROUP,
    /** A stream command naming a missing consumer group. */
    NOGROUP,
    /** A blocked client released by CLIENT UNBLOCK ... ERROR. */
    UNBLOCKED,
    /** A connection refused by protected mode. */
    DENIED,
    /** A corrupted HyperLogLog value (PFADD, PFCOUNT, PFMERGE, PFDEBUG). */
    INVALIDOBJ,
    /** MIGRATE could not connect to, write to or read from its target. */
    IOERR;

    private static final Map<String, ErrorPrefix> BY_NAME = new HashMap<>();

    static {
        for (ErrorPrefix p : values()) {
            BY_NAME.put(p.name(), p);
        }
    }

    /** @return {@code "CODE message"}: the error line without the leading dash */
    public String line(String message) {
        return name() + " " + message;
    }

    /**
     * @param errorLine an error line without the dash ({@code "ERR syntax error"})
     * @return the code it starts with, or null if its first word is not one of these codes
     */
    public static ErrorPrefix of(String errorLine) {
        int sp = errorLine.indexOf(' ');
        return BY_NAME.get(sp < 0 ? errorLine : errorLine.substring(0, sp));
    }
}
