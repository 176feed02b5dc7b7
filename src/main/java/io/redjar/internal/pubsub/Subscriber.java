package io.redjar.internal.pubsub;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * One party that subscribes: a network client ({@link ClientSubscriber}) or an in-process
 * listener ({@link LocalSubscriber}). It keeps its own subscriptions, in the order they were made
 * (what UNSUBSCRIBE without arguments walks), and receives messages through {@link #deliver}.
 *
 * <p><b>Thread-safety:</b> the subscription sets are changed and read only under the
 * {@link PubSubRegistry}'s lock; {@link #deliver} is called by publishers on any thread,
 * concurrently, never under a registry lock, and must not block.
 */
public abstract class Subscriber {
    final LinkedHashSet<ChannelName> channels = new LinkedHashSet<>();
    final LinkedHashSet<ChannelName> patterns = new LinkedHashSet<>();
    final LinkedHashSet<ChannelName> shards = new LinkedHashSet<>();

    LinkedHashSet<ChannelName> set(Kind k) {
        return switch (k) {
            case CHANNEL -> channels;
            case PATTERN -> patterns;
            case SHARD -> shards;
        };
    }

    /** @return the subscriptions of kind {@code k}, in subscription order (a copy) */
    List<byte[]> names(Kind k) {
        List<byte[]> out = new ArrayList<>();
        for (ChannelName n : set(k)) {
            out.add(n.bytes);
        }
        return out;
    }

    /** Told the counts after every change (CLIENT LIST's sub/psub/ssub). Called under the registry lock. */
    void counts(int channels, int patterns, int shards) {
    }

    /**
     * One message. {@code pattern} is the matching pattern for a {@link Kind#PATTERN} delivery,
     * else null. Must not block: a subscriber that cannot keep up is cut off by its own rules.
     */
    abstract void deliver(Kind kind, byte[] pattern, byte[] channel, byte[] message);
}
