package io.redjar.internal.acl;

import io.redjar.internal.command.CommandFlag;
import io.redjar.internal.command.CommandSpec;
import io.redjar.internal.command.KeyExtractor;
import io.redjar.internal.command.KeyFlag;
import io.redjar.internal.command.KeyRefs;
import io.redjar.internal.util.Glob;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * What a user is: flags ({@code on}/{@code off}, {@code nopass}, payload sanitizing), password
 * hashes (SHA-256, lower-case hex, as Redis stores them) and selectors, the root one first. Redis's
 * {@code user} struct without the name.
 *
 * <p>{@link #apply} is Redis's {@code ACLSetUser}, {@link #describe} its {@code ACLDescribeUser},
 * {@link #check} its {@code ACLCheckAllUserCommandPerm}.
 *
 * <p><b>Thread-safety:</b> a rules object is changed only while staged (a copy, by one thread),
 * then published through {@link User}'s volatile field and never changed again; published rules
 * are read concurrently by every command's ACL check.
 */
final class UserRules {
    static final int ENABLED = 1;
    static final int DISABLED = 2;
    static final int NOPASS = 4;
    static final int SKIP_SANITIZE = 8;
    static final int SANITIZE = 16;
    private static final String[] FLAG_NAMES = {"on", "off", "nopass", "skip-sanitize-payload", "sanitize-payload"};

    /** Check results, in Redis's order of relevance ({@code ACL_DENIED_*}). */
    static final int OK = 0;
    static final int DENIED_CMD = 1;
    static final int DENIED_KEY = 2;
    static final int DENIED_AUTH = 3;
    static final int DENIED_CHANNEL = 4;

    int flags;
    final List<String> passwords = new ArrayList<>();
    final List<Selector> selectors = new ArrayList<>();
    /** Set when published: the root selector allows every command, key and channel. */
    boolean unrestricted;

    /** A new user's rules: off, no passwords, nothing allowed, channels per {@code acl-pubsub-default}. */
    static UserRules fresh(CommandIndex idx, boolean allChannelsDefault) {
        UserRules r = new UserRules();
        r.flags = DISABLED;
        r.selectors.add(new Selector(Selector.ROOT | (allChannelsDefault ? Selector.ALLCHANNELS : 0), idx.words()));
        return r;
    }

    UserRules copy() {
        UserRules r = new UserRules();
        r.flags = flags;
        r.passwords.addAll(passwords);
        for (Selector s : selectors) {
            r.selectors.add(s.copy());
        }
        return r;
    }

    /** Marks these rules final (computes {@link #unrestricted}); returns them. */
    UserRules publish() {
        Selector root = selectors.get(0);
        int all = Selector.ALLCOMMANDS | Selector.ALLKEYS | Selector.ALLCHANNELS;
        unrestricted = (root.flags & all) == all;
        return this;
    }

    Selector root() {
        return selectors.get(0);
    }

    static String hash(byte[] cleartext) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cleartext));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean validHash(String h) {
        if (h.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = h.charAt(i);
            if ((c < 'a' || c > 'f') && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }

    /** Redis's {@code ACLSetUser}: applies one rule (passwords given as bytes in {@code op}). */
    void apply(String op, CommandIndex idx, boolean allChannelsDefault) throws AclRuleException {
        if (op.isEmpty()) {
            return;
        }
        String l = op.toLowerCase(Locale.ROOT);
        switch (l) {
            case "on" -> flags = (flags | ENABLED) & ~DISABLED;
            case "off" -> flags = (flags | DISABLED) & ~ENABLED;
            case "skip-sanitize-payload" -> flags = (flags | SKIP_SANITIZE) & ~SANITIZE;
            case "sanitize-payload" -> flags = (flags | SANITIZE) & ~SKIP_SANITIZE;
            case "nopass" -> {
                flags |= NOPASS;
                passwords.clear();
            }
            case "resetpass" -> {
                flags &= ~NOPASS;
                passwords.clear();
            }
            case "clearselectors" -> {
                while (selectors.size() > 1) {
                    selectors.remove(selectors.size() - 1);
                }
            }
            case "reset" -> {
                apply("resetpass", idx, allChannelsDefault);
                apply("resetkeys", idx, allChannelsDefault);
                apply("resetchannels", idx, allChannelsDefault);
                if (allChannelsDefault) {
                    apply("allchannels", idx, allChannelsDefault);
                }
                apply("off", idx, allChannelsDefault);
                apply("sanitize-payload", idx, allChannelsDefault);
                apply("clearselectors", idx, allChannelsDefault);
                apply("-@all", idx, allChannelsDefault);
            }
            default -> applyOther(op, idx, allChannelsDefault);
        }
    }

    private void applyOther(String op, CommandIndex idx, boolean allChannelsDefault) throws AclRuleException {
        char c0 = op.charAt(0);
        if (c0 == '>' || c0 == '#') {
            String h;
            if (c0 == '>') {
                h = hash(op.substring(1).getBytes(StandardCharsets.ISO_8859_1));
            } else {
                h = op.substring(1);
                if (!validHash(h)) {
                    throw new AclRuleException(AclRuleException.BAD_HASH);
                }
            }
            if (!passwords.contains(h)) {
                passwords.add(h);
            }
            flags &= ~NOPASS;
        } else if (c0 == '<' || c0 == '!') {
            String h;
            if (c0 == '<') {
                h = hash(op.substring(1).getBytes(StandardCharsets.ISO_8859_1));
            } else {
                h = op.substring(1);
                if (!validHash(h)) {
                    throw new AclRuleException(AclRuleException.BAD_HASH);
                }
            }
            if (!passwords.remove(h)) {
                throw new AclRuleException(AclRuleException.NO_SUCH_PASSWORD);
            }
        } else if (c0 == '(' && op.charAt(op.length() - 1) == ')') {
            Selector s = new Selector(allChannelsDefault ? Selector.ALLCHANNELS : 0, idx.words());
            for (String part : SplitArgs.split(op.substring(1, op.length() - 1))) {
                s.apply(part, idx);
            }
            selectors.add(s);
        } else {
            root().apply(op, idx);
        }
    }

    /** @return whether {@code password} (raw bytes) opens this user (enabled, and nopass or a matching hash) */
    boolean passwordOk(byte[] password) {
        if ((flags & DISABLED) != 0) {
            return false;
        }
        if ((flags & NOPASS) != 0) {
            return true;
        }
        byte[] h = hash(password).getBytes(StandardCharsets.US_ASCII);
        boolean ok = false;
        for (String p : passwords) {
            ok |= MessageDigest.isEqual(h, p.getBytes(StandardCharsets.US_ASCII));
        }
        return ok;
    }

    /** @return the user's flags as ACL GETUSER lists them */
    List<String> flagNames() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < FLAG_NAMES.length; i++) {
            if ((flags & (1 << i)) != 0) {
                out.add(FLAG_NAMES[i]);
            }
        }
        return out;
    }

    /** Redis's {@code ACLDescribeUser}: flags, {@code #hash}es, root selector, {@code (selectors)}. */
    String describe(CommandIndex idx) {
        StringBuilder res = new StringBuilder();
        for (String f : flagNames()) {
            res.append(f).append(' ');
        }
        for (String p : passwords) {
            res.append('#').append(p).append(' ');
        }
        for (Selector s : selectors) {
            String d = s.describe(idx);
            if ((s.flags & Selector.ROOT) != 0) {
                res.append(d);
            } else {
                res.append(" (").append(d).append(')');
            }
        }
        return res.toString();
    }

    // ---- checks ------------------------------------------------------------------------------

    /** The outcome of a check: {@link #OK} or a {@code DENIED_*} reason, and the argument that failed. */
    record Verdict(int reason, int argIndex) {
        static final Verdict ALLOWED = new Verdict(OK, 0);
    }

    /** Redis's {@code ACLCheckAllUserCommandPerm}: the first selector that allows the call wins. */
    Verdict check(CommandSpec cmd, byte[][] argv, CommandIndex idx) {
        int relevant = DENIED_CMD;
        int lastIdx = 0;
        KeyRefs[] keys = new KeyRefs[1];
        for (Selector s : selectors) {
            long r = checkSelector(s, cmd, argv, keys, idx);
            int reason = (int) (r >>> 32);
            int pos = (int) r;
            if (reason == OK) {
                return Verdict.ALLOWED;
            }
            if (reason > relevant || (reason == relevant && pos > lastIdx)) {
                relevant = reason;
                lastIdx = pos;
            }
        }
        return new Verdict(relevant, lastIdx);
    }

    /** @return the reason in the high half, the failing argument position in the low half */
    private static long checkSelector(Selector s, CommandSpec cmd, byte[][] argv, KeyRefs[] keys, CommandIndex idx) {
        int id = cmd.aclId();
        if ((s.flags & Selector.ALLCOMMANDS) == 0 && !cmd.has(CommandFlag.NO_AUTH) && !s.bit(id)) {
            List<String> allowed = s.firstArgs == null ? null : s.firstArgs.get(id);
            if (argv.length < 2 || allowed == null) {
                return (long) DENIED_CMD << 32;
            }
            int at = cmd.fullName().indexOf('|') >= 0 ? 2 : 1;
            boolean match = false;
            if (at < argv.length) {
                String a = new String(argv[at], StandardCharsets.ISO_8859_1);
                for (String x : allowed) {
                    match |= x.equalsIgnoreCase(a);
                }
            }
            if (!match) {
                return (long) DENIED_CMD << 32;
            }
        }
        if ((s.flags & Selector.ALLKEYS) == 0 && KeyExtractor.mayHaveKeys(cmd)) {
            if (keys[0] == null) {
                keys[0] = new KeyRefs();
                KeyExtractor.keys(cmd, argv, keys[0]);
            }
            KeyRefs k = keys[0];
            for (int j = 0; j < k.count(); j++) {
                int pos = k.position(j);
                if (!keyAllowed(s, argv[pos], k.flags(j))) {
                    return ((long) DENIED_KEY << 32) | pos;
                }
            }
        }
        if ((s.flags & Selector.ALLCHANNELS) == 0) {
            int kind = ChannelArgs.kind(cmd);
            if (kind != ChannelArgs.NONE) {
                int stop = kind == ChannelArgs.PUBLISH ? Math.min(2, argv.length) : argv.length;
                for (int i = 1; i < stop; i++) {
                    if (!channelAllowed(s.channels, argv[i], kind == ChannelArgs.PATTERN)) {
                        return ((long) DENIED_CHANNEL << 32) | i;
                    }
                }
            }
        }
        return 0;
    }

    private static final int ACCESS = KeyFlag.ACCESS.mask();
    private static final int WRITES = KeyFlag.INSERT.mask() | KeyFlag.DELETE.mask() | KeyFlag.UPDATE.mask();

    /** Redis's {@code ACLSelectorCheckKey}. */
    static boolean keyAllowed(Selector s, byte[] key, int keySpecFlags) {
        if ((s.flags & Selector.ALLKEYS) != 0) {
            return true;
        }
        int need = 0;
        if ((keySpecFlags & ACCESS) != 0) {
            need |= KeyPattern.READ;
        }
        if ((keySpecFlags & WRITES) != 0) {
            need |= KeyPattern.WRITE;
        }
        for (KeyPattern p : s.patterns) {
            if ((p.flags() & need) != need) {
                continue;
            }
            if (Glob.match(p.pattern().getBytes(StandardCharsets.ISO_8859_1), key, false)) {
                return true;
            }
        }
        return false;
    }

    /** Redis's {@code ACLCheckChannelAgainstList}: a pattern (PSUBSCRIBE) matches only literally. */
    static boolean channelAllowed(List<String> list, byte[] channel, boolean isPattern) {
        String ch = isPattern ? new String(channel, StandardCharsets.ISO_8859_1) : null;
        for (String p : list) {
            if (isPattern ? p.equals(ch) : Glob.match(p.getBytes(StandardCharsets.ISO_8859_1), channel, false)) {
                return true;
            }
        }
        return false;
    }

    /** Redis's {@code ACLUserCheckChannelPerm}. */
    boolean channelAllowed(byte[] channel, boolean isPattern) {
        for (Selector s : selectors) {
            if ((s.flags & Selector.ALLCHANNELS) != 0 || channelAllowed(s.channels, channel, isPattern)) {
                return true;
            }
        }
        return false;
    }
}
