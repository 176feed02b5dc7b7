package io.redjar.internal.structure;

import static io.redjar.internal.structure.QuicklistDescriptor.NODE_SIZE;
import static io.redjar.internal.structure.QuicklistDescriptor.ROOT_SIZE;
import static io.redjar.internal.structure.QuicklistDescriptor.count;
import static io.redjar.internal.structure.QuicklistDescriptor.fill;
import static io.redjar.internal.structure.QuicklistDescriptor.head;
import static io.redjar.internal.structure.QuicklistDescriptor.len;
import static io.redjar.internal.structure.QuicklistDescriptor.lp;
import static io.redjar.internal.structure.QuicklistDescriptor.next;
import static io.redjar.internal.structure.QuicklistDescriptor.nodeCount;
import static io.redjar.internal.structure.QuicklistDescriptor.prev;
import static io.redjar.internal.structure.QuicklistDescriptor.setCount;
import static io.redjar.internal.structure.QuicklistDescriptor.setHead;
import static io.redjar.internal.structure.QuicklistDescriptor.setLen;
import static io.redjar.internal.structure.QuicklistDescriptor.setLp;
import static io.redjar.internal.structure.QuicklistDescriptor.setNext;
import static io.redjar.internal.structure.QuicklistDescriptor.setNodeCount;
import static io.redjar.internal.structure.QuicklistDescriptor.setPrev;
import static io.redjar.internal.structure.QuicklistDescriptor.setTail;
import static io.redjar.internal.structure.QuicklistDescriptor.tail;

import io.redjar.internal.memory.NativeMemory;
import io.redjar.internal.memory.SlabAllocator;

import java.util.ArrayList;
import java.util.List;

/**
 * Operations on a quicklist: Redis 7.0's list encoding, a doubly linked list of {@link Listpack}
 * nodes, laid out as {@link QuicklistDescriptor} describes.
 *
 * <p>Design: static methods over the root block's address, which never moves (nodes and
 * listpacks move; the root is a fixed 32-byte block), so a list entry's value bytes are written
 * once at creation. Elements are found by index, or walked with a {@link Cursor} (one small heap
 * object per operation, not per element).
 *
 * <p>Node sizing follows {@code quicklist.c}: a node accepts an element when
 * {@code _quicklistNodeAllowInsert} would (negative fill: the listpack stays within 4/8/16/32/64
 * KiB; positive fill: at most that many entries, and never past the 8 KiB safety limit). Inserting
 * into the middle of a full node splits it ({@code _quicklistSplitNode}) and then tries the merges
 * of {@code _quicklistMergeNodes}; deletes drop emptied nodes and never merge (as in Redis).
 * Replacing an element rewrites it in place in its node (Redis 7.0's {@code lpReplace}), so a node
 * may then exceed its size target until it is next split or emptied. None of this affects any
 * reply; it only decides how elements are packed. Interior nodes are LZF-compressed when the list
 * was created with a compress depth ({@link QuicklistCompression}: changing operations make their
 * nodes raw and settle the layout before returning; cursors read compressed nodes through a scratch
 * copy, see {@link QuicklistCompression#view}). Not implemented: "plain" nodes for elements of 1 GiB and more (larger than
 * {@code proto-max-bulk-len} allows).
 *
 * <p><b>Thread-safety:</b> not thread-safe; a quicklist belongs to one shard and is used under its
 * lock.
 */
public final class Quicklist {
    /** {@code optimization_level}: the byte limits of fill -1..-5. */
    private static final int[] OPTIMIZATION_LEVEL = {4096, 8192, 16384, 32768, 65536};
    /** {@code SIZE_SAFETY_LIMIT}. */
    private static final int SIZE_SAFETY_LIMIT = 8192;

    private Quicklist() {
    }

    /**
     * A position in a quicklist, moving in one direction. Valid until the quicklist is written
     * other than through this cursor.
     */
    public static final class Cursor {
        final long ql;
        final boolean forward;
        long node;
        int pos;
        int offset;

        Cursor(long ql, boolean forward, long node, int pos, int offset) {
            this.ql = ql;
            this.forward = forward;
            this.node = node;
            this.pos = pos;
            this.offset = offset;
        }

