package io.redjar.internal.util;

/**
 * LZF compression as Redis's bundled liblzf 3.6 does it ({@code lzf_c.c} / {@code lzf_d.c} with
 * Redis's {@code lzfP.h} settings: {@code HLOG 16}, {@code VERY_FAST}, not {@code ULTRA_FAST}).
 * The compressor makes the same choices as Redis's, so a string RedJar writes into an RDB or DUMP
 * payload has the same bytes as the one redis-server writes (Redis leaves its hash table
 * uninitialised; this one starts empty, which is what Redis does in practice).
 *
 * <p>Format: {@code 000LLLLL} + L+1 literal bytes; {@code LLLooooo oooooooo} a back reference of
 * L+2 bytes at offset o+1; {@code 111ooooo LLLLLLLL oooooooo} a back reference of L+9 bytes.
 *
 * <p>Besides RDB strings, the quicklist compresses list nodes with it ({@code list-compress-depth}),
 * so the compressor keeps its 64 Ki-entry hash table per thread and invalidates it by a generation
 * stamp instead of clearing or allocating it per call; the output is the same as with a fresh table.
 *
 * <p><b>Thread-safety:</b> thread-safe; the hash table is thread-confined.
 */
public final class Lzf {
    private static final int HLOG = 16;
    private static final int HSIZE = 1 << HLOG;
    private static final int MAX_LIT = 1 << 5;
    private static final int MAX_OFF = 1 << 13;
    private static final int MAX_REF = (1 << 8) + (1 << 3);

    private Lzf() {
    }

    private static int idx(int h) {
        return ((h >>> (3 * 8 - HLOG)) - h * 5) & (HSIZE - 1);
    }

    /** A thread's hash table: entry i is valid only while stamp[i] equals gen. */
    private static final class Table {
        final int[] htab = new int[HSIZE];
        final int[] stamp = new int[HSIZE];
        int gen;
    }

    private static final ThreadLocal<Table> TABLE = ThreadLocal.withInitial(Table::new);

    /**
     * Compresses {@code in} into at most {@code outLen} bytes.
     *
     * @return the compressed bytes, or null when they do not fit in {@code outLen} (liblzf's 0)
     */
    public static byte[] compress(byte[] in, int outLen) {
        if (in.length == 0 || outLen <= 0) {
            return null;
        }
        byte[] out = new byte[outLen];
        int n = compress(in, in.length, out, outLen);
        return n == 0 ? null : java.util.Arrays.copyOf(out, n);
    }

