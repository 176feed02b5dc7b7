package io.redjar.internal.persistence.rdb;

import io.redjar.internal.util.Lzf;
import io.redjar.internal.persistence.rdb.RdbStrings.RdbFormatException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A cursor over untrusted RDB bytes, from an array (a DUMP payload) or a stream (a file, an AOF
 * base), that keeps the byte offset and the running CRC64 of what it consumed and reads exactly
 * what the format asks for: never ahead (an AOF base continues with commands after its RDB part).
 *
 * <p>Untrusted lengths never cause a large allocation before the bytes exist: a length beyond
 * what is left of an array or of a stream's declared size is refused at once, and a stream read
 * grows its buffer in 1 MiB steps as bytes actually arrive. Every error is an
 * {@link RdbFormatException} whose message ends with the offset it was found at.
 *
 * <p>Pass a buffered stream: single-byte reads go straight to it.
 *
 * <p><b>Thread-safety:</b> not thread-safe; confined to the reading thread.
 */
final class RdbInput {
    private static final int CHUNK = 1 << 20;

    private final byte[] array;
    private final int arrayEnd;
    private final InputStream in;
    private final long limit;
    private long offset;
    private long crc;

    /** Reads {@code b[0, end)}. */
    RdbInput(byte[] b, int end) {
        this.array = b;
        this.arrayEnd = end;
        this.in = null;
        this.limit = end;
    }

    /** Reads {@code in}, which holds at most {@code totalBytes} (&lt;= 0: unknown). */
    RdbInput(InputStream in, long totalBytes) {
        this.array = null;
        this.arrayEnd = 0;
        this.in = in;
        this.limit = totalBytes > 0 ? totalBytes : Long.MAX_VALUE;
    }

    /** @return bytes consumed so far */
    long offset() {
        return offset;
    }

    /** @return the CRC64 of the bytes consumed so far */
    long crc() {
        return crc;
    }

    /** @return bytes that may still follow (Long.MAX_VALUE for a stream of unknown size) */
    long remaining() {
        return limit == Long.MAX_VALUE ? Long.MAX_VALUE : limit - offset;
    }

    /** @return an exception naming {@code what} and the current offset */
    RdbFormatException corrupt(String what) {
        return new RdbFormatException(what + " at offset " + offset);
    }

    int readByte() throws RdbFormatException {
        int b;
        if (array != null) {
            if (offset >= arrayEnd) {
                throw corrupt("unexpected end of data");
            }
            b = array[(int) offset] & 0xFF;
        } else {
            try {
                b = in.read();
            } catch (IOException e) {
                throw corrupt("read error (" + e.getMessage() + ")");
            }
            if (b < 0) {
                throw corrupt("unexpected end of data");
            }
        }
        crc = Crc64.update(crc, b);
        offset++;
        return b;
    }

    /** Reads exactly {@code n} bytes. */
    byte[] readBytes(long n) throws RdbFormatException {
        if (n < 0 || n > remaining() || n > Integer.MAX_VALUE - 16) {
            throw corrupt("length " + n + " beyond the end of the data");
        }
        int len = (int) n;
        byte[] out;
        if (array != null) {
            out = Arrays.copyOfRange(array, (int) offset, (int) offset + len);
        } else {
            out = new byte[Math.min(len, CHUNK)];
            int got = 0;
            try {
                while (got < len) {
                    if (got == out.length) {
                        out = Arrays.copyOf(out, (int) Math.min(len, (long) out.length + CHUNK));
                    }
                    int r = in.read(out, got, out.length - got);
                    if (r < 0) {
                        offset += got;
                        throw corrupt("unexpected end of data");
                    }
                    got += r;
                }
            } catch (IOException e) {
                throw corrupt("read error (" + e.getMessage() + ")");
            }
        }
        crc = Crc64.update(crc, out, 0, len);
        offset += len;
        return out;
    }

