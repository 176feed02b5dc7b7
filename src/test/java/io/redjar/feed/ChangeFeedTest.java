package io.redjar.feed;

import io.redjar.AppendFsync;
import io.redjar.Change;
import io.redjar.ChangeFeed;
import io.redjar.OffsetDiscardedException;
import io.redjar.Reply;
import io.redjar.Session;
import io.redjar.Store;
import io.redjar.internal.persistence.aof.AofTestSupport;
import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The change feed through the public API: replay, backpressure, resume, torn tails, retention, close. */
class ChangeFeedTest {
    @TempDir
    Path dir;

    private static Store memoryStore() {
        return Store.builder().changeFeed(true).open();
    }

    private Store diskStore(AppendFsync fsync) {
        return Store.builder().dataDir(dir).changeFeed(true).changeFeedFsync(fsync).open();
    }

    /** Replays changes into {@code target} through one session, batches as MULTI/EXEC. */
    static void replay(Store target, List<Change> changes) {
        Session s = target.newSession();
        int db = 0;
        for (Change c : changes) {
            if (c.inBatch() && c.offset() == c.batchFirst()) {
                assertEquals(new Reply.SimpleString("OK"), s.execute("MULTI"));
            }
            if (c.db() != db) {
                s.execute("SELECT", Integer.toString(c.db()));
                db = c.db();
            }
            Reply r = s.execute(c.argv());
            assertFalse(r instanceof Reply.ErrorReply, c + " -> " + r);
            if (c.inBatch() && c.lastInBatch()) {
                Reply exec = s.execute("EXEC");
                assertInstanceOf(Reply.ArrayReply.class, exec, c + " EXEC -> " + exec);
            }
        }
    }

    private static void randomWrites(Store store, Random r, int n) {
        Session s = store.newSession();
        for (int i = 0; i < n; i++) {
            AofTestSupport.randomWrite(s, r);
        }
    }

    private static List<Change> readAll(ChangeFeed feed) throws InterruptedException {
        FeedProbe p = new FeedProbe();
        feed.from(1).subscribe(p);
        p.request(Long.MAX_VALUE);
        List<Change> out = feed.lastOffset() == 0 ? List.of() : p.takeThrough(feed.lastOffset());
        p.cancel();
        p.assertClean();
        return out;
    }

    private static void assertContiguous(List<Change> changes, long first) {
        for (int i = 0; i < changes.size(); i++) {
            assertEquals(first + i, changes.get(i).offset(), "offset of change " + i);
        }
    }

    @Test
    void replayingTheInMemoryFeedRebuildsTheStore() {
        Seeds.run("in-memory feed replay", r -> replayRoundTrip(memoryStore(), r));
    }

    @Test
    void replayingTheDurableFeedRebuildsTheStore() {
        Seeds.run("durable feed replay", r -> replayRoundTrip(
            Store.builder().dataDir(dir).changeFeed(true).changeFeedSegmentBytes(4096).open(), r));
    }

    private static void replayRoundTrip(Store store, Random r) throws Exception {
        try (store; Store copy = Store.open()) {
            randomWrites(store, r, 1500);
            List<Change> changes = readAll(store.changeFeed());
            assertTrue(changes.size() > 1000, "changes: " + changes.size());
            assertContiguous(changes, 1);
            assertTrue(changes.stream().anyMatch(Change::inBatch), "some MULTI batches");
            replay(copy, changes);
            AofTestSupport.assertSameContents(AofTestSupport.contents(store, 3), AofTestSupport.contents(copy, 3));
        }
    }

