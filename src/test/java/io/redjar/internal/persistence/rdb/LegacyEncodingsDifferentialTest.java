package io.redjar.internal.persistence.rdb;

import io.redjar.internal.util.Lzf;
import io.redjar.Reply;
import io.redjar.Store;
import io.redjar.internal.Internals;
import io.redjar.testing.RequiresRedis;
import io.redjar.testing.RespClient;
import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.redjar.internal.persistence.rdb.RdbFixtures.b;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The encodings Redis 7.0 still loads but no longer writes (zipmap, ziplists, quicklist v1, the
 * old text doubles, plain quicklist nodes, non-minimal intsets), hand-made as DUMP payloads and
 * restored into redis-server and into RedJar: both must create the same value in the same
 * encoding. Seeded corruptions of the same payloads (checksum recomputed) must be refused by
 * RedJar wherever Redis with {@code sanitize-dump-payload yes} refuses them.
 */
@RequiresRedis
class LegacyEncodingsDifferentialTest {

    private interface Body {
        void write(RdbWriter w);
    }

    static byte[] payload(Body body) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        RdbWriter w = new RdbWriter(bos, false, false);
        body.write(w);
        w.writeByte(10);
        w.writeByte(0);
        w.writeLongLE(w.crcSoFar());
        w.flush();
        return bos.toByteArray();
    }

    /** A ziplist of strings and integers (Long entries), Redis's format. */
    static byte[] ziplist(List<Object> els) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int prev = 0;
        int last = 10;
        for (Object o : els) {
            ByteArrayOutputStream e = new ByteArrayOutputStream();
            if (prev < 254) {
                e.write(prev);
            } else {
                e.write(254);
                for (int i = 0; i < 4; i++) {
                    e.write(prev >>> (8 * i));
                }
            }
            if (o instanceof Long v) {
                if (v >= 0 && v <= 12) {
                    e.write(0xF1 + v.intValue());
                } else if (v >= -128 && v <= 127) {
                    e.write(0xFE);
                    e.write(v.intValue());
                } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
                    e.write(0xC0);
                    e.write(v.intValue());
                    e.write(v.intValue() >> 8);
                } else {
                    e.write(0xE0);
                    for (int i = 0; i < 8; i++) {
                        e.write((int) (v >>> (8 * i)));
                    }
                }
            } else {
                byte[] s = ((String) o).getBytes(StandardCharsets.ISO_8859_1);
                if (s.length < 64) {
                    e.write(s.length);
                } else {
                    e.write(0x40 | (s.length >>> 8));
                    e.write(s.length);
                }
                e.writeBytes(s);
            }
            last = 10 + body.size();
            prev = e.size();
            body.writeBytes(e.toByteArray());
        }
        int total = 10 + body.size() + 1;
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        for (long v : new long[] {total, els.isEmpty() ? 10 : last}) {
            for (int i = 0; i < 4; i++) {
                z.write((int) (v >>> (8 * i)));
            }
        }
        z.write(els.size());
        z.write(els.size() >>> 8);
        z.writeBytes(body.toByteArray());
        z.write(0xFF);
        return z.toByteArray();
    }

    /** A zipmap of field, value pairs, some values with free bytes after them. */
    static byte[] zipmap(List<String> fv) {
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        z.write(fv.size() / 2);
        for (int i = 0; i < fv.size(); i += 2) {
            byte[] f = fv.get(i).getBytes(StandardCharsets.ISO_8859_1);
            byte[] v = fv.get(i + 1).getBytes(StandardCharsets.ISO_8859_1);
            int free = i % 4 == 0 ? 2 : 0;
            z.write(f.length);
            z.writeBytes(f);
            z.write(v.length);
            z.write(free);
            z.writeBytes(v);
            z.writeBytes(new byte[free]);
        }
        z.write(0xFF);
        return z.toByteArray();
    }

    static List<Object> sample(Random r, int n, boolean pairsWithScores) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (pairsWithScores) {
                out.add("m" + i);
                out.add(r.nextBoolean() ? (Object) (long) i : (Object) (i + ".5"));
            } else if (r.nextBoolean()) {
                out.add(r.nextBoolean() ? (long) r.nextInt(13) : r.nextLong());
            } else {
                out.add("s" + r.nextInt(1000) + "x".repeat(r.nextInt(3) == 0 ? 70 : 1));
            }
        }
        return out;
    }

    static Map<String, byte[]> cases(Random r) {
        Map<String, byte[]> c = new LinkedHashMap<>();
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            pairs.add("f" + i);
            pairs.add("v" + r.nextInt(100));
        }
        c.put("zipmap", payload(w -> { w.writeByte(9); w.writeString(zipmap(pairs)); }));
        c.put("list-ziplist", payload(w -> { w.writeByte(10); w.writeString(ziplist(sample(r, 40, false))); }));
        c.put("set-intset-int64", payload(w -> { w.writeByte(11); w.writeString(RdbCorruptionTest.intset(8, -5, 1, 7)); }));
        c.put("set-intset-big", payload(w -> {
            long[] vs = new long[600];
            for (int i = 0; i < vs.length; i++) {
                vs[i] = i * 3L;
            }
            w.writeByte(11);
            w.writeString(RdbCorruptionTest.intset(2, vs));
        }));
        c.put("zset-ziplist", payload(w -> { w.writeByte(12); w.writeString(ziplist(sample(r, 20, true))); }));
        c.put("zset-ziplist-big", payload(w -> { w.writeByte(12); w.writeString(ziplist(sample(r, 200, true))); }));
        List<Object> hz = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            hz.add("f" + i);
            hz.add(r.nextBoolean() ? (Object) (long) r.nextInt() : "v" + i);
        }
        c.put("hash-ziplist", payload(w -> { w.writeByte(13); w.writeString(ziplist(hz)); }));
        c.put("list-quicklist-v1", payload(w -> {
            w.writeByte(14);
            w.writeLength(3);
            w.writeString(ziplist(sample(r, 10, false)));
            w.writeString(ziplist(List.of()));
            w.writeString(ziplist(sample(r, 5, false)));
        }));
        c.put("list-plain-node", payload(w -> {
            w.writeByte(18);
            w.writeLength(2);
            w.writeLength(1);
            w.writeString(b("a plain node's single element"));
            w.writeLength(2);
            w.writeString(RdbCorruptionTest.listpack(2, "x", 5));
        }));
        c.put("list-linked", payload(w -> {
            w.writeByte(1);
            w.writeLength(3);
            w.writeString(b("a"));
            w.writeString(b("12"));
            w.writeString(b("c".repeat(30)));
        }));
        c.put("zset-text-doubles", payload(w -> {
            w.writeByte(3);
            w.writeLength(4);
            String[][] ms = {{"a", "1.5"}, {"b", "-3"}};
            for (String[] m : ms) {
                w.writeString(b(m[0]));
                w.writeByte(m[1].length());
                w.raw(b(m[1]));
            }
            w.writeString(b("pinf"));
            w.writeByte(254);
            w.writeString(b("ninf"));
            w.writeByte(255);
        }));
        c.put("set-plain-ints", payload(w -> {
            w.writeByte(2);
            w.writeLength(3);
            w.writeString(b("3"));
            w.writeString(b("-1"));
            w.writeString(b("100000"));
        }));
        c.put("hash-plain-long-value", payload(w -> {
            w.writeByte(4);
            w.writeLength(2);
            w.writeString(b("f"));
            w.writeString(b("v".repeat(65)));
            w.writeString(b("g"));
            w.writeString(b("1"));
        }));
        c.put("string-lzf", payload(w -> {
            byte[] s = b("abcabcabcabcabcabcabcabcabcabcabcabc");
            byte[] z = Lzf.compress(s, s.length - 4);
            w.writeByte(0);
            w.writeByte(0xC3);
            w.writeLength(z.length);
            w.writeLength(s.length);
            w.raw(z);
        }));
        return c;
    }

    @Test
    void legacyPayloadsRestoreAsRedisRestoresThem(RespClient redis) {
        Seeds.run("legacy encodings", r -> {
            redis.call("FLUSHALL");
            try (Store s = Store.open()) {
                RdbFixtures.Exec rx = redis::call;
                RdbFixtures.Exec sx = s::execute;
                for (Map.Entry<String, byte[]> e : cases(r).entrySet()) {
                    byte[] key = b(e.getKey());
                    Reply fromRedis = rx.call(b("RESTORE"), key, b("0"), e.getValue());
                    Reply fromRedJar = sx.call(b("RESTORE"), key, b("0"), e.getValue());
                    assertEquals(Reply.OK, fromRedis, "redis-server on " + e.getKey());
                    assertEquals(fromRedis, fromRedJar, e.getKey());
                    assertEquals(RdbFixtures.describe(rx, key), RdbFixtures.describe(sx, key), e.getKey());
                }
                Internals.engine(s).keyspace().verifyIntegrity();
            }
        });
    }

    @Test
    void corruptedLegacyPayloadsAreRefusedWhereRedisRefusesThem(RespClient redis) {
        Seeds.run("corrupted legacy encodings", r -> {
            redis.call("CONFIG", "SET", "sanitize-dump-payload", "yes");
            try (Store s = Store.open()) {
                Map<String, byte[]> all = cases(r);
                // and the current encodings, as RedJar writes them
                s.execute("HSET", "h", "f1", "v1", "f2", "22", "f3", "-3");
                s.execute("ZADD", "z", "1", "a", "2.5", "b", "-inf", "c", "7", "d");
                s.execute("RPUSH", "l", "a", "1", "bb", "-200000", "x".repeat(40));
                s.execute("SADD", "i", "1", "-5", "70000", "9000000000");
                s.execute("SADD", "t", "a", "b", "c");
                for (String k : List.of("h", "z", "l", "i", "t")) {
                    all.put("current-" + k, ((Reply.Bulk) s.execute(b("DUMP"), b(k))).value());
                }
                List<String> names = new ArrayList<>(all.keySet());
                int both = 0;
                for (int round = 0; round < 600; round++) {
                    String name = names.get(r.nextInt(names.size()));
                    byte[] p = all.get(name).clone();
                    int at = r.nextInt(p.length - 10);
                    p[at] ^= (byte) (1 << r.nextInt(8));
                    long crc = Crc64.update(0, p, 0, p.length - 8);
                    for (int i = 0; i < 8; i++) {
                        p[p.length - 8 + i] = (byte) (crc >>> (8 * i));
                    }
                    redis.call("DEL", "k");
                    s.execute("DEL", "k");
                    Reply fromRedis = redis.call(b("RESTORE"), b("k"), b("0"), p);
                    Reply fromRedJar = s.execute(b("RESTORE"), b("k"), b("0"), p);
                    if (fromRedis.isError()) {
                        both++;
                        assertEquals(Reply.error("ERR Bad data format"), fromRedJar, "Redis refused " + name + " with byte " + at +  " flipped (" + fromRedis + ")");
                    } else if (!fromRedJar.isError()) {
                        assertEquals(RdbFixtures.describe(redis::call, b("k")), RdbFixtures.describe(s::execute, b("k")), "byte " + at);
                    }
                }
                Internals.engine(s).keyspace().verifyIntegrity();
                org.junit.jupiter.api.Assertions.assertTrue(both > 50, "Redis refused " + both);
            } finally {
                redis.call("CONFIG", "SET", "sanitize-dump-payload", "no");
            }
        });
    }
}
