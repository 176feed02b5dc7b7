package io.redjar.internal.script;

import io.redjar.Reply;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Conversions between command replies and Lua values, both ways, as Redis 7.0's
 * {@code script_lua.c} makes them ({@code redisProtocolToLuaType} and
 * {@code luaReplyToRedisReply}), for a script speaking RESP2 (the default) or RESP3
 * ({@code redis.setresp(3)}).
 *
 * <p>Reply to Lua: integer → number; bulk → string; status → {@code {ok=...}}; error →
 * {@code {err=...}}; array → table; null → {@code false} (RESP2) or {@code nil} (RESP3). A RESP2
 * script sees RESP3-only replies as the RESP2 wire shows them (map → flat array, set → array,
 * double → bulk string, boolean → 1/0, verbatim → bulk). A RESP3 script gets {@code {map=}},
 * {@code {set=}}, booleans, {@code {double=}}, {@code {verbatim_string={format=,string=}}}.
 *
 * <p>Lua to reply: number → integer (truncated); string → bulk; {@code true} → 1 (RESP2 script)
 * or boolean; {@code false} → null (RESP2 script) or boolean; table with {@code err} (string) →
 * error, {@code ok} → status, {@code double} → double, {@code big_number} → bulk (RedJar has no
 * big-number reply type yet), {@code verbatim_string}, {@code map}, {@code set} (in that order); other tables →
 * array cut at the first nil; anything else → null. Map and set replies iterate LuaJ's table
 * order, which may differ from C Lua's.
 *
 * <p><b>Thread-safety:</b> stateless.
 */
public final class LuaReplies {
    private static final LuaString ERR = LuaString.valueOf("err");
    /** The field of an error table that says its error was already counted in errorstats. */
    static final LuaString IGNORE_STATS = LuaString.valueOf("ignore_error_stats_update");
    private static final LuaString OK = LuaString.valueOf("ok");
    private static final LuaString DOUBLE = LuaString.valueOf("double");
    private static final LuaString BIG_NUMBER = LuaString.valueOf("big_number");
    private static final LuaString MAP = LuaString.valueOf("map");
    private static final LuaString SET = LuaString.valueOf("set");
    private static final LuaString VERBATIM = LuaString.valueOf("verbatim_string");
    private static final LuaString FORMAT = LuaString.valueOf("format");
    private static final LuaString STRING = LuaString.valueOf("string");

    private LuaReplies() {
    }

    /** @return the Lua value a script speaking {@code resp} (2 or 3) sees for {@code r} */
    public static LuaValue toLua(Reply r, int resp) {
        if (r instanceof Reply.Bulk b) {
            return LuaString.valueUsing(b.value());
        } else if (r instanceof Reply.IntegerReply i) {
            return LuaValue.valueOf((double) i.value());
        } else if (r instanceof Reply.SimpleString s) {
            LuaTable t = new LuaTable();
            t.rawset(OK, LuaValue.valueOf(s.value()));
            return t;
        } else if (r instanceof Reply.ErrorReply e) {
            // a command's error was counted in errorstats when the command answered it: the
            // script passing it on must not count it again (Redis's redisProtocolToLuaType_Error)
            LuaTable t = new LuaTable();
            t.rawset(ERR, LuaValue.valueOf(e.message()));
            t.rawset(IGNORE_STATS, LuaValue.TRUE);
            return t;
        } else if (r instanceof Reply.Null) {
            return resp == 2 ? LuaValue.FALSE : LuaValue.NIL;
        } else if (r instanceof Reply.ArrayReply a) {
            return array(a.elements(), resp);
        } else if (r instanceof Reply.Push p) {
            return array(p.elements(), resp);
        } else if (r instanceof Reply.Map m) {
            if (resp == 2) {
                return array(m.flat(), resp);
            }
            LuaTable inner = new LuaTable();
            List<Reply> flat = m.flat();
            for (int i = 0; i + 1 < flat.size(); i += 2) {
                inner.rawset(toLua(flat.get(i), resp), toLua(flat.get(i + 1), resp));
            }
            LuaTable t = new LuaTable();
            t.rawset(MAP, inner);
            return t;
        } else if (r instanceof Reply.SetReply s) {
            if (resp == 2) {
                return array(s.elements(), resp);
            }
            LuaTable inner = new LuaTable();
            for (Reply e : s.elements()) {
                inner.rawset(toLua(e, resp), LuaValue.TRUE);
            }
            LuaTable t = new LuaTable();
            t.rawset(SET, inner);
            return t;
        } else if (r instanceof Reply.Bool b) {
            if (resp == 2) {
                return LuaValue.valueOf(b.value() ? 1 : 0);
            }
            return LuaValue.valueOf(b.value());
        } else if (r instanceof Reply.DoubleReply d) {
            if (resp == 2) {
                return LuaValue.valueOf(io.redjar.spi.Wire.formatDouble(d.value()));
            }
            LuaTable t = new LuaTable();
            t.rawset(DOUBLE, LuaValue.valueOf(d.value()));
            return t;
        } else if (r instanceof Reply.Verbatim v) {
            if (resp == 2) {
                return LuaValue.valueOf(v.text().getBytes(StandardCharsets.UTF_8));
            }
            LuaTable inner = new LuaTable();
            inner.rawset(FORMAT, LuaValue.valueOf(v.format()));
            inner.rawset(STRING, LuaValue.valueOf(v.text().getBytes(StandardCharsets.UTF_8)));
            LuaTable t = new LuaTable();
            t.rawset(VERBATIM, inner);
            return t;
        }
        throw new IllegalArgumentException("unknown reply " + r);
    }

