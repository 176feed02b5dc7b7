package io.redjar.internal.feed;

import io.redjar.internal.persistence.aof.RespEncoding;

import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The change feed's record format, shared by the disk segments and the in-memory feed.
 *
 * <pre>
 *   0                   4                   8
 *   +-------------------+-------------------+------------------------------------+
 *   | payload length L  | CRC-32C(payload)  | payload (L bytes)                  |
 *   +-------------------+-------------------+------------------------------------+
 *   payload:  offset (int64) | db (int32) | batch size (int32) | index in batch (int32)
 *             | the command as the append-only file writes it (RESP array of bulk strings)
 * </pre>
 * All integers big-endian. A record is valid when its length is in range, its CRC matches and its
 * command parses; a reader stops at the first invalid record (a torn tail after a crash). The
 * command bytes come from the append-only file's {@link RespEncoding}: one encoding for both.
 *
 * <p><b>Thread-safety:</b> stateless; {@link Sink} is not thread-safe (one writer).
 */
final class FeedRecords {
    static final int HEADER = 8;
    static final int FIXED = 20;
    /** The largest payload accepted when reading (a bigger length is a torn or corrupt record). */
    static final int MAX_PAYLOAD = Integer.MAX_VALUE - 1024;

    private FeedRecords() {
    }

    /** A growable byte buffer of encoded records. Not thread-safe. */
    static final class Sink {
        private byte[] buf = new byte[64 * 1024];
        private int len;
        private final RespEncoding command = new RespEncoding(4096);
        private final CRC32C crc = new CRC32C();

        /** Appends one record. */
        void record(long offset, int db, int batchSize, int batchIndex, byte[][] argv) {
            command.clear();
            command.command(argv);
            long payload = (long) FIXED + command.length();
            if (payload > MAX_PAYLOAD) {
                throw new IllegalStateException("change feed record over 2 GiB");
            }
            int start = len;
            ensure(HEADER + payload);
            putInt(start, (int) payload);
            putLong(start + HEADER, offset);
            putInt(start + HEADER + 8, db);
            putInt(start + HEADER + 12, batchSize);
            putInt(start + HEADER + 16, batchIndex);
            command.copyTo(buf, start + HEADER + FIXED);
            crc.reset();
            crc.update(buf, start + HEADER, (int) payload);
            putInt(start + 4, (int) crc.getValue());
            len = start + HEADER + (int) payload;
        }

        private void ensure(long more) {
            long need = len + more;
            if (need > buf.length) {
                if (need > Integer.MAX_VALUE - 16) {
                    throw new IllegalStateException("change feed round buffer over 2 GiB");
                }
                buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(need, (long) buf.length * 2)));
            }
        }

        private void putInt(int at, int v) {
            buf[at] = (byte) (v >>> 24);
            buf[at + 1] = (byte) (v >>> 16);
            buf[at + 2] = (byte) (v >>> 8);
            buf[at + 3] = (byte) v;
        }

        private void putLong(int at, long v) {
            putInt(at, (int) (v >>> 32));
            putInt(at + 4, (int) v);
        }

        byte[] array() {
            return buf;
        }

        int length() {
            return len;
        }

        void clear() {
            len = 0;
            if (buf.length > 4 << 20) {
                buf = new byte[64 * 1024];
            }
        }
    }

    static int getInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    static long getLong(byte[] b, int at) {
        return (long) getInt(b, at) << 32 | (getInt(b, at + 4) & 0xffffffffL);
    }

    /** @return whether {@code payload[0..len)} matches {@code crc} */
    static boolean crcMatches(byte[] payload, int len, int crc) {
        CRC32C c = new CRC32C();
        c.update(payload, 0, len);
        return (int) c.getValue() == crc;
    }

    /**
     * Decodes a payload whose CRC matched.
     *
     * @return the record, or null if the payload does not parse
     */
    static FeedRecord decode(byte[] p, int len) {
        if (len < FIXED) {
            return null;
        }
        long offset = getLong(p, 0);
        int db = getInt(p, 8);
        int size = getInt(p, 12);
        int index = getInt(p, 16);
        if (offset < 1 || size < 1 || index < 0 || index >= size || db < 0) {
            return null;
        }
        byte[][] argv = command(p, FIXED, len);
        return argv == null ? null : new FeedRecord(offset, db, size, index, argv);
    }

    /** Parses {@code *n\r\n($len\r\n bytes \r\n)*} filling exactly {@code [at, end)}; null if it does not. */
    private static byte[][] command(byte[] p, int at, int end) {
        int[] pos = {at};
        long n = number(p, pos, end, '*');
        if (n < 1 || n > (end - at) / 4) {
            return null;
        }
        byte[][] argv = new byte[(int) n][];
        for (int i = 0; i < n; i++) {
            long l = number(p, pos, end, '$');
            if (l < 0 || l > end - pos[0] - 2) {
                return null;
            }
            int s = pos[0];
            argv[i] = Arrays.copyOfRange(p, s, s + (int) l);
            s += (int) l;
            if (p[s] != '\r' || p[s + 1] != '\n') {
                return null;
            }
            pos[0] = s + 2;
        }
        return pos[0] == end ? argv : null;
    }

    /** Reads {@code <type><digits>\r\n}; @return the number, or -1 if malformed */
    private static long number(byte[] p, int[] pos, int end, char type) {
        int i = pos[0];
        if (i >= end || p[i] != type) {
            return -1;
        }
        i++;
        long v = 0;
        int digits = 0;
        while (i < end && p[i] >= '0' && p[i] <= '9' && digits < 11) {
            v = v * 10 + (p[i] - '0');
            i++;
            digits++;
        }
        if (digits == 0 || i + 1 >= end || p[i] != '\r' || p[i + 1] != '\n') {
            return -1;
        }
        pos[0] = i + 2;
        return v;
    }
}
