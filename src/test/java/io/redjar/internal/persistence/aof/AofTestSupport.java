package io.redjar.internal.persistence.aof;

import io.redjar.AppendFsync;
import io.redjar.Reply;
import io.redjar.Session;
import io.redjar.Store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * Shared helpers for the append-only file tests (and the change feed's replay tests): stores on a
 * directory, contents, command mixes.
 */
public final class AofTestSupport {
    private AofTestSupport() {
    }

    /** Redis's MISCONF text for the injected full-disk failure of {@link FaultyFile}. */
    static final String MISCONF_DISK_FULL = "MISCONF Errors writing to the AOF file: No space left on device";

    /** A store whose AOF files go through {@code faults}: enabled at runtime after the opener is set. */
    static Store openFaulty(Path dir, FaultyFile.Faults faults, AppendFsync fsync) {
        Store s = Store.builder().dataDir(dir).appendFsync(fsync).config("aof-use-rdb-preamble", "no").open();
        AppendOnlyFile aof = AofRoundTripTest.aof(s);
        aof.opener(faults.opener());
        org.junit.jupiter.api.Assertions.assertEquals(new io.redjar.Reply.SimpleString("OK"),
            s.execute("CONFIG", "SET", "appendonly", "yes"));
        org.junit.jupiter.api.Assertions.assertTrue(aof.rewriteNow());
        return s;
    }

    static Store open(Path dir, AppendFsync fsync, String... config) {
        Store.Builder b = Store.builder().dataDir(dir).appendOnly(true).appendFsync(fsync)
            .config("aof-use-rdb-preamble", "no");
        for (int i = 0; i + 1 < config.length; i += 2) {
            b.config(config[i], config[i + 1]);
        }
        return b.open();
    }

    /** Every key of databases {@code 0..dbs-1} with its type, value and expire time, canonical. */
    static SortedMap<String, String> contents(BiFunction<Integer, String[], Reply> call, int dbs) {
        SortedMap<String, String> out = new TreeMap<>();
        for (int db = 0; db < dbs; db++) {
            List<String> keys = strings(call.apply(db, new String[] {"KEYS", "*"}));
            for (String k : keys) {
                String type = text(call.apply(db, new String[] {"TYPE", k}));
                String v = switch (type) {
                    case "string" -> text(call.apply(db, new String[] {"GET", k}));
                    case "list" -> strings(call.apply(db, new String[] {"LRANGE", k, "0", "-1"})).toString();
                    case "set" -> sorted(strings(call.apply(db, new String[] {"SMEMBERS", k}))).toString();
                    case "zset" -> strings(call.apply(db, new String[] {"ZRANGE", k, "0", "-1", "WITHSCORES"})).toString();
                    case "hash" -> pairs(strings(call.apply(db, new String[] {"HGETALL", k}))).toString();
                    default -> type;
                };
                String ttl = text(call.apply(db, new String[] {"PEXPIRETIME", k}));
                out.put(db + ":" + k, type + " " + v + " exp=" + ttl);
            }
        }
        return out;
    }

    /** Asserts equal contents, naming only the first differing keys (the maps can be large). */
    public static void assertSameContents(SortedMap<String, String> expected, SortedMap<String, String> actual) {
        if (expected.equals(actual)) {
            return;
        }
        java.util.TreeSet<String> keys = new java.util.TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        StringBuilder sb = new StringBuilder("contents differ (" + expected.size() + " vs " + actual.size() + " keys):");
        int n = 0;
        for (String k : keys) {
            if (!java.util.Objects.equals(expected.get(k), actual.get(k)) && n++ < 8) {
                sb.append("\n  ").append(k).append(": expected ").append(expected.get(k)).append(", was ").append(actual.get(k));
            }
        }
        throw new AssertionError(sb.toString());
    }

    public static SortedMap<String, String> contents(Store s, int dbs) {
        return contents((db, argv) -> s.database(db).execute(argv), dbs);
    }

    private static List<String> sorted(List<String> l) {
        List<String> c = new ArrayList<>(l);
        c.sort(null);
        return c;
    }

    private static SortedMap<String, String> pairs(List<String> flat) {
        SortedMap<String, String> m = new TreeMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            m.put(flat.get(i), flat.get(i + 1));
        }
        return m;
    }

    static String text(Reply r) {
        if (r instanceof Reply.Bulk b) {
            return new String(b.value(), StandardCharsets.ISO_8859_1);
        }
        if (r instanceof Reply.SimpleString s) {
            return s.value();
        }
        if (r instanceof Reply.IntegerReply i) {
            return Long.toString(i.value());
        }
        if (r instanceof Reply.DoubleReply d) {
            return io.redjar.internal.util.Numbers.formatDouble17g(d.value()); // as a RESP2 reply

        }
        return String.valueOf(r);
    }

    static List<String> strings(Reply r) {
        List<String> out = new ArrayList<>();
        if (r instanceof Reply.ArrayReply a) {
            for (Reply e : a.elements()) {
                out.add(text(e));
            }
        } else if (r instanceof Reply.SetReply s) {
            for (Reply e : s.elements()) {
                out.add(text(e));
            }
        } else if (r instanceof Reply.Map m) {
            for (Reply e : m.flat()) {
                out.add(text(e));
            }
        } else {
            throw new AssertionError("not an aggregate: " + r);
        }
        return out;
    }

    /** A random write (sometimes a MULTI/EXEC of several, or a SELECT) on a small key space. */
    public static void randomWrite(Session s, Random r) {
        int kind = r.nextInt(20);
        if (kind == 0) {
            s.execute("SELECT", Integer.toString(r.nextInt(3)));
            return;
        }
        if (kind == 1) {
            s.execute("MULTI");
            int n = 1 + r.nextInt(4);
            for (int i = 0; i < n; i++) {
                s.execute(command(r));
            }
            s.execute("EXEC");
            return;
        }
        s.execute(command(r));
    }

    static String[] command(Random r) {
        String k = "k" + r.nextInt(30);
        String v = "v" + r.nextInt(1000);
        return switch (r.nextInt(16)) {
            case 0 -> new String[] {"SET", k, v};
            case 1 -> new String[] {"APPEND", "s" + k, v};
            case 2 -> new String[] {"INCR", "n" + k};
            case 3 -> new String[] {"DEL", k, "l" + k};
            case 4 -> new String[] {"RPUSH", "l" + k, v, v + "x"};
            case 5 -> new String[] {"LPOP", "l" + k};
            case 6 -> new String[] {"SADD", "t" + k, v};
            case 7 -> new String[] {"SPOP", "t" + k};
            case 8 -> new String[] {"ZADD", "z" + k, Integer.toString(r.nextInt(100)), v};
            case 9 -> new String[] {"ZINCRBY", "z" + k, "1.5", v};
            case 10 -> new String[] {"HSET", "h" + k, "f" + r.nextInt(5), v};
            case 11 -> new String[] {"HDEL", "h" + k, "f" + r.nextInt(5)};
            case 12 -> new String[] {"EXPIRE", k, Integer.toString(1000 + r.nextInt(1000))};
            case 13 -> new String[] {"INCRBYFLOAT", "f" + k, "0.25"};
            case 14 -> new String[] {"SET", k, v, "EX", "5000"};
            default -> new String[] {"RPUSH", "l" + k, v};
        };
    }
}
