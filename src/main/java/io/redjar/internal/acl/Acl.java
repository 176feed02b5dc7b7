package io.redjar.internal.acl;

import io.redjar.internal.command.CommandSpec;
import io.redjar.internal.command.CommandTable;
import io.redjar.internal.server.ClientState;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The ACL users of one store (Redis's {@code Users} rax and {@code DefaultUser}) and the ACL log:
 * user changes (ACL SETUSER, DELUSER, LOAD, {@code requirepass}), authentication, and the
 * permission check every command passes ({@link AclGate}).
 *
 * <p><b>Cost when unused:</b> while every user may run everything (the start state: only the
 * default user, {@code +@all ~* &*}), {@link #open()} is true and the gate does nothing else.
 *
 * <p>Names, passwords and patterns are byte strings kept as ISO-8859-1 {@code String}s (one char
 * per byte), so any byte round-trips through ACL LIST and the ACL file.
 *
 * <p><b>Thread-safety:</b> thread-safe. Changes are serialised by this object's lock and publish
 * whole new rules per user ({@link User}); checks read published rules without locking.
 */
public final class Acl {
    private final CommandTable table;
    private volatile CommandIndex index;
    private final TreeMap<String, User> users = new TreeMap<>();
    private final User defaultUser;
    private volatile boolean open = true;
    private volatile boolean allChannelsDefault;
    private final AclLog log;
    /** Disconnects a client (the engine's: close its connection). */
    private volatile Consumer<ClientState> killer = c -> { };
    /** Every connected client. */
    private volatile java.util.function.Supplier<Collection<ClientState>> clients = List::of;
    /** A client's subscriptions: channels, patterns, shard channels; null if it has none. */
    private volatile Function<ClientState, List<List<byte[]>>> subscriptions = c -> null;

    /**
     * @param table      the command table (finished before the first ACL operation)
     * @param logMaxLen  {@code acllog-max-len}
     * @param clock      wall-clock milliseconds (ACL LOG ages)
     */
    public Acl(CommandTable table, LongSupplier logMaxLen, LongSupplier clock) {
        this.table = table;
        this.log = new AclLog(logMaxLen, clock);
        this.defaultUser = new User("default", defaultRules());
        users.put("default", defaultUser);
    }

    private UserRules defaultRules() {
        UserRules r = new UserRules();
        r.flags = UserRules.ENABLED | UserRules.NOPASS;
        Selector root = new Selector(Selector.ROOT | Selector.ALLKEYS | Selector.ALLCHANNELS | Selector.ALLCOMMANDS, 1);
        java.util.Arrays.fill(root.bits, -1L);
        r.selectors.add(root);
        return r;
    }

    CommandIndex index() {
        CommandIndex i = index;
        if (i == null) {
            synchronized (this) {
                i = index;
                if (i == null) {
                    i = new CommandIndex(table);
                    index = i;
                    // the default user was made before the table was complete: widen its bitmap
                    UserRules r = defaultUser.rules().copy();
                    Selector root = r.root();
                    Selector wide = new Selector(root.flags, i.words());
                    java.util.Arrays.fill(wide.bits, -1L);
                    r.selectors.set(0, wide);
                    defaultUser.rules(r);
                }
            }
        }
        return i;
    }

    /** Wires the client side: connected clients, their subscriptions, and how to disconnect one. */
    public void clients(java.util.function.Supplier<Collection<ClientState>> all,
                        Function<ClientState, List<List<byte[]>>> subs, Consumer<ClientState> kill) {
        this.clients = all;
        this.subscriptions = subs;
        this.killer = kill;
    }

    /** @return whether every user may run everything: the gate's one-flag fast path */
    public boolean open() {
        return open;
    }

    /** @return the ACL log */
    public AclLog log() {
        return log;
    }

    /** @return the default user */
    public User defaultUser() {
        return defaultUser;
    }

    /** @return the user {@code c} runs as: its own, or the default user */
    public User userOf(ClientState c) {
        User u = c == null ? null : (User) c.user();
        return u == null ? defaultUser : u;
    }

    /** @return the user named {@code name}, or null */
    public synchronized User user(String name) {
        return users.get(name);
    }

    /** @return the user names, sorted as Redis's rax (byte order) */
    public synchronized List<String> names() {
        return new ArrayList<>(users.keySet());
    }

    /** @return {@code acl-pubsub-default} is {@code allchannels} */
    public boolean allChannelsDefault() {
        return allChannelsDefault;
    }

    /** Sets {@code acl-pubsub-default}: whether new users and selectors start with {@code allchannels}. */
    public void allChannelsDefault(boolean all) {
        this.allChannelsDefault = all;
    }

    /** @return whether a new connection must authenticate (the default user is off or has passwords) */
    public boolean defaultNeedsAuth() {
        int f = defaultUser.rules().flags;
        return (f & UserRules.NOPASS) == 0 || (f & UserRules.DISABLED) != 0;
    }

    /** @return whether the default user is {@code nopass} (AUTH with one argument is then an error) */
    public boolean defaultNopass() {
        return (defaultUser.rules().flags & UserRules.NOPASS) != 0;
    }

    private void recomputeOpen() {
        boolean o = true;
        for (User u : users.values()) {
            o &= u.unrestricted();
        }
        open = o;
    }

    // ---- changes -----------------------------------------------------------------------------

    /**
     * Redis's {@code ACLStringSetUser}: applies {@code ops} to a copy of the user (a new one if it
     * does not exist) and publishes it only if every rule applied.
     *
     * @return null, or the error message (without the {@code ERR} code)
     */
    public String setUser(String name, List<String> ops) {
        List<String> merged = mergeSelectors(ops);
        if (merged == null) {
            String open = null;
            for (String op : ops) {
                if (op.startsWith("(") && !op.endsWith(")")) {
                    open = op;
                } else if (open != null && op.endsWith(")")) {
                    open = null;
                }
            }
            return "Unmatched parenthesis in acl selector starting at '" + open + "'.";
        }
        CommandIndex idx = index();
        synchronized (this) {
            User u = users.get(name);
            UserRules staged = u == null ? UserRules.fresh(idx, allChannelsDefault) : u.rules().copy();
            for (String op : merged) {
                try {
                    staged.apply(op, idx, allChannelsDefault);
                } catch (AclRuleException e) {
                    return "Error in ACL SETUSER modifier '" + op + "': " + e.getMessage();
                }
            }
            if (u == null) {
                users.put(name, new User(name, staged));
            } else {
                UserRules before = u.rules();
                u.rules(staged);
                killPubSubClientsIfNeeded(u, before, staged);
            }
            recomputeOpen();
            return null;
        }
    }

    /** Redis's {@code ACLMergeSelectorArguments}: joins a selector spread over several arguments; null if unbalanced. */
    static List<String> mergeSelectors(List<String> ops) {
        List<String> out = new ArrayList<>();
        StringBuilder sel = null;
        for (String op : ops) {
            if (op.startsWith("(") && !op.endsWith(")")) { // (Redis restarts an open selector here too)
                sel = new StringBuilder(op);
                continue;
            }
            if (sel != null) {
                sel.append(' ').append(op);
                if (op.endsWith(")")) {
                    out.add(sel.toString());
                    sel = null;
                }
                continue;
            }
            out.add(op);
        }
        return sel == null ? out : null;
    }

    /**
     * ACL DELUSER: removes the users and disconnects their clients.
     *
     * @return the number removed, or -1 if {@code default} is among them (nothing is removed)
     */
    public int delUsers(List<String> names) {
        List<User> gone = new ArrayList<>();
        synchronized (this) {
            if (names.contains("default")) {
                return -1;
            }
            for (String n : names) {
                User u = users.remove(n);
                if (u != null) {
                    u.markDeleted();
                    gone.add(u);
                }
            }
            recomputeOpen();
        }
        for (User u : gone) {
            killClientsOf(u);
        }
        return gone.size();
    }

    private void killClientsOf(User u) {
        for (ClientState c : clients.get()) {
            if (c.user() == u) {
                killer.accept(c);
            }
        }
    }

    /** Redis's {@code ACLKillPubsubClientsIfNeeded}: disconnects subscribers whose channels were revoked. */
    private void killPubSubClientsIfNeeded(User u, UserRules before, UserRules after) {
        List<String> upcoming = new ArrayList<>();
        for (Selector s : after.selectors) {
            if ((s.flags & Selector.ALLCHANNELS) != 0) {
                return;
            }
            upcoming.addAll(s.channels);
        }
        boolean superset = true;
        for (Selector s : before.selectors) {
            if ((s.flags & Selector.ALLCHANNELS) != 0 || !upcoming.containsAll(s.channels)) {
                superset = false;
                break;
            }
        }
        if (superset) {
            return;
        }
        for (ClientState c : clients.get()) {
            if (userOf(c) != u) {
                continue;
            }
            List<List<byte[]>> subs = subscriptions.apply(c);
            if (subs == null) {
                continue;
            }
            boolean kill = false;
            for (int k = 0; k < subs.size() && !kill; k++) {
                for (byte[] ch : subs.get(k)) {
                    if (!UserRules.channelAllowed(upcoming, ch, k == 1)) {
                        kill = true;
                        break;
                    }
                }
            }
            if (kill) {
                killer.accept(c);
            }
        }
    }

    /** {@code requirepass}: the default user's only password, or {@code nopass} for an empty one. */
    public void requirepass(String password) {
        // password rules need no command index: the table may still be growing (engine start)
        synchronized (this) {
            UserRules r = defaultUser.rules().copy();
            try {
                r.apply("resetpass", null, allChannelsDefault);
                if (password != null && !password.isEmpty()) {
                    r.apply(">" + new String(password.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1),
                        null, allChannelsDefault);
                } else {
                    r.apply("nopass", null, allChannelsDefault);
                }
            } catch (AclRuleException e) {
                throw new IllegalStateException(e);
            }
            defaultUser.rules(r);
        }
    }

    /**
     * Redis's {@code ACLCheckUserCredentials}.
     *
     * @return the user, or null if it does not exist, is off, or the password is wrong
     */
    public User authenticate(String name, byte[] password) {
        User u = user(name);
        return u != null && u.rules().passwordOk(password) ? u : null;
    }

    /**
     * ACL LOAD: replaces every user. As in Redis, the default user keeps its identity (its rules
     * are replaced) and every other user is new: the clients of the old ones are disconnected.
     */
    void replaceAll(TreeMap<String, UserRules> loaded) {
        List<User> gone = new ArrayList<>();
        synchronized (this) {
            for (User u : users.values()) {
                if (u != defaultUser) {
                    u.markDeleted();
                    gone.add(u);
                }
            }
            users.clear();
            users.put("default", defaultUser);
            for (var e : loaded.entrySet()) {
                if (e.getKey().equals("default")) {
                    defaultUser.rules(e.getValue());
                } else {
                    users.put(e.getKey(), new User(e.getKey(), e.getValue()));
                }
            }
            recomputeOpen();
        }
        for (User u : gone) {
            killClientsOf(u);
        }
    }

    // ---- checks ------------------------------------------------------------------------------

    /** @return the verdict for {@code u} running {@code argv} as {@code cmd} */
    UserRules.Verdict check(User u, CommandSpec cmd, byte[][] argv) {
        UserRules r = u.rules();
        if (r.unrestricted) {
            return UserRules.Verdict.ALLOWED;
        }
        return r.check(cmd, argv, index());
    }

    /**
     * Checks a call and logs a refusal.
     *
     * @return null if allowed, else the refusal reason ({@link UserRules#DENIED_CMD} ...) and position
     */
    UserRules.Verdict checkAndLog(User u, ClientState client, CommandSpec cmd, byte[][] argv, AclLog.Context context) {
        UserRules.Verdict v = check(u, cmd, argv);
        if (v.reason() == UserRules.OK) {
            return null;
        }
        String object = switch (v.reason()) {
            case UserRules.DENIED_CMD -> cmd.fullName();
            default -> new String(argv[v.argIndex()], StandardCharsets.ISO_8859_1);
        };
        AclLog.Reason reason = switch (v.reason()) {
            case UserRules.DENIED_CMD -> AclLog.Reason.COMMAND;
            case UserRules.DENIED_KEY -> AclLog.Reason.KEY;
            default -> AclLog.Reason.CHANNEL;
        };
        log.add(reason, context, object, u.name(), clientInfo(client));
        return v;
    }

    /** Logs a failed AUTH / HELLO AUTH. */
    public void logAuthFailure(ClientState client, String username, String command, boolean inMulti) {
        log.add(AclLog.Reason.AUTH, inMulti ? AclLog.Context.MULTI : AclLog.Context.TOPLEVEL, command, username, clientInfo(client));
    }

    private static String clientInfo(ClientState c) {
        if (c == null) {
            return "";
        }
        String s = c.infoLine();
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    /** @return the rules of every user as ACL LIST prints them ({@code user <name> <rules>}) */
    public synchronized List<String> describeAll() {
        List<String> out = new ArrayList<>();
        CommandIndex idx = index();
        for (User u : users.values()) {
            out.add("user " + u.name() + " " + u.rules().describe(idx));
        }
        return out;
    }
}
