package io.redjar.internal.command;

import io.redjar.Reply;
import io.redjar.internal.types.HllOps;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.redjar.internal.command.CommandFlag.ADMIN;
import static io.redjar.internal.command.CommandFlag.DENYOOM;
import static io.redjar.internal.command.CommandFlag.FAST;
import static io.redjar.internal.command.CommandFlag.MAY_REPLICATE;
import static io.redjar.internal.command.CommandFlag.READONLY;
import static io.redjar.internal.command.CommandFlag.WRITE;
import static io.redjar.internal.command.KeyFlag.ACCESS;
import static io.redjar.internal.command.KeyFlag.INSERT;
import static io.redjar.internal.command.KeyFlag.RO;
import static io.redjar.internal.command.KeyFlag.RW;
import static io.redjar.internal.command.KeySpec.index;

/**
 * The HyperLogLog commands' adapter (PFADD, PFCOUNT, PFMERGE, PFDEBUG), as Redis 7.0's command
 * table declares them: parse argv, call {@link HllOps}, shape the reply.
 *
 * <p><b>Thread-safety:</b> stateless.
 */
public final class HllCommands {
    private static final String G = "hyperloglog";

    private HllCommands() {
    }

    private static HllOps ops(ExecContext c) {
        return c.engine().hll();
    }

    /** Adds the HyperLogLog commands to {@code t}. */
    public static void register(CommandTable t) {
        t.add("pfadd", -2).flags(WRITE, DENYOOM, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, INSERT))
            .doc(G, "Adds the specified elements to the specified HyperLogLog.")
            .handler((c, a) -> Reply.integer(ops(c).pfadd(c.db(), a[1], a, 2)));
        t.add("pfcount", -2).flags(READONLY, MAY_REPLICATE)
            .keySpecs(index(1).range(-1, 1, 0).flags(RW, ACCESS)
                .notes("RW because it may change the internal representation of the key, and propagate to replicas"))
            .doc(G, "Return the approximated cardinality of the set(s) observed by the HyperLogLog at key(s).")
            .handler((c, a) -> Reply.integer(ops(c).pfcount(c.db(), a, 1)));
        t.add("pfmerge", -2).flags(WRITE, DENYOOM)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, ACCESS, INSERT), index(2).range(-1, 1, 0).flags(RO, ACCESS))
            .doc(G, "Merge N different HyperLogLogs into a single one.")
            .handler((c, a) -> {
                ops(c).pfmerge(c.db(), a, 1);
                return Reply.OK;
            });
        t.add("pfdebug", 3).flags(WRITE, DENYOOM, ADMIN)
            .keySpecs(index(2).range(0, 1, 0).flags(RW, ACCESS))
            .doc(G, "Internal commands for debugging HyperLogLog values")
            .handler(HllCommands::pfdebug);
        t.add("pfselftest", 1).flags(ADMIN)
            .doc(G, "An internal command for testing HyperLogLog values")
            .handler((c, a) -> {
                String err = io.redjar.internal.types.Hll.selfTest(c.engine().hll().sparseMaxBytes(),
                    java.util.concurrent.ThreadLocalRandom.current());
                return err == null ? Reply.OK : Reply.error(err);
            });
    }

    private static Reply pfdebug(ExecContext c, byte[][] a) {
        String raw = Args.str(a[1]);
        HllOps.Debug d = ops(c).pfdebug(c.db(), raw.toLowerCase(Locale.ROOT), raw, a[2]);
        if (d.registers != null) {
            List<Reply> out = new ArrayList<>(d.registers.length);
            for (int r : d.registers) {
                out.add(Reply.integer(r));
            }
            return Reply.array(out);
        }
        if (d.text != null) {
            return "decode".equalsIgnoreCase(raw) ? Reply.bulk(d.text) : new Reply.SimpleString(d.text);
        }
        return Reply.integer(d.number);
    }
}
