package io.redjar.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/**
 * Random commands over the string type and the generic key space: {@code SET} (with random
 * {@code NX}/{@code XX}/{@code GET}/{@code KEEPTTL}/{@code EX}/{@code PX}, in random order),
 * {@code GET}, {@code GETDEL}, {@code GETSET}, {@code SETNX}, {@code MSET}, {@code MSETNX},
 * {@code MGET}, {@code APPEND}, {@code STRLEN}, {@code GETRANGE}, {@code SETRANGE},
 * {@code INCR}, {@code DECR}, {@code INCRBY}, {@code DECRBY}, {@code INCRBYFLOAT}, {@code DEL},
 * {@code EXISTS}, {@code TYPE}, {@code RENAME}, {@code RENAMENX}, {@code COPY}, {@code PERSIST},
 * {@code TTL}, {@code PTTL}, {@code DBSIZE}, {@code LCS}, plus a few wrong-arity and invalid-option
 * commands so error replies are compared too.
 *
 * <p>Expiry times are at least {@value #MIN_EXPIRE_SECONDS} seconds, so no key expires during a
 * run and every reply except {@code TTL}/{@code PTTL} is deterministic; those two are compared with
 * {@link ReplyComparator#ttl(long)} ({@value #TTL_TOLERANCE_SECONDS} s / ms equivalent).
 */
public class StringCommandGenerator extends CommandGenerator {

    /** Smallest expiry used, in seconds. */
    public static final long MIN_EXPIRE_SECONDS = 1000;
    /** Largest expiry used, in seconds. */
    public static final long MAX_EXPIRE_SECONDS = 100_000;
    /** Allowed difference between the two targets' {@code TTL} replies. */
    public static final long TTL_TOLERANCE_SECONDS = 5;

    /** Offset past the 512 MiB string limit: SETRANGE with it fails without allocating anything. */
    private static final String HUGE_OFFSET = "536870912";
    /** Offsets where {@code offset + length} overflows a long (these once crashed the JVM). */
    private static final String[] OVERFLOWING_OFFSETS = {"9223372036854775807", "9223372036854775806", "9223372036854775000"};

    /** A generator over the default key space. */
    public StringCommandGenerator(long seed) {
        this(seed, DEFAULT_KEY_COUNT);
    }

    /** A generator over {@code keyCount} keys. */
    public StringCommandGenerator(long seed, int keyCount) {
        super(seed, keyCount);
        command(12, this::set);
        command(8, () -> cmd("GET", key()));
        command(2, () -> cmd("GETDEL", key()));
        command(2, () -> cmd("GETSET", key(), value()));
        command(2, () -> cmd("SETNX", key(), value()));
        command(3, () -> cmd("MSET", pairs()));
        command(2, () -> cmd("MSETNX", pairs()));
        command(3, () -> cmd("MGET", keys(1, 4)));
        command(4, () -> cmd("APPEND", key(), value()));
        command(2, () -> cmd("STRLEN", key()));
        command(3, () -> cmd("GETRANGE", key(), rangeIndex(), rangeIndex()));
        command(3, () -> cmd("SETRANGE", key(), setrangeOffset(), value()));
        command(3, () -> cmd("INCR", key()));
        command(2, () -> cmd("DECR", key()));
        command(3, () -> cmd("INCRBY", key(), integerArg()));
        command(2, () -> cmd("DECRBY", key(), integerArg()));
        command(3, () -> cmd("INCRBYFLOAT", key(), floatArg()));
        command(3, () -> cmd("DEL", keys(1, 3)));
        command(2, () -> cmd("EXISTS", keys(1, 4)));
        command(2, () -> cmd("TYPE", key()));
        command(2, () -> cmd("RENAME", key(), key()));
        command(1, () -> cmd("RENAMENX", key(), key()));
        command(2, () -> cmd("COPY", key(), key(), maybe(0.4, kw("REPLACE"))));
        command(2, () -> cmd("PERSIST", key()));
        command(2, () -> cmd("TTL", key()).compareWith(ReplyComparator.ttl(TTL_TOLERANCE_SECONDS)));
        command(1, () -> cmd("PTTL", key()).compareWith(ReplyComparator.ttl(TTL_TOLERANCE_SECONDS * 1000)));
        command(1, () -> cmd("DBSIZE"));
        command(2, this::lcs);
        command(1, this::malformed);
    }

