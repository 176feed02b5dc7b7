package io.redjar;

import io.redjar.internal.Internals;
import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link StreamWorker} under failure, on a manual clock: workers of one group are killed in the
 * middle of a batch (their entries stay pending), handlers fail now and then, replacement workers
 * start; the survivors claim what the dead left once it is idle long enough. In the end every
 * entry was handled successfully and acknowledged exactly once, and nothing is pending.
 */
class StreamWorkerTest {
    /** A worker's death: it handles nothing more. */
    private static final class Killed extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    @Test
    void everyEntryIsAcknowledgedExactlyOnceDespiteKilledConsumers() {
        Seeds.run("StreamWorkerTest", random -> {
            ManualClock clock = new ManualClock(1_700_000_000_000L);
            try (Store store = Store.builder().clock(clock).activeExpire(false).open()) {
                Streams streams = store.streams();
                int n = 300 + random.nextInt(300);
                Set<String> all = new HashSet<>();
                for (int i = 0; i < n; i++) {
                    all.add(streams.add("jobs", Map.of("n", Integer.toString(i))));
                    if (random.nextInt(50) == 0) {
                        clock.advance(Duration.ofMillis(1));
                    }
                }
                List<String> succeeded = new ArrayList<>();
                List<StreamWorker> live = new ArrayList<>();
                Set<StreamWorker> dead = new HashSet<>();
                int[] next = {0};
                Runnable spawn = () -> {
                    String name = "w" + next[0]++;
                    StreamWorker[] self = new StreamWorker[1];
                    self[0] = StreamWorker.builder(streams, "jobs", "g", name)
                        .batch(1 + random.nextInt(20)).claimIdle(Duration.ofMillis(1000))
                        .handler(e -> {
                            if (dead.contains(self[0])) {
                                throw new Killed();
                            }
                            if (random.nextInt(40) == 0) {
                                dead.add(self[0]); // killed mid-batch: the rest of its batch stays pending
                                throw new Killed();
                            }
                            if (random.nextInt(25) == 0) {
                                throw new IllegalStateException("transient failure");
                            }
                            succeeded.add(e.id());
                        }).build();
                    self[0].createGroupIfMissing();
                    live.add(self[0]);
                };
                for (int i = 0; i < 4; i++) {
                    spawn.run();
                }
                int rounds = 0;
                while (streams.pending("jobs", "g").count() > 0 || succeeded.size() < n) {
                    assertTrue(++rounds < 20_000, "no progress");
                    StreamWorker w = live.get(random.nextInt(live.size()));
                    w.poll();
                    if (dead.contains(w)) {
                        live.remove(w);
                        spawn.run();
                    }
                    clock.advance(Duration.ofMillis(random.nextInt(200)));
                }
                assertEquals(n, succeeded.size(), "each entry handled successfully once");
                assertEquals(all, new HashSet<>(succeeded));
                long acked = 0;
                for (StreamWorker w : live) {
                    acked += w.handled();
                }
                for (StreamWorker w : dead) {
                    acked += w.handled();
                }
                assertEquals(n, acked, "acknowledged exactly once in all");
                assertFalse(dead.isEmpty(), "the run killed some workers");
                assertEquals(0, streams.pending("jobs", "g").count());
                Internals.engine(store).keyspace().verifyIntegrity();
            }
        });
    }

    /** The example of docs/streams.md, as written there. */
    @Test
    void docsExample() {
        try (Store store = Store.open()) {
            Streams streams = store.streams();
            streams.add("orders", Map.of("item", "book", "qty", "1"));

            StreamWorker worker = StreamWorker.builder(streams, "orders", "billing", "worker-1")
                .handler(e -> System.out.println("bill " + e.id() + " " + e.fields()))
                .batch(10)
                .block(Duration.ofMillis(200))        // wait for new entries up to 200 ms per poll
                .claimIdle(Duration.ofSeconds(30))    // take over entries a dead worker left pending
                .build();
            worker.createGroupIfMissing();            // XGROUP CREATE orders billing 0 MKSTREAM
            int handled = worker.poll();              // 1
            assertEquals(1, handled);
            assertEquals(0, streams.pending("orders", "billing").count());
        }
    }

    @Test
    void deletedPendingEntriesAreDroppedNotHandled() {
        ManualClock clock = new ManualClock(1_700_000_000_000L);
        try (Store store = Store.builder().clock(clock).open()) {
            Streams s = store.streams();
            String a = s.add("q", Map.of("k", "a"));
            String b = s.add("q", Map.of("k", "b"));
            s.createGroup("q", "g", "0", false);
            assertEquals(2, s.readGroup("q", "g", "dead", 10, null).size());
            store.execute("XDEL", "q", a);
            List<String> seen = new ArrayList<>();
            StreamWorker w = StreamWorker.builder(s, "q", "g", "alive").claimIdle(Duration.ofMillis(10))
                .handler(e -> seen.add(e.id())).build();
            assertEquals(0, w.poll(), "not idle long enough yet");
            clock.advance(Duration.ofMillis(10));
            assertEquals(1, w.poll());
            assertEquals(List.of(b), seen);
            assertEquals(0, s.pending("q", "g").count());
            assertFalse(s.createGroup("q", "g", "0", false), "BUSYGROUP is false");
        }
    }
}