        /** @return whether the cursor is on an element */
        public boolean valid() {
            return node != 0;
        }

        /** @return the current element's string form (a new array) */
        public byte[] value() {
            return Listpack.get(view(node), pos);
        }

        /** @return whether the current element equals {@code b} */
        public boolean equalsValue(byte[] b) {
            return Listpack.equals(view(node), pos, b, 0, b.length);
        }

        /** @return {@code n}'s listpack to read (a scratch copy for a compressed node) */
        long view(long n) {
            return QuicklistCompression.view(n);
        }

        /** Moves to the next element in the cursor's direction; @return whether there is one. */
        public boolean advance() {
            long lp = view(node);
            if (forward) {
                int p = Listpack.next(lp, pos);
                if (p >= 0) {
                    pos = p;
                    offset++;
                    return true;
                }
                node = next(node);
                if (node == 0) {
                    return false;
                }
                pos = Listpack.first(view(node));
                offset = 0;
                return true;
            }
            int p = Listpack.prev(lp, pos);
            if (p >= 0) {
                pos = p;
                offset--;
                return true;
            }
            node = prev(node);
            if (node == 0) {
                return false;
            }
            pos = Listpack.last(view(node));
            offset = nodeCount(node) - 1;
            return true;
        }
    }

    // ---------------------------------------------------------------- lifecycle

    /** @return a new empty quicklist with {@code fill} ({@code list-max-listpack-size}), no compression */
    public static long create(SlabAllocator a, int fill) {
        return create(a, fill, 0);
    }

    /**
     * @param fill  {@code list-max-listpack-size} (clamped to -5..32767 as Redis does)
     * @param depth {@code list-compress-depth} (clamped to 0..65535; 0 = no compression)
     * @return a new empty quicklist
     */
    public static long create(SlabAllocator a, int fill, int depth) {
        long ql = a.allocate(ROOT_SIZE);
        NativeMemory.fill(ql, ROOT_SIZE, (byte) 0);
        QuicklistDescriptor.setOptions(ql, fill, depth);
        return ql;
    }

    /** Frees the root, every node and every listpack. */
    public static void free(SlabAllocator a, long ql) {
        long n = head(ql);
        while (n != 0) {
            long nx = next(n);
            QuicklistCompression.freeBlock(a, n);
            a.free(n, NODE_SIZE);
            n = nx;
        }
        a.free(ql, ROOT_SIZE);
    }

    /** @return a deep copy of {@code ql} allocated from {@code to} (Redis's {@code quicklistDup}) */
    public static long copy(long ql, SlabAllocator to) {
        long c = create(to, fill(ql), QuicklistDescriptor.depth(ql));
        for (long n = head(ql); n != 0; n = next(n)) {
            int bytes = QuicklistCompression.blockBytes(n); // a compressed node is copied compressed
            long block = to.allocate(bytes);
            NativeMemory.copy(lp(n), block, bytes);
            long nn = newNode(to, block, nodeCount(n));
            QuicklistDescriptor.setFlags(nn, QuicklistDescriptor.flags(n) & QuicklistDescriptor.F_LZF);
            insertNode(c, tail(c), nn, true);
        }
        setCount(c, count(ql));
        return c;
    }

    /** @return the number of elements */
    public static long length(long ql) {
        return count(ql);
    }

    /** @return the number of nodes */
    public static int nodes(long ql) {
        return len(ql);
    }

    // ---------------------------------------------------------------- push / pop

    /** LPUSH / RPUSH of one element ({@code quicklistPushHead} / {@code quicklistPushTail}). */
    public static void push(SlabAllocator a, long ql, byte[] v, boolean atHead) {
        long n = atHead ? head(ql) : tail(ql);
        if (allowInsert(n, fill(ql), v.length)) {
            long cur = QuicklistCompression.raw(a, ql, n);
            long lp = atHead ? Listpack.prepend(a, cur, v, 0, v.length) : Listpack.append(a, cur, v);
            setLp(n, lp);
            setNodeCount(n, nodeCount(n) + 1);
        } else {
            long lp = Listpack.append(a, Listpack.create(a), v);
            insertNode(ql, n, newNode(a, ql, lp, 1), !atHead);
        }
        setCount(ql, count(ql) + 1);
        QuicklistCompression.settle(a, ql);
    }

