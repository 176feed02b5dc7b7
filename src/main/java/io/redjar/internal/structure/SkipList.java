package io.redjar.internal.structure;

import io.redjar.internal.memory.NativeMemory;
import io.redjar.internal.memory.SlabAllocator;

import java.util.random.RandomGenerator;

import static io.redjar.internal.structure.SkipListDescriptor.backward;
import static io.redjar.internal.structure.SkipListDescriptor.forward;
import static io.redjar.internal.structure.SkipListDescriptor.headerLength;
import static io.redjar.internal.structure.SkipListDescriptor.headerTail;
import static io.redjar.internal.structure.SkipListDescriptor.listLevel;
import static io.redjar.internal.structure.SkipListDescriptor.memberAddress;
import static io.redjar.internal.structure.SkipListDescriptor.memberLength;
import static io.redjar.internal.structure.SkipListDescriptor.score;
import static io.redjar.internal.structure.SkipListDescriptor.setBackward;
import static io.redjar.internal.structure.SkipListDescriptor.setForward;
import static io.redjar.internal.structure.SkipListDescriptor.setHeaderLength;
import static io.redjar.internal.structure.SkipListDescriptor.setHeaderTail;
import static io.redjar.internal.structure.SkipListDescriptor.setListLevel;
import static io.redjar.internal.structure.SkipListDescriptor.setSpan;
import static io.redjar.internal.structure.SkipListDescriptor.span;

/**
 * Redis's sorted-set skip list ({@code zskiplist} in {@code t_zset.c}) in native memory: nodes
 * ordered by score, then by member bytes as unsigned {@code memcmp} ({@code sdscmp}), with a span
 * on every link so that rank and element-by-rank are O(log n).
 *
 * <p>Design: this object holds no list; it is the per-shard set of operations plus the scratch
 * arrays ({@code update[]}, {@code rank[]}) that Redis keeps on the C stack, so no operation
 * allocates on the Java heap. A list is identified by the address of its header node (see
 * {@link SkipListDescriptor}), which also holds the length, the tail and the current level; the
 * keyspace entry of a sorted set can therefore hold the list as 8 bytes. Nodes come from the
 * shard's {@link SlabAllocator}. Node addresses are stable: {@link #updateScore} relinks the same
 * node when the score change moves it, so an index that maps member to node (a
 * {@link NativeDict} with {@link SkipListDescriptor#MEMBER_KEYS}) never needs updating on
 * ZINCRBY. Levels are drawn as in {@code zslRandomLevel} (p = 1/4, at most 32) from an injected
 * generator, so tests are reproducible.
 *
 * <p>Contracts as in Redis: {@link #insert} requires the member to be absent (the caller checks its
 * index); no score is NaN; the lex operations are meaningful only when all scores are equal.
 *
 * <p><b>Thread-safety:</b> not thread-safe (shared scratch arrays, unsynchronised allocator); one
 * instance per shard, used under the shard's lock.
 */
public final class SkipList {
    /** Most levels a node can have ({@code ZSKIPLIST_MAXLEVEL}). */
    public static final int MAX_LEVEL = 32;
    /** The level-up probability is {@code P_NUMERATOR / 65536} = 1/4 ({@code ZSKIPLIST_P}). */
    private static final int P_THRESHOLD = 0x4000;

    /** Receives each node a range deletion removes, after it is unlinked and before it is freed. */
    @FunctionalInterface
    public interface RemovedNode {
        /** @param node the unlinked node; read its score and member through {@link SkipListDescriptor} */
        void removed(long node);
    }

    private final SlabAllocator allocator;
    private final RandomGenerator random;
    private final long[] update = new long[MAX_LEVEL];
    private final long[] rank = new long[MAX_LEVEL];

    /**
     * @param allocator the shard's allocator, for nodes and headers
     * @param random    the source of node levels
     */
    public SkipList(SlabAllocator allocator, RandomGenerator random) {
        this.allocator = allocator;
        this.random = random;
    }

    // ------------------------------------------------------------------ lifecycle

    /** @return the header address of a new empty list ({@code zslCreate}). */
    public long create() {
        long size = SkipListDescriptor.nodeSize(MAX_LEVEL, 0);
        long h = allocator.allocate(size);
        NativeMemory.fill(h, size, (byte) 0);
        NativeMemory.putByte(h + SkipListDescriptor.LEVEL_OFFSET, (byte) MAX_LEVEL);
        setListLevel(h, 1);
        return h;
    }

