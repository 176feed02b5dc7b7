package io.redjar.internal.script.lib;

import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

import java.util.List;

/**
 * {@code cmsgpack.unpack}'s decoder: MessagePack bytes to Lua values as lua-cmsgpack 0.4.0 in
 * Redis 7.0 reads them.
 *
 * <p>Rules: nil, booleans, fixint, int/uint 8..64 (all numbers are doubles, so uint64 above
 * 2^63-1 reads as the signed value and 64-bit values round), float32, float64, fixstr and
 * str8/16/32, fixarray/array16/32 (tables 1..n), fixmap/map16/32. Anything else (bin, ext,
 * {@code 0xc1}) is "Bad data format in input."; a truncated value is "Missing bytes in input.".
 * A nil map value or array element leaves the entry out (a hole); a nil or NaN map key is
 * Lua's "table index is nil" / "table index is NaN" error, as {@code lua_settable} raises it.
 *
 * <p>Design: an explicit stack of open containers (no Java recursion, so nesting thousands deep
 * is safe) with a count of the Lua stack slots the C decoder would hold
 * (one per value already returned, two per open array, one or two per open map), so that
 * "too many return values at once" appears where Lua 5.1's 8000-slot limit puts it.
 *
 * <p>Thread-safety: one instance per call; not thread-safe.
 */
