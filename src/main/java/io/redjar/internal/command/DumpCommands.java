package io.redjar.internal.command;

import io.redjar.RedJarException;
import io.redjar.Reply;
import io.redjar.SyntaxException;
import io.redjar.internal.persistence.rdb.MigrateOps;

import static io.redjar.internal.command.CommandFlag.DENYOOM;
import static io.redjar.internal.command.CommandFlag.READONLY;
import static io.redjar.internal.command.CommandFlag.WRITE;
import static io.redjar.internal.command.KeyFlag.ACCESS;
import static io.redjar.internal.command.KeyFlag.DELETE;
import static io.redjar.internal.command.KeyFlag.INCOMPLETE;
import static io.redjar.internal.command.KeyFlag.RW;
import static io.redjar.internal.command.KeyFlag.OW;
import static io.redjar.internal.command.KeyFlag.RO;
import static io.redjar.internal.command.KeyFlag.UPDATE;
import static io.redjar.internal.command.KeySpec.index;
import static io.redjar.internal.command.KeySpec.keyword;

/**
 * DUMP, RESTORE and MIGRATE's adapter (Redis 7.0's rows from {@code commands.c}); the work is in
 * {@link io.redjar.internal.persistence.rdb.DumpOps} and {@link MigrateOps}.
 */
public final class DumpCommands {
    private DumpCommands() {
    }

    /** Adds DUMP, RESTORE and MIGRATE (served by {@code migrations}) to {@code t}. */
    public static void register(CommandTable t, MigrateOps migrations) {
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
            t.add("migrate", -6).flags(WRITE)
            .keySpecs(index(3).range(0, 1, 0).flags(RW, ACCESS, DELETE),
                keyword("KEYS", -2).range(-1, 1, 0).flags(RW, ACCESS, DELETE, INCOMPLETE))
            .getKeys(GetKeysProc.MIGRATE).tips("nondeterministic_output")
            .doc("generic", "Atomically transfer a key from a Redis instance to another one.")
            .handler((c, a) -> migrations.migrate(c.db(), parse(a)));
    }

    /**
     * MIGRATE's arguments, with Redis's errors in Redis's order: options first (syntax error,
     * the KEYS-with-a-key error), then timeout and destination-db as integers.
     */
    static MigrateOps.Request parse(byte[][] a) {
        boolean copy = false;
        boolean replace = false;
        byte[] username = null;
        byte[] password = null;
        int firstKey = 3;
        int numKeys = 1;
        for (int j = 6; j < a.length; j++) {
            int more = a.length - 1 - j;
            if (Args.is(a[j], "copy")) {
                copy = true;
            } else if (Args.is(a[j], "replace")) {
                replace = true;
            } else if (Args.is(a[j], "auth")) {
                if (more < 1) {
                    throw new SyntaxException();
                }
                password = a[++j];
            } else if (Args.is(a[j], "auth2")) {
                if (more < 2) {
                    throw new SyntaxException();
                }
                username = a[++j];
                password = a[++j];
            } else if (Args.is(a[j], "keys")) {
                if (a[3].length != 0) {
                    throw new RedJarException("ERR When using MIGRATE KEYS option, the key argument must be set to the empty string");
                }
                firstKey = j + 1;
                numKeys = a.length - j - 1;
                break;
            } else {
                throw new SyntaxException();
            }
        }
        long timeout = Args.parseLong(a[5]);
        long db = Args.parseLong(a[4]);
        if (timeout <= 0) {
            timeout = 1000;
        }
        byte[][] keys = java.util.Arrays.copyOfRange(a, firstKey, firstKey + numKeys);
        String host = new String(a[1], java.nio.charset.StandardCharsets.ISO_8859_1);
        int port = GetKeysProc.atoi(a[2]);
        return new MigrateOps.Request(host, port, db, timeout, copy, replace, username, password, keys);
    }
}
