package io.redjar.testing;

import io.redjar.Reply;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.opentest4j.TestAbortedException;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * JUnit 5 extension giving tests a real {@code redis-server}; usually applied through
 * {@link RequiresRedis}.
 *
 * <p><b>Lifecycle.</b> One server is started lazily for the whole test run and kept in the root
 * {@link ExtensionContext.Store}, so every class using the extension shares it; it is stopped when
 * the run ends (and by {@link RedisServerProcess}'s shutdown hook in any case). Before each test
 * the extension sends {@code FLUSHALL}, so each test starts from an empty server. Tests that need
 * a private server (e.g. to compare two fresh servers, or to change its configuration) start one
 * with {@link RedisServerProcess#start()}.
 *
 * <p><b>Parameters.</b> {@link RespClient}: a new RESP3 connection per parameter, closed when the
 * test (or the lifecycle method's scope) ends. {@link RedisServerProcess}: the shared server; do
 * not close it.
 *
 * <p><b>When {@code redis-server} is missing</b> ({@link #decide}): with the environment variable
 * {@code CI=true} the tests FAIL ("redis-server not found; .ci/run must install it"), because a CI
 * run that silently skips the differential tests proves nothing; elsewhere the test class is
 * disabled (its tests are reported as skipped) and a banner is printed to stderr. Should the
 * extension be reached without its condition having run (e.g. registered programmatically), the
 * same decision aborts the test through an assumption instead.
 */
public final class RedisServerExtension
        implements ExecutionCondition, BeforeAllCallback, BeforeEachCallback, ParameterResolver {

    /** The failure message used on CI when the server is missing. */
    public static final String CI_MISSING_MESSAGE = "redis-server not found; .ci/run must install it";
    /** The banner printed to stderr when the tests are skipped. */
    public static final String SKIP_BANNER = "*** DIFFERENTIAL TESTS SKIPPED: redis-server not found ***";

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(RedisServerExtension.class);
    private static final String SERVER_KEY = "redis-server";
    private static final AtomicBoolean BANNER_PRINTED = new AtomicBoolean();

    /** What to do about a test that needs {@code redis-server}. */
    public enum Action {
        /** The server is there: start it and run. */
        RUN,
        /** Not there, not on CI: skip, loudly. */
        SKIP,
        /** Not there, on CI: fail. */
        FAIL
    }

    /** The outcome of {@link #decide}: an action and the message explaining it. */
    public record Decision(Action action, String message) {
        /** @param action what to do; @param message why (shown to the user) */
        public Decision {
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * The pure decision rule: run if the executable was found; otherwise fail when {@code CI}
     * equals {@code "true"} (case-insensitive) and skip anywhere else.
     *
     * @param executable the located {@code redis-server}, if any
     * @param env        the environment ({@code CI} is read from it)
     */
    public static Decision decide(Optional<Path> executable, Map<String, String> env) {
        if (executable.isPresent()) {
            return new Decision(Action.RUN, "using " + executable.get());
        }
        String searched = "searched $" + RedisServerProcess.ENV_REDIS_SERVER + ", PATH, "
                + String.join(", ", RedisServerProcess.FALLBACK_LOCATIONS);
        if ("true".equalsIgnoreCase(env.getOrDefault("CI", "").trim())) {
            return new Decision(Action.FAIL, CI_MISSING_MESSAGE + " (" + searched + ")");
        }
        return new Decision(Action.SKIP, SKIP_BANNER + " (" + searched
                + "; install redis-server 7.0 (apt-get install redis-server) or set " + RedisServerProcess.ENV_REDIS_SERVER + ")");
    }

    /** Renders the stderr banner for a skip decision. */
    static String banner(Decision d) {
        String line = "*".repeat(SKIP_BANNER.length());
        return "\n" + line + "\n" + SKIP_BANNER + "\n" + line + "\n" + d.message() + "\n";
    }

    /**
     * Acts on a decision: returns for {@link Action#RUN}; for {@link Action#FAIL} throws an
     * {@link ExtensionConfigurationException} (the test fails); for {@link Action#SKIP} prints the
     * banner to {@code err} (in full the first time, as one line afterwards) and throws
     * {@link TestAbortedException} (the test is skipped).
     */
    static void enforce(Decision decision, PrintStream err) {
        switch (decision.action()) {
            case FAIL:
                throw new ExtensionConfigurationException(decision.message());
            case SKIP:
                err.println(BANNER_PRINTED.compareAndSet(false, true) ? banner(decision) : SKIP_BANNER);
                err.flush();
                throw new TestAbortedException(decision.message());
            default:
                break;
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        RedisServerProcess server = server(context);
        try (RespClient c = server.connect(false)) {
            Reply r = c.call("FLUSHALL");
            if (!Reply.OK.equals(r)) {
                throw new IllegalStateException("FLUSHALL before the test answered " + ReplyFormat.reply(r));
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
        Class<?> t = pc.getParameter().getType();
        return t == RespClient.class || t == RedisServerProcess.class;
    }

    @Override
    public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
        RedisServerProcess server = server(ec);
        Class<?> t = pc.getParameter().getType();
        if (t == RedisServerProcess.class) {
            return server;
        }
        if (t == RespClient.class) {
            RespClient client = server.connect();
            // closed when this context (test method or class) ends
            ec.getStore(NS).put(new Object(), (ExtensionContext.Store.CloseableResource) client::close);
            return client;
        }
        throw new ParameterResolutionException("unsupported parameter type " + t);
    }

    /** The shared server, started on first use; fails or aborts when there is none. */
    private static RedisServerProcess server(ExtensionContext context) {
        return shared(context).get();
    }

    private static SharedServer shared(ExtensionContext context) {
        ExtensionContext.Store root = context.getRoot().getStore(NS);
        return root.getOrComputeIfAbsent(SERVER_KEY, k -> SharedServer.start(), SharedServer.class);
    }

    /**
     * Disables the class (and so each of its tests; reporters count them as skipped) when the
     * decision is {@link Action#SKIP}, printing the banner; otherwise leaves it enabled, so that a
     * {@link Action#FAIL} decision or a start failure surfaces as a failure in {@code beforeAll}.
     */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        SharedServer shared = shared(context);
        if (shared.decision != null && shared.decision.action() == Action.SKIP) {
            try {
                enforce(shared.decision, System.err);
            } catch (TestAbortedException e) {
                return ConditionEvaluationResult.disabled(e.getMessage());
            }
        }
        return ConditionEvaluationResult.enabled("redis-server available or required");
    }

    /** Holds the shared server, or the reason there is none; closed by JUnit at the end of the run. */
    private static final class SharedServer implements ExtensionContext.Store.CloseableResource {
        private final RedisServerProcess server;
        private final Decision decision;
        private final RuntimeException startFailure;

        private SharedServer(RedisServerProcess server, Decision decision, RuntimeException startFailure) {
            this.server = server;
            this.decision = decision;
            this.startFailure = startFailure;
        }

        static SharedServer start() {
            Optional<Path> exe;
            try {
                exe = RedisServerProcess.locate();
            } catch (IllegalStateException e) {
                return new SharedServer(null, null, e);
            }
            Decision d = decide(exe, System.getenv());
            if (d.action() != Action.RUN) {
                return new SharedServer(null, d, null);
            }
            try {
                return new SharedServer(RedisServerProcess.start(exe.get(), RedisServerProcess.DEFAULT_START_TIMEOUT,
                        java.util.List.of()), d, null);
            } catch (RuntimeException e) {
                return new SharedServer(null, d, e);
            }
        }

        RedisServerProcess get() {
            if (startFailure != null) {
                throw new ExtensionConfigurationException("cannot provide redis-server: " + startFailure.getMessage(),
                        startFailure);
            }
            enforce(decision, System.err);
            return server;
        }

        @Override
        public void close() {
            if (server != null) {
                server.close();
            }
        }
    }
}
