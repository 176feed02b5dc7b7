package io.redjar.internal.structure;

import io.redjar.internal.memory.NativeMemory;
import io.redjar.internal.memory.SlabAllocator;

/**
 * An off-heap ordered map from a 128-bit stream id (ms, seq; both compared unsigned, ms first) to a
 * 64-bit value: a B+tree in a shard's {@link SlabAllocator}. It is the pending-entries list (PEL)
 * of stream consumer groups and consumers; there is no Java object per entry.
 *
 * <p><b>Layout.</b> The tree is named by the address of its 32-byte header:
 * <pre>
 *   +---------------------------------------------------------------+
 *   |  root node address (8)                                        |
 *   |  entry count (8)                                              |
 *   |  bytes of the nodes (8)                                       |
 *   |  height (4; 1 = the root is a leaf) | padding (4)             |
 *   +---------------------------------------------------------------+
 * </pre>
 * Every node is one block: an 8-byte header {@code count (int) | leaf (byte) | capacity (byte) |
 * pad}, the previous and next leaf (leaves only; 0 at the ends), then {@code capacity} slots of 24
 * bytes. A leaf slot is {@code ms, seq, value}; an internal slot is {@code ms, seq, child}, where
 * the key is a lower bound of the child's keys (the key of slot 0 is never compared, so it may go
 * stale when a smaller id is inserted). Full nodes have {@value #FANOUT} slots (408 bytes, 6.4
 * cache lines; a search touches one binary search per level). A tree whose root is a leaf starts
 * with {@value #MIN_CAPACITY} slots and doubles up to {@value #FANOUT}, so a small PEL costs
 * {@code 32 + 24 + 24 * capacity} bytes (4 entries: 152 bytes; Redis's rax for 4 ids is of the
 * same order).
 *
 * <p><b>Costs.</b> get/insert/remove O(log n) with fan-out 16; range iteration walks the leaf
 * chain (O(1) per step). A node split by an append (the new id above all of the node's) keeps the
 * left node full, so a PEL filled in id order (XREADGROUP's usual pattern) has full leaves
 * (about 26 bytes per entry); other splits are even. Removal frees a node when it empties and collapses a root with one
 * child, but does not merge half-empty siblings: a PEL is consumed roughly in id order (acks,
 * claims), which empties leaves from the front, so the space stays near {@code n * 24 / fill}
 * with fill over one half in practice; an adversarial removal pattern can leave leaves holding a
 * single entry (408 bytes for one entry) — stated, not defended against.
 *
 * <p><b>Thread-safety:</b> not thread-safe; stateless static methods over blocks guarded by their
 * owner's (the shard's) lock. {@link Cursor} instances are single-threaded and invalidated by any
 * modification of the tree other than {@link Cursor#setValue}.
 */
public final class IdTree {
    /** Slots of a full node. */
    public static final int FANOUT = 16;
    /** Slots of a new tree's root leaf. */
    public static final int MIN_CAPACITY = 2;
    /** Header size. */
    public static final int HEADER_SIZE = 32;

    private static final int ROOT = 0;
    private static final int COUNT = 8;
    private static final int NODE_BYTES = 16;
    private static final int HEIGHT = 24;

    private static final int N_COUNT = 0;
    private static final int N_LEAF = 4;
    private static final int N_CAPACITY = 5;
    private static final int N_PREV = 8;
    private static final int N_NEXT = 16;
    private static final int N_SLOTS = 24;
    private static final int SLOT = 24;
    private static final int MAX_HEIGHT = 40;

    private IdTree() {
    }

    /** @return the size of a node block with {@code capacity} slots */
    static long nodeSize(int capacity) {
        return N_SLOTS + (long) SLOT * capacity;
    }

    /** Creates an empty tree. */
    public static long create(SlabAllocator allocator) {
        long header = allocator.allocate(HEADER_SIZE);
        long root = newNode(allocator, true, MIN_CAPACITY);
        NativeMemory.putLong(header + ROOT, root);
        NativeMemory.putLong(header + COUNT, 0);
        NativeMemory.putLong(header + NODE_BYTES, nodeSize(MIN_CAPACITY));
        NativeMemory.putInt(header + HEIGHT, 1);
        NativeMemory.putInt(header + HEIGHT + 4, 0);
        return header;
    }

