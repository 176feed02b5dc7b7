package io.redjar.internal.feed;

import io.redjar.AppendFsync;
import io.redjar.OffsetDiscardedException;
import io.redjar.internal.persistence.aof.AofFile;
import io.redjar.internal.propagation.PropagationBus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The change feed of one store, composed: the {@link FeedLog} (disk or memory), its
 * {@link FeedWriter} on the propagation bus, the named consumers' {@link ConsumerOffsets}, the
 * live {@link FeedSubscription}s and the threads they run on.
 *
 * <p><b>Threads.</b> Subscriptions deliver on a cached pool of daemon threads
 * ({@code redjar-changefeed-N}; one busy thread per subscription that has demand and records to
 * read, none while idle), so a slow subscriber holds up nobody else. Under {@code everysec} one
 * more daemon thread forces the active segment once a second. {@link #close()} stops both,
 * waiting up to five seconds for an {@code onNext} in progress.
 *
 * <p><b>Thread-safety:</b> thread-safe. {@link #open} and {@link #close} are called once each by
 * the store; the rest from any thread.
 */
public final class FeedService implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.redjar");
    /** The directory under the store's data directory. */
    public static final String DIR = "changefeed";

    /**
     * @param dir            the store's data directory, or null for an in-memory feed
     * @param segmentBytes   a segment is rolled once it holds this many bytes
     * @param retentionBytes older segments are deleted while the feed holds more than this
     * @param fsync          when segments are forced to disk
     */
    public record Settings(Path dir, long segmentBytes, long retentionBytes, AppendFsync fsync) {
    }

    private final PropagationBus bus;
    private final FeedLog log;
    private final FeedWriter writer;
    private final ConsumerOffsets offsets;
    private final boolean durable;
    private final Set<FeedSubscription<?>> subscriptions = ConcurrentHashMap.newKeySet();
    private final ExecutorService delivery;
    private final ScheduledExecutorService syncer;
    private volatile boolean closed;

    private FeedService(PropagationBus bus, FeedLog log, ConsumerOffsets offsets, AppendFsync fsync, boolean durable) {
        this.bus = bus;
        this.log = log;
        this.offsets = offsets;
        this.durable = durable;
        this.writer = new FeedWriter(log, durable ? fsync : AppendFsync.NO, this::signalAll);
        this.delivery = Executors.newCachedThreadPool(threads("redjar-changefeed-"));
        if (durable && fsync == AppendFsync.EVERYSEC) {
            syncer = Executors.newSingleThreadScheduledExecutor(threads("redjar-changefeed-fsync-"));
            syncer.scheduleWithFixedDelay(writer::fsyncTick, 1, 1, TimeUnit.SECONDS);
        } else {
            syncer = null;
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Opens the feed (recovering a durable one) and registers its writer on {@code bus}: it sees
     * every effect sequenced from now on.
     *
     * @throws UncheckedIOException if the feed's files cannot be read or created
     */
    public static FeedService open(Settings s, PropagationBus bus) {
        return open(s, bus, AofFile.Opener.NIO);
    }

    /** {@link #open(Settings, PropagationBus)} writing segment files through {@code opener} (tests). */
    static FeedService open(Settings s, PropagationBus bus, AofFile.Opener opener) {
        try {
            FeedService f;
            if (s.dir() != null) {
                Path dir = s.dir().resolve(DIR);
                java.nio.file.Files.createDirectories(dir);
                ConsumerOffsets offsets = ConsumerOffsets.load(dir);
                FeedLog log = FeedLog.open(dir, s.segmentBytes(), s.retentionBytes(), offsets.max(), opener);
                f = new FeedService(bus, log, offsets, s.fsync(), true);
            } else {
                f = new FeedService(bus, FeedLog.memory(s.segmentBytes(), s.retentionBytes()), ConsumerOffsets.memory(),
                    AppendFsync.NO, false);
            }
            bus.addConsumer(f.writer);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the change feed in " + s.dir() + ": " + e.getMessage(), e);
        }
    }

    /** @return whether the feed is on disk */
    public boolean durable() {
        return durable;
    }

    /** @return the oldest offset held */
    public long firstOffset() {
        return log.firstOffset();
    }

    /** @return the offset of the last change readable */
    public long lastOffset() {
        return log.lastOffset();
    }

    /** @return bytes held (segments) */
    public long bytes() {
        return log.bytes();
    }

    /** @return segments held */
    public int segments() {
        return log.segmentCount();
    }

    /** @return the named consumers' committed offsets */
    public Map<String, Long> consumers() {
        return offsets.all();
    }

    /** @return {@code name}'s committed offset, 0 if it never committed */
    public long committed(String name) {
        return offsets.get(name);
    }

    /**
     * Commits {@code name}'s offset (durably, for a durable feed, before returning).
     *
     * @throws IllegalArgumentException if {@code offset} is negative or after the last change
     * @throws UncheckedIOException     if the consumer file cannot be written
     */
    public void commit(String name, long offset) {
        if (offset < 0 || offset > writer.lastAssigned()) {
            throw new IllegalArgumentException("offset " + offset + " is not in 0.." + writer.lastAssigned());
        }
        update(name, offset);
    }

    /** Forgets {@code name}'s committed offset. */
    public void remove(String name) {
        update(name, -1);
    }

    private void update(String name, long offset) {
        if (closed) {
            throw new IllegalStateException("the store is closed");
        }
        try {
            offsets.set(name, offset);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the change feed consumer offsets: " + e.getMessage(), e);
        }
    }

    /** @return the start offset of named consumer {@code name}: after its commit, else the oldest held */
    public long resumeOffset(String name) {
        return offsets.contains(name) ? offsets.get(name) + 1 : log.firstOffset();
    }

    /**
     * Starts a subscription: {@code start} is asked (at this call) for the first offset wanted.
     * An offset already discarded, or a closed feed, ends the subscription with {@code onError}
     * right after {@code onSubscribe}.
     */
    public <T> void subscribe(Flow.Subscriber<? super T> s, LongSupplier start, Function<FeedRecord, T> map) {
        Objects.requireNonNull(s, "subscriber"); // Reactive Streams rule 1.9
        if (closed) {
            reject(s, new IllegalStateException("the store is closed"));
            return;
        }
        long from;
        try {
            from = Math.max(1, start.getAsLong());
        } catch (RuntimeException e) {
            reject(s, e);
            return;
        }
        if (from < log.firstOffset()) {
            reject(s, new OffsetDiscardedException(from, log.firstOffset()));
            return;
        }
        FeedSubscription<T> sub = new FeedSubscription<>(s, new FeedReader(log, from), map, delivery,
            () -> closed, subscriptions::remove);
        subscriptions.add(sub);
        s.onSubscribe(sub);
        sub.start(); // requests made inside onSubscribe are served from here on
    }

    private static void reject(Flow.Subscriber<?> s, Throwable why) {
        s.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
            }

            @Override
            public void cancel() {
            }
        });
        s.onError(why);
    }

    /** @return how many subscriptions are live */
    public int subscriptionCount() {
        return subscriptions.size();
    }

    private void signalAll() {
        for (FeedSubscription<?> s : subscriptions) {
            s.signal();
        }
    }

    /**
     * Delivers what the bus still holds, writes and forces the feed, ends every subscription with
     * {@code onComplete} and stops the feed's threads. Call before the store's engine closes.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            bus.drain();
            bus.removeConsumer(writer);
        } catch (IllegalStateException e) {
            // the store is already closing: the writer sees nothing more anyway
        }
        String err = writer.close();
        if (err != null) {
            LOG.log(System.Logger.Level.WARNING, "change feed: the last changes could not be written at close: " + err);
        }
        try {
            log.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "change feed: closing the log failed: " + e.getMessage());
        }
        closed = true;
        signalAll();
        delivery.shutdown();
        if (syncer != null) {
            syncer.shutdownNow();
        }
        try {
            if (!delivery.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "change feed: a subscriber's onNext did not return within 5 s of close");
                delivery.shutdownNow();
            }
            if (syncer != null) {
                syncer.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
