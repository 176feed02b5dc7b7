package io.redjar.internal.persistence.rdb;

import io.redjar.internal.util.Lzf;
import java.io.ByteArrayOutputStream;

/**
 * RDB length and string encodings (Redis's {@code rdbSaveLen}, {@code rdbSaveRawString},
 * {@code rdbLoadLen}, {@code rdbGenericLoadStringObject}): 6/14/32/64-bit lengths, strings of up to
 * 11 bytes that are integers stored as 8/16/32-bit integers, strings longer than 20 bytes
 * LZF-compressed when that saves at least 4 bytes (Redis's default {@code rdbcompression yes}),
 * the rest verbatim. Used by FUNCTION DUMP/RESTORE now and meant for the RDB writer and reader.
 *
 * <p><b>Thread-safety:</b> stateless; a {@link Reader} is confined to one thread.
 */
public final class RdbStrings {
    private static final int RDB_6BITLEN = 0;
    private static final int RDB_14BITLEN = 1;
    private static final int RDB_32BITLEN = 0x80;
    private static final int RDB_64BITLEN = 0x81;
    private static final int RDB_ENCVAL = 3;
    private static final int ENC_INT8 = 0;
    private static final int ENC_INT16 = 1;
    private static final int ENC_INT32 = 2;
    private static final int ENC_LZF = 3;

    private RdbStrings() {
    }

    /** Writes {@code len} in RDB's length encoding. */
    public static void writeLength(ByteArrayOutputStream out, long len) {
        if (len < 0) {
            throw new IllegalArgumentException("negative length " + len);
        }
        if (len < (1 << 6)) {
            out.write((int) len | (RDB_6BITLEN << 6));
        } else if (len < (1 << 14)) {
            out.write((int) ((len >>> 8) & 0xFF) | (RDB_14BITLEN << 6));
            out.write((int) (len & 0xFF));
        } else if (len <= 0xFFFFFFFFL) {
            out.write(RDB_32BITLEN);
            for (int s = 24; s >= 0; s -= 8) {
                out.write((int) (len >>> s) & 0xFF);
            }
        } else {
            out.write(RDB_64BITLEN);
            for (int s = 56; s >= 0; s -= 8) {
                out.write((int) (len >>> s) & 0xFF);
            }
        }
    }

    /**
     * Writes {@code s} as Redis's {@code rdbSaveRawString} does with {@code rdbcompression yes}.
     */
    public static void writeString(ByteArrayOutputStream out, byte[] s) {
        if (s.length <= 11) {
            long[] v = new long[1];
            if (parseStrictLong(s, v) && v[0] >= Integer.MIN_VALUE && v[0] <= Integer.MAX_VALUE) {
                long value = v[0];
                if (value >= -(1 << 7) && value <= (1 << 7) - 1) {
                    out.write((RDB_ENCVAL << 6) | ENC_INT8);
                    out.write((int) value & 0xFF);
                } else if (value >= -(1 << 15) && value <= (1 << 15) - 1) {
                    out.write((RDB_ENCVAL << 6) | ENC_INT16);
                    out.write((int) value & 0xFF);
                    out.write((int) (value >> 8) & 0xFF);
                } else {
                    out.write((RDB_ENCVAL << 6) | ENC_INT32);
                    for (int sh = 0; sh < 32; sh += 8) {
                        out.write((int) (value >> sh) & 0xFF);
                    }
                }
                return;
            }
        }
        if (s.length > 20) {
            byte[] c = Lzf.compress(s, s.length - 4);
            if (c != null) {
                out.write((RDB_ENCVAL << 6) | ENC_LZF);
                writeLength(out, c.length);
                writeLength(out, s.length);
                out.write(c, 0, c.length);
                return;
            }
        }
        writeLength(out, s.length);
        out.write(s, 0, s.length);
    }

    /** Redis's {@code string2ll}: no sign-only, no leading zeros, no '+', no spaces, in range. */
    static boolean parseStrictLong(byte[] s, long[] out) {
        int n = s.length;
        if (n == 0 || n > 20) {
            return false;
        }
        if (n == 1 && s[0] == '0') {
            out[0] = 0;
            return true;
        }
        int i = 0;
        boolean neg = false;
        if (s[0] == '-') {
            neg = true;
            i = 1;
            if (n == 1) {
                return false;
            }
        }
        if (s[i] < '1' || s[i] > '9') {
            return false;
        }
        long v = 0; // accumulated as a negative number to reach Long.MIN_VALUE
        for (; i < n; i++) {
            int d = s[i] - '0';
            if (d < 0 || d > 9) {
                return false;
            }
            if (v < (Long.MIN_VALUE + d) / 10) {
                return false;
            }
            v = v * 10 - d;
        }
        if (!neg) {
            if (v == Long.MIN_VALUE) {
                return false;
            }
            v = -v;
        }
        out[0] = v;
        return true;
    }

