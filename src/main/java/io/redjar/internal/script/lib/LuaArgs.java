package io.redjar.internal.script.lib;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * The parts of Lua 5.1's C API ({@code lauxlib}) that the libraries' argument handling depends
 * on, with Lua 5.1's conversions and error texts: {@code luaL_checknumber},
 * {@code luaL_checkinteger}, {@code luaL_optinteger}, {@code luaL_checklstring},
 * {@code luaL_argerror} ("bad argument #N to 'f' (msg)") and {@code luaL_typerror}
 * ("T expected, got U", with "no value" for a missing argument).
 *
 * <p>Design: numbers convert to strings with {@code "%.14g"} and strings to numbers with
 * {@link CNumbers#luaStr2d}, as Lua 5.1 does (LuaJ's own conversions differ in both directions).
 * The function name in an argument error is the library's field name, which is what Lua 5.1
 * reports for the usual call {@code lib.f(...)}. The thrown {@link LuaError} carries level 1, so
 * the runtime adds the calling script's position as a prefix, as Lua does.
 *
 * <p>Thread-safety: stateless; thread-safe.
 */
final class LuaArgs {
    /** Lua 5.1's LUAI_MAXCSTACK: the most stack slots a C function may use. */
    static final int MAX_C_STACK = 8000;

    private LuaArgs() {
    }

    /** {@code luaL_error}: an error whose message is {@code msg}. */
    static LuaError error(String msg) {
        return new LuaError(msg);
    }

    /** {@code luaL_argerror}. */
    static LuaError argError(int narg, String fname, String extramsg) {
        return new LuaError("bad argument #" + narg + " to '" + fname + "' (" + extramsg + ")");
    }

    /** The type name Lua 5.1 reports for argument {@code narg} ({@code "no value"} when absent). */
    static String typeName(Varargs args, int narg) {
        if (narg > args.narg()) {
            return "no value";
        }
        return args.arg(narg).typename();
    }

    /** {@code luaL_typerror}. */
    static LuaError typeError(Varargs args, int narg, String fname, String expected) {
        return argError(narg, fname, expected + " expected, got " + typeName(args, narg));
    }

    /** {@code lua_tonumber}: the number, or null when the value does not convert. */
    static Double toNumber(LuaValue v) {
        if (v.type() == LuaValue.TNUMBER) {
            return v.todouble();
        }
        if (v.type() == LuaValue.TSTRING) {
            LuaString s = (LuaString) v;
            return CNumbers.luaStr2d(s.m_bytes, s.m_offset, s.m_length);
        }
        return null;
    }

    /** {@code luaL_checknumber}. */
    static double checkNumber(Varargs args, int narg, String fname) {
        Double d = narg > args.narg() ? null : toNumber(args.arg(narg));
        if (d == null) {
            throw typeError(args, narg, fname, "number");
        }
        return d;
    }

    /** {@code luaL_checkinteger}: the number truncated as Lua 5.1 on x86-64 does. */
    static long checkInteger(Varargs args, int narg, String fname) {
        return CNumbers.cvttsd2si64(checkNumber(args, narg, fname));
    }

    /** {@code luaL_optinteger}: {@code def} when the argument is absent or nil. */
    static long optInteger(Varargs args, int narg, String fname, long def) {
        if (narg > args.narg() || args.arg(narg).isnil()) {
            return def;
        }
        return checkInteger(args, narg, fname);
    }

    /** {@code lua_tolstring}: the string, a number formatted as Lua does, or null. */
    static LuaString toLString(LuaValue v) {
        if (v.type() == LuaValue.TSTRING) {
            return (LuaString) v;
        }
        if (v.type() == LuaValue.TNUMBER) {
            return LuaString.valueOf(CNumbers.luaNumberToString(v.todouble()));
        }
        return null;
    }

    /** {@code luaL_checklstring}. */
    static LuaString checkLString(Varargs args, int narg, String fname) {
        LuaString s = narg > args.narg() ? null : toLString(args.arg(narg));
        if (s == null) {
            throw typeError(args, narg, fname, "string");
        }
        return s;
    }

    /** A Lua number for a C {@code lua_Number}: LuaJ's integer form when it is one. */
    static LuaValue number(double d) {
        return LuaValue.valueOf(d);
    }
}
