package io.redjar.internal.types;

import io.redjar.internal.keyspace.ValueStructures;
import io.redjar.internal.memory.NativeMemory;
import io.redjar.internal.memory.SlabAllocator;
import io.redjar.internal.structure.Quicklist;

/**
 * How a list entry's value references its structure: 8 bytes, the little-endian address of a
 * {@link Quicklist} root block. The root never moves (its nodes and listpacks do), so the value
 * bytes are written once, when the key is created. The entry's encoding hint is always 0: Redis
 * 7.0 has one list encoding, {@code quicklist}.
 *
 * <p><b>Thread-safety:</b> stateless; called under the locks of the shards involved.
 */
public final class ListStructures implements ValueStructures {
    /** The value length of a list entry. */
    public static final int VALUE_SIZE = 8;

    @Override
    public void release(SlabAllocator allocator, long valueAddress, int valueLength) {
        Quicklist.free(allocator, NativeMemory.getLong(valueAddress));
    }

    @Override
    public void copy(SlabAllocator from, long srcValue, SlabAllocator to, long dstValue, int valueLength) {
        NativeMemory.putLong(dstValue, Quicklist.copy(NativeMemory.getLong(srcValue), to));
    }

    @Override
    public String encodingName(long entry) {
        return "quicklist";
    }

    @Override
    public void verify(SlabAllocator allocator, long entry, BlockVisitor visitor) {
        long ql = NativeMemory.getLong(io.redjar.internal.keyspace.EntryDescriptor.valueAddress(entry));
        if (io.redjar.internal.keyspace.EntryDescriptor.valueLength(entry) != VALUE_SIZE) {
            throw new IllegalStateException("list value length " + io.redjar.internal.keyspace.EntryDescriptor.valueLength(entry));
        }
        Quicklist.validate(ql, visitor);
        if (Quicklist.length(ql) == 0) {
            throw new IllegalStateException("empty list stored as a key");
        }
    }
}
