package io.redjar.diff;

import io.redjar.Store;
import io.redjar.testing.RequiresRedis;
import io.redjar.testing.RespClient;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The cluster command group against a standalone redis-server ({@code cluster-enabled no}): the same
 * replies for every subcommand, arity errors, unknown subcommands, and a script's attempt to call a
 * {@code noscript} one.
 */
@RequiresRedis
class ClusterCommandsDifferentialTest {

    @Test
    void sameRepliesAsAStandaloneRedis(RespClient redis) {
        List<String[]> calls = List.of(
            new String[] {"CLUSTER", "INFO"},
            new String[] {"CLUSTER", "HELP"},
            new String[] {"CLUSTER", "KEYSLOT", "foo"},
            new String[] {"CLUSTER", "KEYSLOT"},
            new String[] {"CLUSTER", "NODES"},
            new String[] {"CLUSTER", "SLOTS"},
            new String[] {"CLUSTER", "SHARDS"},
            new String[] {"CLUSTER", "MYID"},
            new String[] {"CLUSTER", "RESET", "HARD"},
            new String[] {"CLUSTER", "SETSLOT", "1", "NODE", "x"},
            new String[] {"CLUSTER", "SETSLOT", "1"},
            new String[] {"CLUSTER", "ADDSLOTSRANGE", "1", "2"},
            new String[] {"CLUSTER", "GETKEYSINSLOT", "1", "10"},
            new String[] {"CLUSTER", "NOSUCH"},
            new String[] {"CLUSTER"},
            new String[] {"READONLY"},
            new String[] {"READWRITE"},
            new String[] {"ASKING"},
            new String[] {"READONLY", "x"},
            new String[] {"EVAL", "return redis.call('cluster', 'reset', 'hard')", "0"},
            new String[] {"EVAL", "return redis.pcall('cluster', 'info')", "0"});
        try (Store store = Store.open()) {
            for (String[] c : calls) {
                assertEquals(redis.call(c), store.execute(c), String.join(" ", c));
            }
        }
    }
}
