package io.redjar.internal.command;

import static io.redjar.internal.command.KeyFlag.ACCESS;
import static io.redjar.internal.command.KeyFlag.DELETE;
import static io.redjar.internal.command.KeyFlag.OW;
import static io.redjar.internal.command.KeyFlag.RO;
import static io.redjar.internal.command.KeyFlag.RW;
import static io.redjar.internal.command.KeyFlag.UPDATE;

/**
 * A command's own key finder, for the commands whose Redis table entry has a
 * {@code getkeys_proc} (Redis 7.0 {@code src/db.c}). {@link KeyExtractor} calls it when the key
 * specs cannot answer: a spec is {@code unknown}, {@link KeyFlag#INCOMPLETE}, or fails on these
 * arguments (e.g. an unparsable key count), or a spec has {@link KeyFlag#VARIABLE_FLAGS}.
 *
 * <p>The procedures here follow Redis's one for one, quirks included: the key-count procedures
 * read the count with C's {@code atoi} and report no key (rather than an error) when it is out of
 * range, and report keys without flags, as Redis's do.
 *
 * <p><b>Thread-safety:</b> implementations are stateless and thread-safe.
 */
@FunctionalInterface
public interface GetKeysProc {
    /**
     * Finds the keys of {@code argv} (the whole call, command name at 0) into {@code out}, which
     * the caller has cleared.
     */
    void find(byte[][] argv, KeyRefs out);

    /** SINTERCARD, ZUNION/ZINTER/ZDIFF/ZINTERCARD, LMPOP, ZMPOP: {@code numkeys key...} at 1. */
    GetKeysProc NUMKEYS_AT_1 = (argv, out) -> numkeys(0, 1, 2, 1, argv, out);
    /** BLMPOP, BZMPOP, EVAL*, FCALL*: {@code numkeys key...} at 2. */
    GetKeysProc NUMKEYS_AT_2 = (argv, out) -> numkeys(0, 2, 3, 1, argv, out);
    /** ZUNIONSTORE/ZINTERSTORE/ZDIFFSTORE: {@code destination numkeys key...}; destination last. */
    GetKeysProc STORE_NUMKEYS = (argv, out) -> numkeys(1, 2, 3, 1, argv, out);
    /** Redis's {@code sortROGetKeys}: the sorted key only. */
    GetKeysProc SORT_RO = (argv, out) -> out.add(1, RO.mask() | ACCESS.mask());
    /** Redis's {@code sortGetKeys}: the sorted key and the last {@code STORE} destination. */
    GetKeysProc SORT = GetKeysProc::sort;
    /** Redis's {@code setGetKeys}: RW if a {@code GET} option is present, else OW. */
    GetKeysProc SET = GetKeysProc::set;
    /** Redis's {@code bitfieldGetKeys}: RO if only GET/OVERFLOW subcommands, else RW. */
    GetKeysProc BITFIELD = GetKeysProc::bitfield;
    /** Redis's {@code migrateGetKeys}: the key at 3, or the list after {@code KEYS}. */
    GetKeysProc MIGRATE = GetKeysProc::migrate;

    /** Redis's {@code georadiusGetKeys}: the key, and the last STORE/STOREDIST destination. */
    GetKeysProc GEORADIUS = GetKeysProc::georadius;
    /** Redis's {@code xreadGetKeys}: the first half of the arguments after {@code STREAMS}. */
    GetKeysProc XREAD = GetKeysProc::xread;

    /**
     * Redis's {@code genericGetKeys}: {@code num = atoi(argv[countAt])}; no key unless
     * {@code 1 <= num <= (argc - firstAt) / step}; the keys, then the store key if any.
     */
    static void numkeys(int storeAt, int countAt, int firstAt, int step, byte[][] argv, KeyRefs out) {
        int num = atoi(argv[countAt]);
        if (num < 1 || num > (argv.length - firstAt) / step) {
            return;
        }
        for (int i = 0; i < num; i++) {
            out.add(firstAt + i * step, 0);
        }
        if (storeAt != 0) {
            out.add(storeAt, 0);
        }
    }

    private static void sort(byte[][] argv, KeyRefs out) {
        out.add(1, RO.mask() | ACCESS.mask());
        for (int i = 2; i < argv.length; i++) {
            byte[] a = argv[i];
            if (cEquals(a, "limit")) {
                i += 2;
            } else if (cEquals(a, "get") || cEquals(a, "by")) {
                i += 1;
            } else if (cEquals(a, "store") && i + 1 < argv.length) {
                // the last STORE wins, as in SORT itself; the loop goes on from the key
                out.set(1, i + 1, OW.mask() | UPDATE.mask());
            }
        }
    }