    private static long newNode(SlabAllocator allocator, boolean leaf, int capacity) {
        long node = allocator.allocate(nodeSize(capacity));
        NativeMemory.putInt(node + N_COUNT, 0);
        NativeMemory.putByte(node + N_LEAF, (byte) (leaf ? 1 : 0));
        NativeMemory.putByte(node + N_CAPACITY, (byte) capacity);
        NativeMemory.putByte(node + 6, (byte) 0);
        NativeMemory.putByte(node + 7, (byte) 0);
        NativeMemory.putLong(node + N_PREV, 0);
        NativeMemory.putLong(node + N_NEXT, 0);
        return node;
    }

    /** @return the number of entries */
    public static long size(long tree) {
        return NativeMemory.getLong(tree + COUNT);
    }

    /** @return the bytes the tree's blocks take (header and nodes, as requested) */
    public static long bytes(long tree) {
        return HEADER_SIZE + NativeMemory.getLong(tree + NODE_BYTES);
    }

    // ---- node accessors

    private static int count(long node) {
        return NativeMemory.getInt(node + N_COUNT);
    }

    private static void setCount(long node, int n) {
        NativeMemory.putInt(node + N_COUNT, n);
    }

    private static boolean isLeaf(long node) {
        return NativeMemory.getByte(node + N_LEAF) != 0;
    }

    private static int capacity(long node) {
        return NativeMemory.getByte(node + N_CAPACITY) & 0xFF;
    }

    private static long slot(long node, int i) {
        return node + N_SLOTS + (long) SLOT * i;
    }

    private static long slotMs(long node, int i) {
        return NativeMemory.getLong(slot(node, i));
    }

    private static long slotSeq(long node, int i) {
        return NativeMemory.getLong(slot(node, i) + 8);
    }

    private static long slotValue(long node, int i) {
        return NativeMemory.getLong(slot(node, i) + 16);
    }

    private static void setSlot(long node, int i, long ms, long seq, long value) {
        long s = slot(node, i);
        NativeMemory.putLong(s, ms);
        NativeMemory.putLong(s + 8, seq);
        NativeMemory.putLong(s + 16, value);
    }

    private static void shift(long node, int from, int to, int n) {
        if (n > 0) {
            NativeMemory.copy(slot(node, from), slot(node, to), (long) SLOT * n);
        }
    }

    /** Unsigned id comparison. */
    public static int compare(long ms1, long seq1, long ms2, long seq2) {
        int c = Long.compareUnsigned(ms1, ms2);
        return c != 0 ? c : Long.compareUnsigned(seq1, seq2);
    }

