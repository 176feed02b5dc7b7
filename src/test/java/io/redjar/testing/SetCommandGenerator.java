package io.redjar.testing;

import io.redjar.Reply;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Random set commands over six keys and a small member space (small integers, int16/int32/int64
 * edge integers, near-integers and words), so that members collide, sets empty out and are
 * deleted, intsets upgrade and convert to hashtables, and set commands meet string keys
 * (WRONGTYPE). Includes the generic commands on set keys: OBJECT ENCODING, TYPE, EXISTS, DEL,
 * COPY, RENAME.
 *
 * <p>Random replies: SPOP only with a count that takes the whole set (or 0, or invalid), so both
 * servers stay equal; SRANDMEMBER compares the reply's shape (its length), or just its type
 * without a count. SSCAN uses a COUNT large enough to finish in one call and is compared as a
 * set; every other reply is compared exactly (set replies are unordered by nature).
 */
public class SetCommandGenerator extends CommandGenerator {
    private static final List<String> MEMBERS = List.of("0", "1", "2", "3", "7", "-1", "42", "100",
        "32767", "32768", "-32769", "2147483648", Long.toString(Long.MAX_VALUE), Long.toString(Long.MIN_VALUE),
        "a", "b", "abc", "", "-0", "01", " 1", "1.5", "9223372036854775808");

    /** Same length, or exactly equal when not both arrays. */
    public static final ReplyComparator SAME_LENGTH = (e, a) -> {
        if (e instanceof Reply.ArrayReply ea && a instanceof Reply.ArrayReply aa) {
            return ea.elements().size() == aa.elements().size() ? Optional.empty()
                : Optional.of("expected " + ea.elements().size() + " elements but was " + aa.elements().size());
        }
        return ReplyComparator.EXACT.difference(e, a);
    };

    public SetCommandGenerator(long seed) {
        super(seed);
        command(10, () -> cmd("SADD", key(), members(1, 4)));
        command(1, () -> cmd("SADD", key(), bulkInts()));
        command(5, () -> cmd("SREM", key(), members(1, 4)));
        command(3, () -> cmd("SCARD", key()));
        command(3, () -> cmd("SISMEMBER", key(), member()));
        command(2, () -> cmd("SMISMEMBER", key(), members(1, 4)));
        command(3, () -> cmd("SMEMBERS", key()));
        command(3, () -> cmd("SMOVE", key(), key(), member()));
        command(2, () -> cmd("SINTER", keys(1, 3)));
        command(2, () -> cmd("SUNION", keys(1, 3)));
        command(2, () -> cmd("SDIFF", keys(1, 3)));
        command(2, () -> cmd("SINTERSTORE", key(), keys(1, 3)));
        command(2, () -> cmd("SUNIONSTORE", key(), keys(1, 3)));
        command(2, () -> cmd("SDIFFSTORE", key(), keys(1, 3)));
        command(2, this::sintercard);
        command(2, () -> cmd("SPOP", key(), pick("100000", "0", "-1", "x", "100000")));
        command(1, () -> cmd("SPOP", key(), "1", "2"));
        command(2, () -> cmd("SRANDMEMBER", key(), pick("1000", "0", "1", "2", "-3", "-1", "x", "-9223372036854775808"))
            .compareWith(SAME_LENGTH));
        command(1, () -> cmd("SRANDMEMBER", key()).typeOnly());
        command(2, () -> cmd("SSCAN", key(), "0", kw("COUNT"), "100000",
            maybe(0.5, kw("MATCH"), pick("*", "a*", "1*", "*2*", "[0-3]"))).compareWith(ReplyComparator.UNORDERED_DEEP));
        command(1, () -> pick(
            cmd("SSCAN", key(), "x"),
            cmd("SSCAN", key(), pick("x", "1x", " 0"), kw("COUNT"), "1000"),
            cmd("SSCAN", key(), "0", kw("COUNT"), pick("0", "-1", "x")),
            cmd("SSCAN", key(), "0", kw("TYPE"), "set"),
            cmd("SSCAN", key(), "0", kw("FOO"), "x"),
            cmd("SSCAN", key(), "0", kw("COUNT"))));
        command(2, () -> cmd("OBJECT", "ENCODING", key()));
        command(1, () -> cmd("TYPE", key()));
        command(1, () -> cmd("EXISTS", key()));
        command(1, () -> cmd("DEL", key()));
        command(1, () -> cmd("SET", key(), pick("v", "1")));
        command(1, () -> cmd("COPY", key(), key(), maybe(0.5, "REPLACE")));
        command(1, () -> cmd("RENAME", key(), key()));
    }

    private byte[] member() {
        return b(pick(MEMBERS));
    }

    private List<byte[]> members(int min, int max) {
        int n = smallInt(min, max);
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(member());
        }
        return out;
    }

    /** Up to 600 integers: crosses the default set-max-intset-entries of 512. */
    private List<String> bulkInts() {
        int n = smallInt(1, 600);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(Integer.toString(smallInt(-50, 1200)));
        }
        return out;
    }

    private Step sintercard() {
        byte[][] ks = keys(1, 3);
        String numkeys = chance(0.9) ? Integer.toString(ks.length) : pick("0", "-1", "x", "5");
        return cmd("SINTERCARD", numkeys, ks, maybe(0.4, kw("LIMIT"), pick("0", "1", "2", "-1", "x")),
            maybe(0.05, "FOO"));
    }
}