    @Test
    void changesCarryTheEffectInCommandFormAndTheBatch() throws Exception {
        try (Store store = memoryStore()) {
            store.strings().set("a", "1");
            store.execute("EXPIRE", "a", "100");
            store.multi(tx -> {
                tx.strings().set("b", "2");
                tx.lists().rpush("l", "x");
            });
            store.execute("EVAL", "redis.call('set', KEYS[1], 'x'); redis.call('del', KEYS[2])", "2", "s1", "a");
            List<Change> c = readAll(store.changeFeed());
            assertEquals(6, c.size(), c.toString());
            assertEquals(5, c.get(5).batchFirst(), "a script is one batch: " + c);
            assertEquals(List.of("SET", "DEL"), List.of(c.get(4).command(), c.get(5).command()));
            assertEquals("SET", c.get(0).command());
            assertFalse(c.get(0).inBatch());
            assertEquals("PEXPIREAT", c.get(1).command(), "relative expiry propagated as absolute: " + c.get(1));
            assertTrue(c.get(2).inBatch() && !c.get(2).lastInBatch() && c.get(3).lastInBatch(), c.toString());
            assertEquals(3, c.get(3).batchFirst());
            assertEquals(4, c.get(2).batchLast());
            assertEquals("l", c.get(3).argString(1));
        }
    }

    @Test
    void aSlowSubscriberGetsOnlyWhatItRequestsAndNeverHoldsUpWriters() throws Exception {
        try (Store store = memoryStore()) {
            FeedProbe p = new FeedProbe();
            store.changeFeed().from(1).subscribe(p);
            p.request(1);
            store.strings().set("k0", "v");
            assertEquals(1, p.take().offset());
            // writers go on while the subscriber asks for nothing: they must not wait for it
            Thread[] writers = new Thread[4];
            for (int t = 0; t < writers.length; t++) {
                int id = t;
                writers[t] = new Thread(() -> {
                    for (int i = 0; i < 2500; i++) {
                        store.strings().set("w" + id + ":" + i, "v");
                    }
                });
                writers[t].start();
            }
            for (Thread w : writers) {
                w.join();
            }
            assertEquals(10_001, store.changeFeed().lastOffset());
            assertTrue(p.items.isEmpty(), "nothing beyond demand: " + p.items.size());
            for (long o = 2; o <= 10_001; o++) {
                p.request(1);
                assertEquals(o, p.take().offset());
            }
            assertTrue(p.items.isEmpty());
            p.assertClean();
        }
    }

    @Test
    void aNamedConsumerResumesAfterItsCommitAcrossARestart() throws Exception {
        long lastBefore;
        try (Store store = diskStore(AppendFsync.EVERYSEC)) {
            for (int i = 0; i < 100; i++) {
                store.strings().set("k" + i, "v" + i);
            }
            ChangeFeed feed = store.changeFeed();
            assertTrue(feed.durable());
            FeedProbe p = new FeedProbe();
            feed.consumer("indexer").subscribe(p);
            p.request(40);
            List<Change> got = p.takeThrough(40);
            assertContiguous(got, 1);
            feed.commit("indexer", 40);
            assertEquals(40, feed.committed("indexer"));
            lastBefore = feed.lastOffset();
            assertEquals(100, lastBefore);
        }
        try (Store store = diskStore(AppendFsync.EVERYSEC)) {
            ChangeFeed feed = store.changeFeed();
            assertEquals(40, feed.committed("indexer"));
            assertEquals(lastBefore, feed.lastOffset(), "offsets survive the restart");
            store.strings().set("after", "restart");
            assertEquals(lastBefore + 1, feed.lastOffset(), "offsets continue after the restart");
            FeedProbe p = new FeedProbe();
            feed.consumer("indexer").subscribe(p);
            p.request(Long.MAX_VALUE);
            List<Change> got = p.takeThrough(lastBefore + 1);
            assertContiguous(got, 41);
            assertEquals("k40", got.get(0).argString(1));
            assertEquals("after", got.get(got.size() - 1).argString(1));
            p.assertClean();
        }
    }

