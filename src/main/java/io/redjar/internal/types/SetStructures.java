package io.redjar.internal.types;

import io.redjar.internal.keyspace.EntryDescriptor;
import io.redjar.internal.keyspace.ValueStructures;
import io.redjar.internal.memory.NativeMemory;
import io.redjar.internal.memory.SlabAllocator;
import io.redjar.internal.structure.Intset;
import io.redjar.internal.structure.NativeDict;
import io.redjar.internal.structure.NativeDictDescriptor;

/**
 * How a set entry's value references its native structure, and what the keyspace does with it on
 * DEL, overwrite, FLUSH, COPY and RENAME/MOVE.
 *
 * <pre>
 *  value (8 bytes, little-endian):
 *  +---------------------------------------------------------------+-+
 *  |            root address (intset block or NativeDict root)     |T|
 *  +---------------------------------------------------------------+-+
 *   T (bit 0) = 1: hashtable (NativeDict with SET_RECORDS); 0: intset
 * </pre>
 *
 * Both structures come from 8-aligned allocator blocks, so bit 0 of the address is always free.
 * The tag is there because {@link ValueStructures#release} and {@link ValueStructures#copy} receive
 * the value bytes but not the entry flags; the entry's encoding hint
 * ({@link EntryDescriptor#ENC_SHIFT}: 0 intset, 1 hashtable) is kept in step for readers of the
 * flags, but COPY rewrites hint 0 as {@link EntryDescriptor#ENC_AUTO_PRIVATE}, so the tag is the
 * authority.
 *
 * <p><b>Thread-safety:</b> stateless; calls run under the locks of the shards involved.
 */
public final class SetStructures implements ValueStructures {
    /** Bit 0 of the value: the root is a hashtable. */
    static final long HT_TAG = 1L;

    /** @return whether the value names a hashtable */
    static boolean isHashtable(long value) {
        return (value & HT_TAG) != 0;
    }

    /** @return the root address in the value */
    static long root(long value) {
        return value & ~HT_TAG;
    }

    /** @return the value word of the entry {@code e} */
    static long value(long e) {
        return NativeMemory.getLong(EntryDescriptor.valueAddress(e));
    }

    @Override
    public void release(SlabAllocator allocator, long valueAddress, int valueLength) {
        long v = NativeMemory.getLong(valueAddress);
        if (isHashtable(v)) {
            new NativeDict(allocator, NativeDictDescriptor.SET_RECORDS, true).free(root(v));
        } else {
            Intset.free(allocator, root(v));
        }
    }

    @Override
    public void copy(SlabAllocator from, long srcValue, SlabAllocator to, long dstValue, int valueLength) {
        long v = NativeMemory.getLong(srcValue);
        long r = root(v);
        if (isHashtable(v)) {
            NativeDict dict = new NativeDict(to, NativeDictDescriptor.SET_RECORDS, true);
            long d = dict.create(NativeDict.size(r));
            NativeDict.forEach(r, rec -> {
                long size = NativeDictDescriptor.SET_RECORDS.recordSize(rec);
                long n = to.allocate(size);
                NativeMemory.copy(rec, n, size);
                dict.insert(d, n);
            });
            NativeMemory.putLong(dstValue, d | HT_TAG);
        } else {
            int size = Intset.blobSize(r);
            long n = to.allocate(size);
            NativeMemory.copy(r, n, size);
            NativeMemory.putLong(dstValue, n);
        }
    }

    @Override
    public String encodingName(long entry) {
        return isHashtable(value(entry)) ? "hashtable" : "intset";
    }

    @Override
    public void verify(SlabAllocator allocator, long entry, BlockVisitor visitor) {
        long v = value(entry);
        long r = root(v);
        if (isHashtable(v)) {
            NativeDict.validate(r, NativeDictDescriptor.SET_RECORDS, true, visitor);
            if (NativeDict.size(r) == 0) {
                throw new IllegalStateException("empty set stored as a key");
            }
        } else {
            Intset.validate(r, -1);
            if (Intset.length(r) == 0) {
                throw new IllegalStateException("empty set stored as a key");
            }
            visitor.block(r, Intset.blobSize(r));
        }
    }
}
