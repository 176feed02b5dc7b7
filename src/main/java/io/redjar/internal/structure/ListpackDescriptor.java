package io.redjar.internal.structure;

import io.redjar.internal.memory.NativeMemory;
import io.redjar.internal.util.Numbers;

/**
 * Layout of a listpack: Redis 7.0's compact sequence of strings and integers in one native block,
 * byte for byte the format of {@code src/listpack.c}, so a block's size is exactly Redis's
 * {@code lpBytes()} for the same elements (and its bytes are what {@code DUMP} carries).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |              total bytes (u32, little-endian)                 |  offset 0
 *  +-------------------------------+-------------------------------+
 *  |  num elements (u16 LE)        |  entry 0 ...                  |  offset 4, 6
 *  +-------------------------------+                               |
 *  |  ... entry N-1                                +---------------+
 *  |                                               |  0xFF (EOF)   |
 *  +-----------------------------------------------+---------------+
 *
 *  entry:  +----------------------+----------------+------------------+
 *          | encoding (+int data  | string bytes   | backlen 1..5 B   |
 *          |  or string length)   | (strings only) |                  |
 *          +----------------------+----------------+------------------+
 *          |&lt;------------ encoded length L -----&gt;|
 *
 *  encoding byte              entry (without backlen)          value
 *  0xxxxxxx                   1 B                              uint 0..127
 *  10LLLLLL                   1 + len B                        string, len &lt; 64
 *  110xxxxx yyyyyyyy          2 B                              int -4096..4095 (13-bit two's compl.)
 *  1110LLLL LLLLLLLL          2 + len B                        string, len &lt; 4096 (len big-endian)
 *  11110000 + u32 LE len      5 + len B                        string, len &gt;= 4096
 *  11110001 + 2 B LE          3 B                              int16
 *  11110010 + 3 B LE          4 B                              int24
 *  11110011 + 4 B LE          5 B                              int32
 *  11110100 + 8 B LE          9 B                              int64
 *  11111111                   -                                end of listpack
 *
 *  backlen: L written for right-to-left parsing, 7 bits a byte, most significant group first;
 *           every byte but the first has bit 7 set. L &lt;= 127: 1 B, &lt; 16383: 2 B,
 *           &lt; 2097151: 3 B, &lt; 268435455: 4 B, else 5 B (Redis's exact thresholds).
 * </pre>
 *
 * A string is stored as an integer exactly when it is a canonical 64-bit decimal integer
 * ({@code lpStringToInt64}, the {@code string2ll} rule: no sign but '-', no leading zeros, no
 * "-0", in range), always in the smallest integer encoding; otherwise as a string with the
 * smallest length encoding. The num-elements field saturates at 65535 ("unknown", then the length
 * is counted by a scan), as in Redis.
 *
 * <p><b>Thread-safety:</b> stateless accessors; the block they read is guarded by its owner (a
 * shard's lock).
 */
public final class ListpackDescriptor {
    /** Size of the header (total bytes + num elements). */
    public static final int HEADER_SIZE = 6;
    /** Offset of the total-bytes field. */
    public static final int TOTAL_BYTES_OFFSET = 0;
    /** Offset of the num-elements field. */
    public static final int NUM_ELEMENTS_OFFSET = 4;
    /** The num-elements value meaning "65535 or more, count by scanning". */
    public static final int NUM_ELEMENTS_UNKNOWN = 0xFFFF;
    /** The terminator byte. */
    public static final int EOF = 0xFF;
    /** Bytes of an empty listpack (header + terminator). */
    public static final int EMPTY_SIZE = HEADER_SIZE + 1;
    /**
     * Redis's {@code LISTPACK_MAX_SAFETY_SIZE} (1 GiB): {@code lpSafeToAdd} refuses growth past it,
     * and the type layer converts to the big encoding long before. {@link Listpack} enforces it as
     * a hard limit.
     */
    public static final long MAX_SAFETY_SIZE = 1L << 30;

