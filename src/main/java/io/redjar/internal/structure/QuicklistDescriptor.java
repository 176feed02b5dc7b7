package io.redjar.internal.structure;

import io.redjar.internal.memory.NativeMemory;

/**
 * Layout of a quicklist (Redis 7.0's {@code quicklist.h}): a fixed-size root block and a doubly
 * linked chain of node blocks, each owning one {@link Listpack}, kept LZF-compressed in the
 * interior of the list when {@code list-compress-depth} was set at the list's creation.
 *
 * <pre>
 *  root block (32 bytes, never moves: a list entry's value is its address)
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |  0: head node address (8 bytes, 0 when empty)                 |
 *  +---------------------------------------------------------------+
 *  |  8: tail node address (8 bytes, 0 when empty)                 |
 *  +---------------------------------------------------------------+
 *  | 16: count, elements in all nodes (8 bytes)                    |
 *  +-------------------------------+-------------------------------+
 *  | 24: len, number of nodes (4)  | 28: fill (2,   | 30: compress  |
 *  |                               |     signed)    | depth (2)     |
 *  +-------------------------------+-------------------------------+
 *
 *  node block (32 bytes each)
 *  +---------------------------------------------------------------+
 *  |  0: prev node address (8 bytes, 0 for the head)               |
 *  +---------------------------------------------------------------+
 *  |  8: next node address (8 bytes, 0 for the tail)               |
 *  +---------------------------------------------------------------+
 *  | 16: listpack address (8 bytes; moves when the listpack grows), |
 *  |     or of the LZF block when the node is compressed            |
 *  +-------------------------------+-------------------------------+
 *  | 24: count, elements in the    | 28: flags (4): bit 0 LZF,     |
 *  |     listpack (4)              |     bit 1 in-window mark      |
 *  +-------------------------------+-------------------------------+
 *
 *  LZF block of a compressed node (Redis's quicklistLZF, plus the raw size Redis keeps in the node)
 *  +-------------------------------+-------------------------------+------------------------+
 *  | 0: listpack bytes, raw (4)    | 4: compressed bytes n (4)     | 8: n bytes of LZF data |
 *  +-------------------------------+-------------------------------+------------------------+
 *
 *   root.head -> node <-> node <-> ... <-> node <- root.tail
 *                 |        |                 |
 *              listpack listpack          listpack
 * </pre>
 *
 * Fill is Redis's {@code list-max-listpack-size} as it was when the list was created (Redis
 * copies it into the quicklist at creation, too), clamped as {@code quicklistSetFill} does to
 * -5..32767: -1..-5 limit a node's listpack to 4/8/16/32/64 KiB, a positive value limits the
 * entries per node (and the 8 KiB safety limit still applies). The compress depth is
 * {@code list-compress-depth} at creation, clamped to 0..65535 ({@code quicklistSetCompressDepth}).
 * A node's element count is kept in the node (Redis's {@code node->count}); its byte size is read
 * from the listpack header (Redis's {@code node->sz}). Nodes are never empty.
 *
 * <p><b>Thread-safety:</b> stateless accessors; the blocks belong to one shard, read and written
 * under its lock.
 */
public final class QuicklistDescriptor {
    /** Size of the root block. */
    public static final int ROOT_SIZE = 32;
    /** Size of a node block. */
    public static final int NODE_SIZE = 32;

    static final int HEAD = 0;
    static final int TAIL = 8;
    static final int COUNT = 16;
    static final int LEN = 24;
    static final int FILL = 28;
    static final int DEPTH = 30;

    static final int PREV = 0;
    static final int NEXT = 8;
    static final int LP = 16;
    static final int NODE_COUNT = 24;
    static final int NODE_FLAGS = 28;

    /** Node flag: the node's block is LZF-compressed. */
    static final int F_LZF = 1;
    /** Node flag: transient mark of the nodes within the compress depth while compressing. */
    static final int F_WINDOW = 2;
    /** Size of an LZF block's header. */
    public static final int LZF_HEADER = 8;
    /** Largest fill ({@code FILL_MAX}). */
    public static final int FILL_MAX = (1 << 15) - 1;
    /** Largest compress depth ({@code COMPRESS_MAX}). */
    public static final int COMPRESS_MAX = (1 << 16) - 1;

    private QuicklistDescriptor() {
    }

    public static long head(long ql) {
        return NativeMemory.getLong(ql + HEAD);
    }

    static void setHead(long ql, long node) {
        NativeMemory.putLong(ql + HEAD, node);
    }

    public static long tail(long ql) {
        return NativeMemory.getLong(ql + TAIL);
    }

    static void setTail(long ql, long node) {
        NativeMemory.putLong(ql + TAIL, node);
    }

    /** @return the number of elements */
    public static long count(long ql) {
        return NativeMemory.getLong(ql + COUNT);
    }

    static void setCount(long ql, long n) {
        NativeMemory.putLong(ql + COUNT, n);
    }

    /** @return the number of nodes */
    public static int len(long ql) {
        return NativeMemory.getInt(ql + LEN);
    }

    static void setLen(long ql, int n) {
        NativeMemory.putInt(ql + LEN, n);
    }

    /** @return the fill factor ({@code list-max-listpack-size} at creation) */
    public static int fill(long ql) {
        return (short) NativeMemory.getInt(ql + FILL);
    }

    /** @return the compress depth ({@code list-compress-depth} at creation; 0: no compression) */
    public static int depth(long ql) {
        return NativeMemory.getInt(ql + FILL) >>> 16;
    }

    /** Sets fill and depth, clamped as Redis's {@code quicklistSetOptions}. */
    static void setOptions(long ql, int fill, int depth) {
        int f = Math.max(-5, Math.min(FILL_MAX, fill));
        int d = Math.max(0, Math.min(COMPRESS_MAX, depth));
        NativeMemory.putInt(ql + FILL, (f & 0xFFFF) | (d << 16));
    }

    public static long prev(long node) {
        return NativeMemory.getLong(node + PREV);
    }

    static void setPrev(long node, long p) {
        NativeMemory.putLong(node + PREV, p);
    }

    public static long next(long node) {
        return NativeMemory.getLong(node + NEXT);
    }

    static void setNext(long node, long n) {
        NativeMemory.putLong(node + NEXT, n);
    }

    /** @return the node's listpack address */
    public static long lp(long node) {
        return NativeMemory.getLong(node + LP);
    }

    static void setLp(long node, long lp) {
        NativeMemory.putLong(node + LP, lp);
    }

    /** @return the node's element count */
    public static int nodeCount(long node) {
        return NativeMemory.getInt(node + NODE_COUNT);
    }

    static void setNodeCount(long node, int n) {
        NativeMemory.putInt(node + NODE_COUNT, n);
    }

    static int flags(long node) {
        return NativeMemory.getInt(node + NODE_FLAGS);
    }

    static void setFlags(long node, int f) {
        NativeMemory.putInt(node + NODE_FLAGS, f);
    }

    /** @return whether the node's block is LZF-compressed (then {@link #lp} is its LZF block) */
    public static boolean compressed(long node) {
        return (flags(node) & F_LZF) != 0;
    }

    /** @return the raw listpack size of a compressed node (Redis's {@code node->sz}) */
    public static int lzfRawBytes(long node) {
        return NativeMemory.getInt(lp(node));
    }

    /** @return the compressed data length of a compressed node */
    public static int lzfBytes(long node) {
        return NativeMemory.getInt(lp(node) + 4);
    }

    /** @return the address of a compressed node's LZF data */
    public static long lzfData(long node) {
        return lp(node) + LZF_HEADER;
    }
}