    /** Thrown when a payload is truncated or malformed. */
    public static class RdbFormatException extends Exception {
        private static final long serialVersionUID = 1L;

        public RdbFormatException(String message) {
            super(message, null, false, false);
        }
    }

    /** A cursor over RDB bytes. */
    public static final class Reader {
        private final byte[] buf;
        private final int end;
        private int pos;

        /** Reads {@code buf[0, end)}. */
        public Reader(byte[] buf, int end) {
            this.buf = buf;
            this.end = end;
        }

        /** @return the read position */
        public int position() {
            return pos;
        }

        /** @return one unsigned byte (an RDB type or opcode) */
        public int readByte() throws RdbFormatException {
            if (pos >= end) {
                throw new RdbFormatException("unexpected end of payload");
            }
            return buf[pos++] & 0xFF;
        }

        private byte[] readRaw(long n) throws RdbFormatException {
            if (n < 0 || n > end - pos) {
                throw new RdbFormatException("unexpected end of payload");
            }
            byte[] b = java.util.Arrays.copyOfRange(buf, pos, pos + (int) n);
            pos += (int) n;
            return b;
        }

        /** @return a length; {@code encoded[0]} tells whether it was a special-encoding marker */
        private long readLength(boolean[] encoded) throws RdbFormatException {
            int b0 = readByte();
            int type = (b0 & 0xC0) >>> 6;
            if (type == RDB_ENCVAL) {
                encoded[0] = true;
                return b0 & 0x3F;
            }
            encoded[0] = false;
            if (type == RDB_6BITLEN) {
                return b0 & 0x3F;
            } else if (type == RDB_14BITLEN) {
                return ((long) (b0 & 0x3F) << 8) | readByte();
            } else if (b0 == RDB_32BITLEN) {
                long v = 0;
                for (int k = 0; k < 4; k++) {
                    v = (v << 8) | readByte();
                }
                return v;
            } else if (b0 == RDB_64BITLEN) {
                long v = 0;
                for (int k = 0; k < 8; k++) {
                    v = (v << 8) | readByte();
                }
                return v;
            }
            throw new RdbFormatException("unknown length encoding " + type);
        }

        /** @return a plain length (no special encoding allowed) */
        public long readLength() throws RdbFormatException {
            boolean[] enc = new boolean[1];
            long len = readLength(enc);
            if (enc[0]) {
                throw new RdbFormatException("unexpected encoded length");
            }
            return len;
        }

        /** @return a string in any of RDB's string encodings */
        public byte[] readString() throws RdbFormatException {
            boolean[] enc = new boolean[1];
            long len = readLength(enc);
            if (!enc[0]) {
                return readRaw(len);
            }
            switch ((int) len) {
                case ENC_INT8:
                    return Long.toString((byte) readByte()).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                case ENC_INT16: {
                    int v = readByte() | (readByte() << 8);
                    return Long.toString((short) v).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                }
                case ENC_INT32: {
                    int v = readByte() | (readByte() << 8) | (readByte() << 16) | (readByte() << 24);
                    return Long.toString(v).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                }
                case ENC_LZF: {
                    long clen = readLength();
                    long ulen = readLength();
                    // a 3-byte back reference expands to at most 264 bytes: a claimed length
                    // beyond that ratio is corrupt (and must not allocate gigabytes first)
                    if (ulen > Integer.MAX_VALUE - 16 || ulen > clen * 88 + 64) {
                        throw new RdbFormatException("Invalid LZF compressed string");
                    }
                    byte[] c = readRaw(clen);
                    byte[] u = Lzf.decompress(c, (int) ulen);
                    if (u == null) {
                        throw new RdbFormatException("Invalid LZF compressed string");
                    }
                    return u;
                }
                default:
                    throw new RdbFormatException("unknown string encoding " + len);
            }
        }
    }
}