    private static LuaTable array(List<Reply> elems, int resp) {
        LuaTable t = new LuaTable(elems.size(), 0);
        int i = 1;
        for (Reply e : elems) {
            t.rawset(i++, toLua(e, resp));
        }
        return t;
    }

    /**
     * @return the reply for a script's return value {@code v}; {@code resp} is the script's
     *         protocol, {@code callerResp} the caller's (RESP3-only shapes are made RESP2's for a
     *         RESP2 caller, as its wire would show them)
     */
    public static Reply toReply(LuaValue v, int resp, int callerResp) {
        Reply r = toReply(v, resp);
        return callerResp >= 3 ? r : downgrade(r);
    }

    /** @return {@code r} as a RESP2 client reads it */
    static Reply downgrade(Reply r) {
        if (r instanceof Reply.DoubleReply d) {
            return Reply.bulk(io.redjar.spi.Wire.formatDouble(d.value()));
        } else if (r instanceof Reply.Bool b) {
            return b.value() ? Reply.ONE : Reply.ZERO;
        } else if (r instanceof Reply.Verbatim v) {
            return Reply.bulk(v.text());
        } else if (r instanceof Reply.Map m) {
            return Reply.array(downgradeAll(m.flat()));
        } else if (r instanceof Reply.SetReply s) {
            return Reply.array(downgradeAll(s.elements()));
        } else if (r instanceof Reply.ArrayReply a) {
            return Reply.array(downgradeAll(a.elements()));
        }
        return r;
    }

    private static List<Reply> downgradeAll(List<Reply> in) {
        List<Reply> out = new ArrayList<>(in.size());
        for (Reply e : in) {
            out.add(downgrade(e));
        }
        return out;
    }

    /** C's {@code (long long)} of a double on x86-64: out of range and NaN give {@code LLONG_MIN}. */
    static long toLongLikeC(double d) {
        if (Double.isNaN(d) || d >= 0x1p63 || d < -0x1p63) {
            return Long.MIN_VALUE;
        }
        return (long) d;
    }

    /**
     * Nesting depth at which Redis's conversion runs out of Lua stack ({@code lua_checkstack}
     * fails) and answers {@code reached lua stack limit} in place of the value: a self-referencing
     * table returned by EVAL gives 7995 nested one-element arrays, then that error.
     */
    static final int MAX_DEPTH = 7995;

    /** @return the reply for a script's return value {@code v}; {@code resp} is the script's protocol */
    public static Reply toReply(LuaValue v, int resp) {
        return convert(v, resp, 0);
    }

