package io.redjar.internal.script.lib;

import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.TwoArgFunction;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Redis's {@code cmsgpack} library (lua-cmsgpack 0.4.0, {@code deps/lua/src/lua_cmsgpack.c})
 * on LuaJ: {@code pack(...)}, {@code unpack(s)}, {@code unpack_one(s [, offset])},
 * {@code unpack_limit(s, limit [, offset])}, and the fields {@code _NAME}, {@code _VERSION},
 * {@code _COPYRIGHT}, {@code _DESCRIPTION}.
 *
 * <p>{@code pack} encodes each argument ({@link MsgpackEncoder}) and returns the concatenation;
 * no argument is "bad argument #0 to 'pack' (MessagePack pack needs input.)". {@code unpack}
 * returns every value in the string; {@code unpack_one} and {@code unpack_limit} return first the
 * offset to continue from ({@code -1} once the input is used up), then the values. Quirks kept:
 * {@code unpack_limit(s, 0)} (limit and offset both 0) decodes everything and returns no offset;
 * a negative limit or offset is "Invalid request to unpack with offset of O and limit of L."
 * where L is, as in the C code, the input's length; numbers are accepted as the input string
 * (converted with {@code %.14g}).
 *
 * <p>Thread-safety: stateless functions; thread-safe.
 */
public final class CmsgpackLib extends TwoArgFunction {
    /** Creates the library; {@code globals.load(new CmsgpackLib())} installs it as global {@code cmsgpack}. */
    public CmsgpackLib() {
    }

    @Override
    public LuaValue call(LuaValue modname, LuaValue env) {
        LuaTable t = new LuaTable();
        LibFn.define(t, "pack", CmsgpackLib::pack);
        LibFn.define(t, "unpack", a -> unpackFull(a, a.narg(), "unpack", 0, 0));
        LibFn.define(t, "unpack_one", a -> {
            long offset = LuaArgs.optInteger(a, 2, "unpack_one", 0);
            return unpackFull(a, 1, "unpack_one", 1, offset);
        });
        LibFn.define(t, "unpack_limit", a -> {
            long limit = LuaArgs.checkInteger(a, 2, "unpack_limit");
            long offset = LuaArgs.optInteger(a, 3, "unpack_limit", 0);
            return unpackFull(a, 1, "unpack_limit", limit, offset);
        });
        t.set("_NAME", "cmsgpack");
        t.set("_VERSION", "lua-cmsgpack 0.4.0");
        t.set("_COPYRIGHT", "Copyright (C) 2012, Salvatore Sanfilippo");
        t.set("_DESCRIPTION", "MessagePack C implementation for Lua");
        env.set("cmsgpack", t);
        return t;
    }

    private static Varargs pack(Varargs a) {
        int nargs = a.narg();
        if (nargs == 0) {
            throw LuaArgs.argError(0, "pack", "MessagePack pack needs input.");
        }
        if (nargs + nargs > LuaArgs.MAX_C_STACK) { // lua_checkstack(L, nargs) with nargs in use
            throw LuaArgs.argError(0, "pack", "Too many arguments for MessagePack pack.");
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 1; i <= nargs; i++) {
            MsgpackEncoder enc = new MsgpackEncoder();
            enc.encode(a.arg(i), 0);
            byte[] one = enc.bytes();
            all.write(one, 0, one.length);
        }
        return LuaString.valueUsing(all.toByteArray());
    }

    private static Varargs unpackFull(Varargs a, int stackBase, String fname, long limit, long offset) {
        LuaString s;
        if (a.narg() < 1 || (s = LuaArgs.toLString(a.arg(1))) == null) {
            throw LuaArgs.typeError(a, 1, fname, "string");
        }
        int len = s.m_length;
        boolean decodeAll = limit == 0 && offset == 0;
        if (offset < 0 || limit < 0) {
            throw LuaArgs.error("Invalid request to unpack with offset of " + (int) offset + " and limit of " + len + ".");
        } else if (offset > len) {
            throw LuaArgs.error("Start offset " + (int) offset + " greater than input length " + len + ".");
        }
        if (decodeAll) {
            limit = Integer.MAX_VALUE;
        }
        MsgpackDecoder dec = new MsgpackDecoder(s, (int) offset);
        List<LuaValue> values = new ArrayList<>();
        try {
            dec.decodeAll(limit, stackBase, values);
        } catch (MsgpackDecoder.Eof e) {
            throw LuaArgs.error("Missing bytes in input.");
        } catch (MsgpackDecoder.BadFormat e) {
            throw LuaArgs.error("Bad data format in input.");
        }
        if (!decodeAll) {
            if (stackBase + values.size() + 1 > LuaArgs.MAX_C_STACK) {
                throw LuaArgs.error("stack overflow (in function mp_unpack_full)");
            }
            long newOffset = len - dec.left();
            values.add(0, LuaValue.valueOf(dec.left() == 0 ? -1 : (double) newOffset));
        }
        return LuaValue.varargsOf(values.toArray(new LuaValue[0]));
    }
}