    /** Removes and returns the first (or last) element; null when empty. */
    public static byte[] pop(SlabAllocator a, long ql, boolean atHead) {
        long n = atHead ? head(ql) : tail(ql);
        if (n == 0) {
            return null;
        }
        long lp = QuicklistCompression.raw(a, ql, n);
        int pos = atHead ? Listpack.first(lp) : Listpack.last(lp);
        byte[] v = Listpack.get(lp, pos);
        deleteAt(a, ql, n, pos);
        QuicklistCompression.settle(a, ql);
        return v;
    }

    // ---------------------------------------------------------------- by index

    /**
     * Redis's {@code quicklistGetIteratorAtIdx}: a cursor on element {@code index} (negative from the
     * tail), walking from the nearer end.
     *
     * @param forward the direction the cursor will then move in
     * @return the cursor, or null when out of range
     */
    public static Cursor seek(long ql, long index, boolean forward) {
        long total = count(ql);
        long abs;
        if (index >= 0) {
            if (index >= total) {
                return null;
            }
            abs = index;
        } else {
            long back = -(index + 1); // no overflow for Long.MIN_VALUE
            if (back >= total) {
                return null;
            }
            abs = total - 1 - back;
        }
        long n;
        int offset;
        if (abs <= (total - 1) / 2) {
            long accum = 0;
            n = head(ql);
            while (accum + nodeCount(n) <= abs) {
                accum += nodeCount(n);
                n = next(n);
            }
            offset = (int) (abs - accum);
        } else {
            long rem = total - 1 - abs;
            long accum = 0;
            n = tail(ql);
            while (accum + nodeCount(n) <= rem) {
                accum += nodeCount(n);
                n = prev(n);
            }
            offset = nodeCount(n) - 1 - (int) (rem - accum);
        }
        Cursor c = new Cursor(ql, forward, n, 0, offset);
        c.pos = Listpack.seek(c.view(n), offset);
        return c;
    }

    /** @return the element at {@code index} (negative from the tail), or null */
    public static byte[] get(long ql, long index) {
        Cursor c = seek(ql, index, true);
        return c == null ? null : c.value();
    }

    /** Replaces the element at {@code index}; @return false when out of range. */
    public static boolean replace(SlabAllocator a, long ql, long index, byte[] v) {
        Cursor c = seek(ql, index, true);
        if (c == null) {
            return false;
        }
        setLp(c.node, Listpack.replace(a, QuicklistCompression.raw(a, ql, c.node), c.pos, v, 0, v.length));
        QuicklistCompression.settle(a, ql);
        return true;
    }

    /**
     * @param from    index of the first element returned (normalised, in range)
     * @param n       how many (at most to the end in the direction)
     * @param forward head-to-tail, or tail-to-head from {@code from}
     * @return the elements
     */
    public static List<byte[]> range(long ql, long from, long n, boolean forward) {
        List<byte[]> out = new ArrayList<>((int) Math.min(n, 1024));
        Cursor c = seek(ql, from, forward);
        for (long i = 0; i < n && c != null && c.valid(); i++) {
            out.add(c.value());
            if (!c.advance()) {
                break;
            }
        }
        return out;
    }

    /** Redis's {@code quicklistDelRange}: deletes up to {@code n} elements from {@code start}. */
    public static void deleteRange(SlabAllocator a, long ql, long start, long n) {
        if (n <= 0) {
            return;
        }
        long total = count(ql);
        long extent = n;
        if (start >= 0 && extent > total - start) {
            extent = total - start;
        } else if (start < 0 && extent > -start) {
            extent = -start;
        }
        Cursor c = seek(ql, start, true);
        if (c == null) {
            return;
        }
        long node = c.node;
        int offset = c.offset;
        while (extent > 0) {
            long nx = next(node);
            int nc = nodeCount(node);
            long del;
            if (offset == 0 && extent >= nc) {
                del = nc;
                removeNode(a, ql, node);
                setCount(ql, count(ql) - nc);
            } else {
                del = Math.min(extent, nc - offset);
                setLp(node, Listpack.deleteRange(a, QuicklistCompression.raw(a, ql, node), offset, del));
                setNodeCount(node, nc - (int) del);
                setCount(ql, count(ql) - del);
            }
            extent -= del;
            node = nx;
            offset = 0;
        }
        QuicklistCompression.settle(a, ql);
    }

