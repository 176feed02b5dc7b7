package io.redjar.internal.command;

import io.redjar.internal.server.CommandStats;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One row of the command table: the data Redis keeps in its {@code redisCommand} struct.
 *
 * <p>{@code arity} follows Redis: positive means exactly that many words (name included),
 * negative means at least {@code -arity}. Key positions ({@code firstKey}, {@code lastKey},
 * {@code step}; {@code lastKey} -1 means the last argument, 0 none) drive {@code COMMAND GETKEYS}
 * and cluster routing. A container command ({@code OBJECT}) has subcommands and no handler of its
 * own.
 *
 * <p><b>Thread-safety:</b> immutable after the table is built.
 */
public final class CommandSpec {
    private final String name;
    private final String fullName;
    private final int arity;
    private final Set<CommandFlag> flags;
    private final int firstKey;
    private final int lastKey;
    private final int step;
    private final String group;
    private final String summary;
    private final CommandHandler handler;
    private final Map<String, CommandSpec> subcommands = new TreeMap<>();
    private final CommandStats stats = new CommandStats();

    CommandSpec(String name, String parent, int arity, Set<CommandFlag> flags, int firstKey, int lastKey, int step,
                String group, String summary, CommandHandler handler) {
        this.name = name;
        this.fullName = parent == null ? name : parent + "|" + name;
        this.arity = arity;
        this.flags = flags.isEmpty() ? Collections.emptySet() : Collections.unmodifiableSet(EnumSet.copyOf(flags));
        this.firstKey = firstKey;
        this.lastKey = lastKey;
        this.step = step;
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

    public int firstKey() {
        return firstKey;
    }

    public int lastKey() {
        return lastKey;
    }

    public int step() {
        return step;
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

    /** @return the indexes of key arguments in a call with {@code argc} words */
    public int[] keyIndexes(int argc) {
        if (firstKey <= 0 || step <= 0) {
            return new int[0];
        }
        int last = lastKey < 0 ? argc + lastKey : lastKey;
        if (last >= argc) {
            last = argc - 1;
        }
        int n = last < firstKey ? 0 : (last - firstKey) / step + 1;
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = firstKey + i * step;
        }
        return idx;
    }
}
