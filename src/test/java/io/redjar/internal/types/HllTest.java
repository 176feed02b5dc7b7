package io.redjar.internal.types;

import io.redjar.Reply;
import io.redjar.Store;
import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Hll} and the PF commands without a redis-server: bytes captured from Redis 7.0.15, the
 * sparse-to-dense promotion, and corrupted values (random flips and truncations) that must give
 * Redis's errors or a plain answer, never an exception or another error.
 */
class HllTest {
    private static final Set<String> ALLOWED_ERRORS = Set.of(HllOps.INVALID, HllOps.NOT_HLL, "ERR HLL encoding is not sparse");

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void bytesEqualRedis() {
        try (Store store = Store.open()) {
            assertEquals(1L, ((Reply.IntegerReply) store.execute("PFADD", "h", "a", "b", "c")).value());
            byte[] before = b("HYLL\u0001\0\0\0\0\0\0\0\0\0\0\u0080`\u00f3\u0080P\u00b1\u0084K\u00fb\u0080BZ");
            assertArrayEquals(before, ((Reply.Bulk) store.execute("GET", "h")).value());
            assertEquals(3L, ((Reply.IntegerReply) store.execute("PFCOUNT", "h")).value());
            byte[] after = b("HYLL\u0001\0\0\0\u0003\0\0\0\0\0\0\0`\u00f3\u0080P\u00b1\u0084K\u00fb\u0080BZ");
            assertArrayEquals(after, ((Reply.Bulk) store.execute("GET", "h")).value());
            assertEquals("raw", new String(((Reply.Bulk) store.execute("OBJECT", "ENCODING", "h")).value(), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void promotesToDenseAtTheConfiguredSize() {
        try (Store store = Store.open()) {
            store.execute("CONFIG", "SET", "hll-sparse-max-bytes", "100");
            store.execute("PFADD", "h");
            int n = 0;
            while (store.execute("PFDEBUG", "ENCODING", "h").toString().contains("sparse")) {
                store.execute("PFADD", "h", "e" + n++);
                assertTrue(n < 1000);
            }
            assertEquals(Hll.DENSE_SIZE, ((Reply.Bulk) store.execute("GET", "h")).value().length);
            long card = ((Reply.IntegerReply) store.execute("PFCOUNT", "h")).value();
            assertTrue(n > 10 && Math.abs(card - n) <= 2, card + " vs " + n);
        }
    }

    @Test
    void corruptedValuesGiveRedisErrorsOrAnswers() {
        Seeds.run("hll corrupted values (no server)", random -> {
            try (Store store = Store.open()) {
                for (int round = 0; round < 300; round++) {
                    Hll h = Hll.create();
                    int n = random.nextInt(3) == 0 ? 2000 : random.nextInt(80);
                    for (int j = 0; j < n; j++) {
                        h.add(b("x" + random.nextInt()), 3000);
                    }
                    byte[] v = corrupt(h.toBytes(), random);
                    store.execute(new byte[][] {b("SET"), b("c"), v});
                    store.execute("PFADD", "ok", "a", "b");
                    List<Reply> replies = new ArrayList<>();
                    replies.add(store.execute("PFCOUNT", "c"));
                    replies.add(store.execute("PFCOUNT", "c", "ok"));
                    replies.add(store.execute("PFADD", "c", "q" + round, "r", "s"));
                    replies.add(store.execute("PFMERGE", "m", "c", "ok"));
                    replies.add(store.execute("PFDEBUG", "DECODE", "c"));
                    replies.add(store.execute("PFDEBUG", "TODENSE", "c"));
                    replies.add(store.execute("PFDEBUG", "GETREG", "c"));
                    replies.add(store.execute("PFCOUNT", "c"));
                    for (Reply r : replies) {
                        if (r instanceof Reply.ErrorReply e) {
                            assertTrue(ALLOWED_ERRORS.contains(e.message()), "unexpected error " + e.message());
                        }
                    }
                    store.execute("DEL", "c", "m");
                }
            }
        });
    }

    @Test
    void randomBytesNeverThrow() {
        Seeds.run("hll random bytes", random -> {
            for (int round = 0; round < 2000; round++) {
                byte[] v = new byte[Hll.HDR + random.nextInt(random.nextBoolean() ? 8 : 200)];
                random.nextBytes(v);
                System.arraycopy(b("HYLL"), 0, v, 0, 4);
                v[4] = Hll.SPARSE;
                Hll h = new Hll(v);
                long c = h.count();
                assertTrue(c >= -1);
                h.mergeInto(new byte[Hll.REGISTERS]);
                h.decode();
                for (int j = 0; j < 20; j++) {
                    h.set(random.nextInt(Hll.REGISTERS), 1 + random.nextInt(50), 1 + random.nextInt(400));
                }
                h.toDense();
            }
        });
    }

    private static byte[] corrupt(byte[] v, Random random) {
        int flips = 1 + random.nextInt(4);
        for (int f = 0; f < flips; f++) {
            int at = random.nextInt(v.length);
            v[at] = (byte) random.nextInt(256);
        }
        if (random.nextInt(4) == 0) {
            v = Arrays.copyOf(v, Hll.HDR + random.nextInt(v.length - Hll.HDR + 3));
        }
        if (random.nextInt(5) == 0) {
            v[4] = (byte) random.nextInt(2);
        }
        return v;
    }
}
