package io.redjar.internal.pubsub;

import io.redjar.internal.server.PubSubCounts;
import io.redjar.internal.util.Glob;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The store's channels, patterns and shard channels and who subscribes to each (Redis 7.0's
 * {@code server.pubsub_channels}, {@code pubsub_patterns}, {@code pubsubshard_channels}, and each
 * client's own sets, kept on the {@link Subscriber}).
 *
 * <p>Publishing takes the read lock only to copy the receivers, then delivers with no lock held:
 * a publisher never runs a subscriber's code (or waits on its socket) under a lock, and a
 * publisher's messages reach each subscriber in publish order because one publisher delivers
 * them one after the other. Delivery only queues (a socket write, an in-process queue); the
 * subscriber enforces its own bound. As in Redis, channel receivers come first (in subscription
 * order), then each matching pattern's subscribers; shard channels ignore patterns.
 *
 * <p><b>Thread-safety:</b> thread-safe; subscriptions change under the write lock.
 */
public final class PubSubRegistry implements PubSubCounts {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<ChannelName, LinkedHashSet<Subscriber>> channels = new HashMap<>();
    private final Map<ChannelName, LinkedHashSet<Subscriber>> patterns = new LinkedHashMap<>();
    private final Map<ChannelName, LinkedHashSet<Subscriber>> shards = new HashMap<>();

    private Map<ChannelName, LinkedHashSet<Subscriber>> map(Kind k) {
        return switch (k) {
            case CHANNEL -> channels;
            case PATTERN -> patterns;
            case SHARD -> shards;
        };
    }

    /**
     * Subscribes {@code s} to {@code name}.
     *
     * @return the count the confirmation frame carries: channels + patterns, or shard channels
     *         for {@link Kind#SHARD} (Redis 7.0's {@code subscriptionCount})
     */
    public int subscribe(Subscriber s, Kind k, byte[] name) {
        lock.writeLock().lock();
        try {
            ChannelName n = new ChannelName(name.clone());
            if (s.set(k).add(n)) {
                map(k).computeIfAbsent(n, x -> new LinkedHashSet<>()).add(s);
                s.counts(s.channels.size(), s.patterns.size(), s.shards.size());
            }
            return count(s, k);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Unsubscribes {@code s} from {@code name} (nothing if it was not subscribed).
     *
     * @return the count the confirmation frame carries
     */
    public int unsubscribe(Subscriber s, Kind k, byte[] name) {
        lock.writeLock().lock();
        try {
            ChannelName n = new ChannelName(name);
            if (s.set(k).remove(n)) {
                LinkedHashSet<Subscriber> subs = map(k).get(n);
                subs.remove(s);
                if (subs.isEmpty()) {
                    map(k).remove(n);
                }
                s.counts(s.channels.size(), s.patterns.size(), s.shards.size());
            }
            return count(s, k);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** @return {@code s}'s subscriptions of kind {@code k}, in subscription order */
    public List<byte[]> subscriptions(Subscriber s, Kind k) {
        lock.readLock().lock();
        try {
            return s.names(k);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Removes every subscription of {@code s}, without telling it (RESET, disconnect, cancel). */
    public void leaveAll(Subscriber s) {
        lock.writeLock().lock();
        try {
            for (Kind k : Kind.values()) {
                for (ChannelName n : s.set(k)) {
                    LinkedHashSet<Subscriber> subs = map(k).get(n);
                    if (subs != null) {
                        subs.remove(s);
                        if (subs.isEmpty()) {
                            map(k).remove(n);
                        }
                    }
                }
                s.set(k).clear();
            }
            s.counts(0, 0, 0);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** @return the subscription count of {@code s} for frames of kind {@code k} */
    public int count(Subscriber s, Kind k) {
        return k == Kind.SHARD ? s.shards.size() : s.channels.size() + s.patterns.size();
    }

    /**
     * Publishes {@code message} to {@code channel} (a shard channel when {@code sharded}).
     *
     * @return the number of receivers (a client subscribed to the channel and to a matching
     *         pattern counts twice, as in Redis)
     */
    public int publish(byte[] channel, byte[] message, boolean sharded) {
        List<Subscriber> direct;
        List<Object> viaPattern = null; // pattern bytes, then its subscribers
        lock.readLock().lock();
        try {
            LinkedHashSet<Subscriber> d = (sharded ? shards : channels).get(new ChannelName(channel));
            direct = d == null ? List.of() : new ArrayList<>(d);
            if (!sharded && !patterns.isEmpty()) {
                for (Map.Entry<ChannelName, LinkedHashSet<Subscriber>> e : patterns.entrySet()) {
                    if (Glob.match(e.getKey().bytes, channel, false)) {
                        if (viaPattern == null) {
                            viaPattern = new ArrayList<>();
                        }
                        viaPattern.add(e.getKey().bytes);
                        viaPattern.add(new ArrayList<>(e.getValue()));
                    }
                }
            }
        } finally {
            lock.readLock().unlock();
        }
        int receivers = 0;
        Kind kind = sharded ? Kind.SHARD : Kind.CHANNEL;
        for (Subscriber s : direct) {
            s.deliver(kind, null, channel, message);
            receivers++;
        }
        if (viaPattern != null) {
            for (int i = 0; i < viaPattern.size(); i += 2) {
                byte[] pattern = (byte[]) viaPattern.get(i);
                @SuppressWarnings("unchecked")
                List<Subscriber> subs = (List<Subscriber>) viaPattern.get(i + 1);
                for (Subscriber s : subs) {
                    s.deliver(Kind.PATTERN, pattern, channel, message);
                    receivers++;
                }
            }
        }
        return receivers;
    }

    /** @return the active channels (shard channels when {@code sharded}) matching {@code pattern} (null: all) */
    public List<byte[]> channels(byte[] pattern, boolean sharded) {
        lock.readLock().lock();
        try {
            List<byte[]> out = new ArrayList<>();
            for (ChannelName n : (sharded ? shards : channels).keySet()) {
                if (pattern == null || Glob.match(pattern, n.bytes, false)) {
                    out.add(n.bytes);
                }
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** @return the number of subscribers of {@code channel} (patterns not counted) */
    public int numsub(byte[] channel, boolean sharded) {
        lock.readLock().lock();
        try {
            LinkedHashSet<Subscriber> s = (sharded ? shards : channels).get(new ChannelName(channel));
            return s == null ? 0 : s.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public int channels() {
        lock.readLock().lock();
        try {
            return channels.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public int patterns() {
        lock.readLock().lock();
        try {
            return patterns.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public int shardChannels() {
        lock.readLock().lock();
        try {
            return shards.size();
        } finally {
            lock.readLock().unlock();
        }
    }
}
