package io.redjar.internal.command;

import io.redjar.RedJarException;
import io.redjar.Reply;
import io.redjar.SyntaxException;
import io.redjar.internal.blocking.BlockingPops;
import io.redjar.internal.blocking.Waiter;
import io.redjar.internal.types.ListOps;
import io.redjar.internal.util.LongDouble;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

import static io.redjar.internal.command.CommandFlag.BLOCKING;
import static io.redjar.internal.command.CommandFlag.WRITE;
import static io.redjar.internal.command.KeyFlag.ACCESS;
import static io.redjar.internal.command.KeyFlag.DELETE;
import static io.redjar.internal.command.KeyFlag.INSERT;
import static io.redjar.internal.command.KeyFlag.RW;
import static io.redjar.internal.command.KeySpec.index;

/**
 * The blocking commands (Redis's BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, BZPOPMIN, BZPOPMAX).
 *
 * <p>Each one parses its arguments and calls {@link BlockingPops} (shared with the typed handles
 * {@code io.redjar.Lists} and {@code io.redjar.SortedSets}): the non-blocking pop it wraps plus a
 * {@link Waiter}: under the locks of all its
 * keys (and of a BLMOVE destination) it first tries to pop; if every key is missing it registers
 * the waiter before releasing the locks, so no push can be missed, hands the waiter to the
 * session ({@link ExecContext#block}) and returns the timeout reply as a placeholder. The session
 * then waits on the waiter's future (embedded) or answers when it completes (RESP). When served,
 * each waiter propagates the non-blocking form Redis propagates (LPOP, LMOVE, RPOPLPUSH, ZPOPMIN).
 */
public final class BlockingCommands {
    private static final String LIST = "list";
    private static final String ZSET = "sorted-set";

    private BlockingCommands() {
    }

