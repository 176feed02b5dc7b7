package io.redjar.internal.command;

import io.redjar.RedJarException;
import io.redjar.ErrorPrefix;

import static io.redjar.internal.command.CommandFlag.ADMIN;
import static io.redjar.internal.command.CommandFlag.LOADING;
import static io.redjar.internal.command.CommandFlag.NOSCRIPT;
import static io.redjar.internal.command.CommandFlag.NO_ASYNC_LOADING;
import static io.redjar.internal.command.CommandFlag.STALE;

/**
 * CLUSTER as a Redis 7.0 server started without {@code cluster-enabled} has it: every subcommand
 * is in the command table (COMMAND INFO / LIST / DOCS, so tools and the suite find them) and
 * answers {@code ERR This instance has cluster support disabled}. RedJar has no cluster mode.
 *
 * <p><b>Thread-safety:</b> stateless.
 */
public final class ClusterCommands {
    private static final String G = "cluster";

    private ClusterCommands() {
    }

    /** Adds CLUSTER and its subcommands to {@code t}. */
    public static void register(CommandTable t) {
        t.add("cluster", -2).doc(G, "A container for cluster commands").handler((c, a) -> {
            throw new IllegalStateException("container command");
        });
        CommandFlag[] changes = {NO_ASYNC_LOADING, ADMIN, STALE};
        CommandFlag[] reads = {STALE};
        CommandFlag[] admin = {ADMIN, STALE};
        sub(t, "addslots", -3, changes, "Assign new hash slots to receiving node");
        sub(t, "addslotsrange", -4, changes, "Assign new hash slots to receiving node");
        sub(t, "bumpepoch", 2, changes, "Advance the cluster config epoch");
        sub(t, "count-failure-reports", 3, admin, "Return the number of failure reports active for a given node");
        sub(t, "countkeysinslot", 3, reads, "Return the number of local keys in the specified hash slot");
        sub(t, "delslots", -3, changes, "Set hash slots as unbound in receiving node");
        sub(t, "delslotsrange", -4, changes, "Set hash slots as unbound in receiving node");
        sub(t, "failover", -2, changes, "Forces a replica to perform a manual failover of its master.");
        sub(t, "flushslots", 2, changes, "Delete a node's own slots information");
        sub(t, "forget", 3, changes, "Remove a node from the nodes table");
        sub(t, "getkeysinslot", 4, reads, "Return local key names in the specified hash slot");
        sub(t, "help", 2, new CommandFlag[] {LOADING, STALE}, "Show helpful text about the different subcommands");
        sub(t, "info", 2, reads, "Provides info about Redis Cluster node state");
        sub(t, "keyslot", 3, reads, "Returns the hash slot of the specified key");
        sub(t, "links", 2, reads, "Returns a list of all TCP links to and from peer nodes in cluster");
        sub(t, "meet", -4, changes, "Force a node cluster to handshake with another node");
        sub(t, "myid", 2, reads, "Return the node id");
        sub(t, "nodes", 2, reads, "Get Cluster config for the node");
        sub(t, "replicas", 3, admin, "List replica nodes of the specified master node");
        sub(t, "replicate", 3, changes, "Reconfigure a node as a replica of the specified master node");
        sub(t, "reset", -2, new CommandFlag[] {ADMIN, STALE, NOSCRIPT}, "Reset a Redis Cluster node");
        sub(t, "saveconfig", 2, changes, "Forces the node to save cluster state on disk");
        sub(t, "set-config-epoch", 3, changes, "Set the configuration epoch in a new node");
        sub(t, "setslot", -4, changes, "Bind a hash slot to a specific node");
        sub(t, "shards", 2, reads, "Get array of cluster slots to node mappings");
        sub(t, "slaves", 3, admin, "List replica nodes of the specified master node");
        sub(t, "slots", 2, reads, "Get array of Cluster slot to node mappings");
    }

    /** The subcommands whose reply Redis marks {@code nondeterministic_output}. */
    private static final java.util.Set<String> NONDETERMINISTIC = java.util.Set.of("bumpepoch", "count-failure-reports",
        "getkeysinslot", "info", "links", "nodes", "replicas", "shards", "slaves", "slots");

    private static void sub(CommandTable t, String name, int arity, CommandFlag[] flags, String summary) {
        CommandTable.Row row = t.addSub("cluster", name, arity).flags(flags);
        if (NONDETERMINISTIC.contains(name)) {
            row.tips("nondeterministic_output");
        }
        row.doc(G, summary).handler((c, a) -> {
            throw new RedJarException(ErrorPrefix.ERR, "This instance has cluster support disabled");
        });
    }
}
