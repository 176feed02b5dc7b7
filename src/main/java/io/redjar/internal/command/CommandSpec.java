package io.redjar.internal.command;

import io.redjar.internal.server.CommandStats;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One row of the command table: the data Redis keeps in its {@code redisCommand} struct.
 *
 * <p>{@code arity} follows Redis: positive means exactly that many words (name included),
 * negative means at least {@code -arity}. The keys are described by Redis 7.0's
 * {@link KeySpec key specs} (and, for the commands Redis gives one, a {@link GetKeysProc}); every
 * use of a call's keys goes through {@link KeyExtractor}. The legacy {@code (first, last, step)}
 * triple and the {@code movablekeys} flag are derived from the specs ({@link LegacyKeyRange}), as
 * Redis derives them. A container command ({@code OBJECT}) has subcommands and no handler of its
 * own.
 *
 * <p><b>Thread-safety:</b> immutable after the table is built.
 */
public final class CommandSpec {
    private final String name;
    private final String fullName;
    private final int arity;
    private final Set<CommandFlag> flags;
    private final List<KeySpec> keySpecs;
    private final LegacyKeyRange legacy;
    private final GetKeysProc getKeysProc;
    private final List<String> tips;
    private final boolean legacyDeclared;
    private final boolean specsTrusted;
    private final String group;
    private final String summary;
    private final CommandHandler handler;
    private final Map<String, CommandSpec> subcommands = new TreeMap<>();
    private final CommandStats stats = new CommandStats();
    private final long aclCategories;
    private final int aclId;

    CommandSpec(String name, String parent, int arity, Set<CommandFlag> flags, List<KeySpec> keySpecs,
                GetKeysProc getKeysProc, List<String> tips, boolean legacyDeclared,
                String group, String summary, CommandHandler handler, int aclId) {
        this.name = name;
        this.aclId = aclId;
        this.fullName = parent == null ? name : parent + "|" + name;
        this.arity = arity;
        this.keySpecs = List.copyOf(keySpecs);
        this.legacy = LegacyKeyRange.of(this.keySpecs);
        this.getKeysProc = getKeysProc;
        this.tips = List.copyOf(tips);
        this.legacyDeclared = legacyDeclared;
        int allFlags = 0;
        boolean anyKey = false;
        for (KeySpec k : this.keySpecs) {
            allFlags |= k.flagMask();
            anyKey |= !k.has(KeyFlag.NOT_KEY);
        }
        this.specsTrusted = anyKey && (allFlags & KeyFlag.VARIABLE_FLAGS.mask()) == 0;
        EnumSet<CommandFlag> f = flags.isEmpty() ? EnumSet.noneOf(CommandFlag.class) : EnumSet.copyOf(flags);
        if (!legacyDeclared && f.contains(CommandFlag.MOVABLE_KEYS) && !legacy.movable()) {
            throw new IllegalStateException(fullName + ": declared movablekeys, but its key specs are not movable");
        }
        if (legacy.movable()) {
            f.add(CommandFlag.MOVABLE_KEYS);
        }
        this.flags = f.isEmpty() ? Collections.emptySet() : Collections.unmodifiableSet(f);
        this.aclCategories = AclCategory.of(fullName, f);
        this.group = group;
        this.summary = summary;
        this.handler = handler;
    }

    /** @return the lower-case name, e.g. {@code get} or {@code encoding} */
    public String name() {
        return name;
    }

    /** @return {@code get}, or {@code object|encoding} for a subcommand */
    public String fullName() {
        return fullName;
    }

    public int arity() {
        return arity;
    }

    public Set<CommandFlag> flags() {
        return flags;
    }

    public boolean has(CommandFlag f) {
        return flags.contains(f);
    }

    /** @return the legacy first key position ({@code COMMAND INFO}), 0 if none */
    public int firstKey() {
        return legacy.first();
    }

    /** @return the legacy last key position ({@code COMMAND INFO}; negative: from the end) */
    public int lastKey() {
        return legacy.last();
    }

    /** @return the legacy key step ({@code COMMAND INFO}) */
    public int step() {
        return legacy.step();
    }

    /** @return the legacy triple and movable-keys flag derived from the key specs */
    public LegacyKeyRange legacyKeyRange() {
        return legacy;
    }

    /** @return Redis 7.0's key specs of this command, in declaration order */
    public List<KeySpec> keySpecs() {
        return keySpecs;
    }

    /**
     * @return whether {@link KeyExtractor} tries the key specs first: there is a spec that is not
     *         {@link KeyFlag#NOT_KEY} and none with {@link KeyFlag#VARIABLE_FLAGS}
     */
    boolean specsTrusted() {
        return specsTrusted;
    }

    /** @return the command's own key finder, or null ({@link GetKeysProc}) */
    public GetKeysProc getKeysProc() {
        return getKeysProc;
    }

    /** @return the command tips ({@code COMMAND INFO}), e.g. {@code nondeterministic_output} */
    public List<String> tips() {
        return tips;
    }

    /**
     * @return whether the row gave only a legacy {@code (first, last, step)} triple instead of
     *         key specs (a row still to be converted; its specs carry no flags)
     */
    public boolean legacyDeclared() {
        return legacyDeclared;
    }

    /** @return the command group ({@code string}, {@code generic}, {@code connection}, {@code server}) */
    public String group() {
        return group;
    }

    public String summary() {
        return summary;
    }

    public CommandHandler handler() {
        return handler;
    }

    /** @return the command's ACL categories, a mask of {@link AclCategory#bit()}s (explicit and implicit) */
    public long aclCategories() {
        return aclCategories;
    }

    /** @return whether the command is in {@code c} */
    public boolean inCategory(AclCategory c) {
        return (aclCategories & c.bit()) != 0;
    }

    /**
     * @return the command's index in ACL command bitmaps (Redis's {@code cmd->id}): dense, unique
     *         within its table, subcommands included
     */
    public int aclId() {
        return aclId;
    }

    /** @return this command's INFO commandstats counters */
    public CommandStats stats() {
        return stats;
    }

    /** @return the subcommands by lower-case name (empty for plain commands) */
    public Map<String, CommandSpec> subcommands() {
        return Collections.unmodifiableMap(subcommands);
    }

    void addSubcommand(CommandSpec sub) {
        subcommands.put(sub.name, sub);
    }

    /** @return whether {@code argc} words satisfy the arity */
    public boolean arityOk(int argc) {
        return arity > 0 ? argc == arity : argc >= -arity;
    }
}
