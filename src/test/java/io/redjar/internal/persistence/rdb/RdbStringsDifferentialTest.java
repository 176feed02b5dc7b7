package io.redjar.internal.persistence.rdb;

import io.redjar.Reply;
import io.redjar.testing.RequiresRedis;
import io.redjar.testing.RespClient;
import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * RDB string encoding, LZF compressor and CRC-64 compared byte for byte with redis-server: for a
 * plain string value, {@code DUMP key} is the type byte 0, the value as an RDB string, the RDB
 * version and the CRC-64, so each seeded value (integers of every width, short strings, long
 * compressible and incompressible strings) checks all three at once. The reader reads Redis's
 * bytes back.
 */
@RequiresRedis
class RdbStringsDifferentialTest {

    static List<byte[]> values(Random r) {
        List<byte[]> v = new ArrayList<>();
        for (String s : new String[] {"0", "-1", "127", "-128", "128", "-129", "32767", "-32768", "32768", "2147483647",
            "-2147483648", "2147483648", "-2147483649", "12345678901", "007", "+5", "-0", "", "a", "hello world",
            "aaaaaaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaaaaaaa", "abcabcabcabcabcabcabcabc", "9223372036854775807"}) {
            v.add(s.getBytes(StandardCharsets.US_ASCII));
        }
        for (int n = 0; n < 150; n++) {
            v.add(io.redjar.internal.util.LzfTest.input(r));
        }
        for (int n = 0; n < 50; n++) {
            v.add(Long.toString(r.nextLong() >> r.nextInt(64)).getBytes(StandardCharsets.US_ASCII));
        }
        return v;
    }

    @Test
    void dumpOfStringsMatchesRedis(RespClient redis) {
        Seeds.run("RdbStringsDifferentialTest", r -> {
            for (byte[] value : values(r)) {
                redis.call("SET".getBytes(), "k".getBytes(), value);
                Reply dump = redis.call("DUMP", "k");
                byte[] theirs = ((Reply.Bulk) dump).value();
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(0); // RDB_TYPE_STRING
                RdbStrings.writeString(out, value);
                out.write(10);
                out.write(0);
                byte[] body = out.toByteArray();
                long crc = Crc64.of(body);
                for (int i = 0; i < 8; i++) {
                    out.write((int) (crc >>> (8 * i)) & 0xFF);
                }
                byte[] ours = out.toByteArray();
                assertArrayEquals(theirs, ours, () -> "value of " + value.length + " bytes: "
                    + new String(value, 0, Math.min(40, value.length), StandardCharsets.ISO_8859_1));
                RdbStrings.Reader reader = new RdbStrings.Reader(theirs, theirs.length - 10);
                assertEquals(0, reader.readByte());
                assertArrayEquals(value, reader.readString());
                assertEquals(theirs.length - 10, reader.position());
            }
        });
    }

    @Test
    void lengthsOfEveryWidthReadBack() throws Exception {
        for (long len : new long[] {0, 63, 64, 16383, 16384, 0xFFFFFFFFL, 0x100000000L}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            RdbStrings.writeLength(out, len);
            byte[] b = out.toByteArray();
            assertEquals(len, new RdbStrings.Reader(b, b.length).readLength(), Arrays.toString(b));
        }
    }

    @Test
    void readerRefusesAnAbsurdUncompressedLength() {
        // LZF marker, 1 compressed byte, 1 GiB claimed
        byte[] p = {(byte) 0xC3, 1, (byte) 0x80, 0x40, 0, 0, 0, 0};
        RdbStrings.Reader r = new RdbStrings.Reader(p, p.length);
        org.junit.jupiter.api.Assertions.assertThrows(RdbStrings.RdbFormatException.class, r::readString);
    }
}
