package io.redjar.diff;

import io.redjar.Codec;
import io.redjar.Database;
import io.redjar.Hashes;
import io.redjar.Keys;
import io.redjar.Lists;
import io.redjar.RedJarException;
import io.redjar.Reply;
import io.redjar.SetOptions;
import io.redjar.Sets;
import io.redjar.SortedSets;
import io.redjar.Geo;
import io.redjar.Store;
import io.redjar.StringValue;
import io.redjar.Strings;
import io.redjar.testing.RequiresRedis;
import io.redjar.testing.RespClient;
import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every public method of every typed handle against {@code redis-server}: each method is called
 * on a store and its command is sent to Redis, from the same seeded data; the results and then
 * both keyspaces must be equal. The methods are found by reflection, so a public method added to
 * a handle without a case here fails {@link #everyPublicMethodHasACase}.
 *
 * <p>A case is keyed by {@code Handle.method/arity} and gives the arguments in their
 * {@code String} form; the {@code byte[]} overloads with the same name and arity run from the same
 * case, their arguments converted. A case keyed by an exact signature
 * ({@code Handle.method(byte[])}) takes precedence. Results are compared after a shape
 * ({@link Shape}) that erases what legitimately differs between a Java value and a RESP2 reply
 * (a boolean against {@code :1}, a map against a flat array, a set's order); errors are compared
 * by Redis's text. Commands with random replies run on data where the reply is determined.
 */
@RequiresRedis
class HandlesDifferentialTest {
    static final List<Class<?>> HANDLES = List.of(Strings.class, Keys.class, Hashes.class, Sets.class, Lists.class,
        SortedSets.class, StringValue.class, Database.class, Geo.class);

    /** How a result is compared. */
    enum Shape {
        /** As is. */
        PLAIN,
        /** A collection whose order is not defined: sorted. */
        UNORDERED,
        /** Flattened, numbers (and numeric strings) as doubles: scores. */
        NUM,
        /** Flattened into pairs, the pairs sorted: hashes, scans of hashes and sorted sets. */
        PAIRS,
        /** Nothing but an error is compared (void methods; Redis replies +OK). */
        VOID,
        /** {@code +OK} is true, nil is false (SET with NX/XX). */
        OK_BOOL,
        /** A time to live in ms or s: equal within a second's drift of the two clocks. */
        NEAR
    }

    /**
     * One exercised call: the arguments of the handle method (String form), the command sent to
     * Redis (null: compare with {@code expected} instead, for the few methods with no command),
     * the shape, and for StringValue the key it is bound to.
     */
    record Call(Object[] args, String[] wire, Shape shape, String boundKey) {
    }

    @FunctionalInterface
    interface Case {
        Call make(Random r);
    }

    private static final Map<String, Case> CASES = new LinkedHashMap<>();

    /** A DUMP payload that travels as a String argument (see {@link KeyEventSamples#ASCII_PAYLOAD}). */
    static final String ASCII_PAYLOAD = KeyEventSamples.ASCII_PAYLOAD;

    private static void c(String key, Case c) {
        if (CASES.put(key, c) != null) {
            throw new IllegalStateException("two cases for " + key);
        }
    }

    private static Object[] a(Object... args) {
        return args;
    }

    /** The wire command: strings, string arrays spread, numbers printed, maps as pairs. */
    private static String[] w(Object... parts) {
        List<String> out = new ArrayList<>();
        for (Object p : parts) {
            if (p instanceof String[] arr) {
                out.addAll(Arrays.asList(arr));
            } else if (p instanceof Map<?, ?> m) {
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    out.add(String.valueOf(e.getKey()));
                    out.add(String.valueOf(e.getValue()));
                }
            } else {
                out.add(String.valueOf(p));
            }
        }
        return out.toArray(new String[0]);
    }

    private static Call call(Object[] args, String[] wire, Shape shape) {
        return new Call(args, wire, shape, null);
    }

    private static Call call(Object[] args, String[] wire) {
        return new Call(args, wire, Shape.PLAIN, null);
    }

    // ---- the seeded world ----------------------------------------------------------------------

    static final String[] STRINGS = {"s1", "n", "nokey", "h"};
    static final String[] HASHES = {"h", "h1", "nokey", "s1"};
    static final String[] LISTS = {"l", "l2", "nokey", "s1"};
    static final String[] SETS = {"st", "st2", "st1", "nokey", "s1"};
    static final String[] ZSETS = {"z", "z2", "zl", "nokey", "s1"};
    static final String[] GEOS = {"g", "g", "z", "nokey", "s1"};
    static final String[] ANY = {"s1", "n", "h", "l", "st", "z", "nokey"};
    static final String[] FIELDS = {"f1", "f2", "f3", "nofield"};
    static final String[] MEMBERS = {"a", "b", "c", "1", "2", "d", "x"};
    static final String[] ELEMENTS = {"a", "b", "c", "d", "x"};

    private static String pick(Random r, String[] pool) {
        return pool[r.nextInt(pool.length)];
    }

    private static String[] some(Random r, String[] pool, int min) {
        int n = min + r.nextInt(3);
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = pick(r, pool);
        }
        return out;
    }

    private static List<String[]> world(Random r) {
        List<String[]> w = new ArrayList<>();
        w.add(w("SET", "s1", "hello world " + r.nextInt(1000)));
        w.add(w("SET", "n", Integer.toString(r.nextInt(200) - 100)));
        w.add(w("PEXPIRE", "n", 100_000 + r.nextInt(100_000)));
        w.add(w("RPUSH", "l", "a", "b", "c", "a", "d", "a"));
        w.add(w("RPUSH", "l2", "x"));
        w.add(w("SADD", "st", "a", "b", "c", "1", "2"));
        w.add(w("SADD", "st2", "b", "c", "d"));
        w.add(w("SADD", "st1", "only"));
        w.add(w("HSET", "h", "f1", "v1", "f2", Integer.toString(r.nextInt(50)), "f3", "1.5"));
        w.add(w("HSET", "h1", "only", "v"));
        w.add(w("ZADD", "z", "1", "a", Integer.toString(r.nextInt(4)), "b", "2.5", "c", "3", "d", "-1", "x"));
        w.add(w("ZADD", "z2", "1", "a", "5", "e"));
        w.add(w("ZADD", "z1", "7", "only"));
        w.add(w("ZADD", "zl", "0", "a", "0", "b", "0", "c", "0", "d"));
        w.add(w("GEOADD", "g", "13.361389", "38.115556", "a", "15.087269", "37.502669", "b",
            Double.toString(13 + r.nextInt(3000) / 1000.0), "37.9", "c"));
        return w;
    }

    private static long ms(Duration d) {
        return d.toMillis();
    }

    private static String secs(Duration d) {
        return Double.toString(d.toMillis() / 1000.0);
    }

    private static Duration ttl(Random r) {
        return Duration.ofMillis(50_000 + r.nextInt(50_000));
    }

    /** A short timeout for blocking pops on keys that may stay empty. */
    private static final Duration SHORT = Duration.ofMillis(30);

    private static String[] zaddWords(Random r, SortedSets.AddOptions[] chosen) {
        List<String> words = new ArrayList<>();
        SortedSets.AddOptions o = SortedSets.AddOptions.none();
        if (r.nextInt(4) == 0) {
            o = o.nx();
            words.add("NX");
        } else if (r.nextInt(3) == 0) {
            o = o.xx();
            words.add("XX");
        }
        if (r.nextInt(4) == 0) {
            o = o.gt();
            words.add("GT");
        } else if (r.nextInt(5) == 0) {
            o = o.lt();
            words.add("LT");
        }
        if (r.nextBoolean()) {
            o = o.ch();
            words.add("CH");
        }
        chosen[0] = o;
        return words.toArray(new String[0]);
    }

    private static final String[][] SCORE_RANGES = {{"-inf", "+inf"}, {"1", "2.5"}, {"(1", "3"}, {"(1", "(3"}, {"2", "1"}, {"-1", "(2"}};
    private static final String[][] LEX_RANGES = {{"-", "+"}, {"[a", "[c"}, {"(a", "[d"}, {"(b", "(d"}, {"[c", "[a"}, {"-", "(c"}};

    static {
        // ---- Strings
        c("Strings.get/1", r -> {
            String k = pick(r, STRINGS);
            return call(a(k), w("GET", k));
        });
        c("Strings.set/2", r -> {
            String k = pick(r, ANY);
            String v = "v" + r.nextInt(100);
            return call(a(k, v), w("SET", k, v), Shape.VOID);
        });
        c("Strings.set/3", r -> {
            String k = pick(r, ANY);
            String v = "v" + r.nextInt(100);
            int kind = r.nextInt(4);
            long px = 10_000 + r.nextInt(10_000);
            SetOptions o = kind == 0 ? SetOptions.none().nx() : kind == 1 ? SetOptions.none().xx()
                : kind == 2 ? SetOptions.none().px(px) : SetOptions.none().xx().keepTtl();
            String[] words = kind == 0 ? w("NX") : kind == 1 ? w("XX") : kind == 2 ? w("PX", px) : w("XX", "KEEPTTL");
            return call(a(k, v, o), w("SET", k, v, words), Shape.OK_BOOL);
        });
        c("Strings.set(String,String,Duration)", r -> {
            String k = pick(r, ANY);
            Duration d = ttl(r);
            return call(a(k, "v", d), w("SET", k, "v", "PX", ms(d)), Shape.VOID);
        });
        c("Strings.setnx/2", r -> {
            String k = pick(r, STRINGS);
            return call(a(k, "new"), w("SETNX", k, "new"));
        });
        c("Strings.getSet/2", r -> {
            String k = pick(r, STRINGS);
            return call(a(k, "new"), w("GETSET", k, "new"));
        });
        c("Strings.getDel/1", r -> {
            String k = pick(r, STRINGS);
            return call(a(k), w("GETDEL", k));
        });
        c("Strings.getEx/2", r -> {
            String k = pick(r, STRINGS);
            Duration d = ttl(r);
            return call(a(k, d), w("GETEX", k, "PX", ms(d)));
        });
        c("Strings.getPersist/1", r -> {
            String k = pick(r, STRINGS);
            return call(a(k), w("GETEX", k, "PERSIST"));
        });
        c("Strings.mget/1", r -> {
            String[] ks = some(r, ANY, 1);
            return call(a((Object) ks), w("MGET", ks));
        });
        c("Strings.mset/1", r -> {
            Map<String, String> m = new LinkedHashMap<>();
            m.put(pick(r, ANY), "x");
            m.put("fresh" + r.nextInt(3), "y");
            return call(a(m), w("MSET", m), Shape.VOID);
        });
        c("Strings.msetnx/1", r -> {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("fresh" + r.nextInt(3), "y");
            if (r.nextBoolean()) {
                m.put(pick(r, ANY), "x");
            }
            return call(a(m), w("MSETNX", m));
        });
        c("Strings.append/2", r -> {
            String k = pick(r, STRINGS);
            return call(a(k, "++"), w("APPEND", k, "++"));
        });
        c("Strings.strlen/1", r -> {
            String k = pick(r, STRINGS);
            return call(a(k), w("STRLEN", k));
        });
        c("Strings.getrange/3", r -> {
            String k = pick(r, STRINGS);
            long s = r.nextInt(20) - 10;
            long e = r.nextInt(20) - 10;
            return call(a(k, s, e), w("GETRANGE", k, s, e));
        });
        c("Strings.setrange/3", r -> {
            String k = pick(r, STRINGS);
            long off = r.nextInt(15);
            return call(a(k, off, "XY"), w("SETRANGE", k, off, "XY"));
        });
        c("Strings.setBit/3", r -> {
            String k = r.nextInt(4) == 0 ? pick(r, ANY) : pick(r, STRINGS);
            long off = r.nextInt(10) == 0 ? 4294967296L : r.nextInt(80);
            boolean on = r.nextBoolean();
            return call(a(k, off, on), w("SETBIT", k, off, on ? 1 : 0));
        });
        c("Strings.getBit/2", r -> {
            String k = r.nextInt(4) == 0 ? pick(r, ANY) : pick(r, STRINGS);
            long off = r.nextInt(10) == 0 ? 4294967295L : r.nextInt(80);
            return call(a(k, off), w("GETBIT", k, off));
        });
        c("Strings.bitCount/1", r -> {
            String k = r.nextInt(4) == 0 ? pick(r, ANY) : pick(r, STRINGS);
            return call(a(k), w("BITCOUNT", k));
        });
        c("Strings.incr/1", r -> {
            String k = pick(r, STRINGS);
            return call(a(k), w("INCR", k));
        });
        c("Strings.incrBy/2", r -> {
            String k = pick(r, STRINGS);
            long d = r.nextInt(100) - 50;
            return call(a(k, d), w("INCRBY", k, d));
        });
        c("Strings.decr/1", r -> {
            String k = pick(r, STRINGS);
            return call(a(k), w("DECR", k));
        });
        c("Strings.decrBy/2", r -> {
            String k = pick(r, STRINGS);
            long d = r.nextInt(100) - 50;
            return call(a(k, d), w("DECRBY", k, d));
        });

        // ---- Keys
        c("Keys.del/1", r -> {
            String[] ks = some(r, ANY, 1);
            return call(a((Object) ks), w("DEL", ks));
        });
        c("Keys.del(byte[])", r -> {
            String k = pick(r, ANY);
            return call(a(k), w("DEL", k));
        });
        c("Keys.unlink/1", r -> {
            String[] ks = some(r, ANY, 1);
            return call(a((Object) ks), w("UNLINK", ks));
        });
        c("Keys.exists/1", r -> {
            String[] ks = some(r, ANY, 1);
            return call(a((Object) ks), w("EXISTS", ks));
        });
        c("Keys.exists(byte[])", r -> {
            String k = pick(r, ANY);
            return call(a(k), w("EXISTS", k));
        });
        c("Keys.touch/1", r -> {
            String[] ks = some(r, ANY, 1);
            return call(a((Object) ks), w("TOUCH", ks));
        });
        c("Keys.type/1", r -> {
            String k = pick(r, ANY);
            return call(a(k), w("TYPE", k));
        });
        c("Keys.rename/2", r -> {
            String k = pick(r, ANY);
            String d = pick(r, ANY);
            return call(a(k, d), w("RENAME", k, d), Shape.VOID);
        });
        c("Keys.renamenx/2", r -> {
            String k = pick(r, ANY);
            String d = pick(r, ANY);
            return call(a(k, d), w("RENAMENX", k, d));
        });
        c("Keys.copy/3", r -> {
            String k = pick(r, ANY);
            String d = pick(r, ANY);
            Keys.CopyMode m = r.nextBoolean() ? Keys.CopyMode.REPLACE : Keys.CopyMode.NO_REPLACE;
            return call(a(k, d, m), m == Keys.CopyMode.REPLACE ? w("COPY", k, d, "REPLACE") : w("COPY", k, d));
        });
        c("Keys.copy/4", r -> {
            String k = pick(r, ANY);
            String d = pick(r, ANY);
            int db = r.nextInt(2);
            Keys.CopyMode m = r.nextBoolean() ? Keys.CopyMode.REPLACE : Keys.CopyMode.NO_REPLACE;
            return call(a(k, db, d, m), m == Keys.CopyMode.REPLACE ? w("COPY", k, d, "DB", db, "REPLACE") : w("COPY", k, d, "DB", db));
        });
        c("Keys.move/2", r -> {
            String k = pick(r, ANY);
            return call(a(k, 1), w("MOVE", k, 1));
        });
        c("Keys.pexpire/2", r -> {
            String k = pick(r, ANY);
            Duration d = ttl(r);
            return call(a(k, d), w("PEXPIRE", k, ms(d)));
        });
        c("Keys.pexpire/3", r -> {
            String k = pick(r, ANY);
            Duration d = ttl(r);
            Keys.ExpireCondition cond = Keys.ExpireCondition.values()[r.nextInt(Keys.ExpireCondition.values().length)];
            return call(a(k, d, cond), cond == Keys.ExpireCondition.ALWAYS ? w("PEXPIRE", k, ms(d)) : w("PEXPIRE", k, ms(d), cond.name()));
        });
        c("Keys.pexpireAt/2", r -> {
            String k = pick(r, ANY);
            Instant at = Instant.now().plusSeconds(100 + r.nextInt(100));
            return call(a(k, at), w("PEXPIREAT", k, at.toEpochMilli()));
        });
        c("Keys.ttl/1", r -> {
            String k = pick(r, ANY);
            return call(a(k), w("TTL", k), Shape.NEAR);
        });
        c("Keys.pttl/1", r -> {
            String k = pick(r, ANY);
            return call(a(k), w("PTTL", k), Shape.NEAR);
        });
        c("Keys.pexpireTime/1", r -> {
            String k = pick(r, ANY);
            return call(a(k), w("PEXPIRETIME", k), Shape.NEAR);
        });
        c("Keys.persist/1", r -> {
            String k = pick(r, ANY);
            return call(a(k), w("PERSIST", k));
        });
        c("Keys.dump/1", r -> {
            // values whose payloads are the same bytes in both (no hashtable, whose order differs)
            String k = pick(r, new String[] {"s1", "n", "l", "h", "z", "nokey"});
            return call(a(k), w("DUMP", k));
        });
        c("Keys.restore/4", r -> {
            String k = pick(r, ANY);
            Duration d = r.nextBoolean() ? Duration.ZERO : ttl(r);
            boolean replace = r.nextBoolean();
            String payload = r.nextInt(4) == 0 ? "not a payload" : ASCII_PAYLOAD;
            return call(a(k, d, payload, replace), replace ? w("RESTORE", k, ms(d), payload, "REPLACE") : w("RESTORE", k, ms(d), payload),
                Shape.VOID);
        });
        c("Keys.objectEncoding/1", r -> {
            String k = pick(r, ANY);
            return call(a(k), w("OBJECT", "ENCODING", k));
        });
        c("Keys.objectIdletime/1", r -> {
            // existing keys: for a missing key the handle answers -1 where Redis answers nil
            String k = pick(r, new String[] {"s1", "n", "h", "l", "st", "z"});
            return call(a(k), w("OBJECT", "IDLETIME", k), Shape.NEAR);
        });
        c("Keys.keys/1", r -> {
            String p = r.nextBoolean() ? "*" : pick(r, new String[] {"s*", "?", "h*", "z?", "[ln]*"});
            return call(a(p), w("KEYS", p), Shape.UNORDERED);
        });
        c("Keys.randomKey/0", r -> call(a(), w("RANDOMKEY"), Shape.PLAIN)); // run on a one-key world
        c("Keys.dbSize/0", r -> call(a(), w("DBSIZE")));
        c("Keys.flushDB/0", r -> call(a(), w("FLUSHDB"), Shape.VOID));
        c("Keys.scan/3", r -> {
            String p = r.nextBoolean() ? null : pick(r, new String[] {"s*", "*", "z*"});
            String t = r.nextBoolean() ? null : pick(r, new String[] {"string", "zset", "list"});
            List<String> opts = new ArrayList<>(List.of("SCAN", "*cursor*"));
            if (p != null) {
                opts.addAll(List.of("MATCH", p));
            }
            opts.addAll(List.of("COUNT", "3"));
            if (t != null) {
                opts.addAll(List.of("TYPE", t));
            }
            return call(a(p, 3, t), opts.toArray(new String[0]), Shape.UNORDERED);
        });

        // ---- Hashes
        c("Hashes.hset/3", r -> {
            String k = pick(r, HASHES);
            String f = pick(r, FIELDS);
            return call(a(k, f, "nv"), w("HSET", k, f, "nv"));
        });
        c("Hashes.hset/2", r -> {
            String k = pick(r, HASHES);
            Map<String, String> m = new LinkedHashMap<>();
            m.put(pick(r, FIELDS), "x");
            m.put("g" + r.nextInt(3), "y");
            return call(a(k, m), w("HSET", k, m));
        });
        c("Hashes.hsetnx/3", r -> {
            String k = pick(r, HASHES);
            String f = pick(r, FIELDS);
            return call(a(k, f, "nv"), w("HSETNX", k, f, "nv"));
        });
        c("Hashes.hdel/2", r -> {
            String k = pick(r, HASHES);
            String[] fs = some(r, FIELDS, 1);
            return call(a(k, fs), w("HDEL", k, fs));
        });
        c("Hashes.hincrBy/3", r -> {
            String k = pick(r, HASHES);
            String f = pick(r, FIELDS);
            long d = r.nextInt(10) - 5;
            return call(a(k, f, d), w("HINCRBY", k, f, d));
        });
        c("Hashes.hincrByFloat/3", r -> {
            String k = pick(r, HASHES);
            String f = pick(r, FIELDS);
            double d = (r.nextInt(100) - 50) / 4.0;
            return call(a(k, f, d), w("HINCRBYFLOAT", k, f, d), Shape.NUM);
        });
        c("Hashes.hget/2", r -> {
            String k = pick(r, HASHES);
            String f = pick(r, FIELDS);
            return call(a(k, f), w("HGET", k, f));
        });
        c("Hashes.hmget/2", r -> {
            String k = pick(r, HASHES);
            String[] fs = some(r, FIELDS, 1);
            return call(a(k, fs), w("HMGET", k, fs));
        });
        c("Hashes.hgetAll/1", r -> {
            String k = pick(r, HASHES);
            return call(a(k), w("HGETALL", k), Shape.PAIRS);
        });
        c("Hashes.hkeys/1", r -> {
            String k = pick(r, HASHES);
            return call(a(k), w("HKEYS", k), Shape.UNORDERED);
        });
        c("Hashes.hvals/1", r -> {
            String k = pick(r, HASHES);
            return call(a(k), w("HVALS", k), Shape.UNORDERED);
        });
        c("Hashes.hexists/2", r -> {
            String k = pick(r, HASHES);
            String f = pick(r, FIELDS);
            return call(a(k, f), w("HEXISTS", k, f));
        });
        c("Hashes.hlen/1", r -> {
            String k = pick(r, HASHES);
            return call(a(k), w("HLEN", k));
        });
        c("Hashes.hstrlen/2", r -> {
            String k = pick(r, HASHES);
            String f = pick(r, FIELDS);
            return call(a(k, f), w("HSTRLEN", k, f));
        });
        // random replies: a one-field hash, or a count that takes every field
        c("Hashes.hrandfield/1", r -> {
            String k = pick(r, new String[] {"h1", "nokey", "s1"});
            return call(a(k), w("HRANDFIELD", k));
        });
        c("Hashes.hrandfield/2", r -> {
            String k = pick(r, HASHES);
            long n = r.nextBoolean() ? 10 : -2;
            String key = n < 0 ? pick(r, new String[] {"h1", "nokey", "s1"}) : k;
            return call(a(key, n), w("HRANDFIELD", key, n), Shape.UNORDERED);
        });
        c("Hashes.hrandfieldWithValues/2", r -> {
            long n = r.nextBoolean() ? 10 : -2;
            String key = n < 0 ? pick(r, new String[] {"h1", "nokey", "s1"}) : pick(r, HASHES);
            return call(a(key, n), w("HRANDFIELD", key, n, "WITHVALUES"), Shape.PAIRS);
        });
        c("Hashes.hscan/3", r -> {
            String k = pick(r, HASHES);
            String p = r.nextBoolean() ? null : "f*";
            return call(a(k, p, 2), p == null ? w("HSCAN", k, "*cursor*", "COUNT", 2) : w("HSCAN", k, "*cursor*", "MATCH", p, "COUNT", 2),
                Shape.PAIRS);
        });

        // ---- Sets
        c("Sets.sadd/2", r -> {
            String k = pick(r, SETS);
            String[] ms = some(r, MEMBERS, 1);
            return call(a(k, ms), w("SADD", k, ms));
        });
        c("Sets.srem/2", r -> {
            String k = pick(r, SETS);
            String[] ms = some(r, MEMBERS, 1);
            return call(a(k, ms), w("SREM", k, ms));
        });
        c("Sets.smembers/1", r -> {
            String k = pick(r, SETS);
            return call(a(k), w("SMEMBERS", k), Shape.UNORDERED);
        });
        c("Sets.sismember/2", r -> {
            String k = pick(r, SETS);
            String m = pick(r, MEMBERS);
            return call(a(k, m), w("SISMEMBER", k, m));
        });
        c("Sets.smismember/2", r -> {
            String k = pick(r, SETS);
            String[] ms = some(r, MEMBERS, 1);
            return call(a(k, ms), w("SMISMEMBER", k, ms));
        });
        c("Sets.scard/1", r -> {
            String k = pick(r, SETS);
            return call(a(k), w("SCARD", k));
        });
        c("Sets.spop/1", r -> {
            String k = pick(r, new String[] {"st1", "nokey", "s1"});
            return call(a(k), w("SPOP", k));
        });
        c("Sets.spop/2", r -> {
            String k = pick(r, SETS);
            long n = r.nextBoolean() ? 10 : 0;
            return call(a(k, n), w("SPOP", k, n), Shape.UNORDERED);
        });
        c("Sets.srandmember/1", r -> {
            String k = pick(r, new String[] {"st1", "nokey", "s1"});
            return call(a(k), w("SRANDMEMBER", k));
        });
        c("Sets.srandmember/2", r -> {
            long n = r.nextBoolean() ? 10 : -3;
            String k = n < 0 ? pick(r, new String[] {"st1", "nokey", "s1"}) : pick(r, SETS);
            return call(a(k, n), w("SRANDMEMBER", k, n), Shape.UNORDERED);
        });
        c("Sets.smove/3", r -> {
            String s = pick(r, SETS);
            String d = pick(r, SETS);
            String m = pick(r, MEMBERS);
            return call(a(s, d, m), w("SMOVE", s, d, m));
        });
        c("Sets.sinter/1", r -> {
            String[] ks = some(r, SETS, 1);
            return call(a((Object) ks), w("SINTER", ks), Shape.UNORDERED);
        });
        c("Sets.sunion/1", r -> {
            String[] ks = some(r, SETS, 1);
            return call(a((Object) ks), w("SUNION", ks), Shape.UNORDERED);
        });
        c("Sets.sdiff/1", r -> {
            String[] ks = some(r, SETS, 1);
            return call(a((Object) ks), w("SDIFF", ks), Shape.UNORDERED);
        });
        c("Sets.sinterstore/2", r -> {
            String d = pick(r, ANY);
            String[] ks = some(r, SETS, 1);
            return call(a(d, ks), w("SINTERSTORE", d, ks));
        });
        c("Sets.sunionstore/2", r -> {
            String d = pick(r, ANY);
            String[] ks = some(r, SETS, 1);
            return call(a(d, ks), w("SUNIONSTORE", d, ks));
        });
        c("Sets.sdiffstore/2", r -> {
            String d = pick(r, ANY);
            String[] ks = some(r, SETS, 1);
            return call(a(d, ks), w("SDIFFSTORE", d, ks));
        });
        c("Sets.sintercard/2", r -> {
            String[] ks = some(r, SETS, 1);
            long limit = r.nextInt(3);
            return call(a(limit, ks), w("SINTERCARD", ks.length, ks, "LIMIT", limit));
        });
        c("Sets.sscan/3", r -> {
            String k = pick(r, SETS);
            String p = r.nextBoolean() ? null : "[a-c]";
            return call(a(k, p, 2), p == null ? w("SSCAN", k, "*cursor*", "COUNT", 2) : w("SSCAN", k, "*cursor*", "MATCH", p, "COUNT", 2),
                Shape.UNORDERED);
        });

        // ---- Lists
        c("Lists.lpush/2", r -> {
            String k = pick(r, LISTS);
            String[] vs = some(r, ELEMENTS, 1);
            return call(a(k, vs), w("LPUSH", k, vs));
        });
        c("Lists.rpush/2", r -> {
            String k = pick(r, LISTS);
            String[] vs = some(r, ELEMENTS, 1);
            return call(a(k, vs), w("RPUSH", k, vs));
        });
        c("Lists.lpushx/2", r -> {
            String k = pick(r, LISTS);
            String[] vs = some(r, ELEMENTS, 1);
            return call(a(k, vs), w("LPUSHX", k, vs));
        });
        c("Lists.rpushx/2", r -> {
            String k = pick(r, LISTS);
            String[] vs = some(r, ELEMENTS, 1);
            return call(a(k, vs), w("RPUSHX", k, vs));
        });
        c("Lists.lpop/1", r -> {
            String k = pick(r, LISTS);
            return call(a(k), w("LPOP", k));
        });
        c("Lists.rpop/1", r -> {
            String k = pick(r, LISTS);
            return call(a(k), w("RPOP", k));
        });
        c("Lists.lpop/2", r -> {
            String k = pick(r, LISTS);
            long n = r.nextInt(4);
            return call(a(k, n), w("LPOP", k, n));
        });
        c("Lists.rpop/2", r -> {
            String k = pick(r, LISTS);
            long n = r.nextInt(4);
            return call(a(k, n), w("RPOP", k, n));
        });
        c("Lists.lmpop/3", r -> {
            Lists.End e = r.nextBoolean() ? Lists.End.LEFT : Lists.End.RIGHT;
            String[] ks = some(r, LISTS, 1);
            long n = 1 + r.nextInt(3);
            return call(a(e, n, ks), w("LMPOP", ks.length, ks, e.name(), "COUNT", n));
        });
        c("Lists.llen/1", r -> {
            String k = pick(r, LISTS);
            return call(a(k), w("LLEN", k));
        });
        c("Lists.lrange/3", r -> {
            String k = pick(r, LISTS);
            long s = r.nextInt(10) - 5;
            long e = r.nextInt(10) - 5;
            return call(a(k, s, e), w("LRANGE", k, s, e));
        });
        c("Lists.lindex/2", r -> {
            String k = pick(r, LISTS);
            long i = r.nextInt(10) - 5;
            return call(a(k, i), w("LINDEX", k, i));
        });
        c("Lists.lset/3", r -> {
            String k = pick(r, LISTS);
            long i = r.nextInt(10) - 5;
            return call(a(k, i, "set"), w("LSET", k, i, "set"), Shape.VOID);
        });
        c("Lists.linsert/4", r -> {
            String k = pick(r, LISTS);
            Lists.Position p = r.nextBoolean() ? Lists.Position.BEFORE : Lists.Position.AFTER;
            String pivot = pick(r, ELEMENTS);
            return call(a(k, p, pivot, "ins"), w("LINSERT", k, p.name(), pivot, "ins"));
        });
        c("Lists.lrem/3", r -> {
            String k = pick(r, LISTS);
            long n = r.nextInt(5) - 2;
            String v = pick(r, ELEMENTS);
            return call(a(k, n, v), w("LREM", k, n, v));
        });
        c("Lists.ltrim/3", r -> {
            String k = pick(r, LISTS);
            long s = r.nextInt(6) - 3;
            long e = r.nextInt(6) - 3;
            return call(a(k, s, e), w("LTRIM", k, s, e), Shape.VOID);
        });
        c("Lists.lpos/2", r -> {
            String k = pick(r, LISTS);
            String v = pick(r, ELEMENTS);
            return call(a(k, v), w("LPOS", k, v));
        });
        c("Lists.lpos/5", r -> {
            String k = pick(r, LISTS);
            String v = pick(r, ELEMENTS);
            long rank = r.nextBoolean() ? 1 + r.nextInt(2) : -1 - r.nextInt(2);
            long count = r.nextInt(3);
            long maxlen = r.nextInt(4);
            return call(a(k, v, rank, count, maxlen), w("LPOS", k, v, "RANK", rank, "COUNT", count, "MAXLEN", maxlen));
        });
        c("Lists.lmove/4", r -> {
            String s = pick(r, LISTS);
            String d = pick(r, LISTS);
            Lists.End from = r.nextBoolean() ? Lists.End.LEFT : Lists.End.RIGHT;
            Lists.End to = r.nextBoolean() ? Lists.End.LEFT : Lists.End.RIGHT;
            return call(a(s, d, from, to), w("LMOVE", s, d, from.name(), to.name()));
        });
        c("Lists.blpop/2", r -> {
            String[] ks = some(r, LISTS, 1);
            return call(a(SHORT, ks), w("BLPOP", ks, secs(SHORT)));
        });
        c("Lists.brpop/2", r -> {
            String[] ks = some(r, LISTS, 1);
            return call(a(SHORT, ks), w("BRPOP", ks, secs(SHORT)));
        });
        c("Lists.blpopAsync/2", r -> {
            String[] ks = some(r, LISTS, 1);
            return call(a(SHORT, ks), w("BLPOP", ks, secs(SHORT)));
        });
        c("Lists.brpopAsync/2", r -> {
            String[] ks = some(r, LISTS, 1);
            return call(a(SHORT, ks), w("BRPOP", ks, secs(SHORT)));
        });
        c("Lists.blmpop/4", r -> {
            Lists.End e = r.nextBoolean() ? Lists.End.LEFT : Lists.End.RIGHT;
            String[] ks = some(r, LISTS, 1);
            long n = 1 + r.nextInt(3);
            return call(a(SHORT, e, n, ks), w("BLMPOP", secs(SHORT), ks.length, ks, e.name(), "COUNT", n));
        });
        c("Lists.blmpopAsync/4", r -> {
            Lists.End e = r.nextBoolean() ? Lists.End.LEFT : Lists.End.RIGHT;
            String[] ks = some(r, LISTS, 1);
            long n = 1 + r.nextInt(3);
            return call(a(SHORT, e, n, ks), w("BLMPOP", secs(SHORT), ks.length, ks, e.name(), "COUNT", n));
        });
        c("Lists.blmove/5", r -> {
            String s = pick(r, LISTS);
            String d = pick(r, LISTS);
            Lists.End from = r.nextBoolean() ? Lists.End.LEFT : Lists.End.RIGHT;
            Lists.End to = r.nextBoolean() ? Lists.End.LEFT : Lists.End.RIGHT;
            return call(a(s, d, from, to, SHORT), w("BLMOVE", s, d, from.name(), to.name(), secs(SHORT)));
        });
        c("Lists.blmoveAsync/5", r -> {
            String s = pick(r, LISTS);
            String d = pick(r, LISTS);
            Lists.End from = r.nextBoolean() ? Lists.End.LEFT : Lists.End.RIGHT;
            Lists.End to = r.nextBoolean() ? Lists.End.LEFT : Lists.End.RIGHT;
            return call(a(s, d, from, to, SHORT), w("BLMOVE", s, d, from.name(), to.name(), secs(SHORT)));
        });

        // ---- SortedSets
        c("SortedSets.zadd/3", r -> {
            String k = pick(r, ZSETS);
            double s = r.nextInt(8) / 2.0;
            String m = pick(r, MEMBERS);
            return call(a(k, s, m), w("ZADD", k, s, m));
        });
        c("SortedSets.zadd/4", r -> {
            String k = pick(r, ZSETS);
            double s = r.nextInt(8) / 2.0;
            String m = pick(r, MEMBERS);
            SortedSets.AddOptions[] o = new SortedSets.AddOptions[1];
            String[] words = zaddWords(r, o);
            return call(a(k, s, m, o[0]), w("ZADD", k, words, s, m));
        });
        c("SortedSets.zadd(String,Map)", r -> {
            String k = pick(r, ZSETS);
            Map<String, Double> m = new LinkedHashMap<>();
            m.put(pick(r, MEMBERS), r.nextInt(8) / 2.0);
            m.put("n" + r.nextInt(3), 0.25);
            return call(a(k, m), w("ZADD", k, flip(m)));
        });
        c("SortedSets.zadd(String,Map,AddOptions)", r -> {
            String k = pick(r, ZSETS);
            Map<String, Double> m = new LinkedHashMap<>();
            m.put(pick(r, MEMBERS), r.nextInt(8) / 2.0);
            m.put("n" + r.nextInt(3), 0.25);
            SortedSets.AddOptions[] o = new SortedSets.AddOptions[1];
            String[] words = zaddWords(r, o);
            return call(a(k, m, o[0]), w("ZADD", k, words, flip(m)));
        });
        c("SortedSets.zincrby/3", r -> {
            String k = pick(r, ZSETS);
            double d = (r.nextInt(9) - 4) / 2.0;
            String m = pick(r, MEMBERS);
            return call(a(k, d, m), w("ZINCRBY", k, d, m), Shape.NUM);
        });
        c("SortedSets.zscore/2", r -> {
            String k = pick(r, ZSETS);
            String m = pick(r, MEMBERS);
            return call(a(k, m), w("ZSCORE", k, m), Shape.NUM);
        });
        c("SortedSets.zmscore/2", r -> {
            String k = pick(r, ZSETS);
            String[] ms = some(r, MEMBERS, 1);
            return call(a(k, ms), w("ZMSCORE", k, ms), Shape.NUM);
        });
        c("SortedSets.zcard/1", r -> {
            String k = pick(r, ZSETS);
            return call(a(k), w("ZCARD", k));
        });
        c("SortedSets.zrank/2", r -> {
            String k = pick(r, ZSETS);
            String m = pick(r, MEMBERS);
            return call(a(k, m), w("ZRANK", k, m));
        });
        c("SortedSets.zrevrank/2", r -> {
            String k = pick(r, ZSETS);
            String m = pick(r, MEMBERS);
            return call(a(k, m), w("ZREVRANK", k, m));
        });
        c("SortedSets.zcount/2", r -> {
            String k = pick(r, ZSETS);
            String[] b = SCORE_RANGES[r.nextInt(SCORE_RANGES.length)];
            return call(a(k, SortedSets.ScoreRange.parse(b[0], b[1])), w("ZCOUNT", k, b[0], b[1]));
        });
        c("SortedSets.zlexcount/2", r -> {
            String k = pick(r, ZSETS);
            String[] b = LEX_RANGES[r.nextInt(LEX_RANGES.length)];
            return call(a(k, SortedSets.LexRange.parse(b[0], b[1])), w("ZLEXCOUNT", k, b[0], b[1]));
        });
        for (String name : List.of("zrange", "zrevrange")) {
            c("SortedSets." + name + "/3", r -> {
                String k = pick(r, ZSETS);
                long s = r.nextInt(8) - 4;
                long e = r.nextInt(8) - 4;
                return call(a(k, s, e), w(name.toUpperCase(), k, s, e));
            });
            c("SortedSets." + name + "WithScores/3", r -> {
                String k = pick(r, ZSETS);
                long s = r.nextInt(8) - 4;
                long e = r.nextInt(8) - 4;
                return call(a(k, s, e), w(name.toUpperCase(), k, s, e, "WITHSCORES"), Shape.NUM);
            });
        }
        for (String name : List.of("zrangeByScore", "zrevrangeByScore")) {
            boolean rev = name.startsWith("zrev");
            c("SortedSets." + name + "/2", r -> {
                String k = pick(r, ZSETS);
                String[] b = SCORE_RANGES[r.nextInt(SCORE_RANGES.length)];
                return call(a(k, SortedSets.ScoreRange.parse(b[0], b[1])),
                    rev ? w("ZREVRANGEBYSCORE", k, b[1], b[0]) : w("ZRANGEBYSCORE", k, b[0], b[1]));
            });
            c("SortedSets." + name + "WithScores/2", r -> {
                String k = pick(r, ZSETS);
                String[] b = SCORE_RANGES[r.nextInt(SCORE_RANGES.length)];
                return call(a(k, SortedSets.ScoreRange.parse(b[0], b[1])),
                    rev ? w("ZREVRANGEBYSCORE", k, b[1], b[0], "WITHSCORES") : w("ZRANGEBYSCORE", k, b[0], b[1], "WITHSCORES"), Shape.NUM);
            });
        }
        c("SortedSets.zrangeByScore/4", r -> {
            String k = pick(r, ZSETS);
            String[] b = SCORE_RANGES[r.nextInt(SCORE_RANGES.length)];
            long off = r.nextInt(3);
            long n = r.nextInt(4) - 1;
            return call(a(k, SortedSets.ScoreRange.parse(b[0], b[1]), off, n), w("ZRANGEBYSCORE", k, b[0], b[1], "LIMIT", off, n));
        });
        c("SortedSets.zrangeByLex/2", r -> {
            String k = pick(r, ZSETS);
            String[] b = LEX_RANGES[r.nextInt(LEX_RANGES.length)];
            return call(a(k, SortedSets.LexRange.parse(b[0], b[1])), w("ZRANGEBYLEX", k, b[0], b[1]));
        });
        c("SortedSets.zrangeByLex/4", r -> {
            String k = pick(r, ZSETS);
            String[] b = LEX_RANGES[r.nextInt(LEX_RANGES.length)];
            long off = r.nextInt(3);
            long n = r.nextInt(4) - 1;
            return call(a(k, SortedSets.LexRange.parse(b[0], b[1]), off, n), w("ZRANGEBYLEX", k, b[0], b[1], "LIMIT", off, n));
        });
        c("SortedSets.zrevrangeByLex/2", r -> {
            String k = pick(r, ZSETS);
            String[] b = LEX_RANGES[r.nextInt(LEX_RANGES.length)];
            return call(a(k, SortedSets.LexRange.parse(b[0], b[1])), w("ZREVRANGEBYLEX", k, b[1], b[0]));
        });
        c("SortedSets.zrem/2", r -> {
            String k = pick(r, ZSETS);
            String[] ms = some(r, MEMBERS, 1);
            return call(a(k, ms), w("ZREM", k, ms));
        });
        c("SortedSets.zremrangeByRank/3", r -> {
            String k = pick(r, ZSETS);
            long s = r.nextInt(6) - 3;
            long e = r.nextInt(6) - 3;
            return call(a(k, s, e), w("ZREMRANGEBYRANK", k, s, e));
        });
        c("SortedSets.zremrangeByScore/2", r -> {
            String k = pick(r, ZSETS);
            String[] b = SCORE_RANGES[r.nextInt(SCORE_RANGES.length)];
            return call(a(k, SortedSets.ScoreRange.parse(b[0], b[1])), w("ZREMRANGEBYSCORE", k, b[0], b[1]));
        });
        c("SortedSets.zremrangeByLex/2", r -> {
            String k = pick(r, ZSETS);
            String[] b = LEX_RANGES[r.nextInt(LEX_RANGES.length)];
            return call(a(k, SortedSets.LexRange.parse(b[0], b[1])), w("ZREMRANGEBYLEX", k, b[0], b[1]));
        });
        for (String name : List.of("zpopmin", "zpopmax")) {
            c("SortedSets." + name + "/1", r -> {
                String k = pick(r, ZSETS);
                return call(a(k), w(name.toUpperCase(), k), Shape.NUM);
            });
            c("SortedSets." + name + "/2", r -> {
                String k = pick(r, ZSETS);
                long n = r.nextInt(4);
                return call(a(k, n), w(name.toUpperCase(), k, n), Shape.NUM);
            });
        }
        c("SortedSets.zrandmember/1", r -> {
            String k = pick(r, new String[] {"z1", "nokey", "s1"});
            return call(a(k), w("ZRANDMEMBER", k));
        });
        c("SortedSets.zrandmember/2", r -> {
            long n = r.nextBoolean() ? 10 : -2;
            String k = n < 0 ? pick(r, new String[] {"z1", "nokey", "s1"}) : pick(r, ZSETS);
            return call(a(k, n), w("ZRANDMEMBER", k, n), Shape.UNORDERED);
        });
        c("SortedSets.zrandmemberWithScores/2", r -> {
            long n = r.nextBoolean() ? 10 : -2;
            String k = n < 0 ? pick(r, new String[] {"z1", "nokey", "s1"}) : pick(r, ZSETS);
            return call(a(k, n), w("ZRANDMEMBER", k, n, "WITHSCORES"), Shape.PAIRS);
        });
        c("SortedSets.zscan/3", r -> {
            String k = pick(r, ZSETS);
            String p = r.nextBoolean() ? null : "[a-c]";
            return call(a(k, p, 2), p == null ? w("ZSCAN", k, "*cursor*", "COUNT", 2) : w("ZSCAN", k, "*cursor*", "MATCH", p, "COUNT", 2),
                Shape.PAIRS);
        });
        c("SortedSets.zmpop/3", r -> {
            SortedSets.End e = r.nextBoolean() ? SortedSets.End.MIN : SortedSets.End.MAX;
            String[] ks = some(r, ZSETS, 1);
            long n = 1 + r.nextInt(3);
            return call(a(e, n, ks), w("ZMPOP", ks.length, ks, e.name(), "COUNT", n), Shape.NUM);
        });
        for (String name : List.of("bzmpop", "bzmpopAsync")) {
            c("SortedSets." + name + "/4", r -> {
                SortedSets.End e = r.nextBoolean() ? SortedSets.End.MIN : SortedSets.End.MAX;
                String[] ks = some(r, ZSETS, 1);
                long n = 1 + r.nextInt(3);
                return call(a(SHORT, e, n, ks), w("BZMPOP", secs(SHORT), ks.length, ks, e.name(), "COUNT", n), Shape.NUM);
            });
        }
        for (String name : List.of("bzpopmin", "bzpopmax", "bzpopminAsync", "bzpopmaxAsync")) {
            String cmd = name.replace("Async", "").toUpperCase();
            c("SortedSets." + name + "/2", r -> {
                String[] ks = some(r, ZSETS, 1);
                return call(a(SHORT, ks), w(cmd, ks, secs(SHORT)), Shape.NUM);
            });
        }

        // ---- StringValue (bound to a key; Codec.STRING)
        c("StringValue.get/0", r -> bound(pick(r, STRINGS), a(), k -> w("GET", k), Shape.PLAIN));
        c("StringValue.set/1", r -> bound(pick(r, ANY), a("nv"), k -> w("SET", k, "nv"), Shape.VOID));
        c("StringValue.set(Object,Duration)", r -> {
            Duration d = ttl(r);
            return bound(pick(r, ANY), a("nv", d), k -> w("SET", k, "nv", "PX", ms(d)), Shape.VOID);
        });
        c("StringValue.set(Object,SetOptions)", r -> {
            boolean nx = r.nextBoolean();
            return bound(pick(r, ANY), a("nv", nx ? SetOptions.none().nx() : SetOptions.none().xx()),
                k -> w("SET", k, "nv", nx ? "NX" : "XX"), Shape.OK_BOOL);
        });
        c("StringValue.setIfAbsent/1", r -> bound(pick(r, STRINGS), a("nv"), k -> w("SETNX", k, "nv"), Shape.PLAIN));
        c("StringValue.getAndSet/1", r -> bound(pick(r, STRINGS), a("nv"), k -> w("GETSET", k, "nv"), Shape.PLAIN));
        c("StringValue.getAndDelete/0", r -> bound(pick(r, STRINGS), a(), k -> w("GETDEL", k), Shape.PLAIN));
        c("StringValue.increment/1", r -> {
            long d = r.nextInt(20) - 10;
            return bound(pick(r, STRINGS), a(d), k -> w("INCRBY", k, d), Shape.PLAIN);
        });
        c("StringValue.length/0", r -> bound(pick(r, STRINGS), a(), k -> w("STRLEN", k), Shape.PLAIN));

        // ---- Database (db 0): raw commands, and each accessor used for one call
        c("Database.execute/1", r -> {
            String k = pick(r, ANY);
            return call(a((Object) new String[] {"TYPE", k}), w("TYPE", k));
        });
        c("Database.index/0", r -> call(a(), null)); // no command: the number itself (0)
        c("Database.strings/0", r -> call(a(), w("GET", "s1")));
        c("Database.keys/0", r -> call(a(), w("DBSIZE")));
        c("Database.hashes/0", r -> call(a(), w("HLEN", "h")));
        c("Database.lists/0", r -> call(a(), w("LLEN", "l")));
        c("Database.sets/0", r -> call(a(), w("SCARD", "st")));
        c("Database.sortedSets/0", r -> call(a(), w("ZCARD", "z")));
        c("Database.geo/0", r -> call(a(), w("GEOHASH", "g", "a", "nosuch")));
        c("Database.streams/0", r -> call(a(), w("XLEN", "nostream")));
        c("Database.bitmaps/0", r -> call(a(), w("BITCOUNT", "s1")));
        c("Database.hyperLogLogs/0", r -> call(a(), w("PFCOUNT", "nohll")));

        // ---- Geo (positions around Sicily, now and then out of range; "s1" holds a string)
        c("Geo.geoadd/4", r -> {
            String k = pick(r, GEOS);
            double lon = r.nextInt(20) == 0 ? 181 : 13 + r.nextInt(3000) / 1000.0;
            double lat = r.nextInt(20) == 0 ? -86 : 37 + r.nextInt(2000) / 1000.0;
            String m = pick(r, MEMBERS);
            return call(a(k, lon, lat, m), w("GEOADD", k, lon, lat, m));
        });
        c("Geo.geopos/2", r -> {
            String k = pick(r, GEOS);
            String[] ms = some(r, MEMBERS, 1);
            return call(a(k, ms), w("GEOPOS", k, ms), Shape.NUM);
        });
        c("Geo.geodist/4", r -> {
            String k = pick(r, GEOS);
            Geo.Unit u = Geo.Unit.values()[r.nextInt(4)];
            String m1 = pick(r, MEMBERS);
            String m2 = pick(r, MEMBERS);
            return call(a(k, m1, m2, u), w("GEODIST", k, m1, m2, u.name()), Shape.NUM);
        });
        c("Geo.geohash/2", r -> {
            String k = pick(r, GEOS);
            String[] ms = some(r, MEMBERS, 1);
            return call(a(k, ms), w("GEOHASH", k, ms));
        });
        c("Geo.geosearch/5", r -> {
            String k = pick(r, GEOS);
            Geo.Unit u = Geo.Unit.values()[r.nextInt(4)];
            double lon = 13 + r.nextInt(3000) / 1000.0;
            double lat = 37 + r.nextInt(2000) / 1000.0;
            double radius = r.nextInt(15) == 0 ? -1 : r.nextInt(300);
            return call(a(k, lon, lat, radius, u), w("GEOSEARCH", k, "FROMLONLAT", lon, lat, "BYRADIUS", radius, u.name(), "ASC"));
        });
        c("Database.string/1", r -> call(a("s1"), w("GET", "s1")));
        c("Database.string/2", r -> call(a("n", Codec.LONG), w("GET", "n")));
    }

    /** The accessor cases' one call through the handle the accessor returns. */
    private static Object useAccessor(String method, Object handle) {
        return switch (method) {
            case "strings" -> ((Strings) handle).get("s1");
            case "keys" -> ((Keys) handle).dbSize();
            case "hashes" -> ((Hashes) handle).hlen("h");
            case "lists" -> ((Lists) handle).llen("l");
            case "sets" -> ((Sets) handle).scard("st");
            case "sortedSets" -> ((SortedSets) handle).zcard("z");
            case "geo" -> ((Geo) handle).geohash("g", "a", "nosuch");
            case "streams" -> ((io.redjar.Streams) handle).length("nostream");
            case "bitmaps" -> ((io.redjar.Bitmaps) handle).bitCount("s1");
            case "hyperLogLogs" -> ((io.redjar.HyperLogLogs) handle).count("nohll");
            case "string" -> {
                Object v = ((StringValue<?>) handle).get();
                yield v == null ? null : v.toString();
            }
            default -> handle;
        };
    }

    private static Map<String, String> flip(Map<String, Double> m) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : m.entrySet()) {
            out.put(Double.toString(e.getValue()), e.getKey());
        }
        return out;
    }

    private static Call bound(String key, Object[] args, Function<String, String[]> wire, Shape shape) {
        return new Call(args, wire.apply(key), shape, key);
    }

    // ---- the methods -------------------------------------------------------------------------

    static String signature(Method m) {
        StringBuilder sb = new StringBuilder(m.getDeclaringClass().getSimpleName()).append('.').append(m.getName()).append('(');
        Class<?>[] p = m.getParameterTypes();
        for (int i = 0; i < p.length; i++) {
            sb.append(i == 0 ? "" : ",").append(p[i].getSimpleName());
        }
        return sb.append(')').toString();
    }

    static List<Method> publicMethods() {
        List<Method> out = new ArrayList<>();
        for (Class<?> h : HANDLES) {
            for (Method m : h.getDeclaredMethods()) {
                if (Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()) && !m.isSynthetic()) {
                    out.add(m);
                }
            }
        }
        out.sort(Comparator.comparing(HandlesDifferentialTest::signature));
        return out;
    }

    private static String caseKey(Method m) {
        String exact = signature(m);
        if (CASES.containsKey(exact)) {
            return exact;
        }
        String byArity = m.getDeclaringClass().getSimpleName() + "." + m.getName() + "/" + m.getParameterCount();
        return CASES.containsKey(byArity) ? byArity : null;
    }

    @Test
    void everyPublicMethodHasACase() {
        List<String> missing = new ArrayList<>();
        java.util.Set<String> used = new TreeSet<>();
        for (Method m : publicMethods()) {
            String k = caseKey(m);
            if (k == null) {
                missing.add(signature(m));
            } else {
                used.add(k);
            }
        }
        assertEquals(List.of(), missing, "public handle methods without a differential case");
        java.util.Set<String> stale = new TreeSet<>(CASES.keySet());
        stale.removeAll(used);
        assertEquals(java.util.Set.of(), stale, "cases for methods that no longer exist");
    }

    @Test
    void everyPublicMethodMatchesRedis(RespClient redis) {
        redis.call("HELLO", "2");
        Seeds.run("HandlesDifferentialTest", random -> {
            try (Store store = Store.open()) {
                for (int round = 0; round < 3; round++) {
                    for (Method m : publicMethods()) {
                        long seed = random.nextLong();
                        String where = signature(m) + " (round " + round + ", case seed " + seed + ")";
                        runOne(store, redis, m, new Random(seed), where);
                    }
                }
            } finally {
                redis.call("FLUSHALL");
            }
        });
    }

    private static void runOne(Store store, RespClient redis, Method m, Random r, String where) throws Exception {
        Case c = CASES.get(caseKey(m));
        if (c == null) {
            fail("no case for " + where);
        }
        Call call = c.make(r);
        store.execute("FLUSHALL");
        redis.call("FLUSHALL");
        List<String[]> world = signature(m).startsWith("Keys.randomKey") ? List.<String[]>of(w("SET", "only", "1")) : world(r);
        for (String[] cmd : world) {
            store.execute(cmd);
            redis.call(cmd);
        }
        Object handle = handleFor(store, m, call);
        Object typed;
        try {
            Object v = m.invoke(handle, convert(m, call.args()));
            if (m.getDeclaringClass() == Database.class && m.getParameterCount() <= 2 && !m.getName().equals("execute")
                && !m.getName().equals("index")) {
                v = useAccessor(m.getName(), v);
            }
            typed = canon(v);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RedJarException x) {
                typed = "!" + x.getMessage();
            } else {
                throw new AssertionError(where + ": " + e.getCause(), e.getCause());
            }
        } catch (RedJarException x) {
            // thrown while reading the result: an iterator's first step, a future's value
            typed = "!" + x.getMessage();
        }
        Object expected;
        if (call.wire() == null) {
            expected = 0L; // Database.index() of database 0
        } else if (Arrays.asList(call.wire()).contains("*cursor*")) {
            expected = scanAll(redis, call.wire());
        } else {
            expected = canonReply(redis.call(call.wire()));
        }
        Object t = shape(call.shape(), typed);
        Object x = shape(call.shape(), expected);
        if (call.shape() == Shape.NEAR && t instanceof Long a && x instanceof Long b) {
            if (Math.abs(a - b) > 1000) {
                fail(where + ": " + String.join(" ", call.wire()) + ": typed " + a + ", redis " + b);
            }
        } else if (call.shape() == Shape.VOID) {
            boolean te = t instanceof String s && s.startsWith("!");
            boolean xe = x instanceof String s && s.startsWith("!");
            assertEquals(xe ? x : "no error", te ? t : "no error", where + ": " + String.join(" ", call.wire()));
        } else {
            assertEquals(x, t, where + ": " + (call.wire() == null ? "" : String.join(" ", call.wire())));
        }
        for (int db = 0; db < 2; db++) {
            assertEquals(digest(redis, db), digest(store, db), where + ": keyspace of db " + db + " after "
                + (call.wire() == null ? "" : String.join(" ", call.wire())));
        }
        redis.call("SELECT", "0");
    }

    private static Object handleFor(Store store, Method m, Call call) {
        Database db = store.database(0);
        Class<?> h = m.getDeclaringClass();
        if (h == Strings.class) {
            return db.strings();
        } else if (h == Keys.class) {
            return db.keys();
        } else if (h == Hashes.class) {
            return db.hashes();
        } else if (h == Sets.class) {
            return db.sets();
        } else if (h == Lists.class) {
            return db.lists();
        } else if (h == SortedSets.class) {
            return db.sortedSets();
        } else if (h == Geo.class) {
            return db.geo();
        } else if (h == StringValue.class) {
            return db.string(call.boundKey());
        }
        return db;
    }

    /** The case's String-form arguments converted to {@code m}'s parameter types (the byte[] overloads). */
    private static Object[] convert(Method m, Object[] args) {
        Class<?>[] p = m.getParameterTypes();
        if (p.length != args.length) {
            throw new AssertionError(signature(m) + ": the case gives " + args.length + " arguments");
        }
        boolean bytes = false;
        for (Class<?> t : p) {
            bytes |= t == byte[].class || t == byte[][].class;
        }
        Object[] out = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (p[i] == byte[].class && a instanceof String s) {
                out[i] = s.getBytes(StandardCharsets.UTF_8);
            } else if (p[i] == byte[][].class && a instanceof String[] arr) {
                byte[][] b = new byte[arr.length][];
                for (int j = 0; j < arr.length; j++) {
                    b[j] = arr[j].getBytes(StandardCharsets.UTF_8);
                }
                out[i] = b;
            } else if (p[i] == Map.class && bytes && a instanceof Map<?, ?> map) {
                Map<byte[], byte[]> b = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    b.put(((String) e.getKey()).getBytes(StandardCharsets.UTF_8), ((String) e.getValue()).getBytes(StandardCharsets.UTF_8));
                }
                out[i] = b;
            } else {
                out[i] = a;
            }
        }
        return out;
    }

    // ---- comparing ---------------------------------------------------------------------------

    /** A typed result in comparable form: strings, longs, doubles, lists, null. */
    static Object canon(Object v) throws Exception {
        if (v == null) {
            return null;
        } else if (v instanceof Boolean b) {
            return b ? 1L : 0L;
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short) {
            return ((Number) v).longValue();
        } else if (v instanceof Double || v instanceof Float) {
            return ((Number) v).doubleValue();
        } else if (v instanceof String) {
            return v;
        } else if (v instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        } else if (v instanceof Reply rep) {
            return canonReply(rep);
        } else if (v instanceof CompletableFuture<?> f) {
            try {
                return canon(f.get(10, TimeUnit.SECONDS));
            } catch (java.util.concurrent.ExecutionException e) {
                throw new InvocationTargetException(e.getCause());
            }
        } else if (v instanceof Map<?, ?> m) {
            List<Object> out = new ArrayList<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.add(canon(e.getKey()));
                out.add(canon(e.getValue()));
            }
            return out;
        } else if (v instanceof Map.Entry<?, ?> e) {
            return new ArrayList<>(Arrays.asList(canon(e.getKey()), canon(e.getValue())));
        } else if (v instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>();
            for (Object o : c) {
                out.add(canon(o));
            }
            return out;
        } else if (v instanceof Iterator<?> it) {
            List<Object> out = new ArrayList<>();
            while (it.hasNext()) {
                out.add(canon(it.next()));
            }
            return out;
        } else if (v instanceof boolean[] bs) {
            List<Object> out = new ArrayList<>();
            for (boolean b : bs) {
                out.add(b ? 1L : 0L);
            }
            return out;
        } else if (v instanceof Object[] arr) {
            return canon(Arrays.asList(arr));
        } else if (v.getClass().isRecord()) {
            List<Object> out = new ArrayList<>();
            for (RecordComponent rc : v.getClass().getRecordComponents()) {
                out.add(canon(rc.getAccessor().invoke(v)));
            }
            return out;
        }
        throw new AssertionError("no canonical form for " + v.getClass());
    }

    static Object canonReply(Reply r) {
        if (r instanceof Reply.Null) {
            return null;
        } else if (r instanceof Reply.ErrorReply e) {
            return "!" + e.message();
        } else if (r instanceof Reply.IntegerReply i) {
            return i.value();
        } else if (r instanceof Reply.Bulk b) {
            return new String(b.value(), StandardCharsets.UTF_8);
        } else if (r instanceof Reply.SimpleString s) {
            return s.value();
        } else if (r instanceof Reply.DoubleReply d) {
            return d.value();
        } else if (r instanceof Reply.Bool b) {
            return b.value() ? 1L : 0L;
        } else if (r instanceof Reply.ArrayReply a) {
            return canonList(a.elements());
        } else if (r instanceof Reply.SetReply s) {
            return canonList(s.elements());
        } else if (r instanceof Reply.Map m) {
            return canonList(m.flat());
        }
        return r.toString();
    }

    private static List<Object> canonList(List<Reply> elements) {
        List<Object> out = new ArrayList<>();
        for (Reply e : elements) {
            out.add(canonReply(e));
        }
        return out;
    }

    /** Runs a SCAN-family command to the end on Redis: every element it returns, in order. */
    private static Object scanAll(RespClient redis, String[] wire) {
        List<Object> all = new ArrayList<>();
        String cursor = "0";
        do {
            String[] cmd = wire.clone();
            cmd[Arrays.asList(cmd).indexOf("*cursor*")] = cursor;
            Object r = canonReply(redis.call(cmd));
            if (r instanceof String err) {
                return err;
            }
            List<?> pair = (List<?>) r;
            cursor = (String) pair.get(0);
            all.addAll((List<?>) pair.get(1));
        } while (!cursor.equals("0"));
        return all;
    }

    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?|[-+]?inf");

    static Object shape(Shape s, Object v) {
        if (v instanceof String str && str.startsWith("!")) {
            return v; // errors compare as text in every shape
        }
        switch (s) {
            case UNORDERED: {
                if (!(v instanceof List<?> l)) {
                    return v;
                }
                List<String> out = new ArrayList<>();
                for (Object o : l) {
                    out.add(String.valueOf(o));
                }
                out.sort(null);
                return out;
            }
            case NUM: {
                if (v == null) {
                    return List.of();
                }
                List<Object> flat = new ArrayList<>();
                flatten(v, flat);
                flat.replaceAll(HandlesDifferentialTest::number);
                return flat;
            }
            case PAIRS: {
                if (v == null) {
                    return List.of();
                }
                List<Object> flat = new ArrayList<>();
                flatten(v, flat);
                flat.replaceAll(HandlesDifferentialTest::number);
                List<String> pairs = new ArrayList<>();
                for (int i = 0; i + 1 < flat.size(); i += 2) {
                    pairs.add(flat.get(i) + "=" + flat.get(i + 1));
                }
                pairs.sort(null);
                return pairs;
            }
            case OK_BOOL:
                return v == null ? 0L : "OK".equals(v) ? 1L : v;
            default:
                return v;
        }
    }

    private static void flatten(Object v, List<Object> out) {
        if (v instanceof List<?> l) {
            for (Object o : l) {
                flatten(o, out);
            }
        } else {
            out.add(v);
        }
    }

    private static Object number(Object o) {
        if (o instanceof Long l) {
            return l.doubleValue();
        }
        if (o instanceof String s && NUMBER.matcher(s).matches()) {
            return s.endsWith("inf") ? (s.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY) : Double.parseDouble(s);
        }
        return o;
    }

    // ---- keyspace digests --------------------------------------------------------------------

    private interface Exec {
        Reply run(String... argv);
    }

    private static Map<String, Object> digest(Exec e, int db) {
        Map<String, Object> out = new TreeMap<>();
        List<?> keys = (List<?>) canonReply(e.run("KEYS", "*"));
        for (Object k : keys) {
            String key = (String) k;
            String type = (String) canonReply(e.run("TYPE", key));
            Object content = switch (type) {
                case "string" -> canonReply(e.run("GET", key));
                case "list" -> canonReply(e.run("LRANGE", key, "0", "-1"));
                case "set" -> shape(Shape.UNORDERED, canonReply(e.run("SMEMBERS", key)));
                case "hash" -> shape(Shape.PAIRS, canonReply(e.run("HGETALL", key)));
                case "zset" -> shape(Shape.NUM, canonReply(e.run("ZRANGE", key, "0", "-1", "WITHSCORES")));
                default -> type;
            };
            long pttl = (Long) canonReply(e.run("PTTL", key));
            out.put(key, type + " " + content + (pttl > 0 ? " (expires)" : ""));
        }
        return out;
    }

    private static Map<String, Object> digest(RespClient redis, int db) {
        redis.call("SELECT", Integer.toString(db));
        return digest(redis::call, db);
    }

    private static Map<String, Object> digest(Store store, int db) {
        Database d = store.database(db);
        return digest(d::execute, db);
    }
}
