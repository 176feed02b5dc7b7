package io.redjar.internal.command;

import io.redjar.Reply;

import static io.redjar.internal.command.CommandFlag.FAST;
import static io.redjar.internal.command.CommandFlag.LOADING;
import static io.redjar.internal.command.CommandFlag.STALE;

/** Connection and server commands that need no network: PING, ECHO, SELECT, TIME. */
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
        t.add("time", 1).flags(LOADING, STALE, FAST).tips("nondeterministic_output").doc("server", "Return the current server time")
            .handler((c, a) -> {
                long us = c.engine().keyspace().clock().micros();
                return Reply.array(Reply.bulk(Long.toString(us / 1_000_000)), Reply.bulk(Long.toString(us % 1_000_000)));
            });
    }
}
