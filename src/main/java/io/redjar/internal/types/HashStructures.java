package io.redjar.internal.types;

import io.redjar.internal.keyspace.ValueStructures;
import io.redjar.internal.memory.NativeMemory;
import io.redjar.internal.memory.SlabAllocator;
import io.redjar.internal.structure.Listpack;
import io.redjar.internal.structure.NativeDict;
import io.redjar.internal.structure.NativeDictDescriptor;

/**
 * The native structures behind a hash value. The entry's 8 value bytes are the little-endian
 * address of the root: a listpack of field, value pairs (encoding hint compact: 0, or 3 after a
 * COPY) or a {@link NativeDict} of {@link NativeDictDescriptor#HASH_RECORDS} (hint
 * {@link HashOps#HINT_HASHTABLE}).
 *
 * <p><b>Thread-safety:</b> stateless; called under the locks of the shards involved.
 */
public final class HashStructures implements ValueStructures {

    @Override
    public void release(SlabAllocator allocator, long valueAddress, int valueLength) {
        throw new UnsupportedOperationException("a hash needs its entry's encoding hint: use releaseEntry");
    }

    @Override
    public void copy(SlabAllocator from, long srcValue, SlabAllocator to, long dstValue, int valueLength) {
        throw new UnsupportedOperationException("a hash needs its entry's encoding hint: use copyEntry");
    }

    @Override
    public void releaseEntry(SlabAllocator allocator, long entry) {
        long root = HashOps.root(entry);
        if (HashOps.isHashtable(entry)) {
            new NativeDict(allocator, NativeDictDescriptor.HASH_RECORDS, true).free(root);
        } else {
            Listpack.free(allocator, root);
        }
    }

    @Override
    public void copyEntry(SlabAllocator from, long srcEntry, SlabAllocator to, long dstValue) {
        long root = HashOps.root(srcEntry);
        long copy;
        if (HashOps.isHashtable(srcEntry)) {
            NativeDict d = new NativeDict(to, NativeDictDescriptor.HASH_RECORDS, true);
            long dst = d.create(NativeDict.size(root));
            NativeDict.forEach(root, r -> {
                long size = NativeDictDescriptor.HASH_RECORDS.recordSize(r);
                long c = to.allocate(size);
                NativeMemory.copy(r, c, size);
                d.insert(dst, c);
            });
            copy = dst;
        } else {
            int bytes = Listpack.bytes(root);
            copy = to.allocate(bytes);
            NativeMemory.copy(root, copy, bytes);
        }
        NativeMemory.putLong(dstValue, copy);
    }

    @Override
    public String encodingName(long entry) {
        return HashOps.isHashtable(entry) ? "hashtable" : "listpack";
    }

    @Override
    public void verify(SlabAllocator allocator, long entry, BlockVisitor visitor) {
        long root = HashOps.root(entry);
        if (HashOps.isHashtable(entry)) {
            NativeDict.validate(root, NativeDictDescriptor.HASH_RECORDS, true, visitor);
            if (NativeDict.size(root) == 0) {
                throw new IllegalStateException("empty hash stored as a key");
            }
        } else {
            Listpack.validate(root, -1);
            int n = Listpack.length(root);
            if (n == 0 || (n & 1) != 0) {
                throw new IllegalStateException("hash listpack with " + n + " elements");
            }
            visitor.block(root, Listpack.bytes(root));
        }
    }
}
