package io.redjar.fuzz;

import io.redjar.internal.command.CommandFlag;
import io.redjar.internal.command.CommandSpec;
import io.redjar.internal.command.CommandTable;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * Generates commands from the command table: every command and subcommand the table lists, with
 * its arity (sometimes wrong on purpose), keys at its key positions drawn from a small key space in
 * which every type collides, and extreme values, option words and patterns everywhere else.
 * Occasionally it emits a well-formed many-element write (ZADD, HSET, RPUSH, SADD) so that
 * structures grow past their compact encodings, or a CONFIG SET that lowers those thresholds.
 *
 * <p>Deterministic for a given seed and table. Used by the in-process fuzzer ({@link FuzzMain}) and
 * by the RESP module's wire fuzzer (through the core's test-jar).
 */
public final class CommandFuzzer {
    /** The small key space: three keys share the hash tag {@code {t}}. */
    public static final List<byte[]> KEYS = List.of(
        b("a"), b("b"), b("{t}x"), b("{t}y"), b("{t}z"), new byte[] {0, (byte) 0xFF, 'k'});

    /** Commands the wire fuzzer never generates (the in-process fuzzer generates all). */
    public static final Set<String> WIRE_EXCLUDED = Set.of("monitor", "quit", "client|kill", "client|reply", "shutdown",
        "subscribe", "psubscribe", "ssubscribe", "unsubscribe", "punsubscribe", "sunsubscribe");

    /** Why, for the log. */
    public static final List<String> WIRE_EXCLUDED_WHY = List.of(
        "monitor (turns the connection into a feed of every command)",
        "quit (closes the connection)",
        "client kill (would disconnect the well-behaved client the test watches)",
        "client reply off|skip (the fuzzer could no longer pair commands with replies)",
        "shutdown (stops the server under test)",
        "(p|s)(un)subscribe (one frame per channel, and pushed messages: replies no longer pair with commands)");

    /** Rewritten rather than excluded. */
    public static final List<String> DEFUSED = List.of(
        "debug sleep <n>: the duration is replaced by 0",
        "debug populate <n>: at most 100 keys",
        "pfselftest: given a junk argument (an arity error): the real self test adds 10 million elements",
        "setrange offsets between 16 MiB and 512 MiB: 16 MiB (a legal 512 MiB string per key, read back by MGET on "
            + "several threads, only measures the heap; offsets past the 512 MiB limit stay)",
        "config set requirepass/maxmemory/hz/bind/port: replaced by a listpack/intset threshold",
        "blocking commands (BLOCKING flag): run with executeAsync; a waiter still parked after a few commands is cancelled",
        "client pause <ms>: at most 10 ms (a pause holds every client, the well-behaved one too)",
        "migrate: to 127.0.0.1 port 1 (nothing listens) with a 100 ms timeout, never to a random host");

    /** CONFIG SET parameters the fuzzer never touches (they would lock it out or stall it). */
    static final Set<String> UNTOUCHABLE_CONFIG = Set.of("requirepass", "maxmemory", "hz", "bind", "port", "databases",
        "maxclients", "client-query-buffer-limit", "proto-max-bulk-len",
        // persistence stays in the test's temporary directory, without the slowest policy
        "dir", "dbfilename", "appendfilename", "appenddirname", "appendfsync");

    /**
     * Input classes the fuzzer defuses, set with {@code -Dredjar.fuzz.skip=a,b}
     * ({@code -Dredjar.fuzz.skip=} defuses nothing). Known classes:
     * <ul>
     *   <li>{@code huge-random-count}: SRANDMEMBER/HRANDFIELD/ZRANDMEMBER with a negative count
     *       from -2^31 to -2^20 becomes -1000. Such a count is legal (Redis builds the reply too) but
     *       a reply of up to 2^31 elements only exhausts the child's heap. Counts beyond what a list
     *       can hold (down to Long.MIN_VALUE) still go through: RedJar answers them with Redis's
     *       range error.</li>
     * </ul>
     * (SETRANGE offsets near 2^63 were skipped here until the overflow audit fixed them; they are
     * fuzzed again.)
     */
    public static final Set<String> SKIP = skipClasses();

    static final String DEFAULT_SKIP = "huge-random-count";

    private static Set<String> skipClasses() {
        String p = System.getProperty("redjar.fuzz.skip", DEFAULT_SKIP);
        Set<String> s = new TreeSet<>();
        for (String x : p.split(",")) {
            if (!x.isBlank()) {
                s.add(x.trim());
            }
        }
        return s;
    }

