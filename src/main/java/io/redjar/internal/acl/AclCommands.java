package io.redjar.internal.acl;

import io.redjar.ErrorPrefix;
import io.redjar.RedJarException;
import io.redjar.Reply;
import io.redjar.internal.command.AclCategory;
import io.redjar.internal.command.Args;
import io.redjar.internal.command.CommandSpec;
import io.redjar.internal.command.CommandTable;
import io.redjar.internal.command.ExecContext;
import io.redjar.internal.command.IntrospectionCommands;
import io.redjar.internal.server.ClientState;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import static io.redjar.internal.command.CommandFlag.ADMIN;
import static io.redjar.internal.command.CommandFlag.LOADING;
import static io.redjar.internal.command.CommandFlag.NOSCRIPT;
import static io.redjar.internal.command.CommandFlag.STALE;

/**
 * The ACL command and its subcommands (Redis 7.0's {@code aclCommand}): SETUSER, GETUSER,
 * DELUSER, LIST, USERS, WHOAMI, CAT, GENPASS, LOG, DRYRUN, LOAD, SAVE, HELP, with Redis's reply
 * shapes and error texts.
 *
 * <p><b>Thread-safety:</b> stateless; the {@link Acl} is thread-safe.
 */
public final class AclCommands {
    private static final String G = "server";
    private static final String[] HELP = {
        "ACL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CAT [<category>]",
        "    List all commands that belong to <category>, or all command categories",
        "    when no category is specified.",
        "DELUSER <username> [<username> ...]",
        "    Delete a list of users.",
        "DRYRUN <username> <command> [<arg> ...]",
        "    Returns whether the user can execute the given command without executing the command.",
        "GETUSER <username>",
        "    Get the user's details.",
        "GENPASS [<bits>]",
        "    Generate a secure 256-bit user password. The optional `bits` argument can",
        "    be used to specify a different size.",
        "LIST",
        "    Show users details in config file format.",
        "LOAD",
        "    Reload users from the ACL file.",
        "LOG [<count> | RESET]",
        "    Show the ACL log entries.",
        "SAVE",
        "    Save the current config to the ACL file.",
        "SETUSER <username> <attribute> [<attribute> ...]",
        "    Create or modify a user with the specified attributes.",
        "USERS",
        "    List all the registered usernames.",
        "WHOAMI",
        "    Return the current connection username.",
        "HELP",
        "    Prints this help.",
    };
    private static final SecureRandom RANDOM = new SecureRandom();

    private AclCommands() {
    }

