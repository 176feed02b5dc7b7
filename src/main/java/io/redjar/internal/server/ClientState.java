package io.redjar.internal.server;

import io.redjar.spi.Peer;

/**
 * What the core knows about one client: id, name, authentication, CLIENT flags and reply mode,
 * MONITOR, the last command, and a copy of its selected database and protocol (for CLIENT LIST
 * from other clients). One per network connection (with its {@link Peer}) or, created lazily by
 * the CLIENT commands, per embedded session (no peer, empty addresses).
 *
 * <p><b>Thread-safety:</b> written by the client's own thread (its event loop or session
 * thread); read by other clients (CLIENT LIST, SLOWLOG, MONITOR) through volatiles, so they may
 * see slightly stale values, as in Redis. The reply mode and pending skips are the owner's only.
 */
public final class ClientState implements ConnectionInfo {
    /** CLIENT REPLY's modes. */
    public enum ReplyMode { ON, OFF }

    private final long id;
    private final Peer peer;
    private final long createdMillis = System.currentTimeMillis();
    private volatile long lastInteractionMillis = createdMillis;
    private volatile String name;
    private volatile boolean authenticated;
    private volatile String lastCommand = "NULL";
    private volatile boolean noEvict;
    private volatile boolean noTouch;
    private volatile String libName;
    private volatile String libVer;
    private volatile boolean monitor;
    private volatile int subChannels;
    private volatile int subPatterns;
    private volatile int subShards;
    private volatile int db;
    private volatile int protocol = 2;
    private ReplyMode replyMode = ReplyMode.ON;
    private int skip;
    private final ClientTracking tracking = new ClientTracking();
    private volatile boolean closing;
    private volatile java.util.function.Predicate<io.redjar.Reply> unblocker;
    /** The ACL user the client is authenticated as; null: the default user. */
    private volatile ClientUser user;

    /**
     * @param peer          the network end, or null for an embedded session
     * @param authenticated whether the client starts authenticated (no password set, or embedded)
     */
    public ClientState(long id, Peer peer, boolean authenticated) {
        this.id = id;
        this.peer = peer;
        this.authenticated = authenticated;
    }

    @Override
    public long id() {
        return id;
    }

    /** Marks the client as closing after its reply (QUIT): Redis frees it right after writing it. */
    public void closing() {
        this.closing = true;
    }

    /** @return whether the client QUIT (it is freed once its reply is written) */
    public boolean isClosing() {
        return closing;
    }

    /** @return the client's client-side-caching state (CLIENT TRACKING) */
    public ClientTracking tracking() {
        return tracking;
    }

    /** @return the network end, or null for an embedded session */
    public Peer peer() {
        return peer;
    }

    @Override
    public String addr() {
        return peer == null ? "" : peer.address();
    }

    /** @return the local address, {@code ""} when embedded */
    public String laddr() {
        return peer == null ? "" : peer.localAddress();
    }

    @Override
    public String name() {
        return name;
    }

    /** Sets (null: clears) the client name. */
    public void name(String n) {
        this.name = n;
    }

    public boolean authenticated() {
        return authenticated;
    }

    public void authenticated(boolean a) {
        this.authenticated = a;
    }

    /** Records a command from this client: the {@code cmd=} field and the idle clock. */
    public void touched(String command) {
        this.lastCommand = command;
        this.lastInteractionMillis = System.currentTimeMillis();
    }

    public void noEvict(boolean on) {
        this.noEvict = on;
    }

    public void noTouch(boolean on) {
        this.noTouch = on;
    }

    public void libName(String v) {
        this.libName = v;
    }

    public void libVer(String v) {
        this.libVer = v;
    }

    public boolean monitor() {
        return monitor;
    }

    void monitor(boolean on) {
        this.monitor = on;
    }

    /** Mirrors the client's pub/sub subscription counts (set by the pub/sub registry). */
    public void subscriptions(int channels, int patterns, int shards) {
        this.subChannels = channels;
        this.subPatterns = patterns;
        this.subShards = shards;
    }

    /** @return whether the client has any subscription (Redis's {@code CLIENT_PUBSUB} flag) */
    public boolean pubsubMode() {
        return subChannels + subPatterns + subShards > 0;
    }

    /** @return the protocol the client speaks (2 or 3) */
    public int protocol() {
        return protocol;
    }

    /** Mirrors the session's selected database (for other clients' CLIENT LIST). */
    public void db(int index) {
        this.db = index;
    }

    /** Mirrors the session's protocol. */
    public void protocol(int version) {
        this.protocol = version;
    }

    public ReplyMode replyMode() {
        return replyMode;
    }

    public void replyMode(ReplyMode m) {
        this.replyMode = m;
    }