    static final String[] THRESHOLDS = {"zset-max-listpack-entries", "zset-max-listpack-value",
        "hash-max-listpack-entries", "hash-max-listpack-value", "set-max-intset-entries", "list-max-listpack-size"};

    static final String[] EXTREMES = {"0", "1", "-1", "2", "-2", "2147483647", "-2147483648", "2147483648",
        "-2147483649", "2147483646", "4294967296", "-4294967296", "4294967295", "9223372036854775807",
        "-9223372036854775808", "9223372036854775806", "-9223372036854775807", "9223372036854775808",
        "-9223372036854775809", "18446744073709551616", "18446744073709551615", "inf", "-inf", "+inf", "nan",
        "NaN", "-0", "0.0", "-0.0", "1e308", "-1e308", "1e309", "1e-310", "4.9e-324", "0x10", " 1", "1 ", "01",
        "+1", "1.5", "-1.5", "3.0", "1e3", "17179869184", "536870912", "536870911", "65536", "65535", "100000",
        "", "1abc", "--1", "1e", ".5", "5."};

    static final String[] WORDS = {"NX", "XX", "GT", "LT", "CH", "INCR", "EX", "PX", "EXAT", "PXAT", "KEEPTTL", "GET",
        "WITHSCORES", "WITHSCORE", "LIMIT", "BY", "REV", "BYSCORE", "BYLEX", "COUNT", "MATCH", "TYPE", "LEFT", "RIGHT",
        "BEFORE", "AFTER", "ALPHA", "ASC", "DESC", "STORE", "IDX", "MINMATCHLEN", "WITHMATCHLEN", "LEN", "RANK",
        "MAXLEN", "MIN", "MAX", "SUM", "AGGREGATE", "WEIGHTS", "ABSTTL", "REPLACE", "DB", "IDLETIME", "FREQ",
        "PERSIST", "WITHVALUES", "NOVALUES", "string", "list", "set", "zset", "hash", "stream", "HELP", "ON", "OFF",
        "SKIP", "YES", "NO", "RESET", "*", "#", "nosort", "3", "2"};

    static final String[] PATTERNS = {"*", "?", "a*", "*{t}*", "[a-z]*", "[^a]", "[", "\\", "[\\", "h*->f",
        "*->", "#", "**********************************************************a", "[a-", "[]", "\\x00"};

    static final String[] RANGES = {"(1", "[a", "-", "+", "(", "[", "(-inf", "(+inf", "(inf", "[\u00ff", "(a",
        "-inf", "+inf", "(nan", "[", "(9223372036854775807", "(1e308"};

    private final Random r;
    private final List<CommandSpec> specs = new ArrayList<>();
    /** Commands that got a non-error reply: mutated to reach past argument parsing with extremes. */
    private final List<byte[][]> corpus = new ArrayList<>();
    static final int CORPUS_SIZE = 4096;
    private final byte[] bigString;

    /**
     * @param table    the command table to draw from
     * @param r        the seeded source
     * @param excluded command names never to generate ({@code name}, or {@code container|sub})
     */
    public CommandFuzzer(CommandTable table, Random r, Set<String> excluded) {
        this.r = r;
        List<CommandSpec> top = new ArrayList<>(table.all());
        top.sort(Comparator.comparing(CommandSpec::name));
        for (CommandSpec s : top) {
            if (excluded.contains(s.name())) {
                continue;
            }
            if (s.subcommands().isEmpty()) {
                specs.add(s);
            } else {
                containers.add(s.name());
                for (CommandSpec sub : s.subcommands().values()) {
                    if (!excluded.contains(sub.fullName())) {
                        specs.add(sub);
                    }
                }
                specs.add(s); // the container itself, with a junk subcommand
            }
        }
        bigString = new byte[65536 + 17];
        Arrays.fill(bigString, (byte) 'x');
        bigString[1000] = 0;
    }

