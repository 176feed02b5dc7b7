package io.redjar;

import io.redjar.internal.pubsub.LocalSubscriber;

/**
 * An in-process subscription made by {@link PubSub#subscribe} or {@link PubSub#psubscribe}.
 * Closing it removes every channel or pattern it listens to; a message already being handed to
 * the listener may still arrive during {@link #close()}, none after.
 *
 * <p><b>Thread-safety:</b> thread-safe.
 */
public final class Subscription implements AutoCloseable {
    private final LocalSubscriber subscriber;

    Subscription(LocalSubscriber subscriber) {
        this.subscriber = subscriber;
    }

    /** @return whether it still receives messages (false once closed or cancelled) */
    public boolean isActive() {
        return subscriber.active();
    }

    /** Ends the subscription. Idempotent. */
    @Override
    public void close() {
        subscriber.close();
    }
}
