package io.redjar.internal.script.lib;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Seeded generators of Lua value constructors (as Lua source), JSON texts and MessagePack byte
 * strings for the random differential tests. A generated value records whether its encoding is
 * independent of table iteration order ({@link Value#orderSafe}): true unless some table has
 * two or more non-array keys (whose order Lua 5.1 and LuaJ choose differently).
 */
final class RandomLuaValues {
    /** Lua source of a value, and whether its encodings can be compared byte for byte. */
    record Value(String lua, boolean orderSafe) {
    }

    private static final String DAMAGE = "{}[],:\"\\x0-+e.tfn";

    private final Random random;
    private final boolean holes;

    /**
     * @param random the seeded random
     * @param holes  whether arrays may contain nil holes (cjson encodes them as null; cmsgpack
     *               turns such a table into a map)
     */
    RandomLuaValues(Random random, boolean holes) {
        this.random = random;
        this.holes = holes;
    }

    Value value(int depth) {
        int kind = random.nextInt(depth > 3 ? 6 : 9);
        switch (kind) {
            case 0:
                return new Value(random.nextBoolean() ? "true" : "false", true);
            case 1:
            case 2:
                return new Value(number(), true);
            case 3:
            case 4:
                return new Value(string(), true);
            case 5:
                return new Value(random.nextInt(4) == 0 ? "cjson.null" : number(), true);
            case 6:
            case 7:
                return array(depth);
            default:
                return object(depth);
        }
    }

    String number() {
        switch (random.nextInt(12)) {
            case 0:
                return Integer.toString(random.nextInt(200) - 100);
            case 1:
                return Integer.toString(random.nextInt());
            case 2:
                return Long.toString(random.nextLong() >> random.nextInt(64));
            case 3:
                return "(" + (random.nextInt(20001) - 10000) + " / " + (1 << random.nextInt(12)) + ")";
            case 4:
                return "(" + (random.nextInt(2001) - 1000) + " / " + (1 + random.nextInt(999)) + ")";
            case 5:
                return "(" + random.nextInt(1 << 30) + " * 2^" + (random.nextInt(120) - 60) + ")";
            case 6:
                return "(" + (random.nextInt(1 << 30) - (1 << 29)) + " * 2^" + random.nextInt(1000) + ")";
            case 7:
                return "(" + random.nextInt(1 << 30) + " * 2^-" + random.nextInt(1000) + ")";
            case 8:
                return "(2^" + random.nextInt(70) + (random.nextBoolean() ? " - 1" : " + 0") + ")";
            case 9:
                return "(-2^" + random.nextInt(70) + ")";
            case 10:
                return "(" + random.nextInt(100000) + " / 1000)";
            default:
                return Integer.toString(random.nextInt(300));
        }
    }

    String string() {
        int len;
        switch (random.nextInt(10)) {
            case 0:
                len = 0;
                break;
            case 1:
                return "string.rep(" + LuaDiff.lit(bytes(1 + random.nextInt(3))) + ", " + (random.nextInt(70000)) + ")";
            case 2:
                len = 28 + random.nextInt(8);
                break;
            default:
                len = random.nextInt(20);
        }
        return LuaDiff.lit(bytes(len));
    }

    private byte[] bytes(int len) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            int r = random.nextInt(10);
            if (r < 6) {
                b[i] = (byte) (0x20 + random.nextInt(95));
            } else if (r < 8) {
                b[i] = (byte) "\"\\/\b\f\n\r\t\u0000\u007f".charAt(random.nextInt(10));
            } else {
                b[i] = (byte) random.nextInt(256);
            }
        }
        return b;
    }

    private Value array(int depth) {
        int n = random.nextInt(random.nextInt(10) == 0 ? 20 : 5);
        StringBuilder sb = new StringBuilder("{");
        boolean safe = true;
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            if (holes && random.nextInt(8) == 0 && i < n - 1) {
                sb.append("nil");
                continue;
            }
            Value v = value(depth + 1);
            safe &= v.orderSafe;
            sb.append(v.lua);
        }
        return new Value(sb.append('}').toString(), safe);
    }

    private Value object(int depth) {
        int n = random.nextInt(4) == 0 ? 0 : random.nextInt(3) == 0 ? 2 + random.nextInt(4) : 1;
        StringBuilder sb = new StringBuilder("{");
        boolean safe = n <= 1;
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            String key;
            switch (random.nextInt(5)) {
                case 0:
                    key = Integer.toString(random.nextInt(40) - 5);
                    break;
                case 1:
                    key = "(" + random.nextInt(100) + " / 8)";
                    break;
                case 2:
                    key = "true";
                    break;
                default:
                    key = LuaDiff.lit(bytes(random.nextInt(6)));
            }
            Value v = value(depth + 1);
            safe &= v.orderSafe;
            sb.append('[').append(key).append("] = ").append(v.lua);
        }
        return new Value(sb.append('}').toString(), safe);
    }

    /** A JSON text (sometimes damaged) for {@code cjson.decode}. */
    String json(int depth) {
        StringBuilder sb = new StringBuilder();
        jsonValue(sb, depth);
        String s = sb.toString();
        if (random.nextInt(6) == 0 && !s.isEmpty()) {
            int at = random.nextInt(s.length());
            s = random.nextBoolean() ? s.substring(0, at) + s.substring(at + 1)
                : s.substring(0, at) + DAMAGE.charAt(random.nextInt(DAMAGE.length())) + s.substring(at);
        }
        return s;
    }

    private void ws(StringBuilder sb) {
        if (random.nextInt(4) == 0) {
            sb.append(" \t\n\r".charAt(random.nextInt(4)));
        }
    }

    private void jsonValue(StringBuilder sb, int depth) {
        ws(sb);
        switch (random.nextInt(depth > 3 ? 4 : 6)) {
            case 0 -> sb.append(new String[] {"true", "false", "null"}[random.nextInt(3)]);
            case 1 -> sb.append(new String[] {"0", "-0.5", "1e5", "1E+2", "2.5e-3", "123456789012345678", "-7",
                "3.14159", "1e308", "4.9e-324", "0.1", "100", "-1.5E-7", "0x1F", "+3", "012", "Infinity", "-inf", "NaN"}[random.nextInt(19)]);
            case 2, 3 -> jsonString(sb);
            case 4 -> {
                sb.append('[');
                int n = random.nextInt(5);
                for (int i = 0; i < n; i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    jsonValue(sb, depth + 1);
                }
                ws(sb);
                sb.append(']');
            }
            default -> {
                sb.append('{');
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    ws(sb);
                    jsonString(sb);
                    ws(sb);
                    sb.append(':');
                    jsonValue(sb, depth + 1);
                }
                ws(sb);
                sb.append('}');
            }
        }
        ws(sb);
    }

    private void jsonString(StringBuilder sb) {
        sb.append('"');
        int n = random.nextInt(8);
        for (int i = 0; i < n; i++) {
            switch (random.nextInt(8)) {
                case 0 -> sb.append('\\').append("\"\\/bfnrt".charAt(random.nextInt(8)));
                case 1 -> sb.append(String.format("\\u%04x", random.nextInt(0x10000)));
                case 2 -> sb.append(String.format("\\u%04X\\u%04x", 0xD800 + random.nextInt(0x400), 0xDC00 + random.nextInt(0x400)));
                case 3 -> sb.append((char) (0x80 + random.nextInt(0x80)));
                default -> sb.append((char) ('a' + random.nextInt(26)));
            }
        }
        sb.append('"');
    }

    /** MessagePack bytes (valid values in any width, sometimes cut short or with a bad byte). */
    byte[] msgpack() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            mpValue(out, 0);
        }
        byte[] b = out.toByteArray();
        int damage = random.nextInt(8);
        if (damage == 0 && b.length > 1) {
            return java.util.Arrays.copyOf(b, random.nextInt(b.length));
        }
        if (damage == 1) {
            b[random.nextInt(b.length)] = (byte) random.nextInt(256);
        }
        return b;
    }

    private static void be(ByteArrayOutputStream out, long v, int n) {
        for (int i = n - 1; i >= 0; i--) {
            out.write((int) (v >>> (8 * i)));
        }
    }

    private void mpValue(ByteArrayOutputStream out, int depth) {
        int kind = random.nextInt(depth > 2 ? 12 : 16);
        switch (kind) {
            case 0 -> out.write(0xc0 + new int[] {0, 2, 3}[random.nextInt(3)]);
            case 1 -> out.write(random.nextInt(128));
            case 2 -> out.write(0xe0 + random.nextInt(32));
            case 3 -> {
                int t = new int[] {0xcc, 0xcd, 0xce, 0xcf, 0xd0, 0xd1, 0xd2, 0xd3}[random.nextInt(8)];
                out.write(t);
                int width = 1 << (t & 3);
                be(out, random.nextLong(), width);
            }
            case 4 -> {
                out.write(0xca);
                be(out, Float.floatToRawIntBits((float) (random.nextGaussian() * Math.pow(10, random.nextInt(20) - 10))), 4);
            }
            case 5 -> {
                out.write(0xcb);
                be(out, Double.doubleToRawLongBits(random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20)), 8);
            }
            case 6, 7, 8 -> {
                byte[] s = bytes(random.nextInt(random.nextBoolean() ? 32 : 300));
                int form = random.nextInt(4);
                if (form == 0 && s.length < 32) {
                    out.write(0xa0 | s.length);
                } else if (form <= 1 && s.length <= 0xff) {
                    out.write(0xd9);
                    be(out, s.length, 1);
                } else if (form <= 2) {
                    out.write(0xda);
                    be(out, s.length, 2);
                } else {
                    out.write(0xdb);
                    be(out, s.length, 4);
                }
                out.write(s, 0, s.length);
            }
            case 9 -> out.write(new int[] {0xc1, 0xc4, 0xc7, 0xd4, 0xc9}[random.nextInt(5)]);
            case 10, 11 -> out.write(random.nextInt(128));
            default -> {
                boolean map = random.nextBoolean();
                int n = random.nextInt(5);
                int form = random.nextInt(3);
                if (form == 0) {
                    out.write((map ? 0x80 : 0x90) | n);
                } else if (form == 1) {
                    out.write(map ? 0xde : 0xdc);
                    be(out, n, 2);
                } else {
                    out.write(map ? 0xdf : 0xdd);
                    be(out, n, 4);
                }
                for (int i = 0; i < n * (map ? 2 : 1); i++) {
                    mpValue(out, depth + 1);
                }
            }
        }
    }

    /** A JSON text as a Lua string literal. */
    static String jsonLit(String json) {
        return LuaDiff.lit(json.getBytes(StandardCharsets.ISO_8859_1));
    }
}
