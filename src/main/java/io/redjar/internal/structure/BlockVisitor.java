package io.redjar.internal.structure;

/**
 * Receives the allocator blocks a structure owns, one call per block, from the structures'
 * {@code validate} walks (integrity checks: the blocks reachable from the keyspace must add up to
 * what the allocator says is in use).
 */
@FunctionalInterface
public interface BlockVisitor {
    /**
     * @param address       the block's address
     * @param requestedSize the size it was allocated (or last reallocated) with; the allocator
     *                      accounts {@link io.redjar.internal.memory.SizeClasses#blockSize} of it
     */
    void block(long address, long requestedSize);
}