    /** Frees every node and the header ({@code zslFree}); {@code zsl} is invalid after. */
    public void free(long zsl) {
        long x = forward(zsl, 0);
        while (x != 0) {
            long next = forward(x, 0);
            allocator.free(x, SkipListDescriptor.nodeSize(x));
            x = next;
        }
        allocator.free(zsl, SkipListDescriptor.nodeSize(MAX_LEVEL, 0));
    }

    /** @return the number of nodes. */
    public static long length(long zsl) {
        return headerLength(zsl);
    }

    /** @return the highest level in use (1 when empty). */
    public static int level(long zsl) {
        return listLevel(zsl);
    }

    /** @return the first (lowest) node, or 0 when empty. */
    public static long first(long zsl) {
        return forward(zsl, 0);
    }

    /** @return the last (highest) node, or 0 when empty. */
    public static long last(long zsl) {
        return headerTail(zsl);
    }

    /** @return the node after {@code node}, or 0. */
    public static long next(long node) {
        return forward(node, 0);
    }

    /** @return the node before {@code node}, or 0. */
    public static long previous(long node) {
        return backward(node);
    }

    /** @return bytes the list takes from the allocator, before size-class rounding. */
    public static long bytes(long zsl) {
        long total = SkipListDescriptor.nodeSize(MAX_LEVEL, 0);
        for (long x = forward(zsl, 0); x != 0; x = forward(x, 0)) {
            total += SkipListDescriptor.nodeSize(x);
        }
        return total;
    }

    // ------------------------------------------------------------------ ordering

    /** @return the sign of node {@code x} compared with ({@code score}, member). */
    private static int compare(long x, double score, Object base, long off, int len) {
        double s = score(x);
        if (s < score) {
            return -1;
        }
        if (s > score) {
            return 1;
        }
        return ByteStrings.compare(null, memberAddress(x), memberLength(x), base, off, len);
    }

    private int randomLevel() {
        int level = 1;
        while ((random.nextInt() & 0xFFFF) < P_THRESHOLD && level < MAX_LEVEL) {
            level++;
        }
        return level;
    }

    // ------------------------------------------------------------------ insert / delete

    /**
     * Inserts a member that is not in the list ({@code zslInsert}).
     *
     * @return the new node's address
     */
    public long insert(long zsl, double score, byte[] member, int off, int len) {
        int level = randomLevel();
        long x = allocator.allocate(SkipListDescriptor.nodeSize(level, len));
        SkipListDescriptor.write(x, score, level, member, NativeMemory.BYTE_ARRAY_BASE + off, len);
        link(zsl, x, score);
        return x;
    }

    /** @return {@link #insert} of the whole array. */
    public long insert(long zsl, double score, byte[] member) {
        return insert(zsl, score, member, 0, member.length);
    }

    /** Links node {@code x} (member and level already written) at its place for {@code score}. */
    private void link(long zsl, long x, double score) {
        Object base = null;
        long off = memberAddress(x);
        int len = memberLength(x);
        long[] update = this.update;
        long[] rank = this.rank;
        int listLevel = listLevel(zsl);
        long h = zsl;
        for (int i = listLevel - 1; i >= 0; i--) {
            rank[i] = i == listLevel - 1 ? 0 : rank[i + 1];
            long f;
            while ((f = forward(h, i)) != 0 && compare(f, score, base, off, len) < 0) {
                rank[i] += span(h, i);
                h = f;
            }
            update[i] = h;
        }
        int level = SkipListDescriptor.level(x);
        long length = headerLength(zsl);
        if (level > listLevel) {
            for (int i = listLevel; i < level; i++) {
                rank[i] = 0;
                update[i] = zsl;
                setSpan(zsl, i, length);
            }
            setListLevel(zsl, level);
            listLevel = level;
        }
        for (int i = 0; i < level; i++) {
            long u = update[i];
            setForward(x, i, forward(u, i));
            setForward(u, i, x);
            setSpan(x, i, span(u, i) - (rank[0] - rank[i]));
            setSpan(u, i, rank[0] - rank[i] + 1);
        }
        for (int i = level; i < listLevel; i++) {
            setSpan(update[i], i, span(update[i], i) + 1);
        }
        setBackward(x, update[0] == zsl ? 0 : update[0]);
        long next = forward(x, 0);
        if (next != 0) {
            setBackward(next, x);
        } else {
            setHeaderTail(zsl, x);
        }
        setHeaderLength(zsl, length + 1);
    }

