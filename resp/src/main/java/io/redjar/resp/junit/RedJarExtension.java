package io.redjar.resp.junit;

import io.redjar.Store;
import io.redjar.resp.RedJarServer;
import io.redjar.resp.ServerOptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

import java.net.URI;

/**
 * The extension behind {@link RedJarTest}: one server per class (or per test with
 * {@code perTest = true}), stored in the JUnit extension store so it is closed even when a test
 * fails.
 */
public final class RedJarExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback,
    ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(RedJarExtension.class);
    private static final String KEY = "server";

    /** Closes the server when JUnit closes the store it lives in. */
    private record Holder(RedJarServer server) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            server.close();
        }
    }

    private static RedJarTest config(ExtensionContext ctx) {
        return ctx.getTestClass()
            .flatMap(c -> AnnotationSupport.findAnnotation(c, RedJarTest.class))
            .orElseThrow(() -> new IllegalStateException("@RedJarTest is missing on " + ctx.getTestClass()));
    }

    private static RedJarServer start(RedJarTest cfg) {
        return RedJarServer.start(ServerOptions.defaults().port(0).requirepass(cfg.requirepass()).databases(cfg.databases()));
    }

    @Override
    public void beforeAll(ExtensionContext ctx) {
        RedJarTest cfg = config(ctx);
        if (!cfg.perTest()) {
            ctx.getStore(NS).put(KEY, new Holder(start(cfg)));
        }
    }

    @Override
    public void afterAll(ExtensionContext ctx) {
        // the Holder in the class-level store is closed by JUnit
    }

    @Override
    public void beforeEach(ExtensionContext ctx) {
        RedJarTest cfg = config(ctx);
        if (cfg.perTest()) {
            ctx.getStore(NS).put(KEY, new Holder(start(cfg)));
        } else if (cfg.flushBetweenTests()) {
            server(ctx).store().execute("FLUSHALL");
        }
    }

    @Override
    public void afterEach(ExtensionContext ctx) {
        // a per-test Holder lives in the method-level store, closed by JUnit
    }

    /** @return the server for the current test (method store first, then class store) */
    public static RedJarServer server(ExtensionContext ctx) {
        Holder h = ctx.getStore(NS).get(KEY, Holder.class);
        if (h == null) {
            throw new IllegalStateException("no RedJar server for " + ctx.getDisplayName()
                + " (with @RedJarTest(perTest = true) there is none in @BeforeAll/@AfterAll)");
        }
        return h.server();
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext ctx) {
        Class<?> t = p.getParameter().getType();
        if (t == int.class || t == Integer.class) {
            return p.isAnnotated(RedJarPort.class);
        }
        return t == URI.class || t == Store.class || t == RedJarServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext ctx) {
        RedJarServer s = server(ctx);
        Class<?> t = p.getParameter().getType();
        if (t == int.class || t == Integer.class) {
            return s.port();
        }
        if (t == URI.class) {
            return URI.create(s.uri());
        }
        if (t == Store.class) {
            return s.store();
        }
        if (t == RedJarServer.class) {
            return s;
        }
        throw new ParameterResolutionException("cannot inject " + t);
    }
}
