package io.redjar.internal.persistence;

import io.redjar.Reply;
import io.redjar.SyntaxException;
import io.redjar.internal.command.Args;
import io.redjar.internal.command.CommandTable;

import static io.redjar.internal.command.CommandFlag.ADMIN;
import static io.redjar.internal.command.CommandFlag.FAST;
import static io.redjar.internal.command.CommandFlag.LOADING;
import static io.redjar.internal.command.CommandFlag.NOSCRIPT;
import static io.redjar.internal.command.CommandFlag.NO_ASYNC_LOADING;
import static io.redjar.internal.command.CommandFlag.NO_MULTI;
import static io.redjar.internal.command.CommandFlag.STALE;

/** The snapshot commands: SAVE, BGSAVE [SCHEDULE], LASTSAVE (adapters over {@link RdbSnapshots}). */
final class PersistenceCommands {
    private PersistenceCommands() {
    }

    static void register(CommandTable t, Persistence p) {
        t.add("save", 1).flags(ADMIN, NOSCRIPT, NO_ASYNC_LOADING, NO_MULTI)
            .doc("server", "Synchronously save the dataset to disk")
            .handler((c, a) -> {
                p.rdb().save();
                return Reply.OK;
            });
        t.add("bgsave", -1).flags(ADMIN, NOSCRIPT, NO_ASYNC_LOADING)
            .doc("server", "Asynchronously save the dataset to disk")
            .handler((c, a) -> {
                boolean schedule = false;
                if (a.length == 2 && Args.is(a[1], "schedule")) {
                    schedule = true;
                } else if (a.length > 1) {
                    throw new SyntaxException();
                }
                return new Reply.SimpleString(p.rdb().bgsave(schedule));
            });
        t.add("lastsave", 1).flags(LOADING, STALE, FAST).tips("nondeterministic_output")
            .doc("server", "Get the UNIX time stamp of the last successful save to disk")
            .handler((c, a) -> Reply.integer(p.rdb().lastSave()));
    }
}
