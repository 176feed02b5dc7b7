package io.redjar.internal.command;

import io.redjar.internal.server.ConnectionInfo;

/**
 * The state one command runs with: the engine and the caller's session state (selected database,
 * protocol version). A session owns one context and reuses it for every command.
 *
 * <p><b>Thread-safety:</b> not thread-safe; confined to its session.
 */
public final class ExecContext {
    private final CommandHost engine;
    private int db;
    private int protocol = 2;
    private ConnectionInfo client;

    public ExecContext(CommandHost engine, int db) {
        this.engine = engine;
        this.db = db;
    }

    /** @return the store's parts (the composition root, seen through {@link CommandHost}) */
    public CommandHost engine() {
        return engine;
    }

    /** @return the selected database */
    public int db() {
        return db;
    }

    /** Selects a database (already validated). */
    public void db(int index) {
        this.db = index;
    }

    /** @return the RESP protocol version the session speaks (2 or 3) */
    public int protocol() {
        return protocol;
    }

    public void protocol(int version) {
        this.protocol = version;
    }

    /** @return the client this context belongs to (set by the RESP module), or null */
    public ConnectionInfo client() {
        return client;
    }

    public void client(ConnectionInfo info) {
        this.client = info;
    }

    private io.redjar.internal.blocking.Waiter<io.redjar.Reply> blocked;

    /**
     * A blocking command could not be served at once and left a waiter: the reply will come
     * through its future. The command's handler returns a placeholder reply.
     */
    public void block(io.redjar.internal.blocking.Waiter<io.redjar.Reply> w) {
        this.blocked = w;
    }

    /** @return the waiter the last command left, clearing it; null if it replied at once */
    public io.redjar.internal.blocking.Waiter<io.redjar.Reply> takeBlocked() {
        io.redjar.internal.blocking.Waiter<io.redjar.Reply> w = blocked;
        blocked = null;
        return w;
    }
}
