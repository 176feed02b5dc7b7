package io.redjar.internal.persistence.rdb;

/**
 * Redis's CRC-64 (Jones polynomial {@code 0xad93d23594c935a9}, reflected input and output, initial
 * value 0, no final xor), as {@code crc64(0, buf, len)} in Redis's {@code crc64.c}. It is the
 * checksum that ends every DUMP / FUNCTION DUMP payload and every RDB file (stored little endian).
 * Check value: {@code "123456789"} gives {@code 0xe9c6d914c4b8d9ca}.
 *
 * <p>Design: a byte-at-a-time table over the reflected polynomial; the table is built once at
 * class initialisation.
 *
 * <p><b>Thread-safety:</b> stateless; safe from any thread.
 */
public final class Crc64 {
    /** The Jones polynomial, bit-reflected (the form the reflected algorithm uses). */
    private static final long POLY_REFLECTED = Long.reverse(0xad93d23594c935a9L);
    private static final long[] TABLE = new long[256];

    static {
        for (int n = 0; n < 256; n++) {
            long c = n;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ POLY_REFLECTED : c >>> 1;
            }
            TABLE[n] = c;
        }
    }

    private Crc64() {
    }

    /**
     * Continues a checksum over {@code len} bytes of {@code buf} from {@code off}.
     *
     * @param crc the checksum so far (0 to start)
     * @return the updated checksum
     */
    public static long update(long crc, byte[] buf, int off, int len) {
        long c = crc;
        for (int i = off, end = off + len; i < end; i++) {
            c = TABLE[(int) ((c ^ buf[i]) & 0xFF)] ^ (c >>> 8);
        }
        return c;
    }

    /** Continues a checksum over one byte. */
    public static long update(long crc, int b) {
        return TABLE[(int) ((crc ^ b) & 0xFF)] ^ (crc >>> 8);
    }

    /** @return Redis's {@code crc64(0, buf, buf.length)} */
    public static long of(byte[] buf) {
        return update(0, buf, 0, buf.length);
    }
}
