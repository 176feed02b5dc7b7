package io.redjar.internal.command;

import io.redjar.Reply;

import static io.redjar.internal.command.CommandFlag.DENYOOM;
import static io.redjar.internal.command.CommandFlag.READONLY;
import static io.redjar.internal.command.CommandFlag.WRITE;
import static io.redjar.internal.command.KeyFlag.ACCESS;
import static io.redjar.internal.command.KeyFlag.OW;
import static io.redjar.internal.command.KeyFlag.RO;
import static io.redjar.internal.command.KeyFlag.UPDATE;
import static io.redjar.internal.command.KeySpec.index;

/**
 * DUMP and RESTORE's adapter (Redis 7.0's rows from {@code commands.c}); the work is in
 * {@link io.redjar.internal.persistence.rdb.DumpOps}.
 */
public final class DumpCommands {
    private DumpCommands() {
    }

    /** Adds DUMP and RESTORE to {@code t}. */
    public static void register(CommandTable t) {
        t.add("dump", 2).flags(READONLY)
            .keySpecs(index(1).range(0, 1, 0).flags(RO, ACCESS)).tips("nondeterministic_output")
            .doc("generic", "Return a serialized version of the value stored at the specified key.")
            .handler((c, a) -> Reply.bulk(c.engine().dumps().dump(c.db(), a[1])));
        t.add("restore", -4).flags(WRITE, DENYOOM)
            .keySpecs(index(1).range(0, 1, 0).flags(OW, UPDATE))
            .doc("generic", "Create a key using the provided serialized value, previously obtained using DUMP.")
            .handler((c, a) -> {
                c.engine().dumps().restore(c.db(), a);
                return Reply.OK;
            });
    }
}