    /** @return the names of every command the fuzzer can generate */
    public Collection<String> commandNames() {
        Set<String> n = new TreeSet<>();
        for (CommandSpec s : specs) {
            n.add(s.fullName());
        }
        return n;
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** @return whether {@code argv} names a command with the BLOCKING flag */
    public static boolean isBlocking(CommandTable t, byte[][] argv) {
        if (argv.length == 0) {
            return false;
        }
        CommandSpec s = t.lookup(argv[0]);
        return s != null && s.has(CommandFlag.BLOCKING);
    }

    /**
     * Feedback: {@code argv} got a reply that was not an error. Such commands join a bounded corpus
     * that {@link #next} mutates (one argument replaced by an extreme, an option word inserted, an
     * argument dropped or repeated), so extremes reach the code behind argument parsing.
     */
    public void accepted(byte[][] argv) {
        if (argv.length > 64) {
            return;
        }
        if (corpus.size() < CORPUS_SIZE) {
            corpus.add(argv);
        } else {
            corpus.set(r.nextInt(CORPUS_SIZE), argv);
        }
    }

    private byte[][] mutate(byte[][] seed) {
        List<byte[]> a = new ArrayList<>(Arrays.asList(seed));
        int first = a.size() > 1 && isContainer(a.get(0)) ? 2 : 1;
        int n = 1 + (r.nextInt(4) == 0 ? r.nextInt(3) : 0);
        for (int k = 0; k < n; k++) {
            int at = first + (a.size() > first ? r.nextInt(a.size() - first) : 0);
            switch (r.nextInt(8)) {
                case 0, 1, 2 -> {
                    if (at < a.size()) {
                        a.set(at, value());
                    }
                }
                case 3 -> {
                    if (at < a.size()) {
                        a.set(at, key());
                    }
                }
                case 4 -> a.add(Math.min(at, a.size()), b(WORDS[r.nextInt(WORDS.length)]));
                case 5 -> {
                    if (at < a.size() && a.size() > first) {
                        a.remove(at);
                    }
                }
                case 6 -> {
                    a.add(b(WORDS[r.nextInt(WORDS.length)]));
                    a.add(value());
                }
                default -> {
                    if (at < a.size()) {
                        a.set(at, b(EXTREMES[r.nextInt(EXTREMES.length)]));
                    }
                }
            }
        }
        return a.toArray(new byte[0][]);
    }

    private final Set<String> containers = new TreeSet<>();

    private boolean isContainer(byte[] name) {
        return containers.contains(new String(name, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT));
    }

    /** @return the next command */
    public byte[][] next() {
        if (!corpus.isEmpty() && r.nextInt(100) < 35) {
            return defuse(mutate(corpus.get(r.nextInt(corpus.size()))));
        }
        int p = r.nextInt(1000);
        if (p < 30) {
            return grow();
        }
        if (p < 37) {
            return threshold();
        }
        CommandSpec s = specs.get(r.nextInt(specs.size()));
        // FLUSHALL/FLUSHDB/SWAPDB wipe what the rest built: make them rarer
        if ((s.name().startsWith("flush") || s.name().equals("swapdb")) && r.nextInt(8) != 0) {
            s = specs.get(r.nextInt(specs.size()));
        }
        return command(s);
    }

    private byte[][] command(CommandSpec s) {
        boolean sub = s.fullName().contains("|");
        boolean container = !s.subcommands().isEmpty();
        int arity = s.arity();
        int argc = arity > 0 ? arity : -arity + geometric();
        if (r.nextInt(20) == 0) {
            argc = Math.max(1, argc + (r.nextBoolean() ? 1 : -1) * (1 + r.nextInt(2)));
        }
        if (container) {
            argc = Math.max(2, argc);
        }
        byte[][] argv = new byte[argc][];
        String[] names = s.fullName().split("\\|");
        argv[0] = b(caseMix(names[0]));
        int from = 1;
        if (sub && argc > 1) {
            argv[1] = b(caseMix(names[1]));
            from = 2;
        } else if (container) {
            argv[1] = r.nextBoolean() ? b("nosuchsub") : value();
            from = 2;
        }
        boolean[] isKey = new boolean[argc];
        for (int k : legacyPositions(s, argc)) {
            isKey[k] = true;
        }
        for (int i = from; i < argc; i++) {
            argv[i] = isKey[i] && r.nextInt(50) != 0 ? key() : arg(s, i);
        }
        return defuse(argv);
    }

    /**
     * Where the legacy {@code (first, last, step)} triple puts keys in a call of {@code argc}
     * words, the last one clamped to the call: a hint for shaping generated calls, not key
     * extraction (that is {@code KeyExtractor}'s).
     */
    private static int[] legacyPositions(CommandSpec s, int argc) {
        int first = s.firstKey();
        int step = s.step();
        if (first <= 0 || step <= 0) {
            return new int[0];
        }
        int last = s.lastKey() < 0 ? argc + s.lastKey() : s.lastKey();
        if (last >= argc) {
            last = argc - 1;
        }
        int n = last < first ? 0 : (last - first) / step + 1;
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = first + i * step;
        }
        return idx;
    }