    /**
     * Fills {@code update[]} with the last node before (score, member) on every level.
     *
     * @return the node at level 0 after {@code update[0]} (the match, if any), or 0
     */
    private long findUpdate(long zsl, double score, Object base, long off, int len) {
        long x = zsl;
        for (int i = listLevel(zsl) - 1; i >= 0; i--) {
            long f;
            while ((f = forward(x, i)) != 0 && compare(f, score, base, off, len) < 0) {
                x = f;
            }
            update[i] = x;
        }
        return forward(x, 0);
    }

    /** Unlinks {@code x} given the {@code update[]} of its position ({@code zslDeleteNode}). */
    private void unlink(long zsl, long x) {
        long[] update = this.update;
        int listLevel = listLevel(zsl);
        for (int i = 0; i < listLevel; i++) {
            long u = update[i];
            if (forward(u, i) == x) {
                setSpan(u, i, span(u, i) + span(x, i) - 1);
                setForward(u, i, forward(x, i));
            } else {
                setSpan(u, i, span(u, i) - 1);
            }
        }
        long next = forward(x, 0);
        if (next != 0) {
            setBackward(next, backward(x));
        } else {
            setHeaderTail(zsl, backward(x));
        }
        while (listLevel > 1 && forward(zsl, listLevel - 1) == 0) {
            listLevel--;
        }
        setListLevel(zsl, listLevel);
        setHeaderLength(zsl, headerLength(zsl) - 1);
    }

    /**
     * Deletes the node with this score and member and frees it ({@code zslDelete}).
     *
     * @return whether it was found
     */
    public boolean delete(long zsl, double score, byte[] member, int off, int len) {
        long base = NativeMemory.BYTE_ARRAY_BASE + off;
        long x = findUpdate(zsl, score, member, base, len);
        if (x != 0 && compare(x, score, member, base, len) == 0) {
            unlink(zsl, x);
            allocator.free(x, SkipListDescriptor.nodeSize(x));
            return true;
        }
        return false;
    }

    /** @return {@link #delete} of the whole array. */
    public boolean delete(long zsl, double score, byte[] member) {
        return delete(zsl, score, member, 0, member.length);
    }

    /** Deletes and frees {@code node}, which must be in the list (found through an index). */
    public void deleteNode(long zsl, long node) {
        locate(zsl, node);
        unlink(zsl, node);
        allocator.free(node, SkipListDescriptor.nodeSize(node));
    }

    /** Fills {@code update[]} for {@code node}, which must be in the list. */
    private void locate(long zsl, long node) {
        long x = findUpdate(zsl, score(node), null, memberAddress(node), memberLength(node));
        if (x != node) {
            throw new IllegalStateException("node not in the skip list: " + node);
        }
    }

    /**
     * Changes the score of {@code node}, which must be in the list ({@code zslUpdateScore}). When
     * the node keeps its place it is updated in place; otherwise the same node is unlinked and
     * relinked at its new place (Redis frees it and inserts a new one).
     *
     * @return {@code node}: its address does not change
     */
    public long updateScore(long zsl, long node, double newScore) {
        locate(zsl, node);
        Object base = null;
        long off = memberAddress(node);
        int len = memberLength(node);
        long prev = backward(node);
        long next = forward(node, 0);
        if ((prev == 0 || compare(prev, newScore, base, off, len) < 0)
            && (next == 0 || compare(next, newScore, base, off, len) > 0)) {
            SkipListDescriptor.setScore(node, newScore);
            return node;
        }
        unlink(zsl, node);
        SkipListDescriptor.setScore(node, newScore);
        link(zsl, node, newScore);
        return node;
    }

    // ------------------------------------------------------------------ rank

    /**
     * @return the 1-based rank of (score, member), or 0 when absent ({@code zslGetRank})
     */
    public static long rank(long zsl, double score, byte[] member, int off, int len) {
        return rank(zsl, score, member, NativeMemory.BYTE_ARRAY_BASE + off, len);
    }

    /** @return {@link #rank} of the whole array. */
    public static long rank(long zsl, double score, byte[] member) {
        return rank(zsl, score, member, 0, member.length);
    }