    // ---------------------------------------------------------------- at a cursor

    /**
     * Deletes the cursor's element ({@code quicklistDelEntry}) and moves the cursor to the element
     * that follows in its direction.
     *
     * @return whether there is one
     */
    public static boolean deleteAndAdvance(SlabAllocator a, Cursor c) {
        QuicklistCompression.raw(a, c.ql, c.node); // the listpack changes: make it raw first
        boolean more = deleteAndAdvance0(a, c);
        QuicklistCompression.settle(a, c.ql); // may compress the cursor's node: it reads through view()
        return more;
    }

    private static boolean deleteAndAdvance0(SlabAllocator a, Cursor c) {
        long node = c.node;
        long nextNode = next(node);
        long prevNode = prev(node);
        if (deleteAt(a, c.ql, node, c.pos)) {
            c.node = c.forward ? nextNode : prevNode;
            if (c.node == 0) {
                return false;
            }
            long lp = c.view(c.node);
            c.pos = c.forward ? Listpack.first(lp) : Listpack.last(lp);
            c.offset = c.forward ? 0 : nodeCount(c.node) - 1;
            return true;
        }
        long lp = lp(node);
        if (c.forward) {
            if (Listpack.isEnd(lp, c.pos)) {
                c.node = nextNode;
                if (nextNode == 0) {
                    return false;
                }
                c.pos = Listpack.first(c.view(nextNode));
                c.offset = 0;
            }
            return true;
        }
        int p = Listpack.prev(lp, c.pos);
        if (p >= 0) {
            c.pos = p;
            c.offset--;
            return true;
        }
        c.node = prevNode;
        if (prevNode == 0) {
            return false;
        }
        c.pos = Listpack.last(c.view(prevNode));
        c.offset = nodeCount(prevNode) - 1;
        return true;
    }

    /**
     * Inserts {@code v} before or after the cursor's element (Redis's {@code _quicklistInsert}:
     * into the node when it has room, else into the neighbour at an edge, else a new node at an
     * edge, else split the node and try merging around it). The cursor is invalid afterwards.
     */
    public static void insert(SlabAllocator a, Cursor c, byte[] v, boolean after) {
        long ql = c.ql;
        int fill = fill(ql);
        long node = c.node;
        int sz = v.length;
        int cnt = nodeCount(node);
        boolean full = !allowInsert(node, fill, sz);
        boolean atTail = false;
        boolean atHead = false;
        boolean availNext = false;
        boolean availPrev = false;
        if (after && c.offset == cnt - 1) {
            atTail = true;
            availNext = allowInsert(next(node), fill, sz);
        }
        if (!after && c.offset == 0) {
            atHead = true;
            availPrev = allowInsert(prev(node), fill, sz);
        }
        if (!full) {
            long lp = QuicklistCompression.raw(a, ql, node);
            lp = after ? Listpack.insertAfter(a, lp, c.pos, v, 0, sz) : Listpack.insertBefore(a, lp, c.pos, v, 0, sz);
            setLp(node, lp);
            setNodeCount(node, cnt + 1);
        } else if (atTail && availNext) {
            long nn = next(node);
            setLp(nn, Listpack.prepend(a, QuicklistCompression.raw(a, ql, nn), v, 0, sz));
            setNodeCount(nn, nodeCount(nn) + 1);
        } else if (atHead && availPrev) {
            long pn = prev(node);
            setLp(pn, Listpack.append(a, QuicklistCompression.raw(a, ql, pn), v));
            setNodeCount(pn, nodeCount(pn) + 1);
        } else if (atTail || atHead) {
            long lp = Listpack.append(a, Listpack.create(a), v);
            insertNode(ql, node, newNode(a, ql, lp, 1), after);
        } else {
            long nn = split(a, ql, node, c.offset, after);
            long lp = lp(nn);
            lp = after ? Listpack.prepend(a, lp, v, 0, sz) : Listpack.append(a, lp, v);
            setLp(nn, lp);
            setNodeCount(nn, nodeCount(nn) + 1);
            insertNode(ql, node, nn, after);
            mergeAround(a, ql, node);
        }
        setCount(ql, count(ql) + 1);
        c.node = 0;
        QuicklistCompression.settle(a, ql);
    }

