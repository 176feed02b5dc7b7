package io.redjar.internal.types;

import io.redjar.internal.memory.NativeMemory;
import io.redjar.internal.memory.SlabAllocator;
import io.redjar.internal.structure.BlockVisitor;
import io.redjar.internal.structure.IdTree;
import io.redjar.internal.structure.NameIndex;
import org.agrona.collections.Long2LongHashMap;

/**
 * The consumer groups of one stream, off-heap in the shard's {@link SlabAllocator}: the block the
 * stream object's {@code groups} address names (0 while the stream has no group).
 *
 * <p><b>Layout.</b> Everything is a block; there is no Java object per group, consumer or pending
 * entry.
 * <pre>
 *   groups     = NameIndex of group blocks, by name (rax order: byte-lexicographic)
 *   group      = lastMs (8) | lastSeq (8) | entriesRead (8; -1 = invalid) | pel (8: IdTree)
 *              | consumers (8: NameIndex of consumer blocks) | nameLen (4) | pad (4) | name
 *   consumer   = seenTime (8) | pel (8: IdTree) | nameLen (4) | pad (4) | name
 *   nack       = deliveryTime (8) | deliveryCount (8) | consumer (8: its block)
 * </pre>
 * The group's PEL maps each pending id to its NACK block; the owning consumer's PEL maps the same
 * id to the same block (shared, as Redis's {@code streamNACK}). A group costs
 * {@code 48 + name} bytes plus two trees and an index; a pending entry costs its NACK (24 bytes)
 * plus one slot (24 bytes) in each of two trees.
 *
 * <p><b>Thread-safety:</b> not thread-safe; static methods over blocks guarded by the shard lock.
 */
public final class StreamGroups {
    private static final int G_LAST_MS = 0;
    private static final int G_LAST_SEQ = 8;
    private static final int G_ENTRIES_READ = 16;
    private static final int G_PEL = 24;
    private static final int G_CONSUMERS = 32;
    private static final int G_NAME_LEN = 40;
    private static final int G_NAME = 48;

    private static final int C_SEEN = 0;
    private static final int C_PEL = 8;
    private static final int C_NAME_LEN = 16;
    private static final int C_NAME = 24;

    /** Size of a NACK block. */
    public static final int NACK_SIZE = 24;
    private static final int N_TIME = 0;
    private static final int N_COUNT = 8;
    private static final int N_CONSUMER = 16;

    /** The entries-read value meaning "unknown" ({@code SCG_INVALID_ENTRIES_READ}). */
    public static final long INVALID_ENTRIES_READ = -1;

    private StreamGroups() {
    }

    // ---- the set of groups

    /** Creates an empty set of groups. */
    public static long create(SlabAllocator allocator) {
        return NameIndex.create(allocator);
    }

    /** @return the number of groups ({@code groups} may be 0) */
    public static int groupCount(long groups) {
        return groups == 0 ? 0 : NameIndex.size(groups);
    }

    /** @return the {@code i}-th group in name order */
    public static long groupAt(long groups, int i) {
        return NameIndex.at(groups, i);
    }

    /** @return the group named {@code name}, or 0 ({@code groups} may be 0) */
    public static long lookupGroup(long groups, byte[] name) {
        return groups == 0 ? 0 : NameIndex.find(groups, G_NAME_LEN, G_NAME, name);
    }

    /**
     * Creates a group (Redis's {@code streamCreateCG}).
     *
     * @return the new group, or 0 when one by that name exists
     */
    public static long createGroup(SlabAllocator allocator, long groups, byte[] name, long lastMs, long lastSeq,
                                   long entriesRead) {
        int pos = NameIndex.search(groups, G_NAME_LEN, G_NAME, name);
        if (pos >= 0) {
            return 0;
        }
        long g = allocator.allocate(G_NAME + (long) name.length);
        NativeMemory.putLong(g + G_LAST_MS, lastMs);
        NativeMemory.putLong(g + G_LAST_SEQ, lastSeq);
        NativeMemory.putLong(g + G_ENTRIES_READ, entriesRead);
        NativeMemory.putLong(g + G_PEL, IdTree.create(allocator));
        NativeMemory.putLong(g + G_CONSUMERS, NameIndex.create(allocator));
        NativeMemory.putInt(g + G_NAME_LEN, name.length);
        NativeMemory.putInt(g + G_NAME_LEN + 4, 0);
        NativeMemory.copyFromArray(name, 0, g + G_NAME, name.length);
        NameIndex.insertAt(allocator, groups, -pos - 1, g);
        return g;
    }

