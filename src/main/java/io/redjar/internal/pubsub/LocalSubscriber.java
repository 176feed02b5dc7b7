package io.redjar.internal.pubsub;

import java.util.ArrayDeque;
import java.util.function.Supplier;

/**
 * An in-process subscriber ({@code store.pubsub().subscribe(...)}): messages go into its own
 * queue and are handed to its {@link Listener} on its {@link DeliveryLanes} lane, one at a time, in
 * arrival order, with no lock held, in batches of at most {@value #BATCH} before the lane's next
 * subscriber gets its turn. The queue is bounded by the pub/sub hard output
 * limit (bytes of channel, pattern and message): a subscriber that falls that far behind is
 * cancelled (its subscriptions removed, its queue dropped) and its listener told, the in-process
 * counterpart of Redis disconnecting a slow pub/sub client.
 *
 * <p><b>Thread-safety:</b> thread-safe; the queue is guarded by this object's monitor, the
 * listener runs on one delivery task at a time.
 */
public final class LocalSubscriber extends Subscriber implements DeliveryLanes.Task {
    /** What an in-process subscription is told. Runs on a delivery thread. */
    public interface Listener {
        /** One message; {@code pattern} is null unless it came through a pattern subscription. */
        void message(byte[] pattern, byte[] channel, byte[] message);

        /** The subscription was cancelled by the store ({@code reason}); no message follows. */
        void cancelled(String reason);
    }

    private static final Object CANCELLED = new Object();
    static final int BATCH = 64;

    private final PubSubRegistry registry;
    private final DeliveryLanes.Lane lane;
    private final Supplier<OutputLimit> limit;
    private final Listener listener;
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean draining;
    private boolean closed;
    private String cancelReason;

    LocalSubscriber(PubSubRegistry registry, DeliveryLanes.Lane lane, Supplier<OutputLimit> limit, Listener listener) {
        this.registry = registry;
        this.lane = lane;
        this.limit = limit;
        this.listener = listener;
    }

    /** @return whether it still receives messages */
    public synchronized boolean active() {
        return !closed;
    }

    /** Ends the subscription (by its owner): no message is delivered after this returns... except one already being handed over. */
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            queue.clear();
            queuedBytes = 0;
        }
        registry.leaveAll(this);
    }

    @Override
    void deliver(Kind kind, byte[] pattern, byte[] channel, byte[] message) {
        boolean cancel = false;
        synchronized (this) {
            if (closed) {
                return;
            }
            long size = channel.length + message.length + (pattern == null ? 0 : pattern.length);
            long hard = limit.get().hard();
            if (hard > 0 && queuedBytes + size >= hard) {
                closed = true;
                cancel = true;
                queue.clear();
                queuedBytes = 0;
                cancelReason = "client-output-buffer-limit pubsub: the listener fell " + hard + " bytes behind";
                queue.add(CANCELLED);
            } else {
                queue.add(new byte[][] {pattern, channel, message});
                queuedBytes += size;
            }
            if (!draining) {
                draining = true;
                lane.schedule(this);
            }
        }
        if (cancel) {
            registry.leaveAll(this);
        }
    }

    @Override
    public boolean runSome() {
        for (int i = 0; i < BATCH; i++) {
            Object next;
            synchronized (this) {
                next = queue.poll();
                if (next == null) {
                    draining = false;
                    return false;
                }
                if (next != CANCELLED) {
                    byte[][] m = (byte[][]) next;
                    queuedBytes -= m[1].length + m[2].length + (m[0] == null ? 0 : m[0].length);
                }
            }
            try {
                if (next == CANCELLED) {
                    listener.cancelled(cancelReason);
                } else {
                    byte[][] m = (byte[][]) next;
                    listener.message(m[0], m[1], m[2]);
                }
            } catch (RuntimeException | Error e) {
                // a listener's failure is its own: the next message is still delivered
                Thread t = Thread.currentThread();
                t.getUncaughtExceptionHandler().uncaughtException(t, e);
            }
        }
        return true;
    }
}
