package io.redjar.internal.command;

import io.redjar.ErrorPrefix;
import io.redjar.RedJarException;
import io.redjar.Reply;
import io.redjar.SyntaxException;
import io.redjar.internal.server.ClientRegistry;
import io.redjar.internal.server.ClientState;
import io.redjar.internal.server.ServerState;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.redjar.internal.command.CommandFlag.ADMIN;
import static io.redjar.internal.command.CommandFlag.ALLOW_BUSY;
import static io.redjar.internal.command.CommandFlag.FAST;
import static io.redjar.internal.command.CommandFlag.LOADING;
import static io.redjar.internal.command.CommandFlag.NOSCRIPT;
import static io.redjar.internal.command.CommandFlag.NO_AUTH;
import static io.redjar.internal.command.CommandFlag.STALE;

/**
 * The connection commands, once, for network connections and embedded sessions alike: HELLO,
 * AUTH, RESET, QUIT, MONITOR and CLIENT (ID, GETNAME, SETNAME, INFO, LIST, KILL, NO-EVICT,
 * NO-TOUCH, REPLY, SETINFO, HELP). They act on the context's {@link ClientState}: the one a
 * network connection was opened with ({@code io.redjar.spi.FrontEnd#connect}), or for an embedded
 * session one created on first use (not listed by CLIENT LIST, never asked to authenticate).
 *
 * <p>What needs the socket is asked of the connection: QUIT and MONITOR through
 * {@link ExecContext#after}, reply suppression (CLIENT REPLY) through the client's reply mode,
 * CLIENT KILL through the victim's {@code Peer}. Embedded sessions have no socket: CLIENT REPLY
 * OFF|SKIP and MONITOR are errors there.
 *
 * <p><b>Thread-safety:</b> stateless; each handler runs on its client's thread.
 */
public final class ClientCommands {
    private static final String G = "connection";
    private static final List<String> CLIENT_TYPES = List.of("normal", "master", "replica", "slave", "pubsub");
    /** Redis 7.0.15's CLIENT HELP text (NO-TOUCH and SETINFO, from later versions, work but are not listed). */
    private static final String[] CLIENT_HELP = {
        "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CACHING (YES|NO)",
        "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
        "GETREDIR",
        "    Return the client ID we are redirecting to when tracking is enabled.",
        "GETNAME",
        "    Return the name of the current connection.",
        "ID",
        "    Return the ID of the current connection.",
        "INFO",
        "    Return information about the current client connection.",
        "KILL <ip:port>",
        "    Kill connection made from <ip:port>.",
        "KILL <option> <value> [<option> <value> [...]]",
        "    Kill connections. Options are:",
        "    * ADDR (<ip:port>|<unixsocket>:0)",
        "      Kill connections made from the specified address",
        "    * LADDR (<ip:port>|<unixsocket>:0)",
        "      Kill connections made to specified local address",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
        "      Kill connections by type.",
        "    * USER <username>",
        "      Kill connections authenticated by <username>.",
        "    * SKIPME (YES|NO)",
        "      Skip killing current connection (default: yes).",
        "LIST [options ...]",
        "    Return information about client connections. Options:",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
        "      Return clients of specified type.",
        "UNPAUSE",
        "    Stop the current client pause, resuming traffic.",
        "PAUSE <timeout> [WRITE|ALL]",
        "    Suspend all, or just write, clients for <timeout> milliseconds.",
        "REPLY (ON|OFF|SKIP)",
        "    Control the replies sent to the current connection.",
        "SETNAME <name>",
        "    Assign the name <name> to the current connection.",
        "UNBLOCK <clientid> [TIMEOUT|ERROR]",
        "    Unblock the specified blocked client.",
        "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
        "         [OPTIN] [OPTOUT] [NOLOOP]",
        "    Control server assisted client side caching.",
        "TRACKINGINFO",
        "    Report tracking status for the current connection.",
        "NO-EVICT (ON|OFF)",
        "    Protect current client connection from eviction.",
        "HELP",
        "    Prints this help.",
    };
    private static final String BAD_NAME = "Client names cannot contain spaces, newlines or special characters.";

    private ClientCommands() {
    }

