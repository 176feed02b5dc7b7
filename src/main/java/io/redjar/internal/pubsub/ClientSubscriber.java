package io.redjar.internal.pubsub;

import io.redjar.internal.server.ClientState;
import io.redjar.spi.Peer;

import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A network client as a subscriber: each message is encoded for the client's protocol and
 * written through its {@link Peer} (queued behind what the connection already has). Before each
 * write it applies {@code client-output-buffer-limit pubsub} to what the peer still has queued
 * ({@link Peer#queuedBytes()}): over the hard limit, or over the soft limit for longer than its
 * seconds, the client is closed (asynchronously, as Redis's {@code freeClientAsync}) and gets no
 * more messages; the publisher never waits.
 *
 * <p><b>Thread-safety:</b> {@link #deliver} runs on publishers' threads, concurrently; the
 * cut-off state is volatile.
 */
public final class ClientSubscriber extends Subscriber {
    private final ClientState client;
    private final Supplier<OutputLimit> limit;
    private final LongSupplier nanoClock;
    private volatile boolean cut;
    private volatile long softSince = -1;

    /**
     * @param client    the network client (with a peer)
     * @param limit     the current pub/sub output limit (CONFIG SET changes it)
     * @param nanoClock monotonic nanoseconds, for the soft limit
     */
    public ClientSubscriber(ClientState client, Supplier<OutputLimit> limit, LongSupplier nanoClock) {
        this.client = client;
        this.limit = limit;
        this.nanoClock = nanoClock;
    }

    /** @return the client */
    public ClientState client() {
        return client;
    }

    @Override
    void counts(int channels, int patterns, int shards) {
        client.subscriptions(channels, patterns, shards);
    }

    /** @return whether the client was cut off for exceeding the output limit */
    public boolean cut() {
        return cut;
    }

    @Override
    void deliver(Kind kind, byte[] pattern, byte[] channel, byte[] message) {
        Peer p = client.peer();
        if (cut || p == null) {
            return;
        }
        sendFrame(PushFrames.message(client.protocol(), kind, pattern, channel, message));
    }

    /**
     * Writes an already encoded frame to the client under the same output limit as its messages
     * (client tracking's invalidations to a subscribed redirection client); nothing once it was
     * cut off. Never blocks.
     */
    public void sendFrame(byte[] frame) {
        Peer p = client.peer();
        if (cut || p == null) {
            return;
        }
        if (overLimit(p.queuedBytes() + frame.length)) {
            cut = true;
            p.close(true); // never waits: the publisher goes on
            return;
        }
        p.send(frame);
    }

    private boolean overLimit(long used) {
        OutputLimit l = limit.get();
        if (l.hard() > 0 && used >= l.hard()) {
            return true;
        }
        if (l.soft() > 0 && used >= l.soft()) {
            long now = nanoClock.getAsLong();
            long since = softSince;
            if (since < 0) {
                softSince = now;
                return false;
            }
            return (now - since) / 1_000_000_000L > l.softSeconds(); // Redis: elapsed > soft seconds
        }
        softSince = -1;
        return false;
    }
}