    private int geometric() {
        int n = 0;
        while (n < 12 && r.nextInt(3) != 0) {
            n++;
        }
        return n;
    }

    private String caseMix(String name) {
        int c = r.nextInt(4);
        return c == 0 ? name.toUpperCase(Locale.ROOT) : name;
    }

    /** @return a key of the small key space */
    public byte[] key() {
        return KEYS.get(r.nextInt(KEYS.size()));
    }

    private byte[] arg(CommandSpec s, int i) {
        int p = r.nextInt(100);
        if (p < 15) {
            return key(); // movable keys (numkeys forms), BY/GET patterns, LCS...
        }
        if (p < 25 && s.has(CommandFlag.MOVABLE_KEYS) && i <= 2) {
            return b(Integer.toString(r.nextInt(5)));
        }
        return value();
    }

    /** @return a non-key argument */
    public byte[] value() {
        int p = r.nextInt(100);
        if (p < 22) {
            return b(EXTREMES[r.nextInt(EXTREMES.length)]);
        }
        if (p < 40) {
            return b(Integer.toString(r.nextInt(24) - 3));
        }
        if (p < 58) {
            return b(WORDS[r.nextInt(WORDS.length)]);
        }
        if (p < 72) {
            return b("m" + r.nextInt(12));
        }
        if (p < 78) {
            return b(PATTERNS[r.nextInt(PATTERNS.length)]);
        }
        if (p < 85) {
            return b(RANGES[r.nextInt(RANGES.length)]);
        }
        if (p < 90) {
            return binary();
        }
        if (p < 94) {
            return b(Double.toString(r.nextGaussian() * 1000));
        }
        if (p < 97) {
            return b(Long.toString(r.nextLong() >> r.nextInt(64)));
        }
        if (r.nextInt(12) == 0) {
            return bigString.clone();
        }
        byte[] m = new byte[65 + r.nextInt(200)];
        Arrays.fill(m, (byte) ('a' + r.nextInt(26)));
        return m;
    }

    private byte[] binary() {
        switch (r.nextInt(5)) {
            case 0:
                return new byte[] {0};
            case 1:
                return new byte[] {(byte) 0xFF, (byte) 0xFE};
            case 2:
                return new byte[] {(byte) 0xC3, (byte) 0x28}; // invalid UTF-8
            case 3:
                return new byte[] {'1', 0, '2'};
            default:
                byte[] x = new byte[1 + r.nextInt(12)];
                r.nextBytes(x);
                return x;
        }
    }