    /** @return the context's client, creating an embedded one on first use */
    static ClientState client(ExecContext c) {
        ClientState cs = c.client();
        if (cs == null) {
            cs = c.engine().clients().embedded();
            c.client(cs);
        }
        return cs;
    }

    private static boolean embedded(ClientState cs) {
        return cs.peer() == null;
    }

    private static boolean validName(byte[] name) {
        for (byte b : name) {
            if (b < '!' || b > '~') {
                return false;
            }
        }
        return true;
    }

    /**
     * Redis's {@code ACLAuthenticateUser}: on success the client runs as the user; a failure is
     * logged in the ACL log (its object: the command name as sent).
     */
    private static boolean authenticate(ExecContext c, ClientState cs, byte[] user, byte[] pass, String command) {
        String name = new String(user, StandardCharsets.ISO_8859_1);
        TxState tx = c.txIfAny();
        io.redjar.internal.server.ClientUser u = c.engine().access().authenticate(cs, name, pass, command, tx != null && tx.inMulti());
        if (u == null) {
            return false;
        }
        cs.user(u);
        cs.authenticated(true);
        return true;
    }

    private static RedJarException wrongpass() {
        return new RedJarException(ErrorPrefix.WRONGPASS, "invalid username-password pair or user is disabled.");
    }

    private static String lower(byte[] b) {
        return Args.str(b).toLowerCase(Locale.ROOT);
    }

