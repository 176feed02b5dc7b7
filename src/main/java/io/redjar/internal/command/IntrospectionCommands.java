package io.redjar.internal.command;

import io.redjar.RedJarException;
import io.redjar.Reply;
import io.redjar.SyntaxException;
import io.redjar.internal.util.Glob;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import static io.redjar.internal.command.CommandFlag.LOADING;
import static io.redjar.internal.command.CommandFlag.STALE;

/**
 * COMMAND and its subcommands, generated from the {@link CommandTable} in Redis 7.0's reply
 * shapes. ACL categories are derived from the flags and group (Redis's implicit categories plus
 * the group's own); key specs are derived from the legacy key range (one {@code index} begin-search
 * and one {@code range} find-keys per command, flags {@code RO} or {@code RW}); tips are empty.
 */
public final class IntrospectionCommands {
    private static final String G = "server";
    private static final String[] HELP = {
        "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "(no subcommand)",
        "    Return details about all Redis commands.",
        "COUNT",
        "    Return the total number of commands in this Redis server.",
        "LIST",
        "    Return a list of all commands in this Redis server.",
        "INFO [<command-name> ...]",
        "    Return details about multiple Redis commands.",
        "    If no command names are given, documentation details for all",
        "    commands are returned.",
        "DOCS [<command-name> ...]",
        "    Return documentation details about multiple Redis commands.",
        "    If no command names are given, documentation details for all",
        "    commands are returned.",
        "GETKEYS <full-command>",
        "    Return the keys from a full Redis command.",
        "HELP",
        "    Prints this help.",
    };

    private IntrospectionCommands() {
    }

    /** Adds COMMAND to {@code t}. */
    public static void register(CommandTable t) {
        t.add("command", -1).flags(LOADING, STALE).doc(G, "Get array of Redis command details")
            .handler((c, a) -> {
                List<Reply> out = new ArrayList<>();
                for (CommandSpec s : sorted(c.engine().table().all())) {
                    out.add(info(s));
                }
                return Reply.array(out);
            });
        t.addSub("command", "count", 2).flags(LOADING, STALE).doc(G, "Get total number of Redis commands")
            .handler((c, a) -> Reply.integer(c.engine().table().all().size()));
        t.addSub("command", "info", -2).flags(LOADING, STALE).doc(G, "Get array of specific Redis command details, or all when no argument is given")
            .handler((c, a) -> {
                if (a.length == 2) {
                    return c.engine().table().all().isEmpty() ? Reply.EMPTY_ARRAY : all(c);
                }
                List<Reply> out = new ArrayList<>();
                for (int i = 2; i < a.length; i++) {
                    CommandSpec s = lookupFull(c.engine().table(), a[i]);
                    out.add(s == null ? Reply.NULL : info(s));
                }
                return Reply.array(out);
            });
        t.addSub("command", "docs", -2).flags(LOADING, STALE).doc(G, "Get array of specific Redis command documentation")
            .handler((c, a) -> {
                List<Reply> out = new ArrayList<>();
                if (a.length == 2) {
                    for (CommandSpec s : sorted(c.engine().table().all())) {
                        out.add(Reply.bulk(s.fullName()));
                        out.add(docs(s));
                    }
                } else {
                    for (int i = 2; i < a.length; i++) {
                        CommandSpec s = lookupFull(c.engine().table(), a[i]);
                        if (s != null) {
                            out.add(Reply.bulk(s.fullName()));
                            out.add(docs(s));
                        }
                    }
                }
                return new Reply.Map(out);
            });
        t.addSub("command", "list", -2).flags(LOADING, STALE).doc(G, "Get an array of Redis command names")
            .handler(IntrospectionCommands::list);
        t.addSub("command", "getkeys", -3).flags(LOADING, STALE).doc(G, "Extract keys given a full Redis command")
            .handler(IntrospectionCommands::getkeys);
        t.addSub("command", "help", 2).flags(LOADING, STALE).doc(G, "Show helpful text about the different subcommands")
            .handler((c, a) -> help(HELP));
    }