    /** Destroys the group named {@code name}; @return whether it existed */
    public static boolean destroyGroup(SlabAllocator allocator, long groups, byte[] name) {
        if (groups == 0) {
            return false;
        }
        int pos = NameIndex.search(groups, G_NAME_LEN, G_NAME, name);
        if (pos < 0) {
            return false;
        }
        long g = NameIndex.at(groups, pos);
        NameIndex.removeAt(allocator, groups, pos);
        releaseGroup(allocator, g);
        return true;
    }

    // ---- group fields

    public static byte[] groupName(long group) {
        return NativeMemory.toArray(group + G_NAME, NativeMemory.getInt(group + G_NAME_LEN));
    }

    public static long lastMs(long group) {
        return NativeMemory.getLong(group + G_LAST_MS);
    }

    public static long lastSeq(long group) {
        return NativeMemory.getLong(group + G_LAST_SEQ);
    }

    public static void setLastId(long group, long ms, long seq) {
        NativeMemory.putLong(group + G_LAST_MS, ms);
        NativeMemory.putLong(group + G_LAST_SEQ, seq);
    }

    public static long entriesRead(long group) {
        return NativeMemory.getLong(group + G_ENTRIES_READ);
    }

    public static void setEntriesRead(long group, long entriesRead) {
        NativeMemory.putLong(group + G_ENTRIES_READ, entriesRead);
    }

    /** @return the group's PEL: an {@link IdTree} from id to NACK block */
    public static long pel(long group) {
        return NativeMemory.getLong(group + G_PEL);
    }

    // ---- consumers

    public static int consumerCount(long group) {
        return NameIndex.size(NativeMemory.getLong(group + G_CONSUMERS));
    }

    public static long consumerAt(long group, int i) {
        return NameIndex.at(NativeMemory.getLong(group + G_CONSUMERS), i);
    }

    /** @return the consumer named {@code name}, or 0 */
    public static long lookupConsumer(long group, byte[] name) {
        return NameIndex.find(NativeMemory.getLong(group + G_CONSUMERS), C_NAME_LEN, C_NAME, name);
    }

    /** Creates a consumer; @return it, or 0 when one by that name exists */
    public static long createConsumer(SlabAllocator allocator, long group, byte[] name, long seenTime) {
        long index = NativeMemory.getLong(group + G_CONSUMERS);
        int pos = NameIndex.search(index, C_NAME_LEN, C_NAME, name);
        if (pos >= 0) {
            return 0;
        }
        long c = allocator.allocate(C_NAME + (long) name.length);
        NativeMemory.putLong(c + C_SEEN, seenTime);
        NativeMemory.putLong(c + C_PEL, IdTree.create(allocator));
        NativeMemory.putInt(c + C_NAME_LEN, name.length);
        NativeMemory.putInt(c + C_NAME_LEN + 4, 0);
        NativeMemory.copyFromArray(name, 0, c + C_NAME, name.length);
        NameIndex.insertAt(allocator, index, -pos - 1, c);
        return c;
    }

    /**
     * Deletes a consumer and its pending entries, from its PEL and the group's (Redis's
     * {@code streamDelConsumer}).
     *
     * @return the number of pending entries it had
     */
    public static long deleteConsumer(SlabAllocator allocator, long group, long consumer) {
        long cpel = consumerPel(consumer);
        long pending = IdTree.size(cpel);
        long gpel = pel(group);
        IdTree.Cursor c = new IdTree.Cursor().first(cpel);
        while (c.valid()) {
            IdTree.remove(allocator, gpel, c.ms(), c.seq(), 0);
            allocator.free(c.value(), NACK_SIZE);
            c.next();
        }
        long index = NativeMemory.getLong(group + G_CONSUMERS);
        int pos = NameIndex.search(index, C_NAME_LEN, C_NAME, consumerName(consumer));
        NameIndex.removeAt(allocator, index, pos);
        IdTree.release(allocator, cpel);
        allocator.free(consumer, C_NAME + (long) NativeMemory.getInt(consumer + C_NAME_LEN));
        return pending;
    }

