package io.redjar.internal.script.lib;

import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.io.ByteArrayOutputStream;

/**
 * {@code cmsgpack.pack}'s encoder: Lua values to MessagePack bytes as lua-cmsgpack 0.4.0 in
 * Redis 7.0 writes them.
 *
 * <p>Rules: a string is fixstr/str8/str16/str32 by length (never bin). A number equal to a
 * 64-bit integer (and finite) is the smallest integer form (positive fixint, uint8..uint64 for
 * n >= 0; negative fixint, int8..int64 below 0; so -0.0 is 0); any other number is a float32
 * when converting it to float and back is exact (0.5, infinities), else a float64 (NaN included).
 * A table is an array when its keys are exactly 1..n (n = count; an empty table is an empty
 * array), else a map (array/map 16 and 32 headers above 15 and 65535 entries). Tables nested 16
 * deep are written as nil, which is how lua-cmsgpack survives circular references. nil,
 * functions, userdata (cjson.null included) and threads are nil ({@code 0xc0}).
 *
 * <p>Known difference: map entries come out in LuaJ's table iteration order, not Lua 5.1's.
 *
 * <p>Thread-safety: one instance per call; not thread-safe.
 */
final class MsgpackEncoder {
    static final int MAX_NESTING = 16;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

    /** The bytes written so far. */
    byte[] bytes() {
        return out.toByteArray();
    }

    private void be(long v, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) {
            out.write((int) (v >>> (8 * i)));
        }
    }

    void encode(LuaValue v, int level) {
        int t = v.type();
        if (t == LuaValue.TTABLE && level == MAX_NESTING) {
            t = LuaValue.TNIL;
        }
        switch (t) {
            case LuaValue.TSTRING:
                bytes((LuaString) v);
                break;
            case LuaValue.TBOOLEAN:
                out.write(v.toboolean() ? 0xc3 : 0xc2);
                break;
            case LuaValue.TNUMBER:
                number(v.todouble());
                break;
            case LuaValue.TTABLE:
                table((LuaTable) v, level);
                break;
            default:
                out.write(0xc0);
        }
    }

    private void bytes(LuaString s) {
        int len = s.m_length;
        if (len < 32) {
            out.write(0xa0 | len);
        } else if (len <= 0xff) {
            out.write(0xd9);
            be(len, 1);
        } else if (len <= 0xffff) {
            out.write(0xda);
            be(len, 2);
        } else {
            out.write(0xdb);
            be(len, 4);
        }
        out.write(s.m_bytes, s.m_offset, len);
    }

    private void number(double n) {
        if (!Double.isInfinite(n) && CNumbers.cvttsd2si64(n) == n) {
            integer(CNumbers.cvttsd2si64(n));
            return;
        }
        float f = (float) n;
        if (n == (double) f) {
            out.write(0xca);
            be(Float.floatToRawIntBits(f) & 0xffffffffL, 4);
        } else {
            out.write(0xcb);
            be(Double.doubleToRawLongBits(n), 8);
        }
    }

    private void integer(long n) {
        if (n >= 0) {
            if (n <= 127) {
                out.write((int) n);
            } else if (n <= 0xff) {
                out.write(0xcc);
                be(n, 1);
            } else if (n <= 0xffff) {
                out.write(0xcd);
                be(n, 2);
            } else if (n <= 0xffffffffL) {
                out.write(0xce);
                be(n, 4);
            } else {
                out.write(0xcf);
                be(n, 8);
            }
        } else {
            if (n >= -32) {
                out.write((int) n);
            } else if (n >= -128) {
                out.write(0xd0);
                be(n, 1);
            } else if (n >= -32768) {
                out.write(0xd1);
                be(n, 2);
            } else if (n >= -2147483648L) {
                out.write(0xd2);
                be(n, 4);
            } else {
                out.write(0xd3);
                be(n, 8);
            }
        }
    }

    private void header(long n, int fix, int h16, int h32) {
        if (n <= 15) {
            out.write(fix | (int) n);
        } else if (n <= 65535) {
            out.write(h16);
            be(n, 2);
        } else {
            out.write(h32);
            be(n, 4);
        }
    }

    /** lua-cmsgpack's {@code table_is_an_array}: -1 when not an array, else the element count. */
    private static int arrayCount(LuaTable t) {
        int count = 0;
        int max = 0;
        LuaValue k = LuaValue.NIL;
        while (true) {
            k = t.next(k).arg1();
            if (k.isnil()) {
                break;
            }
            if (k.type() != LuaValue.TNUMBER) {
                return -1;
            }
            double n = k.todouble();
            if (n <= 0 || Double.isInfinite(n) || CNumbers.cvttsd2si32(n) != n) {
                return -1;
            }
            max = n > max ? (int) n : max;
            count++;
        }
        return max == count ? count : -1;
    }

    private void table(LuaTable t, int level) {
        int count = arrayCount(t);
        if (count >= 0) {
            header(count, 0x90, 0xdc, 0xdd);
            for (int j = 1; j <= count; j++) {
                encode(t.get(j), level + 1);
            }
            return;
        }
        long len = 0;
        LuaValue k = LuaValue.NIL;
        while (!(k = t.next(k).arg1()).isnil()) {
            len++;
        }
        header(len, 0x80, 0xde, 0xdf);
        k = LuaValue.NIL;
        while (true) {
            Varargs n = t.next(k);
            k = n.arg1();
            if (k.isnil()) {
                break;
            }
            encode(k, level + 1);
            encode(n.arg(2), level + 1);
        }
    }
}