    /** Adds HELLO, AUTH, CLIENT, RESET, QUIT and MONITOR to {@code t}. */
    public static void register(CommandTable t) {
        t.add("hello", -1).flags(NOSCRIPT, LOADING, STALE, FAST, NO_AUTH, ALLOW_BUSY).doc(G, "Handshake with Redis")
            .handler(ClientCommands::hello);
        t.add("auth", -2).flags(NOSCRIPT, LOADING, STALE, FAST, NO_AUTH, ALLOW_BUSY).doc(G, "Authenticate to the server")
            .handler(ClientCommands::auth);
        t.add("reset", 1).flags(NOSCRIPT, LOADING, STALE, FAST, NO_AUTH, ALLOW_BUSY).doc(G, "Reset the connection")
            .handler(ClientCommands::reset);
        t.add("quit", -1).flags(ALLOW_BUSY, NOSCRIPT, LOADING, STALE, FAST, NO_AUTH).doc(G, "Close the connection")
            .handler((c, a) -> {
                c.after(ExecContext.AFTER_CLOSE);
                // Redis frees the client right after writing this reply, before it serves anyone
                // else: its subscriptions must be gone before the +OK, not when the socket closes
                ClientState cs = c.client();
                if (cs != null) {
                    c.engine().leavePubSub(cs);
                    cs.closing(); // gone for CLIENT TRACKING redirections too (tracking-redir-broken)
                }
                return Reply.OK;
            });
        t.add("monitor", 1).flags(ADMIN, NOSCRIPT, LOADING, STALE).doc("server", "Listen for all requests received by the server in real time")
            .handler((c, a) -> {
                TxState tx = c.txIfAny();
                if (tx != null && tx.executing()) {
                    // Redis: a client that expects one reply per command (inside EXEC) cannot
                    throw new RedJarException(ErrorPrefix.ERR, "MONITOR isn't allowed for DENY BLOCKING client");
                }
                ClientState cs = client(c);
                if (embedded(cs)) {
                    throw new RedJarException(ErrorPrefix.ERR, "MONITOR needs a network connection: use the RESP server (redjar-resp)");
                }
                // attached before the +OK is written; the connection flushes the +OK at once, so
                // every fed line follows it
                c.engine().monitors().add(cs);
                c.after(ExecContext.AFTER_FLUSH);
                return Reply.OK;
            });

        t.add("client", -2).doc(G, "A container for client connection commands").handler((c, a) -> {
            throw new IllegalStateException("container command");
        });
        t.addSub("client", "id", 2).flags(NOSCRIPT, LOADING, STALE).doc(G, "Returns the client ID for the current connection")
            .handler((c, a) -> Reply.integer(client(c).id()));
        t.addSub("client", "getname", 2).flags(NOSCRIPT, LOADING, STALE).doc(G, "Get the current connection name")
            .handler((c, a) -> {
                String name = client(c).name();
                return name == null ? Reply.NULL : Reply.bulk(name);
            });
        t.addSub("client", "setname", 3).flags(NOSCRIPT, LOADING, STALE).doc(G, "Set the current connection name")
            .handler((c, a) -> {
                if (!validName(a[2])) {
                    throw new RedJarException(ErrorPrefix.ERR, BAD_NAME);
                }
                client(c).name(a[2].length == 0 ? null : Args.str(a[2]));
                return Reply.OK;
            });
        t.addSub("client", "info", 2).flags(NOSCRIPT, LOADING, STALE)
            .tips("nondeterministic_output")
            .doc(G, "Returns information about the current client connection.")
            .handler((c, a) -> {
                ClientState cs = client(c);
                return new Reply.Verbatim("txt", ownLine(c, cs, a, "client|info"));
            });
        t.addSub("client", "list", -2).flags(ADMIN, NOSCRIPT, LOADING, STALE)
            .tips("nondeterministic_output")
            .doc(G, "Get the list of client connections")
            .handler(ClientCommands::list);
        t.addSub("client", "kill", -3).flags(ADMIN, NOSCRIPT, LOADING, STALE).doc(G, "Kill the connection of a client")
            .handler(ClientCommands::kill);
        t.addSub("client", "unblock", -3).flags(ADMIN, NOSCRIPT, LOADING, STALE)
            .doc(G, "Unblock a client blocked in a blocking command from a different connection")
            .handler(ClientCommands::unblock);
        for (String flag : List.of("no-evict", "no-touch")) {
            t.addSub("client", flag, 3).flags(flag.equals("no-evict") ? new CommandFlag[] {ADMIN, NOSCRIPT, LOADING, STALE}
                    : new CommandFlag[] {NOSCRIPT, LOADING, STALE}).doc(G, "Set client " + flag + " mode for the current connection")
                .handler((c, a) -> {
                    boolean on = Args.is(a[2], "on");
                    if (!on && !Args.is(a[2], "off")) {
                        throw new SyntaxException();
                    }
                    if (flag.equals("no-evict")) {
                        client(c).noEvict(on);
                    } else {
                        client(c).noTouch(on);
                    }
                    return Reply.OK;
                });
        }
        t.addSub("client", "pause", -3).flags(ADMIN, NOSCRIPT, LOADING, STALE)
            .doc(G, "Stop processing commands from clients for some time")
            .handler(ClientCommands::pause);
        t.addSub("client", "unpause", 2).flags(ADMIN, NOSCRIPT, LOADING, STALE)
            .doc(G, "Resume processing of clients that were paused")
            .handler((c, a) -> {
                c.engine().pause().unpause(io.redjar.internal.server.ClientPause.Purpose.CLIENT_COMMAND);
                return Reply.OK;
            });
        t.addSub("client", "reply", 3).flags(NOSCRIPT, LOADING, STALE).doc(G, "Instruct the server whether to reply to commands")
            .handler(ClientCommands::reply);
        t.addSub("client", "setinfo", 4).flags(NOSCRIPT, LOADING, STALE).doc(G, "Set client or connection specific info")
            .handler((c, a) -> {
                String attr = lower(a[2]);
                if (!attr.equals("lib-name") && !attr.equals("lib-ver")) {
                    throw new RedJarException(ErrorPrefix.ERR, "Unrecognized option '" + Args.str(a[2]) + "'");
                }
                if (!validName(a[3])) {
                    throw new RedJarException(ErrorPrefix.ERR, attr + " cannot contain spaces, newlines or special characters.");
                }
                if (attr.equals("lib-name")) {
                    client(c).libName(Args.str(a[3]));
                } else {
                    client(c).libVer(Args.str(a[3]));
                }
                return Reply.OK;
            });
        t.addSub("client", "help", 2).flags(LOADING, STALE).doc(G, "Show helpful text about the different subcommands")
            .handler((c, a) -> IntrospectionCommands.help(CLIENT_HELP));
    }