    private static String str(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static Reply bulk(String s) {
        return Reply.bulk(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Adds ACL and its subcommands to {@code t}.
     *
     * @param acl     the store's users (read when a command runs)
     * @param aclfile the {@code aclfile} setting (empty: none)
     */
    public static void register(CommandTable t, Supplier<Acl> acl, Supplier<String> aclfile) {
        t.add("acl", -2).doc(G, "A container for Access List Control commands").handler((c, a) -> {
            throw new IllegalStateException("container command");
        });
        t.addSub("acl", "help", 2).flags(LOADING, STALE).doc(G, "Show helpful text about the different subcommands")
            .handler((c, a) -> IntrospectionCommands.help(HELP));
        t.addSub("acl", "cat", -2).flags(NOSCRIPT, LOADING, STALE)
            .doc(G, "List the ACL categories or the commands inside a category")
            .handler((c, a) -> cat(acl.get(), a));
        t.addSub("acl", "setuser", -3).flags(ADMIN, NOSCRIPT, LOADING, STALE)
            .doc(G, "Modify or create the rules for a specific ACL user")
            .handler((c, a) -> setuser(acl.get(), a));
        t.addSub("acl", "deluser", -3).flags(ADMIN, NOSCRIPT, LOADING, STALE)
            .doc(G, "Remove the specified ACL users and the associated rules")
            .handler((c, a) -> {
                List<String> names = new ArrayList<>();
                for (int i = 2; i < a.length; i++) {
                    names.add(str(a[i]));
                }
                int n = acl.get().delUsers(names);
                if (n < 0) {
                    throw new RedJarException(ErrorPrefix.ERR, "The 'default' user cannot be removed");
                }
                return Reply.integer(n);
            });
        t.addSub("acl", "getuser", 3).flags(ADMIN, NOSCRIPT, LOADING, STALE).doc(G, "Get the rules for a specific ACL user")
            .handler((c, a) -> getuser(acl.get(), str(a[2])));
        t.addSub("acl", "list", 2).flags(ADMIN, NOSCRIPT, LOADING, STALE)
            .doc(G, "List the current ACL rules in ACL config file format")
            .handler((c, a) -> {
                List<Reply> out = new ArrayList<>();
                for (String l : acl.get().describeAll()) {
                    out.add(bulk(l));
                }
                return Reply.array(out);
            });
        t.addSub("acl", "users", 2).flags(ADMIN, NOSCRIPT, LOADING, STALE)
            .doc(G, "List the username of all the configured ACL rules")
            .handler((c, a) -> {
                List<Reply> out = new ArrayList<>();
                for (String n : acl.get().names()) {
                    out.add(bulk(n));
                }
                return Reply.array(out);
            });
        t.addSub("acl", "whoami", 2).flags(NOSCRIPT, LOADING, STALE)
            .doc(G, "Return the name of the user associated to the current connection")
            .handler((c, a) -> bulk(acl.get().userOf(c.client()).name()));
        t.addSub("acl", "genpass", -2).flags(NOSCRIPT, LOADING, STALE)
            .doc(G, "Generate a pseudorandom secure password to use for ACL users")
            .handler((c, a) -> genpass(a));
        t.addSub("acl", "log", -2).flags(ADMIN, NOSCRIPT, LOADING, STALE)
            .doc(G, "List latest events denied because of ACLs in place")
            .handler((c, a) -> log(acl.get(), a));
        t.addSub("acl", "dryrun", -4).flags(ADMIN, NOSCRIPT, LOADING, STALE)
            .doc(G, "Returns whether the user can execute the given command without executing the command.")
            .handler((c, a) -> dryrun(acl.get(), c, a));
        t.addSub("acl", "load", 2).flags(ADMIN, NOSCRIPT, LOADING, STALE).doc(G, "Reload the ACLs from the configured ACL file")
            .handler((c, a) -> {
                String f = fileOrFail(aclfile);
                String err = AclFile.load(acl.get(), Path.of(f));
                if (err != null) {
                    throw new RedJarException(ErrorPrefix.ERR, err);
                }
                return Reply.OK;
            });
        t.addSub("acl", "save", 2).flags(ADMIN, NOSCRIPT, LOADING, STALE).doc(G, "Save the current ACL rules in the configured ACL file")
            .handler((c, a) -> {
                String f = fileOrFail(aclfile);
                if (!AclFile.save(acl.get(), Path.of(f))) {
                    throw new RedJarException(ErrorPrefix.ERR, "There was an error trying to save the ACLs. "
                        + "Please check the server logs for more information");
                }
                return Reply.OK;
            });
    }

    private static String fileOrFail(Supplier<String> aclfile) {
        String f = aclfile.get();
        if (f == null || f.isEmpty()) {
            throw new RedJarException(ErrorPrefix.ERR, "This Redis instance is not configured to use an ACL file. You may "
                + "want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have "
                + "a Redis configuration file set) in order to store users in the Redis configuration.");
        }
        return f;
    }

    private static Reply cat(Acl acl, byte[][] a) {
        List<Reply> out = new ArrayList<>();
        if (a.length == 2) {
            for (AclCategory c : AclCategory.values()) {
                out.add(Reply.bulk(c.redisName()));
            }
            return Reply.array(out);
        }
        if (a.length > 3) {
            throw new RedJarException(ErrorPrefix.ERR, "Unknown subcommand or wrong number of arguments for 'cat'. Try ACL HELP.");
        }
        AclCategory cat = AclCategory.byName(str(a[2]));
        if (cat == null) {
            String n = str(a[2]);
            throw new RedJarException(ErrorPrefix.ERR, "Unknown category '" + (n.length() > 128 ? n.substring(0, 128) : n) + "'");
        }
        for (CommandSpec s : acl.index().all()) {
            if (s.inCategory(cat)) {
                out.add(Reply.bulk(s.fullName()));
            }
        }
        return Reply.array(out);
    }

    private static Reply setuser(Acl acl, byte[][] a) {
        String name = str(a[2]);
        if (Selector.hasSpaces(name)) {
            throw new RedJarException(ErrorPrefix.ERR, "Usernames can't contain spaces or null characters");
        }
        List<String> ops = new ArrayList<>();
        for (int i = 3; i < a.length; i++) {
            ops.add(str(a[i]));
        }
        String err = acl.setUser(name, ops);
        if (err != null) {
            throw new RedJarException(ErrorPrefix.ERR, err.replace('\r', ' ').replace('\n', ' '));
        }
        return Reply.OK;
    }

    private static Reply getuser(Acl acl, String name) {
        User u = acl.user(name);
        if (u == null) {
            return Reply.NULL;
        }
        UserRules r = u.rules();
        CommandIndex idx = acl.index();
        List<Reply> m = new ArrayList<>();
        m.add(Reply.bulk("flags"));
        List<Reply> flags = new ArrayList<>();
        for (String f : r.flagNames()) {
            flags.add(Reply.bulk(f));
        }
        m.add(new Reply.SetReply(flags));
        m.add(Reply.bulk("passwords"));
        List<Reply> pw = new ArrayList<>();
        for (String p : r.passwords) {
            pw.add(Reply.bulk(p));
        }
        m.add(Reply.array(pw));
        selector(r.root(), idx, m);
        m.add(Reply.bulk("selectors"));
        List<Reply> sels = new ArrayList<>();
        for (int i = 1; i < r.selectors.size(); i++) {
            List<Reply> sm = new ArrayList<>();
            selector(r.selectors.get(i), idx, sm);
            sels.add(new Reply.Map(sm));
        }
        m.add(Reply.array(sels));
        return new Reply.Map(m);
    }

    private static void selector(Selector s, CommandIndex idx, List<Reply> m) {
        m.add(Reply.bulk("commands"));
        m.add(bulk(s.describeCommands(idx)));
        m.add(Reply.bulk("keys"));
        m.add(bulk(s.keysField()));
        m.add(Reply.bulk("channels"));
        m.add(bulk(s.channelsField()));
    }

    private static Reply genpass(byte[][] a) {
        if (a.length > 3) {
            throw new RedJarException(ErrorPrefix.ERR, "Unknown subcommand or wrong number of arguments for 'genpass'. Try ACL HELP.");
        }
        long bits = 256;
        if (a.length == 3) {
            bits = Args.parseLong(a[2]);
        }
        if (bits <= 0 || bits > 4096) {
            throw new RedJarException(ErrorPrefix.ERR, "ACL GENPASS argument must be the number of bits for the output "
                + "password, a positive number up to 4096");
        }
        int chars = (int) ((bits + 3) / 4);
        byte[] raw = new byte[(chars + 1) / 2];
        RANDOM.nextBytes(raw);
        return Reply.bulk(HexFormat.of().formatHex(raw).substring(0, chars));
    }

    private static Reply log(Acl acl, byte[][] a) {
        if (a.length > 3) {
            throw new RedJarException(ErrorPrefix.ERR, "Unknown subcommand or wrong number of arguments for 'log'. Try ACL HELP.");
        }
        long count = 10;
        if (a.length == 3) {
            if (str(a[2]).equalsIgnoreCase("reset")) {
                acl.log().reset();
                return Reply.OK;
            }
            count = Args.parseLong(a[2]);
            count = Math.max(0, count);
        }
        List<Reply> out = new ArrayList<>();
        for (Object[] e : acl.log().newest(count)) {
            List<Reply> m = new ArrayList<>();
            m.add(Reply.bulk("count"));
            m.add(Reply.integer((Long) e[0]));
            m.add(Reply.bulk("reason"));
            m.add(Reply.bulk((String) e[1]));
            m.add(Reply.bulk("context"));
            m.add(Reply.bulk((String) e[2]));
            m.add(Reply.bulk("object"));
            m.add(bulk((String) e[3]));
            m.add(Reply.bulk("username"));
            m.add(bulk((String) e[4]));
            m.add(Reply.bulk("age-seconds"));
            m.add(new Reply.DoubleReply((Long) e[5] / 1000.0));
            m.add(Reply.bulk("client-info"));
            m.add(bulk((String) e[6]));
            out.add(new Reply.Map(m));
        }
        return Reply.array(out);
    }

    private static Reply dryrun(Acl acl, ExecContext c, byte[][] a) {
        String name = str(a[2]);
        User u = acl.user(name);
        if (u == null) {
            throw new RedJarException(ErrorPrefix.ERR, "User '" + name + "' not found");
        }
        byte[][] argv = java.util.Arrays.copyOfRange(a, 3, a.length);
        CommandSpec cmd = c.engine().table().lookup(argv[0]);
        if (cmd != null && !cmd.subcommands().isEmpty() && argv.length >= 2) {
            cmd = cmd.subcommands().get(str(argv[1]).toLowerCase(Locale.ROOT));
        }
        if (cmd == null) {
            throw new RedJarException(ErrorPrefix.ERR, "Command '" + str(argv[0]) + "' not found");
        }
        if (!cmd.arityOk(argv.length)) {
            throw new RedJarException(ErrorPrefix.ERR, "wrong number of arguments for '" + cmd.fullName() + "' command");
        }
        UserRules.Verdict v = acl.check(u, cmd, argv);
        return switch (v.reason()) {
            case UserRules.OK -> Reply.OK;
            case UserRules.DENIED_CMD -> bulk("This user has no permissions to run the '" + cmd.fullName() + "' command");
            case UserRules.DENIED_KEY -> bulk("This user has no permissions to access the '" + str(argv[v.argIndex()]) + "' key");
            default -> bulk("This user has no permissions to access the '" + str(argv[v.argIndex()]) + "' channel");
        };
    }

    /** Loads the ACL file {@code file} (at startup): @return null, or the errors */
    public static String load(Acl acl, String file) {
        return AclFile.load(acl, Path.of(file));
    }

    /** @return the client's user name (CLIENT LIST {@code user=}) */
    static String nameOf(Acl acl, ClientState c) {
        return acl.userOf(c).name();
    }
}
