package io.redjar.internal.command;

import io.redjar.RedJarException;
import io.redjar.Reply;
import io.redjar.SyntaxException;
import io.redjar.internal.types.ListOps;

import java.util.ArrayList;
import java.util.List;

import static io.redjar.internal.command.CommandFlag.DENYOOM;
import static io.redjar.internal.command.CommandFlag.FAST;
import static io.redjar.internal.command.CommandFlag.READONLY;
import static io.redjar.internal.command.CommandFlag.WRITE;
import static io.redjar.internal.command.KeyFlag.ACCESS;
import static io.redjar.internal.command.KeyFlag.DELETE;
import static io.redjar.internal.command.KeyFlag.INSERT;
import static io.redjar.internal.command.KeyFlag.RO;
import static io.redjar.internal.command.KeyFlag.RW;
import static io.redjar.internal.command.KeyFlag.UPDATE;
import static io.redjar.internal.command.KeySpec.index;

/**
 * The list commands' adapter (Redis 7.0's non-blocking list commands): parse the arguments, call
 * {@link ListOps}, shape the reply. Arguments Redis parses only after looking the key up (LINDEX's
 * and LSET's index) are handed over unparsed-until-needed so that errors come in Redis's order.
 * Not here yet: BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP (they need a blocking layer; it would
 * call {@link ListOps#mpop} and {@link ListOps#move}).
 */
public final class ListCommands {
    private static final String G = "list";
    private static final String MUST_BE_POSITIVE = "ERR value is out of range, must be positive";

    private ListCommands() {
    }

