package io.redjar.internal.command;

import io.redjar.internal.server.SlowLog;
import io.redjar.ErrorPrefix;
import io.redjar.RedJarException;
import io.redjar.Reply;
import io.redjar.internal.util.Numbers;

import static io.redjar.internal.command.CommandFlag.ADMIN;
import static io.redjar.internal.command.CommandFlag.LOADING;
import static io.redjar.internal.command.CommandFlag.STALE;

/** SLOWLOG GET/LEN/RESET/HELP over {@link SlowLog}. */
public final class SlowlogCommands {
    private static final String G = "server";
    private static final String[] HELP = {
        "SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "GET [<count>]",
        "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
        "    Entries are made of:",
        "    id, timestamp, time in microseconds, arguments array, client IP and port,",
        "    client name",
        "LEN",
        "    Return the length of the slowlog.",
        "RESET",
        "    Reset the slowlog.",
        "HELP",
        "    Prints this help.",
    };

    private SlowlogCommands() {
    }

    /** Adds SLOWLOG to {@code t}. */
    public static void register(CommandTable t) {
        t.add("slowlog", -2).doc(G, "A container for slow log commands").handler((c, a) -> {
            throw new IllegalStateException("container command");
        });
        t.addSub("slowlog", "get", -2).flags(ADMIN, LOADING, STALE)
            .tips("request_policy:all_nodes", "nondeterministic_output")
            .doc(G, "Get the slow log's entries")
            .handler((c, a) -> {
                long count = 10;
                if (a.length == 3) {
                    if (!Numbers.isLong(a[2]) || (count = Numbers.parseLong(a[2])) < -1) {
                        throw new RedJarException(ErrorPrefix.ERR, "count should be greater than or equal to -1");
                    }
                } else if (a.length > 3) {
                    throw new RedJarException(ErrorPrefix.ERR, "wrong number of arguments for 'slowlog|get' command");
                }
                return c.engine().server().slowlog().get(count);
            });
        t.addSub("slowlog", "len", 2).flags(ADMIN, LOADING, STALE)
            .tips("request_policy:all_nodes", "response_policy:agg_sum", "nondeterministic_output")
            .doc(G, "Get the slow log's length")
            .handler((c, a) -> Reply.integer(c.engine().server().slowlog().size()));
        t.addSub("slowlog", "reset", 2).flags(ADMIN, LOADING, STALE)
            .tips("request_policy:all_nodes", "response_policy:all_succeeded")
            .doc(G, "Clear all entries from the slow log")
            .handler((c, a) -> {
                c.engine().server().slowlog().reset();
                return Reply.OK;
            });
        t.addSub("slowlog", "help", 2).flags(LOADING, STALE).doc(G, "Show helpful text about the different subcommands")
            .handler((c, a) -> IntrospectionCommands.help(HELP));
    }
}
