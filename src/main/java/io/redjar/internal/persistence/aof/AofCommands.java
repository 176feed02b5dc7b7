package io.redjar.internal.persistence.aof;

import io.redjar.Reply;
import io.redjar.internal.command.CommandTable;

import static io.redjar.internal.command.CommandFlag.ADMIN;
import static io.redjar.internal.command.CommandFlag.NOSCRIPT;
import static io.redjar.internal.command.CommandFlag.NO_ASYNC_LOADING;

/**
 * The append-only file's command: BGREWRITEAOF (Redis 7.0's {@code bgrewriteaofCommand}):
 * {@code +Background append only file rewriting started}, {@code ... scheduled} while a BGSAVE
 * runs, {@code -ERR Background append only file rewriting already in progress}.
 *
 * <p><b>Thread-safety:</b> stateless; the file's state is {@link AppendOnlyFile}'s.
 */
public final class AofCommands {
    private AofCommands() {
    }

    /** Adds BGREWRITEAOF, acting on {@code aof}, to {@code t}. */
    public static void register(CommandTable t, AppendOnlyFile aof) {
        t.add("bgrewriteaof", 1).flags(NOSCRIPT, ADMIN, NO_ASYNC_LOADING)
            .doc("server", "Asynchronously rewrite the append-only file")
            .handler((c, a) -> new Reply.SimpleString(aof.bgrewriteaof()));
    }
}
