package io.redjar.internal.persistence.rdb;

import io.redjar.ManualClock;
import io.redjar.Reply;
import io.redjar.Store;
import io.redjar.internal.Internals;
import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static io.redjar.internal.persistence.rdb.RdbFixtures.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Corrupted input never crashes, never installs a wrong value and never leaves a broken keyspace:
 * seeded truncations and bit flips of DUMP payloads of every type and encoding (RESTORE answers
 * an error, or, only when the flip changed nothing that matters, installs a value equal to the
 * original), the same with the checksum recomputed so the value validation itself is exercised
 * (an error, or a well-formed value that survives its own DUMP/RESTORE), hand-made malformed
 * values (each "Bad data format"), and whole files through {@link RdbLoader} (an error naming the
 * offset; with the checksum off, an error or a consistent keyspace).
 */
class RdbCorruptionTest {
    private static final long NOW = 1_700_000_000_000L;

    private static Store store() {
        return Store.builder().clock(new ManualClock(NOW)).open();
    }

    /** The payloads of a filled store, key by key. */
    private static List<byte[][]> payloads(Store s, Random r) {
        RdbFixtures.fill(s::execute, r, "k", 60, NOW);
        List<byte[][]> out = new ArrayList<>();
        for (Reply k : RdbFixtures.elements(s.execute("KEYS", "*"))) {
            byte[] key = ((Reply.Bulk) k).value();
            out.add(new byte[][] {key, ((Reply.Bulk) s.execute(b("DUMP"), key)).value()});
        }
        return out;
    }

    /** The key's value and encoding (not its expire time: a payload does not carry it). */
    private static String value(Store s, byte[] key) {
        String d = RdbFixtures.describe(s::execute, key);
        return d == null ? null : d.replaceFirst(" exp=\\S+ ", " ");
    }

    private static byte[] fixCrc(byte[] p) {
        byte[] q = p.clone();
        long crc = Crc64.update(0, q, 0, q.length - 8);
        for (int i = 0; i < 8; i++) {
            q[q.length - 8 + i] = (byte) (crc >>> (8 * i));
        }
        return q;
    }

    private static byte[] mutate(byte[] p, Random r) {
        if (r.nextInt(4) == 0) {
            return Arrays.copyOf(p, r.nextInt(p.length));
        }
        byte[] q = p.clone();
        int flips = 1 + r.nextInt(3);
        for (int i = 0; i < flips; i++) {
            int at = r.nextInt(Math.max(1, q.length - 10));
            q[at] ^= (byte) (1 << r.nextInt(8));
        }
        return q;
    }

    @Test
    void corruptedPayloadsAreRefusedOrHarmless() {
        Seeds.run("corrupted DUMP payloads", r -> {
            try (Store src = store(); Store dst = store()) {
                List<byte[][]> ps = payloads(src, r);
                int refused = 0;
                int accepted = 0;
                for (int round = 0; round < 1500; round++) {
                    byte[][] kp = ps.get(r.nextInt(ps.size()));
                    byte[] key = kp[0];
                    String original = value(src, key);
                    boolean crcFixed = r.nextBoolean();
                    byte[] bad = mutate(kp[1], r);
                    if (crcFixed && bad.length >= 10) {
                        bad = fixCrc(bad);
                    }
                    dst.execute(b("DEL"), key);
                    Reply rep;
                    try {
                        rep = dst.execute(b("RESTORE"), key, b("0"), bad);
                    } catch (RuntimeException e) {
                        throw new AssertionError("RESTORE threw on a corrupted payload", e);
                    }
                    if (rep.isError()) {
                        refused++;
                        String m = ((Reply.ErrorReply) rep).message();
                        assertTrue(m.equals("ERR Bad data format") || m.equals("ERR DUMP payload version or checksum are wrong"), m);
                        assertEquals(Reply.integer(0), dst.execute(b("EXISTS"), key), "nothing installed after an error");
                        continue;
                    }
                    accepted++;
                    String got = value(dst, key);
                    if (!crcFixed) {
                        assertEquals(original, got, "a payload with an intact checksum restored a different value");
                    } else {
                        // a different but well-formed value: it must survive its own DUMP/RESTORE
                        byte[] again = ((Reply.Bulk) dst.execute(b("DUMP"), key)).value();
                        dst.execute(b("DEL"), key);
                        assertEquals(Reply.OK, dst.execute(b("RESTORE"), key, b("0"), again));
                        assertEquals(got, value(dst, key));
                    }
                }
                Internals.engine(dst).keyspace().verifyIntegrity();
                assertTrue(refused > 500, "refused " + refused + ", accepted " + accepted);
            }
        });
    }

