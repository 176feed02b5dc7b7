package io.redjar.internal.persistence.aof;

import io.redjar.internal.keyspace.Keyspace;
import io.redjar.internal.keyspace.Shard;

/**
 * The point-in-time image a rewrite writes its base from: the shape of the lead's
 * {@code io.redjar.internal.persistence.snapshot.Snapshotter} ({@code begin(encoder, atCut)}:
 * {@code atCut} runs with every shard lock held; {@code shard(i)} blocks until shard {@code i} is
 * captured). The store passes the {@code Snapshotter}'s images ({@code RdbSnapshots.pointInTime()}: writers pause only
 * for the shards they touch); {@link #LOCK_ALL} captures every shard under every lock (start-up,
 * when nothing else runs).
 *
 * <p><b>Thread-safety:</b> {@link #begin} may be called from any thread holding no shard lock.
 */
@FunctionalInterface
public interface PointInTime {
    /** Encodes one shard's data; called with that shard's lock held. */
    @FunctionalInterface
    interface ShardEncoder {
        byte[] encode(Shard s);
    }

    /** A captured image. */
    interface Image extends AutoCloseable {
        int shards();

        /** Blocks until shard {@code i} is captured. @return its bytes */
        byte[] shard(int i);

        /** @return the bus offset of the last effect the image contains */
        long cutOffset();

        @Override
        void close();
    }

    /**
     * @param atCut runs once with every shard lock held, at the cut (no effect can be sequenced
     *              meanwhile)
     */
    Image begin(Keyspace ks, ShardEncoder encoder, Runnable atCut);


    /** Every shard lock held while every shard is encoded. */
    PointInTime LOCK_ALL = (ks, encoder, atCut) -> {
        ks.lockAll();
        byte[][] out = new byte[ks.shardCount()][];
        long cut;
        try {
            atCut.run();
            cut = ks.propagation().publishedOffset();
            for (int i = 0; i < out.length; i++) {
                out[i] = encoder.encode(ks.shard(i));
            }
        } finally {
            ks.unlockAll();
        }
        long c = cut;
        return new Image() {
            @Override
            public int shards() {
                return out.length;
            }

            @Override
            public byte[] shard(int i) {
                return out[i];
            }

            @Override
            public long cutOffset() {
                return c;
            }

            @Override
            public void close() {
            }
        };
    };
}
