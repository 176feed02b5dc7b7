package io.redjar.internal.util;

import java.util.Objects;

/**
 * CRC16 as used by Redis Cluster to map keys to hash slots.
 *
 * <p><b>Mirrors</b> {@code crc16()} in Redis's {@code src/crc16.c}: the CCITT / XMODEM variant
 * (polynomial {@code 0x1021}, initial value {@code 0}, no input or output reflection, no final
 * XOR), computed one byte at a time through a 256-entry lookup table. The check value for the
 * ASCII string {@code "123456789"} is {@code 0x31C3}.
 *
 * <p><b>Thread-safety:</b> stateless; the lookup table is built once in the static initializer and
 * never written afterwards, so every method is safe to call from any thread. No allocation.
 */
public final class Crc16 {
    private static final int POLY = 0x1021;
    private static final char[] TABLE = new char[256];

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ POLY : crc << 1;
            }
            TABLE[i] = (char) crc;
        }
    }

    private Crc16() {
    }

    /**
     * Computes Redis's CRC16 (XMODEM) over a slice of a byte array.
     *
     * @param buf the bytes
     * @param off index of the first byte to include
     * @param len number of bytes to include
     * @return the checksum, in {@code 0..0xFFFF}
     * @throws IndexOutOfBoundsException if the slice is not inside {@code buf}
     */
    public static int crc16(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        int crc = 0;
        for (int i = off, end = off + len; i < end; i++) {
            crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ buf[i]) & 0xFF]) & 0xFFFF;
        }
        return crc;
    }

    /**
     * Computes Redis's CRC16 (XMODEM) over a whole byte array.
     *
     * @param buf the bytes
     * @return the checksum, in {@code 0..0xFFFF}
     */
    public static int crc16(byte[] buf) {
        return crc16(buf, 0, buf.length);
    }
}