    /** Adds the blocking commands to {@code t}. */
    public static void register(CommandTable t) {
        t.add("blpop", -3).flags(WRITE, CommandFlag.NOSCRIPT, BLOCKING)
            .keySpecs(index(1).range(-2, 1, 0).flags(RW, ACCESS, DELETE))
            .doc(LIST, "Remove and get the first element in a list, or block until one is available")
            .handler((c, a) -> bpop(c, a, true));
        t.add("brpop", -3).flags(WRITE, CommandFlag.NOSCRIPT, BLOCKING)
            .keySpecs(index(1).range(-2, 1, 0).flags(RW, ACCESS, DELETE))
            .doc(LIST, "Remove and get the last element in a list, or block until one is available")
            .handler((c, a) -> bpop(c, a, false));
        t.add("blmove", 6).flags(WRITE, CommandFlag.DENYOOM, CommandFlag.NOSCRIPT, BLOCKING)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, ACCESS, DELETE), index(2).range(0, 1, 0).flags(RW, INSERT))
            .doc(LIST, "Pop an element from a list, push it to another list and return it; or block until one is available")
            .handler((c, a) -> bmove(c, a[1], a[2], side(a[3]), side(a[4]), a[5], false));
        t.add("brpoplpush", 4).flags(WRITE, CommandFlag.DENYOOM, CommandFlag.NOSCRIPT, BLOCKING)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, ACCESS, DELETE), index(2).range(0, 1, 0).flags(RW, INSERT))
            .doc(LIST, "Pop an element from a list, push it to another list and return it; or block until one is available")
            .handler((c, a) -> bmove(c, a[1], a[2], false, true, a[3], true));
        t.add("blmpop", -5).flags(WRITE, BLOCKING)
            .keySpecs(index(2).keynum(0, 1, 1).flags(RW, ACCESS, DELETE)).getKeys(GetKeysProc.NUMKEYS_AT_2)
            .doc(LIST, "Pop elements from a list, or block until one is available")
            .handler(BlockingCommands::blmpop);
        t.add("bzpopmin", -3).flags(WRITE, CommandFlag.NOSCRIPT, BLOCKING, CommandFlag.FAST)
            .keySpecs(index(1).range(-2, 1, 0).flags(RW, ACCESS, DELETE))
            .doc(ZSET, "Remove and return the member with the lowest score from one or more sorted sets, or block until one is available")
            .handler((c, a) -> bzpop(c, a, false));
        t.add("bzpopmax", -3).flags(WRITE, CommandFlag.NOSCRIPT, BLOCKING, CommandFlag.FAST)
            .keySpecs(index(1).range(-2, 1, 0).flags(RW, ACCESS, DELETE))
            .doc(ZSET, "Remove and return the member with the highest score from one or more sorted sets, or block until one is available")
            .handler((c, a) -> bzpop(c, a, true));
        t.add("bzmpop", -5).flags(WRITE, BLOCKING)
            .keySpecs(index(2).keynum(0, 1, 1).flags(RW, ACCESS, DELETE)).getKeys(GetKeysProc.NUMKEYS_AT_2)
            .doc(ZSET, "Remove and return members with scores in a sorted set or block until one is available")
            .handler(BlockingCommands::bzmpop);
    }

    private static boolean side(byte[] a) {
        if (Args.is(a, "left")) {
            return true;
        }
        if (Args.is(a, "right")) {
            return false;
        }
        throw new SyntaxException();
    }

    /**
     * Redis 7.0's {@code getTimeoutFromObjectOrReply} in seconds: a long double, times 1000,
     * rounded up and converted to a 64-bit integer. An x87 conversion of a value beyond the range
     * (a huge timeout, {@code inf}) yields {@code LLONG_MIN}, so Redis 7.0.15 calls those negative.
     *
     * @return the timeout in ms, 0 for "forever"
     */
    static long parseTimeout(byte[] arg) {
        LongDouble v = LongDouble.parseOrNull(arg, 0, arg.length);
        if (v == null || v.isNaN()) {
            throw new RedJarException("ERR timeout is not a float or out of range");
        }
        long t;
        if (v.isInfinite()) {
            t = Long.MIN_VALUE;
        } else {
            BigDecimal ms = v.toBigDecimal().multiply(BigDecimal.valueOf(1000)).setScale(0, RoundingMode.CEILING);
            boolean fits = ms.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0 && ms.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) >= 0;
            t = fits ? ms.longValue() : Long.MIN_VALUE;
        }
        if (t < 0) {
            throw new RedJarException("ERR timeout is negative");
        }
        return t;
    }

    /**
     * Inside EXEC a blocking command must not block (Redis's {@code CLIENT_DENY_BLOCKING}): it
     * answers as if its timeout had expired. @return -1 (do not wait) there, else {@code timeoutMs}
     */
    static long noWait(ExecContext c, long timeoutMs) {
        TxState tx = c.txIfAny();
        return tx != null && tx.executing() ? -1 : timeoutMs;
    }

    /**
     * The command's end of a {@link BlockingPops} outcome: the reply now, or (blocked) the waiter
     * handed to the session and the timeout reply as a placeholder.
     */
    private static Reply replyOrBlock(ExecContext c, BlockingPops.Outcome<Reply> o, Reply timeoutReply) {
        if (o.blocked()) {
            c.block(o.waiter());
            return timeoutReply;
        }
        return o.now();
    }

    // ---- lists -----------------------------------------------------------------------------

    private static Reply bpop(ExecContext c, byte[][] a, boolean head) {
        long timeout = noWait(c, parseTimeout(a[a.length - 1]));
        byte[][] keys = java.util.Arrays.copyOfRange(a, 1, a.length - 1);
        return replyOrBlock(c, BlockingPops.listPop(c.engine(), c.db(), keys, head, -1, timeout,
            BlockingCommands::popped, Reply.NULL_ARRAY), Reply.NULL_ARRAY);
    }

    private static Reply popped(ListOps.Popped p) {
        return Reply.array(Reply.bulk(p.key()), Reply.bulk(p.elements().get(0)));
    }

    private static Reply bmove(ExecContext c, byte[] src, byte[] dst, boolean fromHead, boolean toHead, byte[] timeoutArg,
                               boolean rpoplpush) {
        long timeout = noWait(c, parseTimeout(timeoutArg));
        // a served waiter whose destination holds another type gets the error, as in Redis; a timed-out
        // one gets a null ARRAY (*-1 in RESP2), as Redis 7.0's replyToBlockedClientTimedOut answers
        // every list block, although the non-blocking LMOVE answers a null bulk
        return replyOrBlock(c, BlockingPops.listMove(c.engine(), c.db(), src, dst, fromHead, toHead, rpoplpush, timeout,
            Reply.Bulk::new, RedJarException::toReply, Reply.NULL_ARRAY), Reply.NULL_ARRAY);
    }

    private static Reply blmpop(ExecContext c, byte[][] a) {
        long timeout = noWait(c, parseTimeout(a[1]));
        long numkeys = ListCommands.rangeLong(a[2], 1, Long.MAX_VALUE, "ERR numkeys should be greater than 0");
        if (numkeys >= a.length - 3) {
            throw new SyntaxException();
        }
        int whereIdx = 3 + (int) numkeys;
        boolean head = side(a[whereIdx]);
        long count = -1;
        for (int j = whereIdx + 1; j < a.length; j++) {
            if (count == -1 && Args.is(a[j], "count") && j < a.length - 1) {
                count = ListCommands.rangeLong(a[++j], 1, Long.MAX_VALUE, "ERR count should be greater than 0");
            } else {
                throw new SyntaxException();
            }
        }
        long n = count == -1 ? 1 : count;
        byte[][] keys = java.util.Arrays.copyOfRange(a, 3, whereIdx);
        return replyOrBlock(c, BlockingPops.listPop(c.engine(), c.db(), keys, head, n, timeout,
            BlockingCommands::mpopped, Reply.NULL_ARRAY), Reply.NULL_ARRAY);
    }

    private static Reply mpopped(ListOps.Popped p) {
        List<Reply> els = new ArrayList<>(p.elements().size());
        for (byte[] e : p.elements()) {
            els.add(new Reply.Bulk(e));
        }
        return Reply.array(Reply.bulk(p.key()), Reply.array(els));
    }

    // ---- sorted sets -----------------------------------------------------------------------

    private static Reply bzpop(ExecContext c, byte[][] a, boolean max) {
        long timeout = noWait(c, parseTimeout(a[a.length - 1]));
        byte[][] keys = java.util.Arrays.copyOfRange(a, 1, a.length - 1);
        return replyOrBlock(c, BlockingPops.zsetPop(c.engine(), c.db(), keys, max, timeout,
            p -> Reply.array(Reply.bulk(p.key()), Reply.bulk(p.member()), new Reply.DoubleReply(p.score())),
            Reply.NULL_ARRAY), Reply.NULL_ARRAY);
    }

    private static Reply bzmpop(ExecContext c, byte[][] a) {
        long timeout = noWait(c, parseTimeout(a[1]));
        ZSetCommands.MPopArgs m = ZSetCommands.parseMpop(a, 2);
        return replyOrBlock(c, BlockingPops.zsetMPop(c.engine(), c.db(), m.keys(), m.max(), m.count(), timeout,
            ZSetCommands::mpopReply, Reply.NULL_ARRAY), Reply.NULL_ARRAY);
    }
}