    /** Encoding bytes (see the table above). */
    public static final int ENC_7BIT_UINT = 0x00;
    public static final int ENC_6BIT_STR = 0x80;
    public static final int ENC_13BIT_INT = 0xC0;
    public static final int ENC_12BIT_STR = 0xE0;
    public static final int ENC_32BIT_STR = 0xF0;
    public static final int ENC_16BIT_INT = 0xF1;
    public static final int ENC_24BIT_INT = 0xF2;
    public static final int ENC_32BIT_INT = 0xF3;
    public static final int ENC_64BIT_INT = 0xF4;

    /** Sentinel for {@link Numbers#parseLongOrDefault}; confirmed with {@link Numbers#isLong}. */
    private static final long NOT_INT = 0x5EA1_0DD5_0B5E_55EDL;

    private ListpackDescriptor() {
    }

    // ---------------------------------------------------------------- header

    /** @return the block's size in bytes ({@code lpBytes}). */
    public static int totalBytes(long lp) {
        return getU32(lp + TOTAL_BYTES_OFFSET);
    }

    static void setTotalBytes(long lp, int bytes) {
        putU32(lp + TOTAL_BYTES_OFFSET, bytes);
    }

    /** @return the raw num-elements field (may be {@link #NUM_ELEMENTS_UNKNOWN}). */
    public static int numElementsField(long lp) {
        return (NativeMemory.getByte(lp + 4) & 0xFF) | (NativeMemory.getByte(lp + 5) & 0xFF) << 8;
    }

    static void setNumElementsField(long lp, int n) {
        NativeMemory.putByte(lp + 4, (byte) n);
        NativeMemory.putByte(lp + 5, (byte) (n >>> 8));
    }

    // ---------------------------------------------------------------- entries

    /**
     * @param p the address of an entry's encoding byte (not EOF)
     * @return the entry's encoded length L: encoding, length/int bytes and string data, without
     *     the backlen ({@code lpCurrentEncodedSizeUnsafe})
     */
    public static int encodedSize(long p) {
        int b = NativeMemory.getByte(p) & 0xFF;
        if (b < 0x80) {
            return 1;
        }
        if (b < 0xC0) {
            return 1 + (b & 0x3F);
        }
        if (b < 0xE0) {
            return 2;
        }
        if (b < 0xF0) {
            return 2 + ((b & 0x0F) << 8 | (NativeMemory.getByte(p + 1) & 0xFF));
        }
        switch (b) {
            case ENC_32BIT_STR:
                return 5 + getU32(p + 1);
            case ENC_16BIT_INT:
                return 3;
            case ENC_24BIT_INT:
                return 4;
            case ENC_32BIT_INT:
                return 5;
            case ENC_64BIT_INT:
                return 9;
            default:
                throw new IllegalStateException("bad listpack encoding byte 0x" + Integer.toHexString(b));
        }
    }

    /** @return the bytes a backlen of {@code l} takes ({@code lpEncodeBacklen(NULL, l)}). */
    public static int backlenSize(long l) {
        if (l <= 127) {
            return 1;
        }
        if (l < 16383) {
            return 2;
        }
        if (l < 2097151) {
            return 3;
        }
        if (l < 268435455) {
            return 4;
        }
        return 5;
    }

    /** @return the whole size of the entry at {@code p}: encoded length plus backlen. */
    public static int entrySize(long p) {
        int l = encodedSize(p);
        return l + backlenSize(l);
    }

    /** Writes the backlen of {@code l} at {@code p}; @return the bytes written. */
    static int writeBacklen(long p, int l) {
        int n = backlenSize(l);
        // Most significant 7-bit group first, without the continuation bit; the rest with it.
        for (int i = 0; i < n; i++) {
            int shift = 7 * (n - 1 - i);
            int group = (l >>> shift) & 0x7F;
            NativeMemory.putByte(p + i, (byte) (i == 0 ? (l >>> shift) : group | 0x80));
        }
        return n;
    }

