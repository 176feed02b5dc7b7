package io.redjar.internal.command;

import io.redjar.Reply;
import io.redjar.SyntaxException;
import io.redjar.internal.types.SortOps;

import java.util.ArrayList;
import java.util.List;

import static io.redjar.internal.command.CommandFlag.DENYOOM;
import static io.redjar.internal.command.CommandFlag.READONLY;
import static io.redjar.internal.command.CommandFlag.WRITE;
import static io.redjar.internal.command.KeyFlag.ACCESS;
import static io.redjar.internal.command.KeyFlag.OW;
import static io.redjar.internal.command.KeyFlag.RO;
import static io.redjar.internal.command.KeyFlag.UPDATE;
import static io.redjar.internal.command.KeySpec.index;
import static io.redjar.internal.command.KeySpec.unknown;

/**
 * SORT and SORT_RO's adapter (Redis 7.0's {@code sortCommandGeneric} option parsing): every option
 * is parsed before the key is looked at, so option errors win over WRONGTYPE; SORT_RO does not know
 * {@code STORE} (a syntax error). The work is {@link SortOps}'.
 */
public final class SortCommands {
    private static final String G = "generic";

    private SortCommands() {
    }

    /** Adds SORT and SORT_RO to {@code t}. */
    public static void register(CommandTable t) {
        t.add("sort", -2).flags(WRITE, DENYOOM)
            .keySpecs(
                index(1).range(0, 1, 0).flags(RO, ACCESS),
                unknown().unknownKeys().flags(RO, ACCESS)
                    .notes("For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort"),
                unknown().unknownKeys().flags(OW, UPDATE)
                    .notes("For the optional STORE keyword. It is marked 'unknown' because the keyword can appear anywhere in the argument array"))
            .getKeys(GetKeysProc.SORT)
            .doc(G, "Sort the elements in a list, set or sorted set")
            .handler((c, a) -> sort(c, a, false));
        t.add("sort_ro", -2).flags(READONLY)
            .keySpecs(
                index(1).range(0, 1, 0).flags(RO, ACCESS),
                unknown().unknownKeys().flags(RO, ACCESS)
                    .notes("For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort"))
            .getKeys(GetKeysProc.SORT_RO)
            .doc(G, "Sort the elements in a list, set or sorted set. Read-only variant of SORT.")
            .handler((c, a) -> sort(c, a, true));
    }

    /** Parses SORT's options as {@code sortCommandGeneric} does. */
    static SortOps.Spec parse(byte[][] a, boolean readonly) {
        SortOps.Spec spec = new SortOps.Spec();
        for (int j = 2; j < a.length; j++) {
            int left = a.length - j - 1;
            if (Args.is(a[j], "asc")) {
                spec.desc = false;
            } else if (Args.is(a[j], "desc")) {
                spec.desc = true;
            } else if (Args.is(a[j], "alpha")) {
                spec.alpha = true;
            } else if (Args.is(a[j], "limit") && left >= 2) {
                spec.limitStart = Args.parseLong(a[j + 1]);
                spec.limitCount = Args.parseLong(a[j + 2]);
                j += 2;
            } else if (!readonly && Args.is(a[j], "store") && left >= 1) {
                spec.store = a[j + 1];
                j++;
            } else if (Args.is(a[j], "by") && left >= 1) {
                spec.by = a[j + 1];
                if (!hasStar(a[j + 1])) {
                    spec.dontSort = true;
                }
                j++;
            } else if (Args.is(a[j], "get") && left >= 1) {
                spec.gets.add(a[j + 1]);
                j++;
            } else {
                throw new SyntaxException();
            }
        }
        return spec;
    }

    /** C's {@code strchr(p, '*') != NULL}: a '*' before the first NUL byte. */
    private static boolean hasStar(byte[] p) {
        for (byte b : p) {
            if (b == 0) {
                return false;
            }
            if (b == '*') {
                return true;
            }
        }
        return false;
    }

    private static Reply sort(ExecContext c, byte[][] a, boolean readonly) {
        SortOps.Spec spec = parse(a, readonly);
        spec.fromScript = c.fromScript();
        SortOps ops = c.engine().sort();
        if (spec.store != null) {
            return Reply.integer(ops.sortStore(c.db(), a[1], spec, a));
        }
        List<byte[]> r = ops.sort(c.db(), a[1], spec);
        List<Reply> out = new ArrayList<>(r.size());
        for (byte[] v : r) {
            out.add(Reply.bulk(v));
        }
        return Reply.array(out);
    }
}