    /** CLIENT PAUSE timeout [WRITE|ALL] (Redis 7.0's {@code clientCommand}). */
    private static Reply pause(ExecContext c, byte[][] a) {
        if (a.length > 4) {
            throw new RedJarException(ErrorPrefix.ERR, "unknown subcommand or wrong number of arguments for 'pause'. Try CLIENT HELP.");
        }
        io.redjar.internal.server.ClientPause.Type type = io.redjar.internal.server.ClientPause.Type.ALL;
        if (a.length == 4) {
            if (Args.is(a[3], "write")) {
                type = io.redjar.internal.server.ClientPause.Type.WRITE;
            } else if (!Args.is(a[3], "all")) {
                throw new RedJarException(ErrorPrefix.ERR, "CLIENT PAUSE mode must be WRITE or ALL");
            }
        }
        if (!io.redjar.internal.util.Numbers.isLong(a[2])) {
            throw new RedJarException(ErrorPrefix.ERR, "timeout is not an integer or out of range");
        }
        long ms = io.redjar.internal.util.Numbers.parseLong(a[2]);
        if (ms < 0) {
            throw new RedJarException(ErrorPrefix.ERR, "timeout is negative");
        }
        long end = ms > 0 ? c.engine().keyspace().clock().millis() + ms : 0;
        if (ms > 0 && end < 0) {
            end = Long.MAX_VALUE;
        }
        c.engine().pause().pause(io.redjar.internal.server.ClientPause.Purpose.CLIENT_COMMAND, end, type);
        return Reply.OK;
    }

    private static Reply auth(ExecContext c, byte[][] a) {
        if (a.length > 3) {
            throw new SyntaxException();
        }
        if (a.length == 2 && c.engine().access().defaultNopass()) {
            throw new RedJarException(ErrorPrefix.ERR, "AUTH <password> called without any password configured for the default user. "
                + "Are you sure your configuration is correct?");
        }
        byte[] user = a.length == 3 ? a[1] : "default".getBytes(StandardCharsets.US_ASCII);
        if (!authenticate(c, client(c), user, a[a.length - 1], Args.str(a[0]))) {
            throw wrongpass();
        }
        return Reply.OK;
    }

    private static Reply reset(ExecContext c, byte[][] a) {
        ClientState cs = client(c);
        c.tx().discard(); // MULTI and WATCH end too
        c.db(0);
        c.protocol(2);
        cs.reset(embedded(cs) || !c.engine().access().defaultNeedsAuth());
        c.engine().monitors().remove(cs);
        c.engine().leavePubSub(cs); // every channel, pattern and shard channel, silently
        return new Reply.SimpleString("RESET");
    }

    private static Reply reply(ExecContext c, byte[][] a) {
        ClientState cs = client(c);
        if (Args.is(a[2], "on")) {
            cs.replyMode(ClientState.ReplyMode.ON);
            cs.skipReplies(0);
            return Reply.OK;
        }
        boolean off = Args.is(a[2], "off");
        if (!off && !Args.is(a[2], "skip")) {
            throw new SyntaxException();
        }
        if (embedded(cs)) {
            throw new RedJarException(ErrorPrefix.ERR, "CLIENT REPLY OFF|SKIP needs a network connection");
        }
        if (off) {
            cs.replyMode(ClientState.ReplyMode.OFF);
        } else if (cs.replyMode() == ClientState.ReplyMode.ON) {
            cs.skipReplies(2); // this command's reply and the next one's
        }
        return Reply.OK; // dropped by the connection: the mode says so
    }

    private static Reply list(ExecContext c, byte[][] a) {
        ClientState self = client(c);
        String selfLine = ownLine(c, self, a, "client|list");
        List<Long> ids = null;
        String wantType = null;
        if (a.length > 2) {
            String opt = lower(a[2]);
            if (opt.equals("type") && a.length == 4) {
                String type = lower(a[3]);
                if (!CLIENT_TYPES.contains(type)) {
                    throw new RedJarException(ErrorPrefix.ERR, "Unknown client type '" + Args.str(a[3]) + "'");
                }
                wantType = type;
            } else if (opt.equals("id") && a.length >= 4) {
                ids = new ArrayList<>();
                for (int i = 3; i < a.length; i++) {
                    // any integer, as Redis's getLongLongFromObjectOrReply: 0 or negative ids match nothing
                    ids.add(Args.parseLong(a[i], ErrorPrefix.ERR.line("Invalid client ID")));
                }
            } else {
                throw new SyntaxException();
            }
        }
        StringBuilder sb = new StringBuilder();
        List<ClientState> all = new ArrayList<>(c.engine().clients().clients());
        if (embedded(self)) {
            all.add(0, self);
        }
        for (ClientState other : all) {
            if ((ids == null || ids.contains(other.id())) && (wantType == null || wantType.equals(typeOf(other)))) {
                sb.append(other == self ? selfLine : other.infoLine());
            }
        }
        return new Reply.Verbatim("txt", sb.toString());
    }

