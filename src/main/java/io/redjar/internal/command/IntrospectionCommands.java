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
 * shapes. ACL categories are the row's ({@link AclCategory}: Redis's explicit ones as data plus
 * the implicit ones of the flags); key specs, the legacy {@code (first, last, step)} triple, {@code movablekeys}
 * and tips come from the table rows ({@link KeySpec}, {@link LegacyKeyRange}).
 * {@code COMMAND GETKEYS} and {@code GETKEYSANDFLAGS} find keys through {@link KeyExtractor}.
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
        "GETKEYSANDFLAGS <full-command>",
        "    Return the keys and the access flags from a full Redis command.",
        "HELP",
        "    Prints this help.",
    };

    private IntrospectionCommands() {
    }

    /** Adds COMMAND to {@code t}. */
    public static void register(CommandTable t) {
        t.add("command", -1).flags(LOADING, STALE).tips("nondeterministic_output_order").doc(G, "Get array of Redis command details")
            .handler((c, a) -> {
                List<Reply> out = new ArrayList<>();
                for (CommandSpec s : sorted(c.engine().table().all())) {
                    out.add(info(s));
                }
                return Reply.array(out);
            });
        t.addSub("command", "count", 2).flags(LOADING, STALE).doc(G, "Get total number of Redis commands")
            .handler((c, a) -> Reply.integer(c.engine().table().all().size()));
        t.addSub("command", "info", -2).flags(LOADING, STALE)
            .tips("nondeterministic_output_order")
            .doc(G, "Get array of specific Redis command details, or all when no argument is given")
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
        t.addSub("command", "docs", -2).flags(LOADING, STALE)
            .tips("nondeterministic_output_order")
            .doc(G, "Get array of specific Redis command documentation")
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
        t.addSub("command", "list", -2).flags(LOADING, STALE)
            .tips("nondeterministic_output_order")
            .doc(G, "Get an array of Redis command names")
            .handler(IntrospectionCommands::list);
        t.addSub("command", "getkeys", -4).flags(LOADING, STALE).doc(G, "Extract keys given a full Redis command")
            .handler((c, a) -> getkeys(c, a, false));
        t.addSub("command", "getkeysandflags", -4).flags(LOADING, STALE)
            .doc(G, "Extract keys and access flags given a full Redis command")
            .handler((c, a) -> getkeys(c, a, true));
        t.addSub("command", "help", 2).flags(LOADING, STALE).doc(G, "Show helpful text about the different subcommands")
            .handler((c, a) -> help(HELP));
    }

    /** @return a help reply: one status line per entry, as Redis's {@code addReplyHelp} */
    public static Reply help(String[] lines) {
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

    /** @return the ACL categories Redis would report ({@code @read} ...), in Redis's category order */
    public static List<String> aclCategories(CommandSpec s) {
        List<String> out = new ArrayList<>();
        for (AclCategory c : AclCategory.of(s.aclCategories())) {
            out.add("@" + c.redisName());
        }
        return out;
    }

    /** One COMMAND INFO entry: name, arity, flags, first, last, step, categories, tips, key specs, subcommands. */
    static Reply info(CommandSpec s) {
        List<Reply> flags = new ArrayList<>();
        for (CommandFlag f : s.flags()) {
            if (f.reported()) {
                flags.add(new Reply.SimpleString(f.redisName()));
            }
        }
        List<Reply> cats = new ArrayList<>();
        for (String cat : aclCategories(s)) {
            cats.add(new Reply.SimpleString(cat));
        }
        List<Reply> tips = new ArrayList<>();
        for (String tip : s.tips()) {
            tips.add(Reply.bulk(tip));
        }
        List<Reply> specs = new ArrayList<>();
        for (KeySpec k : s.keySpecs()) {
            specs.add(keySpec(k));
        }
        Reply subs;
        if (s.subcommands().isEmpty()) {
            subs = new Reply.SetReply(List.of()); // Redis 7.0 replies an empty set here
        } else {
            List<Reply> l = new ArrayList<>();
            for (CommandSpec sub : sorted(s.subcommands().values())) {
                l.add(info(sub));
            }
            subs = Reply.array(l);
        }
        return Reply.array(Reply.bulk(s.fullName()), Reply.integer(s.arity()), new Reply.SetReply(flags),
            Reply.integer(s.firstKey()), Reply.integer(s.lastKey()), Reply.integer(s.step()),
            new Reply.SetReply(cats), new Reply.SetReply(tips), new Reply.SetReply(specs), subs);
    }

    /** One key spec as Redis 7.0's {@code addReplyCommandKeySpecs} writes it. */
    private static Reply keySpec(KeySpec k) {
        List<Reply> m = new ArrayList<>(8);
        if (k.notes() != null) {
            m.add(Reply.bulk("notes"));
            m.add(Reply.bulk(k.notes()));
        }
        m.add(Reply.bulk("flags"));
        m.add(keyFlags(k.flagMask()));
        m.add(Reply.bulk("begin_search"));
        switch (k.beginSearch()) {
            case INDEX:
                m.add(typed("index", Reply.bulk("index"), Reply.integer(k.index())));
                break;
            case KEYWORD:
                m.add(typed("keyword", Reply.bulk("keyword"), Reply.bulk(k.keyword()),
                    Reply.bulk("startfrom"), Reply.integer(k.startFrom())));
                break;
            default:
                m.add(typed("unknown"));
                break;
        }
        m.add(Reply.bulk("find_keys"));
        switch (k.findKeys()) {
            case RANGE:
                m.add(typed("range", Reply.bulk("lastkey"), Reply.integer(k.lastKey()),
                    Reply.bulk("keystep"), Reply.integer(k.rangeStep()), Reply.bulk("limit"), Reply.integer(k.limit())));
                break;
            case KEYNUM:
                m.add(typed("keynum", Reply.bulk("keynumidx"), Reply.integer(k.keyNumIdx()),
                    Reply.bulk("firstkey"), Reply.integer(k.firstKey()), Reply.bulk("keystep"), Reply.integer(k.keyNumStep())));
                break;
            default:
                m.add(typed("unknown"));
                break;
        }
        return new Reply.Map(m);
    }

    private static Reply typed(String type, Reply... spec) {
        return new Reply.Map(List.of(Reply.bulk("type"), Reply.bulk(type), Reply.bulk("spec"), new Reply.Map(List.of(spec))));
    }

    /** A key-flags set as Redis's {@code addReplyFlagsForKeyArgs}. */
    static Reply keyFlags(int mask) {
        List<Reply> out = new ArrayList<>();
        for (KeyFlag f : KeyFlag.of(mask)) {
            out.add(new Reply.SimpleString(f.redisName()));
        }
        return new Reply.SetReply(out);
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

    /** COMMAND GETKEYS / GETKEYSANDFLAGS, as Redis 7.0's {@code getKeysSubcommandImpl}. */
    private static Reply getkeys(ExecContext c, byte[][] a, boolean withFlags) {
        byte[][] cmd = java.util.Arrays.copyOfRange(a, 2, a.length);
        CommandSpec s = c.engine().table().lookup(cmd[0]);
        if (s != null && !s.subcommands().isEmpty() && cmd.length >= 2) {
            s = s.subcommands().get(Args.str(cmd[1]).toLowerCase(Locale.ROOT));
        }
        if (s == null) {
            throw new RedJarException("ERR Invalid command specified");
        }
        if (!KeyExtractor.mayHaveKeys(s)) {
            throw new RedJarException("ERR The command has no key arguments");
        }
        if ((s.arity() > 0 && s.arity() != cmd.length) || cmd.length < -s.arity()) {
            throw new RedJarException("ERR Invalid number of arguments specified for command");
        }
        KeyRefs keys = new KeyRefs();
        if (KeyExtractor.keys(s, cmd, keys) == 0) {
            if (s.has(CommandFlag.NO_MANDATORY_KEYS)) {
                return Reply.EMPTY_ARRAY;
            }
            throw new RedJarException("ERR Invalid arguments specified for command");
        }
        List<Reply> out = new ArrayList<>(keys.count());
        for (int i = 0; i < keys.count(); i++) {
            Reply key = new Reply.Bulk(cmd[keys.position(i)]);
            out.add(withFlags ? Reply.array(key, keyFlags(keys.flags(i))) : key);
        }
        return Reply.array(out);
    }
}