    public static byte[] consumerName(long consumer) {
        return NativeMemory.toArray(consumer + C_NAME, NativeMemory.getInt(consumer + C_NAME_LEN));
    }

    public static long seenTime(long consumer) {
        return NativeMemory.getLong(consumer + C_SEEN);
    }

    public static void setSeenTime(long consumer, long time) {
        NativeMemory.putLong(consumer + C_SEEN, time);
    }

    /** @return the consumer's PEL: an {@link IdTree} from id to the NACK block it shares with the group's PEL */
    public static long consumerPel(long consumer) {
        return NativeMemory.getLong(consumer + C_PEL);
    }

    // ---- NACKs

    /** Creates a NACK delivered now to {@code consumer} once (Redis's {@code streamCreateNACK}). */
    public static long createNack(SlabAllocator allocator, long consumer, long now) {
        long n = allocator.allocate(NACK_SIZE);
        NativeMemory.putLong(n + N_TIME, now);
        NativeMemory.putLong(n + N_COUNT, 1);
        NativeMemory.putLong(n + N_CONSUMER, consumer);
        return n;
    }

    public static void freeNack(SlabAllocator allocator, long nack) {
        allocator.free(nack, NACK_SIZE);
    }

    public static long deliveryTime(long nack) {
        return NativeMemory.getLong(nack + N_TIME);
    }

    public static void setDeliveryTime(long nack, long time) {
        NativeMemory.putLong(nack + N_TIME, time);
    }

    public static long deliveryCount(long nack) {
        return NativeMemory.getLong(nack + N_COUNT);
    }

    public static void setDeliveryCount(long nack, long count) {
        NativeMemory.putLong(nack + N_COUNT, count);
    }

    public static long nackConsumer(long nack) {
        return NativeMemory.getLong(nack + N_CONSUMER);
    }

    public static void setNackConsumer(long nack, long consumer) {
        NativeMemory.putLong(nack + N_CONSUMER, consumer);
    }

    // ---- whole-value operations

    /** Frees every block of the groups ({@code groups} may be 0). */
    public static void release(SlabAllocator allocator, long groups) {
        if (groups == 0) {
            return;
        }
        for (int i = 0, n = NameIndex.size(groups); i < n; i++) {
            releaseGroup(allocator, NameIndex.at(groups, i));
        }
        NameIndex.release(allocator, groups);
    }

    private static void releaseGroup(SlabAllocator allocator, long g) {
        long gpel = pel(g);
        for (IdTree.Cursor c = new IdTree.Cursor().first(gpel); c.valid(); c.next()) {
            allocator.free(c.value(), NACK_SIZE);
        }
        IdTree.release(allocator, gpel);
        long index = NativeMemory.getLong(g + G_CONSUMERS);
        for (int i = 0, n = NameIndex.size(index); i < n; i++) {
            long c = NameIndex.at(index, i);
            IdTree.release(allocator, consumerPel(c));
            allocator.free(c, C_NAME + (long) NativeMemory.getInt(c + C_NAME_LEN));
        }
        NameIndex.release(allocator, index);
        allocator.free(g, G_NAME + (long) NativeMemory.getInt(g + G_NAME_LEN));
    }

    /**
     * Deep-copies the groups into {@code to} ({@code groups} may be 0).
     *
     * @return the copy's address (0 for 0)
     */
    public static long copy(long groups, SlabAllocator to) {
        if (groups == 0) {
            return 0;
        }
        long copy = NameIndex.create(to);
        for (int i = 0, n = NameIndex.size(groups); i < n; i++) {
            NameIndex.insertAt(to, copy, i, copyGroup(NameIndex.at(groups, i), to));
        }
        return copy;
    }