    /** @return the 1-based rank of {@code node}, which must be in the list (else 0). */
    public static long rankOf(long zsl, long node) {
        return rank(zsl, score(node), null, memberAddress(node), memberLength(node));
    }

    private static long rank(long zsl, double score, Object base, long off, int len) {
        long x = zsl;
        long traversed = 0;
        for (int i = listLevel(zsl) - 1; i >= 0; i--) {
            long f;
            while ((f = forward(x, i)) != 0 && compare(f, score, base, off, len) <= 0) {
                traversed += span(x, i);
                x = f;
            }
            if (x != zsl && compare(x, score, base, off, len) == 0) {
                return traversed;
            }
        }
        return 0;
    }

    /**
     * @param rank 1-based
     * @return the node at that rank, or 0 when out of range ({@code zslGetElementByRank})
     */
    public static long byRank(long zsl, long rank) {
        if (rank < 1 || rank > headerLength(zsl)) {
            return 0;
        }
        long x = zsl;
        long traversed = 0;
        for (int i = listLevel(zsl) - 1; i >= 0; i--) {
            long f;
            while ((f = forward(x, i)) != 0 && traversed + span(x, i) <= rank) {
                traversed += span(x, i);
                x = f;
            }
            if (traversed == rank) {
                return x;
            }
        }
        return 0;
    }

    // ------------------------------------------------------------------ score ranges

    /**
     * The quick test of {@code zslIsInRange}: the range is not empty and overlaps
     * [first score, last score]. A true answer does not promise a node inside the range (it may
     * fall in a gap); {@link #firstInRange} answers that.
     */
    public static boolean isInRange(long zsl, ScoreRange range) {
        if (range.isEmpty()) {
            return false;
        }
        long x = headerTail(zsl);
        if (x == 0 || !range.gteMin(score(x))) {
            return false;
        }
        x = forward(zsl, 0);
        return x != 0 && range.lteMax(score(x));
    }

    /** @return the first node inside {@code range}, or 0 ({@code zslNthInRange} with n = 0). */
    public static long firstInRange(long zsl, ScoreRange range) {
        if (!isInRange(zsl, range)) {
            return 0;
        }
        long x = zsl;
        for (int i = listLevel(zsl) - 1; i >= 0; i--) {
            long f;
            while ((f = forward(x, i)) != 0 && !range.gteMin(score(f))) {
                x = f;
            }
        }
        x = forward(x, 0);
        return range.lteMax(score(x)) ? x : 0;
    }

    /** @return the last node inside {@code range}, or 0 ({@code zslLastInRange}). */
    public static long lastInRange(long zsl, ScoreRange range) {
        if (!isInRange(zsl, range)) {
            return 0;
        }
        long x = zsl;
        for (int i = listLevel(zsl) - 1; i >= 0; i--) {
            long f;
            while ((f = forward(x, i)) != 0 && range.lteMax(score(f))) {
                x = f;
            }
        }
        return range.gteMin(score(x)) ? x : 0;
    }

    /**
     * Deletes every node inside {@code range} ({@code zslDeleteRangeByScore}).
     *
     * @param removed told of each node before it is freed (to update an index); may be null
     * @return the number of nodes removed
     */
    public long deleteRangeByScore(long zsl, ScoreRange range, RemovedNode removed) {
        if (range.isEmpty()) {
            return 0;
        }
        long x = zsl;
        for (int i = listLevel(zsl) - 1; i >= 0; i--) {
            long f;
            while ((f = forward(x, i)) != 0 && !range.gteMin(score(f))) {
                x = f;
            }
            update[i] = x;
        }
        x = forward(x, 0);
        long count = 0;
        while (x != 0 && range.lteMax(score(x))) {
            long next = forward(x, 0);
            removeLocated(zsl, x, removed);
            count++;
            x = next;
        }
        return count;
    }

    private void removeLocated(long zsl, long x, RemovedNode removed) {
        unlink(zsl, x);
        if (removed != null) {
            removed.removed(x);
        }
        allocator.free(x, SkipListDescriptor.nodeSize(x));
    }

    // ------------------------------------------------------------------ lex ranges

    /** @return whether node {@code x}'s member is at or above the range's minimum. */
    public static boolean lexGteMin(long x, LexRange range) {
        return range.gteMin(null, memberAddress(x), memberLength(x));
    }

