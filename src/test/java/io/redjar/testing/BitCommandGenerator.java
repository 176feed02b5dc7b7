package io.redjar.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * Random bitmap commands: {@code SETBIT}, {@code GETBIT}, {@code BITCOUNT}, {@code BITPOS},
 * {@code BITOP}, {@code BITFIELD} and {@code BITFIELD_RO}, mixed with {@code SET} (integer and
 * binary values), {@code SETRANGE}, {@code APPEND}, {@code GET}, {@code STRLEN}, {@code DEL},
 * {@code OBJECT ENCODING} and a list key for WRONGTYPE. Offsets are mostly small, sometimes up
 * to a few MB; offsets near and past {@code 2^32} appear only where they cannot allocate
 * (reads, or writes that must fail), so runs stay fast.
 */
public class BitCommandGenerator extends CommandGenerator {
    private static final List<String> BAD_OFFSETS = List.of("-1", "4294967296", "9223372036854775807", "abc", "", "1.5", "+1");
    private static final List<String> RANGE_EDGES = List.of("0", "-1", "1", "-2", "7", "8", "-8", "-100", "100",
        "9223372036854775807", "-9223372036854775808", "x");

    /** A generator over the default key space. */
    public BitCommandGenerator(long seed) {
        super(seed, DEFAULT_KEY_COUNT);
        command(10, () -> cmd("SETBIT", key(), writeOffset(), bitArg()));
        command(8, () -> cmd("GETBIT", key(), readOffset()));
        command(6, this::bitcount);
        command(6, this::bitpos);
        command(5, this::bitop);
        command(8, () -> bitfield("BITFIELD"));
        command(3, () -> bitfield("BITFIELD_RO"));
        command(4, () -> cmd("SET", key(), pick(b("12345"), b("-7"), b("0"), b("\u00ff\u0000\u0080"), b("abc"), b(""),
            b("9223372036854775807"), b("x".repeat(50)))));
        command(2, () -> cmd("SETRANGE", key(), smallInt(0, 40), value()));
        command(2, () -> cmd("APPEND", key(), value()));
        command(3, () -> cmd("GET", key()));
        command(2, () -> cmd("STRLEN", key()));
        command(2, () -> cmd("DEL", key()));
        command(2, () -> cmd("OBJECT", "ENCODING", key()));
        command(1, () -> cmd("LPUSH", key(), "a"));
        command(1, () -> cmd("DBSIZE"));
    }

    private Object writeOffset() {
        double r = random().nextDouble();
        if (r < 0.05) {
            return pick(BAD_OFFSETS);
        }
        if (r < 0.07) {
            return between(0, 3L * 8 * 1024 * 1024);
        }
        return smallInt(0, 300);
    }

    private Object readOffset() {
        double r = random().nextDouble();
        if (r < 0.05) {
            return pick(BAD_OFFSETS);
        }
        if (r < 0.08) {
            return pick("4294967295", "4294967294", "536870911", Long.toString(between(0, 4294967295L)));
        }
        return smallInt(0, 400);
    }

    private Object bitArg() {
        return chance(0.05) ? pick("2", "-1", "x", "", "01") : pick("0", "1");
    }

    private Object rangeArg() {
        return chance(0.3) ? pick(RANGE_EDGES) : Integer.toString(smallInt(-60, 60));
    }

    private Object unit() {
        return pick(kw("BIT"), kw("BYTE"), chance(0.1) ? "BOTH" : kw("BIT"));
    }

    private Step bitcount() {
        int shape = smallInt(0, 5);
        switch (shape) {
            case 0:
                return cmd("BITCOUNT", key());
            case 1:
                return cmd("BITCOUNT", key(), rangeArg());
            case 2:
            case 3:
                return cmd("BITCOUNT", key(), rangeArg(), rangeArg());
            case 4:
                return cmd("BITCOUNT", key(), rangeArg(), rangeArg(), unit());
            default:
                return cmd("BITCOUNT", key(), rangeArg(), rangeArg(), unit(), "x");
        }
    }

    private Step bitpos() {
        Object bit = chance(0.05) ? pick("2", "x") : pick("0", "1");
        int shape = smallInt(0, 5);
        switch (shape) {
            case 0:
                return cmd("BITPOS", key(), bit);
            case 1:
                return cmd("BITPOS", key(), bit, rangeArg());
            case 2:
                return cmd("BITPOS", key(), bit, rangeArg(), rangeArg());
            case 3:
            case 4:
                return cmd("BITPOS", key(), bit, rangeArg(), rangeArg(), unit());
            default:
                return cmd("BITPOS", key(), bit, rangeArg(), rangeArg(), unit(), "x");
        }
    }

    private Step bitop() {
        String op = pick("AND", "OR", "XOR", "NOT", "NOT", chance(0.1) ? "NAND" : "OR");
        int n = op.equals("NOT") && chance(0.9) ? 1 : smallInt(1, 4);
        return cmd("BITOP", kw(op), key(), keys(n, n));
    }

    private Object type() {
        double r = random().nextDouble();
        if (r < 0.04) {
            return pick("u64", "i65", "i0", "u", "x8", "I8", "", "u-1");
        }
        if (r < 0.5) {
            return pick("u1", "i1", "u8", "i8", "u16", "i16", "u63", "i64", "i32", "u32");
        }
        return (chance(0.5) ? "i" : "u") + smallInt(1, 63);
    }

    private Object fieldOffset() {
        double r = random().nextDouble();
        if (r < 0.04) {
            return pick(BAD_OFFSETS);
        }
        if (r < 0.3) {
            return "#" + smallInt(0, 20);
        }
        return smallInt(0, 200);
    }

    private Object fieldValue() {
        return chance(0.4) ? integerArg()
            : pick("9223372036854775807", "-9223372036854775808", "255", "256", "-129", "127", "128", "-1", "1", "100");
    }

    private Step bitfield(String name) {
        List<Object> parts = new ArrayList<>();
        int n = smallInt(0, 5);
        for (int i = 0; i < n; i++) {
            double r = random().nextDouble();
            if (r < 0.35) {
                parts.addAll(List.of(kw("GET"), type(), chance(0.05) ? readOffset() : fieldOffset()));
            } else if (r < 0.6) {
                parts.addAll(List.of(kw("SET"), type(), fieldOffset(), fieldValue()));
            } else if (r < 0.85) {
                parts.addAll(List.of(kw("INCRBY"), type(), fieldOffset(), fieldValue()));
            } else if (r < 0.98) {
                parts.addAll(List.of(kw("OVERFLOW"), pick(kw("WRAP"), kw("SAT"), kw("FAIL"), chance(0.1) ? "NONE" : "SAT")));
            } else {
                parts.add(pick("GET", "SET", "FOO"));
            }
        }
        return cmd(name, key(), parts);
    }
}
