package io.redjar;

import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The in-process pub/sub API ({@code store.pubsub()}): channel and pattern delivery, receiver
 * counts shared with the PUBSUB commands, closing, per-publisher order under concurrent
 * publishers (seeded), a slow listener cancelled at the output limit without blocking the
 * publisher, listeners that publish, and the config's validation.
 */
class PubSubTest {
    private static PubSubMessage take(BlockingQueue<PubSubMessage> q) throws InterruptedException {
        PubSubMessage m = q.poll(10, TimeUnit.SECONDS);
        assertNotNull(m, "no message within 10 s");
        return m;
    }

    @Test
    void channelsAndPatterns() throws Exception {
        try (Store store = Store.open()) {
            BlockingQueue<PubSubMessage> q = new LinkedBlockingQueue<>();
            Subscription s = store.pubsub().subscribe(q::add, "a", "b");
            Subscription p = store.pubsub().psubscribe(q::add, "n?ws.*");
            assertEquals(1, store.pubsub().publish("a", "one"));
            PubSubMessage m = take(q);
            assertEquals("a", m.channelAsString());
            assertEquals("one", m.messageAsString());
            assertNull(m.pattern());
            assertEquals(1, store.pubsub().publish("news.x", "two"));
            m = take(q);
            assertEquals("n?ws.*", m.patternAsString());
            assertEquals("news.x", m.channelAsString());
            assertEquals(0, store.pubsub().publish("c", "none"));
            assertEquals(Reply.array(Reply.bulk("a"), Reply.integer(1), Reply.bulk("c"), Reply.integer(0)),
                store.execute("PUBSUB", "NUMSUB", "a", "c"));
            assertEquals(Reply.integer(1), store.execute("PUBSUB", "NUMPAT"));
            assertEquals(Reply.integer(1), store.execute("PUBLISH", "b", "from-text"));
            assertEquals("from-text", take(q).messageAsString());
            assertTrue(store.execute("INFO", "stats").toString().contains("pubsub_channels:2"));
            s.close();
            s.close();
            assertFalse(s.isActive());
            assertTrue(p.isActive());
            assertEquals(0, store.pubsub().publish("a", "after-close"));
            p.close();
            assertEquals(Reply.integer(0), store.execute("PUBSUB", "NUMPAT"));
            assertTrue(q.isEmpty());
        }
    }

    @Test
    void embeddedSessionsCannotSubscribe() {
        try (Store store = Store.open()) {
            Reply r = store.execute("SUBSCRIBE", "a");
            assertTrue(r instanceof Reply.ErrorReply e && e.message().contains("store.pubsub()"), r.toString());
            assertEquals(Reply.integer(0), store.execute("PUBLISH", "a", "x"));
            assertThrows(IllegalArgumentException.class, () -> store.pubsub().subscribe(m -> { }, new String[0]));
        }
    }

    @Test
    void orderPerPublisherUnderConcurrentPublishers() {
        Seeds.run("PubSubTest.order", r -> {
            try (Store store = Store.open()) {
                int publishers = 2 + r.nextInt(3);
                int perPublisher = 200 + r.nextInt(300);
                int[] last = new int[publishers];
                java.util.Arrays.fill(last, -1);
                List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
                CountDownLatch done = new CountDownLatch(publishers * perPublisher);
                try (Subscription s = store.pubsub().psubscribe(m -> {
                    String[] f = m.messageAsString().split(":");
                    int who = Integer.parseInt(f[0]);
                    int seq = Integer.parseInt(f[1]);
                    if (seq != last[who] + 1) {
                        errors.add("publisher " + who + ": " + seq + " after " + last[who]);
                    }
                    last[who] = seq;
                    done.countDown();
                }, "ch.*")) {
                    List<Thread> threads = new ArrayList<>();
                    long[] channelSeeds = new long[publishers];
                    for (int i = 0; i < publishers; i++) {
                        channelSeeds[i] = r.nextLong();
                    }
                    for (int p = 0; p < publishers; p++) {
                        int who = p;
                        threads.add(new Thread(() -> {
                            java.util.Random cr = new java.util.Random(channelSeeds[who]);
                            for (int i = 0; i < perPublisher; i++) {
                                store.pubsub().publish("ch." + cr.nextInt(5), who + ":" + i);
                            }
                        }));
                    }
                    threads.forEach(Thread::start);
                    for (Thread t : threads) {
                        t.join();
                    }
                    assertTrue(done.await(30, TimeUnit.SECONDS), "all messages delivered");
                    assertEquals(List.of(), errors);
                }
            }
        });
    }

