package io.redjar;

import io.redjar.internal.util.Preconditions;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A consumer-group worker with at-least-once delivery: each {@link #poll()} first takes over
 * entries that other consumers of the group left pending for longer than the claim threshold
 * ({@code XAUTOCLAIM}, continuing its cursor across polls, so a consumer that died mid-work does
 * not strand its entries), then reads new entries ({@code XREADGROUP ... >}, optionally
 * blocking), hands every entry to the handler and acknowledges it ({@code XACK}) only after the
 * handler returned normally. An entry whose handler throws stays pending: it is redelivered to
 * whichever worker claims it once it has been idle long enough. Entries deleted from the stream
 * while pending are dropped from the group by the claim (Redis 7.0's XAUTOCLAIM), not handled.
 *
 * <pre>{@code
 * StreamWorker w = StreamWorker.builder(store.streams(), "orders", "billing", "worker-1")
 *     .handler(e -> bill(e.fields()))
 *     .batch(10).block(Duration.ofMillis(200)).claimIdle(Duration.ofSeconds(30))
 *     .build();
 * w.createGroupIfMissing();
 * while (running) {
 *     w.poll();
 * }
 * }</pre>
 *
 * <p>Idle times are measured by the store's clock (Redis's delivery times), so a test with a
 * {@link ManualClock} decides exactly when an entry may be claimed.
 *
 * <p><b>Thread-safety:</b> not thread-safe: one worker per thread (give each its own consumer
 * name); many workers may share a group.
 */
public final class StreamWorker {
    private final Streams streams;
    private final String key;
    private final String group;
    private final String consumer;
    private final Consumer<Streams.Entry> handler;
    private final long batch;
    private final Duration block;
    private final Duration claimIdle;
    private String claimCursor = "0-0";
    private long handled;
    private long failed;

    private StreamWorker(Builder b) {
        this.streams = b.streams;
        this.key = b.key;
        this.group = b.group;
        this.consumer = b.consumer;
        this.handler = Objects.requireNonNull(b.handler, "handler");
        this.batch = b.batch;
        this.block = b.block;
        this.claimIdle = b.claimIdle;
    }

    /** Starts a worker for {@code consumer} in {@code group} of the stream at {@code key}. */
    public static Builder builder(Streams streams, String key, String group, String consumer) {
        return new Builder(Preconditions.notNull(streams, "streams"), Preconditions.notNull(key, "key"),
            Preconditions.notNull(group, "group"), Preconditions.notNull(consumer, "consumer"));
    }

    /** Options of a {@link StreamWorker}. */
    public static final class Builder {
        private final Streams streams;
        private final String key;
        private final String group;
        private final String consumer;
        private Consumer<Streams.Entry> handler;
        private long batch = 10;
        private Duration block;
        private Duration claimIdle = Duration.ofSeconds(60);

        private Builder(Streams streams, String key, String group, String consumer) {
            this.streams = streams;
            this.key = key;
            this.group = group;
            this.consumer = consumer;
        }

        /** What to do with each entry; throwing leaves the entry pending (it will be redelivered). */
        public Builder handler(Consumer<Streams.Entry> handler) {
            this.handler = Preconditions.notNull(handler, "handler");
            return this;
        }

        /** At most this many entries per read and per claim (default 10). */
        public Builder batch(long n) {
            if (n < 1) {
                throw new IllegalArgumentException("batch < 1");
            }
            this.batch = n;
            return this;
        }

        /** How long a poll waits for new entries (null, the default: not at all; ZERO: forever). */
        public Builder block(Duration block) {
            this.block = block;
            return this;
        }

        /** Entries pending longer than this (by the store's clock) are claimed from other consumers (default 60 s). */
        public Builder claimIdle(Duration idle) {
            this.claimIdle = Preconditions.notNull(idle, "idle");
            return this;
        }

        public StreamWorker build() {
            return new StreamWorker(this);
        }
    }

    /** Creates the group at the stream's start (and the stream) if missing. @return whether it was created */
    public boolean createGroupIfMissing() {
        return streams.createGroup(key, group, "0", true);
    }

    /**
     * One round: claim stale entries, read new ones, handle and acknowledge each.
     *
     * @return the number of entries handled successfully (acknowledged) in this round
     */
    public int poll() {
        int done = 0;
        Streams.AutoClaim c = streams.autoClaim(key, group, consumer, claimIdle, claimCursor, batch);
        claimCursor = c.cursor();
        done += handle(c.claimed());
        done += handle(streams.readGroup(key, group, consumer, batch, block));
        return done;
    }

    private int handle(List<Streams.Entry> entries) {
        int done = 0;
        for (Streams.Entry e : entries) {
            if (e.fields() == null) {
                continue; // deleted while pending: nothing to handle
            }
            try {
                handler.accept(e);
            } catch (RuntimeException ex) {
                failed++;
                continue; // stays pending: redelivered after claimIdle
            }
            if (streams.ack(key, group, e.id()) == 1) {
                done++;
                handled++;
            }
        }
        return done;
    }

    /** @return entries this worker handled and acknowledged so far */
    public long handled() {
        return handled;
    }

    /** @return handler failures so far (each left its entry pending) */
    public long failed() {
        return failed;
    }

    /** @return this worker's consumer name */
    public String consumer() {
        return consumer;
    }
}