    /**
     * @return whether the reply now being sent is to be dropped: the mode is OFF, or a CLIENT
     *         REPLY SKIP is pending (consuming one skipped reply)
     */
    public boolean takeSuppressed() {
        if (replyMode == ReplyMode.OFF) {
            return true;
        }
        if (skip > 0) {
            skip--;
            return true;
        }
        return false;
    }

    /** Drops the next {@code n} replies (CLIENT REPLY SKIP: its own and the next command's, n = 2); 0 cancels. */
    public void skipReplies(int n) {
        this.skip = n;
    }

    /** @return the ACL user the client runs as, or null for the default user */
    public ClientUser user() {
        return user;
    }

    /** Sets the ACL user the client runs as (AUTH, HELLO AUTH); null: the default user. */
    public void user(ClientUser u) {
        this.user = u;
    }

    /** @return the name of the ACL user ({@code user=} of CLIENT LIST) */
    public String userName() {
        ClientUser u = user;
        return u == null ? "default" : u.name();
    }

    /** RESET's part here: name, CLIENT flags, reply mode and tracking back to their defaults. */
    public void reset(boolean authenticatedAfter) {
        name = null;
        replyMode = ReplyMode.ON;
        skip = 0;
        noEvict = false;
        noTouch = false;
        authenticated = authenticatedAfter;
        user = null;
        tracking.disable(this);
    }

    private final QueryBuffer queryBuffer = new QueryBuffer();
    /** Held by CLIENT PAUSE (CLIENT LIST flag {@code b}). */
    private volatile boolean postponed;

    /** Marks the client held (or no longer held) by CLIENT PAUSE. */
    public void postponed(boolean held) {
        this.postponed = held;
    }

    /** @return the query buffer's size accounting (CLIENT LIST {@code qbuf-free}) */
    public QueryBuffer queryBuffer() {
        return queryBuffer;
    }

    /** @return seconds since the client's last command (CLIENT LIST {@code idle}) */
    public long idleSeconds(long nowMillis) {
        return (nowMillis - lastInteractionMillis) / 1000;
    }

    /** {@link #infoLine(long, int)} for a client that is not running the command. */
    public String infoLine() {
        return infoLine(0, -1);
    }

    /**
     * One CLIENT LIST line, Redis 7.0's fields (memory and output-buffer fields are not tracked:
     * 0).
     *
     * @param qbuf   bytes in the client's query buffer: for the client running CLIENT LIST / INFO,
     *               its own command (Redis reports the buffer that still holds it), else 0
     * @param multi  commands queued in its MULTI, or -1 when not in MULTI
     */
    public String infoLine(long qbuf, int multi) {
        long now = System.currentTimeMillis();
        StringBuilder flags = new StringBuilder();
        if (monitor) {
            flags.append('O');
        }
        if (pubsubMode()) {
            flags.append('P');
        }
        if (multi >= 0) {
            flags.append('x');
        }
        if (unblocker != null || postponed) {
            flags.append('b'); // in a blocking command, or held by CLIENT PAUSE
        }
        tracking.flags(flags);
        if (noEvict) {
            flags.append('e');
        }
        if (noTouch) {
            flags.append('T');
        }
        if (flags.length() == 0) {
            flags.append('N');
        }
        String n = name == null ? "" : name;
        return "id=" + id + " addr=" + addr() + " laddr=" + laddr() + " fd=-1 name=" + n
            + " age=" + (now - createdMillis) / 1000 + " idle=" + (now - lastInteractionMillis) / 1000
            + " flags=" + flags + " db=" + db + " sub=" + subChannels + " psub=" + subPatterns + " ssub=" + subShards
            + " multi=" + multi + " qbuf=" + qbuf + " qbuf-free=" + queryBuffer.free(qbuf)
            + " argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 events=r cmd=" + lastCommand
            + " user=" + userName() + " redir=" + tracking.redirField() + " resp=" + protocol
            + (libName != null ? " lib-name=" + libName : "") + (libVer != null ? " lib-ver=" + libVer : "")
            + "\n";
    }

    /**
     * While the client waits in a blocking command (BLPOP, XREAD BLOCK...), how CLIENT UNBLOCK
     * ends the wait: the predicate completes the command with the given reply (null: the
     * command's own timeout reply) and answers whether it was still waiting. Set by the front end.
     */
    public void unblocker(java.util.function.Predicate<io.redjar.Reply> u) {
        this.unblocker = u;
    }

    /** Clears {@link #unblocker} if it is still {@code u} (the blocked command ended). */
    public void clearUnblocker(java.util.function.Predicate<io.redjar.Reply> u) {
        if (this.unblocker == u) {
            this.unblocker = null;
        }
    }

    /** @return the current {@link #unblocker}, null when the client is not blocked */
    public java.util.function.Predicate<io.redjar.Reply> unblocker() {
        return unblocker;
    }
}
