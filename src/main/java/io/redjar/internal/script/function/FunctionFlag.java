package io.redjar.internal.script.function;

import java.util.Locale;

/**
 * The flags a function declares with {@code redis.register_function{..., flags={...}}}, in Redis's
 * {@code scripts_flags_def} order (the order FUNCTION LIST prints them in).
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public enum FunctionFlag {
    /** The function only reads: FCALL_RO may run it, and a write inside it is refused. */
    NO_WRITES("no-writes"),
    /** The function may run when the memory limit is reached. */
    ALLOW_OOM("allow-oom"),
    /** The function may run on a stale replica. */
    ALLOW_STALE("allow-stale"),
    /** The function refuses to run in cluster mode. */
    NO_CLUSTER("no-cluster"),
    /** The function may touch keys of different slots. */
    ALLOW_CROSS_SLOT_KEYS("allow-cross-slot-keys");

    private final String wire;

    FunctionFlag(String wire) {
        this.wire = wire;
    }

    /** @return the flag's name as Redis spells it */
    public String wire() {
        return wire;
    }

    /** @return the bit of this flag in a flags mask */
    public int bit() {
        return 1 << ordinal();
    }

    /** @return the flag named {@code name} (exact, case-sensitive as in Redis), or null */
    public static FunctionFlag of(String name) {
        for (FunctionFlag f : values()) {
            if (f.wire.equals(name)) {
                return f;
            }
        }
        return null;
    }

    /** @return whether {@code mask} has {@code flag} */
    public static boolean has(int mask, FunctionFlag flag) {
        return (mask & flag.bit()) != 0;
    }

    @Override
    public String toString() {
        return wire.toUpperCase(Locale.ROOT);
    }
}
