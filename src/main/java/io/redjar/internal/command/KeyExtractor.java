package io.redjar.internal.command;

import io.redjar.internal.util.Numbers;

import java.util.List;

/**
 * The one place that finds the keys of a command call: Redis 7.0's
 * {@code getKeysFromCommandWithSpecs} and {@code getKeysUsingKeySpecs} ({@code src/db.c}).
 * {@code COMMAND GETKEYS}/{@code GETKEYSANDFLAGS} use it, and so must anything else that needs a
 * call's keys (locking, cluster slots, ACL key checks).
 *
 * <p><b>Algorithm.</b> If the command has a spec that is not {@link KeyFlag#NOT_KEY} and none
 * with {@link KeyFlag#VARIABLE_FLAGS}, the specs are walked in order. For each: the begin position
 * ({@code index}, or one past the {@code keyword}: searched from {@code startfrom} toward the last
 * argument, or backwards toward argument 1 when negative; a spec whose keyword is absent is
 * skipped, even an incomplete one); then the last position ({@code range}: relative, from the end, or by {@code limit};
 * {@code keynum}: the count at {@code keynumidx} parsed strictly, as {@code string2ll}, and
 * non-negative). A spec whose bounds fall outside the call, whose count does not parse, or whose
 * kind is {@code unknown} makes the whole walk fail; so does an {@link KeyFlag#INCOMPLETE} spec,
 * after its keys were added (they count only with {@link #RETURN_PARTIAL}). On failure, or when
 * the specs cannot be trusted, the command's {@link GetKeysProc} answers, if it has one; otherwise
 * there are no keys.
 *
 * <p><b>Thread-safety:</b> stateless; the {@link KeyRefs} passed in belongs to the caller.
 */
public final class KeyExtractor {
    /** Search flag: also report {@link KeyFlag#NOT_KEY} arguments. */
    public static final int INCLUDE_NOT_KEYS = 1;
    /** Search flag: skip failing or incomplete specs but keep what the others found. */
    public static final int RETURN_PARTIAL = 2;

    private KeyExtractor() {
    }

    /**
     * Finds the keys of {@code argv} (the whole call, command name at 0; for a subcommand, its
     * name at 1) as Redis's {@code getKeysFromCommandWithSpecs} with default search flags.
     *
     * @param cmd  the command or subcommand {@code argv} resolves to
     * @param out  cleared, then filled with the keys found
     * @return the number of keys found
     */
    public static int keys(CommandSpec cmd, byte[][] argv, KeyRefs out) {
        return keys(cmd, argv, 0, out);
    }

    /** {@link #keys(CommandSpec, byte[][], KeyRefs)} with search flags. */
    public static int keys(CommandSpec cmd, byte[][] argv, int searchFlags, KeyRefs out) {
        if (cmd.specsTrusted()) {
            int n = usingSpecs(cmd.keySpecs(), cmd.arity(), argv, searchFlags, out);
            if (n >= 0) {
                return n;
            }
        }
        out.clear();
        GetKeysProc proc = cmd.getKeysProc();
        if (proc != null) {
            proc.find(argv, out);
        }
        return out.count();
    }

    /** Redis's {@code doesCommandHaveKeys}: a key finder, or a spec that is not NOT_KEY. */
    public static boolean mayHaveKeys(CommandSpec cmd) {
        if (cmd.getKeysProc() != null) {
            return true;
        }
        for (KeySpec s : cmd.keySpecs()) {
            if (!s.has(KeyFlag.NOT_KEY)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Redis's {@code getKeysUsingKeySpecs}.
     *
     * @param arity the command's arity: with a negative one, positions beyond the call are
     *              skipped (the command reports the error itself)
     * @return the number of keys found, or -1 if a spec failed (and {@link #RETURN_PARTIAL} is
     *         not set), {@code out} then cleared
     */
    static int usingSpecs(List<KeySpec> specs, int arity, byte[][] argv, int searchFlags, KeyRefs out) {
        int argc = argv.length;
        out.clear();
        for (KeySpec spec : specs) {
            if (spec.has(KeyFlag.NOT_KEY) && (searchFlags & INCLUDE_NOT_KEYS) == 0) {
                continue;
            }
            int r = addSpec(spec, arity, argv, argc, out);
            if (r == SKIPPED) {
                continue; // keyword absent: not even an incomplete spec fails then
            }
            boolean ok = r == ADDED && !spec.has(KeyFlag.INCOMPLETE); // an incomplete one's keys stay, for RETURN_PARTIAL
            if (!ok && (searchFlags & RETURN_PARTIAL) == 0) {
                out.clear();
                return -1;
            }
        }
        return out.count();
    }

    private static final int ADDED = 0;
    private static final int SKIPPED = 1;
    private static final int FAILED = 2;

    /** Adds one spec's keys: {@link #ADDED}, {@link #SKIPPED} (keyword absent) or {@link #FAILED}. */
    private static int addSpec(KeySpec spec, int arity, byte[][] argv, int argc, KeyRefs out) {
        int first;
        switch (spec.beginSearch()) {
            case INDEX:
                first = spec.index();
                break;
            case KEYWORD:
                first = keywordBegin(spec, argv, argc);
                if (first == 0) {
                    return SKIPPED;
                }
                break;
            default:
                return FAILED;
        }
        int last;
        int step;
        switch (spec.findKeys()) {
            case RANGE:
                step = spec.rangeStep();
                if (spec.lastKey() >= 0) {
                    last = first + spec.lastKey();
                } else if (spec.limit() == 0) {
                    last = argc + spec.lastKey();
                } else {
                    last = first + ((argc - first) / spec.limit() + spec.lastKey());
                }
                break;
            case KEYNUM:
                step = spec.keyNumStep();
                int countAt = first + spec.keyNumIdx();
                if (spec.keyNumIdx() >= argc || countAt >= argc) {
                    return FAILED;
                }
                byte[] count = argv[countAt];
                if (!Numbers.isLong(count)) {
                    return FAILED;
                }
                long numkeys = Numbers.parseLong(count);
                if (numkeys < 0) {
                    return FAILED;
                }
                first += spec.firstKey();
                last = first + (int) numkeys - 1; // C's int truncation, as Redis
                break;
            default:
                return FAILED;
        }
        if (last >= argc || last < first || first >= argc) {
            return FAILED;
        }
        int flags = spec.flagMask();
        for (int i = first; i <= last; i += step) {
            if (i >= argc || i < first) {
                if (arity < 0) {
                    continue;
                }
                throw new IllegalStateException("key spec positions do not match the arity: " + spec);
            }
            out.add(i, flags);
        }
        return ADDED;
    }

    /** @return one past the keyword's position, or 0 if it is absent */
    private static int keywordBegin(KeySpec spec, byte[][] argv, int argc) {
        int from = spec.startFrom();
        int start = from > 0 ? from : argc + from;
        int end = from > 0 ? argc - 1 : 1;
        String kw = spec.keyword().toLowerCase(java.util.Locale.ROOT);
        for (int i = start; i != end; i = start <= end ? i + 1 : i - 1) {
            if (i >= argc || i < 1) {
                break;
            }
            if (GetKeysProc.cEquals(argv[i], kw)) {
                return i + 1;
            }
        }
        return 0;
    }
}