    // ---------------------------------------------------------------- internals

    private static long newNode(SlabAllocator a, long lp, int count) {
        long n = a.allocate(NODE_SIZE);
        NativeMemory.fill(n, NODE_SIZE, (byte) 0);
        setLp(n, lp);
        setNodeCount(n, count);
        return n;
    }

    /** A new raw node of {@code ql}, recorded for compression when it settles. */
    private static long newNode(SlabAllocator a, long ql, long lp, int count) {
        long n = newNode(a, lp, count);
        QuicklistCompression.added(ql, n);
        return n;
    }

    /** {@code __quicklistInsertNode}: links {@code n} after (or before) {@code old} (0 when empty). */
    private static void insertNode(long ql, long old, long n, boolean after) {
        if (after) {
            setPrev(n, old);
            if (old != 0) {
                long on = next(old);
                setNext(n, on);
                if (on != 0) {
                    setPrev(on, n);
                }
                setNext(old, n);
            }
            if (tail(ql) == old) {
                setTail(ql, n);
            }
        } else {
            setNext(n, old);
            if (old != 0) {
                long op = prev(old);
                setPrev(n, op);
                if (op != 0) {
                    setNext(op, n);
                }
                setPrev(old, n);
            }
            if (head(ql) == old) {
                setHead(ql, n);
            }
        }
        if (len(ql) == 0) {
            setHead(ql, n);
            setTail(ql, n);
        }
        setLen(ql, len(ql) + 1);
    }

    /** Unlinks and frees a node with its listpack (the element count is the caller's business). */
    private static void removeNode(SlabAllocator a, long ql, long n) {
        long p = prev(n);
        long nx = next(n);
        if (p != 0) {
            setNext(p, nx);
        } else {
            setHead(ql, nx);
        }
        if (nx != 0) {
            setPrev(nx, p);
        } else {
            setTail(ql, p);
        }
        setLen(ql, len(ql) - 1);
        QuicklistCompression.removed(ql, n);
        QuicklistCompression.freeBlock(a, n);
        a.free(n, NODE_SIZE);
    }

    /** {@code quicklistDelIndex}: deletes one element; @return whether its node was removed. */
    private static boolean deleteAt(SlabAllocator a, long ql, long node, int pos) {
        setCount(ql, count(ql) - 1);
        int nc = nodeCount(node) - 1;
        if (nc == 0) {
            removeNode(a, ql, node);
            return true;
        }
        setLp(node, Listpack.delete(a, QuicklistCompression.raw(a, ql, node), pos));
        setNodeCount(node, nc);
        return false;
    }

    /** {@code _quicklistNodeSizeMeetsOptimizationRequirement}. */
    private static boolean meetsOptimization(long sz, int fill) {
        if (fill >= 0) {
            return false;
        }
        long offset = -(long) fill - 1;
        return offset < OPTIMIZATION_LEVEL.length && sz <= OPTIMIZATION_LEVEL[(int) offset];
    }

    /** {@code _quicklistNodeAllowInsert}. */
    static boolean allowInsert(long node, int fill, int sz) {
        if (node == 0) {
            return false;
        }
        int overhead = sz < 254 ? 1 : 5;
        overhead += sz < 64 ? 1 : sz < 16384 ? 2 : 5;
        long newSz = (long) QuicklistCompression.rawBytes(node) + sz + overhead;
        if (meetsOptimization(newSz, fill)) {
            return true;
        }
        if (newSz > SIZE_SAFETY_LIMIT) {
            return false;
        }
        return nodeCount(node) < fill;
    }

