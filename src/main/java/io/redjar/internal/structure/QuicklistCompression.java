package io.redjar.internal.structure;

import static io.redjar.internal.structure.QuicklistDescriptor.F_LZF;
import static io.redjar.internal.structure.QuicklistDescriptor.F_WINDOW;
import static io.redjar.internal.structure.QuicklistDescriptor.LZF_HEADER;
import static io.redjar.internal.structure.QuicklistDescriptor.compressed;
import static io.redjar.internal.structure.QuicklistDescriptor.depth;
import static io.redjar.internal.structure.QuicklistDescriptor.flags;
import static io.redjar.internal.structure.QuicklistDescriptor.head;
import static io.redjar.internal.structure.QuicklistDescriptor.lp;
import static io.redjar.internal.structure.QuicklistDescriptor.next;
import static io.redjar.internal.structure.QuicklistDescriptor.prev;
import static io.redjar.internal.structure.QuicklistDescriptor.setFlags;
import static io.redjar.internal.structure.QuicklistDescriptor.setLp;
import static io.redjar.internal.structure.QuicklistDescriptor.tail;

import io.redjar.internal.memory.NativeMemory;
import io.redjar.internal.memory.SlabAllocator;
import io.redjar.internal.util.Lzf;

/**
 * {@code list-compress-depth} for the {@link Quicklist}: the nodes more than {@code depth} nodes
 * away from both ends are kept LZF-compressed, as Redis 7.0's {@code quicklist.c} does (same
 * thresholds: nodes under 48 bytes, or that do not shrink by more than 8 bytes, stay raw).
 *
 * <p>Design: correctness never depends on which nodes are compressed. Every quicklist operation
 * that changes a node first makes it raw ({@link #raw}, which records the node as touched);
 * readers that meet a compressed node read a copy decompressed into a per-thread native scratch
 * block ({@link #view}) and leave the node as it is. At the end of each changing operation {@link #settle} restores the layout:
 * the nodes within the depth from either end are made raw, the node just beyond the depth on each
 * side and every touched node outside the depth are compressed (Redis's {@code __quicklistCompress}
 * around every node the operation changed). An operation adds at most one node at an end, so the
 * invariant "every node outside the depth is compressed when it can be" holds after each one.
 * Nodes bigger than {@link #MAX_COMPRESS_BYTES} stay raw (a documented difference: Redis also
 * compresses giant single-element nodes; here that would need a transient heap copy of their size).
 *
 * <p>With depth 0 (Redis's default) nothing is recorded and {@link #settle} returns at once.
 *
 * <p><b>Thread-safety:</b> a quicklist is used under its shard's lock; the touched list and the
 * scratch are thread-confined, and an operation settles (and clears the list) before it returns.
 * The scratch copy is keyed by node address and dropped by every compression or decompression on
 * the thread, so it is never stale while a command holds the lock (two cursors alternating between
 * compressed nodes only decompress more often). The per-thread scratch block is kept for the life of
 * the thread; it is at most {@link #MAX_COMPRESS_BYTES}, the largest node ever compressed.
 */
final class QuicklistCompression {
    /** {@code MIN_COMPRESS_BYTES}. */
    static final int MIN_COMPRESS_BYTES = 48;
    /** {@code MIN_COMPRESS_IMPROVE}. */
    static final int MIN_COMPRESS_IMPROVE = 8;
    /** Raw nodes above this size are not compressed. */
    static final int MAX_COMPRESS_BYTES = 1 << 20;

    /** Per-thread state: nodes changed by the current operation, and byte scratch for LZF. */
    private static final class State {
        long[] touched = new long[8];
        int n;
        byte[] in = new byte[8192];
        byte[] out = new byte[8192];
        /** A native block holding {@link #viewNode}'s decompressed listpack (0 until first needed). */
        long view;
        int viewCapacity;
        /** The node whose listpack {@link #view} holds; 0 when none (reset by every (de)compression). */
        long viewNode;

        byte[] in(int len) {
            if (in.length < len) {
                in = new byte[len];
            }
            return in;
        }

        byte[] out(int len) {
            if (out.length < len) {
                out = new byte[len];
            }
            return out;
        }
    }

    private static final ThreadLocal<State> STATE = ThreadLocal.withInitial(State::new);

    private QuicklistCompression() {
    }

    /**
     * @return the listpack of {@code node} to read: its own when raw, else a decompressed copy in
     * this thread's scratch, valid until the next compression or decompression on this thread
     */
    static long view(long node) {
        if (!compressed(node)) {
            return lp(node);
        }
        State s = STATE.get();
        if (s.viewNode != node) {
            int raw = QuicklistDescriptor.lzfRawBytes(node);
            if (s.viewCapacity < raw) {
                int cap = Math.max(raw, 8192);
                s.view = s.view == 0 ? NativeMemory.allocate(cap) : NativeMemory.reallocate(s.view, cap);
                s.viewCapacity = cap;
            }
            s.viewNode = 0;
            decompressInto(node, s.view);
            s.viewNode = node;
        }
        return s.view;
    }

    /** @return the node's raw listpack size ({@code node->sz}), compressed or not */
    static int rawBytes(long node) {
        return compressed(node) ? QuicklistDescriptor.lzfRawBytes(node) : Listpack.bytes(lp(node));
    }

    /** @return the size of the block the node owns (its LZF block when compressed) */
    static int blockBytes(long node) {
        return compressed(node) ? LZF_HEADER + QuicklistDescriptor.lzfBytes(node) : Listpack.bytes(lp(node));
    }

