package io.redjar;

import io.redjar.internal.Engine;
import io.redjar.internal.Internals;
import io.redjar.internal.command.ExecContext;
import io.redjar.internal.util.Preconditions;

import java.nio.charset.StandardCharsets;

/**
 * A connection-like view of a store for textual commands: it remembers the selected database
 * ({@code SELECT}) and, for the RESP module, the protocol version. Every command runs through the
 * same command table and code as the typed handles.
 *
 * <pre>{@code
 * Session s = store.newSession();
 * s.execute("SELECT", "2");
 * Reply r = s.execute("SET", "k", "v", "EX", "10");
 * }</pre>
 *
 * <p>Blocking commands ({@code BLPOP}, {@code BRPOP}, {@code BLMOVE}, {@code BRPOPLPUSH},
 * {@code BLMPOP}, {@code BZPOPMIN}, {@code BZPOPMAX}) wait in {@link #execute} until served or
 * timed out (timeout 0 waits forever; interrupting the thread unblocks it with the timeout reply
 * and the interrupt flag set), or complete a future with {@link #executeAsync}. No lock is held
 * while waiting.
 *
 * <p><b>Arguments:</b> a null argument, or a null element of an array or map argument, is
 * rejected with {@link NullPointerException} naming it ({@code "key must not be null"},
 * {@code "members[1] must not be null"}) before the store is touched; a {@code Duration} or
 * {@code Instant} whose milliseconds overflow a {@code long} with {@link IllegalArgumentException}.
 * Values that Redis itself judges (negative counts, zero expiries, ...) get Redis's error.
 *
 * <p><b>Thread-safety:</b> not thread-safe: one session per thread or connection (sessions are
 * cheap). Commands from different sessions run concurrently and atomically.
 */
public final class Session {
    static {
        Internals.sessionAccessor(o -> o instanceof Session s ? s.ctx : null);
    }

    private final ExecContext ctx;
    private final Engine engine;

    Session(Engine engine, int db) {
        this.engine = engine;
        this.ctx = new ExecContext(engine, db);
    }

    /** Runs one command; errors come back as {@link Reply.ErrorReply}, never as exceptions. */
    public Reply execute(byte[]... argv) {
        Preconditions.noNullElements(argv, "argv");
        Reply r = engine.dispatcher().dispatch(ctx, argv);
        io.redjar.internal.blocking.Waiter<Reply> w = ctx.takeBlocked();
        if (w == null) {
            return r;
        }
        try {
            return w.future().get();
        } catch (InterruptedException e) {
            if (engine.blocking().cancel(w)) {
                Thread.currentThread().interrupt();
                return w.future().join(); // the command's timeout reply
            }
            Thread.currentThread().interrupt();
            return w.future().join(); // served just before the interrupt
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Runs one command without blocking the caller: a blocking command ({@code BLPOP},
     * {@code BZPOPMIN}, ...) that cannot be served at once completes the future later, when it is
     * served or times out; every other command's future is already complete.
     *
     * <p>Cancelling the returned future unblocks the command (it will not take an element).
     */
    public java.util.concurrent.CompletableFuture<Reply> executeAsync(byte[]... argv) {
        Preconditions.noNullElements(argv, "argv");
        Reply r = engine.dispatcher().dispatch(ctx, argv);
        io.redjar.internal.blocking.Waiter<Reply> w = ctx.takeBlocked();
        if (w == null) {
            return java.util.concurrent.CompletableFuture.completedFuture(r);
        }
        java.util.concurrent.CompletableFuture<Reply> view = w.future().thenApply(x -> x);
        view.whenComplete((x, ex) -> {
            if (view.isCancelled()) {
                engine.blocking().cancel(w);
            }
        });
        return view;
    }

    /** {@link #executeAsync(byte[]...)} with string arguments (UTF-8). */
    public java.util.concurrent.CompletableFuture<Reply> executeAsync(String... argv) {
        Preconditions.noNullElements(argv, "argv");
        byte[][] a = new byte[argv.length][];
        for (int i = 0; i < argv.length; i++) {
            a[i] = argv[i].getBytes(StandardCharsets.UTF_8);
        }
        return executeAsync(a);
    }

    /** Runs one command given as strings (UTF-8). */
    public Reply execute(String... argv) {
        Preconditions.noNullElements(argv, "argv");
        byte[][] a = new byte[argv.length][];
        for (int i = 0; i < argv.length; i++) {
            a[i] = argv[i].getBytes(StandardCharsets.UTF_8);
        }
        return execute(a);
    }

    /** @return the selected database */
    public int database() {
        return ctx.db();
    }

    /** @return the protocol version replies are meant for (2 unless changed) */
    public int protocol() {
        return ctx.protocol();
    }

    /** Sets the protocol version (the RESP module does this on {@code HELLO}). */
    public void protocol(int version) {
        if (version != 2 && version != 3) {
            throw new IllegalArgumentException("protocol must be 2 or 3: " + version);
        }
        ctx.protocol(version);
    }
}
