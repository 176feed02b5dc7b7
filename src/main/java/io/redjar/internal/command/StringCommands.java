package io.redjar.internal.command;

import io.redjar.RedJarException;
import io.redjar.Reply;
import io.redjar.SetOptions;
import io.redjar.SyntaxException;
import io.redjar.internal.types.StringOps;
import io.redjar.internal.util.Lcs;

import java.util.ArrayList;
import java.util.List;

import static io.redjar.internal.command.CommandFlag.DENYOOM;
import static io.redjar.internal.command.CommandFlag.FAST;
import static io.redjar.internal.command.CommandFlag.READONLY;
import static io.redjar.internal.command.CommandFlag.WRITE;
import static io.redjar.internal.command.KeyFlag.ACCESS;
import static io.redjar.internal.command.KeyFlag.DELETE;
import static io.redjar.internal.command.KeyFlag.INSERT;
import static io.redjar.internal.command.KeyFlag.OW;
import static io.redjar.internal.command.KeyFlag.RO;
import static io.redjar.internal.command.KeyFlag.RW;
import static io.redjar.internal.command.KeyFlag.UPDATE;
import static io.redjar.internal.command.KeyFlag.VARIABLE_FLAGS;
import static io.redjar.internal.command.KeySpec.index;

/**
 * The string commands' adapter: parse every argument first, then call {@link StringOps}, then
 * shape the reply. No keyspace access here.
 */
public final class StringCommands {
    private static final String G = "string";

    private StringCommands() {
    }

    private static StringOps ops(ExecContext c) {
        return c.engine().strings();
    }

