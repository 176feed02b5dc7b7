package io.redjar.internal.memory;

/**
 * A native memory access or free that the bounds-checked mode ({@code -Dredjar.memory.checked=true},
 * see {@link MemoryGuard}) caught: an access outside every live block or past the requested size of
 * the block it starts in, a use after free, a double free, or a free of memory never allocated.
 *
 * <p>Design: an {@link Error}, not an exception, so the {@code catch (RuntimeException)} clauses
 * that turn command failures into error replies let it through: a memory bug must fail loudly, not
 * become a reply. Every instance is also counted by {@link MemoryGuard#violations()} before it is
 * thrown, so a test can see one that a catch-all swallowed.
 *
 * <p><b>Thread-safety:</b> immutable once thrown.
 */
public final class NativeMemoryViolation extends Error {
    private static final long serialVersionUID = 1L;

    /** @param message the operation, the address range and the block it hit (or "no live block") */
    public NativeMemoryViolation(String message) {
        super(message);
    }
}
