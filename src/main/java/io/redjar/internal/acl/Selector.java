package io.redjar.internal.acl;

import io.redjar.internal.command.AclCategory;
import io.redjar.internal.command.CommandSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One ACL selector (Redis 7.0's {@code aclSelector}): the commands it allows (a bitmap indexed
 * by {@link CommandSpec#aclId()}, plus allowed first arguments of otherwise blocked commands),
 * its key patterns and its channel patterns. A user has a root selector (the rules given outside
 * parentheses) and any number of {@code (...)} selectors; a command is allowed if one selector
 * allows it whole (command, keys and channels).
 *
 * <p>{@link #apply} is Redis's {@code ACLSetSelector}; {@link #describe} its
 * {@code ACLDescribeSelector}, including the best-fit category search of
 * {@code ACLDescribeSelectorCommandRules}, so that ACL LIST prints the rules Redis prints.
 *
 * <p><b>Thread-safety:</b> not thread-safe; a selector is changed only while a user's new rules
 * are staged, and never after they are published ({@link UserRules}).
 */
final class Selector {
    static final int ROOT = 1;
    static final int ALLKEYS = 2;
    static final int ALLCHANNELS = 4;
    static final int ALLCOMMANDS = 8;

    int flags;
    final long[] bits;
    /** Allowed first arguments by command id (null: none anywhere). */
    Map<Integer, List<String>> firstArgs;
    final List<KeyPattern> patterns = new ArrayList<>();
    final List<String> channels = new ArrayList<>();

    Selector(int flags, int words) {
        this.flags = flags;
        this.bits = new long[words];
    }

    Selector copy() {
        Selector s = new Selector(flags, bits.length);
        System.arraycopy(bits, 0, s.bits, 0, bits.length);
        if (firstArgs != null) {
            s.firstArgs = new LinkedHashMap<>();
            firstArgs.forEach((k, v) -> s.firstArgs.put(k, new ArrayList<>(v)));
        }
        s.patterns.addAll(patterns);
        s.channels.addAll(channels);
        return s;
    }

    boolean bit(int id) {
        return (bits[id >>> 6] & (1L << id)) != 0;
    }

    private void setBit(int id, boolean v) {
        if (v) {
            bits[id >>> 6] |= 1L << id;
        } else {
            bits[id >>> 6] &= ~(1L << id);
            flags &= ~ALLCOMMANDS;
        }
    }

    /** Redis's {@code ACLChangeSelectorPerm}: the command and, for a container, its subcommands. */
    void changePerm(CommandSpec cmd, boolean allow) {
        setBit(cmd.aclId(), allow);
        if (firstArgs != null) {
            firstArgs.remove(cmd.aclId());
        }
        for (CommandSpec sub : cmd.subcommands().values()) {
            setBit(sub.aclId(), allow);
        }
    }

    private void setCategory(CommandIndex idx, long cflag, boolean v) {
        for (CommandSpec top : idx.topLevel()) {
            if ((top.aclCategories() & cflag) != 0) {
                changePerm(top, v);
            }
            for (CommandSpec sub : top.subcommands().values()) {
                if ((sub.aclCategories() & cflag) != 0) {
                    changePerm(sub, v);
                }
            }
        }
    }

    private void all(boolean v) {
        Arrays.fill(bits, v ? -1L : 0L);
        if (v) {
            flags |= ALLCOMMANDS;
        } else {
            flags &= ~ALLCOMMANDS;
        }
        firstArgs = null;
    }

    /** Redis's {@code ACLSetSelector}: applies one rule. */
    void apply(String op, CommandIndex idx) throws AclRuleException {
        if (op.equalsIgnoreCase("allkeys") || op.equals("~*")) {
            flags |= ALLKEYS;
            patterns.clear();
        } else if (op.equalsIgnoreCase("resetkeys")) {
            flags &= ~ALLKEYS;
            patterns.clear();
        } else if (op.equalsIgnoreCase("allchannels") || op.equals("&*")) {
            flags |= ALLCHANNELS;
            channels.clear();
        } else if (op.equalsIgnoreCase("resetchannels")) {
            flags &= ~ALLCHANNELS;
            channels.clear();
        } else if (op.equalsIgnoreCase("allcommands") || op.equalsIgnoreCase("+@all")) {
            all(true);
        } else if (op.equalsIgnoreCase("nocommands") || op.equalsIgnoreCase("-@all")) {
            all(false);
        } else if (op.startsWith("~") || op.startsWith("%")) {
            addKeyPattern(op);
        } else if (op.startsWith("&")) {
            if ((flags & ALLCHANNELS) != 0) {
                throw new AclRuleException(AclRuleException.CHANNELS_AFTER_ALL);
            }
            String p = op.substring(1);
            if (hasSpaces(p)) {
                throw new AclRuleException(AclRuleException.SYNTAX);
            }
            if (!channels.contains(p)) {
                channels.add(p);
            }
            flags &= ~ALLCHANNELS;
        } else if (op.startsWith("+") && !op.startsWith("+@")) {
            allowCommand(op.substring(1), idx);
        } else if (op.startsWith("-") && !op.startsWith("-@")) {
            CommandSpec cmd = idx.lookup(op.substring(1));
            if (cmd == null) {
                throw new AclRuleException(AclRuleException.UNKNOWN);
            }
            changePerm(cmd, false);
        } else if (op.startsWith("+@") || op.startsWith("-@")) {
            AclCategory c = AclCategory.byName(op.substring(2));
            if (c == null) {
                throw new AclRuleException(AclRuleException.UNKNOWN);
            }
            setCategory(idx, c.bit(), op.charAt(0) == '+');
        } else {
            throw new AclRuleException(AclRuleException.SYNTAX);
        }
    }

    private void addKeyPattern(String op) throws AclRuleException {
        if ((flags & ALLKEYS) != 0) {
            throw new AclRuleException(AclRuleException.KEYS_AFTER_ALL);
        }
        int f = 0;
        int offset = 1;
        if (op.charAt(0) == '%') {
            for (; offset < op.length(); offset++) {
                char c = Character.toUpperCase(op.charAt(offset));
                if (c == 'R' && (f & KeyPattern.READ) == 0) {
                    f |= KeyPattern.READ;
                } else if (c == 'W' && (f & KeyPattern.WRITE) == 0) {
                    f |= KeyPattern.WRITE;
                } else if (op.charAt(offset) == '~') {
                    offset++;
                    break;
                } else {
                    throw new AclRuleException(AclRuleException.SYNTAX);
                }
            }
        } else {
            f = KeyPattern.ALL;
        }
        String p = op.substring(Math.min(offset, op.length()));
        if (hasSpaces(p)) {
            throw new AclRuleException(AclRuleException.SYNTAX);
        }
        boolean found = false;
        for (int i = 0; i < patterns.size(); i++) {
            KeyPattern k = patterns.get(i);
            if (k.pattern().equals(p)) {
                patterns.set(i, new KeyPattern(p, k.flags() | f));
                found = true;
                break;
            }
        }
        if (!found) {
            patterns.add(new KeyPattern(p, f));
        }
        flags &= ~ALLKEYS;
    }

    private void allowCommand(String name, CommandIndex idx) throws AclRuleException {
        int bar = name.lastIndexOf('|');
        if (bar < 0) {
            CommandSpec cmd = idx.lookup(name);
            if (cmd == null) {
                throw new AclRuleException(AclRuleException.UNKNOWN);
            }
            changePerm(cmd, true);
            return;
        }
        String sub = name.substring(bar + 1);
        CommandSpec cmd = idx.lookup(name.substring(0, bar));
        if (cmd == null) {
            throw new AclRuleException(AclRuleException.UNKNOWN);
        }
        if (cmd.fullName().indexOf('|') >= 0) {
            throw new AclRuleException(AclRuleException.FIRSTARG_OF_SUB);
        }
        if (sub.isEmpty()) {
            throw new AclRuleException(AclRuleException.SYNTAX);
        }
        if (!cmd.subcommands().isEmpty()) {
            CommandSpec s = idx.lookup(name);
            if (s == null) {
                throw new AclRuleException(AclRuleException.UNKNOWN);
            }
            changePerm(s, true);
        } else {
            if (firstArgs == null) {
                firstArgs = new LinkedHashMap<>();
            }
            List<String> l = firstArgs.computeIfAbsent(cmd.aclId(), k -> new ArrayList<>());
            for (String a : l) {
                if (a.equalsIgnoreCase(sub)) {
                    return;
                }
            }
            l.add(sub);
        }
    }

    static boolean hasSpaces(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B || c == 0) {
                return true;
            }
        }
        return false;
    }

    // ---- description -------------------------------------------------------------------------

    private long[] countCategory(CommandIndex idx, long cflag) {
        long on = 0;
        long off = 0;
        for (CommandSpec c : idx.all()) {
            if ((c.aclCategories() & cflag) != 0) {
                if (bit(c.aclId())) {
                    on++;
                } else {
                    off++;
                }
            }
        }
        return new long[] {on, off};
    }

    /** Redis's {@code ACLDescribeSelectorCommandRules}: {@code +@all}/{@code -@all}, categories, then single commands. */
    String describeCommands(CommandIndex idx) {
        StringBuilder rules = new StringBuilder();
        Selector fake = new Selector(0, bits.length);
        boolean additive;
        try {
            if (bit(idx.futureBit())) {
                additive = false;
                rules.append("+@all ");
                fake.apply("+@all", idx);
            } else {
                additive = true;
                rules.append("-@all ");
                fake.apply("-@all", idx);
            }
            Selector temp = new Selector(0, bits.length);
            System.arraycopy(bits, 0, temp.bits, 0, bits.length);
            AclCategory[] cats = AclCategory.values();
            boolean[] applied = new boolean[cats.length];
            while (true) {
                int best = -1;
                long mindiff = Integer.MAX_VALUE;
                long maxsame = 0;
                for (int j = 0; j < cats.length; j++) {
                    if (applied[j]) {
                        continue;
                    }
                    long[] onOff = temp.countCategory(idx, cats[j].bit());
                    long diff = additive ? onOff[1] : onOff[0];
                    long same = additive ? onOff[0] : onOff[1];
                    if (same > diff && (diff < mindiff || (diff == mindiff && same > maxsame))) {
                        best = j;
                        mindiff = diff;
                        maxsame = same;
                    }
                }
                if (best == -1) {
                    break;
                }
                String op = (additive ? "+@" : "-@") + cats[best].redisName();
                fake.apply(op, idx);
                temp.apply((additive ? "-@" : "+@") + cats[best].redisName(), idx);
                rules.append(op).append(' ');
                applied[best] = true;
            }
        } catch (AclRuleException e) {
            throw new IllegalStateException(e);
        }
        for (CommandSpec top : idx.topLevel()) {
            single(top, fake, rules);
            for (CommandSpec sub : top.subcommands().values()) {
                single(sub, fake, rules);
            }
            if (!bit(top.aclId()) && firstArgs != null && firstArgs.get(top.aclId()) != null) {
                for (String a : firstArgs.get(top.aclId())) {
                    rules.append('+').append(top.fullName()).append('|').append(a).append(' ');
                }
            }
        }
        rules.setLength(rules.length() - 1);
        if (!Arrays.equals(fake.bits, bits)) {
            throw new IllegalStateException("ACL rules do not reproduce the command bitmap: " + rules);
        }
        return rules.toString();
    }

    private void single(CommandSpec cmd, Selector fake, StringBuilder rules) {
        boolean userbit = bit(cmd.aclId());
        if (userbit != fake.bit(cmd.aclId())) {
            rules.append(userbit ? '+' : '-').append(cmd.fullName()).append(' ');
            fake.changePerm(cmd, userbit);
        }
    }

    /** Redis's {@code ACLDescribeSelector}: keys, channels, commands. */
    String describe(CommandIndex idx) {
        StringBuilder res = new StringBuilder();
        if ((flags & ALLKEYS) != 0) {
            res.append("~* ");
        } else {
            for (KeyPattern k : patterns) {
                res.append(k.describe()).append(' ');
            }
        }
        if ((flags & ALLCHANNELS) != 0) {
            res.append("&* ");
        } else {
            res.append("resetchannels ");
            for (String c : channels) {
                res.append('&').append(c).append(' ');
            }
        }
        res.append(describeCommands(idx));
        return res.toString();
    }

    /** @return the {@code keys} field of ACL GETUSER */
    String keysField() {
        if ((flags & ALLKEYS) != 0) {
            return "~*";
        }
        StringBuilder b = new StringBuilder();
        for (KeyPattern k : patterns) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(k.describe());
        }
        return b.toString();
    }

    /** @return the {@code channels} field of ACL GETUSER */
    String channelsField() {
        if ((flags & ALLCHANNELS) != 0) {
            return "&*";
        }
        StringBuilder b = new StringBuilder();
        for (String c : channels) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append('&').append(c);
        }
        return b.toString();
    }
}
