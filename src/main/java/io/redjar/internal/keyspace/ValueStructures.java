package io.redjar.internal.keyspace;

import io.redjar.internal.memory.SlabAllocator;

/**
 * What a value type does with the native structures its entries' value bytes point to. A string's
 * value is its bytes and needs nothing; a collection's value bytes hold references (addresses of
 * a listpack, a skip list, a dict...) into its shard's {@link SlabAllocator}, and those must be
 * freed with the entry, deep-copied by {@code COPY} and by a {@code RENAME} across shards, and
 * carried over untouched by a {@code RENAME} or {@code MOVE} within a shard.
 *
 * <p>The keyspace calls these at exactly those points, under the shard locks involved; types
 * register one implementation per type code with {@link Keyspace#register}.
 *
 * <p><b>Thread-safety:</b> implementations are stateless or thread-safe; each call runs under the
 * lock of every shard whose allocator it touches.
 */
public interface ValueStructures {
    /**
     * Frees everything the value references (not the entry block itself).
     *
     * @param allocator    the shard allocator the structures live in
     * @param valueAddress the entry's value bytes
     * @param valueLength  their length
     */
    void release(SlabAllocator allocator, long valueAddress, int valueLength);

    /**
     * Copies everything the value references from one allocator into another (possibly the same)
     * and writes the copy's value bytes.
     *
     * @param from        the source shard's allocator
     * @param srcValue    the source entry's value bytes
     * @param to          the destination shard's allocator
     * @param dstValue    where to write the new entry's value bytes ({@code valueLength} of them)
     * @param valueLength the value length (the same for both)
     */
    void copy(SlabAllocator from, long srcValue, SlabAllocator to, long dstValue, int valueLength);

    /**
     * {@link #release} given the whole entry, so that a type whose value bytes alone do not say
     * which structure they reference (the entry's encoding hint does) can tell. The keyspace calls
     * this one; the default reads the value bytes and calls {@link #release}.
     */
    default void releaseEntry(SlabAllocator allocator, long entry) {
        release(allocator, EntryDescriptor.valueAddress(entry), EntryDescriptor.valueLength(entry));
    }

    /**
     * {@link #copy} given the whole source entry (its encoding hint included); the keyspace calls
     * this one; the default calls {@link #copy}.
     */
    default void copyEntry(SlabAllocator from, long srcEntry, SlabAllocator to, long dstValue) {
        copy(from, EntryDescriptor.valueAddress(srcEntry), to, dstValue, EntryDescriptor.valueLength(srcEntry));
    }

    /**
     * @param entry a live entry of this type
     * @return the name {@code OBJECT ENCODING} reports for it ({@code listpack}, {@code hashtable},
     *         {@code intset}, {@code skiplist}, {@code quicklist})
     */
    default String encodingName(long entry) {
        throw new IllegalStateException("type " + EntryDescriptor.type(entry) + " has no encoding name");
    }

    /**
     * Receives the allocator blocks a value structure owns, for the keyspace's integrity check
     * ({@link Keyspace#verifyIntegrity}).
     */
    @FunctionalInterface
    interface BlockVisitor extends io.redjar.internal.structure.BlockVisitor {
    }

    /**
     * Checks the structures a live entry's value references (links, counts, encodings, order) and
     * reports every allocator block they own, not the entry block itself. For integrity checks
     * (tests, the fuzzer); allocates. The default, for values that are their bytes, owns nothing.
     *
     * @param allocator the entry's shard allocator
     * @param entry     a live entry of this type
     * @param visitor   receives each owned block once
     * @throws IllegalStateException describing the first problem found
     */
    default void verify(SlabAllocator allocator, long entry, BlockVisitor visitor) {
    }

    /** Strings: the value is its bytes. */
    ValueStructures INLINE = new ValueStructures() {
        @Override
        public void release(SlabAllocator allocator, long valueAddress, int valueLength) {
        }

        @Override
        public void copy(SlabAllocator from, long srcValue, SlabAllocator to, long dstValue, int valueLength) {
            io.redjar.internal.memory.NativeMemory.copy(srcValue, dstValue, valueLength);
        }
    };
}
