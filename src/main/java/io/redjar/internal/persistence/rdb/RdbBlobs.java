package io.redjar.internal.persistence.rdb;

import io.redjar.internal.persistence.rdb.RdbStrings.RdbFormatException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decoders, with deep validation, for the packed blobs an RDB value may carry: listpack (Redis
 * 7.0's {@code lpValidateIntegrity} with deep checking), ziplist ({@code ziplistValidateIntegrity}),
 * intset ({@code intsetValidateIntegrity} with deep checking: strictly ascending) and zipmap
 * ({@code zipmapValidateIntegrity}). Each walks the untrusted bytes with bounds checks only, never
 * allocating by a length read from them, and returns the elements (integers as their decimal
 * strings) or throws naming what is wrong.
 *
 * <p><b>Thread-safety:</b> stateless; safe from any thread.
 */
final class RdbBlobs {
    private RdbBlobs() {
    }

    private static RdbFormatException bad(String what) {
        return new RdbFormatException(what);
    }

    private static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    private static long u32le(byte[] b, int i) {
        return (b[i] & 0xFFL) | (b[i + 1] & 0xFFL) << 8 | (b[i + 2] & 0xFFL) << 16 | (b[i + 3] & 0xFFL) << 24;
    }

    private static byte[] num(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }

    // ---- listpack ----------------------------------------------------------------------------

    /** @return the elements of a listpack blob (validated: header, every entry, backlens, count, terminator) */
    static List<byte[]> listpack(byte[] b) throws RdbFormatException {
        int n = b.length;
        if (n < 7) {
            throw bad("listpack too short");
        }
        if (u32le(b, 0) != n) {
            throw bad("listpack total bytes do not match its length");
        }
        int declared = u8(b, 4) | u8(b, 5) << 8;
        if (u8(b, n - 1) != 0xFF) {
            throw bad("listpack without terminator");
        }
        List<byte[]> out = new ArrayList<>();
        int p = 6;
        while (true) {
            if (p >= n) {
                throw bad("listpack entry beyond its end");
            }
            int c = u8(b, p);
            if (c == 0xFF) {
                if (p != n - 1) {
                    throw bad("listpack terminator before its end");
                }
                break;
            }
            int hdr;
            long dataLen;
            byte[] value;
            if ((c & 0x80) == 0) {
                hdr = 1;
                dataLen = 0;
                value = num(c & 0x7F);
            } else if ((c & 0xC0) == 0x80) {
                hdr = 1;
                dataLen = c & 0x3F;
                value = null;
            } else if ((c & 0xE0) == 0xC0) {
                need(b, p, 2);
                int v = ((c & 0x1F) << 8) | u8(b, p + 1);
                hdr = 2;
                dataLen = 0;
                value = num(v >= 1 << 12 ? v - (1 << 13) : v);
            } else if ((c & 0xF0) == 0xE0) {
                need(b, p, 2);
                hdr = 2;
                dataLen = ((c & 0x0F) << 8) | u8(b, p + 1);
                value = null;
            } else if (c == 0xF0) {
                need(b, p, 5);
                hdr = 5;
                dataLen = u32le(b, p + 1);
                value = null;
            } else if (c >= 0xF1 && c <= 0xF4) {
                int size = c == 0xF1 ? 2 : c == 0xF2 ? 3 : c == 0xF3 ? 4 : 8;
                need(b, p, 1 + size);
                long v = 0;
                for (int k = size - 1; k >= 0; k--) {
                    v = (v << 8) | u8(b, p + 1 + k);
                }
                int shift = 64 - size * 8;
                v = (v << shift) >> shift;
                hdr = 1 + size;
                dataLen = 0;
                value = num(v);
            } else {
                throw bad("listpack entry with invalid encoding 0x" + Integer.toHexString(c));
            }
            long entryLen = hdr + dataLen;
            int backlen = backlenSize(entryLen);
            if (p + entryLen + backlen > n - 1) {
                throw bad("listpack entry beyond its end");
            }
            if (value == null) {
                value = java.util.Arrays.copyOfRange(b, p + hdr, p + hdr + (int) dataLen);
            }
            // the back length must encode the entry length, as lpEncodeBacklen writes it
            int q = p + (int) entryLen;
            if (decodeBacklenForward(b, q, backlen) != entryLen) {
                throw bad("listpack entry with a wrong back length");
            }
            out.add(value);
            p = q + backlen;
        }
        if (declared != 0xFFFF && declared != out.size()) {
            throw bad("listpack count " + declared + " but " + out.size() + " entries");
        }
        return out;
    }

    private static void need(byte[] b, int p, int len) throws RdbFormatException {
        if (p + len > b.length - 1) {
            throw bad("entry beyond the end of its blob");
        }
    }

    private static int backlenSize(long l) {
        if (l <= 127) {
            return 1;
        } else if (l < 16383) {
            return 2;
        } else if (l < 2097151) {
            return 3;
        } else if (l < 268435455) {
            return 4;
        }
        return 5;
    }

    /** Reads the {@code size}-byte back length at {@code q} (first byte most significant, as lpEncodeBacklen). */
    private static long decodeBacklenForward(byte[] b, int q, int size) {
        long v = u8(b, q) & 0x7F;
        if ((u8(b, q) & 0x80) != 0) {
            return -1;
        }
        for (int k = 1; k < size; k++) {
            int x = u8(b, q + k);
            if ((x & 0x80) == 0) {
                return -1;
            }
            v = (v << 7) | (x & 0x7F);
        }
        return v;
    }

    // ---- ziplist -----------------------------------------------------------------------------

    /** @return the elements of a ziplist blob (validated: header, tail, every entry and prevlen, count, terminator) */
    static List<byte[]> ziplist(byte[] b) throws RdbFormatException {
        int n = b.length;
        if (n < 11) {
            throw bad("ziplist too short");
        }
        if (u32le(b, 0) != n) {
            throw bad("ziplist total bytes do not match its length");
        }
        long tail = u32le(b, 4);
        int declared = u8(b, 8) | u8(b, 9) << 8;
        if (u8(b, n - 1) != 0xFF) {
            throw bad("ziplist without terminator");
        }
        List<byte[]> out = new ArrayList<>();
        int p = 10;
        int prevSize = 0;
        int last = 10;
        while (true) {
            if (p >= n) {
                throw bad("ziplist entry beyond its end");
            }
            if (u8(b, p) == 0xFF) {
                if (p != n - 1) {
                    throw bad("ziplist terminator before its end");
                }
                break;
            }
            int q = p;
            long prevlen;
            if (u8(b, q) < 254) {
                prevlen = u8(b, q);
                q += 1;
            } else if (u8(b, q) == 254) {
                need(b, q, 5);
                prevlen = u32le(b, q + 1);
                q += 5;
            } else {
                throw bad("ziplist entry with invalid prevlen");
            }
            if (prevlen != prevSize) {
                throw bad("ziplist entry prevlen does not match the previous entry");
            }
            need(b, q, 1);
            int c = u8(b, q);
            byte[] value;
            int hdr;
            long dataLen;
            if ((c & 0xC0) == 0x00) {
                hdr = 1;
                dataLen = c & 0x3F;
                value = null;
            } else if ((c & 0xC0) == 0x40) {
                need(b, q, 2);
                hdr = 2;
                dataLen = ((c & 0x3F) << 8) | u8(b, q + 1);
                value = null;
            } else if ((c & 0xC0) == 0x80) {
                need(b, q, 5);
                hdr = 5;
                dataLen = (long) u8(b, q + 1) << 24 | (long) u8(b, q + 2) << 16 | (long) u8(b, q + 3) << 8 | u8(b, q + 4);
                value = null;
            } else {
                int size;
                switch (c) {
                    case 0xC0 -> size = 2;
                    case 0xD0 -> size = 4;
                    case 0xE0 -> size = 8;
                    case 0xF0 -> size = 3;
                    case 0xFE -> size = 1;
                    default -> {
                        if (c >= 0xF1 && c <= 0xFD) {
                            size = 0;
                        } else {
                            throw bad("ziplist entry with invalid encoding 0x" + Integer.toHexString(c));
                        }
                    }
                }
                need(b, q, 1 + size);
                long v;
                if (size == 0) {
                    v = (c & 0x0F) - 1;
                } else {
                    v = 0;
                    for (int k = size - 1; k >= 0; k--) {
                        v = (v << 8) | u8(b, q + 1 + k);
                    }
                    int shift = 64 - size * 8;
                    v = (v << shift) >> shift;
                }
                hdr = 1 + size;
                dataLen = 0;
                value = num(v);
            }
            long end = (long) q + hdr + dataLen;
            if (end > n - 1) {
                throw bad("ziplist entry beyond its end");
            }
            if (value == null) {
                value = java.util.Arrays.copyOfRange(b, q + hdr, (int) end);
            }
            out.add(value);
            last = p;
            prevSize = (int) (end - p);
            p = (int) end;
        }
        if (tail != last) {
            throw bad("ziplist tail offset does not name its last entry");
        }
        if (declared != 0xFFFF && declared != out.size()) {
            throw bad("ziplist count " + declared + " but " + out.size() + " entries");
        }
        return out;
    }

    // ---- intset ------------------------------------------------------------------------------

    /** @return the members of an intset blob (validated: encoding, size, strictly ascending, not empty) */
    static long[] intset(byte[] b) throws RdbFormatException {
        if (b.length < 8) {
            throw bad("intset too short");
        }
        long enc = u32le(b, 0);
        if (enc != 2 && enc != 4 && enc != 8) {
            throw bad("intset with invalid encoding " + enc);
        }
        long count = u32le(b, 4);
        if (8 + count * enc != b.length) {
            throw bad("intset size does not match its count");
        }
        if (count == 0) {
            throw bad("empty intset");
        }
        long[] out = new long[(int) count];
        for (int i = 0; i < count; i++) {
            int at = 8 + i * (int) enc;
            long v = 0;
            for (int k = (int) enc - 1; k >= 0; k--) {
                v = (v << 8) | u8(b, at + k);
            }
            int shift = 64 - (int) enc * 8;
            v = (v << shift) >> shift;
            if (i > 0 && v <= out[i - 1]) {
                throw bad("intset not strictly ascending");
            }
            out[i] = v;
        }
        return out;
    }

    // ---- zipmap ------------------------------------------------------------------------------

    /** @return the fields and values, alternating, of a zipmap blob (validated) */
    static List<byte[]> zipmap(byte[] b) throws RdbFormatException {
        int n = b.length;
        if (n < 2) {
            throw bad("zipmap too short");
        }
        int declared = u8(b, 0);
        int p = 1;
        List<byte[]> out = new ArrayList<>();
        while (true) {
            if (p >= n) {
                throw bad("zipmap entry beyond its end");
            }
            if (u8(b, p) == 0xFF) {
                if (p != n - 1) {
                    throw bad("zipmap terminator before its end");
                }
                break;
            }
            for (int part = 0; part < 2; part++) {
                long len;
                if (p >= n - 1) {
                    throw bad("zipmap entry beyond its end");
                }
                int c = u8(b, p);
                if (c < 254) {
                    len = c;
                    p += 1;
                } else if (c == 254) {
                    need(b, p, 5);
                    len = u32le(b, p + 1);
                    p += 5;
                } else {
                    throw bad("zipmap entry with invalid length");
                }
                int free = 0;
                if (part == 1) {
                    need(b, p, 1);
                    free = u8(b, p);
                    p += 1;
                }
                if (p + len + free > n - 1) {
                    throw bad("zipmap entry beyond its end");
                }
                out.add(java.util.Arrays.copyOfRange(b, p, p + (int) len));
                p += (int) len + free;
            }
        }
        if (declared < 254 && declared != out.size() / 2) {
            throw bad("zipmap count " + declared + " but " + out.size() / 2 + " entries");
        }
        return out;
    }

    // ---- numbers -----------------------------------------------------------------------------

    /** {@code strtod} over a whole string, as scores are parsed; null when it is not a number or is NaN. */
    static Double parseDouble(String s) {
        if (s.isEmpty()) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch <= ' ' || ch >= 0x7F) { // Double.parseDouble would trim control characters away
                return null;
            }
        }
        String t = s.toLowerCase(java.util.Locale.ROOT);
        String unsigned = t.startsWith("-") || t.startsWith("+") ? t.substring(1) : t;
        if (unsigned.equals("inf") || unsigned.equals("infinity")) {
            return t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        char last = t.charAt(t.length() - 1);
        if (!(Character.isDigit(last) || last == '.') || unsigned.startsWith("n")) {
            return null;
        }
        try {
            double d = Double.parseDouble(t);
            return Double.isNaN(d) ? null : d;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
