package io.redjar.internal.command;

import io.redjar.Reply;

/**
 * A check every call passes before it runs, textual or typed (Redis's {@code processCommand}
 * refusals: MULTI queueing, ACL, the OOM gate, read-only replica, cluster redirect). Gates are
 * installed in {@link CallPath} in a fixed order, one per {@link Slot}; an empty slot costs
 * nothing.
 *
 * <p>A gate answers null to let the call through, or the reply the call gets instead of running
 * (an error, or for MULTI {@code +QUEUED}). A typed call that a gate answers with an error throws
 * that error as a {@link io.redjar.RedJarException}; a typed call cannot be queued, so a gate must
 * answer typed calls ({@code argv == null}) with null or an error.
 *
 * <p><b>Thread-safety:</b> called concurrently from every thread that runs commands; must not
 * block.
 */
@FunctionalInterface
public interface CallGate {
    /**
     * @param spec the command (a subcommand's row for container commands)
     * @param ctx  the caller's context; null for a typed call
     * @param db   the database the call acts on
     * @param argv the command as received; null for a typed call (it has no wire form)
     * @return null to run the call, or the reply it gets instead
     */
    Reply check(CommandSpec spec, ExecContext ctx, int db, byte[][] argv);

    /**
     * The ordered hook points, in the order Redis's {@code processCommand} applies its checks.
     * Each later feature installs its gate into its slot; none is installed today.
     */
    enum Slot {
        /** ACL: the user may run this command on these keys. */
        ACL,
        /** Cluster: the keys hash to a slot this node serves, else MOVED/ASK. */
        CLUSTER_REDIRECT,
        /** Memory: write commands refused over maxmemory when nothing can be evicted. */
        OOM,
        /**
         * Persistence: writes refused with MISCONF after a failed snapshot
         * ({@code stop-writes-on-bgsave-error}) or a failed append-only-file write.
         */
        DISK_ERROR,
        /** Replication: writes refused on a read-only replica. */
        READONLY_REPLICA,
        /** Pub/sub: a RESP2 client with subscriptions runs only the subscription commands, PING, QUIT, RESET. */
        PUBSUB_CONTEXT,
        /** Loading: while the data set loads in the background, only LOADING-flagged commands run. */
        LOADING,
        /** Transactions: inside MULTI, everything but EXEC/DISCARD/... is queued. */
        MULTI_QUEUE
    }
}
