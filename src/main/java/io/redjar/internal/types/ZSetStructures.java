package io.redjar.internal.types;

import io.redjar.internal.keyspace.EntryDescriptor;
import io.redjar.internal.keyspace.ValueStructures;
import io.redjar.internal.memory.NativeMemory;
import io.redjar.internal.memory.SlabAllocator;
import io.redjar.internal.structure.Listpack;
import io.redjar.internal.structure.NativeDict;
import io.redjar.internal.structure.SkipList;
import io.redjar.internal.structure.SkipListDescriptor;

import java.util.SplittableRandom;

/**
 * How a sorted-set entry references its native structures. The value is 8 bytes: the address of
 * the root. With encoding hint {@link #LISTPACK} the root is a listpack of (member, score) pairs
 * sorted by (score, member); with {@link #SKIPLIST} it is a {@value #ROOT_SIZE}-byte block: 8 zero
 * bytes (a listpack's first four bytes are its total length, never 0, so {@link #release} and
 * {@link #copy}, which see only the value, can tell the encodings apart), the member index (a
 * {@link NativeDict} with {@link SkipListDescriptor#MEMBER_KEYS}, which does not own its records)
 * at offset 8 and the {@link SkipList} header at offset 16.
 *
 * <p><b>Thread-safety:</b> stateless apart from a level source per call; callers hold the locks.
 */
public final class ZSetStructures implements ValueStructures {
    /** Encoding hint: listpack. */
    public static final int LISTPACK = 0;
    /** Encoding hint: skip list plus dict. */
    public static final int SKIPLIST = 1;
    /** Size of the skip-list encoding's root block. */
    public static final int ROOT_SIZE = 24;

    /** @return the dict of a skip-list root. */
    public static long dict(long root) {
        return NativeMemory.getLong(root + 8);
    }

    /** @return the skip-list header of a skip-list root. */
    public static long zsl(long root) {
        return NativeMemory.getLong(root + 16);
    }

    /** @return whether {@code root} is a listpack (else a skip-list root). */
    public static boolean isListpack(long root) {
        return NativeMemory.getInt(root) != 0;
    }

    /** Allocates a skip-list root over {@code dict} and {@code zsl}. */
    public static long newRoot(SlabAllocator a, long dict, long zsl) {
        long r = a.allocate(ROOT_SIZE);
        NativeMemory.putLong(r, 0L);
        NativeMemory.putLong(r + 8, dict);
        NativeMemory.putLong(r + 16, zsl);
        return r;
    }

    @Override
    public void release(SlabAllocator allocator, long valueAddress, int valueLength) {
        long root = NativeMemory.getLong(valueAddress);
        free(allocator, root, isListpack(root));
    }

    @Override
    public void copy(SlabAllocator from, long srcValue, SlabAllocator to, long dstValue, int valueLength) {
        long root = NativeMemory.getLong(srcValue);
        long copy;
        if (isListpack(root)) {
            int n = Listpack.bytes(root);
            copy = to.allocate(n);
            NativeMemory.copy(root, copy, n);
        } else {
            NativeDict dict = index(to);
            SkipList zsl = skipList(to);
            long d = dict.create(NativeDict.size(dict(root)));
            long z = zsl.create();
            for (long x = SkipList.first(zsl(root)); x != 0; x = SkipList.next(x)) {
                int len = SkipListDescriptor.memberLength(x);
                byte[] m = SkipListDescriptor.member(x);
                long node = zsl.insert(z, SkipListDescriptor.score(x), m, 0, len);
                dict.insert(d, node);
            }
            copy = newRoot(to, d, z);
        }
        NativeMemory.putLong(dstValue, copy);
    }

    @Override
    public String encodingName(long entry) {
        return EntryDescriptor.encodingHint(entry) == SKIPLIST ? "skiplist" : "listpack";
    }

    static SkipList skipList(SlabAllocator a) {
        return new SkipList(a, new SplittableRandom());
    }

    static NativeDict index(SlabAllocator a) {
        return new NativeDict(a, SkipListDescriptor.MEMBER_KEYS, false);
    }

    static void free(SlabAllocator a, long root, boolean listpack) {
        if (listpack) {
            Listpack.free(a, root);
        } else {
            index(a).free(dict(root));
            skipList(a).free(zsl(root));
            a.free(root, ROOT_SIZE);
        }
    }

    @Override
    public void verify(SlabAllocator allocator, long entry, BlockVisitor visitor) {
        long root = NativeMemory.getLong(EntryDescriptor.valueAddress(entry));
        boolean listpack = isListpack(root);
        if (listpack != (EntryDescriptor.encodingHint(entry) == LISTPACK)) {
            throw new IllegalStateException("zset encoding hint " + EntryDescriptor.encodingHint(entry)
                + " does not match its root (" + (listpack ? "listpack" : "skiplist") + ")");
        }
        if (listpack) {
            Listpack.validate(root, -1);
            int n = Listpack.length(root);
            if (n == 0 || (n & 1) != 0) {
                throw new IllegalStateException("zset listpack with " + n + " elements");
            }
            visitor.block(root, Listpack.bytes(root));
            return;
        }
        org.agrona.collections.LongArrayList nodes = SkipList.validate(zsl(root), visitor);
        long d = dict(root);
        NativeDict.validate(d, SkipListDescriptor.MEMBER_KEYS, false, visitor);
        if (NativeDict.size(d) != nodes.size() || nodes.isEmpty()) {
            throw new IllegalStateException("zset index has " + NativeDict.size(d) + " members, skiplist " + nodes.size());
        }
        org.agrona.collections.LongHashSet inList = new org.agrona.collections.LongHashSet(nodes.size() * 2);
        for (int i = 0; i < nodes.size(); i++) {
            inList.add(nodes.getLong(i));
        }
        NativeDict.forEach(d, r -> {
            if (!inList.contains(r)) {
                throw new IllegalStateException("zset index names a node that is not in the skiplist");
            }
        });
        visitor.block(root, ROOT_SIZE);
    }
}
