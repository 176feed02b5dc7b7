package io.redjar.internal.command;

import io.redjar.internal.server.ClientState;

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
    private ClientState client;
    private int after;
    private TxState tx;
    private boolean fromScript;
    private boolean errorCounted;

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
        if (client != null) {
            client.db(index);
        }
    }

    /** @return whether the commands must be obeyed as written (see {@link #mustObey(boolean)}) */
    public boolean mustObey() {
        return mustObey;
    }

    /**
     * Marks the context as one whose commands must be obeyed as written (Redis's
     * {@code mustObeyClient}: the AOF loader, a master link): XADD/XTRIM then ignore LIMIT.
     */
    public void mustObey(boolean obey) {
        this.mustObey = obey;
    }

    private boolean mustObey;

    /** @return whether this context is a script's (redis.call), Redis's {@code CLIENT_SCRIPT} */
    public boolean fromScript() {
        return fromScript;
    }

    /** Marks this context as a script's (set once, by the scripting runtime). */
    public void fromScript(boolean script) {
        this.fromScript = script;
    }

    /** @return the RESP protocol version the session speaks (2 or 3) */
    public int protocol() {
        return protocol;
    }

    public void protocol(int version) {
        this.protocol = version;
        if (client != null) {
            client.protocol(version);
        }
    }

    /**
     * @return the client this context belongs to: set when a network connection is opened, or
     *         created on first use for an embedded session; null until then
     */
    public ClientState client() {
        return client;
    }

    /** Attaches the context's client (and tells it the selected database and protocol). */
    public void client(ClientState c) {
        this.client = c;
        if (c != null) {
            c.db(db);
            c.protocol(protocol);
        }
    }

    /**
     * @return the session's transaction state (MULTI queue, WATCHed keys), created on first use
     *         with the engine's WATCH registry
     */
    public TxState tx() {
        TxState t = tx;
        if (t == null) {
            t = new TxState(engine.watches());
            tx = t;
        }
        return t;
    }

    /** @return the session's transaction state, or null if it never used one */
    public TxState txIfAny() {
        return tx;
    }

    /** After the reply: nothing special. */
    public static final int AFTER_NOTHING = 0;
    /** After the reply: flush it at once (MONITOR). */
    public static final int AFTER_FLUSH = 1;
    /** After the reply: close the connection (QUIT). */
    public static final int AFTER_CLOSE = 2;

    /** A connection command asks its connection to act after the reply ({@link #AFTER_FLUSH}, {@link #AFTER_CLOSE}). */
    public void after(int action) {
        this.after = action;
    }

    /** @return what the last command asked for after its reply, clearing it */
    public int takeAfter() {
        int a = after;
        after = AFTER_NOTHING;
        return a;
    }

    private io.redjar.internal.blocking.Waiter<io.redjar.Reply> blocked;

    /**
     * A blocking command could not be served at once and left a waiter: the reply will come
     * through its future. The command's handler returns a placeholder reply.
     */
    public void block(io.redjar.internal.blocking.Waiter<io.redjar.Reply> w) {
        this.blocked = w;
    }

    /** @return whether the command running now has blocked (its waiter not taken yet) */
    public boolean hasBlocked() {
        return blocked != null;
    }

    /** @return the waiter the last command left, clearing it; null if it replied at once */

    public io.redjar.internal.blocking.Waiter<io.redjar.Reply> takeBlocked() {
        io.redjar.internal.blocking.Waiter<io.redjar.Reply> w = blocked;
        blocked = null;
        return w;
    }

    private java.util.List<io.redjar.Reply> frames;

    /**
     * A command answers with several frames (SUBSCRIBE: one confirmation per channel): the
     * handler hands them here and returns the last one (what stats and MONITOR see).
     */
    public void frames(java.util.List<io.redjar.Reply> f) {
        this.frames = f;
    }

    /** @return the frames the last command left, clearing them; null if it had one reply */
    public java.util.List<io.redjar.Reply> takeFrames() {
        java.util.List<io.redjar.Reply> f = frames;
        frames = null;
        return f;
    }

    /**
     * The error reply this call is about to return was already counted in INFO errorstats (a
     * script passing on the error of a command it called: Redis's
     * {@code ERR_REPLY_FLAG_NO_STATS_UPDATE}): the call counts as failed, the error not again.
     */
    public void errorAlreadyCounted() {
        errorCounted = true;
    }

    /** @return whether {@link #errorAlreadyCounted} was called since the last take; clears it */
    public boolean takeErrorAlreadyCounted() {
        boolean b = errorCounted;
        errorCounted = false;
        return b;
    }
}
