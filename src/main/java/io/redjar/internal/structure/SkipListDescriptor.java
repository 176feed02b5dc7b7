package io.redjar.internal.structure;

import io.redjar.internal.memory.NativeMemory;

/**
 * Layout of one {@link SkipList} node: a single native block holding the score, the links and the
 * member bytes. There is no Java object per node.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                     score (IEEE double, 8 B)                  |  header: length (long)
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |             backward node address (8 B; 0 for the first)      |  header: tail address
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                  member length (int, 4 B)                     |  header: 0
 *  +---------------+---------------+-------------------------------+
 *  |  level (1-32) |  list level   |          padding (2 B)        |  list level: header only
 *  +---------------+---------------+-------------------------------+
 *  |          level[0].forward: node address (8 B; 0 = none)       |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |          level[0].span: nodes crossed by that link (8 B)      |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 level[1] ... level[level-1]                   |
 *  +---------------------------------------------------------------+
 *  |                       member bytes ...                        |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * A node takes {@code 24 + 16 * level + memberLength} bytes; with p = 1/4 the mean level is 4/3, so
 * a 10-byte member costs about 55 bytes before size-class rounding (Redis: a 40-byte node with a
 * separate sds). The list's root is its header node, allocated with all 32 levels and no member;
 * it stores the list's length where a node has its score, its tail where a node has its backward
 * pointer, and the current list level in the byte after its own level. So one 8-byte address (the
 * header's) is the whole skip list, and a keyspace entry can hold it as its value.
 *
 * <p><b>Thread-safety:</b> stateless accessors; the nodes they read are guarded by their owner's
 * lock.
 */
public final class SkipListDescriptor {
    /** Offset of the score (header: the length). */
    public static final int SCORE_OFFSET = 0;
    /** Offset of the backward pointer (header: the tail). */
    public static final int BACKWARD_OFFSET = 8;
    /** Offset of the member length. */
    public static final int MEMBER_LENGTH_OFFSET = 16;
    /** Offset of the node's level byte. */
    public static final int LEVEL_OFFSET = 20;
    /** Offset of the list level byte (header only). */
    public static final int LIST_LEVEL_OFFSET = 21;
    /** Offset of level[0]. */
    public static final int LEVELS_OFFSET = 24;
    /** Bytes per level: forward address and span. */
    public static final int LEVEL_SIZE = 16;

    /** The dict key layout of a sorted set's member index: the key is the node's member. */
    public static final NativeDict.RecordLayout MEMBER_KEYS = new NativeDict.RecordLayout() {
        @Override
        public long keyAddress(long node) {
            return memberAddress(node);
        }

        @Override
        public int keyLength(long node) {
            return memberLength(node);
        }

        @Override
        public long recordSize(long node) {
            return nodeSize(node);
        }
    };

    private SkipListDescriptor() {
    }

    /** @return the size of a node with {@code level} levels and a member of {@code memberLength} bytes. */
    public static long nodeSize(int level, int memberLength) {
        return LEVELS_OFFSET + (long) LEVEL_SIZE * level + memberLength;
    }

    /** @return the size node {@code x} was allocated with. */
    public static long nodeSize(long x) {
        return nodeSize(level(x), memberLength(x));
    }

    /** @return the node's score. */
    public static double score(long x) {
        return Double.longBitsToDouble(NativeMemory.getLong(x + SCORE_OFFSET));
    }

    static void setScore(long x, double score) {
        NativeMemory.putLong(x + SCORE_OFFSET, Double.doubleToRawLongBits(score));
    }

    /** @return the previous node, or 0 for the first node. */
    public static long backward(long x) {
        return NativeMemory.getLong(x + BACKWARD_OFFSET);
    }

    static void setBackward(long x, long b) {
        NativeMemory.putLong(x + BACKWARD_OFFSET, b);
    }

    /** @return the number of levels the node was allocated with (1..32). */
    public static int level(long x) {
        return NativeMemory.getByte(x + LEVEL_OFFSET);
    }

    /** @return the address of {@code level[i].forward}. */
    static long levelAddress(long x, int i) {
        return x + LEVELS_OFFSET + (long) LEVEL_SIZE * i;
    }

    /** @return the next node at level {@code i}, or 0. */
    public static long forward(long x, int i) {
        return NativeMemory.getLong(x + LEVELS_OFFSET + (long) LEVEL_SIZE * i);
    }

    static void setForward(long x, int i, long f) {
        NativeMemory.putLong(x + LEVELS_OFFSET + (long) LEVEL_SIZE * i, f);
    }

    /** @return the span of the level-{@code i} link. */
    public static long span(long x, int i) {
        return NativeMemory.getLong(x + LEVELS_OFFSET + (long) LEVEL_SIZE * i + 8);
    }

    static void setSpan(long x, int i, long span) {
        NativeMemory.putLong(x + LEVELS_OFFSET + (long) LEVEL_SIZE * i + 8, span);
    }

    /** @return the member's length. */
    public static int memberLength(long x) {
        return NativeMemory.getInt(x + MEMBER_LENGTH_OFFSET);
    }

    /** @return the address of the member bytes. */
    public static long memberAddress(long x) {
        return x + LEVELS_OFFSET + (long) LEVEL_SIZE * level(x);
    }

    /** @return a copy of the member. */
    public static byte[] member(long x) {
        return NativeMemory.toArray(memberAddress(x), memberLength(x));
    }

    /** @return whether the member equals {@code b[off..off+len)}. */
    public static boolean memberEquals(long x, byte[] b, int off, int len) {
        return memberLength(x) == len && NativeMemory.equals(memberAddress(x), b, off, len);
    }

    /**
     * Writes a node's fixed fields and member; the links are the caller's.
     */
    static void write(long x, double score, int level, Object memberBase, long memberOffset, int memberLength) {
        setScore(x, score);
        NativeMemory.putLong(x + BACKWARD_OFFSET, 0L);
        NativeMemory.putInt(x + MEMBER_LENGTH_OFFSET, memberLength);
        NativeMemory.putInt(x + LEVEL_OFFSET, 0);
        NativeMemory.putByte(x + LEVEL_OFFSET, (byte) level);
        NativeMemory.copyFrom(memberBase, memberOffset, memberAddress(x), memberLength);
    }

    // header fields

    /** @return the number of nodes in the list whose header is {@code h}. */
    static long headerLength(long h) {
        return NativeMemory.getLong(h + SCORE_OFFSET);
    }

    static void setHeaderLength(long h, long length) {
        NativeMemory.putLong(h + SCORE_OFFSET, length);
    }

    static long headerTail(long h) {
        return NativeMemory.getLong(h + BACKWARD_OFFSET);
    }

    static void setHeaderTail(long h, long tail) {
        NativeMemory.putLong(h + BACKWARD_OFFSET, tail);
    }

    static int listLevel(long h) {
        return NativeMemory.getByte(h + LIST_LEVEL_OFFSET);
    }

    static void setListLevel(long h, int level) {
        NativeMemory.putByte(h + LIST_LEVEL_OFFSET, (byte) level);
    }
}
