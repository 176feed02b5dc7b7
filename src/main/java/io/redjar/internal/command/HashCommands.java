package io.redjar.internal.command;

import io.redjar.RedJarException;
import io.redjar.Reply;
import io.redjar.SyntaxException;
import io.redjar.internal.types.HashOps;
import io.redjar.internal.util.LongDouble;

import java.util.ArrayList;
import java.util.List;

import static io.redjar.internal.command.CommandFlag.DENYOOM;
import static io.redjar.internal.command.CommandFlag.FAST;
import static io.redjar.internal.command.CommandFlag.READONLY;
import static io.redjar.internal.command.CommandFlag.WRITE;

/**
 * The hash commands' adapter: parse every argument first, then call {@link HashOps}, then shape
 * the reply (RESP3 shapes; HRANDFIELD WITHVALUES nests pairs under RESP3 and flattens them under
 * RESP2, as Redis does).
 */
public final class HashCommands {
    private static final String G = "hash";

    private HashCommands() {
    }

    private static HashOps ops(ExecContext c) {
        return c.engine().callPath().operations().hashes(); // one instance per store
    }

    /** Adds the hash commands to {@code t}. */
    public static void register(CommandTable t) {
        t.add("hset", -4).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).doc(G, "Set the string value of a hash field")
            .handler((c, a) -> {
                checkPairs(a, "hset");
                return Reply.integer(ops(c).hset(c.db(), a[1], a, 2, false));
            });
        t.add("hmset", -4).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).doc(G, "Set multiple hash fields to multiple values")
            .handler((c, a) -> {
                checkPairs(a, "hmset");
                ops(c).hset(c.db(), a[1], a, 2, true);
                return Reply.OK;
            });
        t.add("hsetnx", 4).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).doc(G, "Set the value of a hash field, only if the field does not exist")
            .handler((c, a) -> Reply.integer(ops(c).hsetnx(c.db(), a[1], a[2], a[3]) ? 1 : 0));
        t.add("hget", 3).flags(READONLY, FAST).keys(1, 1, 1).doc(G, "Get the value of a hash field")
            .handler((c, a) -> Reply.bulk(ops(c).hget(c.db(), a[1], a[2])));
        t.add("hmget", -3).flags(READONLY, FAST).keys(1, 1, 1).doc(G, "Get the values of all the given hash fields")
            .handler((c, a) -> {
                byte[][] v = ops(c).hmget(c.db(), a[1], a, 2);
                List<Reply> out = new ArrayList<>(v.length);
                for (byte[] b : v) {
                    out.add(Reply.bulk(b));
                }
                return Reply.array(out);
            });
        t.add("hdel", -3).flags(WRITE, FAST).keys(1, 1, 1).doc(G, "Delete one or more hash fields")
            .handler((c, a) -> Reply.integer(ops(c).hdel(c.db(), a[1], a, 2)));
        t.add("hlen", 2).flags(READONLY, FAST).keys(1, 1, 1).doc(G, "Get the number of fields in a hash")
            .handler((c, a) -> Reply.integer(ops(c).hlen(c.db(), a[1])));
        t.add("hstrlen", 3).flags(READONLY, FAST).keys(1, 1, 1).doc(G, "Get the length of the value of a hash field")
            .handler((c, a) -> Reply.integer(ops(c).hstrlen(c.db(), a[1], a[2])));
        t.add("hexists", 3).flags(READONLY, FAST).keys(1, 1, 1).doc(G, "Determine if a hash field exists")
            .handler((c, a) -> Reply.integer(ops(c).hexists(c.db(), a[1], a[2]) ? 1 : 0));
        t.add("hgetall", 2).flags(READONLY).keys(1, 1, 1).doc(G, "Get all the fields and values in a hash")
            .handler((c, a) -> {
                List<byte[][]> pairs = ops(c).hgetall(c.db(), a[1]);
                List<Reply> flat = new ArrayList<>(pairs.size() * 2);
                for (byte[][] p : pairs) {
                    flat.add(new Reply.Bulk(p[0]));
                    flat.add(new Reply.Bulk(p[1]));
                }
                return new Reply.Map(flat);
            });
        t.add("hkeys", 2).flags(READONLY).keys(1, 1, 1).doc(G, "Get all the fields in a hash")
            .handler((c, a) -> column(ops(c).hgetall(c.db(), a[1]), 0));
        t.add("hvals", 2).flags(READONLY).keys(1, 1, 1).doc(G, "Get all the values in a hash")
            .handler((c, a) -> column(ops(c).hgetall(c.db(), a[1]), 1));
        t.add("hincrby", 4).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).doc(G, "Increment the integer value of a hash field by the given number")
            .handler((c, a) -> {
                long incr = Args.parseLong(a[3]);
                return Reply.integer(ops(c).hincrby(c.db(), a[1], a[2], incr));
            });
        t.add("hincrbyfloat", 4).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).doc(G, "Increment the float value of a hash field by the given amount")
            .handler((c, a) -> {
                LongDouble incr = LongDouble.parse(a[3]);
                return new Reply.Bulk(ops(c).hincrbyfloat(c.db(), a[1], a[2], incr));
            });
        t.add("hscan", -3).flags(READONLY).keys(1, 1, 1).doc(G, "Incrementally iterate hash fields and associated values")
            .handler(HashCommands::hscan);
        t.add("hrandfield", -2).flags(READONLY).keys(1, 1, 1).doc(G, "Get one or multiple random fields from a hash")
            .handler(HashCommands::hrandfield);
    }

    private static void checkPairs(byte[][] a, String name) {
        if ((a.length % 2) == 1) {
            throw new RedJarException("ERR wrong number of arguments for '" + name + "' command");
        }
    }

    private static Reply column(List<byte[][]> pairs, int i) {
        List<Reply> out = new ArrayList<>(pairs.size());
        for (byte[][] p : pairs) {
            out.add(new Reply.Bulk(p[i]));
        }
        return Reply.array(out);
    }

    private static Reply hscan(ExecContext c, byte[][] a) {
        long cursor = KeyCommands.parseCursor(a[2]);
        ScanArgs o = ScanArgs.parse(a, 3, false);
        if (o.error != null) {
            // Redis reads the options only once it has found the hash
            if (ops(c).hlen(c.db(), a[1]) == 0) {
                return ScanArgs.EMPTY;
            }
            throw o.error;
        }
        HashOps.ScanResult r = ops(c).hscan(c.db(), a[1], cursor, o.pattern, o.count);
        return ScanArgs.reply(r.cursor, r.items);
    }

    private static Reply hrandfield(ExecContext c, byte[][] a) {
        if (a.length == 2) {
            return Reply.bulk(ops(c).hrandfield(c.db(), a[1]));
        }
        long l = Args.parseLong(a[2]);
        if (l == Long.MIN_VALUE) { // getRangeLongFromObjectOrReply(-LONG_MAX, LONG_MAX), before the syntax check
            throw new RedJarException("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
        }
        boolean withValues = false;
        if (a.length > 4 || (a.length == 4 && !Args.is(a[3], "withvalues"))) {
            throw new SyntaxException();
        } else if (a.length == 4) {
            withValues = true;
            if (l < -Long.MAX_VALUE / 2 || l > Long.MAX_VALUE / 2) {
                throw new RedJarException("ERR value is out of range");
            }
        }
        List<byte[][]> picked = ops(c).hrandfield(c.db(), a[1], l);
        List<Reply> out = new ArrayList<>((int) Math.min(io.redjar.internal.util.Sizes.MAX_VALUE_BYTES,
            withValues ? 2L * picked.size() : picked.size()));
        boolean resp3 = c.protocol() >= 3;
        for (byte[][] p : picked) {
            if (!withValues) {
                out.add(new Reply.Bulk(p[0]));
            } else if (resp3) {
                out.add(Reply.array(new Reply.Bulk(p[0]), new Reply.Bulk(p[1])));
            } else {
                out.add(new Reply.Bulk(p[0]));
                out.add(new Reply.Bulk(p[1]));
            }
        }
        return Reply.array(out);
    }
}