    private static long copyGroup(long g, SlabAllocator to) {
        int nameLen = NativeMemory.getInt(g + G_NAME_LEN);
        long ng = to.allocate(G_NAME + (long) nameLen);
        NativeMemory.copy(g, ng, G_NAME + (long) nameLen);
        Long2LongHashMap consumers = new Long2LongHashMap(0);
        long index = NativeMemory.getLong(g + G_CONSUMERS);
        long nindex = NameIndex.create(to);
        for (int i = 0, n = NameIndex.size(index); i < n; i++) {
            long c = NameIndex.at(index, i);
            int len = NativeMemory.getInt(c + C_NAME_LEN);
            long nc = to.allocate(C_NAME + (long) len);
            NativeMemory.copy(c, nc, C_NAME + (long) len);
            consumers.put(c, nc);
            NameIndex.insertAt(to, nindex, i, nc);
        }
        Long2LongHashMap nacks = new Long2LongHashMap(0);
        long npel = IdTree.copy(pel(g), to, nack -> {
            long nn = to.allocate(NACK_SIZE);
            NativeMemory.copy(nack, nn, NACK_SIZE);
            NativeMemory.putLong(nn + N_CONSUMER, consumers.get(nackConsumer(nack)));
            nacks.put(nack, nn);
            return nn;
        });
        for (int i = 0, n = NameIndex.size(index); i < n; i++) {
            long c = NameIndex.at(index, i);
            long nc = consumers.get(c);
            NativeMemory.putLong(nc + C_PEL, IdTree.copy(consumerPel(c), to, nacks::get));
        }
        NativeMemory.putLong(ng + G_PEL, npel);
        NativeMemory.putLong(ng + G_CONSUMERS, nindex);
        return ng;
    }

    /** @return the bytes the groups' blocks take (0 for 0), as requested from the allocator */
    public static long memoryUsage(long groups) {
        if (groups == 0) {
            return 0;
        }
        long[] sum = new long[1];
        walk(groups, (address, size) -> sum[0] += size, false);
        return sum[0];
    }

    /**
     * Checks the groups' consistency (names in order; every group PEL entry's NACK names a consumer
     * of the group whose PEL holds the same id with the same NACK; consumer PELs hold nothing
     * else) and reports every block. For integrity checks; allocates.
     *
     * @throws IllegalStateException describing the first problem found
     */
    public static void verify(long groups, BlockVisitor blocks) {
        if (groups != 0) {
            walk(groups, blocks, true);
        }
    }

    private static void walk(long groups, BlockVisitor blocks, boolean check) {
        if (check) {
            NameIndex.verify(groups, G_NAME_LEN, G_NAME, blocks);
        } else {
            blocks.block(groups, NameIndex.bytes(groups)); // memoryUsage only sums the sizes
        }
        for (int i = 0, n = NameIndex.size(groups); i < n; i++) {
            long g = NameIndex.at(groups, i);
            blocks.block(g, G_NAME + (long) NativeMemory.getInt(g + G_NAME_LEN));
            long index = NativeMemory.getLong(g + G_CONSUMERS);
            long gpel = pel(g);
            if (check) {
                NameIndex.verify(index, C_NAME_LEN, C_NAME, blocks);
                IdTree.verify(gpel, blocks);
            } else {
                blocks.block(index, NameIndex.bytes(index));
                blocks.block(gpel, IdTree.bytes(gpel));
            }
            long consumerPending = 0;
            org.agrona.collections.LongHashSet members = check ? new org.agrona.collections.LongHashSet() : null;
            for (int j = 0, m = NameIndex.size(index); j < m; j++) {
                long c = NameIndex.at(index, j);
                blocks.block(c, C_NAME + (long) NativeMemory.getInt(c + C_NAME_LEN));
                long cpel = consumerPel(c);
                consumerPending += IdTree.size(cpel);
                if (check) {
                    members.add(c);
                    IdTree.verify(cpel, blocks);
                    for (IdTree.Cursor cur = new IdTree.Cursor().first(cpel); cur.valid(); cur.next()) {
                        long nack = cur.value();
                        if (nackConsumer(nack) != c) {
                            throw new IllegalStateException("stream group: a consumer PEL entry's NACK names another consumer");
                        }
                        if (IdTree.get(gpel, cur.ms(), cur.seq(), 0) != nack) {
                            throw new IllegalStateException("stream group: a consumer PEL entry is not in the group PEL");
                        }
                    }
                } else {
                    blocks.block(cpel, IdTree.bytes(cpel));
                }
            }
            if (consumerPending != IdTree.size(gpel)) {
                throw new IllegalStateException("stream group: group PEL has " + IdTree.size(gpel)
                    + " entries, consumer PELs " + consumerPending);
            }
            for (IdTree.Cursor cur = new IdTree.Cursor().first(gpel); cur.valid(); cur.next()) {
                long nack = cur.value();
                blocks.block(nack, NACK_SIZE);
                if (check && !members.contains(nackConsumer(nack))) {
                    throw new IllegalStateException("stream group: a NACK names no consumer of its group");
                }
            }
        }
    }
}
