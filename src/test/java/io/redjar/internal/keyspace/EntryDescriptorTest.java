package io.redjar.internal.keyspace;

import io.redjar.internal.memory.NativeMemory;
import io.redjar.internal.memory.SlabAllocator;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EntryDescriptorTest {
    private static final int[] BOUNDARIES = {0, 1, 127, 128, 16383, 16384};
    private static final int[] VALUE_BOUNDARIES = {0, 1, 127, 128, 16383, 16384, 2097151, 2097152};

    @Test
    void varintSizeBoundaries() {
        int[][] cases = {
            {0, 1}, {1, 1}, {127, 1}, {128, 2}, {16383, 2}, {16384, 3}, {2097151, 3}, {2097152, 4},
            {268435455, 4}, {268435456, 5}, {Integer.MAX_VALUE, 5},
        };
        for (int[] c : cases) {
            assertEquals(c[1], EntryDescriptor.varintSize(c[0]), "varintSize(" + c[0] + ")");
        }
    }

    @Test
    void roundTripOfLengthsAtVarintBoundariesWithAndWithoutExpire() {
        try (SlabAllocator a = new SlabAllocator()) {
            for (int keyLen : BOUNDARIES) {
                for (int valueLen : VALUE_BOUNDARIES) {
                    for (boolean expire : new boolean[] {false, true}) {
                        roundTrip(a, keyLen, valueLen, expire);
                    }
                }
            }
            assertEquals(0, a.usedBytes());
        }
    }

    private static void roundTrip(SlabAllocator a, int keyLen, int valueLen, boolean expire) {
        String what = "key " + keyLen + ", value " + valueLen + ", expire " + expire;
        byte[] key = pattern(keyLen, 11);
        byte[] value = pattern(valueLen, 97);
        long len = EntryDescriptor.length(keyLen, valueLen, expire);
        assertEquals(EntryDescriptor.HEADER + (expire ? 8 : 0) + EntryDescriptor.varintSize(keyLen)
            + EntryDescriptor.varintSize(valueLen) + keyLen + valueLen, len, what);
        long e = a.allocate(len);
        int flags = ValueType.HASH.code() | (EntryDescriptor.ENC_EMBSTR << EntryDescriptor.ENC_SHIFT)
            | (expire ? EntryDescriptor.FLAG_EXPIRE : 0);
        long expireAt = 1_700_000_000_123L + keyLen;
        int lru = 0xABCDEF;
        long v = EntryDescriptor.write(e, flags, lru, expireAt, key, 0, keyLen, valueLen);
        NativeMemory.copyFromArray(value, 0, v, valueLen);

        assertEquals(v, EntryDescriptor.valueAddress(e), what);
        assertEquals(EntryDescriptor.keyAddress(e) + keyLen, v, what);
        assertEquals(keyLen, EntryDescriptor.keyLength(e), what);
        assertEquals(valueLen, EntryDescriptor.valueLength(e), what);
        assertEquals(len, EntryDescriptor.totalLength(e), what);
        assertArrayEquals(key, EntryDescriptor.key(e), what);
        assertArrayEquals(value, EntryDescriptor.value(e), what);
        assertEquals(expire, EntryDescriptor.hasExpire(e), what);
        if (expire) {
            assertEquals(expireAt, EntryDescriptor.expireAt(e), what);
        }
        assertEquals(ValueType.HASH.code(), EntryDescriptor.type(e), what);
        assertEquals(EntryDescriptor.ENC_EMBSTR, EntryDescriptor.encodingHint(e), what);
        assertEquals(flags, EntryDescriptor.flags(e), what);
        assertEquals(lru, EntryDescriptor.lru(e), what);
        assertTrue(EntryDescriptor.keyEquals(e, key, 0, keyLen), what);
        if (keyLen > 0) {
            byte[] other = key.clone();
            other[keyLen - 1] ^= 1;
            assertFalse(EntryDescriptor.keyEquals(e, other, 0, keyLen), what);
            assertFalse(EntryDescriptor.keyEquals(e, key, 0, keyLen - 1), what);
        }
        byte[] padded = new byte[keyLen + 6];
        System.arraycopy(key, 0, padded, 3, keyLen);
        assertTrue(EntryDescriptor.keyEquals(e, padded, 3, keyLen), what + " (offset key)");
        assertEquals(NativeMemory.hash(key, 0, keyLen), KeyTable.hashOf(e), what + ": on- and off-heap hash differ");
        a.free(e, EntryDescriptor.totalLength(e));
    }

    @Test
    void hugeValueLengthsRoundTripInTheHeader() {
        // only the header is written, so a 300 MB length needs no 300 MB block
        for (int valueLen : new int[] {268435455, 268435456, 512 * 1024 * 1024}) {
            byte[] key = pattern(5, 1);
            long e = NativeMemory.allocate(64);
            try {
                EntryDescriptor.write(e, 0, 0, 0, key, 0, key.length, valueLen);
                assertEquals(valueLen, EntryDescriptor.valueLength(e));
                assertEquals(5, EntryDescriptor.keyLength(e));
                assertArrayEquals(key, EntryDescriptor.key(e));
            } finally {
                NativeMemory.free(e);
            }
        }
    }

    @Test
    void lruIs24BitsAndLeavesFlagsAndExpireAlone() {
        long e = NativeMemory.allocate(64);
        try {
            byte[] key = pattern(3, 5);
            int flags = ValueType.STRING.code() | EntryDescriptor.FLAG_EXPIRE | (EntryDescriptor.ENC_RAW << EntryDescriptor.ENC_SHIFT);
            EntryDescriptor.write(e, flags, 0, 123456789L, key, 0, 3, 0);
            for (int lru : new int[] {0, 1, 0xFF, 0x100, 0xFFFF, 0x10000, 0xABCDEF, EntryDescriptor.LRU_MAX}) {
                EntryDescriptor.putLru(e, lru);
                assertEquals(lru, EntryDescriptor.lru(e));
                assertEquals(flags, EntryDescriptor.flags(e));
                assertEquals(123456789L, EntryDescriptor.expireAt(e));
                assertArrayEquals(key, EntryDescriptor.key(e));
            }
            EntryDescriptor.putLru(e, 0x7ABCDEF);
            assertEquals(0xABCDEF, EntryDescriptor.lru(e), "bits above 24 are dropped");
            assertEquals(flags, EntryDescriptor.flags(e));
            EntryDescriptor.setExpireAt(e, 42);
            assertEquals(0xABCDEF, EntryDescriptor.lru(e));
            assertEquals(42, EntryDescriptor.expireAt(e));
        } finally {
            NativeMemory.free(e);
        }
    }

    @Test
    void lruClockWrapsAt24BitsOfSeconds() {
        assertEquals(0, Keyspace.lruClock(999));
        assertEquals(1, Keyspace.lruClock(1000));
        assertEquals(EntryDescriptor.LRU_MAX, Keyspace.lruClock((long) EntryDescriptor.LRU_MAX * 1000 + 999));
        assertEquals(0, Keyspace.lruClock((long) (EntryDescriptor.LRU_MAX + 1) * 1000));
        long now = 1_700_000_000_000L;
        assertEquals((int) ((now / 1000) % (1 << 24)), Keyspace.lruClock(now));
    }

    static byte[] pattern(int len, int seed) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) (seed + i * 7 + (i >>> 8));
        }
        return b;
    }
}
