package io.redjar.internal.command;

import io.redjar.RedJarException;
import io.redjar.Reply;
import io.redjar.SyntaxException;
import io.redjar.internal.types.SetOps;
import io.redjar.internal.util.Numbers;

import java.util.ArrayList;
import java.util.List;

import static io.redjar.internal.command.CommandFlag.DENYOOM;
import static io.redjar.internal.command.CommandFlag.FAST;
import static io.redjar.internal.command.CommandFlag.MOVABLE_KEYS;
import static io.redjar.internal.command.CommandFlag.READONLY;
import static io.redjar.internal.command.CommandFlag.WRITE;

/**
 * The set commands' adapter (Redis 7.0's {@code t_set.c} argument handling): parse the arguments,
 * call {@link SetOps}, shape the reply. No keyspace access here.
 */
public final class SetCommands {
    private static final String G = "set";
    private static final String NOT_POSITIVE = "ERR value is out of range, must be positive";

    private SetCommands() {
    }

    private static SetOps ops(ExecContext c) {
        return c.engine().callPath().operations().sets(); // one instance per store
    }

    /** Adds the set commands to {@code t}. */
    public static void register(CommandTable t) {
        t.add("sadd", -3).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).doc(G, "Add one or more members to a set")
            .handler((c, a) -> Reply.integer(ops(c).sadd(c.db(), a[1], a, 2)));
        t.add("srem", -3).flags(WRITE, FAST).keys(1, 1, 1).doc(G, "Remove one or more members from a set")
            .handler((c, a) -> Reply.integer(ops(c).srem(c.db(), a[1], a, 2)));
        t.add("scard", 2).flags(READONLY, FAST).keys(1, 1, 1).doc(G, "Get the number of members in a set")
            .handler((c, a) -> Reply.integer(ops(c).scard(c.db(), a[1])));
        t.add("sismember", 3).flags(READONLY, FAST).keys(1, 1, 1).doc(G, "Determine if a given value is a member of a set")
            .handler((c, a) -> Reply.integer(ops(c).sismember(c.db(), a[1], a[2]) ? 1 : 0));
        t.add("smismember", -3).flags(READONLY, FAST).keys(1, 1, 1)
            .doc(G, "Returns the membership associated with the given elements for a set")
            .handler((c, a) -> {
                boolean[] r = ops(c).smismember(c.db(), a[1], a, 2);
                List<Reply> out = new ArrayList<>(r.length);
                for (boolean b : r) {
                    out.add(Reply.integer(b ? 1 : 0));
                }
                return Reply.array(out);
            });
        t.add("smembers", 2).flags(READONLY).keys(1, 1, 1).doc(G, "Get all the members in a set")
            .handler((c, a) -> set(ops(c).smembers(c.db(), a[1])));
        t.add("smove", 4).flags(WRITE, FAST).keys(1, 2, 1).doc(G, "Move a member from one set to another")
            .handler((c, a) -> Reply.integer(ops(c).smove(c.db(), a[1], a[2], a[3]) ? 1 : 0));
        t.add("sinter", -2).flags(READONLY).keys(1, -1, 1).doc(G, "Intersect multiple sets")
            .handler((c, a) -> set(ops(c).algebra(c.db(), SetOps.Op.INTER, a, 1)));
        t.add("sunion", -2).flags(READONLY).keys(1, -1, 1).doc(G, "Add multiple sets")
            .handler((c, a) -> set(ops(c).algebra(c.db(), SetOps.Op.UNION, a, 1)));
        t.add("sdiff", -2).flags(READONLY).keys(1, -1, 1).doc(G, "Subtract multiple sets")
            .handler((c, a) -> set(ops(c).algebra(c.db(), SetOps.Op.DIFF, a, 1)));
        t.add("sinterstore", -3).flags(WRITE, DENYOOM).keys(1, -1, 1)
            .doc(G, "Intersect multiple sets and store the resulting set in a key")
            .handler((c, a) -> Reply.integer(ops(c).store(c.db(), SetOps.Op.INTER, a)));
        t.add("sunionstore", -3).flags(WRITE, DENYOOM).keys(1, -1, 1)
            .doc(G, "Add multiple sets and store the resulting set in a key")
            .handler((c, a) -> Reply.integer(ops(c).store(c.db(), SetOps.Op.UNION, a)));
        t.add("sdiffstore", -3).flags(WRITE, DENYOOM).keys(1, -1, 1)
            .doc(G, "Subtract multiple sets and store the resulting set in a key")
            .handler((c, a) -> Reply.integer(ops(c).store(c.db(), SetOps.Op.DIFF, a)));
        t.add("sintercard", -3).flags(READONLY, MOVABLE_KEYS).keys(0, 0, 0)
            .doc(G, "Intersect multiple sets and return the cardinality of the result")
            .handler(SetCommands::sintercard);
        t.add("spop", -2).flags(WRITE, FAST).keys(1, 1, 1).doc(G, "Remove and return one or multiple random members from a set")
            .handler(SetCommands::spop);
        t.add("srandmember", -2).flags(READONLY).keys(1, 1, 1).doc(G, "Get one or multiple random members from a set")
            .handler(SetCommands::srandmember);
        t.add("sscan", -3).flags(READONLY).keys(1, 1, 1).doc(G, "Incrementally iterate Set elements")
            .handler(SetCommands::sscan);
    }

    private static Reply set(List<byte[]> members) {
        List<Reply> out = new ArrayList<>(members.size());
        for (byte[] m : members) {
            out.add(new Reply.Bulk(m));
        }
        return new Reply.SetReply(out);
    }

    private static Reply sintercard(ExecContext c, byte[][] a) {
        String numkeysError = "ERR numkeys should be greater than 0";
        long numkeys = Args.parseLong(a[1], numkeysError);
        if (numkeys < 1) {
            throw new RedJarException(numkeysError);
        }
        if (numkeys > a.length - 2) {
            throw new RedJarException("ERR Number of keys can't be greater than number of args");
        }
        int end = 2 + (int) numkeys;
        long limit = 0;
        for (int j = end; j < a.length; j++) {
            int more = a.length - 1 - j;
            if (Args.is(a[j], "limit") && more > 0) {
                j++;
                limit = Args.parseLong(a[j], "ERR LIMIT can't be negative");
                if (limit < 0) {
                    throw new RedJarException("ERR LIMIT can't be negative");
                }
            } else {
                throw new SyntaxException();
            }
        }
        return Reply.integer(ops(c).sintercard(c.db(), a, 2, end, limit));
    }

    private static Reply spop(ExecContext c, byte[][] a) {
        if (a.length > 3) {
            throw new SyntaxException();
        }
        if (a.length == 2) {
            return Reply.bulk(ops(c).spop(c.db(), a[1]));
        }
        long count = Args.parseLong(a[2], NOT_POSITIVE);
        if (count < 0) {
            throw new RedJarException(NOT_POSITIVE);
        }
        return set(ops(c).spop(c.db(), a[1], count));
    }

    private static Reply srandmember(ExecContext c, byte[][] a) {
        if (a.length > 3) {
            throw new SyntaxException();
        }
        if (a.length == 2) {
            return Reply.bulk(ops(c).srandmember(c.db(), a[1]));
        }
        long count = Args.parseLong(a[2]);
        if (count == Long.MIN_VALUE) {
            throw new RedJarException("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
        }
        List<Reply> out = new ArrayList<>();
        for (byte[] m : ops(c).srandmember(c.db(), a[1], count)) {
            out.add(new Reply.Bulk(m));
        }
        return Reply.array(out);
    }

    private static Reply sscan(ExecContext c, byte[][] a) {
        long cursor = KeyCommands.parseCursor(a[2]);
        ScanArgs o = ScanArgs.parse(a, 3, false);
        SetOps.ScanResult r = ops(c).sscan(c.db(), a[1], cursor, o.pattern, o.error == null ? o.count : 1);
        if (r == null) {
            return ScanArgs.EMPTY;
        }
        if (o.error != null) {
            throw o.error;
        }
        return ScanArgs.reply(r.cursor, r.members);
    }
}