    @Test
    void slowListenerIsCancelledAndNeverBlocksThePublisher() throws Exception {
        try (Store store = Store.open()) {
            assertEquals(Reply.OK, store.execute("CONFIG", "SET", "client-output-buffer-limit", "pubsub 10000 0 0"));
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch cancelled = new CountDownLatch(1);
            List<String> reasons = new ArrayList<>();
            Subscription slow = store.pubsub().subscribe(new MessageListener() {
                @Override
                public void onMessage(PubSubMessage m) {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }

                @Override
                public void onCancelled(String reason) {
                    reasons.add(reason);
                    cancelled.countDown();
                }
            }, "news");
            String payload = "x".repeat(1000);
            long receivers = 0;
            for (int i = 0; i < 100; i++) {
                receivers += store.pubsub().publish("news", payload); // returns although the slow one is stuck
            }
            assertFalse(slow.isActive(), "cut off at the limit");
            // counted while queued (up to the 10000-byte limit), not after the cut
            assertTrue(receivers >= 9 && receivers <= 11, "receivers " + receivers);
            assertEquals(Reply.array(Reply.bulk("news"), Reply.integer(0)), store.execute("PUBSUB", "NUMSUB", "news"));
            release.countDown();
            assertTrue(cancelled.await(10, TimeUnit.SECONDS), "listener told");
            assertTrue(reasons.get(0).contains("client-output-buffer-limit"), reasons.toString());
        }
    }

    @Test
    void aStuckListenerDoesNotHoldUpTheOtherSubscribers() throws Exception {
        try (Store store = Store.open()) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch stuckEntered = new CountDownLatch(1);
            Subscription stuck = store.pubsub().subscribe(m -> {
                stuckEntered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "news");
            // more subscribers than delivery lanes, so some share the stuck one's lane
            int others = 12;
            int messages = 50;
            CountDownLatch all = new CountDownLatch(others * messages);
            List<List<String>> got = new ArrayList<>();
            List<Subscription> subs = new ArrayList<>();
            for (int i = 0; i < others; i++) {
                List<String> mine = java.util.Collections.synchronizedList(new ArrayList<>());
                got.add(mine);
                subs.add(store.pubsub().subscribe(m -> {
                    mine.add(m.messageAsString());
                    all.countDown();
                }, "news"));
            }
            store.pubsub().publish("news", "m0");
            assertTrue(stuckEntered.await(10, TimeUnit.SECONDS));
            for (int i = 1; i < messages; i++) {
                store.pubsub().publish("news", "m" + i);
            }
            assertTrue(all.await(20, TimeUnit.SECONDS), "every other subscriber got every message while one listener was stuck");
            for (List<String> mine : got) {
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < messages; i++) {
                    expected.add("m" + i);
                }
                assertEquals(expected, mine, "in publish order");
            }
            assertTrue(stuck.isActive());
            release.countDown();
            subs.forEach(Subscription::close);
            stuck.close();
        }
    }

    @Test
    void listenersMayPublish() throws Exception {
        try (Store store = Store.open()) {
            BlockingQueue<PubSubMessage> q = new LinkedBlockingQueue<>();
            try (Subscription pong = store.pubsub().subscribe(q::add, "pong");
                 Subscription ping = store.pubsub().subscribe(m -> store.pubsub().publish("pong".getBytes(), m.message()), "ping".getBytes())) {
                assertEquals(1, store.pubsub().publish("ping", "hi"));
                PubSubMessage m = take(q);
                assertEquals("pong", m.channelAsString());
                assertEquals("hi", m.messageAsString());
            }
        }
    }

    @Test
    void outputBufferLimitConfig() {
        try (Store store = Store.open()) {
            String prefix = "ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - ";
            assertEquals(Reply.error(prefix + "Invalid client class specified in buffer limit configuration."),
                store.execute("CONFIG", "SET", "client-output-buffer-limit", "foo 1 2 3"));
            assertEquals(Reply.error(prefix + "Wrong number of arguments in buffer limit configuration."),
                store.execute("CONFIG", "SET", "client-output-buffer-limit", "pubsub 1 2"));
            assertEquals(Reply.error(prefix + "Error in hard, soft or soft_seconds setting in buffer limit configuration."),
                store.execute("CONFIG", "SET", "client-output-buffer-limit", "pubsub x 2 3"));
            assertEquals(Reply.OK, store.execute("CONFIG", "SET", "client-output-buffer-limit", "pubsub 1mb 2k 3"));
            assertEquals(Reply.OK, store.execute("CONFIG", "SET", "client-output-buffer-limit", "replica 1 2 3"));
            assertEquals(new Reply.Map(List.of(Reply.bulk("client-output-buffer-limit"), Reply.bulk("normal 0 0 0 slave 1 2 3 pubsub 1048576 2000 3"))),
                store.execute("CONFIG", "GET", "client-output-buffer-limit"));
        }
    }
}
