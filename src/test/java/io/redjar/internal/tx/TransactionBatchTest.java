package io.redjar.internal.tx;

import io.redjar.Session;
import io.redjar.Store;
import io.redjar.internal.Internals;
import io.redjar.internal.propagation.Effect;
import io.redjar.internal.propagation.EffectBatch;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The propagation bus sees a transaction as one batch: EXEC's queue and {@code Store.multi}'s
 * calls each arrive as one {@link EffectBatch} with all their effects in order; a failed EXEC
 * (touched WATCH) propagates nothing.
 */
class TransactionBatchTest {

    @Test
    void execAndTypedMultiAreOneBatchEach() {
        try (Store store = Store.builder().shards(8).open()) {
            List<EffectBatch> batches = Collections.synchronizedList(new ArrayList<>());
            Internals.engine(store).keyspace().propagation().addConsumer(batches::add);
            Session s = store.newSession();
            s.execute("MULTI");
            s.execute("SET", "a", "1");
            s.execute("RPUSH", "l", "x", "y");
            s.execute("SADD", "n", "m");
            s.execute("GET", "a");
            s.execute("EXEC");
            store.multi(tx -> {
                tx.strings().set("b", "2");
                tx.keys().del("a");
            });
            s.execute("WATCH", "w");
            s.execute("SET", "w", "1");
            s.execute("MULTI");
            s.execute("SET", "never", "1");
            s.execute("EXEC");
            List<List<String>> seen = new ArrayList<>();
            for (EffectBatch b : batches) {
                List<String> cmds = new ArrayList<>();
                for (Effect e : b) {
                    cmds.add(new String(e.argv()[0], StandardCharsets.UTF_8).toUpperCase() + " "
                        + new String(e.argv()[1], StandardCharsets.UTF_8));
                }
                seen.add(cmds);
            }
            assertEquals(List.of(
                List.of("SET a", "RPUSH l", "SADD n"),
                List.of("SET b", "DEL a"),
                List.of("SET w")), seen);
        }
    }
}