    /** {@code SET key value} with a random, occasionally invalid, combination of options. */
    protected Step set() {
        List<List<Object>> options = new ArrayList<>();
        double c = random().nextDouble();
        if (c < 0.15) {
            options.add(List.of(kw("NX")));
        } else if (c < 0.30) {
            options.add(List.of(kw("XX")));
        } else if (c < 0.32) {
            options.add(List.of(kw("NX")));
            options.add(List.of(kw("XX"))); // syntax error
        }
        if (chance(0.2)) {
            options.add(List.of(kw("GET")));
        }
        double e = random().nextDouble();
        if (e < 0.15) {
            options.add(List.of(kw("EX"), between(MIN_EXPIRE_SECONDS, MAX_EXPIRE_SECONDS)));
        } else if (e < 0.25) {
            options.add(List.of(kw("PX"), between(MIN_EXPIRE_SECONDS * 1000, MAX_EXPIRE_SECONDS * 1000)));
        } else if (e < 0.35) {
            options.add(List.of(kw("KEEPTTL")));
        } else if (e < 0.38) {
            // invalid expiry: zero, negative, not an integer, or two expiry options
            options.add(pick(List.<Object>of(kw("EX"), 0), List.<Object>of(kw("PX"), -5),
                    List.<Object>of(kw("EX"), "abc"), List.<Object>of(kw("EX"), 1000, kw("KEEPTTL"))));
        } else if (e < 0.39) {
            options.add(List.of(kw("BOGUS")));
        }
        Collections.shuffle(options, random());
        return cmd("SET", key(), value(), options);
    }

    /** 1..3 key/value pairs; 3% of the time a dangling key (wrong number of arguments). */
    protected List<Object> pairs() {
        List<Object> out = new ArrayList<>();
        int n = smallInt(1, 3);
        for (int i = 0; i < n; i++) {
            out.add(key());
            out.add(value());
        }
        if (chance(0.03)) {
            out.add(key());
        }
        return out;
    }

    /** A GETRANGE index: mostly small and signed, sometimes an edge or non-integer. */
    protected String rangeIndex() {
        return chance(0.85) ? Integer.toString(smallInt(-12, 12)) : integerArg();
    }

    /** A SETRANGE offset: small, or negative / past the size limit / not an integer. */
    protected String setrangeOffset() {
        double r = random().nextDouble();
        if (r < 0.90) {
            return Integer.toString(smallInt(0, 12));
        }
        if (r < 0.93) {
            return "-1";
        }
        if (r < 0.95) {
            return HUGE_OFFSET;
        }
        if (r < 0.96) {
            return pick(OVERFLOWING_OFFSETS);
        }
        return pick(NON_INTEGERS);
    }

    /** {@code LCS k1 k2} with random LEN / IDX / MINMATCHLEN / WITHMATCHLEN. */
    protected Step lcs() {
        List<Object> opts = new ArrayList<>();
        double r = random().nextDouble();
        if (r < 0.3) {
            opts.add(kw("LEN"));
        } else if (r < 0.7) {
            opts.add(kw("IDX"));
            if (chance(0.5)) {
                opts.add(kw("MINMATCHLEN"));
                opts.add(chance(0.9) ? Integer.toString(smallInt(0, 4)) : integerArg());
            }
            if (chance(0.5)) {
                opts.add(kw("WITHMATCHLEN"));
            }
        } else if (r < 0.73) {
            opts.add(kw("LEN"));
            opts.add(kw("IDX")); // error: both
        }
        return cmd("LCS", key(), key(), opts);
    }

    /** Wrong arity and unknown options, so error replies are compared as well. */
    protected Step malformed() {
        List<Supplier<Step>> forms = List.of(
                () -> cmd("GET"),
                () -> cmd("GET", key(), key()),
                () -> cmd("SET", key()),
                () -> cmd("INCR", key(), "1"),
                () -> cmd("APPEND", key()),
                () -> cmd("GETRANGE", key(), "0"),
                () -> cmd("RENAME", key()),
                () -> cmd("COPY", key(), key(), kw("BOGUS")),
                () -> cmd("MGET"),
                () -> cmd("DBSIZE", key()),
                () -> cmd("EXISTS"),
                () -> cmd("LCS", key()));
        return pick(forms).get();
    }
}