    private static Reply convert(LuaValue v, int resp, int depth) {
        if (depth >= MAX_DEPTH) {
            return Reply.error("ERR reached lua stack limit");
        }
        switch (v.type()) {
            case LuaValue.TSTRING:
                return Reply.bulk(bytes(v.checkstring()));
            case LuaValue.TNUMBER:
                return Reply.integer(toLongLikeC(v.todouble()));
            case LuaValue.TBOOLEAN:
                if (resp == 2) {
                    return v.toboolean() ? Reply.ONE : Reply.NULL;
                }
                return new Reply.Bool(v.toboolean());
            case LuaValue.TTABLE:
                return table((LuaTable) v, resp, depth);
            default:
                return Reply.NULL;
        }
    }

    /**
     * @return whether {@code v}, a script's result or error object, is an error table whose error
     *         was already counted (Redis's {@code luaExtractErrorInformation} of
     *         {@code ignore_error_stats_update}: a boolean field, true)
     */
    static boolean errorAlreadyCounted(LuaValue v) {
        if (v == null || !v.istable()) {
            return false;
        }
        LuaValue f = ((LuaTable) v).rawget(IGNORE_STATS);
        return f.type() == LuaValue.TBOOLEAN && f.toboolean() && ((LuaTable) v).rawget(ERR).type() == LuaValue.TSTRING;
    }

    private static Reply table(LuaTable t, int resp, int depth) {
        LuaValue err = t.rawget(ERR);
        if (err.type() == LuaValue.TSTRING) {
            return Reply.error(noCrLf(err.tojstring()));
        }
        LuaValue ok = t.rawget(OK);
        if (ok.type() == LuaValue.TSTRING) {
            return new Reply.SimpleString(noCrLf(ok.tojstring()));
        }
        LuaValue dbl = t.rawget(DOUBLE);
        if (dbl.type() == LuaValue.TNUMBER) {
            return new Reply.DoubleReply(dbl.todouble());
        }
        LuaValue big = t.rawget(BIG_NUMBER);
        if (big.type() == LuaValue.TSTRING) {
            return Reply.bulk(bytes(big.checkstring()));
        }
        LuaValue verb = t.rawget(VERBATIM);
        if (verb.type() == LuaValue.TTABLE) {
            LuaValue f = verb.rawget(FORMAT);
            LuaValue s = verb.rawget(STRING);
            if (f.type() == LuaValue.TSTRING && s.type() == LuaValue.TSTRING) {
                return new Reply.Verbatim(f.tojstring(), s.tojstring());
            }
        }
        LuaValue map = t.rawget(MAP);
        if (map.type() == LuaValue.TTABLE) {
            List<Reply> flat = new ArrayList<>();
            LuaValue k = LuaValue.NIL;
            while (true) {
                Varargs n = map.next(k);
                if ((k = n.arg1()).isnil()) {
                    break;
                }
                flat.add(convert(k, resp, depth + 1));
                flat.add(convert(n.arg(2), resp, depth + 1));
            }
            return new Reply.Map(flat);
        }
        LuaValue set = t.rawget(SET);
        if (set.type() == LuaValue.TTABLE) {
            List<Reply> elems = new ArrayList<>();
            LuaValue k = LuaValue.NIL;
            while (true) {
                Varargs n = set.next(k);
                if ((k = n.arg1()).isnil()) {
                    break;
                }
                elems.add(convert(k, resp, depth + 1));
            }
            return new Reply.SetReply(elems);
        }
        List<Reply> elems = new ArrayList<>();
        for (int i = 1; ; i++) {
            LuaValue e = t.rawget(i);
            if (e.isnil()) {
                break;
            }
            elems.add(convert(e, resp, depth + 1));
        }
        return Reply.array(elems);
    }

    /** @return the bytes of a Lua string (a copy) */
    public static byte[] bytes(LuaString s) {
        byte[] b = new byte[s.length()];
        s.copyInto(0, b, 0, b.length);
        return b;
    }

    private static String noCrLf(String s) {
        return s.replace('\r', ' ').replace('\n', ' ');
    }
}
