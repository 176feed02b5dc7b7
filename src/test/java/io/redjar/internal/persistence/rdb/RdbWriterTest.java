package io.redjar.internal.persistence.rdb;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HexFormat;

import static io.redjar.internal.persistence.rdb.RdbFixtures.b;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link RdbWriter}'s framing: the header, aux fields with Redis's string encodings (integers as
 * integers), function and database opcodes, raw bytes inside the checksum, the EOF opcode and the
 * CRC64 of every byte before it (or 0 with checksums off), and {@link RdbWriter#bytesWritten}
 * across buffer flushes.
 */
class RdbWriterTest {
    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Test
    void framingAndChecksum() {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        RdbWriter w = new RdbWriter(bos, true, true);
        w.header();
        w.aux("redis-ver", "7.0.15");
        w.auxLong("redis-bits", 64);
        w.auxLong("ctime", 1700000000);
        w.function("#!lua name=x");
        w.selectDb(3);
        w.resizeDb(100, 20000);
        w.raw(new byte[] {1, 2, 3}, 1, 2);
        w.end();
        byte[] out = bos.toByteArray();
        assertEquals(out.length, w.bytesWritten());
        String expected = hex(b("REDIS0010"))
            + "fa" + "09" + hex(b("redis-ver")) + "06" + hex(b("7.0.15"))
            + "fa" + "0a" + hex(b("redis-bits")) + "c040"
            + "fa" + "05" + hex(b("ctime")) + "c200f15365"
            + "f5" + "0c" + hex(b("#!lua name=x"))
            + "fe03" + "fb" + "4064" + "8000004e20" + "0203" + "ff";
        assertEquals(expected, hex(Arrays.copyOf(out, out.length - 8)));
        long crc = Crc64.update(0, out, 0, out.length - 8);
        long stored = 0;
        for (int i = 7; i >= 0; i--) {
            stored = (stored << 8) | (out[out.length - 8 + i] & 0xFF);
        }
        assertEquals(crc, stored);
    }

    @Test
    void checksumOffWritesZeroAndBigWritesCrossTheBuffer() {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        RdbWriter w = new RdbWriter(bos, false, false);
        byte[] big = new byte[200_000];
        new java.util.Random(1).nextBytes(big);
        w.raw(big);
        w.writeString(big);
        w.end();
        byte[] out = bos.toByteArray();
        assertEquals(out.length, w.bytesWritten());
        assertEquals(big.length + 5 + big.length + 1 + 8, out.length);
        for (int i = 1; i <= 8; i++) {
            assertEquals(0, out[out.length - i]);
        }
        // compression on: a long repetitive string is LZF-compressed; off: verbatim
        ByteArrayOutputStream c = new ByteArrayOutputStream();
        RdbWriter wc = new RdbWriter(c, true, false);
        wc.writeString(b("a".repeat(100)));
        wc.flush();
        assertEquals(0xC3, c.toByteArray()[0] & 0xFF);
    }
}
