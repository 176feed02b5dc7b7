package io.redjar.internal.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class HashSlotTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static int slot(String s) {
        return HashSlot.of(b(s));
    }

    @Test
    void crc16CheckValue() {
        assertEquals(0x31C3, Crc16.crc16(b("123456789")));
        assertEquals(0x31C3, Crc16.crc16(b("xx123456789yy"), 2, 9));
        assertEquals(0, Crc16.crc16(new byte[0]));
        // Bitwise reference implementation over every single byte value.
        for (int v = 0; v < 256; v++) {
            assertEquals(bitwiseCrc(new byte[] {(byte) v}), Crc16.crc16(new byte[] {(byte) v}), "byte " + v);
        }
    }

    @Test
    void crc16MatchesBitwiseReferenceOnRandomInput() {
        long seed = io.redjar.testing.Seeds.seed();
        System.out.println("HashSlotTest.crc16MatchesBitwiseReferenceOnRandomInput seed=" + seed);
        Random rnd = new Random(seed);
        for (int i = 0; i < 2000; i++) {
            byte[] buf = new byte[rnd.nextInt(64)];
            rnd.nextBytes(buf);
            assertEquals(bitwiseCrc(buf), Crc16.crc16(buf), "seed " + seed);
        }
    }

    private static int bitwiseCrc(byte[] buf) {
        int crc = 0;
        for (byte x : buf) {
            crc ^= (x & 0xFF) << 8;
            for (int i = 0; i < 8; i++) {
                crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x1021) & 0xFFFF : (crc << 1) & 0xFFFF;
            }
        }
        return crc;
    }

    @Test
    void publishedVectors() {
        assertEquals(12182, slot("foo"));
        assertEquals(5061, slot("bar"));
        assertEquals(11058, slot("somekey"));
        assertEquals(0, slot(""));
        assertEquals(slot("{user1000}.following"), slot("{user1000}.followers"));
        assertEquals(slot("user1000"), slot("{user1000}.following"));
        assertEquals(Crc16.crc16(b("foo{}{bar}")) & 16383, slot("foo{}{bar}"));
        assertEquals(slot("{bar"), slot("foo{{bar}}zap"));
        assertEquals(slot("bar"), slot("foo{bar}{zap}"));
        assertEquals(Crc16.crc16(b("foo{bar")) & 16383, slot("foo{bar"));
        assertEquals(Crc16.crc16(b("}{")) & 16383, slot("}{"));
        assertEquals(Crc16.crc16(b("a{}}b")) & 16383, slot("a{}}b"));
        assertEquals(slot("x"), slot("a{x}}b"));
    }

    @Test
    void sliceOverload() {
        byte[] buf = b("xx{user1000}.followingyy");
        assertEquals(slot("{user1000}.following"), HashSlot.of(buf, 2, 20));
        assertEquals(slot("user1000"), HashSlot.of(buf, 2, 20));
        // A '}' outside the slice must not be seen.
        byte[] buf2 = b("{abc}");
        assertEquals(slot("{abc"), HashSlot.of(buf2, 0, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> HashSlot.of(buf, 20, 10));
    }

    @Test
    void matchesClusterKeyslotOfRealRedis() {
        long seed = io.redjar.testing.Seeds.seed();
        System.out.println("HashSlotTest.matchesClusterKeyslotOfRealRedis seed=" + seed);
        Random rnd = new Random(seed);
        byte[] alphabet = b("ab{}x\u00ff\u0000");
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            byte[] k = new byte[rnd.nextInt(12)];
            for (int j = 0; j < k.length; j++) {
                k[j] = rnd.nextInt(4) == 0 ? (byte) rnd.nextInt(256) : alphabet[rnd.nextInt(alphabet.length)];
            }
            keys.add(k);
        }
        try (RealRedis redis = RealRedis.startOrSkip("--cluster-enabled", "yes")) {
            List<Object[]> cmds = new ArrayList<>();
            for (byte[] k : keys) {
                cmds.add(new Object[] {"CLUSTER", "KEYSLOT", k});
            }
            List<Object> replies = redis.pipeline(cmds);
            for (int i = 0; i < keys.size(); i++) {
                assertEquals(replies.get(i), (long) HashSlot.of(keys.get(i)),
                        "key " + RealRedis.str(keys.get(i)) + " seed " + seed);
            }
        }
    }
}
