package io.redjar.internal.propagation;

import io.redjar.RedJarException;
import io.redjar.Reply;
import io.redjar.Store;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Delivery rounds: {@link EffectConsumer#endOfRound()} is called once per round after its batches
 * and before the writers are released; a round it reports not durable makes exactly its writers'
 * calls answer the reason (textual, typed and {@code Store.multi}), and later rounds are fine again.
 */
class PropagationBusRoundsTest {
    /** Fails the rounds while {@code failing}; records the offsets each round ended after. */
    static final class Consumer implements EffectConsumer {
        volatile String failing;
        final AtomicInteger rounds = new AtomicInteger();
        final List<Long> seen = new ArrayList<>();
        final List<Long> roundEnds = new ArrayList<>();
        private long last;

        @Override
        public synchronized void accept(EffectBatch batch) {
            seen.add(batch.lastOffset());
            last = batch.lastOffset();
        }

        @Override
        public synchronized String endOfRound() {
            rounds.incrementAndGet();
            roundEnds.add(last);
            return failing;
        }
    }

    @Test
    void failedRoundIsAnsweredToItsWritersOnly() {
        try (Store store = Store.open()) {
            PropagationBus bus = io.redjar.internal.Internals.engine(store).keyspace().propagation();
            Consumer c = new Consumer();
            bus.addConsumer(c);
            assertEquals(new Reply.SimpleString("OK"), store.execute("SET", "a", "1"));
            assertFalse(bus.anyFailure());
            assertTrue(c.rounds.get() >= 1);
            assertEquals(bus.deliveredOffset(), (long) c.roundEnds.get(c.roundEnds.size() - 1));

            c.failing = "MISCONF Errors writing to the AOF file: boom";
            assertEquals(Reply.error("MISCONF Errors writing to the AOF file: boom"), store.execute("SET", "b", "1"));
            RedJarException e = assertThrows(RedJarException.class, () -> store.strings().set("c", "1"));
            assertTrue(e.getMessage().contains("boom"), e.getMessage());
            assertThrows(RedJarException.class, () -> store.multi(tx -> tx.strings().set("d", "1")));
            // a read makes no effect: it is not answered with an old failure
            assertEquals("1", new String(((Reply.Bulk) store.execute("GET", "b")).value()));

            c.failing = null;
            assertEquals(new Reply.SimpleString("OK"), store.execute("SET", "e", "1"));
            store.strings().set("f", "1");
            store.multi(tx -> tx.strings().set("g", "1"));
            assertTrue(bus.anyFailure());
            assertEquals(null, bus.takeFailure());
        }
    }
}
