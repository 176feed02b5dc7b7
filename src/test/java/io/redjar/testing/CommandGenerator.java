package io.redjar.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Base class for seeded random command generators used by {@link DifferentialRunner}.
 *
 * <p>The same seed always yields the same sequence. Subclasses register weighted command builders
 * in their constructor and build arguments from the helpers below, which draw from deliberately
 * small spaces so that commands collide on the same keys and hit edge cases often:
 * <ul>
 *   <li>{@link #key()}: one of {@link #keyCount()} keys ({@code k0}..{@code k5} by default);</li>
 *   <li>{@link #value()}: a small set of strings (numbers, near-numbers, binary, empty);</li>
 *   <li>{@link #integerArg()}: edge integers (0, -1, {@code Long.MAX_VALUE}, {@code Long.MIN_VALUE}, ...),
 *       small random ones, and now and then a non-integer ({@code "abc"}, {@code ""}, {@code " 1"},
 *       {@code "1.5"}, {@code "inf"}, ...);</li>
 *   <li>{@link #floatArg()}, {@link #smallInt(int, int)}, {@link #chance(double)}, {@link #pick(Object[])}.</li>
 * </ul>
 *
 * <p>A concrete generator is a few lines per command:
 * <pre>{@code
 * final class ListCommandGenerator extends CommandGenerator {
 *     ListCommandGenerator(long seed) {
 *         super(seed);
 *         command(5, () -> cmd("LPUSH", key(), value()));
 *         command(2, () -> cmd("LRANGE", key(), integerArg(), integerArg()));
 *         command(1, () -> cmd("TTL", key()).compareWith(ReplyComparator.ttl(5)));
 *     }
 * }
 * }</pre>
 *
 * <p><b>Thread-safety:</b> not thread-safe.
 */
public abstract class CommandGenerator {

    /** Default number of distinct keys. */
    public static final int DEFAULT_KEY_COUNT = 6;

    /** Integers that hit boundaries: zero, signs, and the ends of the 64-bit range. */
    protected static final List<String> EDGE_INTEGERS = List.of("0", "1", "-1", "2", "10", "-10", "100",
            Long.toString(Long.MAX_VALUE), Long.toString(Long.MIN_VALUE),
            Long.toString(Long.MAX_VALUE - 1), Long.toString(Long.MIN_VALUE + 1));

    /** Strings that are not 64-bit integers although some look like one. */
    protected static final List<String> NON_INTEGERS = List.of("abc", "", " 1", "1 ", "1.5", "inf", "+1", "0x10",
            "01", "-0", "9223372036854775808", "-9223372036854775809", "1e3");

    /** Increments for float commands: ordinary, exact-in-binary and not, special, and invalid. */
    protected static final List<String> FLOATS = List.of("0", "1", "-1", "0.5", "1.5", "-2.25", "0.1", "3.0e2",
            "-5e-1", "10.75", "1000000", "inf", "-inf", "nan", "abc", "", " 1", "1.5x");

    /** The value space: numbers, near-numbers, overlapping words, empty and binary strings. */
    protected static final List<byte[]> VALUES = List.of(b(""), b("0"), b("1"), b("-1"), b("10"), b("42"), b("abc"),
            b("abcd"), b("bcd"), b("hello world"), b("1.5"), b(" 1"), b("inf"), b("007"),
            b(Long.toString(Long.MAX_VALUE)), b(Long.toString(Long.MIN_VALUE)),
            new byte[] {0, (byte) 0xff, '\r', '\n', 'x'});

    private final long seed;
    private final Random random;
    private final int keyCount;
    private final List<Supplier<Step>> builders = new ArrayList<>();
    private final List<Integer> cumulativeWeights = new ArrayList<>();
    private int totalWeight;

    /** A generator over {@link #DEFAULT_KEY_COUNT} keys. */
    protected CommandGenerator(long seed) {
        this(seed, DEFAULT_KEY_COUNT);
    }

    /** A generator over {@code keyCount} keys ({@code k0}..). */
    protected CommandGenerator(long seed, int keyCount) {
        if (keyCount < 1) {
            throw new IllegalArgumentException("keyCount < 1");
        }
        this.seed = seed;
        this.random = new Random(seed);
        this.keyCount = keyCount;
    }

    /** @return the seed this generator was created with */
    public final long seed() {
        return seed;
    }

    /** @return the number of distinct keys */
    public final int keyCount() {
        return keyCount;
    }

    /** Registers a command builder, chosen with probability {@code weight / total weight}. */
    protected final void command(int weight, Supplier<Step> builder) {
        if (weight <= 0) {
            throw new IllegalArgumentException("weight must be positive");
        }
        totalWeight += weight;
        builders.add(builder);
        cumulativeWeights.add(totalWeight);
    }

    /** @return the next random step */
    public Step next() {
        if (builders.isEmpty()) {
            throw new IllegalStateException(getClass().getSimpleName() + " registered no commands");
        }
        int r = random.nextInt(totalWeight);
        int i = 0;
        while (cumulativeWeights.get(i) <= r) {
            i++;
        }
        return builders.get(i).get();
    }

    /** @return the next {@code n} steps */
    public List<Step> generate(int n) {
        List<Step> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(next());
        }
        return out;
    }

    // ---- building blocks ------------------------------------------------------------------

    /** @return the underlying random source (seeded) */
    protected final Random random() {
        return random;
    }

    /**
     * Builds an exactly-compared step; the command name (first part, when a String) is given a
     * random letter case now and then, since command names are case-insensitive.
     */
    protected final Step cmd(Object... parts) {
        if (parts.length > 0 && parts[0] instanceof String name) {
            parts = parts.clone();
            parts[0] = kw(name);
        }
        return Step.of(parts);
    }

    /** @return {@code keyword}, in a random letter case one time in ten */
    protected final String kw(String keyword) {
        if (!chance(0.1)) {
            return keyword;
        }
        return random.nextBoolean() ? keyword.toLowerCase(Locale.ROOT) : mixedCase(keyword);
    }

    private String mixedCase(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            sb.append(random.nextBoolean() ? Character.toLowerCase(c) : Character.toUpperCase(c));
        }
        return sb.toString();
    }

    /** @return one of the keys {@code k0}..{@code k(keyCount-1)} */
    protected final byte[] key() {
        return b("k" + random.nextInt(keyCount));
    }

    /** @return between {@code min} and {@code max} keys (inclusive), repeats allowed */
    protected final byte[][] keys(int min, int max) {
        int n = smallInt(min, max);
        byte[][] out = new byte[n][];
        for (int i = 0; i < n; i++) {
            out[i] = key();
        }
        return out;
    }

    /** @return a fresh copy of one of {@link #VALUES} */
    protected final byte[] value() {
        return pick(VALUES).clone();
    }

    /** @return an integer argument: edge values, small random values, and 15% non-integers */
    protected final String integerArg() {
        double r = random.nextDouble();
        if (r < 0.15) {
            return pick(NON_INTEGERS);
        }
        if (r < 0.5) {
            return pick(EDGE_INTEGERS);
        }
        return Integer.toString(smallInt(-1000, 1000));
    }

    /** @return a float argument from {@link #FLOATS}, or a small random integer */
    protected final String floatArg() {
        return chance(0.8) ? pick(FLOATS) : Integer.toString(smallInt(-100, 100));
    }

    /** @return a uniformly random int in {@code [lo, hi]} */
    protected final int smallInt(int lo, int hi) {
        return lo + random.nextInt(hi - lo + 1);
    }

    /** @return a uniformly random long in {@code [lo, hi]} */
    protected final long between(long lo, long hi) {
        return lo + (long) (random.nextDouble() * (hi - lo + 1));
    }

    /** @return true with probability {@code p} */
    protected final boolean chance(double p) {
        return random.nextDouble() < p;
    }

    /** @return one of {@code options}, uniformly */
    @SafeVarargs
    protected final <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }

    /** @return one element of {@code options}, uniformly */
    protected final <T> T pick(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    /** @return {@code parts} (to splice into {@link #cmd}) with probability {@code p}, else nothing */
    protected final List<Object> maybe(double p, Object... parts) {
        return chance(p) ? List.of(parts) : List.of();
    }

    /** @return the UTF-8 bytes of {@code s} */
    protected static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
