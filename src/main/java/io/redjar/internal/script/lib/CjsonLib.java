package io.redjar.internal.script.lib;

import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.TwoArgFunction;

import java.util.List;

/**
 * Redis's {@code cjson} library (lua-cjson 2.1.0, {@code deps/lua/src/lua_cjson.c}) on LuaJ:
 * {@code encode}, {@code decode}, the settings {@code encode_sparse_array},
 * {@code encode_max_depth}, {@code decode_max_depth}, {@code encode_number_precision},
 * {@code encode_keep_buffer}, {@code encode_invalid_numbers}, {@code decode_invalid_numbers},
 * {@code new} (a fresh module table with its own settings), {@code null}, {@code _NAME} and
 * {@code _VERSION} — exactly what {@code pairs(cjson)} shows in Redis 7.0.
 *
 * <p>Design: each module table owns one {@link CjsonConfig}, shared by its functions (lua-cjson
 * keeps it as an upvalue). Encoding and decoding are {@link JsonEncoder} and
 * {@link JsonDecoder}. A setting function takes its new value(s) (nil leaves one unchanged) and
 * returns the current value(s), with lua-cjson's checks: "found too many arguments", "expected
 * integer between A and B" (always reported as argument #1, as the C code does), and
 * {@code luaL_checkoption}'s "invalid option 'x'".
 *
 * <p>{@link #NULL} stands for lua-cjson's {@code NULL} light userdata: one shared value, of Lua
 * type {@code userdata}, that {@code cjson.decode} returns for JSON {@code null}; a script
 * returning it gets a nil reply, as Redis converts a light userdata.
 *
 * <p>Thread-safety: the functions are as safe as the Lua state that owns them (settings are
 * per module table and unsynchronized); {@link #NULL} is immutable and shared.
 */
public final class CjsonLib extends TwoArgFunction {
    /** {@code cjson.null}: the value JSON {@code null} decodes to. */
    public static final LuaUserdata NULL = new LuaUserdata(new Object() {
        @Override
        public String toString() {
            return "cjson.null";
        }
    });

    /** Creates the library; {@code globals.load(new CjsonLib())} installs it as global {@code cjson}. */
    public CjsonLib() {
    }

    @Override
    public LuaValue call(LuaValue modname, LuaValue env) {
        LuaTable cjson = newModule();
        env.set("cjson", cjson);
        return cjson;
    }

    /** A new module table with default settings (what {@code cjson.new()} returns). */
    static LuaTable newModule() {
        CjsonConfig cfg = new CjsonConfig();
        LuaTable t = new LuaTable();
        LibFn.define(t, "encode", a -> {
            if (a.narg() != 1) {
                throw LuaArgs.argError(1, "encode", "expected 1 argument");
            }
            return new JsonEncoder(cfg).encode(a.arg1());
        });
        LibFn.define(t, "decode", a -> {
            if (a.narg() != 1) {
                throw LuaArgs.argError(1, "decode", "expected 1 argument");
            }
            LuaString json = LuaArgs.checkLString(a, 1, "decode");
            return new JsonDecoder(cfg, json).decode();
        });
        LibFn.define(t, "encode_sparse_array", a -> {
            argInit(a, 3, "encode_sparse_array");
            LuaValue convert = boolOption(a, 1, "encode_sparse_array", cfg.sparseConvert);
            cfg.sparseConvert = convert.toboolean();
            cfg.sparseRatio = intOption(a, 2, "encode_sparse_array", cfg.sparseRatio, 0, Integer.MAX_VALUE);
            cfg.sparseSafe = intOption(a, 3, "encode_sparse_array", cfg.sparseSafe, 0, Integer.MAX_VALUE);
            return LuaValue.varargsOf(convert, LuaValue.valueOf(cfg.sparseRatio), LuaValue.valueOf(cfg.sparseSafe));
        });
        LibFn.define(t, "encode_max_depth", a -> {
            argInit(a, 1, "encode_max_depth");
            cfg.encodeMaxDepth = intOption(a, 1, "encode_max_depth", cfg.encodeMaxDepth, 1, Integer.MAX_VALUE);
            return LuaValue.valueOf(cfg.encodeMaxDepth);
        });
        LibFn.define(t, "decode_max_depth", a -> {
            argInit(a, 1, "decode_max_depth");
            cfg.decodeMaxDepth = intOption(a, 1, "decode_max_depth", cfg.decodeMaxDepth, 1, Integer.MAX_VALUE);
            return LuaValue.valueOf(cfg.decodeMaxDepth);
        });
        LibFn.define(t, "encode_number_precision", a -> {
            argInit(a, 1, "encode_number_precision");
            cfg.encodeNumberPrecision = intOption(a, 1, "encode_number_precision", cfg.encodeNumberPrecision, 1, 14);
            return LuaValue.valueOf(cfg.encodeNumberPrecision);
        });
        LibFn.define(t, "encode_keep_buffer", a -> {
            argInit(a, 1, "encode_keep_buffer");
            LuaValue v = boolOption(a, 1, "encode_keep_buffer", cfg.encodeKeepBuffer);
            cfg.encodeKeepBuffer = v.toboolean();
            return v;
        });
        LibFn.define(t, "encode_invalid_numbers", a -> {
            argInit(a, 1, "encode_invalid_numbers");
            int s = enumOption(a, 1, "encode_invalid_numbers", cfg.encodeInvalidNumbers, List.of("off", "on", "null"));
            cfg.encodeInvalidNumbers = s;
            return s == CjsonConfig.INVALID_NULL ? LuaValue.valueOf("null") : LuaValue.valueOf(s == CjsonConfig.INVALID_ON);
        });
        LibFn.define(t, "decode_invalid_numbers", a -> {
            argInit(a, 1, "decode_invalid_numbers");
            LuaValue v = boolOption(a, 1, "decode_invalid_numbers", cfg.decodeInvalidNumbers);
            cfg.decodeInvalidNumbers = v.toboolean();
            return v;
        });
        LibFn.define(t, "new", a -> newModule());
        t.set("null", NULL);
        t.set("_NAME", "cjson");
        t.set("_VERSION", "2.1.0");
        return t;
    }

    private static void argInit(Varargs a, int args, String fname) {
        if (a.narg() > args) {
            throw LuaArgs.argError(args + 1, fname, "found too many arguments");
        }
    }

    private static boolean given(Varargs a, int i) {
        return i <= a.narg() && !a.arg(i).isnil();
    }

    private static int intOption(Varargs a, int i, String fname, int current, int min, int max) {
        if (!given(a, i)) {
            return current;
        }
        long v = (int) LuaArgs.checkInteger(a, i, fname); // lua_Integer stored into a C int
        if (!(min <= v && v <= max)) {
            throw LuaArgs.argError(1, fname, "expected integer between " + min + " and " + max);
        }
        return (int) v;
    }

    private static LuaValue boolOption(Varargs a, int i, String fname, boolean current) {
        int s = enumOption(a, i, fname, current ? 1 : 0, List.of("off", "on"));
        return LuaValue.valueOf(s == 1);
    }

    private static int enumOption(Varargs a, int i, String fname, int current, List<String> options) {
        if (!given(a, i)) {
            return current;
        }
        LuaValue v = a.arg(i);
        if (v.isboolean()) {
            return v.toboolean() ? 1 : 0;
        }
        LuaString name = LuaArgs.checkLString(a, i, fname);
        int idx = options.indexOf(name.tojstring());
        if (idx < 0) {
            throw LuaArgs.argError(i, fname, "invalid option '" + name.tojstring() + "'");
        }
        return idx;
    }
}
