package io.redjar.internal.command;

import io.redjar.internal.server.ServerState;
import io.redjar.internal.server.ConnectionInfo;
import io.redjar.RedJarException;
import io.redjar.Reply;
import io.redjar.SyntaxException;

import java.util.ArrayList;
import java.util.List;

import static io.redjar.internal.command.CommandFlag.ADMIN;
import static io.redjar.internal.command.CommandFlag.ALLOW_BUSY;
import static io.redjar.internal.command.CommandFlag.FAST;
import static io.redjar.internal.command.CommandFlag.LOADING;
import static io.redjar.internal.command.CommandFlag.NOSCRIPT;
import static io.redjar.internal.command.CommandFlag.NO_AUTH;
import static io.redjar.internal.command.CommandFlag.STALE;

/**
 * The connection commands as table rows, so that COMMAND lists them and embedded sessions
 * ({@code store.execute}, {@code Session}) get Redis's replies. Over the network the RESP module's
 * connection layer answers them itself (it knows the socket); these handlers are the embedded
 * behaviour: one pseudo-client per session, no authentication enforced (AUTH only checks the
 * password), and nothing that needs a socket (CLIENT REPLY OFF/SKIP, CLIENT KILL, MONITOR).
 */
public final class ConnectionCommands {
    private static final String G = "connection";
    private static final String[] CLIENT_HELP = {
        "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "GETNAME",
        "    Return the name of the current connection.",
        "ID",
        "    Return the ID of the current connection.",
        "INFO",
        "    Return information about the current client connection.",
        "KILL <ip:port>",
        "    Kill connection made from <ip:port>.",
        "LIST [options ...]",
        "    Return information about client connections.",
        "NO-EVICT (ON|OFF)",
        "    Protect current client connection from eviction.",
        "NO-TOUCH (ON|OFF)",
        "    Will not touch LRU/LFU stats when this mode is on.",
        "REPLY (ON|OFF|SKIP)",
        "    Control the replies sent to the current connection.",
        "SETNAME <name>",
        "    Assign the name <name> to the current connection.",
        "SETINFO <option> <value>",
        "    Set client meta attr. Options are:",
        "    * LIB-NAME: the client lib name.",
        "    * LIB-VER: the client lib version.",
        "HELP",
        "    Prints this help.",
    };

    /** The pseudo-client of an embedded session. */
    static final class EmbeddedClient implements ConnectionInfo {
        final long id;
        volatile String name;
        final long created = System.currentTimeMillis();

        EmbeddedClient(long id) {
            this.id = id;
        }

        @Override
        public long id() {
            return id;
        }

        @Override
        public String addr() {
            return "";
        }

        @Override
        public String name() {
            return name;
        }
    }

    private ConnectionCommands() {
    }

    private static EmbeddedClient client(ExecContext c) {
        ConnectionInfo info = c.client();
        if (info == null) {
            EmbeddedClient e = new EmbeddedClient(c.engine().server().nextClientId());
            c.client(e);
            return e;
        }
        if (info instanceof EmbeddedClient e) {
            return e;
        }
        throw new RedJarException("ERR this connection command is handled by the connection layer");
    }

    private static void validateName(byte[] name, String message) {
        for (byte b : name) {
            if (b < '!' || b > '~') {
                throw new RedJarException(message);
            }
        }
    }

