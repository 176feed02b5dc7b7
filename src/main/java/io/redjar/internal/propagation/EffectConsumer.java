package io.redjar.internal.propagation;

/**
 * Receives the store's stream of effects (an append-only file, a replica link, a test recorder).
 *
 * <p><b>Thread-safety:</b> called by one thread at a time (whichever writer is delivering), in
 * offset order, with no shard lock held, so an implementation needs no locking of its own for
 * what only it touches. It should be quick: writers wait for their own effects to be delivered
 * before their call returns. An exception it throws is logged and does not reach the writer or the
 * other consumers. It may read the store; a write it makes is delivered after the current batch.
 */
@FunctionalInterface
public interface EffectConsumer {
    /** @param batch the next batch in offset order, to be applied as one unit */
    void accept(EffectBatch batch);
}
