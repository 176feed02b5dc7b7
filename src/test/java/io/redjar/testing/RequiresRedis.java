package io.redjar.testing;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test class as needing a real {@code redis-server}: registers
 * {@link RedisServerExtension} and tags the class {@code redis}.
 *
 * <p>Test methods (and {@code @BeforeAll}/{@code @BeforeEach} methods) may then declare
 * {@link RespClient} parameters (a fresh RESP3 connection each, closed afterwards) or a
 * {@link RedisServerProcess} parameter (the shared server). The server is flushed before each test.
 * Without {@code redis-server} the class is skipped with a loud banner, or fails when {@code CI=true};
 * see {@link RedisServerExtension}.
 *
 * <pre>{@code
 * @RequiresRedis
 * class SetCommandDifferentialTest {
 *     @Test
 *     void matches(RespClient redis) { ... }
 * }
 * }</pre>
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Tag("redis")
@ExtendWith(RedisServerExtension.class)
public @interface RequiresRedis {
}