final class MsgpackDecoder {
    /** The input is shorter than the value it starts. */
    static final class Eof extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Eof() {
            super(null, null, false, false);
        }
    }

    /** The input has a byte that starts no value lua-cmsgpack knows. */
    static final class BadFormat extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadFormat() {
            super(null, null, false, false);
        }
    }

    private final byte[] b;
    private final int end;
    private int p;

    MsgpackDecoder(LuaString s, int offset) {
        this.b = s.m_bytes;
        this.p = s.m_offset + offset;
        this.end = s.m_offset + s.m_length;
    }

    /** Bytes not yet consumed. */
    int left() {
        return end - p;
    }

    private void need(long n) {
        if (left() < n) {
            throw new Eof();
        }
    }

    private int u8(int at) {
        return b[p + at] & 0xff;
    }

    private long be(int at, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | u8(at + i);
        }
        return v;
    }

    private LuaValue str(int hdr, long len) {
        need(hdr + len);
        LuaString s = LuaString.valueOf(b, p + hdr, (int) len);
        p += hdr + (int) len;
        return s;
    }

    /** An open array or map: the table being filled and what is left to read into it. */
    private static final class Open {
        final LuaTable table = new LuaTable();
        final boolean map;
        final int slots;
        long remaining;
        long index = 1;
        boolean haveKey;
        LuaValue key;

        Open(boolean map, long len, int slots) {
            this.map = map;
            this.remaining = len;
            this.slots = slots;
        }

        /** Stack slots in use while the next element (or map key) is decoded. */
        int childSlots() {
            return slots + (map && !haveKey ? 1 : 2);
        }
    }

    /**
     * Decodes one value (iteratively: nesting may be thousands deep). {@code slots} is the number
     * of Lua stack slots in use when the C decoder would call {@code luaL_checkstack(L, 1, ...)}
     * for it.
     */
    LuaValue decode(int slots) {
        java.util.ArrayDeque<Open> open = new java.util.ArrayDeque<>();
        int at = slots;
        while (true) {
            need(1);
            if (at + 1 > LuaArgs.MAX_C_STACK) {
                throw LuaArgs.error("stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)");
            }
            Object item = one(at);
            LuaValue v;
            if (item instanceof Open o) {
                if (!o.map && at + 2 > LuaArgs.MAX_C_STACK) {
                    throw LuaArgs.error("stack overflow (in function mp_decode_to_lua_array)");
                }
                if (o.remaining > 0) {
                    open.push(o);
                    at = o.childSlots();
                    continue;
                }
                v = o.table;
            } else {
                v = (LuaValue) item;
            }
            // hand v to the innermost open container; close the containers it completes
            while (true) {
                Open o = open.peek();
                if (o == null) {
                    return v;
                }
                if (o.map && !o.haveKey) {
                    o.key = v;
                    o.haveKey = true;
                    at = o.childSlots();
                    break;
                }
                if (o.map) {
                    if (o.key.isnil()) {
                        throw LuaArgs.error("table index is nil");
                    }
                    if (o.key.type() == LuaValue.TNUMBER && Double.isNaN(o.key.todouble())) {
                        throw LuaArgs.error("table index is NaN");
                    }
                    o.table.set(o.key, v);
                    o.haveKey = false;
                    o.key = null;
                } else {
                    o.table.set(LuaValue.valueOf((double) o.index++), v);
                }
                if (--o.remaining > 0) {
                    at = o.childSlots();
                    break;
                }
                open.pop();
                v = o.table;
            }
        }
    }

    /** Reads one scalar (a LuaValue) or the header of an array or map (an {@link Open}). */
    private Object one(int slots) {
        int c = u8(0);
        switch (c) {
            case 0xcc:
                need(2);
                return advance(2, LuaValue.valueOf(u8(1)));
            case 0xd0:
                need(2);
                return advance(2, LuaValue.valueOf((byte) u8(1)));
            case 0xcd:
                need(3);
                return advance(3, LuaValue.valueOf((int) be(1, 2)));
            case 0xd1:
                need(3);
                return advance(3, LuaValue.valueOf((short) be(1, 2)));
            case 0xce:
                need(5);
                return advance(5, LuaValue.valueOf((double) be(1, 4)));
            case 0xd2:
                need(5);
                return advance(5, LuaValue.valueOf((int) be(1, 4)));
            case 0xcf:
            case 0xd3:
                need(9);
                return advance(9, LuaValue.valueOf((double) be(1, 8)));
            case 0xc0:
                return advance(1, LuaValue.NIL);
            case 0xc3:
                return advance(1, LuaValue.TRUE);
            case 0xc2:
                return advance(1, LuaValue.FALSE);
            case 0xca:
                need(5);
                return advance(5, LuaValue.valueOf((double) Float.intBitsToFloat((int) be(1, 4))));
            case 0xcb:
                need(9);
                return advance(9, LuaValue.valueOf(Double.longBitsToDouble(be(1, 8))));
            case 0xd9:
                need(2);
                return str(2, u8(1));
            case 0xda:
                need(3);
                return str(3, be(1, 2));
            case 0xdb: {
                need(5);
                long l = be(1, 4);
                p += 5;
                return str(0, l);
            }
            case 0xdc:
            case 0xde: {
                need(3);
                long l = be(1, 2);
                p += 3;
                return new Open(c == 0xde, l, slots);
            }
            case 0xdd:
            case 0xdf: {
                need(5);
                long l = be(1, 4);
                p += 5;
                return new Open(c == 0xdf, l, slots);
            }
            default:
                if ((c & 0x80) == 0) {
                    return advance(1, LuaValue.valueOf(c));
                } else if ((c & 0xe0) == 0xe0) {
                    return advance(1, LuaValue.valueOf((byte) c));
                } else if ((c & 0xe0) == 0xa0) {
                    return str(1, c & 0x1f);
                } else if ((c & 0xf0) == 0x90 || (c & 0xf0) == 0x80) {
                    p++;
                    return new Open((c & 0xf0) == 0x80, c & 0xf, slots);
                }
                throw new BadFormat();
        }
    }

    private LuaValue advance(int n, LuaValue v) {
        p += n;
        return v;
    }

    /** Decodes up to {@code limit} top-level values into {@code out}; {@code base} stack slots are already used. */
    void decodeAll(long limit, int base, List<LuaValue> out) {
        for (long cnt = 0; left() > 0 && cnt < limit; cnt++) {
            out.add(decode(base + out.size()));
        }
    }
}
