package io.redjar.internal.command;

import io.redjar.internal.server.ServerConfig;
import io.redjar.Reply;
import io.redjar.SyntaxException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.redjar.internal.command.CommandFlag.ADMIN;
import static io.redjar.internal.command.CommandFlag.LOADING;
import static io.redjar.internal.command.CommandFlag.NOSCRIPT;
import static io.redjar.internal.command.CommandFlag.STALE;

/** CONFIG GET/SET/RESETSTAT/REWRITE/HELP over {@link ServerConfig}. */
public final class ConfigCommands {
    private static final String G = "server";
    private static final String[] HELP = {
        "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "GET <pattern>",
        "    Return parameters matching the glob-like <pattern> and their values.",
        "SET <directive> <value>",
        "    Set the configuration <directive> to <value>.",
        "RESETSTAT",
        "    Reset statistics reported by the INFO command.",
        "REWRITE",
        "    Rewrite the configuration file.",
        "HELP",
        "    Prints this help.",
    };

    private ConfigCommands() {
    }

    /** Adds CONFIG to {@code t}. */
    public static void register(CommandTable t) {
        t.add("config", -2).doc(G, "A container for server configuration commands").handler((c, a) -> {
            throw new IllegalStateException("container command");
        });
        t.addSub("config", "get", -3).flags(ADMIN, NOSCRIPT, LOADING, STALE).doc(G, "Get the values of configuration parameters")
            .handler((c, a) -> {
                List<Reply> out = new ArrayList<>();
                for (Map.Entry<String, String> e : c.engine().server().config().match(a, 2).entrySet()) {
                    out.add(Reply.bulk(e.getKey()));
                    out.add(Reply.bulk(e.getValue()));
                }
                return new Reply.Map(out);
            });
        t.addSub("config", "set", -4).flags(ADMIN, NOSCRIPT, LOADING, STALE)
            .tips("request_policy:all_nodes", "response_policy:all_succeeded")
            .doc(G, "Set configuration parameters to the given values")
            .handler((c, a) -> {
                if ((a.length & 1) != 0) {
                    throw new SyntaxException();
                }
                c.engine().server().config().set(a, 2);
                return Reply.OK;
            });
        t.addSub("config", "resetstat", 2).flags(ADMIN, NOSCRIPT, LOADING, STALE).doc(G, "Reset the stats returned by INFO")
            .handler((c, a) -> {
                InfoCommand.resetStats(c);
                return Reply.OK;
            });
        t.addSub("config", "rewrite", 2).flags(ADMIN, NOSCRIPT, LOADING, STALE).doc(G, "Rewrite the configuration file with the in memory configuration")
            .handler((c, a) -> {
                c.engine().server().config().rewrite();
                return Reply.OK;
            });
        t.addSub("config", "help", 2).flags(LOADING, STALE).doc(G, "Show helpful text about the different subcommands")
            .handler((c, a) -> IntrospectionCommands.help(HELP));
    }
}
