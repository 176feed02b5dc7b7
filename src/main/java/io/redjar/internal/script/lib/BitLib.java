package io.redjar.internal.script.lib;

import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.TwoArgFunction;

/**
 * Redis's {@code bit} library (LuaBitOp 1.0.2, {@code deps/lua/src/lua_bit.c}) on LuaJ:
 * {@code tobit tohex bnot band bor bxor lshift rshift arshift rol ror bswap}.
 *
 * <p>Design: every argument becomes a 32-bit integer exactly as LuaBitOp does on doubles: add
 * 2^52+2^51 and keep the low 32 bits of the IEEE representation (rounding half to even, modulo
 * 2^32); a value that is not a number (or a numeric string) fails with "number expected" (the
 * value 0 is the tell, as in the C code). Results are the signed 32-bit value as a Lua number.
 * Shift counts use their low 5 bits. {@code band/bor/bxor} convert the first argument, then the
 * others from the last to the second, so an error names the argument LuaBitOp names.
 *
 * <p>Thread-safety: stateless functions; thread-safe.
 */
public final class BitLib extends TwoArgFunction {
    /** Creates the library; {@code globals.load(new BitLib())} installs it as global {@code bit}. */
    public BitLib() {
    }

    @Override
    public LuaValue call(LuaValue modname, LuaValue env) {
        LuaTable bit = new LuaTable();
        LibFn.define(bit, "tobit", a -> ret(barg(a, 1, "tobit")));
        LibFn.define(bit, "bnot", a -> ret(~barg(a, 1, "bnot")));
        LibFn.define(bit, "band", a -> fold(a, "band", 0));
        LibFn.define(bit, "bor", a -> fold(a, "bor", 1));
        LibFn.define(bit, "bxor", a -> fold(a, "bxor", 2));
        LibFn.define(bit, "lshift", a -> {
            int b = barg(a, 1, "lshift");
            return ret(b << (barg(a, 2, "lshift") & 31));
        });
        LibFn.define(bit, "rshift", a -> {
            int b = barg(a, 1, "rshift");
            return ret(b >>> (barg(a, 2, "rshift") & 31));
        });
        LibFn.define(bit, "arshift", a -> {
            int b = barg(a, 1, "arshift");
            return ret(b >> (barg(a, 2, "arshift") & 31));
        });
        LibFn.define(bit, "rol", a -> {
            int b = barg(a, 1, "rol");
            return ret(Integer.rotateLeft(b, barg(a, 2, "rol") & 31));
        });
        LibFn.define(bit, "ror", a -> {
            int b = barg(a, 1, "ror");
            return ret(Integer.rotateRight(b, barg(a, 2, "ror") & 31));
        });
        LibFn.define(bit, "bswap", a -> ret(Integer.reverseBytes(barg(a, 1, "bswap"))));
        LibFn.define(bit, "tohex", BitLib::tohex);
        env.set("bit", bit);
        return bit;
    }

    private static LuaValue ret(int b) {
        return LuaValue.valueOf(b);
    }

    private static Varargs fold(Varargs a, String name, int op) {
        int b = barg(a, 1, name);
        for (int i = a.narg(); i > 1; i--) {
            int x = barg(a, i, name);
            b = op == 0 ? b & x : op == 1 ? b | x : b ^ x;
        }
        return ret(b);
    }

    private static Varargs tohex(Varargs a) {
        int b = barg(a, 1, "tohex");
        int n = a.narg() < 2 ? 8 : barg(a, 2, "tohex");
        String digits = "0123456789abcdef";
        if (n < 0) {
            n = -n;
            digits = "0123456789ABCDEF";
        }
        if (n > 8 || n < 0) { // -INT_MIN stays negative; Redis's build treats it as above 8
            n = 8;
        }
        byte[] buf = new byte[n];
        for (int i = n; --i >= 0;) {
            buf[i] = (byte) digits.charAt(b & 15);
            b >>>= 4;
        }
        return LuaString.valueUsing(buf);
    }

    /** LuaBitOp's {@code barg}: argument {@code narg} as a 32-bit integer. */
    static int barg(Varargs a, int narg, String fname) {
        Double n = narg > a.narg() ? null : LuaArgs.toNumber(a.arg(narg));
        if (n == null) {
            throw LuaArgs.typeError(a, narg, fname, "number");
        }
        return (int) Double.doubleToRawLongBits(n + 6755399441055744.0);
    }
}
