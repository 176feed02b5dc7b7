package io.redjar.internal.server;

/**
 * The store-wide pub/sub numbers INFO reports ({@code pubsub_channels}, {@code pubsub_patterns},
 * {@code pubsubshard_channels}), implemented by the pub/sub registry.
 *
 * <p><b>Thread-safety:</b> implementations are thread-safe.
 */
public interface PubSubCounts {
    /** @return channels with at least one subscriber */
    int channels();

    /** @return distinct patterns with at least one subscriber */
    int patterns();

    /** @return shard channels with at least one subscriber */
    int shardChannels();
}
