package io.redjar.resp;

import io.redjar.Reply;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * CLIENT subcommands: they are about connections, so they live in the network layer.
 *
 * <p><b>Thread-safety:</b> runs on the calling connection's event loop; reads other connections'
 * {@link ClientState} through volatiles and closes their channels thread-safely.
 */
final class ClientCommands {
    private ClientCommands() {
    }

    private static String str(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static String lower(byte[] b) {
        return str(b).toLowerCase(Locale.ROOT);
    }

    /** @return an error when {@code name} has characters Redis refuses in client names, else null. */
    static Reply validateName(byte[] name) {
        for (byte b : name) {
            if (b < '!' || b > '~') {
                return Reply.error("ERR Client names cannot contain spaces, newlines or special characters.");
            }
        }
        return null;
    }

    private static Reply arity(String sub) {
        return ConnectionHandler.arity("client|" + sub);
    }

    static Reply execute(RedJarServer server, ClientState c, byte[][] a) {
        String sub = lower(a[1]);
        int n = a.length;
        switch (sub) {
            case "id":
                return n == 2 ? Reply.integer(c.id) : arity(sub);
            case "getname":
                return n == 2 ? (c.name == null ? Reply.NULL : Reply.bulk(c.name)) : arity(sub);
            case "setname": {
                if (n != 3) {
                    return arity(sub);
                }
                Reply err = validateName(a[2]);
                if (err != null) {
                    return err;
                }
                c.name = a[2].length == 0 ? null : str(a[2]);
                return Reply.OK;
            }
            case "info":
                return n == 2 ? text(c, c.infoLine()) : arity(sub);
            case "list":
                return list(server, c, a);
            case "kill":
                return n >= 3 ? kill(server, c, a) : arity(sub);
            case "no-evict":
            case "no-touch": {
                if (n != 3) {
                    return arity(sub);
                }
                String v = lower(a[2]);
                if (!v.equals("on") && !v.equals("off")) {
                    return Reply.error("ERR syntax error");
                }
                if (sub.equals("no-evict")) {
                    c.noEvict = v.equals("on");
                } else {
                    c.noTouch = v.equals("on");
                }
                return Reply.OK;
            }
            case "setinfo": {
                if (n != 4) {
                    return arity(sub);
                }
                String attr = lower(a[2]);
                Reply err = validateName(a[3]);
                if (attr.equals("lib-name")) {
                    if (err != null) {
                        return Reply.error("ERR lib-name cannot contain spaces, newlines or special characters.");
                    }
                    c.libName = str(a[3]);
                } else if (attr.equals("lib-ver")) {
                    if (err != null) {
                        return Reply.error("ERR lib-ver cannot contain spaces, newlines or special characters.");
                    }
                    c.libVer = str(a[3]);
                } else {
                    return Reply.error("ERR Unrecognized option '" + str(a[2]) + "'");
                }
                return Reply.OK;
            }
            case "reply": {
                if (n != 3) {
                    return arity(sub);
                }
                String v = lower(a[2]);
                switch (v) {
                    case "on" -> {
                        c.replyMode = ClientState.ReplyMode.ON;
                        c.skipNext = false;
                        return Reply.OK;
                    }
                    case "off" -> {
                        c.replyMode = ClientState.ReplyMode.OFF;
                        return null;
                    }
                    case "skip" -> {
                        if (c.replyMode == ClientState.ReplyMode.ON) {
                            c.skipNext = true;
                        }
                        return null;
                    }
                    default -> {
                        return Reply.error("ERR syntax error");
                    }
                }
            }
            default:
                return Reply.error("ERR unknown subcommand '" + truncate(str(a[1])) + "'. Try CLIENT HELP.");
        }
    }

    private static String truncate(String s) {
        return s.length() > 128 ? s.substring(0, 128) : s;
    }

    /** RESP3 clients get a verbatim string, RESP2 a bulk (the encoder downgrades). */
    private static Reply text(ClientState c, String s) {
        return new Reply.Verbatim("txt", s);
    }

    private static Reply list(RedJarServer server, ClientState c, byte[][] a) {
        List<Long> ids = null;
        int i = 2;
        if (a.length > 2) {
            String opt = lower(a[2]);
            if (opt.equals("type") && a.length == 4) {
                String t = lower(a[3]);
                if (!List.of("normal", "master", "replica", "slave", "pubsub").contains(t)) {
                    return Reply.error("ERR Unknown client type '" + str(a[3]) + "'");
                }
                if (!t.equals("normal")) {
                    return text(c, "");
                }
            } else if (opt.equals("id") && a.length >= 4) {
                ids = new ArrayList<>();
                for (i = 3; i < a.length; i++) {
                    try {
                        long id = Long.parseLong(str(a[i]));
                        if (id <= 0) {
                            throw new NumberFormatException();
                        }
                        ids.add(id);
                    } catch (NumberFormatException e) {
                        return Reply.error("ERR Invalid client ID");
                    }
                }
            } else {
                return Reply.error("ERR syntax error");
            }
        }
        StringBuilder sb = new StringBuilder();
        for (ClientState other : server.clients()) {
            if (ids == null || ids.contains(other.id)) {
                sb.append(other.infoLine());
            }
        }
        return text(c, sb.toString());
    }

    /**
     * Closes {@code victim}: ourselves only after this reply is flushed; another connection now,
     * waiting briefly (bounded, so two loops killing each other cannot deadlock) so that, as in
     * Redis, it is gone by the time the killer sees the reply.
     */
    private static void close(ClientState self, ClientState victim) {
        if (victim == self) {
            victim.channel.eventLoop().execute(victim.channel::close);
        } else if (victim.channel.eventLoop().inEventLoop()) {
            victim.channel.close();
        } else {
            victim.channel.close().awaitUninterruptibly(200);
        }
    }

    private static Reply kill(RedJarServer server, ClientState c, byte[][] a) {
        if (a.length == 3) {
            String addr = str(a[2]);
            for (ClientState other : server.clients()) {
                if (other.addr().equals(addr)) {
                    close(c, other);
                    return Reply.OK;
                }
            }
            return Reply.error("ERR No such client");
        }
        if ((a.length & 1) != 0) {
            return Reply.error("ERR syntax error");
        }
        Long id = null;
        String addr = null;
        String laddr = null;
        String type = null;
        String user = null;
        boolean skipme = true;
        for (int i = 2; i < a.length; i += 2) {
            String opt = lower(a[i]);
            String v = str(a[i + 1]);
            switch (opt) {
                case "id" -> {
                    try {
                        id = Long.parseLong(v);
                        if (id <= 0) {
                            return Reply.error("ERR client-id should be greater than 0");
                        }
                    } catch (NumberFormatException e) {
                        return Reply.error("ERR client-id should be greater than 0");
                    }
                }
                case "addr" -> addr = v;
                case "laddr" -> laddr = v;
                case "type" -> {
                    type = v.toLowerCase(Locale.ROOT);
                    if (!List.of("normal", "master", "replica", "slave", "pubsub").contains(type)) {
                        return Reply.error("ERR Unknown client type '" + v + "'");
                    }
                }
                case "user" -> user = v;
                case "skipme" -> {
                    String s = v.toLowerCase(Locale.ROOT);
                    if (s.equals("yes")) {
                        skipme = true;
                    } else if (s.equals("no")) {
                        skipme = false;
                    } else {
                        return Reply.error("ERR syntax error");
                    }
                }
                default -> {
                    return Reply.error("ERR syntax error");
                }
            }
        }
        int killed = 0;
        for (ClientState other : server.clients()) {
            if (id != null && other.id != id) {
                continue;
            }
            if (addr != null && !other.addr().equals(addr)) {
                continue;
            }
            if (laddr != null && !other.laddr().equals(laddr)) {
                continue;
            }
            if (type != null && !type.equals("normal")) {
                continue;
            }
            if (user != null && !user.equals("default")) {
                continue;
            }
            if (skipme && other == c) {
                continue;
            }
            close(c, other);
            killed++;
        }
        return Reply.integer(killed);
    }
}
