package io.redjar;

import io.redjar.internal.Engine;
import io.redjar.internal.command.ExecContext;

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
 * <p><b>Thread-safety:</b> not thread-safe: one session per thread or connection (sessions are
 * cheap). Commands from different sessions run concurrently and atomically.
 */
public final class Session {
    private final ExecContext ctx;
    private final Engine engine;

    Session(Engine engine, int db) {
        this.engine = engine;
        this.ctx = new ExecContext(engine, db);
    }

    /** Runs one command; errors come back as {@link Reply.ErrorReply}, never as exceptions. */
    public Reply execute(byte[]... argv) {
        return engine.dispatcher().dispatch(ctx, argv);
    }

    /** Runs one command given as strings (UTF-8). */
    public Reply execute(String... argv) {
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

    /** Internal: the command context, for the RESP module. Not part of the supported API. */
    public ExecContext context() {
        return ctx;
    }
}
