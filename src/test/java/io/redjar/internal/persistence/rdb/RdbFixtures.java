package io.redjar.internal.persistence.rdb;

import io.redjar.Reply;
import io.redjar.testing.ReplyFormat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Test data for the RDB tests: fills a server (RedJar or redis-server, through the same command
 * interface) with keys of every type and encoding, sizes on both sides of the listpack / intset
 * thresholds, integers of every width, binary and long (compressible) strings, expiry times; and
 * reads a database back as a canonical description (type, contents in a fixed order, encoding,
 * absolute expire time) to compare two servers with.
 */
final class RdbFixtures {
    /** A server to talk to. */
    @FunctionalInterface
    interface Exec {
        Reply call(byte[]... argv);

        default Reply call(String... argv) {
            byte[][] a = new byte[argv.length][];
            for (int i = 0; i < argv.length; i++) {
                a[i] = argv[i].getBytes(StandardCharsets.UTF_8);
            }
            return call(a);
        }

        /** Calls and fails on an error reply. */
        default Reply ok(byte[]... argv) {
            Reply r = call(argv);
            assertFalse(r.isError(), () -> ReplyFormat.command(argv) + " -> " + r);
            return r;
        }
    }

    private RdbFixtures() {
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** @return a random element: small/large integers, short text, binary, long repetitive text */
    static byte[] element(Random r) {
        switch (r.nextInt(8)) {
            case 0:
                return b(Long.toString(r.nextInt(200) - 100));
            case 1:
                return b(Long.toString(r.nextLong()));
            case 2:
                return b(Long.toString(r.nextInt(1 << 20)));
            case 3: {
                byte[] x = new byte[r.nextInt(20)];
                r.nextBytes(x);
                return x;
            }
            case 4:
                return b("x".repeat(1 + r.nextInt(100)) + r.nextInt(1000));
            case 5:
                return b(Long.toString((long) r.nextInt() * 3));
            default:
                return b("m" + r.nextInt(100000));
        }
    }

    private static byte[] intMember(Random r) {
        switch (r.nextInt(3)) {
            case 0:
                return b(Integer.toString(r.nextInt(30000) - 15000));
            case 1:
                return b(Integer.toString(r.nextInt()));
            default:
                return b(Long.toString(r.nextLong()));
        }
    }

    /** Sizes on both sides of the thresholds (128, 512 entries). */
    private static int size(Random r) {
        int[] sizes = {1, 2, 5, 30, 127, 128, 129, 300, 511, 512, 513, 700};
        return sizes[r.nextInt(sizes.length)];
    }

    /** Creates {@code keys} random keys named {@code prefix...}; a third of them with an expire time. */
    static void fill(Exec x, Random r, String prefix, int keys, long expireBase) {
        x.ok(b("SET"), b(prefix + "embstr"), b("hello"));
        x.ok(b("SET"), b(prefix + "int"), b("-9223372036854775808"));
        x.ok(b("SET"), b(prefix + "raw"), b("0123456789".repeat(10)));
        x.ok(b("SET"), b(prefix + "empty"), b(""));
        x.ok(b("SADD"), b(prefix + "intset"), b("1"), b("-70000"), b("9223372036854775807"));
        x.ok(b("ZADD"), b(prefix + "zlp"), b("1.5"), b("a"), b("-inf"), b("b"));
        x.ok(b("HSET"), b(prefix + "hlp"), b("f"), b("v"));
        for (int k = 0; k < keys; k++) {
            byte[] key = b(prefix + k + (r.nextInt(4) == 0 ? "\u00e9\u0001" : ""));
            int kind = r.nextInt(9);
            int n = size(r);
            List<byte[]> argv = new ArrayList<>();
            switch (kind) {
                case 0 -> {
                    byte[] v = r.nextBoolean() ? element(r) : b("abc".repeat(r.nextInt(3000)));
                    x.ok(b("SET"), key, v);
                }
                case 1 -> {
                    argv.add(b("RPUSH"));
                    argv.add(key);
                    boolean big = r.nextInt(5) == 0;
                    for (int i = 0; i < n; i++) {
                        argv.add(big ? b("y".repeat(500 + r.nextInt(5000))) : element(r));
                    }
                    x.ok(argv.toArray(new byte[0][]));
                }
                case 2, 3 -> {
                    argv.add(b("SADD"));
                    argv.add(key);
                    for (int i = 0; i < n; i++) {
                        argv.add(kind == 2 ? intMember(r) : element(r));
                    }
                    x.ok(argv.toArray(new byte[0][]));
                }
                case 4, 5 -> {
                    argv.add(b("ZADD"));
                    argv.add(key);
                    for (int i = 0; i < n; i++) {
                        double s = switch (r.nextInt(5)) {
                            case 0 -> r.nextInt(100);
                            case 1 -> r.nextGaussian() * 1e6;
                            case 2 -> r.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
                            case 3 -> r.nextLong();
                            default -> r.nextDouble();
                        };
                        argv.add(b(s == Double.POSITIVE_INFINITY ? "+inf" : s == Double.NEGATIVE_INFINITY ? "-inf" : Double.toString(s)));
                        argv.add(kind == 5 && r.nextInt(10) == 0 ? b("z".repeat(70)) : element(r));
                    }
                    x.ok(argv.toArray(new byte[0][]));
                }
                default -> {
                    argv.add(b("HSET"));
                    argv.add(key);
                    for (int i = 0; i < n; i++) {
                        argv.add(b("f" + i));
                        argv.add(kind == 6 && r.nextInt(20) == 0 ? b("v".repeat(65)) : element(r));
                    }
                    x.ok(argv.toArray(new byte[0][]));
                }
            }
            if (r.nextInt(3) == 0) {
                x.ok(b("PEXPIREAT"), key, b(Long.toString(expireBase + 1 + r.nextInt(1_000_000_000))));
            }
        }
    }

    /** Writes one library with a function (FUNCTION LOAD); @return its code */
    static String library(Exec x, String name) {
        String code = "#!lua name=" + name + "\nredis.register_function('" + name + "_f', function(keys, args) return 1 end)";
        x.ok(b("FUNCTION"), b("LOAD"), b(code));
        return code;
    }

    /** @return the database's keys, each with a canonical description of its value */
    static TreeMap<String, String> contents(Exec x) {
        TreeMap<String, String> out = new TreeMap<>();
        Reply keys = x.ok(b("KEYS"), b("*"));
        for (Reply k : elements(keys)) {
            byte[] key = ((Reply.Bulk) k).value();
            out.put(ReplyFormat.quote(key), describe(x, key));
        }
        return out;
    }

    /** @return a canonical description of one key's value, encoding and expire time (null when missing) */
    static String describe(Exec x, byte[] key) {
        String type = ((Reply.SimpleString) x.ok(b("TYPE"), key)).value();
        if (type.equals("none")) {
            return null;
        }
        String value = switch (type) {
            case "string" -> ReplyFormat.reply(x.ok(b("GET"), key));
            case "list" -> ReplyFormat.reply(x.ok(b("LRANGE"), key, b("0"), b("-1")));
            case "set" -> sorted(x.ok(b("SMEMBERS"), key));
            case "zset" -> flat(x.ok(b("ZRANGE"), key, b("0"), b("-1"), b("WITHSCORES")));
            case "hash" -> pairs(x.ok(b("HGETALL"), key));
            default -> "?" + type;
        };
        String enc = ReplyFormat.reply(x.ok(b("OBJECT"), b("ENCODING"), key));
        String at = ReplyFormat.reply(x.ok(b("PEXPIRETIME"), key));
        return type + " " + enc + " exp=" + at + " " + value;
    }

    /** Asserts two {@link #contents} are equal, naming the first few differing keys briefly. */
    static void assertSame(java.util.Map<String, String> expected, java.util.Map<String, String> actual, String what) {
        if (expected.equals(actual)) {
            return;
        }
        StringBuilder sb = new StringBuilder(what + ": " + expected.size() + " keys expected, " + actual.size() + " found");
        java.util.TreeSet<String> all = new java.util.TreeSet<>(expected.keySet());
        all.addAll(actual.keySet());
        int shown = 0;
        for (String k : all) {
            String e = expected.get(k);
            String a = actual.get(k);
            if (!java.util.Objects.equals(e, a) && shown++ < 3) {
                sb.append("\n  key ").append(k).append("\n    expected ").append(cut(e)).append("\n    actual   ").append(cut(a));
            }
        }
        throw new AssertionError(sb.toString());
    }

    private static String cut(String s) {
        return s == null ? "(missing)" : s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    static List<Reply> elements(Reply r) {
        if (r instanceof Reply.ArrayReply a) {
            return a.elements();
        } else if (r instanceof Reply.SetReply s) {
            return s.elements();
        } else if (r instanceof Reply.Map m) {
            return m.flat();
        }
        throw new AssertionError("not an array: " + r);
    }

    /** Member, score pairs in order, whether the reply nests them (RESP3) or not. */
    private static String flat(Reply r) {
        List<String> s = new ArrayList<>();
        for (Reply e : elements(r)) {
            if (e instanceof Reply.ArrayReply a) {
                for (Reply x : a.elements()) {
                    s.add(ReplyFormat.reply(x));
                }
            } else {
                s.add(ReplyFormat.reply(e));
            }
        }
        return s.toString();
    }

    private static String sorted(Reply r) {
        List<String> s = new ArrayList<>();
        for (Reply e : elements(r)) {
            s.add(ReplyFormat.reply(e));
        }
        s.sort(null);
        return s.toString();
    }

    private static String pairs(Reply r) {
        List<Reply> e = elements(r);
        List<String> s = new ArrayList<>();
        for (int i = 0; i < e.size(); i += 2) {
            s.add(ReplyFormat.reply(e.get(i)) + "=" + ReplyFormat.reply(e.get(i + 1)));
        }
        s.sort(null);
        return s.toString();
    }
}
