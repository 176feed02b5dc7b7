package io.redjar;

/**
 * Receives the messages of one {@link Subscription}. It runs on a store delivery thread, one
 * message at a time, in the order each publisher published, never while the store holds a lock:
 * it may call the store (even publish). A slow listener does not slow publishers: its messages
 * queue up to the {@code client-output-buffer-limit pubsub} hard limit (bytes), beyond which the
 * subscription is cancelled and {@link #onCancelled} is called.
 */
@FunctionalInterface
public interface MessageListener {
    /** One message. An exception it throws goes to the thread's uncaught-exception handler; delivery goes on. */
    void onMessage(PubSubMessage message);

    /**
     * The store cancelled the subscription (the listener fell behind by more than the pub/sub
     * output limit); no message follows. Not called for {@link Subscription#close()}.
     *
     * @param reason why
     */
    default void onCancelled(String reason) {
    }
}
