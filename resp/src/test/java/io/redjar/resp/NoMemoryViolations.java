package io.redjar.resp;

import io.redjar.internal.memory.MemoryGuard;
import io.redjar.internal.memory.NativeMemory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class during which the bounds-checked native memory mode caught a violation
 * ({@code -Dredjar.memory.checked=true}, set by the surefire argLine). A violation is an
 * {@link Error}: on a Netty thread it only closes the connection, so a test could pass on a retry
 * or an expected disconnect; this makes it fail instead, naming the first violation.
 *
 * <p>Registered for every test class through {@code META-INF/services} and
 * {@code junit.jupiter.extensions.autodetection.enabled} in {@code junit-platform.properties}.
 *
 * <p><b>Thread-safety:</b> stateless; JUnit keeps the count per class in its store.
 */
public final class NoMemoryViolations implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(NoMemoryViolations.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NS).put("before", MemoryGuard.violations());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (!NativeMemory.CHECKED) {
            return;
        }
        long before = context.getStore(NS).getOrDefault("before", Long.class, 0L);
        long now = MemoryGuard.violations();
        if (now != before) {
            throw new AssertionError((now - before) + " native memory violation(s) during "
                + context.getDisplayName() + "; the first in this JVM:", MemoryGuard.firstViolation());
        }
    }
}