    /** {@code _quicklistNodeAllowMerge}. */
    private static boolean allowMerge(long x, long y, int fill) {
        if (x == 0 || y == 0) {
            return false;
        }
        // the merged listpack's exact size: one header and terminator fewer
        long mergeSz = (long) QuicklistCompression.rawBytes(x) + QuicklistCompression.rawBytes(y) - ListpackDescriptor.EMPTY_SIZE;
        if (meetsOptimization(mergeSz, fill)) {
            return true;
        }
        if (mergeSz > SIZE_SAFETY_LIMIT) {
            return false;
        }
        return (long) nodeCount(x) + nodeCount(y) <= fill;
    }

    /**
     * {@code _quicklistSplitNode}: {@code node} keeps [0, offset] (after) or [offset, end] (before);
     * the returned new, unlinked node holds the rest.
     */
    private static long split(SlabAllocator a, long ql, long node, int offset, boolean after) {
        long lp = QuicklistCompression.raw(a, ql, node);
        int bytes = Listpack.bytes(lp);
        long copy = a.allocate(bytes);
        NativeMemory.copy(lp, copy, bytes);
        lp = after ? Listpack.deleteRange(a, lp, offset + 1, Long.MAX_VALUE) : Listpack.deleteRange(a, lp, 0, offset);
        setLp(node, lp);
        setNodeCount(node, Listpack.length(lp));
        copy = after ? Listpack.deleteRange(a, copy, 0, offset + 1) : Listpack.deleteRange(a, copy, offset, Long.MAX_VALUE);
        return newNode(a, ql, copy, Listpack.length(copy));
    }

    /** {@code _quicklistMergeNodes}: the merges Redis tries around {@code center} after a split. */
    private static void mergeAround(SlabAllocator a, long ql, long center) {
        int fill = fill(ql);
        long prev = prev(center);
        long prevPrev = prev != 0 ? prev(prev) : 0;
        long next = next(center);
        long nextNext = next != 0 ? next(next) : 0;
        if (allowMerge(prev, prevPrev, fill)) {
            merge(a, ql, prevPrev, prev);
        }
        if (allowMerge(next, nextNext, fill)) {
            merge(a, ql, next, nextNext);
        }
        long target;
        if (allowMerge(center, prev(center), fill)) {
            target = merge(a, ql, prev(center), center);
        } else {
            target = center;
        }
        if (allowMerge(target, next(target), fill)) {
            merge(a, ql, target, next(target));
        }
    }

    /**
     * {@code _quicklistListpackMerge}: moves {@code y}'s elements (the node after {@code x}) to the
     * end of {@code x}'s listpack byte for byte, and removes {@code y}. @return {@code x}
     */
    private static long merge(SlabAllocator a, long ql, long x, long y) {
        long lx = QuicklistCompression.raw(a, ql, x);
        long ly = QuicklistCompression.raw(a, ql, y);
        int bx = Listpack.bytes(lx);
        int by = Listpack.bytes(ly);
        int entries = by - ListpackDescriptor.EMPTY_SIZE;
        int nb = bx + entries;
        lx = a.reallocate(lx, bx, nb);
        NativeMemory.copy(ly + ListpackDescriptor.HEADER_SIZE, lx + bx - 1, entries + 1L); // entries and EOF
        ListpackDescriptor.setTotalBytes(lx, nb);
        int cnt = nodeCount(x) + nodeCount(y);
        ListpackDescriptor.setNumElementsField(lx, Math.min(cnt, ListpackDescriptor.NUM_ELEMENTS_UNKNOWN));
        setLp(x, lx);
        setNodeCount(x, cnt);
        removeNode(a, ql, y);
        return x;
    }

    // ---------------------------------------------------------------- validation

    /**
     * Checks links, counts, non-empty nodes and every listpack (for tests).
     *
     * @throws IllegalStateException describing the first problem
     */
    public static void validate(long ql) {
        validate(ql, null);
    }

