package io.redjar.internal.script;

import io.redjar.Reply;
import io.redjar.Session;
import io.redjar.Store;
import io.redjar.internal.Internals;
import io.redjar.internal.propagation.EffectBatch;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A script is one atomic unit: its effects reach the propagation bus as one batch (SELECT inside
 * included), clients blocked on keys it pushed to are served once it has ended (Redis 7.0 flags
 * every blocking command noscript, so none runs inside), and no other thread (typed transactions included) sees half of it.
 */
class ScriptAtomicityTest {
    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void effectsAreOneBatch() {
        try (Store store = Store.open()) {
            List<EffectBatch> batches = Collections.synchronizedList(new ArrayList<>());
            Internals.engine(store).keyspace().propagation().addConsumer(batches::add);
            Session session = store.newSession();
            Reply r = session.execute("EVAL", "redis.call('set', KEYS[1], 'a'); local n = redis.call('incr', 'n'); "
                + "redis.call('select', 1); redis.call('set', 'other', 'b'); return {n, redis.call('get', 'n')}", "1", "k");
            assertEquals(Reply.array(Reply.ONE, Reply.NULL), r, "after SELECT 1 the script reads db 1");
            Internals.engine(store).keyspace().propagation().drain();
            List<EffectBatch> scriptBatches = new ArrayList<>();
            for (EffectBatch b : batches) {
                if (b.size() > 0) {
                    scriptBatches.add(b);
                }
            }
            assertEquals(1, scriptBatches.size(), batches.toString());
            EffectBatch b = scriptBatches.get(0);
            assertEquals(3, b.size(), b.toString());
            assertEquals(0, b.get(0).db());
            assertEquals("k", s(b.get(0).argv()[1]));
            assertEquals(1, b.get(2).db(), "SELECT inside the script writes to db 1");
            assertEquals("other", s(b.get(2).argv()[1]));
            assertEquals(0, session.database(), "the caller's database is unchanged");
        }
    }

    @Test
    void waitersAreServedAfterTheScript() throws Exception {
        try (Store store = Store.open()) {
            Session waiter = store.newSession();
            CompletableFuture<Reply> blpop = waiter.executeAsync("BLPOP", "q", "0");
            assertFalse(blpop.isDone());
            Session s = store.newSession();
            Reply r = s.execute("EVAL", "redis.call('rpush', 'q', 'x', 'y'); return redis.call('llen', 'q')", "0");
            assertEquals(Reply.integer(2), r, "the waiter was not served inside the script");
            assertEquals(Reply.array(Reply.bulk("q"), Reply.bulk("x")), blpop.get(10, TimeUnit.SECONDS));
            assertEquals(Reply.integer(1), s.execute("LLEN", "q"));
        }
    }

    @Test
    void noThreadSeesHalfAScript() throws Exception {
        try (Store store = Store.open()) {
            int rounds = 2000;
            AtomicBoolean done = new AtomicBoolean();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                Session s = store.newSession();
                for (int i = 0; i < rounds; i++) {
                    s.execute("EVAL", "redis.call('incr', KEYS[1]); redis.call('incr', KEYS[2])", "2", "x", "y");
                }
                done.set(true);
            });
            int checks = 0;
            while (!done.get() || checks == 0) {
                String[] xy = store.multiResult(tx -> new String[] {tx.strings().get("x"), tx.strings().get("y")});
                assertEquals(xy[0], xy[1], "a typed transaction saw half a script");
                Reply r = store.newSession().execute("EVAL", "return redis.call('get', 'x') == redis.call('get', 'y')", "0");
                assertEquals(Reply.ONE, r, "a script saw half a script");
                checks++;
            }
            writer.get(60, TimeUnit.SECONDS);
            assertEquals(String.valueOf(rounds), store.strings().get("x"));
            assertTrue(checks > 0);
        }
    }

    @Test
    void timeIsFrozenWhileAScriptRuns() {
        // a clock that jumps a second at every reading: outside a script a 500 ms key is gone at
        // the next command; inside one, expiry is checked against the script's start time
        java.util.concurrent.atomic.AtomicLong t = new java.util.concurrent.atomic.AtomicLong(1_700_000_000_000L);
        try (Store store = Store.builder().clock(() -> t.addAndGet(1000)).activeExpire(false).open()) {
            Session s = store.newSession();
            assertEquals(Reply.array(Reply.OK, Reply.ONE, Reply.bulk("v")), s.execute("EVAL",
                "return {redis.call('set', 'k', 'v', 'px', 500), redis.call('exists', 'k'), redis.call('get', 'k')}", "0"));
            assertEquals(Reply.ZERO, s.execute("EXISTS", "k"), "expired once the script has ended");
        }
    }
}