    private static long parseLongOr(byte[] a, long dflt) {
        try {
            return Long.parseLong(new String(a, StandardCharsets.ISO_8859_1));
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    private byte[][] defuse(byte[][] argv) {
        String cmd = new String(argv[0], StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        String sub = argv.length > 1 ? new String(argv[1], StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT) : "";
        if (SKIP.contains("huge-random-count") && argv.length >= 3
            && (cmd.equals("srandmember") || cmd.equals("hrandfield") || cmd.equals("zrandmember"))) {
            long count = parseLongOr(argv[2], 0);
            if (count < -(1L << 20) && count >= -(1L << 31)) {
                argv[2] = b("-1000");
            }
        }
        if (cmd.equals("setrange") && argv.length >= 3) {
            long off = parseLongOr(argv[2], 0);
            if (off > (1L << 24) && off <= 512L * 1024 * 1024) {
                argv[2] = b(Long.toString(1L << 24));
            }
        }
        if (cmd.equals("client") && sub.equals("pause") && argv.length >= 3) {
            long ms = parseLongOr(argv[2], 0);
            if (ms > 10) {
                argv[2] = b("10");
            }
        }
        if (cmd.equals("migrate") && argv.length >= 6) {
            argv[1] = b("127.0.0.1");
            argv[2] = b("1");
            argv[5] = b("100");
        }
        if (cmd.equals("pfselftest") && argv.length == 1) {
            argv = new byte[][] {argv[0], b("x")};
        }
        if (cmd.equals("debug") && argv.length >= 3 && new String(argv[1], StandardCharsets.ISO_8859_1)
            .equalsIgnoreCase("sleep")) {
            argv[2] = b("0");
        }
        if (cmd.equals("debug") && argv.length >= 3 && new String(argv[1], StandardCharsets.ISO_8859_1)
            .equalsIgnoreCase("populate") && parseLongOr(argv[2], 0) > 100) {
            argv[2] = b("100");
        }
        if (cmd.equals("config") && sub.equals("set")) {
            for (int i = 2; i < argv.length; i += 2) {
                String name = new String(argv[i], StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
                if (UNTOUCHABLE_CONFIG.contains(name) || r.nextInt(3) == 0) {
                    argv[i] = b(THRESHOLDS[r.nextInt(THRESHOLDS.length)]);
                }
            }
        }
        return argv;
    }

    /** A well-formed many-element write, so structures cross their listpack/intset thresholds. */
    private byte[][] grow() {
        byte[] key = key();
        int n = 1 + r.nextInt(r.nextInt(8) == 0 ? 700 : 140);
        List<byte[]> a = new ArrayList<>();
        int kind = r.nextInt(5);
        boolean longValues = r.nextInt(6) == 0;
        switch (kind) {
            case 0 -> {
                a.add(b("ZADD"));
                a.add(key);
                for (int i = 0; i < n; i++) {
                    a.add(b(r.nextInt(4) == 0 ? Integer.toString(r.nextInt(10)) : Double.toString(r.nextGaussian() * 100)));
                    a.add(member(i, longValues));
                }
            }
            case 1 -> {
                a.add(b(r.nextBoolean() ? "HSET" : "HMSET"));
                a.add(key);
                for (int i = 0; i < n; i++) {
                    a.add(member(i, false));
                    a.add(longValues ? member(i, true) : b(Integer.toString(r.nextInt())));
                }
            }
            case 2 -> {
                a.add(b(r.nextBoolean() ? "RPUSH" : "LPUSH"));
                a.add(key);
                for (int i = 0; i < n; i++) {
                    a.add(r.nextBoolean() ? b(Integer.toString(r.nextInt(1000))) : member(i, longValues));
                }
            }
            case 3 -> {
                a.add(b("SADD"));
                a.add(key);
                for (int i = 0; i < n; i++) {
                    a.add(b(Long.toString(r.nextInt(4) == 0 ? r.nextLong() : r.nextInt(2000) - 1000)));
                }
            }
            default -> {
                a.add(b("SADD"));
                a.add(key);
                for (int i = 0; i < n; i++) {
                    a.add(member(i, longValues));
                }
            }
        }
        return a.toArray(new byte[0][]);
    }

    private byte[] member(int i, boolean longValue) {
        String m = "m" + (i < 12 && r.nextBoolean() ? i : r.nextInt(100000));
        if (longValue) {
            m = m + "-".repeat(64 + r.nextInt(64));
        }
        return b(m);
    }

    /** CONFIG SET of a compact-encoding threshold to a small or default value. */
    private byte[][] threshold() {
        String name = THRESHOLDS[r.nextInt(THRESHOLDS.length)];
        String v;
        if (name.equals("list-max-listpack-size")) {
            String[] vs = {"-1", "-2", "-3", "-4", "-5", "1", "2", "3", "5", "128", "0", "-6"};
            v = vs[r.nextInt(vs.length)];
        } else {
            String[] vs = {"0", "1", "2", "3", "5", "16", "64", "128", "512"};
            v = vs[r.nextInt(vs.length)];
        }
        return new byte[][] {b("CONFIG"), b("SET"), b(name), b(v)};
    }

    /** @return {@code argv} as one printable line (escaped; long arguments abbreviated) */
    public static String format(byte[][] argv) {
        StringBuilder sb = new StringBuilder();
        for (byte[] a : argv) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(quote(a));
        }
        return sb.toString();
    }

    /** @return {@code a} as a double-quoted, escaped string; long ones abbreviated */
    public static String quote(byte[] a) {
        StringBuilder sb = new StringBuilder("\"");
        int shown = Math.min(a.length, 80);
        for (int i = 0; i < shown; i++) {
            int c = a[i] & 0xFF;
            if (c == '"' || c == '\\') {
                sb.append('\\').append((char) c);
            } else if (c >= 0x20 && c < 0x7F) {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        sb.append('"');
        if (a.length > shown) {
            sb.append("...(").append(a.length).append(" bytes)");
        }
        return sb.toString();
    }
}