    /** Leaf: first slot whose key is >= (ms, seq); count if none. */
    private static int lowerBound(long node, long ms, long seq) {
        int lo = 0;
        int hi = count(node);
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(slotMs(node, mid), slotSeq(node, mid), ms, seq) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Internal: the child slot to descend to for (ms, seq): the last slot >= 1 whose key <= id, else 0. */
    private static int childIndex(long node, long ms, long seq) {
        int lo = 1;
        int hi = count(node);
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(slotMs(node, mid), slotSeq(node, mid), ms, seq) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo - 1;
    }

    private static long findLeaf(long tree, long ms, long seq) {
        long node = NativeMemory.getLong(tree + ROOT);
        while (!isLeaf(node)) {
            node = slotValue(node, childIndex(node, ms, seq));
        }
        return node;
    }

    /** @return whether the tree holds {@code (ms, seq)} */
    public static boolean contains(long tree, long ms, long seq) {
        long leaf = findLeaf(tree, ms, seq);
        int i = lowerBound(leaf, ms, seq);
        return i < count(leaf) && slotMs(leaf, i) == ms && slotSeq(leaf, i) == seq;
    }

    /** @return the value of {@code (ms, seq)}, or {@code missing} when absent */
    public static long get(long tree, long ms, long seq, long missing) {
        long leaf = findLeaf(tree, ms, seq);
        int i = lowerBound(leaf, ms, seq);
        if (i < count(leaf) && slotMs(leaf, i) == ms && slotSeq(leaf, i) == seq) {
            return slotValue(leaf, i);
        }
        return missing;
    }

    /** The root-to-leaf path of an insert or remove, per thread (no allocation per XACK or delivery). */
    private static final class Scratch {
        final long[] path = new long[MAX_HEIGHT + 1];
        final int[] index = new int[MAX_HEIGHT];
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /**
     * Walks from the root to the leaf where {@code (ms, seq)} belongs: {@code path[i]} and
     * {@code index[i]} are the inner node and child slot taken at depth {@code i}, and
     * {@code path[depth]} is the leaf.
     *
     * @return the leaf's depth
     */
    private static int descend(long tree, long ms, long seq, long[] path, int[] index) {
        int depth = 0;
        long node = NativeMemory.getLong(tree + ROOT);
        while (!isLeaf(node)) {
            int c = childIndex(node, ms, seq);
            path[depth] = node;
            index[depth] = c;
            depth++;
            node = slotValue(node, c);
        }
        path[depth] = node;
        return depth;
    }

    /**
     * Inserts {@code (ms, seq) -> value} if absent.
     *
     * @return whether it was inserted (false: present, unchanged)
     */
    public static boolean insert(SlabAllocator allocator, long tree, long ms, long seq, long value) {
        Scratch sc = SCRATCH.get();
        long[] path = sc.path;
        int[] index = sc.index;
        int depth = descend(tree, ms, seq, path, index);
        long node = path[depth];
        int pos = lowerBound(node, ms, seq);
        int n = count(node);
        if (pos < n && slotMs(node, pos) == ms && slotSeq(node, pos) == seq) {
            return false;
        }
        NativeMemory.putLong(tree + COUNT, size(tree) + 1);
        if (n < capacity(node)) {
            shift(node, pos, pos + 1, n - pos);
            setSlot(node, pos, ms, seq, value);
            setCount(node, n + 1);
            return true;
        }
        if (depth == 0 && capacity(node) < FANOUT) {
            int cap = capacity(node);
            int grown = Math.min(FANOUT, cap * 2);
            long moved = allocator.reallocate(node, nodeSize(cap), nodeSize(grown));
            NativeMemory.putByte(moved + N_CAPACITY, (byte) grown);
            addNodeBytes(tree, nodeSize(grown) - nodeSize(cap));
            NativeMemory.putLong(tree + ROOT, moved);
            shift(moved, pos, pos + 1, n - pos);
            setSlot(moved, pos, ms, seq, value);
            setCount(moved, n + 1);
            return true;
        }
        // split a full leaf: the upper half moves to a new right sibling
        long right = newNode(allocator, true, FANOUT);
        addNodeBytes(tree, nodeSize(FANOUT));
        // an append (ids mostly arrive in order) leaves the left node full; otherwise split evenly
        int keep = pos == n ? n : (n + 1) / 2;
        splitInsert(node, right, n, keep, pos, ms, seq, value);
        long next = NativeMemory.getLong(node + N_NEXT);
        NativeMemory.putLong(right + N_PREV, node);
        NativeMemory.putLong(right + N_NEXT, next);
        NativeMemory.putLong(node + N_NEXT, right);
        if (next != 0) {
            NativeMemory.putLong(next + N_PREV, right);
        }
        // push the new node up
        long newChild = right;
        while (true) {
            long sepMs = slotMs(newChild, 0);
            long sepSeq = slotSeq(newChild, 0);
            if (depth == 0) {
                long oldRoot = NativeMemory.getLong(tree + ROOT);
                long root = newNode(allocator, false, FANOUT);
                addNodeBytes(tree, nodeSize(FANOUT));
                setSlot(root, 0, slotMs(oldRoot, 0), slotSeq(oldRoot, 0), oldRoot);
                setSlot(root, 1, sepMs, sepSeq, newChild);
                setCount(root, 2);
                NativeMemory.putLong(tree + ROOT, root);
                NativeMemory.putInt(tree + HEIGHT, NativeMemory.getInt(tree + HEIGHT) + 1);
                return true;
            }
            depth--;
            long parent = path[depth];
            int at = index[depth] + 1;
            int pn = count(parent);
            if (pn < FANOUT) {
                shift(parent, at, at + 1, pn - at);
                setSlot(parent, at, sepMs, sepSeq, newChild);
                setCount(parent, pn + 1);
                return true;
            }
            long sibling = newNode(allocator, false, FANOUT);
            addNodeBytes(tree, nodeSize(FANOUT));
            splitInsert(parent, sibling, pn, at == pn ? pn : (pn + 1) / 2, at, sepMs, sepSeq, newChild);
            newChild = sibling;
        }
    }

    /**
     * Distributes the {@code n} full slots of {@code node} plus a new slot at {@code pos} so that
     * {@code node} keeps the first {@code keep} of the {@code n + 1} and {@code right} the rest.
     */
    private static void splitInsert(long node, long right, int n, int keep, int pos, long ms, long seq, long value) {
        int total = n + 1;
        if (pos < keep) {
            // new slot goes left; slots keep-1 .. n-1 move right
            shift0(node, keep - 1, right, 0, n - (keep - 1));
            shift(node, pos, pos + 1, keep - 1 - pos);
            setSlot(node, pos, ms, seq, value);
        } else {
            int rpos = pos - keep;
            shift0(node, keep, right, 0, pos - keep);
            shift0(node, pos, right, rpos + 1, n - pos);
            setSlot(right, rpos, ms, seq, value);
        }
        setCount(node, keep);
        setCount(right, total - keep);
    }

    private static void shift0(long from, int fi, long to, int ti, int n) {
        if (n > 0) {
            NativeMemory.copy(slot(from, fi), slot(to, ti), (long) SLOT * n);
        }
    }

    private static void addNodeBytes(long tree, long delta) {
        NativeMemory.putLong(tree + NODE_BYTES, NativeMemory.getLong(tree + NODE_BYTES) + delta);
    }

    /**
     * Removes {@code (ms, seq)}.
     *
     * @return its value, or {@code missing} when absent (the tree is unchanged)
     */
    public static long remove(SlabAllocator allocator, long tree, long ms, long seq, long missing) {
        Scratch sc = SCRATCH.get();
        long[] path = sc.path;
        int[] index = sc.index;
        int depth = descend(tree, ms, seq, path, index);
        long node = path[depth];
        int n = count(node);
        int pos = lowerBound(node, ms, seq);
        if (pos >= n || slotMs(node, pos) != ms || slotSeq(node, pos) != seq) {
            return missing;
        }
        long value = slotValue(node, pos);
        NativeMemory.putLong(tree + COUNT, size(tree) - 1);
        shift(node, pos + 1, pos, n - pos - 1);
        setCount(node, n - 1);
        if (n - 1 > 0 || depth == 0) {
            return value;
        }
        // the leaf is empty and not the root: unlink and free it, then prune upwards
        long prev = NativeMemory.getLong(node + N_PREV);
        long next = NativeMemory.getLong(node + N_NEXT);
        if (prev != 0) {
            NativeMemory.putLong(prev + N_NEXT, next);
        }
        if (next != 0) {
            NativeMemory.putLong(next + N_PREV, prev);
        }
        freeNode(allocator, tree, node);
        while (depth > 0) {
            depth--;
            long parent = path[depth];
            int c = index[depth];
            int pn = count(parent);
            shift(parent, c + 1, c, pn - c - 1);
            setCount(parent, pn - 1);
            if (pn - 1 > 0) {
                break;
            }
            if (depth == 0) {
                break; // unreachable: the root keeps at least one child (collapsed below)
            }
            freeNode(allocator, tree, parent);
        }
        // collapse a root with a single child
        long root = NativeMemory.getLong(tree + ROOT);
        while (!isLeaf(root) && count(root) == 1) {
            long child = slotValue(root, 0);
            freeNode(allocator, tree, root);
            NativeMemory.putLong(tree + ROOT, child);
            NativeMemory.putInt(tree + HEIGHT, NativeMemory.getInt(tree + HEIGHT) - 1);
            root = child;
        }
        return value;
    }

    private static void freeNode(SlabAllocator allocator, long tree, long node) {
        long size = nodeSize(capacity(node));
        allocator.free(node, size);
        addNodeBytes(tree, -size);
    }

    /** Frees every block of the tree. */
    public static void release(SlabAllocator allocator, long tree) {
        releaseNode(allocator, NativeMemory.getLong(tree + ROOT));
        allocator.free(tree, HEADER_SIZE);
    }

    private static void releaseNode(SlabAllocator allocator, long node) {
        if (!isLeaf(node)) {
            for (int i = 0, n = count(node); i < n; i++) {
                releaseNode(allocator, slotValue(node, i));
            }
        }
        allocator.free(node, nodeSize(capacity(node)));
    }

    /** Maps a value during {@link #copy}. */
    @FunctionalInterface
    public interface ValueMapper {
        long map(long value);
    }

    /**
     * Deep-copies the tree into {@code to}, mapping each value with {@code mapper} (e.g. to copy
     * the blocks the values point to).
     *
     * @return the copy's header
     */
    public static long copy(long tree, SlabAllocator to, ValueMapper mapper) {
        long header = to.allocate(HEADER_SIZE);
        NativeMemory.copy(tree, header, HEADER_SIZE);
        long[] lastLeaf = new long[1];
        NativeMemory.putLong(header + ROOT, copyNode(NativeMemory.getLong(tree + ROOT), to, mapper, lastLeaf));
        return header;
    }

    private static long copyNode(long node, SlabAllocator to, ValueMapper mapper, long[] lastLeaf) {
        int cap = capacity(node);
        long copy = to.allocate(nodeSize(cap));
        int n = count(node);
        NativeMemory.copy(node, copy, nodeSize(cap) - (long) SLOT * (cap - n));
        if (isLeaf(node)) {
            for (int i = 0; i < n; i++) {
                NativeMemory.putLong(slot(copy, i) + 16, mapper.map(slotValue(node, i)));
            }
            NativeMemory.putLong(copy + N_PREV, lastLeaf[0]);
            NativeMemory.putLong(copy + N_NEXT, 0);
            if (lastLeaf[0] != 0) {
                NativeMemory.putLong(lastLeaf[0] + N_NEXT, copy);
            }
            lastLeaf[0] = copy;
        } else {
            for (int i = 0; i < n; i++) {
                NativeMemory.putLong(slot(copy, i) + 16, copyNode(slotValue(node, i), to, mapper, lastLeaf));
            }
        }
        return copy;
    }

    /**
     * Checks the tree's structure (uniform height, order, bounds, counts, the leaf chain, the byte
     * count) and reports its blocks. For integrity checks; allocates.
     *
     * @throws IllegalStateException describing the first problem found
     */
    public static void verify(long tree, BlockVisitor blocks) {
        blocks.block(tree, HEADER_SIZE);
        int height = NativeMemory.getInt(tree + HEIGHT);
        if (height < 1 || height > MAX_HEIGHT) {
            throw new IllegalStateException("IdTree: bad height " + height);
        }
        long[] state = new long[5]; // entries, node bytes, last leaf, last ms, last seq; + flag below
        boolean[] seen = new boolean[1];
        verifyNode(NativeMemory.getLong(tree + ROOT), height, true, 0, 0, false, state, seen, blocks);
        if (state[0] != size(tree)) {
            throw new IllegalStateException("IdTree: count " + size(tree) + " but " + state[0] + " entries");
        }
        if (state[1] != NativeMemory.getLong(tree + NODE_BYTES)) {
            throw new IllegalStateException("IdTree: node bytes " + NativeMemory.getLong(tree + NODE_BYTES)
                + " but nodes take " + state[1]);
        }
        if (state[2] != 0 && NativeMemory.getLong(state[2] + N_NEXT) != 0) {
            throw new IllegalStateException("IdTree: last leaf has a next");
        }
    }

    private static void verifyNode(long node, int level, boolean root, long loMs, long loSeq, boolean hasLo,
                                   long[] state, boolean[] seen, BlockVisitor blocks) {
        int cap = capacity(node);
        int n = count(node);
        if (cap < 1 || cap > FANOUT || n < 0 || n > cap) {
            throw new IllegalStateException("IdTree: node count " + n + " capacity " + cap);
        }
        if (!root && cap != FANOUT) {
            throw new IllegalStateException("IdTree: non-root node of capacity " + cap);
        }
        if (n == 0 && !(root && level == 1)) {
            throw new IllegalStateException("IdTree: empty node");
        }
        blocks.block(node, nodeSize(cap));
        state[1] += nodeSize(cap);
        if (isLeaf(node) != (level == 1)) {
            throw new IllegalStateException("IdTree: leaf at the wrong level");
        }
        if (level == 1) {
            if (NativeMemory.getLong(node + N_PREV) != state[2]) {
                throw new IllegalStateException("IdTree: broken leaf chain (prev)");
            }
            if (state[2] != 0 && NativeMemory.getLong(state[2] + N_NEXT) != node) {
                throw new IllegalStateException("IdTree: broken leaf chain (next)");
            }
            state[2] = node;
            for (int i = 0; i < n; i++) {
                long ms = slotMs(node, i);
                long seq = slotSeq(node, i);
                if (seen[0] && compare(state[3], state[4], ms, seq) >= 0) {
                    throw new IllegalStateException("IdTree: ids out of order at " + Long.toUnsignedString(ms) + "-"
                        + Long.toUnsignedString(seq));
                }
                if (hasLo && compare(ms, seq, loMs, loSeq) < 0) {
                    throw new IllegalStateException("IdTree: id below its separator");
                }
                seen[0] = true;
                state[3] = ms;
                state[4] = seq;
            }
            state[0] += n;
            return;
        }
        if (n < 1 || (root && n < 2)) {
            throw new IllegalStateException("IdTree: internal node with " + n + " children");
        }
        for (int i = 0; i < n; i++) {
            long ms = slotMs(node, i);
            long seq = slotSeq(node, i);
            boolean childHasLo = i > 0 || hasLo;
            long cms = i > 0 ? ms : loMs;
            long cseq = i > 0 ? seq : loSeq;
            if (i > 0 && seen[0] && compare(state[3], state[4], ms, seq) >= 0) {
                throw new IllegalStateException("IdTree: separator not above the previous subtree");
            }
            verifyNode(slotValue(node, i), level - 1, false, cms, cseq, childHasLo, state, seen, blocks);
        }
    }

    /**
     * A position in a tree: a leaf and a slot. Iterates both ways along the leaf chain; one object
     * per iteration, none per entry.
     */
    public static final class Cursor {
        private long leaf;
        private int index;

        /** @return whether the cursor is on an entry */
        public boolean valid() {
            return leaf != 0;
        }

        public long ms() {
            return slotMs(leaf, index);
        }

        public long seq() {
            return slotSeq(leaf, index);
        }

        public long value() {
            return slotValue(leaf, index);
        }

        /** Replaces the current entry's value (the tree stays valid). */
        public void setValue(long value) {
            NativeMemory.putLong(slot(leaf, index) + 16, value);
        }

        /** Moves to the first entry (invalid when empty). */
        public Cursor first(long tree) {
            long node = NativeMemory.getLong(tree + ROOT);
            while (!isLeaf(node)) {
                node = slotValue(node, 0);
            }
            leaf = node;
            index = 0;
            if (count(node) == 0) {
                leaf = 0;
            }
            return this;
        }

        /** Moves to the last entry (invalid when empty). */
        public Cursor last(long tree) {
            long node = NativeMemory.getLong(tree + ROOT);
            while (!isLeaf(node)) {
                node = slotValue(node, count(node) - 1);
            }
            leaf = node;
            index = count(node) - 1;
            if (index < 0) {
                leaf = 0;
            }
            return this;
        }

        /** Moves to the first entry with an id {@code >= (ms, seq)}. */
        public Cursor seekGe(long tree, long ms, long seq) {
            long node = findLeaf(tree, ms, seq);
            int i = lowerBound(node, ms, seq);
            leaf = node;
            index = i;
            if (i >= count(node)) {
                index = count(node) - 1;
                next();
            }
            return this;
        }

        /** Moves to the last entry with an id {@code <= (ms, seq)}. */
        public Cursor seekLe(long tree, long ms, long seq) {
            long node = findLeaf(tree, ms, seq);
            int i = lowerBound(node, ms, seq);
            leaf = node;
            if (i < count(node) && slotMs(node, i) == ms && slotSeq(node, i) == seq) {
                index = i;
            } else {
                index = i;
                previous();
            }
            return this;
        }

        /** Steps to the next entry (invalid past the last). */
        public Cursor next() {
            index++;
            while (leaf != 0 && index >= count(leaf)) {
                leaf = NativeMemory.getLong(leaf + N_NEXT);
                index = 0;
            }
            return this;
        }

        /** Steps to the previous entry (invalid before the first). */
        public Cursor previous() {
            index--;
            while (leaf != 0 && index < 0) {
                leaf = NativeMemory.getLong(leaf + N_PREV);
                index = leaf == 0 ? 0 : count(leaf) - 1;
            }
            return this;
        }
    }
}
