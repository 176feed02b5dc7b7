package io.redjar.internal.command;

import io.redjar.Reply;

import static io.redjar.internal.command.CommandFlag.ADMIN;
import static io.redjar.internal.command.CommandFlag.FAST;
import static io.redjar.internal.command.CommandFlag.LOADING;
import static io.redjar.internal.command.CommandFlag.NOSCRIPT;
import static io.redjar.internal.command.CommandFlag.NO_ASYNC_LOADING;
import static io.redjar.internal.command.CommandFlag.STALE;

/**
 * The cluster command group as a Redis 7.0 server answers it with {@code cluster-enabled no}, which
 * is what RedJar is: CLUSTER (every subcommand of 7.0, with its arity, flags and tips from Redis's
 * {@code commands.c}), READONLY, READWRITE and ASKING exist, so COMMAND INFO/LIST/DOCS, ACL rules,
 * arity errors and scripts' {@code noscript} checks treat them as Redis does, and each replies
 * {@code ERR This instance has cluster support disabled} (Redis's {@code clusterCommand},
 * {@code readonlyCommand}, {@code readwriteCommand}, {@code askingCommand}). Cluster tooling that
 * probes a node (redis-cli, client libraries' cluster detection) gets the answer it expects from a
 * standalone Redis.
 *
 * <p><b>Thread-safety:</b> stateless.
 */
public final class ClusterCommands {
    private static final String G = "cluster";
    private static final Reply DISABLED = Reply.error("ERR This instance has cluster support disabled");

    private ClusterCommands() {
    }

    /** Adds CLUSTER and its subcommands, READONLY, READWRITE and ASKING to {@code t}. */
    public static void register(CommandTable t) {
        t.add("cluster", -2).doc(G, "A container for cluster commands").handler((c, a) -> {
            throw new IllegalStateException("container command");
        });
        sub(t, "addslots", -3, "Assign new hash slots to receiving node", new CommandFlag[] {NO_ASYNC_LOADING, ADMIN, STALE});
        sub(t, "addslotsrange", -4, "Assign new hash slots to receiving node", new CommandFlag[] {NO_ASYNC_LOADING, ADMIN, STALE});
        sub(t, "bumpepoch", 2, "Advance the cluster config epoch", new CommandFlag[] {NO_ASYNC_LOADING, ADMIN, STALE}, "nondeterministic_output");
        sub(t, "count-failure-reports", 3, "Return the number of failure reports active for a given node", new CommandFlag[] {ADMIN, STALE}, "nondeterministic_output");
        sub(t, "countkeysinslot", 3, "Return the number of local keys in the specified hash slot", new CommandFlag[] {STALE});
        sub(t, "delslots", -3, "Set hash slots as unbound in receiving node", new CommandFlag[] {NO_ASYNC_LOADING, ADMIN, STALE});
        sub(t, "delslotsrange", -4, "Set hash slots as unbound in receiving node", new CommandFlag[] {NO_ASYNC_LOADING, ADMIN, STALE});
        sub(t, "failover", -2, "Forces a replica to perform a manual failover of its master.", new CommandFlag[] {NO_ASYNC_LOADING, ADMIN, STALE});
        sub(t, "flushslots", 2, "Delete a node's own slots information", new CommandFlag[] {NO_ASYNC_LOADING, ADMIN, STALE});
        sub(t, "forget", 3, "Remove a node from the nodes table", new CommandFlag[] {NO_ASYNC_LOADING, ADMIN, STALE});
        sub(t, "getkeysinslot", 4, "Return local key names in the specified hash slot", new CommandFlag[] {STALE}, "nondeterministic_output");
        sub(t, "help", 2, "Show helpful text about the different subcommands", new CommandFlag[] {LOADING, STALE});
        sub(t, "info", 2, "Provides info about Redis Cluster node state", new CommandFlag[] {STALE}, "nondeterministic_output");
        sub(t, "keyslot", 3, "Returns the hash slot of the specified key", new CommandFlag[] {STALE});
        sub(t, "links", 2, "Returns a list of all TCP links to and from peer nodes in cluster", new CommandFlag[] {STALE}, "nondeterministic_output");
        sub(t, "meet", -4, "Force a node cluster to handshake with another node", new CommandFlag[] {NO_ASYNC_LOADING, ADMIN, STALE});
        sub(t, "myid", 2, "Return the node id", new CommandFlag[] {STALE});
        sub(t, "nodes", 2, "Get Cluster config for the node", new CommandFlag[] {STALE}, "nondeterministic_output");
        sub(t, "replicas", 3, "List replica nodes of the specified master node", new CommandFlag[] {ADMIN, STALE}, "nondeterministic_output");
        sub(t, "replicate", 3, "Reconfigure a node as a replica of the specified master node", new CommandFlag[] {NO_ASYNC_LOADING, ADMIN, STALE});
        sub(t, "reset", -2, "Reset a Redis Cluster node", new CommandFlag[] {ADMIN, STALE, NOSCRIPT});
        sub(t, "saveconfig", 2, "Forces the node to save cluster state on disk", new CommandFlag[] {NO_ASYNC_LOADING, ADMIN, STALE});
        sub(t, "set-config-epoch", 3, "Set the configuration epoch in a new node", new CommandFlag[] {NO_ASYNC_LOADING, ADMIN, STALE});
        sub(t, "setslot", -4, "Bind a hash slot to a specific node", new CommandFlag[] {NO_ASYNC_LOADING, ADMIN, STALE});
        sub(t, "shards", 2, "Get array of cluster slots to node mappings", new CommandFlag[] {STALE}, "nondeterministic_output");
        sub(t, "slaves", 3, "List replica nodes of the specified master node", new CommandFlag[] {ADMIN, STALE}, "nondeterministic_output");
        sub(t, "slots", 2, "Get array of Cluster slot to node mappings", new CommandFlag[] {STALE}, "nondeterministic_output");
        t.add("readonly", 1).flags(FAST, LOADING, STALE)
            .doc(G, "Enables read queries for a connection to a cluster replica node")
            .handler((c, a) -> DISABLED);
        t.add("readwrite", 1).flags(FAST, LOADING, STALE)
            .doc(G, "Disables read queries for a connection to a cluster replica node")
            .handler((c, a) -> DISABLED);
        t.add("asking", 1).flags(FAST)
            .doc(G, "Sent by cluster clients after an -ASK redirect")
            .handler((c, a) -> DISABLED);
    }

    private static void sub(CommandTable t, String name, int arity, String summary, CommandFlag[] flags, String... tips) {
        CommandTable.Row r = t.addSub("cluster", name, arity).flags(flags).doc(G, summary);
        if (tips.length > 0) {
            r.tips(tips);
        }
        r.handler((c, a) -> DISABLED);
    }
}
