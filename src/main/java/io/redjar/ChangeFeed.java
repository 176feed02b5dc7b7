package io.redjar;

import io.redjar.internal.feed.FeedRecord;
import io.redjar.internal.feed.FeedService;
import io.redjar.internal.propagation.PropagationBus;
import io.redjar.internal.util.Preconditions;

import java.util.Map;
import java.util.concurrent.Flow;
import java.util.function.LongSupplier;

/**
 * The store's change feed: every write's effect on the keyspace, in order, as numbered
 * {@link Change}s, readable from any retained offset as a {@link Flow.Publisher} with
 * backpressure. Enabled with {@link Store.Builder#changeFeed(boolean)}; see
 * {@code docs/change-feed.md}.
 *
 * <pre>{@code
 * try (Store store = Store.builder().changeFeed(true).open()) {
 *     store.strings().set("a", "1");
 *     store.changeFeed().from(1).subscribe(subscriber);   // SET a 1, then every later change
 * }
 * }</pre>
 *
 * <ul>
 *   <li><b>What.</b> The effects the store propagates (what the append-only file logs and a
 *       replica would apply: {@code SET k v PXAT <ms>} for a relative expire, {@code DEL} for an
 *       expired key, ...), each with its database and its batch (see {@link Change}). Changes
 *       made while the store loads its data set at open are not in the feed.</li>
 *   <li><b>Offsets</b> start at 1 and increase by one per change. A durable feed (the store has a
 *       {@link Store.Builder#dataDir data directory}) keeps them across restarts; an in-memory
 *       feed starts again at 1 with each store. After a crash under {@code everysec} or
 *       {@code no}, the last changes may be lost; their offsets are then reused, except that
 *       offsets are never reused below a named consumer's commit.</li>
 *   <li><b>Subscribing.</b> {@link #from(long)}, {@link #fromNow()} and {@link #consumer(String)}
 *       return cold publishers: each {@code subscribe} starts a new, independent subscription,
 *       with its start offset fixed at that call. Nothing is delivered beyond what was
 *       {@code request}ed, and nothing is buffered for a slow subscriber (it reads the feed's
 *       retained segments at its own pace), so subscribers never slow down writers. Signals of
 *       one subscription come from one thread at a time, from the feed's delivery threads.</li>
 *   <li><b>Named consumers</b> resume after the offset they {@link #commit committed}: after a
 *       restart of a durable feed every change after the commit is delivered again
 *       (at-least-once). A name that never committed starts at the oldest retained change.</li>
 *   <li><b>Retention</b> deletes whole segments, oldest first, once the feed holds more than
 *       {@link Store.Builder#changeFeedRetentionBytes} bytes, whether or not a consumer read them:
 *       a subscription that needs a discarded change ends with {@link OffsetDiscardedException}
 *       through {@code onError}.</li>
 *   <li><b>Close.</b> Closing the store writes and syncs the feed, ends every subscription with
 *       {@code onComplete} (changes it did not request yet are not delivered: resume them by
 *       offset after reopening a durable feed) and stops the feed's threads.</li>
 * </ul>
 *
 * <p><b>Thread-safety:</b> thread-safe.
 */
public final class ChangeFeed {
    private final FeedService service;

    private ChangeFeed(FeedService service) {
        this.service = service;
    }

    /** Opens the feed of a store (the store calls this once, after its data set is loaded). */
    static ChangeFeed open(Settings s, java.nio.file.Path dataDir, AppendFsync storeFsync, PropagationBus bus) {
        boolean disk = dataDir != null;
        long segment = s.segmentBytes > 0 ? s.segmentBytes : disk ? 64L << 20 : 1L << 20;
        long retention = s.retentionBytes > 0 ? s.retentionBytes : disk ? 1L << 30 : 64L << 20;
        AppendFsync fsync = s.fsync != null ? s.fsync : storeFsync;
        return new ChangeFeed(FeedService.open(new FeedService.Settings(dataDir, segment, retention, fsync), bus));
    }

    /** The builder's change-feed settings (0 / null: the default). */
    static final class Settings {
        boolean enabled;
        long segmentBytes;
        long retentionBytes;
        AppendFsync fsync;
    }

    /**
     * @param offset the first offset wanted (1 or less: from the oldest retained change)
     * @return a publisher of the changes from {@code offset} on; a subscriber gets
     *         {@link OffsetDiscardedException} if {@code offset} is older than the oldest retained
     */
    public Flow.Publisher<Change> from(long offset) {
        return publisher(() -> offset < 1 ? service.firstOffset() : offset);
    }

    /** @return a publisher of the changes made after each subscribe call */
    public Flow.Publisher<Change> fromNow() {
        return publisher(() -> service.lastOffset() + 1);
    }

    /**
     * @param name the consumer's name (any non-empty string)
     * @return a publisher of the changes after {@code name}'s committed offset (from the oldest
     *         retained change if it never committed), read at each subscribe call
     */
    public Flow.Publisher<Change> consumer(String name) {
        checkName(name);
        return publisher(() -> service.resumeOffset(name));
    }

    /**
     * Records that consumer {@code name} has processed every change up to {@code offset}
     * (inclusive): {@link #consumer(String)} resumes after it. Durable before it returns when the
     * feed is (the consumer file is rewritten and synced: commit per batch of work, not per
     * change, if that matters). A lower offset than before rewinds the consumer.
     *
     * @throws IllegalArgumentException if {@code offset} is negative or after the last change
     * @throws java.io.UncheckedIOException if the commit cannot be written
     * @throws IllegalStateException once the store is closed
     */
    public void commit(String name, long offset) {
        checkName(name);
        service.commit(name, offset);
    }

    /** @return the offset {@code name} last committed, 0 if it never did */
    public long committed(String name) {
        checkName(name);
        return service.committed(name);
    }

    /** Forgets consumer {@code name} (its next subscription starts at the oldest retained change). */
    public void removeConsumer(String name) {
        checkName(name);
        service.remove(name);
    }

    /** @return every named consumer's committed offset, by name */
    public Map<String, Long> consumers() {
        return service.consumers();
    }

    /** @return the oldest offset still retained ({@link #lastOffset()} + 1 when none is) */
    public long firstOffset() {
        return service.firstOffset();
    }

    /** @return the offset of the newest change readable (0 before the first) */
    public long lastOffset() {
        return service.lastOffset();
    }

    /** @return whether the feed is stored on disk (the store has a data directory) */
    public boolean durable() {
        return service.durable();
    }

    /** @return bytes retained */
    public long retainedBytes() {
        return service.bytes();
    }

    /** @return segments retained */
    public int segments() {
        return service.segments();
    }

    void close() {
        service.close();
    }

    private static void checkName(String name) {
        Preconditions.notNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a consumer name must not be empty");
        }
    }

    private Flow.Publisher<Change> publisher(LongSupplier start) {
        return subscriber -> service.subscribe(subscriber, start, ChangeFeed::change);
    }

    private static Change change(FeedRecord r) {
        return Change.owned(r.offset(), r.db(), r.argv(), r.batchFirst(), r.batchLast());
    }
}