    /** @return whether node {@code x}'s member is at or below the range's maximum. */
    public static boolean lexLteMax(long x, LexRange range) {
        return range.lteMax(null, memberAddress(x), memberLength(x));
    }

    /**
     * Redis's lex descent: from the top level down, skip forward while the next member is below
     * the range's minimum, then step once on level 0. With members in lex order (equal scores)
     * this is the first member at or above the minimum; with unequal scores the lex order is
     * undefined and the node reached depends on the levels, exactly as in Redis.
     *
     * @return the node the descent lands on, or 0
     */
    public static long lexDescent(long zsl, LexRange range) {
        long x = zsl;
        for (int i = listLevel(zsl) - 1; i >= 0; i--) {
            long f;
            while ((f = forward(x, i)) != 0 && !lexGteMin(f, range)) {
                x = f;
            }
        }
        return forward(x, 0);
    }

    /**
     * The quick test of {@code zslIsInLexRange}: the range is not empty and overlaps
     * [first member, last member]; like {@link #isInRange} it may be true for a gap.
     */
    public static boolean isInLexRange(long zsl, LexRange range) {
        if (range.isEmpty()) {
            return false;
        }
        long x = headerTail(zsl);
        if (x == 0 || !lexGteMin(x, range)) {
            return false;
        }
        x = forward(zsl, 0);
        return x != 0 && lexLteMax(x, range);
    }

    /** @return the first node inside {@code range}, or 0 ({@code zslNthInLexRange} with n = 0). */
    public static long firstInLexRange(long zsl, LexRange range) {
        if (!isInLexRange(zsl, range)) {
            return 0;
        }
        long x = lexDescent(zsl, range);
        return x != 0 && lexLteMax(x, range) ? x : 0;
    }

    /** @return the last node inside {@code range}, or 0 ({@code zslLastInLexRange}). */
    public static long lastInLexRange(long zsl, LexRange range) {
        if (!isInLexRange(zsl, range)) {
            return 0;
        }
        long x = zsl;
        for (int i = listLevel(zsl) - 1; i >= 0; i--) {
            long f;
            while ((f = forward(x, i)) != 0 && lexLteMax(f, range)) {
                x = f;
            }
        }
        return lexGteMin(x, range) ? x : 0;
    }

    /**
     * Deletes every node inside {@code range} ({@code zslDeleteRangeByLex}).
     *
     * @param removed told of each node before it is freed; may be null
     * @return the number of nodes removed
     */
    public long deleteRangeByLex(long zsl, LexRange range, RemovedNode removed) {
        if (range.isEmpty()) {
            return 0;
        }
        long x = zsl;
        for (int i = listLevel(zsl) - 1; i >= 0; i--) {
            long f;
            while ((f = forward(x, i)) != 0 && !lexGteMin(f, range)) {
                x = f;
            }
            update[i] = x;
        }
        x = forward(x, 0);
        long count = 0;
        while (x != 0 && lexLteMax(x, range)) {
            long next = forward(x, 0);
            removeLocated(zsl, x, removed);
            count++;
            x = next;
        }
        return count;
    }

    // ------------------------------------------------------------------ rank ranges

    /**
     * Deletes the nodes with ranks {@code start..end}, 1-based and inclusive
     * ({@code zslDeleteRangeByRank}); ranks past the end are ignored.
     *
     * @param removed told of each node before it is freed; may be null
     * @return the number of nodes removed
     */
    public long deleteRangeByRank(long zsl, long start, long end, RemovedNode removed) {
        if (start < 1) {
            start = 1;
        }
        if (end < start) {
            return 0;
        }
        long x = zsl;
        long traversed = 0;
        for (int i = listLevel(zsl) - 1; i >= 0; i--) {
            long f;
            while ((f = forward(x, i)) != 0 && traversed + span(x, i) < start) {
                traversed += span(x, i);
                x = f;
            }
            update[i] = x;
        }
        traversed++;
        x = forward(x, 0);
        long count = 0;
        while (x != 0 && traversed <= end) {
            long next = forward(x, 0);
            removeLocated(zsl, x, removed);
            count++;
            traversed++;
            x = next;
        }
        return count;
    }

    // ------------------------------------------------------------------ validation

