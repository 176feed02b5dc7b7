package io.redjar.internal.command;

import io.redjar.Reply;

import static io.redjar.internal.command.CommandFlag.ADMIN;
import static io.redjar.internal.command.CommandFlag.ALLOW_BUSY;
import static io.redjar.internal.command.CommandFlag.FAST;
import static io.redjar.internal.command.CommandFlag.NOSCRIPT;
import static io.redjar.internal.command.CommandFlag.NO_MULTI;
import static io.redjar.internal.command.CommandFlag.LOADING;
import static io.redjar.internal.command.CommandFlag.STALE;

/** Connection and server commands: PING, ECHO, SELECT, TIME, SHUTDOWN. */
public final class ServerCommands {
    private ServerCommands() {
    }

    /** Adds them to {@code t}. */
    public static void register(CommandTable t) {
        t.add("ping", -1).flags(FAST)
            .tips("request_policy:all_shards", "response_policy:all_succeeded")
            .doc("connection", "Ping the server")
            .handler((c, a) -> {
                if (a.length > 2) {
                    throw new io.redjar.RedJarException(io.redjar.ErrorPrefix.ERR, "wrong number of arguments for 'ping' command");
                }
                if (c.protocol() == 2 && c.client() != null && c.client().pubsubMode()) {
                    // Redis: a RESP2 subscriber's PING answers in the shape of a message
                    return Reply.array(Reply.bulk("pong"), a.length == 1 ? Reply.bulk("") : new Reply.Bulk(a[1]));
                }
                return a.length == 1 ? Reply.PONG : new Reply.Bulk(a[1]);
            });
        t.add("echo", 2).flags(LOADING, STALE, FAST).doc("connection", "Echo the given string")
            .handler((c, a) -> new Reply.Bulk(a[1]));
        t.add("select", 2).flags(LOADING, STALE, FAST).doc("connection", "Change the selected database for the current connection")
            .handler((c, a) -> {
                int db = Args.parseInt(a[1]);
                KeyCommands.checkDb(c, db, "ERR DB index is out of range");
                c.db(db);
                return Reply.OK;
            });
        t.add("shutdown", -1).flags(ADMIN, NOSCRIPT, LOADING, STALE, NO_MULTI, ALLOW_BUSY)
            .doc("server", "Synchronously save the dataset to disk and then shut down the server")
            .handler(ServerCommands::shutdown);
        t.add("time", 1).flags(LOADING, STALE, FAST).tips("nondeterministic_output").doc("server", "Return the current server time")
            .handler((c, a) -> {
                long us = c.engine().keyspace().clock().micros();
                return Reply.array(Reply.bulk(Long.toString(us / 1_000_000)), Reply.bulk(Long.toString(us % 1_000_000)));
            });
    }

    /**
     * SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT] (Redis 7.0's {@code shutdownCommand}). There is
     * no persistence yet, so nothing is saved: the default and NOSAVE stop at once, SAVE fails
     * with Redis's error unless FORCE is given (Redis's FORCE ignores a failed save), and ABORT
     * answers that no shutdown is in progress (a shutdown here never waits for replicas). On a
     * server, success has no reply: the connection closes as the server stops. An embedded store
     * has no server to stop and answers an error: close the {@code Store} instead.
     */
    static Reply shutdown(ExecContext c, byte[][] a) {
        boolean nosave = false;
        boolean save = false;
        boolean force = false;
        boolean abort = false;
        for (int i = 1; i < a.length; i++) {
            switch (new String(a[i], java.nio.charset.StandardCharsets.US_ASCII).toLowerCase(java.util.Locale.ROOT)) {
                case "nosave" -> nosave = true;
                case "save" -> save = true;
                case "now" -> { }
                case "force" -> force = true;
                case "abort" -> abort = true;
                default -> throw new io.redjar.SyntaxException();
            }
        }
        if ((abort && a.length > 2) || (nosave && save)) {
            throw new io.redjar.SyntaxException();
        }
        if (abort) {
            throw new io.redjar.RedJarException(io.redjar.ErrorPrefix.ERR, "No shutdown in progress.");
        }
        io.redjar.internal.server.ServerHooks hooks = c.engine().server().hooks();
        if (hooks == null) {
            throw new io.redjar.RedJarException(io.redjar.ErrorPrefix.ERR,
                "SHUTDOWN needs a server: this store is embedded (close the Store instead)");
        }
        Reply busy = c.engine().busyScriptRefusal();
        if (!nosave && busy != null) {
            // Redis: past busy-reply-threshold only SHUTDOWN NOSAVE ends the server
            return busy;
        }
        c.engine().killScriptForShutdown();
        io.redjar.internal.server.PersistenceHooks p = c.engine().server().persistence();
        String failure = p == null ? null : p.prepareShutdown(save, nosave);
        if (failure != null && !force) {
            System.getLogger(ServerCommands.class.getName()).log(System.Logger.Level.WARNING,
                "Errors trying to shut down: " + failure);
            throw new io.redjar.RedJarException(io.redjar.ErrorPrefix.ERR, "Errors trying to SHUTDOWN. Check logs.");
        }
        if (!hooks.shutdown()) {
            throw new io.redjar.RedJarException(io.redjar.ErrorPrefix.ERR, "Errors trying to SHUTDOWN. Check logs.");
        }
        // a network client gets no reply (its connection closes with the server); an embedded
        // session of a store that a server was serving gets OK
        io.redjar.internal.server.ClientState cs = c.client();
        return cs != null && cs.peer() != null ? null : Reply.OK;
    }
}
