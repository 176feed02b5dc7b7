package io.redjar.internal.propagation;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * Effects that must be applied as one unit (what Redis wraps in {@code MULTI}/{@code EXEC} when it
 * propagates): the effects of one command, or of everything between a thread's
 * {@link PropagationBus#beginBatch()} and its matching {@link PropagationBus#endBatch()}. The
 * offsets of a batch are contiguous: no other writer's effect falls between its first and last.
 *
 * <p><b>Thread-safety:</b> immutable; shared by every consumer.
 */
public final class EffectBatch extends AbstractList<Effect> implements RandomAccess {
    private final Effect[] effects;

    /** @param effects at least one, with contiguous ascending offsets; not copied */
    EffectBatch(Effect[] effects) {
        this.effects = effects;
    }

    @Override
    public Effect get(int index) {
        return effects[index];
    }

    @Override
    public int size() {
        return effects.length;
    }

    /** @return the offset of the batch's first effect */
    public long firstOffset() {
        return effects[0].offset();
    }

    /** @return the offset of the batch's last effect */
    public long lastOffset() {
        return effects[effects.length - 1].offset();
    }

    /** @return the effects, in offset order */
    public List<Effect> effects() {
        return this;
    }

    @Override
    public String toString() {
        return "EffectBatch[" + firstOffset() + ".." + lastOffset() + "]";
    }
}
