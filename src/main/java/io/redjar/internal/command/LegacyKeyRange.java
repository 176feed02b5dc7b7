package io.redjar.internal.command;

import java.util.List;

/**
 * The legacy {@code (first, last, step)} key triple of {@code COMMAND INFO}, derived from a
 * command's key specs as Redis 7.0's {@code populateCommandLegacyRangeSpec} does, together with
 * whether the command has "movable keys" (keys the triple cannot describe).
 *
 * <p>One plain {@code index + range} spec is copied as is (step included; movable only if the spec
 * is {@link KeyFlag#INCOMPLETE}). Otherwise the specs are merged: each {@code index + range} spec
 * with step 1 that continues the previous one widens the range; any other spec (keyword or keynum
 * begin/find, step other than 1, a gap) is skipped and makes the keys movable, as does an
 * incomplete spec that is used. The last key is the maximum compared as an unsigned int, so a
 * negative (from-the-end) last key wins over any positive one, as in Redis. No usable spec at all
 * gives {@code 0, 0, 0}, and movable keys if there was any spec.
 *
 * <p>{@code first == 0} means the triple is empty. {@code last} is absolute when positive and
 * counts from the end when negative, as COMMAND INFO reports it.
 *
 * <p><b>Thread-safety:</b> immutable.
 *
 * @param first    the first key position, 0 if none
 * @param last     the last key position (negative: from the end)
 * @param step     the step between keys, 0 if none
 * @param movable  whether the command's keys are movable ({@code movablekeys})
 */
public record LegacyKeyRange(int first, int last, int step, boolean movable) {
    /** The triple of a command without keys. */
    public static final LegacyKeyRange NONE = new LegacyKeyRange(0, 0, 0, false);

    /** @return the triple and movable-keys flag Redis derives from {@code specs} */
    public static LegacyKeyRange of(List<KeySpec> specs) {
        if (specs.isEmpty()) {
            return NONE;
        }
        if (specs.size() == 1 && specs.get(0).isIndexRange()) {
            KeySpec s = specs.get(0);
            return new LegacyKeyRange(s.index(), absolute(s.lastKey(), s.index()), s.rangeStep(), s.has(KeyFlag.INCOMPLETE));
        }
        boolean movable = false;
        int first = Integer.MAX_VALUE;
        int last = 0;
        int prevLast = 0;
        for (KeySpec s : specs) {
            if (!s.isIndexRange()) {
                movable = true;
                continue;
            }
            if (s.rangeStep() != 1 || (prevLast != 0 && prevLast != s.index() - 1)) {
                movable = true;
                continue;
            }
            if (s.has(KeyFlag.INCOMPLETE)) {
                movable = true;
            }
            first = Math.min(first, s.index());
            int abs = absolute(s.lastKey(), s.index());
            if (Integer.compareUnsigned(abs, last) > 0) {
                last = abs;
            }
            prevLast = last;
        }
        if (first == Integer.MAX_VALUE) {
            return new LegacyKeyRange(0, 0, 0, true);
        }
        return new LegacyKeyRange(first, last, 1, movable);
    }

    private static int absolute(int lastKey, int index) {
        return lastKey >= 0 ? lastKey + index : lastKey;
    }

    /** @return whether there is a triple at all */
    public boolean isEmpty() {
        return first == 0;
    }
}