    @Test
    void aNewConsumerStartsAtTheOldestChangeAndCommitsAreChecked() throws Exception {
        try (Store store = memoryStore()) {
            store.strings().set("a", "1");
            ChangeFeed feed = store.changeFeed();
            assertEquals(0, feed.committed("x"));
            FeedProbe p = new FeedProbe();
            feed.consumer("x").subscribe(p);
            p.request(1);
            assertEquals(1, p.take().offset());
            assertThrows(IllegalArgumentException.class, () -> feed.commit("x", 2));
            assertThrows(IllegalArgumentException.class, () -> feed.commit("", 1));
            feed.commit("x", 1);
            assertEquals(java.util.Map.of("x", 1L), feed.consumers());
            feed.removeConsumer("x");
            assertEquals(0, feed.committed("x"));
        }
    }

    @Test
    void aTornTailIsCutBackToTheLastWholeBatch() throws Exception {
        long whole;
        try (Store store = diskStore(AppendFsync.ALWAYS)) {
            for (int i = 0; i < 20; i++) {
                store.strings().set("k" + i, "v" + i);
            }
            whole = store.changeFeed().lastOffset();
            store.multi(tx -> {
                tx.strings().set("m1", "x");
                tx.strings().set("m2", "y");
                tx.strings().set("m3", "z");
            });
            assertEquals(whole + 3, store.changeFeed().lastOffset());
        }
        Path seg = lastSegment();
        long size = Files.size(seg);
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
            ch.truncate(size - 7); // into the batch's last record
        }
        try (Store store = diskStore(AppendFsync.ALWAYS)) {
            ChangeFeed feed = store.changeFeed();
            assertEquals(whole, feed.lastOffset(), "the half-written batch is dropped whole");
            List<Change> changes = readAll(feed);
            assertContiguous(changes, 1);
            assertEquals(whole, changes.size());
            store.strings().set("next", "1");
            assertEquals(whole + 1, feed.lastOffset());
            List<Change> again = readAll(feed);
            assertEquals("next", again.get(again.size() - 1).argString(1));
        }
        // garbage after whole records (a torn header) is cut too
        Path seg2 = lastSegment();
        long size2 = Files.size(seg2);
        Files.write(seg2, new byte[] {0, 0, 1}, StandardOpenOption.APPEND);
        try (Store store = diskStore(AppendFsync.ALWAYS)) {
            assertEquals(whole + 1, store.changeFeed().lastOffset());
        }
        assertEquals(size2, Files.size(lastSegment()));
    }

    private Path lastSegment() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("changefeed"))) {
            return s.filter(p -> p.toString().endsWith(".seg")).sorted().reduce((a, b) -> b).orElseThrow();
        }
    }

    @Test
    void retentionDiscardsOldSegmentsAndSaysSo() throws Exception {
        try (Store store = Store.builder().dataDir(dir).changeFeed(true)
            .changeFeedSegmentBytes(1024).changeFeedRetentionBytes(4096).open()) {
            ChangeFeed feed = store.changeFeed();
            FeedProbe slow = new FeedProbe();
            feed.from(1).subscribe(slow);
            slow.request(1);
            for (int i = 0; i < 500; i++) {
                store.strings().set("key" + i, "value" + i);
            }
            assertEquals(1, slow.take().offset());
            assertTrue(feed.firstOffset() > 1, "old segments were deleted: first " + feed.firstOffset());
            assertTrue(feed.retainedBytes() <= 4096 + 1024, "retained " + feed.retainedBytes());
            try (Stream<Path> s = Files.list(dir.resolve("changefeed"))) {
                assertEquals(feed.segments(), s.filter(p -> p.toString().endsWith(".seg")).count());
            }
            // asking for a discarded offset
            FeedProbe late = new FeedProbe();
            feed.from(1).subscribe(late);
            OffsetDiscardedException e = assertInstanceOf(OffsetDiscardedException.class, late.awaitError());
            assertEquals(1, e.requested());
            assertEquals(feed.firstOffset(), e.firstAvailable());
            // the slow subscriber reaches the gap
            slow.request(Long.MAX_VALUE);
            assertInstanceOf(OffsetDiscardedException.class, slow.awaitError());
            // reading from the oldest retained offset works
            FeedProbe ok = new FeedProbe();
            feed.from(feed.firstOffset()).subscribe(ok);
            ok.request(Long.MAX_VALUE);
            assertContiguous(ok.takeThrough(500), feed.firstOffset());
            slow.assertClean();
            late.assertClean();
            ok.assertClean();
        }
    }

    @Test
    void theInMemoryFeedIsBoundedByRetention() throws Exception {
        try (Store store = Store.builder().changeFeed(true).changeFeedSegmentBytes(1024)
            .changeFeedRetentionBytes(8192).open()) {
            for (int i = 0; i < 2000; i++) {
                store.strings().set("key" + i, "value" + i);
            }
            ChangeFeed feed = store.changeFeed();
            assertFalse(feed.durable());
            assertTrue(feed.retainedBytes() <= 8192 + 1024, "retained " + feed.retainedBytes());
            assertEquals(2000, feed.lastOffset());
            FeedProbe p = new FeedProbe();
            feed.from(1).subscribe(p);
            assertInstanceOf(OffsetDiscardedException.class, p.awaitError());
        }
    }

    @Test
    void fromNowSkipsThePast() throws Exception {
        try (Store store = memoryStore()) {
            store.strings().set("old", "1");
            FeedProbe p = new FeedProbe();
            store.changeFeed().fromNow().subscribe(p);
            p.request(5);
            store.strings().set("new", "2");
            Change c = p.take();
            assertEquals(2, c.offset());
            assertEquals("new", c.argString(1));
        }
    }

    @Test
    void closingTheStoreCompletesSubscriptions() throws Exception {
        FeedProbe idle = new FeedProbe();
        FeedProbe busy = new FeedProbe();
        Store store = memoryStore();
        store.changeFeed().from(1).subscribe(idle);
        store.changeFeed().from(1).subscribe(busy);
        busy.request(Long.MAX_VALUE);
        store.strings().set("a", "1");
        assertEquals(1, busy.take().offset());
        store.close();
        idle.awaitComplete();
        busy.awaitComplete();
        idle.assertClean();
        busy.assertClean();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("redjar-changefeed")) {
                t.join(10_000);
                assertFalse(t.isAlive(), "feed thread left running after close: " + t.getName());
            }
        }
        FeedProbe after = new FeedProbe();
        store.changeFeed().from(1).subscribe(after);
        assertInstanceOf(IllegalStateException.class, after.awaitError());
    }

    @Test
    void badRequestsAndCancelEndTheSubscription() throws Exception {
        try (Store store = memoryStore()) {
            FeedProbe p = new FeedProbe();
            store.changeFeed().from(1).subscribe(p);
            p.request(0);
            assertInstanceOf(IllegalArgumentException.class, p.awaitError());
            FeedProbe c = new FeedProbe();
            store.changeFeed().from(1).subscribe(c);
            c.cancel();
            c.request(10);
            store.strings().set("a", "1");
            // a fresh subscriber sees the change: delivery works, so the cancelled one got none
            FeedProbe check = new FeedProbe();
            store.changeFeed().from(1).subscribe(check);
            check.request(1);
            assertEquals(1, check.take().offset());
            assertTrue(c.items.isEmpty());
            assertFalse(c.done.isDone());
        }
    }

    @Test
    void underAlwaysEveryAcknowledgedWriteIsInTheFeedAfterAReopen() throws Exception {
        Seeds.run("always feed", r -> {
            List<Change> before;
            try (Store store = diskStore(AppendFsync.ALWAYS)) {
                randomWrites(store, r, 300);
                before = readAll(store.changeFeed());
            }
            try (Store store = diskStore(AppendFsync.ALWAYS)) {
                assertEquals(before, readAll(store.changeFeed()));
            }
        });
    }

    /**
     * A crash under {@code always}: the feed's files are copied while writers keep going (the
     * copy may catch a record half-written); a store opened on the copy holds every change
     * acknowledged before the copy began, in order, and nothing that differs from the original.
     */
    @Test
    void aCrashUnderAlwaysKeepsEveryAcknowledgedChange(@TempDir Path crashed) {
        Seeds.run("crash copy", r -> {
            List<Change> original;
            long acknowledged;
            try (Store store = diskStore(AppendFsync.ALWAYS)) {
                randomWrites(store, r, 400);
                acknowledged = store.changeFeed().lastOffset();
                long seed = r.nextLong();
                java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
                Thread writer = new Thread(() -> {
                    Random wr = new Random(seed);
                    Session s = store.newSession();
                    while (!stop.get()) {
                        AofTestSupport.randomWrite(s, wr);
                    }
                });
                writer.start();
                try {
                    while (store.changeFeed().lastOffset() < acknowledged + 50) {
                        Thread.onSpinWait(); // let the writer get going: the copy races it
                    }
                    Path src = dir.resolve("changefeed");
                    Path dst = crashed.resolve("changefeed");
                    Files.createDirectories(dst);
                    try (Stream<Path> files = Files.list(src)) {
                        for (Path f : files.sorted().toList()) {
                            Files.copy(f, dst.resolve(f.getFileName()));
                        }
                    }
                } finally {
                    stop.set(true);
                    writer.join();
                }
                original = readAll(store.changeFeed());
            }
            try (Store store = Store.builder().dataDir(crashed).changeFeed(true).open()) {
                List<Change> recovered = readAll(store.changeFeed());
                assertTrue(recovered.size() >= acknowledged, recovered.size() + " < " + acknowledged);
                assertEquals(original.subList(0, recovered.size()), recovered);
            }
        });
    }

    /** Changes a crash lost (here: every segment) never give their offsets to new changes below a commit. */
    @Test
    void offsetsAreNotReusedBelowACommitAfterLostChanges() throws Exception {
        try (Store store = diskStore(AppendFsync.NO)) {
            for (int i = 0; i < 10; i++) {
                store.strings().set("k" + i, "v");
            }
            store.changeFeed().commit("c", 10);
        }
        try (Stream<Path> s = Files.list(dir.resolve("changefeed"))) {
            for (Path p : s.filter(p -> p.toString().endsWith(".seg")).toList()) {
                Files.delete(p);
            }
        }
        try (Store store = diskStore(AppendFsync.NO)) {
            ChangeFeed feed = store.changeFeed();
            assertEquals(10, feed.lastOffset());
            assertEquals(11, feed.firstOffset());
            store.strings().set("new", "1");
            FeedProbe p = new FeedProbe();
            feed.consumer("c").subscribe(p);
            p.request(1);
            Change c = p.take();
            assertEquals(11, c.offset());
            assertEquals("new", c.argString(1));
        }
    }

    /**
     * Subscribers with different demand patterns tail a durable feed across many segment rolls
     * while writers run: each sees the same contiguous sequence.
     */
    @Test
    void concurrentSubscribersTailTheFeedAcrossSegmentRolls() throws Exception {
        Seeds.run("tailing subscribers", r -> {
            try (Store store = Store.builder().dataDir(dir).changeFeed(true)
                .changeFeedSegmentBytes(2048).open()) {
                ChangeFeed feed = store.changeFeed();
                int[] steps = {1, 7, Integer.MAX_VALUE};
                List<FeedProbe> probes = new ArrayList<>();
                for (int step : steps) {
                    FeedProbe p = new FeedProbe();
                    feed.from(1).subscribe(p);
                    probes.add(p);
                }
                List<Thread> writers = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    long seed = r.nextLong();
                    Thread th = new Thread(() -> randomWrites(store, new Random(seed), 1500));
                    writers.add(th);
                    th.start();
                }
                // readers pull while the writers write
                List<List<Change>> seen = new ArrayList<>();
                for (int i = 0; i < steps.length; i++) {
                    seen.add(new ArrayList<>());
                }
                boolean writing = true;
                while (writing || seen.stream().anyMatch(l -> l.isEmpty() || l.get(l.size() - 1).offset() < feed.lastOffset())) {
                    writing = writers.stream().anyMatch(Thread::isAlive);
                    for (int i = 0; i < steps.length; i++) {
                        FeedProbe p = probes.get(i);
                        List<Change> l = seen.get(i);
                        long target = feed.lastOffset();
                        if (target == 0 || (!l.isEmpty() && l.get(l.size() - 1).offset() >= target)) {
                            continue;
                        }
                        long have = l.isEmpty() ? 0 : l.get(l.size() - 1).offset();
                        long want = Math.min(steps[i], target - have);
                        p.request(want);
                        for (long k = 0; k < want; k++) {
                            l.add(p.take());
                        }
                    }
                }
                for (Thread th : writers) {
                    th.join();
                }
                assertTrue(feed.segments() > 5, "rolled: " + feed.segments());
                List<Change> all = readAll(feed);
                for (int i = 0; i < steps.length; i++) {
                    assertEquals(all, seen.get(i), "subscriber " + i + " (step " + steps[i] + ")");
                    probes.get(i).assertClean();
                }
            }
        });
    }

    /** Starting anywhere inside a large segment (through its sparse index) gives exactly that change on. */
    @Test
    void subscribingFromAnyOffsetStartsExactlyThere() {
        Seeds.run("from offsets", r -> {
            try (Store store = diskStore(AppendFsync.NO)) {
                String big = "x".repeat(200);
                for (int i = 1; i <= 3000; i++) {
                    if (i % 50 == 0) {
                        store.multi(tx -> {
                            tx.strings().set("m1", big);
                            tx.strings().set("m2", big);
                        });
                    } else {
                        store.strings().set("k" + i, big);
                    }
                }
                ChangeFeed feed = store.changeFeed();
                assertEquals(1, feed.segments());
                assertTrue(feed.retainedBytes() > 10 * 64 * 1024, "several index entries: " + feed.retainedBytes());
                for (int t = 0; t < 20; t++) {
                    long from = 1 + r.nextInt((int) feed.lastOffset());
                    FeedProbe p = new FeedProbe();
                    feed.from(from).subscribe(p);
                    p.request(2);
                    assertEquals(from, p.take().offset());
                    if (from < feed.lastOffset()) {
                        assertEquals(from + 1, p.take().offset());
                    }
                    p.cancel();
                    p.assertClean();
                }
            }
        });
    }

    @Test
    void theFeedIsOffUnlessEnabled() {
        try (Store store = Store.open()) {
            assertThrows(IllegalStateException.class, store::changeFeed);
        }
        assertThrows(IllegalArgumentException.class, () -> Store.builder().changeFeedSegmentBytes(10));
        assertThrows(IllegalArgumentException.class, () -> Store.builder().changeFeedRetentionBytes(0));
    }

    @Test
    void writersAcrossThreadsGetDistinctOrderedOffsets() throws Exception {
        try (Store store = memoryStore()) {
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int id = t;
                Thread th = new Thread(() -> {
                    for (int i = 0; i < 500; i++) {
                        store.strings().incr("counter" + (i % 3));
                        store.strings().set("t" + id, Integer.toString(i));
                    }
                });
                ts.add(th);
                th.start();
            }
            for (Thread th : ts) {
                th.join();
            }
            List<Change> all = readAll(store.changeFeed());
            assertContiguous(all, 1);
            assertEquals(4000, all.size());
            try (Store copy = Store.open()) {
                replay(copy, all);
                AofTestSupport.assertSameContents(AofTestSupport.contents(store, 1), AofTestSupport.contents(copy, 1));
            }
        }
    }
}