    /** @return a help reply: one status line per entry, as Redis's {@code addReplyHelp} */
    static Reply help(String[] lines) {
        List<Reply> out = new ArrayList<>(lines.length);
        for (String l : lines) {
            out.add(new Reply.SimpleString(l));
        }
        return Reply.array(out);
    }

    private static Reply all(ExecContext c) {
        List<Reply> out = new ArrayList<>();
        for (CommandSpec s : sorted(c.engine().table().all())) {
            out.add(info(s));
        }
        return Reply.array(out);
    }

    static List<CommandSpec> sorted(java.util.Collection<CommandSpec> specs) {
        List<CommandSpec> l = new ArrayList<>(specs);
        l.sort(Comparator.comparing(CommandSpec::fullName));
        return l;
    }

    /** Looks up {@code get} or {@code object|encoding}. */
    static CommandSpec lookupFull(CommandTable t, byte[] name) {
        String n = new String(name, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
        int bar = n.indexOf('|');
        if (bar < 0) {
            return t.lookup(n);
        }
        CommandSpec parent = t.lookup(n.substring(0, bar));
        return parent == null ? null : parent.subcommands().get(n.substring(bar + 1));
    }

    /** @return the ACL categories Redis would report, in Redis's category order */
    public static List<String> aclCategories(CommandSpec s) {
        List<String> out = new ArrayList<>();
        String g = s.group();
        boolean keyspace = g.equals("generic") || s.fullName().equals("dbsize") || s.fullName().startsWith("flush");
        if (keyspace) {
            out.add("@keyspace");
        }
        if (s.has(CommandFlag.READONLY)) {
            out.add("@read");
        }
        if (s.has(CommandFlag.WRITE)) {
            out.add("@write");
        }
        if (g.equals("string")) {
            out.add("@string");
        }
        if (s.has(CommandFlag.PUBSUB)) {
            out.add("@pubsub");
        }
        if (s.has(CommandFlag.ADMIN)) {
            out.add("@admin");
        }
        out.add(s.has(CommandFlag.FAST) ? "@fast" : "@slow");
        if (s.has(CommandFlag.BLOCKING)) {
            out.add("@blocking");
        }
        if (s.has(CommandFlag.ADMIN) || s.fullName().startsWith("flush") || s.fullName().equals("keys")) {
            out.add("@dangerous");
        }
        if (g.equals("connection")) {
            out.add("@connection");
        }
        return out;
    }

    /** One COMMAND INFO entry: name, arity, flags, first, last, step, categories, tips, key specs, subcommands. */
    static Reply info(CommandSpec s) {
        List<Reply> flags = new ArrayList<>();
        for (CommandFlag f : s.flags()) {
            flags.add(new Reply.SimpleString(f.redisName()));
        }
        List<Reply> cats = new ArrayList<>();
        for (String cat : aclCategories(s)) {
            cats.add(new Reply.SimpleString(cat));
        }
        List<Reply> subs = new ArrayList<>();
        for (CommandSpec sub : sorted(s.subcommands().values())) {
            subs.add(info(sub));
        }
        return Reply.array(Reply.bulk(s.fullName()), Reply.integer(s.arity()), new Reply.SetReply(flags),
            Reply.integer(s.firstKey()), Reply.integer(s.lastKey()), Reply.integer(s.step()),
            new Reply.SetReply(cats), new Reply.SetReply(List.of()), keySpecs(s), Reply.array(subs));
    }

    private static Reply keySpecs(CommandSpec s) {
        if (s.firstKey() <= 0) {
            return Reply.EMPTY_ARRAY;
        }
        int lastRel = s.lastKey() < 0 ? s.lastKey() : s.lastKey() - s.firstKey();
        Reply flags = new Reply.SetReply(List.of(new Reply.SimpleString(s.has(CommandFlag.WRITE) ? "RW" : "RO")));
        Reply begin = new Reply.Map(List.of(Reply.bulk("type"), Reply.bulk("index"),
            Reply.bulk("spec"), new Reply.Map(List.of(Reply.bulk("index"), Reply.integer(s.firstKey())))));
        Reply find = new Reply.Map(List.of(Reply.bulk("type"), Reply.bulk("range"),
            Reply.bulk("spec"), new Reply.Map(List.of(Reply.bulk("lastkey"), Reply.integer(lastRel),
                Reply.bulk("keystep"), Reply.integer(s.step()), Reply.bulk("limit"), Reply.integer(0)))));
        return Reply.array(new Reply.Map(List.of(Reply.bulk("flags"), flags, Reply.bulk("begin_search"), begin,
            Reply.bulk("find_keys"), find)));
    }

    /** One COMMAND DOCS value: summary, group, and subcommands (no since/complexity/arguments). */
    static Reply docs(CommandSpec s) {
        List<Reply> m = new ArrayList<>();
        m.add(Reply.bulk("summary"));
        m.add(Reply.bulk(s.summary()));
        m.add(Reply.bulk("group"));
        m.add(Reply.bulk(s.group()));
        if (!s.subcommands().isEmpty()) {
            List<Reply> subs = new ArrayList<>();
            for (CommandSpec sub : sorted(s.subcommands().values())) {
                subs.add(Reply.bulk(sub.fullName()));
                subs.add(docs(sub));
            }
            m.add(Reply.bulk("subcommands"));
            m.add(new Reply.Map(subs));
        }
        return new Reply.Map(m);
    }

    private static Reply list(ExecContext c, byte[][] a) {
        if (a.length != 2 && a.length != 5) {
            throw new SyntaxException();
        }
        String kind = a.length == 5 ? Args.str(a[3]).toLowerCase(Locale.ROOT) : null;
        if (a.length == 5 && (!Args.is(a[2], "filterby") || !List.of("module", "aclcat", "pattern").contains(kind))) {
            throw new SyntaxException();
        }
        List<Reply> out = new ArrayList<>();
        for (CommandSpec s : sorted(c.engine().table().all())) {
            List<CommandSpec> withSubs = new ArrayList<>();
            withSubs.add(s);
            withSubs.addAll(sorted(s.subcommands().values()));
            for (CommandSpec x : withSubs) {
                boolean keep;
                if (kind == null) {
                    keep = true;
                } else if (kind.equals("module")) {
                    keep = false;
                } else if (kind.equals("aclcat")) {
                    keep = aclCategories(x).contains("@" + Args.str(a[4]).toLowerCase(Locale.ROOT));
                } else {
                    keep = Glob.match(a[4], x.fullName().getBytes(StandardCharsets.UTF_8), true);
                }
                if (keep) {
                    out.add(Reply.bulk(x.fullName()));
                }
            }
        }
        return Reply.array(out);
    }

    private static Reply getkeys(ExecContext c, byte[][] a) {
        byte[][] cmd = java.util.Arrays.copyOfRange(a, 2, a.length);
        CommandSpec s = c.engine().table().lookup(cmd[0]);
        if (s == null) {
            throw new RedJarException("ERR Invalid command specified");
        }
        if (!s.subcommands().isEmpty() && cmd.length >= 2) {
            CommandSpec sub = s.subcommands().get(Args.str(cmd[1]).toLowerCase(Locale.ROOT));
            if (sub == null) {
                throw new RedJarException("ERR Invalid command specified");
            }
            s = sub;
        }
        if (!s.arityOk(cmd.length)) {
            throw new RedJarException("ERR Invalid number of arguments specified for command");
        }
        int[] idx = s.keyIndexes(cmd.length);
        if (idx.length == 0) {
            throw new RedJarException("ERR The command has no key arguments");
        }
        List<Reply> out = new ArrayList<>(idx.length);
        for (int i : idx) {
            out.add(new Reply.Bulk(cmd[i]));
        }
        return Reply.array(out);
    }
}