    // ---- hand-made malformed values ------------------------------------------------------------

    private interface Body {
        void write(RdbWriter w);
    }

    private static byte[] payload(Body body) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        RdbWriter w = new RdbWriter(bos, false, false);
        body.write(w);
        w.writeByte(10);
        w.writeByte(0);
        w.writeLongLE(w.crcSoFar());
        w.flush();
        return bos.toByteArray();
    }

    /** A listpack of the given elements (strings up to 63 bytes; small ints as 7-bit uints). */
    static byte[] listpack(int declaredCount, Object... els) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Object o : els) {
            byte[] enc;
            if (o instanceof Integer i) {
                enc = new byte[] {(byte) (int) i};
            } else {
                byte[] s = ((String) o).getBytes(StandardCharsets.ISO_8859_1);
                enc = new byte[1 + s.length];
                enc[0] = (byte) (0x80 | s.length);
                System.arraycopy(s, 0, enc, 1, s.length);
            }
            body.writeBytes(enc);
            body.write(enc.length);
        }
        int total = 6 + body.size() + 1;
        ByteArrayOutputStream lp = new ByteArrayOutputStream();
        lp.write(total);
        lp.write(total >>> 8);
        lp.write(total >>> 16);
        lp.write(total >>> 24);
        lp.write(declaredCount);
        lp.write(declaredCount >>> 8);
        lp.writeBytes(body.toByteArray());
        lp.write(0xFF);
        return lp.toByteArray();
    }

    static byte[] intset(int enc, long... vs) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (long v : new long[] {enc, vs.length}) {
            for (int i = 0; i < 4; i++) {
                o.write((int) (v >>> (8 * i)));
            }
        }
        for (long v : vs) {
            for (int i = 0; i < enc; i++) {
                o.write((int) (v >>> (8 * i)));
            }
        }
        return o.toByteArray();
    }

    @Test
    void malformedValuesAreBadDataFormat() {
        List<byte[]> bad = List.of(
            payload(w -> { w.writeByte(2); w.writeLength(2); w.writeString(b("a")); w.writeString(b("a")); }), // dup set member
            payload(w -> { w.writeByte(2); w.writeLength(0); }), // empty set
            payload(w -> { w.writeByte(4); w.writeLength(2); w.writeString(b("f")); w.writeString(b("1")); w.writeString(b("f")); w.writeString(b("2")); }),
            payload(w -> { w.writeByte(5); w.writeLength(1); w.writeString(b("m")); w.writeBinaryDouble(Double.NaN); }),
            payload(w -> { w.writeByte(5); w.writeLength(2); w.writeString(b("m")); w.writeBinaryDouble(1); w.writeString(b("m")); w.writeBinaryDouble(2); }),
            payload(w -> { w.writeByte(16); w.writeString(listpack(3, "f", "v", "g")); }), // odd hash listpack
            payload(w -> { w.writeByte(16); w.writeString(listpack(4, "f", "v", "f", "w")); }), // dup field
            payload(w -> { w.writeByte(16); w.writeString(listpack(5, "f", "v")); }), // wrong count
            payload(w -> { w.writeByte(16); w.writeString(listpack(0)); }), // empty
            payload(w -> { w.writeByte(17); w.writeString(listpack(4, "b", 1, "a", 2)); }), // fine order? b@1, a@2: sorted by score
            payload(w -> { w.writeByte(17); w.writeString(listpack(4, "b", 2, "a", 1)); }), // not in score order
            payload(w -> { w.writeByte(17); w.writeString(listpack(2, "a", "notanumber")); }),
            payload(w -> { w.writeByte(11); w.writeString(intset(2, 5, 3)); }), // not ascending
            payload(w -> { w.writeByte(11); w.writeString(intset(2, 3, 3)); }), // duplicate
            payload(w -> { w.writeByte(11); w.writeString(intset(3, 1)); }), // bad encoding
            payload(w -> { w.writeByte(11); w.writeString(intset(2)); }), // empty
            payload(w -> { w.writeByte(18); w.writeLength(1); w.writeLength(3); w.writeString(listpack(1, "x")); }), // bad container
            payload(w -> { w.writeByte(18); w.writeLength(1); w.writeLength(2); w.writeString(listpack(0)); }), // only an empty node
            payload(w -> { w.writeByte(15); w.writeLength(0); }), // a stream
            payload(w -> { w.writeByte(7); }), // a module value
            payload(w -> { w.writeByte(20); }), // a 7.2+ type id
            payload(w -> { w.writeByte(0); w.writeByte(0xC3); w.writeLength(3); w.writeLength(1 << 30); w.raw(new byte[] {1, 2, 3}); }), // LZF bomb
            payload(w -> { w.writeByte(1); w.writeLength(1L << 40); }) // a count the payload cannot hold
        );
        try (Store s = store()) {
            for (int i = 0; i < bad.size(); i++) {
                Reply rep = s.execute(b("RESTORE"), b("k" + i), b("0"), bad.get(i));
                if (i == 9) {
                    assertEquals(Reply.OK, rep, "a well-formed sorted listpack is accepted");
                    continue;
                }
                assertEquals(Reply.error("ERR Bad data format"), rep, "case " + i);
            }
            assertEquals(Reply.integer(1), s.execute("DBSIZE"));
            Internals.engine(s).keyspace().verifyIntegrity();
        }
    }

    @Test
    void restoreErrorsAndOptionsAsRedis() {
        try (Store s = store()) {
            s.execute("SET", "a", "1");
            byte[] p = ((Reply.Bulk) s.execute(b("DUMP"), b("a"))).value();
            assertEquals(Reply.error("BUSYKEY Target key name already exists."), s.execute(b("RESTORE"), b("a"), b("0"), p));
            assertEquals(Reply.error("BUSYKEY Target key name already exists."), s.execute(b("RESTORE"), b("a"), b("x"), p));
            assertEquals(Reply.error("ERR value is not an integer or out of range"), s.execute(b("RESTORE"), b("b"), b("x"), p));
            assertEquals(Reply.error("ERR Invalid TTL value, must be >= 0"), s.execute(b("RESTORE"), b("b"), b("-1"), p));
            assertEquals(Reply.error("ERR DUMP payload version or checksum are wrong"), s.execute(b("RESTORE"), b("b"), b("0"), b("short")));
            byte[] v11 = p.clone();
            v11[v11.length - 10] = 11;
            assertEquals(Reply.error("ERR DUMP payload version or checksum are wrong"), s.execute(b("RESTORE"), b("b"), b("0"), fixCrc(v11)));
            assertEquals(Reply.error("ERR Invalid IDLETIME value, must be >= 0"), s.execute(b("RESTORE"), b("b"), b("0"), p, b("IDLETIME"), b("-1")));
            assertEquals(Reply.error("ERR Invalid FREQ value, must be >= 0 and <= 255"), s.execute(b("RESTORE"), b("b"), b("0"), p, b("FREQ"), b("256")));
            assertEquals(Reply.error("ERR syntax error"), s.execute(b("RESTORE"), b("b"), b("0"), p, b("IDLETIME"), b("1"), b("FREQ"), b("1")));
            assertEquals(Reply.error("ERR syntax error"), s.execute(b("RESTORE"), b("b"), b("0"), p, b("NOPE")));
            assertEquals(Reply.OK, s.execute(b("RESTORE"), b("a"), b("0"), p, b("REPLACE")));
            // a TTL already past: REPLACE removes the old key, nothing is created
            assertEquals(Reply.OK, s.execute(b("RESTORE"), b("a"), b("1"), p, b("REPLACE"), b("ABSTTL")));
            assertEquals(Reply.integer(0), s.execute("EXISTS", "a"));
            assertEquals(Reply.OK, s.execute(b("RESTORE"), b("c"), b("5000"), p));
            assertEquals(Reply.integer(NOW + 5000), s.execute("PEXPIRETIME", "c"));
            assertTrue(s.execute("DUMP", "nokey") instanceof Reply.Null);
        }
    }

    // ---- files ---------------------------------------------------------------------------------

    @Test
    void corruptedFilesFailWithAnOffsetOrLoadConsistently() {
        Seeds.run("corrupted RDB files", r -> {
            byte[] good;
            byte[] unchecked;
            try (Store s = store()) {
                RdbFixtures.fill(s::execute, r, "f", 40, NOW);
                good = RdbRoundTripTest.write(Internals.engine(s).keyspace(), List.of("#!lua name=l\nredis.register_function('f', function() return 1 end)"), true);
                ByteArrayOutputStream bos = new ByteArrayOutputStream();
                RdbWriter w = new RdbWriter(bos, r.nextBoolean(), false);
                w.header();
                var ks = Internals.engine(s).keyspace();
                for (int i = 0; i < ks.shardCount(); i++) {
                    ks.shard(i).lock();
                    try {
                        RdbEntries.writeShard(ks, ks.shard(i), w);
                    } finally {
                        ks.shard(i).unlock();
                    }
                }
                w.end();
                unchecked = bos.toByteArray();
            }
            for (int round = 0; round < 150; round++) {
                boolean checked = r.nextBoolean();
                byte[] file = checked ? good : unchecked;
                byte[] bad = mutate(file, r);
                if (Arrays.equals(bad, file)) {
                    continue;
                }
                try (Store c = store()) {
                    RdbLoader l = new RdbLoader(Internals.engine(c).keyspace(), code -> { }, Internals.engine(c).limits());
                    long total = r.nextBoolean() ? bad.length : 0;
                    try {
                        l.load(new ByteArrayInputStream(bad), total, null);
                        if (checked || bad.length < file.length) {
                            fail("a corrupted file loaded (checked=" + checked + ", length " + bad.length + " of " + file.length + ")");
                        }
                    } catch (RdbLoader.RdbLoadException e) {
                        assertTrue(e.getMessage().contains("offset"), e.getMessage());
                    }
                    Internals.engine(c).keyspace().verifyIntegrity();
                }
            }
        });
    }

    @Test
    void loaderRefusesDuplicateKeysAndDatabasesOutOfRange() {
        try (Store s = store()) {
            s.execute("SET", "a", "1");
            byte[] file = RdbRoundTripTest.write(Internals.engine(s).keyspace(), List.of(), false);
            // the same file twice into one store: the second load meets every key again
            try (Store c = store()) {
                RdbLoader l = new RdbLoader(Internals.engine(c).keyspace(), code -> { }, Internals.engine(c).limits());
                assertEquals(1, assertDoesNotThrowLoad(l, file).keysLoaded);
                Exception e = assertThrows(RdbLoader.RdbLoadException.class, () -> l.load(new ByteArrayInputStream(file), 0, null));
                assertTrue(e.getMessage().contains("duplicated key 'a'") && e.getMessage().contains("offset"), e.getMessage());
            }
            try (Store c = Store.builder().clock(new ManualClock(NOW)).databases(1).open(); Store src = store()) {
                src.database(3).execute("SET", "x", "1");
                byte[] f3 = RdbRoundTripTest.write(Internals.engine(src).keyspace(), List.of(), false);
                RdbLoader l = new RdbLoader(Internals.engine(c).keyspace(), code -> { }, Internals.engine(c).limits());
                Exception e = assertThrows(RdbLoader.RdbLoadException.class, () -> l.load(new ByteArrayInputStream(f3), 0, null));
                assertTrue(e.getMessage().contains("SELECTDB 3"), e.getMessage());
            }
        }
    }

    private static RdbLoader.Stats assertDoesNotThrowLoad(RdbLoader l, byte[] file) {
        try {
            return l.load(new ByteArrayInputStream(file), file.length, null);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