    private static void set(byte[][] argv, KeyRefs out) {
        for (int i = 3; i < argv.length; i++) {
            if (cEquals(argv[i], "get")) {
                out.add(1, RW.mask() | ACCESS.mask() | UPDATE.mask());
                return;
            }
        }
        out.add(1, OW.mask() | UPDATE.mask());
    }

    private static void bitfield(byte[][] argv, KeyRefs out) {
        boolean readonly = true;
        for (int i = 2; i < argv.length; i++) {
            int rem = argv.length - i - 1;
            byte[] a = argv[i];
            if (cEquals(a, "get") && rem >= 2) {
                i += 2;
            } else if ((cEquals(a, "set") || cEquals(a, "incrby")) && rem >= 3) {
                readonly = false;
                break;
            } else if (cEquals(a, "overflow") && rem >= 1) {
                i += 1;
            } else {
                readonly = false; // a syntax error: safer to assume a write
                break;
            }
        }
        out.add(1, readonly ? RO.mask() | ACCESS.mask() : RW.mask() | ACCESS.mask() | UPDATE.mask());
    }

    private static void migrate(byte[][] argv, KeyRefs out) {
        int first = 3;
        int num = 1;
        if (argv.length > 6) {
            for (int i = 6; i < argv.length; i++) {
                byte[] a = argv[i];
                if (cEquals(a, "keys")) {
                    if (argv[3].length > 0) {
                        num = 0; // a syntax error MIGRATE itself reports
                    } else {
                        first = i + 1;
                        num = argv.length - first;
                    }
                    break;
                }
                if (cEquals(a, "auth")) {
                    i += 1;
                } else if (cEquals(a, "auth2")) {
                    i += 2;
                }
            }
        }
        int flags = RW.mask() | ACCESS.mask() | DELETE.mask();
        for (int i = 0; i < num; i++) {
            out.add(first + i, flags);
        }
    }

    private static void georadius(byte[][] argv, KeyRefs out) {
        int stored = -1;
        for (int i = 5; i < argv.length; i++) {
            if ((cEquals(argv[i], "store") || cEquals(argv[i], "storedist")) && i + 1 < argv.length) {
                stored = i + 1;
                i++;
            }
        }
        out.add(1, 0);
        if (stored != -1) {
            out.add(stored, 0);
        }
    }

    private static void xread(byte[][] argv, KeyRefs out) {
        int streams = -1;
        for (int i = 1; i < argv.length; i++) {
            byte[] a = argv[i];
            if (cEquals(a, "block") || cEquals(a, "count")) {
                i++;
            } else if (cEquals(a, "group")) {
                i += 2;
            } else if (cEquals(a, "noack")) {
                continue;
            } else if (cEquals(a, "streams")) {
                streams = i;
                break;
            } else {
                break; // a syntax error
            }
        }
        int num = streams == -1 ? 0 : argv.length - streams - 1;
        if (streams == -1 || num == 0 || num % 2 != 0) {
            return;
        }
        num /= 2;
        for (int i = streams + 1; i < argv.length - num; i++) {
            out.add(i, 0);
        }
    }

    /**
     * Redis's {@code strcasecmp(arg, word)}: {@code arg} read as a C string (up to its first NUL
     * byte) equals the lower-case ASCII {@code word}, ignoring ASCII case.
     */
    static boolean cEquals(byte[] arg, String word) {
        int n = word.length();
        if (arg.length < n || (arg.length > n && arg[n] != 0)) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            int b = arg[i] & 0xFF;
            if (b >= 'A' && b <= 'Z') {
                b += 32;
            }
            if (b != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * C's {@code atoi} as glibc implements it ({@code (int) strtol(s, NULL, 10)}): leading white
     * space, an optional sign, then digits up to the first non-digit; a value beyond the
     * {@code long} range saturates, then the cast keeps the low 32 bits.
     */
    static int atoi(byte[] s) {
        int i = 0;
        while (i < s.length && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r'))) {
            i++;
        }
        boolean neg = false;
        if (i < s.length && (s[i] == '+' || s[i] == '-')) {
            neg = s[i] == '-';
            i++;
        }
        long v = 0;
        boolean overflow = false;
        for (; i < s.length && s[i] >= '0' && s[i] <= '9'; i++) {
            int d = s[i] - '0';
            if (!overflow) {
                // accumulate negatively so that Long.MIN_VALUE is reachable
                if (v < (Long.MIN_VALUE + d) / 10) {
                    overflow = true;
                } else {
                    v = v * 10 - d;
                }
            }
        }
        long r;
        if (overflow) {
            r = neg ? Long.MIN_VALUE : Long.MAX_VALUE;
        } else if (neg) {
            r = v;
        } else {
            r = v == Long.MIN_VALUE ? Long.MAX_VALUE : -v;
        }
        return (int) r;
    }
}
