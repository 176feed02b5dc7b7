package io.redjar.internal.command;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command table: every command RedJar knows, as data. Built once per store by the adapters'
 * {@code register} methods; read-only afterwards. Adding a command means one {@link #add} call
 * next to its adapter method.
 *
 * <p><b>Thread-safety:</b> populated before the store is published; immutable afterwards.
 */
public final class CommandTable {
    private final Map<String, CommandSpec> byName = new HashMap<>();
    private int nextAclId;

    /** Builder-style entry point for one command's row. */
    public final class Row {
        private final String name;
        private final String parent;
        private final int arity;
        private Set<CommandFlag> flags = EnumSet.noneOf(CommandFlag.class);
        private final List<KeySpec> keySpecs = new ArrayList<>();
        private GetKeysProc getKeys;
        private List<String> tips = List.of();
        private boolean legacy;
        private String group = "generic";
        private String summary = "";

        Row(String name, String parent, int arity) {
            this.name = name.toLowerCase(java.util.Locale.ROOT);
            this.parent = parent;
            this.arity = arity;
        }

        /** Sets the flags. */
        public Row flags(CommandFlag... f) {
            flags = f.length == 0 ? EnumSet.noneOf(CommandFlag.class) : EnumSet.of(f[0], f);
            return this;
        }

        /** Adds Redis 7.0's key specs of the command, in Redis's order. */
        public Row keySpecs(KeySpec... specs) {
            keySpecs.addAll(List.of(specs));
            return this;
        }

        /** Sets the command's own key finder (Redis's {@code getkeys_proc}). */
        public Row getKeys(GetKeysProc proc) {
            this.getKeys = proc;
            return this;
        }

        /** Sets the command tips ({@code COMMAND INFO}). */
        public Row tips(String... commandTips) {
            this.tips = List.of(commandTips);
            return this;
        }

        /**
         * The pre-key-spec form: one {@code index + range} spec without flags. Kept so that a row
         * written before key specs still compiles; the key-spec tests reject such a row.
         *
         * @deprecated declare Redis's key specs with {@link #keySpecs}
         */
        @Deprecated
        public Row keys(int firstKey, int lastKey, int keyStep) {
            if (firstKey > 0) {
                keySpecs.add(KeySpec.index(firstKey).range(lastKey < 0 ? lastKey : lastKey - firstKey, keyStep, 0).flags());
            }
            this.legacy = true;
            return this;
        }

        /** Sets the group and one-line summary ({@code COMMAND DOCS}). */
        public Row doc(String commandGroup, String oneLine) {
            this.group = commandGroup;
            this.summary = oneLine;
            return this;
        }

        /** Adds the row with its handler. */
        public CommandSpec handler(CommandHandler h) {
            CommandSpec spec = new CommandSpec(name, parent, arity, flags, keySpecs, getKeys, tips, legacy, group, summary, h, nextAclId++);
            if (parent == null) {
                if (byName.putIfAbsent(name, spec) != null) {
                    throw new IllegalStateException("duplicate command " + name);
                }
            } else {
                byName.get(parent).addSubcommand(spec);
            }
            return spec;
        }
    }

    /** Starts a row for a top-level command. */
    public Row add(String name, int arity) {
        return new Row(name, null, arity);
    }

    /** Starts a row for a subcommand of an already added container command. */
    public Row addSub(String parent, String name, int arity) {
        if (!byName.containsKey(parent)) {
            throw new IllegalStateException("no container command " + parent);
        }
        return new Row(name, parent, arity);
    }

    /** @return the command named by {@code name} (any case), or null */
    public CommandSpec lookup(byte[] name) {
        if (name.length > 32) {
            return null;
        }
        char[] c = new char[name.length];
        for (int i = 0; i < name.length; i++) {
            int b = name[i] & 0xFF;
            c[i] = (char) (b >= 'A' && b <= 'Z' ? b + 32 : b);
        }
        return byName.get(new String(c));
    }

    /** @return the command named {@code name} (any case), or null */
    public CommandSpec lookup(String name) {
        return lookup(name.getBytes(StandardCharsets.UTF_8));
    }

    /** @return the number of ACL command ids handed out (every command and subcommand has one below it) */
    public int aclIds() {
        return nextAclId;
    }

    /** @return every top-level command */
    public Collection<CommandSpec> all() {
        return Collections.unmodifiableCollection(byName.values());
    }
}
