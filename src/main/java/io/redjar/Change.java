package io.redjar;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One entry of the {@link ChangeFeed}: a write's effect on the keyspace in command form, exactly
 * as the append-only file would log it ({@code SET k v PXAT <ms>}, {@code DEL k}, ...), with its
 * database and its place in the feed.
 *
 * <p><b>Batches.</b> The effects a store applies as one unit (a {@code MULTI}/{@code EXEC}, a
 * script, {@link Store#multi}, or one command with several effects) form a batch of consecutive
 * offsets {@link #batchFirst()}..{@link #batchLast()}; a change outside any such unit is a batch
 * of one. A consumer that wants the store's atomicity applies (and commits) whole batches: the
 * change with {@link #lastInBatch()} ends one.
 *
 * <p><b>Thread-safety:</b> immutable (the arguments are copied in and out).
 */
public final class Change {
    private final long offset;
    private final int db;
    private final byte[][] argv;
    private final long batchFirst;
    private final long batchLast;

    /**
     * @param offset     the change's feed offset (1 or more)
     * @param db         the database the command applies to
     * @param argv       the command and its arguments (copied)
     * @param batchFirst the offset of the first change of its batch ({@code <= offset})
     * @param batchLast  the offset of the last change of its batch ({@code >= offset})
     */
    public Change(long offset, int db, byte[][] argv, long batchFirst, long batchLast) {
        if (offset < 1 || batchFirst > offset || batchLast < offset || argv.length == 0) {
            throw new IllegalArgumentException("bad change: offset " + offset + " batch " + batchFirst + ".." + batchLast
                + " argc " + argv.length);
        }
        this.offset = offset;
        this.db = db;
        this.argv = new byte[argv.length][];
        for (int i = 0; i < argv.length; i++) {
            this.argv[i] = argv[i].clone();
        }
        this.batchFirst = batchFirst;
        this.batchLast = batchLast;
    }

    /**
     * Internal factory: takes {@code argv} without copying (freshly decoded, never shared).
     */
    static Change owned(long offset, int db, byte[][] argv, long batchFirst, long batchLast) {
        return new Change(offset, db, argv, batchFirst, batchLast, true);
    }

    private Change(long offset, int db, byte[][] argv, long batchFirst, long batchLast, boolean owned) {
        this.offset = offset;
        this.db = db;
        this.argv = argv;
        this.batchFirst = batchFirst;
        this.batchLast = batchLast;
    }

    /** @return the feed offset: increasing, and never reused, across restarts of a durable feed */
    public long offset() {
        return offset;
    }

    /** @return the database the command applies to */
    public int db() {
        return db;
    }

    /** @return the number of command arguments, the command name included */
    public int argc() {
        return argv.length;
    }

    /** @return a copy of argument {@code i} (0 is the command name) */
    public byte[] arg(int i) {
        return argv[i].clone();
    }

    /** @return argument {@code i} as UTF-8 text */
    public String argString(int i) {
        return new String(argv[i], StandardCharsets.UTF_8);
    }

    /** @return a copy of the command and its arguments, ready for {@link Database#execute(byte[]...)} */
    public byte[][] argv() {
        byte[][] c = new byte[argv.length][];
        for (int i = 0; i < c.length; i++) {
            c[i] = argv[i].clone();
        }
        return c;
    }

    /** @return the command name, upper case ({@code "SET"}, {@code "DEL"}, ...) */
    public String command() {
        return new String(argv[0], StandardCharsets.UTF_8).toUpperCase(java.util.Locale.ROOT);
    }

    /** @return the offset of the first change of this change's batch */
    public long batchFirst() {
        return batchFirst;
    }

    /** @return the offset of the last change of this change's batch */
    public long batchLast() {
        return batchLast;
    }

    /** @return whether this change is part of a multi-change atomic batch */
    public boolean inBatch() {
        return batchFirst != batchLast;
    }

    /** @return whether this change ends its batch (always true outside a multi-change batch) */
    public boolean lastInBatch() {
        return offset == batchLast;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Change c && c.offset == offset && c.db == db && c.batchFirst == batchFirst
            && c.batchLast == batchLast && Arrays.deepEquals(c.argv, argv);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(offset) * 31 + Arrays.deepHashCode(argv);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Change[").append(offset).append(" db=").append(db);
        if (inBatch()) {
            sb.append(" batch=").append(batchFirst).append("..").append(batchLast);
        }
        sb.append(':');
        for (byte[] a : argv) {
            sb.append(' ').append(new String(a, StandardCharsets.UTF_8));
        }
        return sb.append(']').toString();
    }
}