    /**
     * The caller's own CLIENT LIST / INFO line, as Redis shows it while running the command: the
     * query buffer still holds the command (inside EXEC: the EXEC), and cmd= names it.
     */
    private static String ownLine(ExecContext c, ClientState cs, byte[][] a, String name) {
        TxState tx = c.txIfAny();
        if (tx != null && tx.executing()) {
            return cs.infoLine(EXEC_LENGTH, multiCount(c));
        }
        cs.touched(name);
        return cs.infoLine(respLength(a), multiCount(c));
    }

    /** {@code *1\r\n$4\r\nEXEC\r\n}: what the query buffer holds while EXEC runs. */
    private static final long EXEC_LENGTH = 14;

    /** @return the bytes {@code argv} takes as a RESP array (what the query buffer holds for it) */
    public static long respLength(byte[][] argv) {
        long n = 1 + Integer.toString(argv.length).length() + 2;
        for (byte[] a : argv) {
            n += 1 + Integer.toString(a.length).length() + 2 + a.length + 2;
        }
        return n;
    }

    /** @return the caller's queued MULTI commands, or -1 outside MULTI (CLIENT LIST's multi=) */
    private static int multiCount(ExecContext c) {
        TxState tx = c.txIfAny();
        return tx != null && tx.inMulti() ? tx.queued() : -1;
    }

    /** Redis's {@code getClientType} for the clients RedJar has: {@code pubsub} while subscribed, else {@code normal}. */
    private static String typeOf(ClientState c) {
        return c.pubsubMode() ? "pubsub" : "normal";
    }

    private static void close(ClientState self, ClientState victim) {
        if (victim.peer() != null) {
            victim.peer().close(victim == self);
        }
    }

    private static Reply kill(ExecContext c, byte[][] a) {
        ClientState self = client(c);
        ClientRegistry registry = c.engine().clients();
        if (a.length == 3) {
            String addr = Args.str(a[2]);
            for (ClientState other : registry.clients()) {
                if (other.addr().equals(addr)) {
                    close(self, other);
                    return Reply.OK;
                }
            }
            throw new RedJarException(ErrorPrefix.ERR, "No such client");
        }
        if ((a.length & 1) != 0) {
            throw new SyntaxException();
        }
        Long id = null;
        String addr = null;
        String laddr = null;
        String type = null;
        String user = null;
        boolean skipme = true;
        for (int i = 2; i < a.length; i += 2) {
            String opt = lower(a[i]);
            String v = Args.str(a[i + 1]);
            switch (opt) {
                case "id" -> {
                    try {
                        id = Long.parseLong(v);
                    } catch (NumberFormatException e) {
                        throw new RedJarException(ErrorPrefix.ERR, "client-id should be greater than 0");
                    }
                    if (id <= 0) {
                        throw new RedJarException(ErrorPrefix.ERR, "client-id should be greater than 0");
                    }
                }
                case "addr" -> addr = v;
                case "laddr" -> laddr = v;
                case "type" -> {
                    type = v.toLowerCase(Locale.ROOT);
                    if (!CLIENT_TYPES.contains(type)) {
                        throw new RedJarException(ErrorPrefix.ERR, "Unknown client type '" + v + "'");
                    }
                }
                case "user" -> {
                    if (!c.engine().access().userExists(v)) {
                        throw new RedJarException(ErrorPrefix.ERR, "No such user '" + v + "'");
                    }
                    user = v;
                }
                case "skipme" -> {
                    String s = v.toLowerCase(Locale.ROOT);
                    if (s.equals("yes")) {
                        skipme = true;
                    } else if (s.equals("no")) {
                        skipme = false;
                    } else {
                        throw new SyntaxException();
                    }
                }
                default -> throw new SyntaxException();
            }
        }
        int killed = 0;
        for (ClientState other : registry.clients()) {
            if ((id != null && other.id() != id)
                || (addr != null && !other.addr().equals(addr))
                || (laddr != null && !other.laddr().equals(laddr))
                || (type != null && !type.equals(typeOf(other)))
                || (user != null && !user.equals(other.userName()))
                || (skipme && other == self)) {
                continue;
            }
            close(self, other);
            killed++;
        }
        return Reply.integer(killed);
    }