    /** Adds the string commands to {@code t}. */
    public static void register(CommandTable t) {
        t.add("get", 2).flags(READONLY, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RO, ACCESS))
            .doc(G, "Get the value of a key")
            .handler((c, a) -> Reply.bulk(ops(c).get(c.db(), a[1])));
        t.add("set", -3).flags(WRITE, DENYOOM)
            .keySpecs(
                index(1).range(0, 1, 0).flags(RW, ACCESS, UPDATE, VARIABLE_FLAGS)
                    .notes("RW and ACCESS due to the optional `GET` argument"))
            .getKeys(GetKeysProc.SET)
            .doc(G, "Set the string value of a key")
            .handler(StringCommands::set);
        t.add("setnx", 3).flags(WRITE, DENYOOM, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(OW, INSERT))
            .doc(G, "Set the value of a key, only if the key does not exist")
            .handler((c, a) -> Reply.integer(ops(c).set(c.db(), a[1], a[2], SetOptions.none().nx(), "setnx").written ? 1 : 0));
        t.add("setex", 4).flags(WRITE, DENYOOM)
            .keySpecs(index(1).range(0, 1, 0).flags(OW, UPDATE))
            .doc(G, "Set the value and expiration of a key")
            .handler((c, a) -> {
                ops(c).set(c.db(), a[1], a[3], SetOptions.none().ex(Args.parseLong(a[2])), "setex");
                return Reply.OK;
            });
        t.add("psetex", 4).flags(WRITE, DENYOOM)
            .keySpecs(index(1).range(0, 1, 0).flags(OW, UPDATE))
            .doc(G, "Set the value and expiration in milliseconds of a key")
            .handler((c, a) -> {
                ops(c).set(c.db(), a[1], a[3], SetOptions.none().px(Args.parseLong(a[2])), "psetex");
                return Reply.OK;
            });
        t.add("getset", 3).flags(WRITE, DENYOOM, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, ACCESS, UPDATE))
            .doc(G, "Set the string value of a key and return its old value")
            .handler((c, a) -> Reply.bulk(ops(c).getSet(c.db(), a[1], a[2])));
        t.add("getdel", 2).flags(WRITE, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, ACCESS, DELETE))
            .doc(G, "Get the value of a key and delete the key")
            .handler((c, a) -> Reply.bulk(ops(c).getDel(c.db(), a[1])));
        t.add("getex", -2).flags(WRITE, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, ACCESS, UPDATE).notes("RW and UPDATE because it changes the TTL"))
            .doc(G, "Get the value of a key and optionally set its expiration")
            .handler(StringCommands::getex);
        t.add("mset", -3).flags(WRITE, DENYOOM)
            .keySpecs(index(1).range(-1, 2, 0).flags(OW, UPDATE))
            .tips("request_policy:multi_shard", "response_policy:all_succeeded")
            .doc(G, "Set multiple keys to multiple values")
            .handler((c, a) -> {
                checkPairs(a, "mset");
                ops(c).mset(c.db(), a, 1, false);
                return Reply.OK;
            });
        t.add("msetnx", -3).flags(WRITE, DENYOOM)
            .keySpecs(index(1).range(-1, 2, 0).flags(OW, INSERT))
            .tips("request_policy:multi_shard", "response_policy:agg_min")
            .doc(G, "Set multiple keys to multiple values, only if none of the keys exist")
            .handler((c, a) -> {
                checkPairs(a, "msetnx");
                return Reply.integer(ops(c).mset(c.db(), a, 1, true) ? 1 : 0);
            });
        t.add("mget", -2).flags(READONLY, FAST)
            .keySpecs(index(1).range(-1, 1, 0).flags(RO, ACCESS)).tips("request_policy:multi_shard")
            .doc(G, "Get the values of all the given keys")
            .handler((c, a) -> {
                byte[][] v = ops(c).mget(c.db(), a, 1);
                List<Reply> out = new ArrayList<>(v.length);
                for (byte[] b : v) {
                    out.add(Reply.bulk(b));
                }
                return Reply.array(out);
            });
        t.add("append", 3).flags(WRITE, DENYOOM, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, INSERT))
            .doc(G, "Append a value to a key")
            .handler((c, a) -> Reply.integer(ops(c).append(c.db(), a[1], a[2])));
        t.add("strlen", 2).flags(READONLY, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RO))
            .doc(G, "Get the length of the value stored in a key")
            .handler((c, a) -> Reply.integer(ops(c).strlen(c.db(), a[1])));
        CommandHandler getrange = (c, a) -> {
            long start = Args.parseLong(a[2]);
            long end = Args.parseLong(a[3]);
            return new Reply.Bulk(ops(c).getRange(c.db(), a[1], start, end));
        };
        t.add("getrange", 4).flags(READONLY)
            .keySpecs(index(1).range(0, 1, 0).flags(RO, ACCESS))
            .doc(G, "Get a substring of the string stored at a key").handler(getrange);
        t.add("substr", 4).flags(READONLY)
            .keySpecs(index(1).range(0, 1, 0).flags(RO, ACCESS))
            .doc(G, "Get a substring of the string stored at a key").handler(getrange);
        t.add("setrange", 4).flags(WRITE, DENYOOM)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, UPDATE))
            .doc(G, "Overwrite part of a string at key starting at the specified offset")
            .handler((c, a) -> {
                long offset = Args.parseLong(a[2]);
                if (offset < 0) {
                    throw new RedJarException("ERR offset is out of range");
                }
                return Reply.integer(ops(c).setRange(c.db(), a[1], offset, a[3]));
            });
        t.add("incr", 2).flags(WRITE, DENYOOM, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, ACCESS, UPDATE))
            .doc(G, "Increment the integer value of a key by one")
            .handler((c, a) -> Reply.integer(ops(c).incrBy(c.db(), a[1], 1)));
        t.add("decr", 2).flags(WRITE, DENYOOM, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, ACCESS, UPDATE))
            .doc(G, "Decrement the integer value of a key by one")
            .handler((c, a) -> Reply.integer(ops(c).incrBy(c.db(), a[1], -1)));
        t.add("incrby", 3).flags(WRITE, DENYOOM, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, ACCESS, UPDATE))
            .doc(G, "Increment the integer value of a key by the given amount")
            .handler((c, a) -> Reply.integer(ops(c).incrBy(c.db(), a[1], Args.parseLong(a[2]))));
        t.add("decrby", 3).flags(WRITE, DENYOOM, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, ACCESS, UPDATE))
            .doc(G, "Decrement the integer value of a key by the given number")
            .handler((c, a) -> Reply.integer(ops(c).decrBy(c.db(), a[1], Args.parseLong(a[2]))));
        t.add("incrbyfloat", 3).flags(WRITE, DENYOOM, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, ACCESS, UPDATE))
            .doc(G, "Increment the float value of a key by the given amount")
            .handler((c, a) -> new Reply.Bulk(ops(c).incrByFloat(c.db(), a[1], a[2])));
        t.add("lcs", -3).flags(READONLY)
            .keySpecs(index(1).range(1, 1, 0).flags(RO, ACCESS))
            .doc(G, "Find longest common substring")
            .handler(StringCommands::lcs);
    }

    private static void checkPairs(byte[][] a, String name) {
        if ((a.length % 2) == 0) {
            throw new RedJarException("ERR wrong number of arguments for '" + name + "' command");
        }
    }

    /** Redis 7.0's {@code parseExtendedStringArgumentsOrReply} for SET. */
    static SetOptions parseSetOptions(byte[][] a, int from) {
        SetOptions o = SetOptions.none();
        boolean nx = false, xx = false, get = false, keepttl = false;
        SetOptions.Expiry exp = SetOptions.Expiry.NONE;
        byte[] expRaw = null;
        for (int j = from; j < a.length; j++) {
            byte[] opt = a[j];
            boolean hasNext = j < a.length - 1;
            if (Args.is(opt, "nx") && !xx) {
                nx = true;
            } else if (Args.is(opt, "xx") && !nx) {
                xx = true;
            } else if (Args.is(opt, "get")) {
                get = true;
            } else if (Args.is(opt, "keepttl") && exp == SetOptions.Expiry.NONE) {
                keepttl = true;
            } else if (Args.is(opt, "ex") && !keepttl && others(exp, SetOptions.Expiry.EX) && hasNext) {
                exp = SetOptions.Expiry.EX;
                expRaw = a[++j];
            } else if (Args.is(opt, "px") && !keepttl && others(exp, SetOptions.Expiry.PX) && hasNext) {
                exp = SetOptions.Expiry.PX;
                expRaw = a[++j];
            } else if (Args.is(opt, "exat") && !keepttl && others(exp, SetOptions.Expiry.EXAT) && hasNext) {
                exp = SetOptions.Expiry.EXAT;
                expRaw = a[++j];
            } else if (Args.is(opt, "pxat") && !keepttl && others(exp, SetOptions.Expiry.PXAT) && hasNext) {
                exp = SetOptions.Expiry.PXAT;
                expRaw = a[++j];
            } else {
                throw new SyntaxException();
            }
        }
        if (nx) {
            o = o.nx();
        }
        if (xx) {
            o = o.xx();
        }
        if (get) {
            o = o.get();
        }
        if (keepttl) {
            o = o.keepTtl();
        }
        if (exp != SetOptions.Expiry.NONE && badNumber(expRaw)) {
            throw new io.redjar.NotIntegerException();
        }
        return withExpiry(o, exp, exp == SetOptions.Expiry.NONE ? 0 : Args.parseLong(expRaw));
    }

    /**
     * An expire argument is parsed after the syntax checks, as Redis does; until then a bad one is
     * remembered by its position.
     */
    private static boolean badNumber(byte[] b) {
        return !io.redjar.internal.util.Numbers.isLong(b);
    }


    private static boolean others(SetOptions.Expiry current, SetOptions.Expiry self) {
        return current == SetOptions.Expiry.NONE || current == self;
    }

    private static SetOptions withExpiry(SetOptions o, SetOptions.Expiry exp, long value) {
        switch (exp) {
            case EX:
                return o.ex(value);
            case PX:
                return o.px(value);
            case EXAT:
                return o.exAt(value);
            case PXAT:
                return o.pxAt(value);
            default:
                return o;
        }
    }

    private static Reply set(ExecContext c, byte[][] a) {
        SetOptions o = parseSetOptions(a, 3);
        StringOps.SetResult r = ops(c).set(c.db(), a[1], a[2], o, "set");
        if (o.isGet()) {
            return Reply.bulk(r.old);
        }
        return r.written ? Reply.OK : Reply.NULL;
    }

    /** LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN], as Redis 7.0's lcsCommand. */
    private static Reply lcs(ExecContext c, byte[][] a) {
        byte[][] in = ops(c).lcsInputs(c.db(), a[1], a[2]);
        boolean getLen = false, getIdx = false, withMatchLen = false;
        long minMatchLen = 0;
        for (int j = 3; j < a.length; j++) {
            int more = a.length - 1 - j;
            if (Args.is(a[j], "idx")) {
                getIdx = true;
            } else if (Args.is(a[j], "len")) {
                getLen = true;
            } else if (Args.is(a[j], "withmatchlen")) {
                withMatchLen = true;
            } else if (Args.is(a[j], "minmatchlen") && more > 0) {
                minMatchLen = Math.max(0, Args.parseLong(a[j + 1]));
                j++;
            } else {
                throw new SyntaxException();
            }
        }
        if (getIdx && getLen) {
            throw new RedJarException("ERR If you want both the length and indexes, please just use IDX.");
        }
        // Redis 7.0.15: the (alen+1)*(blen+1) uint32 table against proto-max-bulk-len, then the
        // allocation itself may fail (here: a table beyond a Java array's reach)
        if (Lcs.tableBytes(in[0].length, in[1].length) > ops(c).protoMaxBulkLen()) {
            throw new RedJarException("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
        }
        if (!getLen && ((long) in[0].length + 1) * ((long) in[1].length + 1) > Integer.MAX_VALUE - 8) {
            throw new RedJarException("ERR Insufficient memory, failed allocating transient memory for LCS");
        }
        if (getLen) {
            return Reply.integer(Lcs.length(in[0], in[1]));
        }
        Lcs.Result r = Lcs.compute(in[0], in[1]);
        if (!getIdx) {
            return new Reply.Bulk(r.lcs());
        }
        List<Reply> matches = new ArrayList<>();
        for (Lcs.Match m : r.matches(minMatchLen)) {
            List<Reply> one = new ArrayList<>(3);
            one.add(Reply.array(Reply.integer(m.aStart()), Reply.integer(m.aEnd())));
            one.add(Reply.array(Reply.integer(m.bStart()), Reply.integer(m.bEnd())));
            if (withMatchLen) {
                one.add(Reply.integer(m.length()));
            }
            matches.add(Reply.array(one));
        }
        return new Reply.Map(List.of(Reply.bulk("matches"), Reply.array(matches), Reply.bulk("len"), Reply.integer(r.length())));
    }

    private static Reply getex(ExecContext c, byte[][] a) {
        SetOptions.Expiry exp = SetOptions.Expiry.NONE;
        boolean persist = false;
        byte[] expRaw = null;
        for (int j = 2; j < a.length; j++) {
            byte[] opt = a[j];
            boolean hasNext = j < a.length - 1;
            if (Args.is(opt, "persist") && exp == SetOptions.Expiry.NONE) {
                persist = true;
            } else if (Args.is(opt, "ex") && !persist && others(exp, SetOptions.Expiry.EX) && hasNext) {
                exp = SetOptions.Expiry.EX;
                expRaw = a[++j];
            } else if (Args.is(opt, "px") && !persist && others(exp, SetOptions.Expiry.PX) && hasNext) {
                exp = SetOptions.Expiry.PX;
                expRaw = a[++j];
            } else if (Args.is(opt, "exat") && !persist && others(exp, SetOptions.Expiry.EXAT) && hasNext) {
                exp = SetOptions.Expiry.EXAT;
                expRaw = a[++j];
            } else if (Args.is(opt, "pxat") && !persist && others(exp, SetOptions.Expiry.PXAT) && hasNext) {
                exp = SetOptions.Expiry.PXAT;
                expRaw = a[++j];
            } else {
                throw new SyntaxException();
            }
        }
        if (exp != SetOptions.Expiry.NONE && badNumber(expRaw)) {
            // Redis checks the key (missing -> nil, wrong type) before parsing the time
            byte[] v = ops(c).getEx(c.db(), a[1], SetOptions.Expiry.NONE, 0, false);
            if (v == null) {
                return Reply.NULL;
            }
            throw new io.redjar.NotIntegerException();
        }
        long value = exp == SetOptions.Expiry.NONE ? 0 : Args.parseLong(expRaw);
        return Reply.bulk(ops(c).getEx(c.db(), a[1], exp, value, persist));
    }
}