    /**
     * {@link #validate(long)}, also reporting the root, every node and every node's listpack to
     * {@code blocks} (may be null).
     */
    public static void validate(long ql, BlockVisitor blocks) {
        long total = 0;
        int nodes = 0;
        long p = 0;
        for (long n = head(ql); n != 0; n = next(n)) {
            if (prev(n) != p) {
                throw new IllegalStateException("bad prev link at node " + nodes);
            }
            int c = validateNode(n, nodes);
            if (c == 0) {
                throw new IllegalStateException("empty node " + nodes);
            }
            total += c;
            nodes++;
            p = n;
            if (blocks != null) {
                blocks.block(lp(n), QuicklistCompression.blockBytes(n));
                blocks.block(n, NODE_SIZE);
            }
            if (nodes > len(ql)) {
                throw new IllegalStateException("more nodes than the header's " + len(ql) + " (or a cycle)");
            }
        }
        if (blocks != null) {
            blocks.block(ql, ROOT_SIZE);
        }
        if (tail(ql) != p) {
            throw new IllegalStateException("tail is not the last node");
        }
        if (total != count(ql) || nodes != len(ql)) {
            throw new IllegalStateException("count " + count(ql) + "/" + len(ql) + " != " + total + "/" + nodes);
        }
        validateCompression(ql);
    }

    /** Validates one node's listpack (decompressed into a scratch block if needed); @return its length. */
    private static int validateNode(long n, int index) {
        long lp = lp(n);
        long scratch = 0;
        if (QuicklistDescriptor.compressed(n)) {
            int raw = QuicklistDescriptor.lzfRawBytes(n);
            int z = QuicklistDescriptor.lzfBytes(n);
            if (raw < QuicklistCompression.MIN_COMPRESS_BYTES || z <= 0 || z + QuicklistCompression.MIN_COMPRESS_IMPROVE >= raw) {
                throw new IllegalStateException("node " + index + ": bad LZF sizes " + z + "/" + raw);
            }
            scratch = NativeMemory.allocate(raw);
            lp = scratch;
        }
        try {
            if (scratch != 0) {
                QuicklistCompression.decompressInto(n, scratch);
            }
            Listpack.validate(lp, -1);
            int c = Listpack.length(lp);
            if (c != nodeCount(n)) {
                throw new IllegalStateException("node " + index + " count " + nodeCount(n) + " != listpack " + c);
            }
            return c;
        } finally {
            if (scratch != 0) {
                NativeMemory.free(scratch);
            }
        }
    }

    /**
     * The compression layout after an operation: no node within the depth from either end is
     * compressed, and every raw node beyond it could not be compressed usefully.
     */
    private static void validateCompression(long ql) {
        int depth = QuicklistDescriptor.depth(ql);
        int len = len(ql);
        int i = 0;
        for (long n = head(ql); n != 0; n = next(n), i++) {
            if ((QuicklistDescriptor.flags(n) & ~QuicklistDescriptor.F_LZF) != 0) {
                throw new IllegalStateException("node " + i + ": stray flags " + QuicklistDescriptor.flags(n));
            }
            boolean inWindow = i < depth || i >= len - depth;
            if (depth == 0 || inWindow) {
                if (QuicklistDescriptor.compressed(n)) {
                    throw new IllegalStateException("node " + i + " of " + len + " is compressed within depth " + depth);
                }
            } else if (!QuicklistDescriptor.compressed(n) && compressible(lp(n))) {
                throw new IllegalStateException("node " + i + " of " + len + " is raw beyond depth " + depth);
            }
        }
    }

    private static boolean compressible(long lp) {
        int sz = Listpack.bytes(lp);
        if (sz < QuicklistCompression.MIN_COMPRESS_BYTES || sz > QuicklistCompression.MAX_COMPRESS_BYTES) {
            return false;
        }
        byte[] in = NativeMemory.toArray(lp, sz);
        int n = io.redjar.internal.util.Lzf.compress(in, sz, new byte[sz], sz);
        return n != 0 && n + QuicklistCompression.MIN_COMPRESS_IMPROVE < sz;
    }
}