    /**
     * Checks the list (for tests and integrity checks): the header's level byte and list level,
     * node levels, strict (score, member) order with no NaN score, backward links, the tail, the
     * length, and on every level that the chain visits exactly the nodes that tall and that every
     * link's span is the rank distance it crosses. Reports the header and every node to
     * {@code blocks} (may be null).
     *
     * @return the node addresses in order
     * @throws IllegalStateException describing the first problem found
     */
    public static org.agrona.collections.LongArrayList validate(long zsl, BlockVisitor blocks) {
        if (SkipListDescriptor.level(zsl) != MAX_LEVEL) {
            throw new IllegalStateException("skiplist header level " + SkipListDescriptor.level(zsl) + " != " + MAX_LEVEL);
        }
        int listLevel = listLevel(zsl);
        if (listLevel < 1 || listLevel > MAX_LEVEL) {
            throw new IllegalStateException("skiplist level " + listLevel + " out of range");
        }
        org.agrona.collections.LongArrayList nodes = new org.agrona.collections.LongArrayList();
        org.agrona.collections.Long2LongHashMap rankOf = new org.agrona.collections.Long2LongHashMap(-1L);
        int[] tall = new int[MAX_LEVEL + 1];
        rankOf.put(zsl, 0L);
        long prev = 0;
        long length = headerLength(zsl);
        for (long x = forward(zsl, 0); x != 0; x = forward(x, 0)) {
            if (nodes.size() > length) {
                throw new IllegalStateException("skiplist longer than its length " + length + " (or a cycle)");
            }
            int lv = SkipListDescriptor.level(x);
            if (lv < 1 || lv > listLevel) {
                throw new IllegalStateException("skiplist node " + nodes.size() + " has level " + lv + " (list level " + listLevel + ")");
            }
            if (memberLength(x) < 0) {
                throw new IllegalStateException("skiplist node " + nodes.size() + " has member length " + memberLength(x));
            }
            double sc = score(x);
            if (Double.isNaN(sc)) {
                throw new IllegalStateException("skiplist node " + nodes.size() + " has a NaN score");
            }
            if (backward(x) != prev) {
                throw new IllegalStateException("skiplist node " + nodes.size() + " has a bad backward link");
            }
            if (prev != 0 && compare(prev, sc, null, memberAddress(x), memberLength(x)) >= 0) {
                throw new IllegalStateException("skiplist out of order at node " + nodes.size());
            }
            if (rankOf.put(x, nodes.size() + 1L) != -1L) {
                throw new IllegalStateException("skiplist node " + nodes.size() + " visited twice");
            }
            nodes.addLong(x);
            for (int i = 0; i < lv; i++) {
                tall[i]++;
            }
            if (blocks != null) {
                blocks.block(x, SkipListDescriptor.nodeSize(x));
            }
            prev = x;
        }
        if (nodes.size() != length) {
            throw new IllegalStateException("skiplist length " + length + " != " + nodes.size() + " nodes");
        }
        if (headerTail(zsl) != prev) {
            throw new IllegalStateException("skiplist tail is not the last node");
        }
        for (int i = 0; i < MAX_LEVEL; i++) {
            long x = zsl;
            int seen = 0;
            long f;
            while ((f = forward(x, i)) != 0) {
                if (i >= listLevel) {
                    throw new IllegalStateException("skiplist header links level " + i + " above the list level " + listLevel);
                }
                long rf = rankOf.get(f);
                if (rf < 0) {
                    throw new IllegalStateException("skiplist level " + i + " links a node not on level 0");
                }
                if (SkipListDescriptor.level(f) <= i) {
                    throw new IllegalStateException("skiplist level " + i + " links a node of level " + SkipListDescriptor.level(f));
                }
                if (span(x, i) != rf - rankOf.get(x)) {
                    throw new IllegalStateException("skiplist span " + span(x, i) + " at level " + i + " rank " + rankOf.get(x)
                        + " != " + (rf - rankOf.get(x)));
                }
                if (++seen > tall[i]) {
                    throw new IllegalStateException("skiplist level " + i + " has too many links (or a cycle)");
                }
                x = f;
            }
            if (seen != tall[i]) {
                throw new IllegalStateException("skiplist level " + i + " visits " + seen + " of the " + tall[i] + " nodes that tall");
            }
        }
        if (listLevel > 1 && forward(zsl, listLevel - 1) == 0) {
            throw new IllegalStateException("skiplist level " + listLevel + " is empty");
        }
        if (blocks != null) {
            blocks.block(zsl, SkipListDescriptor.nodeSize(MAX_LEVEL, 0));
        }
        return nodes;
    }
}
