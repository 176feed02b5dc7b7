package io.redjar.internal.propagation;

/**
 * Receives the store's stream of effects (an append-only file, a replica link, a test recorder).
 *
 * <p><b>Thread-safety:</b> called by one thread at a time (whichever writer is delivering), in
 * offset order, with no shard lock held, so an implementation needs no locking of its own for
 * what only it touches. It should be quick: writers wait for their own effects to be delivered
 * before their call returns (network calls under a {@link #slowRounds()} consumer instead wait,
 * off their event loop, for the bus's delivery thread). An exception it throws is logged and does not reach the writer or the
 * other consumers. It may read the store; a write it makes is delivered after the current batch.
 */
@FunctionalInterface
public interface EffectConsumer {
    /** @param batch the next batch in offset order, to be applied as one unit */
    void accept(EffectBatch batch);

    /**
     * The end of a delivery round: every batch queued when the round began has been passed to
     * {@link #accept}. Called once per round, before any writer of the round's batches is told
     * they are delivered, so a consumer that buffers in {@code accept} can write (and sync) the
     * whole round here in one go: group commit.
     *
     * @return null when the round's effects are handled; else why they could not be made durable
     *         (the writers of every batch of the round see it through
     *         {@link PropagationBus#takeFailure()} and must not acknowledge their call as done)
     */
    default String endOfRound() {
        return null;
    }

    /**
     * @return whether this consumer's rounds are slow (it syncs each one: {@code appendfsync
     *         always}); then network calls leave delivery to the bus's delivery thread and reply
     *         once their effects are durable, instead of waiting on their event loop. Called on
     *         every deferrable publish: keep it a field read.
     */
    default boolean slowRounds() {
        return false;
    }
}
