package io.redjar;

import io.redjar.internal.Engine;
import io.redjar.internal.command.CallPath;
import io.redjar.internal.pubsub.Kind;
import io.redjar.internal.pubsub.LocalSubscriber;
import io.redjar.internal.pubsub.PubSubRegistry;
import io.redjar.internal.util.Preconditions;

import java.nio.charset.StandardCharsets;

/**
 * Publish/subscribe for in-process code ({@code store.pubsub()}), on the same channels as RESP
 * clients' PUBLISH and SUBSCRIBE: a message published here reaches network subscribers, and one
 * a client publishes reaches the listeners here.
 *
 * <pre>{@code
 * try (Subscription s = store.pubsub().subscribe(m -> System.out.println(m.messageAsString()), "news")) {
 *     long receivers = store.pubsub().publish("news", "hello");
 * }
 * }</pre>
 *
 * <p><b>Thread-safety:</b> thread-safe.
 */
public final class PubSub {
    private final CallPath path;
    private final io.redjar.internal.pubsub.PubSub pubsub;

    PubSub(Engine engine) {
        this.path = engine.callPath();
        this.pubsub = engine.pubsub();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * PUBLISH: sends {@code message} to the subscribers of {@code channel} and of every matching
     * pattern.
     *
     * @return the number of receivers
     */
    public long publish(byte[] channel, byte[] message) {
        Preconditions.notNull(channel, "channel");
        Preconditions.notNull(message, "message");
        PubSubRegistry r = pubsub.registry();
        return path.call("publish", 0, o -> (long) r.publish(channel, message, false));
    }

    /** PUBLISH, with UTF-8 text. @return the number of receivers */
    public long publish(String channel, String message) {
        Preconditions.notNull(channel, "channel");
        Preconditions.notNull(message, "message");
        return publish(b(channel), b(message));
    }

    /**
     * SUBSCRIBE: {@code listener} receives what is published to any of {@code channels} until the
     * returned subscription is closed.
     */
    public Subscription subscribe(MessageListener listener, String... channels) {
        return open(listener, Kind.CHANNEL, bytes(channels));
    }

    /** SUBSCRIBE with binary channel names. */
    public Subscription subscribe(MessageListener listener, byte[]... channels) {
        return open(listener, Kind.CHANNEL, channels);
    }

    /**
     * PSUBSCRIBE: {@code listener} receives what is published to any channel matching one of the
     * glob-style {@code patterns} ({@code *}, {@code ?}, {@code [...]}, as Redis's).
     */
    public Subscription psubscribe(MessageListener listener, String... patterns) {
        return open(listener, Kind.PATTERN, bytes(patterns));
    }

    private static byte[][] bytes(String[] names) {
        Preconditions.notNull(names, "channels");
        byte[][] out = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            Preconditions.notNull(names[i], "channel");
            out[i] = b(names[i]);
        }
        return out;
    }

    private Subscription open(MessageListener listener, Kind kind, byte[][] names) {
        Preconditions.notNull(listener, "listener");
        Preconditions.notNull(names, "channels");
        if (names.length == 0) {
            throw new IllegalArgumentException("at least one channel or pattern is required");
        }
        for (byte[] n : names) {
            Preconditions.notNull(n, "channel");
        }
        LocalSubscriber s = pubsub.local(new LocalSubscriber.Listener() {
            @Override
            public void message(byte[] pattern, byte[] channel, byte[] message) {
                listener.onMessage(new PubSubMessage(pattern, channel, message));
            }

            @Override
            public void cancelled(String reason) {
                listener.onCancelled(reason);
            }
        });
        for (byte[] n : names) {
            pubsub.registry().subscribe(s, kind, n);
        }
        return new Subscription(s);
    }
}
