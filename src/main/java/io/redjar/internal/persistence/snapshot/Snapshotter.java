package io.redjar.internal.persistence.snapshot;

import io.redjar.internal.keyspace.Keyspace;
import io.redjar.internal.keyspace.Shard;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Point-in-time images of the keyspace without stopping writers for longer than a short pause:
 * what a forked child gives Redis, made with a per-shard write barrier instead of copy-on-write
 * pages.
 *
 * <p><b>Design.</b> {@link #begin} takes every shard lock (waiting only for the commands in
 * flight), runs the caller's {@code atCut} (record the propagation offset, copy the function
 * libraries, switch an AOF file...), arms a {@link io.redjar.internal.keyspace.ShardCapture} on
 * every shard and releases the locks: that instant is the <em>cut</em>. From then on, the first
 * thread to lock a shard encodes it (with the {@link ShardEncoder}) before it does anything else,
 * so no change made after the cut reaches a shard's image; a command that spans shards (EXEC, a
 * script, FLUSHALL) holds all their locks, so its effects are entirely after the cut or entirely
 * before it. The consumer of the {@link Image} reads the shards in order; a shard nobody touched
 * yet is encoded by the consumer itself, off the writers' path.
 *
 * <p><b>Cost.</b> A writer pauses at most for the encoding of the shards it locks that are still
 * pending (one shard for a single-key command; every pending one for a command holding all
 * locks). Memory: the encoded images of shards captured ahead of the consumer are held until it
 * reads them: at worst the whole encoded data set, typically a few shards. {@link Image#stats}
 * reports both.
 *
 * <p><b>Thread-safety:</b> thread-safe; at most one image is in progress at a time
 * ({@link #begin} refuses a second, as Redis runs one child at a time).
 */
public final class Snapshotter {
    /** Encodes one shard's keys (all databases); called with the shard's lock held. */
    @FunctionalInterface
    public interface ShardEncoder {
        /** @return the shard's encoded image; must not take other shard locks */
        byte[] encode(Shard s);
    }

    private final Keyspace keyspace;
    private final AtomicBoolean busy = new AtomicBoolean();

    public Snapshotter(Keyspace keyspace) {
        this.keyspace = keyspace;
    }

    /** @return whether an image is in progress */
    public boolean isBusy() {
        return busy.get();
    }

    /**
     * Makes the cut and returns the image; close it when done (or to abandon it).
     *
     * @param encoder what each shard's image is
     * @param atCut   runs at the cut, with every shard lock held (nothing else runs); may be null
     * @throws IllegalStateException if another image is in progress, or the store is closed
     */
    public Image begin(ShardEncoder encoder, Runnable atCut) {
        if (!busy.compareAndSet(false, true)) {
            throw new IllegalStateException("a snapshot is already in progress");
        }
        try {
            Image img = new Image(keyspace, encoder, () -> busy.set(false));
            keyspace.lockAll();
            try {
                img.cutOffset = keyspace.propagation().publishedOffset();
                if (atCut != null) {
                    atCut.run();
                }
                for (int i = 0; i < keyspace.shardCount(); i++) {
                    keyspace.shard(i).armCapture(img::capture);
                }
            } finally {
                keyspace.unlockAll();
            }
            return img;
        } catch (RuntimeException | Error e) {
            busy.set(false);
            throw e;
        }
    }
}