    /** Frees the node's block (listpack or LZF block). */
    static void freeBlock(SlabAllocator a, long node) {
        if (compressed(node)) {
            a.free(lp(node), blockBytes(node));
        } else {
            Listpack.free(a, lp(node));
        }
    }

    /**
     * Makes {@code node} raw for a change and records it as touched (when {@code ql} compresses).
     *
     * @return its listpack address
     */
    static long raw(SlabAllocator a, long ql, long node) {
        if (depth(ql) == 0) {
            return lp(node);
        }
        if (compressed(node)) {
            decompress(a, node);
        }
        touch(node);
        return lp(node);
    }

    /** Records a new node of a compressing quicklist as touched. */
    static void added(long ql, long node) {
        if (depth(ql) != 0) {
            touch(node);
        }
    }

    /** Forgets a node about to be freed. */
    static void removed(long ql, long node) {
        if (depth(ql) == 0) {
            return;
        }
        State s = STATE.get();
        for (int i = 0; i < s.n; i++) {
            if (s.touched[i] == node) {
                s.touched[i] = s.touched[--s.n];
                i--;
            }
        }
    }

    private static void touch(long node) {
        State s = STATE.get();
        for (int i = 0; i < s.n; i++) {
            if (s.touched[i] == node) {
                return;
            }
        }
        if (s.n == s.touched.length) {
            s.touched = java.util.Arrays.copyOf(s.touched, s.n * 2);
        }
        s.touched[s.n++] = node;
    }

    /**
     * Ends a changing operation on {@code ql}: raw nodes within the depth, compressed ones beyond
     * (see the class note). Always clears the touched list.
     */
    static void settle(SlabAllocator a, long ql) {
        int depth = depth(ql);
        if (depth == 0) {
            return;
        }
        State s = STATE.get();
        try {
            if (head(ql) == 0) {
                return;
            }
            // 1. the window: depth nodes from each end, raw and marked
            long f = head(ql);
            long r = tail(ql);
            for (int d = 0; d < depth && (f != 0 || r != 0); d++) {
                if (f != 0) {
                    mark(a, f);
                    f = next(f);
                }
                if (r != 0) {
                    mark(a, r);
                    r = prev(r);
                }
            }
            // 2. the first node beyond the window on each side, and every touched node outside it
            if (f != 0 && (flags(f) & F_WINDOW) == 0) {
                compress(a, f);
            }
            if (r != 0 && (flags(r) & F_WINDOW) == 0) {
                compress(a, r);
            }
            for (int i = 0; i < s.n; i++) {
                long node = s.touched[i];
                if ((flags(node) & F_WINDOW) == 0) {
                    compress(a, node);
                }
            }
            // 3. clear the marks
            f = head(ql);
            r = tail(ql);
            for (int d = 0; d < depth && (f != 0 || r != 0); d++) {
                if (f != 0) {
                    setFlags(f, flags(f) & ~F_WINDOW);
                    f = next(f);
                }
                if (r != 0) {
                    setFlags(r, flags(r) & ~F_WINDOW);
                    r = prev(r);
                }
            }
        } finally {
            s.n = 0;
        }
    }

    private static void mark(SlabAllocator a, long node) {
        if (compressed(node)) {
            decompress(a, node);
        }
        setFlags(node, flags(node) | F_WINDOW);
    }

    /** Compresses a raw node when it is worth it ({@code __quicklistCompressNode}). */
    static void compress(SlabAllocator a, long node) {
        if (compressed(node)) {
            return;
        }
        long lp = lp(node);
        int sz = Listpack.bytes(lp);
        if (sz < MIN_COMPRESS_BYTES || sz > MAX_COMPRESS_BYTES) {
            return;
        }
        State s = STATE.get();
        byte[] in = s.in(sz);
        byte[] out = s.out(sz);
        NativeMemory.copyToArray(lp, in, 0, sz);
        int n = Lzf.compress(in, sz, out, sz);
        if (n == 0 || n + MIN_COMPRESS_IMPROVE >= sz) {
            return;
        }
        s.viewNode = 0;
        long blob = a.allocate(LZF_HEADER + (long) n);
        NativeMemory.putInt(blob, sz);
        NativeMemory.putInt(blob + 4, n);
        NativeMemory.copyFromArray(out, 0, blob + LZF_HEADER, n);
        Listpack.free(a, lp);
        setLp(node, blob);
        setFlags(node, flags(node) | F_LZF);
    }

    /** Replaces a compressed node's LZF block with its raw listpack. */
    static void decompress(SlabAllocator a, long node) {
        STATE.get().viewNode = 0;
        int raw = QuicklistDescriptor.lzfRawBytes(node);
        long lp = a.allocate(raw);
        decompressInto(node, lp);
        a.free(lp(node), blockBytes(node));
        setLp(node, lp);
        setFlags(node, flags(node) & ~F_LZF);
    }

    /**
     * Decompresses a compressed node's listpack into {@code dst} (at least
     * {@link QuicklistDescriptor#lzfRawBytes} bytes), leaving the node as it is.
     *
     * @throws IllegalStateException if the LZF data is corrupt (memory corruption)
     */
    static void decompressInto(long node, long dst) {
        int raw = QuicklistDescriptor.lzfRawBytes(node);
        int n = QuicklistDescriptor.lzfBytes(node);
        State s = STATE.get();
        byte[] in = s.in(n);
        byte[] out = s.out(raw);
        NativeMemory.copyToArray(QuicklistDescriptor.lzfData(node), in, 0, n);
        if (!Lzf.decompress(in, n, out, raw)) {
            throw new IllegalStateException("corrupt LZF block in a quicklist node");
        }
        NativeMemory.copyFromArray(out, 0, dst, raw);
    }
}
