package io.redjar.testing;

import io.redjar.Reply;

import java.util.ArrayList;
import java.util.List;

/**
 * Random consumer-group command sequences over a few streams: XADD with explicit increasing ids,
 * XDEL and XTRIM (so PELs point at deleted entries), XGROUP in all its forms, XREADGROUP (new
 * entries, history, NOACK, COUNT, several keys), XACK, XPENDING (summary and extended), XCLAIM
 * (FORCE, JUSTID, RETRYCOUNT, LASTID, a fixed TIME), XAUTOCLAIM as an iterator, XINFO GROUPS /
 * CONSUMERS / STREAM FULL, plus bad arguments and keys of another type. Min-idle times are 0 or
 * far beyond the run, and the time fields of the replies (idle, seen time, delivery time) are
 * masked by {@link #TIMES}, so replies compare exactly otherwise.
 */
public class StreamGroupCommandGenerator extends CommandGenerator {
    private long ms = 1;

    /** Exact comparison with every time field set to 0 on both sides. */
    public static final ReplyComparator TIMES = (e, a) -> ReplyComparator.EXACT.difference(mask(e), mask(a));

    public StreamGroupCommandGenerator(long seed) {
        super(seed, 3);
        command(20, () -> cmd("XADD", key(), id(), "f", value()));
        command(2, () -> cmd("XDEL", key(), existingish()));
        command(1, () -> cmd("XTRIM", key(), "MAXLEN", Integer.toString(smallInt(0, 10))));
        command(4, () -> cmd("XGROUP", "CREATE", key(), group(), pick("$", "0", existingish(), "-", "abc"),
            maybe(0.3, kw("MKSTREAM")), maybe(0.2, kw("ENTRIESREAD"), pick("0", "3", "-1", "-2", "x"))));
        command(2, () -> cmd("XGROUP", "SETID", key(), group(), pick("$", "0", existingish(), "-", "+"),
            maybe(0.3, kw("ENTRIESREAD"), pick("0", "2", "-1"))));
        command(1, () -> cmd("XGROUP", "DESTROY", key(), group()));
        command(2, () -> cmd("XGROUP", pick("CREATECONSUMER", "DELCONSUMER"), key(), group(), consumer()));
        command(12, () -> cmd("XREADGROUP", "GROUP", group(), consumer(), maybe(0.4, kw("COUNT"), pick("1", "2", "0", "-1")),
            maybe(0.15, kw("NOACK")), kw("STREAMS"), streamsAndIds()));
        command(6, () -> cmd("XACK", key(), group(), ids(1, 3)));
        command(3, () -> cmd("XPENDING", key(), group()).compareWith(TIMES));
        command(4, () -> cmd("XPENDING", key(), group(), maybe(0.3, kw("IDLE"), pick("0", "100000000")),
            pick("-", existingish(), "(" + existingish()), pick("+", existingish()), pick("1", "3", "10", "0", "-1"),
            maybe(0.4, consumer())).compareWith(TIMES));
        command(5, () -> cmd("XCLAIM", key(), group(), consumer(), pick("0", "0", "100000000", "-5", "x"), ids(1, 3),
            maybe(0.3, kw("JUSTID")), maybe(0.2, kw("FORCE")), maybe(0.2, kw("RETRYCOUNT"), pick("0", "5", "x")),
            maybe(0.2, kw("LASTID"), existingish()), maybe(0.1, kw("TIME"), "1000"), maybe(0.03, "BOGUS")).compareWith(TIMES));
        command(5, () -> cmd("XAUTOCLAIM", key(), group(), consumer(), pick("0", "0", "100000000"),
            pick("0", "-", existingish(), "(" + existingish()), maybe(0.5, kw("COUNT"), pick("1", "2", "5", "0")),
            maybe(0.3, kw("JUSTID"))).compareWith(TIMES));
        command(3, () -> cmd("XINFO", "GROUPS", key()));
        command(2, () -> cmd("XINFO", "CONSUMERS", key(), group()).compareWith(TIMES));
        command(2, () -> cmd("XINFO", "STREAM", key(), "FULL", maybe(0.5, kw("COUNT"), pick("0", "1", "2"))).compareWith(TIMES));
        command(1, () -> cmd("XINFO", "STREAM", key()));
        command(1, () -> cmd("XSETID", key(), pick(existingish(), "99999-0")));
        command(1, () -> cmd("DEL", key()));
        command(1, () -> cmd("SET", pick("k2", "str"), "x"));
    }

    private String group() {
        return pick("g0", "g1", "g2");
    }

    private String consumer() {
        return pick("c0", "c1", "c2", "c3");
    }

    private Object id() {
        ms += smallInt(0, 2);
        return ms + "-" + smallInt(0, 3);
    }

    private String existingish() {
        return Math.max(0, ms - smallInt(0, 10)) + "-" + smallInt(0, 3);
    }

    private List<Object> ids(int min, int max) {
        List<Object> out = new ArrayList<>();
        for (int i = 0, n = smallInt(min, max); i < n; i++) {
            out.add(chance(0.05) ? pick("abc", "+", "-") : existingish());
        }
        return out;
    }

    private List<Object> streamsAndIds() {
        int n = chance(0.8) ? 1 : 2;
        List<Object> keys = new ArrayList<>();
        List<Object> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add(key());
            ids.add(chance(0.7) ? ">" : pick("0", "0-0", existingish(), "$", "x"));
        }
        keys.addAll(ids);
        return keys;
    }

    /** Sets the time fields of a group reply to 0: idle, seen-time, and the time column of PEL rows. */
    static Reply mask(Reply r) {
        if (r instanceof Reply.Map m) {
            return new Reply.Map(maskList(m.flat()));
        }
        if (r instanceof Reply.ArrayReply a) {
            List<Reply> el = a.elements();
            if (isId(el, 0) && (el.size() == 4 && el.get(1) instanceof Reply.Bulk || el.size() == 3)
                && el.get(el.size() - 2) instanceof Reply.IntegerReply && el.get(el.size() - 1) instanceof Reply.IntegerReply) {
                List<Reply> c = new ArrayList<>(el);
                c.set(el.size() - 2, Reply.integer(0)); // [id, consumer, idle/time, count] or [id, time, count]
                return Reply.array(c);
            }
            return Reply.array(maskList(el));
        }
        return r;
    }

    private static boolean isId(List<Reply> el, int i) {
        if (el.size() <= i || !(el.get(i) instanceof Reply.Bulk b)) {
            return false;
        }
        String s = new String(b.value(), java.nio.charset.StandardCharsets.ISO_8859_1);
        return s.matches("[0-9]+-[0-9]+");
    }

    private static List<Reply> maskList(List<Reply> in) {
        List<Reply> out = new ArrayList<>(in.size());
        for (int i = 0; i < in.size(); i++) {
            Reply v = in.get(i);
            if (i > 0 && in.get(i - 1) instanceof Reply.Bulk k && v instanceof Reply.IntegerReply) {
                String name = new String(k.value(), java.nio.charset.StandardCharsets.ISO_8859_1);
                if (name.equals("idle") || name.equals("seen-time")) {
                    out.add(Reply.integer(0));
                    continue;
                }
            }
            out.add(mask(v));
        }
        return out;
    }
}
