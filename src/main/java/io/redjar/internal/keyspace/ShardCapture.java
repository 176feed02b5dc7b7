package io.redjar.internal.keyspace;

/**
 * The write barrier of a point-in-time snapshot. A snapshot's cut arms one capture on every shard
 * while it holds every shard lock; afterwards, the first thread to take a shard's lock (a writer,
 * a reader, the expiry cycle, or the snapshot's own background pass) runs the capture before
 * anything else, with the lock held. So every shard is captured exactly as it was at the cut, and
 * a writer waits at most for the capture of the shards it locks.
 *
 * <p><b>Thread-safety:</b> called by whichever thread takes the lock, with that shard's lock held;
 * it must not take other shard locks and must not throw (a failure is recorded by the
 * implementation, never thrown into the unrelated caller that happened to take the lock).
 */
@FunctionalInterface
public interface ShardCapture {
    /** @param shard the shard to capture; its lock is held */
    void capture(Shard shard);
}
