package io.redjar.internal.feed;

import io.redjar.AppendFsync;
import io.redjar.internal.persistence.aof.FaultyFile;
import io.redjar.internal.propagation.PropagationBus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A segment write that fails (a full disk, with a partial write first): under {@code always} the
 * round's writer is told (MISCONF) and nothing becomes visible; once the disk has room the kept
 * bytes are written again at the same place and every change is there, once, in order.
 */
class FeedWriteFailureTest {
    @TempDir
    Path dir;

    /** A bus over one lock, as the keyspace's shard locks would be. */
    private static PropagationBus bus() {
        ReentrantLock world = new ReentrantLock();
        return new PropagationBus(new PropagationBus.Quiescence() {
            @Override
            public void lockAll() {
                world.lock();
            }

            @Override
            public void unlockAll() {
                world.unlock();
            }

            @Override
            public boolean heldByCurrentThread() {
                return world.isHeldByCurrentThread();
            }
        });
    }

    private static byte[][] set(String k) {
        return new byte[][] {"SET".getBytes(StandardCharsets.US_ASCII), k.getBytes(StandardCharsets.US_ASCII),
            "v".getBytes(StandardCharsets.US_ASCII)};
    }

    @Test
    void aFailedWriteFailsItsWritersUnderAlwaysAndIsRewrittenLater() throws Exception {
        FaultyFile.Faults faults = new FaultyFile.Faults();
        PropagationBus bus = bus();
        FeedService feed = FeedService.open(new FeedService.Settings(dir, 1 << 20, 1 << 30, AppendFsync.ALWAYS), bus,
            faults.opener());
        try {
            bus.append(0, set("a"));
            assertNull(bus.takeFailure());
            faults.full = true;
            bus.append(0, set("b"));
            assertEquals("MISCONF Errors writing to the change feed: No space left on device", bus.takeFailure());
            assertEquals(1, feed.lastOffset(), "the failed round is not visible");
            faults.full = false;
            bus.append(0, set("c"));
            assertNull(bus.takeFailure());
            assertEquals(3, feed.lastOffset());
            LinkedBlockingQueue<FeedRecord> got = new LinkedBlockingQueue<>();
            feed.subscribe(new Flow.Subscriber<FeedRecord>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    s.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(FeedRecord r) {
                    got.add(r);
                }

                @Override
                public void onError(Throwable t) {
                    throw new AssertionError(t);
                }

                @Override
                public void onComplete() {
                }
            }, () -> 1, r -> r);
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                FeedRecord r = got.poll(10, TimeUnit.SECONDS);
                assertNotNull(r);
                assertEquals(i + 1, r.offset());
                keys.add(new String(r.argv()[1], StandardCharsets.US_ASCII));
            }
            assertEquals(List.of("a", "b", "c"), keys);
        } finally {
            feed.close();
        }
        // and the file holds exactly those records (the partial write was overwritten)
        PropagationBus bus2 = bus();
        FeedService again = FeedService.open(new FeedService.Settings(dir, 1 << 20, 1 << 30, AppendFsync.ALWAYS), bus2);
        try {
            assertEquals(3, again.lastOffset());
            assertTrue(again.bytes() > 0);
        } finally {
            again.close();
        }
    }
}
