package io.redjar.internal.types;

import io.redjar.internal.keyspace.EntryDescriptor;
import io.redjar.internal.keyspace.ValueStructures;
import io.redjar.internal.memory.NativeMemory;
import io.redjar.internal.memory.SlabAllocator;

/**
 * The native structures behind a stream value: the entry's 8 value bytes are the address of a
 * {@link StreamObject}, which owns its node index, its nodes and (when non-zero) its consumer
 * groups.
 *
 * <p>Consumer groups belong to {@code StreamGroups} (the consumer-group work): the three call
 * sites marked {@code CGROUPS} below are where its {@code release}, {@code copy} and
 * {@code verify} go.
 *
 * <p><b>Thread-safety:</b> stateless; called under the locks of the shards involved.
 */
public final class StreamStructures implements ValueStructures {

    /** @return the stream object of a stream entry */
    public static long object(long entry) {
        return NativeMemory.getLong(EntryDescriptor.valueAddress(entry));
    }

    @Override
    public void release(SlabAllocator allocator, long valueAddress, int valueLength) {
        long s = NativeMemory.getLong(valueAddress);
        long g = StreamObject.groups(s);
        if (g != 0) {
            StreamGroups.release(allocator, g);
        }
        StreamObject.free(allocator, s);
    }

    @Override
    public void copy(SlabAllocator from, long srcValue, SlabAllocator to, long dstValue, int valueLength) {
        long s = NativeMemory.getLong(srcValue);
        long c = StreamObject.copy(s, to);
        long g = StreamObject.groups(s);
        if (g != 0) {
            StreamObject.setGroups(c, StreamGroups.copy(g, to));
        }
        NativeMemory.putLong(dstValue, c);
    }

    @Override
    public String encodingName(long entry) {
        return "stream";
    }

    @Override
    public void verify(SlabAllocator allocator, long entry, BlockVisitor visitor) {
        long s = object(entry);
        StreamObject.verify(s, visitor::block);
        long g = StreamObject.groups(s);
        if (g != 0) {
            StreamGroups.verify(g, visitor);
        }
    }
}
