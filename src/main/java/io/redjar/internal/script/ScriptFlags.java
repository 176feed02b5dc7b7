package io.redjar.internal.script;

import java.util.Locale;

/**
 * The flags a script runs with: Redis 7.0's {@code #!lua flags=...} shebang flags
 * ({@code SCRIPT_FLAG_*}) and the run modes. Bit sets, combined with {@code |}.
 *
 * <p><b>Thread-safety:</b> constants only.
 */
public final class ScriptFlags {
    /** {@code no-writes}: the script may not call write commands (EVAL_RO, FCALL_RO imply it). */
    public static final int NO_WRITES = 1;
    /** {@code allow-oom}: the script may run (and call deny-oom commands) over maxmemory. */
    public static final int ALLOW_OOM = 1 << 1;
    /** {@code allow-stale}: may run on a stale replica. */
    public static final int ALLOW_STALE = 1 << 2;
    /** {@code no-cluster}: refused in cluster mode. */
    public static final int NO_CLUSTER = 1 << 3;
    /** {@code allow-cross-slot-keys}. */
    public static final int ALLOW_CROSS_SLOT_KEYS = 1 << 4;
    /** An EVAL script without a shebang (Redis's {@code SCRIPT_FLAG_EVAL_COMPAT_MODE}). */
    public static final int EVAL_COMPAT = 1 << 5;

    private ScriptFlags() {
    }

    /** @return the flag named {@code name} as in a shebang or FUNCTION's {@code flags}, or 0 if unknown */
    public static int byName(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "no-writes" -> NO_WRITES;
            case "allow-oom" -> ALLOW_OOM;
            case "allow-stale" -> ALLOW_STALE;
            case "no-cluster" -> NO_CLUSTER;
            case "allow-cross-slot-keys" -> ALLOW_CROSS_SLOT_KEYS;
            default -> 0;
        };
    }
}