    /**
     * Adds the list commands to {@code t}; their handlers use {@code ops}, the engine's list
     * operations (one per engine, like the command table).
     */
    public static void register(CommandTable t, ListOps ops) {
        t.add("lpush", -3).flags(WRITE, DENYOOM, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, INSERT))
            .doc(G, "Prepend one or multiple elements to a list")
            .handler((c, a) -> Reply.integer(ops.push(c.db(), a[1], true, false, rest(a, 2))));
        t.add("rpush", -3).flags(WRITE, DENYOOM, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, INSERT))
            .doc(G, "Append one or multiple elements to a list")
            .handler((c, a) -> Reply.integer(ops.push(c.db(), a[1], false, false, rest(a, 2))));
        t.add("lpushx", -3).flags(WRITE, DENYOOM, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, INSERT))
            .doc(G, "Prepend an element to a list, only if the list exists")
            .handler((c, a) -> Reply.integer(ops.push(c.db(), a[1], true, true, rest(a, 2))));
        t.add("rpushx", -3).flags(WRITE, DENYOOM, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, INSERT))
            .doc(G, "Append an element to a list, only if the list exists")
            .handler((c, a) -> Reply.integer(ops.push(c.db(), a[1], false, true, rest(a, 2))));
        t.add("lpop", -2).flags(WRITE, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, ACCESS, DELETE))
            .doc(G, "Remove and get the first elements in a list")
            .handler((c, a) -> pop(ops, c, a, true));
        t.add("rpop", -2).flags(WRITE, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, ACCESS, DELETE))
            .doc(G, "Remove and get the last elements in a list")
            .handler((c, a) -> pop(ops, c, a, false));
        t.add("llen", 2).flags(READONLY, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RO))
            .doc(G, "Get the length of a list")
            .handler((c, a) -> Reply.integer(ops.llen(c.db(), a[1])));
        t.add("lrange", 4).flags(READONLY)
            .keySpecs(index(1).range(0, 1, 0).flags(RO, ACCESS))
            .doc(G, "Get a range of elements from a list")
            .handler((c, a) -> {
                long start = Args.parseLong(a[2]);
                long end = Args.parseLong(a[3]);
                return bulks(ops.range(c.db(), a[1], start, end));
            });
        t.add("lindex", 3).flags(READONLY)
            .keySpecs(index(1).range(0, 1, 0).flags(RO, ACCESS))
            .doc(G, "Get an element from a list by its index")
            .handler((c, a) -> Reply.bulk(ops.index(c.db(), a[1], () -> Args.parseLong(a[2]))));
        t.add("lset", 4).flags(WRITE, DENYOOM)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, UPDATE))
            .doc(G, "Set the value of an element in a list by its index")
            .handler((c, a) -> {
                ops.set(c.db(), a[1], () -> Args.parseLong(a[2]), a[3]);
                return Reply.OK;
            });
        t.add("linsert", 5).flags(WRITE, DENYOOM)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, INSERT))
            .doc(G, "Insert an element before or after another element in a list")
            .handler((c, a) -> {
                boolean after;
                if (Args.is(a[2], "after")) {
                    after = true;
                } else if (Args.is(a[2], "before")) {
                    after = false;
                } else {
                    throw new SyntaxException();
                }
                return Reply.integer(ops.insert(c.db(), a[1], after, a[3], a[4]));
            });
        t.add("lrem", 4).flags(WRITE)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, DELETE))
            .doc(G, "Remove elements from a list")
            .handler((c, a) -> Reply.integer(ops.remove(c.db(), a[1], Args.parseLong(a[2]), a[3])));
        t.add("ltrim", 4).flags(WRITE)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, DELETE))
            .doc(G, "Trim a list to the specified range")
            .handler((c, a) -> {
                long start = Args.parseLong(a[2]);
                long end = Args.parseLong(a[3]);
                ops.trim(c.db(), a[1], start, end);
                return Reply.OK;
            });
        t.add("lpos", -3).flags(READONLY)
            .keySpecs(index(1).range(0, 1, 0).flags(RO, ACCESS))
            .doc(G, "Return the index of matching elements on a list")
            .handler((c, a) -> lpos(ops, c, a));
        t.add("lmove", 5).flags(WRITE, DENYOOM)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, ACCESS, DELETE), index(2).range(0, 1, 0).flags(RW, INSERT))
            .doc(G, "Pop an element from a list, push it to another list and return it")
            .handler((c, a) -> {
                boolean fromHead = position(a[3]);
                boolean toHead = position(a[4]);
                return Reply.bulk(ops.move(c.db(), a[1], a[2], fromHead, toHead, false));
            });
        t.add("rpoplpush", 3).flags(WRITE, DENYOOM)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, ACCESS, DELETE), index(2).range(0, 1, 0).flags(RW, INSERT))
            .doc(G, "Remove the last element in a list, prepend it to another list and return it")
            .handler((c, a) -> Reply.bulk(ops.move(c.db(), a[1], a[2], false, true, true)));
        t.add("lmpop", -4).flags(WRITE)
            .keySpecs(index(1).keynum(0, 1, 1).flags(RW, ACCESS, DELETE)).getKeys(GetKeysProc.NUMKEYS_AT_1)
            .doc(G, "Pop elements from a list")
            .handler((c, a) -> lmpop(ops, c, a));
    }

    private static byte[][] rest(byte[][] a, int from) {
        byte[][] out = new byte[a.length - from][];
        System.arraycopy(a, from, out, 0, out.length);
        return out;
    }

    private static Reply bulks(List<byte[]> values) {
        List<Reply> out = new ArrayList<>(values.size());
        for (byte[] v : values) {
            out.add(Reply.bulk(v));
        }
        return Reply.array(out);
    }

    /** Redis's {@code getListPositionFromObjectOrReply}: LEFT is the head. */
    private static boolean position(byte[] arg) {
        if (Args.is(arg, "left")) {
            return true;
        }
        if (Args.is(arg, "right")) {
            return false;
        }
        throw new SyntaxException();
    }

    /** Redis's {@code getRangeLongFromObjectOrReply} with one message for both failures. */
    static long rangeLong(byte[] arg, long min, long max, String message) {
        long v = Args.parseLong(arg, message);
        if (v < min || v > max) {
            throw new RedJarException(message);
        }
        return v;
    }

    private static Reply pop(ListOps ops, ExecContext c, byte[][] a, boolean head) {
        if (a.length > 3) {
            throw new RedJarException("ERR wrong number of arguments for '" + (head ? "lpop" : "rpop") + "' command");
        }
        if (a.length == 2) {
            return Reply.bulk(ops.pop(c.db(), a[1], head));
        }
        long count = rangeLong(a[2], 0, Long.MAX_VALUE, MUST_BE_POSITIVE);
        List<byte[]> out = ops.pop(c.db(), a[1], head, count);
        return out == null ? Reply.NULL_ARRAY : bulks(out);
    }

    private static Reply lpos(ListOps ops, ExecContext c, byte[][] a) {
        long rank = 1;
        long count = -1;
        long maxlen = 0;
        for (int j = 3; j < a.length; j++) {
            boolean more = j < a.length - 1;
            if (Args.is(a[j], "rank") && more) {
                long v = Args.parseLong(a[++j]); // Redis 7.0 takes Long.MIN_VALUE too (it wraps to itself)
                if (v == 0) {
                    throw new RedJarException("ERR RANK can't be zero: use 1 to start from the first match, "
                        + "2 from the second ... or use negative to start from the end of the list");
                }
                rank = v;
            } else if (Args.is(a[j], "count") && more) {
                count = rangeLong(a[++j], 0, Long.MAX_VALUE, "ERR COUNT can't be negative");
            } else if (Args.is(a[j], "maxlen") && more) {
                maxlen = rangeLong(a[++j], 0, Long.MAX_VALUE, "ERR MAXLEN can't be negative");
            } else {
                throw new SyntaxException();
            }
        }
        long[] found = ops.pos(c.db(), a[1], a[2], rank, count, maxlen);
        if (count == -1) {
            return found == null || found.length == 0 ? Reply.NULL : Reply.integer(found[0]);
        }
        if (found == null) {
            return Reply.EMPTY_ARRAY;
        }
        List<Reply> out = new ArrayList<>(found.length);
        for (long f : found) {
            out.add(Reply.integer(f));
        }
        return Reply.array(out);
    }

    private static Reply lmpop(ListOps ops, ExecContext c, byte[][] a) {
        long numkeys = rangeLong(a[1], 1, Long.MAX_VALUE, "ERR numkeys should be greater than 0");
        if (numkeys >= a.length - 2) {
            throw new SyntaxException(); // no room for LEFT|RIGHT after the keys
        }
        int whereIdx = 2 + (int) numkeys;
        boolean head = position(a[whereIdx]);
        long count = -1;
        for (int j = whereIdx + 1; j < a.length; j++) {
            if (count == -1 && Args.is(a[j], "count") && j < a.length - 1) {
                count = rangeLong(a[++j], 1, Long.MAX_VALUE, "ERR count should be greater than 0");
            } else {
                throw new SyntaxException();
            }
        }
        ListOps.Popped p = ops.mpop(c.db(), a, 2, whereIdx, head, count == -1 ? 1 : count);
        if (p == null) {
            return Reply.NULL_ARRAY;
        }
        return Reply.array(Reply.bulk(p.key()), bulks(p.elements()));
    }
}
