package io.redjar.internal.acl;

import io.redjar.internal.command.CommandSpec;
import io.redjar.internal.command.CommandTable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The command table as the ACL code walks it: every command in a fixed order (top-level commands
 * by name, each followed by its subcommands by name), lookup of {@code name} and
 * {@code container|sub} the way Redis's {@code ACLLookupCommand} does, and the size of a command
 * bitmap. Redis walks its command dict in hash order; a fixed order makes the rule strings ACL
 * LIST prints stable.
 *
 * <p><b>Thread-safety:</b> immutable after construction (built from a finished table).
 */
final class CommandIndex {
    private final CommandTable table;
    private final List<CommandSpec> topLevel;
    private final List<CommandSpec> all;
    private final int ids;

    CommandIndex(CommandTable table) {
        this.table = table;
        List<CommandSpec> top = new ArrayList<>(table.all());
        top.sort((a, b) -> a.name().compareTo(b.name()));
        List<CommandSpec> every = new ArrayList<>();
        for (CommandSpec c : top) {
            every.add(c);
            every.addAll(c.subcommands().values());
        }
        this.topLevel = Collections.unmodifiableList(top);
        this.all = Collections.unmodifiableList(every);
        this.ids = table.aclIds();
    }

    /** @return the top-level commands, by name */
    List<CommandSpec> topLevel() {
        return topLevel;
    }

    /** @return every command and subcommand, in walk order */
    List<CommandSpec> all() {
        return all;
    }

    /** @return the bit that only {@code +@all} sets (Redis's "future commands" bit) */
    int futureBit() {
        return ids;
    }

    /** @return the number of 64-bit words of a command bitmap (the future bit included) */
    int words() {
        return (ids + 1 + 63) >>> 6;
    }

    /**
     * @return the command {@code name} (any case) or the subcommand {@code container|sub}, or null;
     *         more than one {@code |} finds nothing
     */
    CommandSpec lookup(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        int bar = n.indexOf('|');
        if (bar < 0) {
            return table.lookup(n);
        }
        if (n.indexOf('|', bar + 1) >= 0) {
            return null;
        }
        CommandSpec parent = table.lookup(n.substring(0, bar));
        return parent == null ? null : parent.subcommands().get(n.substring(bar + 1));
    }

    /** @return the container of {@code sub}, or null for a top-level command */
    CommandSpec parentOf(CommandSpec sub) {
        int bar = sub.fullName().indexOf('|');
        return bar < 0 ? null : table.lookup(sub.fullName().substring(0, bar));
    }
}