    private static Reply hello(ExecContext c, byte[][] a) {
        int ver = c.protocol();
        int i = 1;
        if (a.length >= 2) {
            long v = Args.parseLong(a[1], ErrorPrefix.ERR.line("Protocol version is not an integer or out of range"));
            if (v < 2 || v > 3) {
                throw new RedJarException(ErrorPrefix.NOPROTO, "unsupported protocol version");
            }
            ver = (int) v;
            i = 2;
        }
        byte[] user = null;
        byte[] pass = null;
        byte[] setname = null;
        for (; i < a.length; i++) {
            int more = a.length - i - 1;
            if (more >= 2 && Args.is(a[i], "auth")) {
                user = a[i + 1];
                pass = a[i + 2];
                i += 2;
            } else if (more >= 1 && Args.is(a[i], "setname")) {
                setname = a[i + 1];
                i += 1;
            } else {
                throw new RedJarException(ErrorPrefix.ERR, "Syntax error in HELLO option '" + Args.str(a[i]) + "'");
            }
        }
        ClientState cs = client(c);
        if (user != null) {
            if (!authenticate(c, cs, user, pass, Args.str(a[0]))) {
                throw wrongpass();
            }
        }
        if (!cs.authenticated() && c.engine().access().defaultNeedsAuth()) {
            throw new RedJarException(ErrorPrefix.NOAUTH, "HELLO must be called with the client already authenticated, otherwise the "
                + "HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP "
                + "protocol version at the same time");
        }
        if (setname != null) {
            if (!validName(setname)) {
                throw new RedJarException(ErrorPrefix.ERR, BAD_NAME);
            }
            cs.name(setname.length == 0 ? null : Args.str(setname));
        }
        c.protocol(ver);
        return helloReply(ver, cs.id());
    }

    /** HELLO's reply map, with Redis 7.0's field names. */
    public static Reply helloReply(int protocol, long clientId) {
        List<Reply> m = new ArrayList<>(14);
        m.add(Reply.bulk("server"));
        m.add(Reply.bulk("redjar"));
        m.add(Reply.bulk("version"));
        m.add(Reply.bulk(ServerState.VERSION));
        m.add(Reply.bulk("proto"));
        m.add(Reply.integer(protocol));
        m.add(Reply.bulk("id"));
        m.add(Reply.integer(clientId));
        m.add(Reply.bulk("mode"));
        m.add(Reply.bulk("standalone"));
        m.add(Reply.bulk("role"));
        m.add(Reply.bulk("master"));
        m.add(Reply.bulk("modules"));
        m.add(Reply.EMPTY_ARRAY);
        return new Reply.Map(m);
    }

    /**
     * CLIENT UNBLOCK id [TIMEOUT|ERROR] (Redis's clientCommand): ends the wait of a client blocked
     * in a blocking command with its timeout reply, or with the UNBLOCKED error. @return 1 when it
     * was blocked, else 0
     */
    private static Reply unblock(ExecContext c, byte[][] a) {
        if (a.length > 4) {
            throw new RedJarException(ErrorPrefix.ERR, "unknown subcommand or wrong number of arguments for '"
                + Args.str(a[1]) + "'. Try CLIENT HELP.");
        }
        boolean error = false;
        if (a.length == 4) {
            if (Args.is(a[3], "error")) {
                error = true;
            } else if (!Args.is(a[3], "timeout")) {
                throw new RedJarException(ErrorPrefix.ERR, "CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
            }
        }
        long id = Args.parseLong(a[2]);
        ClientState target = c.engine().clients().byId(id);
        java.util.function.Predicate<Reply> unblocker = target == null ? null : target.unblocker();
        if (unblocker == null) {
            return Reply.integer(0);
        }
        boolean done = unblocker.test(error ? Reply.error(ErrorPrefix.UNBLOCKED, "client unblocked via CLIENT UNBLOCK") : null);
        return Reply.integer(done ? 1 : 0);
    }
}