    /**
     * Compresses {@code in[0, inLen)} into {@code out[0, outLen)}.
     *
     * @return the compressed length, or 0 when it does not fit in {@code outLen} (liblzf's 0)
     */
    public static int compress(byte[] in, int inLen, byte[] out, int outLen) {
        if (inLen <= 0 || outLen <= 0 || inLen > in.length || outLen > out.length) {
            return 0;
        }
        Table t = TABLE.get();
        if (++t.gen == 0) { // wrapped: stamps from 2^32 calls ago would look valid
            java.util.Arrays.fill(t.stamp, 0);
            t.gen = 1;
        }
        int[] htab = t.htab; // position + 1 where stamp == gen
        int[] stamp = t.stamp;
        int gen = t.gen;
        int ip = 0;
        int op = 0;
        int inEnd = inLen;
        int lit = 0;
        op++; // start run
        int hval = ((in[0] & 0xFF) << 8) | (inLen > 1 ? in[1] & 0xFF : 0);
        while (ip < inEnd - 2) {
            hval = (hval << 8) | (in[ip + 2] & 0xFF);
            int slot = idx(hval);
            int ref = stamp[slot] == gen ? htab[slot] - 1 : -1;
            htab[slot] = ip + 1;
            stamp[slot] = gen;
            int off;
            if (ref > 0 && ref < ip && (off = ip - ref - 1) < MAX_OFF
                && in[ref + 2] == in[ip + 2] && in[ref] == in[ip] && in[ref + 1] == in[ip + 1]) {
                int len = 2;
                int maxlen = inEnd - ip - len;
                maxlen = Math.min(maxlen, MAX_REF);
                if (op + 3 + 1 >= outLen && op - (lit == 0 ? 1 : 0) + 3 + 1 >= outLen) {
                    return 0;
                }
                out[op - lit - 1] = (byte) (lit - 1); // stop run
                op -= lit == 0 ? 1 : 0; // undo run if length is zero
                // liblzf's unrolled loop: compares up to 16 bytes without the bound when maxlen > 16
                boolean done = false;
                if (maxlen > 16) {
                    for (int k = 0; k < 16; k++) {
                        len++;
                        if (in[ref + len] != in[ip + len]) {
                            done = true;
                            break;
                        }
                    }
                }
                if (!done) {
                    do {
                        len++;
                    } while (len < maxlen && in[ref + len] == in[ip + len]);
                }
                len -= 2; // len is now #octets - 1
                ip++;
                if (len < 7) {
                    out[op++] = (byte) ((off >>> 8) + (len << 5));
                } else {
                    out[op++] = (byte) ((off >>> 8) + (7 << 5));
                    out[op++] = (byte) (len - 7);
                }
                out[op++] = (byte) off;
                lit = 0;
                op++; // start run
                ip += len + 1;
                if (ip >= inEnd - 2) {
                    break;
                }
                ip -= 2;
                hval = ((in[ip] & 0xFF) << 8) | (in[ip + 1] & 0xFF);
                hval = (hval << 8) | (in[ip + 2] & 0xFF);
                put(htab, stamp, gen, idx(hval), ip + 1);
                ip++;
                hval = (hval << 8) | (in[ip + 2] & 0xFF);
                put(htab, stamp, gen, idx(hval), ip + 1);
                ip++;
            } else {
                if (op >= outLen) {
                    return 0;
                }
                lit++;
                out[op++] = in[ip++];
                if (lit == MAX_LIT) {
                    out[op - lit - 1] = (byte) (lit - 1);
                    lit = 0;
                    op++;
                }
            }
        }
        if (op + 3 > outLen) {
            return 0;
        }
        while (ip < inEnd) {
            lit++;
            out[op++] = in[ip++];
            if (lit == MAX_LIT) {
                out[op - lit - 1] = (byte) (lit - 1);
                lit = 0;
                op++;
            }
        }
        out[op - lit - 1] = (byte) (lit - 1); // end run
        op -= lit == 0 ? 1 : 0;
        return op;
    }

    private static void put(int[] htab, int[] stamp, int gen, int slot, int v) {
        htab[slot] = v;
        stamp[slot] = gen;
    }

    /**
     * Decompresses {@code in} into exactly {@code outLen} bytes.
     *
     * @return the bytes, or null when {@code in} is corrupt or does not decompress to {@code outLen}
     */
    public static byte[] decompress(byte[] in, int outLen) {
        byte[] out = new byte[outLen];
        return decompress(in, in.length, out, outLen) ? out : null;
    }

    /**
     * Decompresses {@code in[0, inLen)} into exactly {@code out[0, outLen)}.
     *
     * @return false when {@code in} is corrupt or does not decompress to exactly {@code outLen}
     */
    public static boolean decompress(byte[] in, int inLen, byte[] out, int outLen) {
        if (inLen > in.length || outLen > out.length || outLen < 0) {
            return false;
        }
        int ip = 0;
        int op = 0;
        int inEnd = inLen;
        while (ip < inEnd) {
            int ctrl = in[ip++] & 0xFF;
            if (ctrl < (1 << 5)) {
                ctrl++;
                if (op + ctrl > outLen || ip + ctrl > inEnd) {
                    return false;
                }
                System.arraycopy(in, ip, out, op, ctrl);
                op += ctrl;
                ip += ctrl;
            } else {
                int len = ctrl >>> 5;
                int ref = op - ((ctrl & 0x1f) << 8) - 1;
                if (ip >= inEnd) {
                    return false;
                }
                if (len == 7) {
                    len += in[ip++] & 0xFF;
                    if (ip >= inEnd) {
                        return false;
                    }
                }
                ref -= in[ip++] & 0xFF;
                len += 2;
                if (op + len > outLen || ref < 0) {
                    return false;
                }
                for (int k = 0; k < len; k++) {
                    out[op++] = out[ref++];
                }
            }
        }
        return op == outLen;
    }

}
