package io.redjar.testing;

import io.redjar.internal.memory.MemoryGuard;
import io.redjar.internal.memory.NativeMemory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Fails a test class during which the bounds-checked native memory mode caught a violation
 * ({@code -Dredjar.memory.checked=true}, set by the surefire argLine), even one that a catch-all
 * in the test or a background thread swallowed. Classes that provoke violations on purpose carry
 * {@link ExpectsViolations}.
 *
 * <p>Registered for every test class through {@code META-INF/services} and
 * {@code junit.jupiter.extensions.autodetection.enabled} in {@code junit-platform.properties}.
 *
 * <p><b>Thread-safety:</b> stateless; JUnit keeps the count per class in its store.
 */
public final class NoMemoryViolations implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(NoMemoryViolations.class);

    /** Marks a test class that causes native memory violations on purpose (tests of the checks). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    public @interface ExpectsViolations {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NS).put("before", MemoryGuard.violations());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (!NativeMemory.CHECKED
            || context.getRequiredTestClass().isAnnotationPresent(ExpectsViolations.class)) {
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
