package io.redjar.resp.junit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Starts a RedJar RESP server on a free port for the annotated test class and injects it into
 * test and lifecycle methods: parameters of type {@code int}/{@code Integer} annotated
 * {@link RedJarPort}, {@link java.net.URI} (redis://127.0.0.1:port), {@link io.redjar.Store} and
 * {@link io.redjar.resp.RedJarServer}.
 *
 * <pre>{@code
 * @RedJarTest
 * class MyTest {
 *     @Test void works(@RedJarPort int port) { try (Jedis j = new Jedis("127.0.0.1", port)) { ... } }
 * }
 * }</pre>
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(RedJarExtension.class)
public @interface RedJarTest {
    /** Whether every test method gets its own server (default: one per class). */
    boolean perTest() default false;

    /** Whether to FLUSHALL before each test (only meaningful with a per-class server). */
    boolean flushBetweenTests() default true;

    /** requirepass for the server; empty for none. */
    String requirepass() default "";

    /** Number of databases. */
    int databases() default 16;
}