    private static void checkPassword(ExecContext c, String user, String pass) {
        String required = c.engine().server().config().requirepass();
        boolean ok = user.equals("default") && (required == null || java.security.MessageDigest.isEqual(
            required.getBytes(java.nio.charset.StandardCharsets.UTF_8), pass.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        if (!ok) {
            throw new RedJarException("WRONGPASS invalid username-password pair or user is disabled.");
        }
    }

    /** Adds HELLO, AUTH, CLIENT, RESET, QUIT and MONITOR to {@code t}. */
    public static void register(CommandTable t) {
        t.add("hello", -1).flags(NOSCRIPT, LOADING, STALE, FAST, NO_AUTH, ALLOW_BUSY).doc(G, "Handshake with Redis")
            .handler(ConnectionCommands::hello);
        t.add("auth", -2).flags(NOSCRIPT, LOADING, STALE, FAST, NO_AUTH, ALLOW_BUSY).doc(G, "Authenticate to the server")
            .handler((c, a) -> {
                if (a.length > 3) {
                    throw new SyntaxException();
                }
                if (a.length == 2 && c.engine().server().config().requirepass() == null) {
                    throw new RedJarException("ERR AUTH <password> called without any password configured for the default user. "
                        + "Are you sure your configuration is correct?");
                }
                checkPassword(c, a.length == 3 ? Args.str(a[1]) : "default", Args.str(a[a.length - 1]));
                return Reply.OK;
            });
        t.add("reset", 1).flags(NOSCRIPT, LOADING, STALE, FAST, NO_AUTH, ALLOW_BUSY).doc(G, "Reset the connection")
            .handler((c, a) -> {
                c.db(0);
                c.protocol(2);
                client(c).name = null;
                return new Reply.SimpleString("RESET");
            });
        t.add("quit", -1).flags(ALLOW_BUSY, NOSCRIPT, LOADING, STALE, FAST, NO_AUTH).doc(G, "Close the connection")
            .handler((c, a) -> Reply.OK);
        t.add("monitor", 1).flags(ADMIN, NOSCRIPT, LOADING, STALE).doc("server", "Listen for all requests received by the server in real time")
            .handler((c, a) -> {
                throw new RedJarException("ERR MONITOR needs a network connection: use the RESP server (redjar-resp)");
            });

        t.add("client", -2).doc(G, "A container for client connection commands").handler((c, a) -> {
            throw new IllegalStateException("container command");
        });
        t.addSub("client", "id", 2).flags(NOSCRIPT, LOADING, STALE).doc(G, "Returns the client ID for the current connection")
            .handler((c, a) -> Reply.integer(client(c).id));
        t.addSub("client", "getname", 2).flags(NOSCRIPT, LOADING, STALE).doc(G, "Get the current connection name")
            .handler((c, a) -> Reply.bulk(client(c).name == null ? null : client(c).name.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        t.addSub("client", "setname", 3).flags(NOSCRIPT, LOADING, STALE).doc(G, "Set the current connection name")
            .handler((c, a) -> {
                validateName(a[2], "ERR Client names cannot contain spaces, newlines or special characters.");
                client(c).name = a[2].length == 0 ? null : Args.str(a[2]);
                return Reply.OK;
            });
        t.addSub("client", "info", 2).flags(NOSCRIPT, LOADING, STALE).doc(G, "Returns information about the current client connection.")
            .handler((c, a) -> new Reply.Verbatim("txt", infoLine(c)));
        t.addSub("client", "list", -2).flags(ADMIN, NOSCRIPT, LOADING, STALE).doc(G, "Get the list of client connections")
            .handler((c, a) -> new Reply.Verbatim("txt", infoLine(c)));
        t.addSub("client", "kill", -3).flags(ADMIN, NOSCRIPT, LOADING, STALE).doc(G, "Kill the connection of a client")
            .handler((c, a) -> {
                throw new RedJarException("ERR No such client");
            });
        for (String flag : List.of("no-evict", "no-touch")) {
            t.addSub("client", flag, 3).flags(flag.equals("no-evict") ? new CommandFlag[] {ADMIN, NOSCRIPT, LOADING, STALE}
                    : new CommandFlag[] {NOSCRIPT, LOADING, STALE}).doc(G, "Set client " + flag + " mode for the current connection")
                .handler((c, a) -> {
                    if (!Args.is(a[2], "on") && !Args.is(a[2], "off")) {
                        throw new SyntaxException();
                    }
                    return Reply.OK;
                });
        }
        t.addSub("client", "reply", 3).flags(NOSCRIPT, LOADING, STALE).doc(G, "Instruct the server whether to reply to commands")
            .handler((c, a) -> {
                if (Args.is(a[2], "on")) {
                    return Reply.OK;
                }
                if (Args.is(a[2], "off") || Args.is(a[2], "skip")) {
                    throw new RedJarException("ERR CLIENT REPLY OFF|SKIP needs a network connection");
                }
                throw new SyntaxException();
            });
        t.addSub("client", "setinfo", 4).flags(NOSCRIPT, LOADING, STALE).doc(G, "Set client or connection specific info")
            .handler((c, a) -> {
                if (Args.is(a[2], "lib-name") || Args.is(a[2], "lib-ver")) {
                    validateName(a[3], "ERR " + Args.str(a[2]).toLowerCase(java.util.Locale.ROOT)
                        + " cannot contain spaces, newlines or special characters.");
                    return Reply.OK;
                }
                throw new RedJarException("ERR Unrecognized option '" + Args.str(a[2]) + "'");
            });
        t.addSub("client", "help", 2).flags(LOADING, STALE).doc(G, "Show helpful text about the different subcommands")
            .handler((c, a) -> IntrospectionCommands.help(CLIENT_HELP));
    }

    private static String infoLine(ExecContext c) {
        EmbeddedClient e = client(c);
        long age = (System.currentTimeMillis() - e.created) / 1000;
        return "id=" + e.id + " addr= laddr= fd=-1 name=" + (e.name == null ? "" : e.name) + " age=" + age
            + " idle=0 flags=N db=" + c.db() + " sub=0 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0"
            + " rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 events=r cmd=client|info user=default redir=-1 resp="
            + c.protocol() + "\n";
    }

    private static Reply hello(ExecContext c, byte[][] a) {
        int ver = c.protocol();
        int i = 1;
        if (a.length >= 2) {
            long v = Args.parseLong(a[1], "ERR Protocol version is not an integer or out of range");
            if (v < 2 || v > 3) {
                throw new RedJarException("NOPROTO unsupported protocol version");
            }
            ver = (int) v;
            i = 2;
        }
        byte[] setname = null;
        for (; i < a.length; i++) {
            int more = a.length - i - 1;
            if (more >= 2 && Args.is(a[i], "auth")) {
                checkPassword(c, Args.str(a[i + 1]), Args.str(a[i + 2]));
                i += 2;
            } else if (more >= 1 && Args.is(a[i], "setname")) {
                setname = a[i + 1];
                i += 1;
            } else {
                throw new RedJarException("ERR Syntax error in HELLO option '" + Args.str(a[i]) + "'");
            }
        }
        EmbeddedClient e = client(c);
        if (setname != null) {
            validateName(setname, "ERR Client names cannot contain spaces, newlines or special characters.");
            e.name = setname.length == 0 ? null : Args.str(setname);
        }
        c.protocol(ver);
        return helloReply(ver, e.id);
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
}