    /**
     * Decodes a backlen read right to left ({@code lpDecodeBacklen}).
     *
     * @param last the address of the backlen's last byte (just before the next entry)
     * @return the encoded length L of the entry it ends, or -1 when more than 5 bytes long
     */
    public static long decodeBacklen(long last) {
        long val = 0;
        int shift = 0;
        long p = last;
        while (true) {
            int b = NativeMemory.getByte(p) & 0xFF;
            val |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return val;
            }
            shift += 7;
            p--;
            if (shift > 28) {
                return -1;
            }
        }
    }

    /** @return whether the entry at {@code p} is integer-encoded. */
    public static boolean isInteger(long p) {
        int b = NativeMemory.getByte(p) & 0xFF;
        return b < 0x80 || (b & 0xE0) == ENC_13BIT_INT || (b >= ENC_16BIT_INT && b <= ENC_64BIT_INT);
    }

    /** @return the value of the integer-encoded entry at {@code p}. */
    public static long integerValue(long p) {
        int b = NativeMemory.getByte(p) & 0xFF;
        if (b < 0x80) {
            return b;
        }
        if ((b & 0xE0) == ENC_13BIT_INT) {
            int u = (b & 0x1F) << 8 | (NativeMemory.getByte(p + 1) & 0xFF);
            return u >= 1 << 12 ? u - (1 << 13) : u;
        }
        switch (b) {
            case ENC_16BIT_INT:
                return (short) ((NativeMemory.getByte(p + 1) & 0xFF) | (NativeMemory.getByte(p + 2) & 0xFF) << 8);
            case ENC_24BIT_INT:
                return ((NativeMemory.getByte(p + 1) & 0xFF) | (NativeMemory.getByte(p + 2) & 0xFF) << 8
                    | NativeMemory.getByte(p + 3) << 16);
            case ENC_32BIT_INT:
                return getU32(p + 1);
            case ENC_64BIT_INT:
                return (getU32(p + 1) & 0xFFFF_FFFFL) | (long) getU32(p + 5) << 32;
            default:
                throw new IllegalStateException("not an integer entry: 0x" + Integer.toHexString(b));
        }
    }

    /** @return the length of the string-encoded entry at {@code p}. */
    public static int stringLength(long p) {
        int b = NativeMemory.getByte(p) & 0xFF;
        if ((b & 0xC0) == ENC_6BIT_STR) {
            return b & 0x3F;
        }
        if ((b & 0xF0) == ENC_12BIT_STR) {
            return (b & 0x0F) << 8 | (NativeMemory.getByte(p + 1) & 0xFF);
        }
        if (b == ENC_32BIT_STR) {
            return getU32(p + 1);
        }
        throw new IllegalStateException("not a string entry: 0x" + Integer.toHexString(b));
    }

    /** @return the address of the string data of the string-encoded entry at {@code p}. */
    public static long stringAddress(long p) {
        int b = NativeMemory.getByte(p) & 0xFF;
        if ((b & 0xC0) == ENC_6BIT_STR) {
            return p + 1;
        }
        return (b & 0xF0) == ENC_12BIT_STR ? p + 2 : p + 5;
    }

    // ---------------------------------------------------------------- encoding choice

    /** @return the encoded length L of the integer {@code v} (its smallest encoding). */
    public static int integerEncodedSize(long v) {
        if (v >= 0 && v <= 127) {
            return 1;
        }
        if (v >= -4096 && v <= 4095) {
            return 2;
        }
        if (v >= -32768 && v <= 32767) {
            return 3;
        }
        if (v >= -8388608 && v <= 8388607) {
            return 4;
        }
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            return 5;
        }
        return 9;
    }

    /** @return the encoded length L of a string of {@code len} bytes stored as a string. */
    public static long stringEncodedSize(int len) {
        if (len < 64) {
            return 1 + len;
        }
        if (len < 4096) {
            return 2L + len;
        }
        return 5L + len;
    }

    /**
     * Whether a string would be stored as an integer: Redis's {@code lpStringToInt64} rule.
     *
     * @return whether {@code b[off..off+len)} is a canonical in-range 64-bit decimal integer
     */
    public static boolean isCanonicalInteger(byte[] b, int off, int len) {
        long v = Numbers.parseLongOrDefault(b, off, len, NOT_INT);
        return v != NOT_INT || Numbers.isLong(b, off, len);
    }

    /** @return the value of a string for which {@link #isCanonicalInteger} holds. */
    static long canonicalIntegerValue(byte[] b, int off, int len) {
        return Numbers.parseLongOrDefault(b, off, len, NOT_INT);
    }

    /**
     * Writes the integer {@code v} in its smallest encoding at {@code p}
     * ({@link #integerEncodedSize} bytes).
     */
    static void writeInteger(long p, long v) {
        int size = integerEncodedSize(v);
        switch (size) {
            case 1:
                NativeMemory.putByte(p, (byte) v);
                break;
            case 2: {
                long u = v < 0 ? (1L << 13) + v : v;
                NativeMemory.putByte(p, (byte) ((u >>> 8) | ENC_13BIT_INT));
                NativeMemory.putByte(p + 1, (byte) u);
                break;
            }
            case 3:
                NativeMemory.putByte(p, (byte) ENC_16BIT_INT);
                NativeMemory.putByte(p + 1, (byte) v);
                NativeMemory.putByte(p + 2, (byte) (v >>> 8));
                break;
            case 4:
                NativeMemory.putByte(p, (byte) ENC_24BIT_INT);
                NativeMemory.putByte(p + 1, (byte) v);
                NativeMemory.putByte(p + 2, (byte) (v >>> 8));
                NativeMemory.putByte(p + 3, (byte) (v >>> 16));
                break;
            case 5:
                NativeMemory.putByte(p, (byte) ENC_32BIT_INT);
                putU32(p + 1, (int) v);
                break;
            default:
                NativeMemory.putByte(p, (byte) ENC_64BIT_INT);
                putU32(p + 1, (int) v);
                putU32(p + 5, (int) (v >>> 32));
                break;
        }
    }

    /** Writes a string entry's encoding and data at {@code p} ({@link #stringEncodedSize} bytes). */
    static void writeString(long p, byte[] b, int off, int len) {
        long data;
        if (len < 64) {
            NativeMemory.putByte(p, (byte) (ENC_6BIT_STR | len));
            data = p + 1;
        } else if (len < 4096) {
            NativeMemory.putByte(p, (byte) (ENC_12BIT_STR | (len >>> 8)));
            NativeMemory.putByte(p + 1, (byte) len);
            data = p + 2;
        } else {
            NativeMemory.putByte(p, (byte) ENC_32BIT_STR);
            putU32(p + 1, len);
            data = p + 5;
        }
        NativeMemory.copyFromArray(b, off, data, len);
    }

    // ---------------------------------------------------------------- little-endian helpers

    /** @return the little-endian 32-bit value at {@code p}. */
    static int getU32(long p) {
        return (NativeMemory.getByte(p) & 0xFF) | (NativeMemory.getByte(p + 1) & 0xFF) << 8
            | (NativeMemory.getByte(p + 2) & 0xFF) << 16 | NativeMemory.getByte(p + 3) << 24;
    }

    /** Writes {@code v} little-endian at {@code p}. */
    static void putU32(long p, int v) {
        NativeMemory.putByte(p, (byte) v);
        NativeMemory.putByte(p + 1, (byte) (v >>> 8));
        NativeMemory.putByte(p + 2, (byte) (v >>> 16));
        NativeMemory.putByte(p + 3, (byte) (v >>> 24));
    }
}