    long readLongLE() throws RdbFormatException {
        byte[] b = readBytes(8);
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xFF);
        }
        return v;
    }

    int readIntLE() throws RdbFormatException {
        byte[] b = readBytes(4);
        return (b[0] & 0xFF) | (b[1] & 0xFF) << 8 | (b[2] & 0xFF) << 16 | (b[3] & 0xFF) << 24;
    }

    /** @return a length, or {@code -1 - encoding} for a special string encoding marker */
    private long readLengthOrEncoding() throws RdbFormatException {
        int b0 = readByte();
        int type = (b0 & 0xC0) >>> 6;
        if (type == 3) {
            return -1 - (b0 & 0x3F);
        } else if (type == 0) {
            return b0 & 0x3F;
        } else if (type == 1) {
            return ((long) (b0 & 0x3F) << 8) | readByte();
        } else if (b0 == 0x80) {
            long v = 0;
            for (int k = 0; k < 4; k++) {
                v = (v << 8) | readByte();
            }
            return v;
        } else if (b0 == 0x81) {
            long v = 0;
            for (int k = 0; k < 8; k++) {
                v = (v << 8) | readByte();
            }
            if (v < 0) {
                throw corrupt("length out of range");
            }
            return v;
        }
        throw corrupt("unknown length encoding 0x" + Integer.toHexString(b0));
    }

    /** {@code rdbLoadLen} of a 64-bit unsigned value (stream ids and counters): any 64 bits. */
    long readUnsignedLength() throws RdbFormatException {
        int b0 = readByte();
        int type = (b0 & 0xC0) >>> 6;
        if (type == 0) {
            return b0 & 0x3F;
        } else if (type == 1) {
            return ((long) (b0 & 0x3F) << 8) | readByte();
        } else if (b0 == 0x80 || b0 == 0x81) {
            long v = 0;
            for (int k = 0, n = b0 == 0x80 ? 4 : 8; k < n; k++) {
                v = (v << 8) | readByte();
            }
            return v;
        }
        throw corrupt(type == 3 ? "unexpected encoded length" : "unknown length encoding 0x" + Integer.toHexString(b0));
    }

    /** {@code rdbLoadLen}: a plain length. */
    long readLength() throws RdbFormatException {
        long len = readLengthOrEncoding();
        if (len < 0) {
            throw corrupt("unexpected encoded length");
        }
        return len;
    }

    /**
     * A count of items that each take at least {@code minBytes} bytes: refused when the data
     * left cannot hold them.
     */
    long readCount(int minBytes) throws RdbFormatException {
        long n = readLength();
        long left = remaining();
        if (left != Long.MAX_VALUE && n > left / minBytes) {
            throw corrupt("count " + n + " beyond the end of the data");
        }
        return n;
    }

    /** {@code rdbGenericLoadStringObject}: a string in any of RDB's string encodings. */
    byte[] readString() throws RdbFormatException {
        long len = readLengthOrEncoding();
        if (len >= 0) {
            return readBytes(len);
        }
        int enc = (int) (-1 - len);
        switch (enc) {
            case 0:
                return ascii(Long.toString((byte) readByte()));
            case 1: {
                int v = readByte() | (readByte() << 8);
                return ascii(Long.toString((short) v));
            }
            case 2:
                return ascii(Long.toString(readIntLE()));
            case 3: {
                long clen = readLength();
                long ulen = readLength();
                // a 3-byte back reference expands to at most 264 bytes: a larger ratio is corrupt
                if (ulen > Integer.MAX_VALUE - 16 || ulen > clen * 88 + 64) {
                    throw corrupt("invalid LZF lengths");
                }
                byte[] c = readBytes(clen);
                byte[] u = Lzf.decompress(c, (int) ulen);
                if (u == null) {
                    throw corrupt("invalid LZF compressed string");
                }
                return u;
            }
            default:
                throw corrupt("unknown string encoding " + enc);
        }
    }

    /** {@code rdbLoadBinaryDoubleValue}. */
    double readBinaryDouble() throws RdbFormatException {
        return Double.longBitsToDouble(readLongLE());
    }

    /** {@code rdbLoadDoubleValue}: the old text form (253 NaN, 254 +inf, 255 -inf). */
    double readTextDouble() throws RdbFormatException {
        int len = readByte();
        switch (len) {
            case 255:
                return Double.NEGATIVE_INFINITY;
            case 254:
                return Double.POSITIVE_INFINITY;
            case 253:
                return Double.NaN;
            default:
                String s = new String(readBytes(len), StandardCharsets.US_ASCII);
                Double d = RdbBlobs.parseDouble(s);
                if (d == null) {
                    throw corrupt("invalid double value");
                }
                return d;
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
