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
 * Redis's {@code struct} library (Roberto Ierusalimschy's struct.c 1.7,
 * {@code deps/lua/src/lua_struct.c}) on LuaJ: {@code struct.pack(fmt, ...)},
 * {@code struct.unpack(fmt, data [, pos])}, {@code struct.size(fmt)}.
 *
 * <p>Format: {@code >} big endian, {@code <} little endian (the default is the native order,
 * little endian on the x86-64 and ARM64 machines Redis runs on), {@code ![n]} alignment (default
 * 8), {@code x} padding byte, {@code b/B} byte, {@code h/H} short, {@code l/L} long (8),
 * {@code T} size_t (8), {@code i/I[n]} integer of n bytes (default 4, at most 32), {@code c[n]}
 * n chars (0: the whole string when packing, the previously unpacked number when unpacking),
 * {@code s} zero-terminated string, {@code f} float, {@code d} double, space ignored. Any other
 * character is "invalid format option" (but {@code struct.size} ignores unknown letters and
 * digits, as the C code does).
 *
 * <p>Design: integers are C {@code long} (64-bit) values; sizes over 8 bytes behave as on x86-64
 * (shifts past 63 bits: zero bytes when packing, the mask taken modulo 64 when unpacking); a
 * number converts to an integer with gcc's x86-64 conversions ({@link CNumbers}); a negative
 * offset wraps as C's {@code size_t} does. The stack limits of Lua 5.1 ("too many results") are
 * counted as the C code would meet them.
 *
 * <p>Thread-safety: stateless functions; thread-safe.
 */
public final class StructLib extends TwoArgFunction {
    private static final int BIG = 0;
    private static final int LITTLE = 1;
    private static final int NATIVE = LITTLE;
    private static final int MAXINTSIZE = 32;
    private static final int MAXALIGN = 8;

    /** Creates the library; {@code globals.load(new StructLib())} installs it as global {@code struct}. */
    public StructLib() {
    }

    @Override
    public LuaValue call(LuaValue modname, LuaValue env) {
        LuaTable struct = new LuaTable();
        LibFn.define(struct, "pack", StructLib::pack);
        LibFn.define(struct, "unpack", StructLib::unpack);
        LibFn.define(struct, "size", StructLib::size);
        env.set("struct", struct);
        return struct;
    }

    /** The format string and a cursor over it (a zero byte ends it, as in C). */
    private static final class Fmt {
        final byte[] b;
        int i;
        final int end;
        int endian = NATIVE;
        int align = 1;

        Fmt(LuaString s) {
            b = s.m_bytes;
            i = s.m_offset;
            end = s.m_offset + s.m_length;
        }

        int peek() {
            return i < end ? (b[i] & 0xff) : 0;
        }

        boolean more() {
            return peek() != 0;
        }

        int next() {
            return b[i++] & 0xff;
        }
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static int getnum(Fmt f, int df) {
        if (!isDigit(f.peek())) {
            return df;
        }
        int a = 0;
        do {
            int d = f.peek() - '0';
            if (a > Integer.MAX_VALUE / 10 || a * 10 > Integer.MAX_VALUE - d) {
                throw LuaArgs.error("integral size overflow");
            }
            a = a * 10 + d;
            f.i++;
        } while (isDigit(f.peek()));
        return a;
    }

    private static long optsize(int opt, Fmt f) {
        switch (opt) {
            case 'B': case 'b': case 'x':
                return 1;
            case 'H': case 'h':
                return 2;
            case 'L': case 'l': case 'T': case 'd':
                return 8;
            case 'f':
                return 4;
            case 'c':
                return getnum(f, 1);
            case 'i': case 'I': {
                int sz = getnum(f, 4);
                if (sz > MAXINTSIZE) {
                    throw LuaArgs.error("integral size " + sz + " is larger than limit of " + MAXINTSIZE);
                }
                return sz;
            }
            default:
                return 0;
        }
    }

    private static long gettoalign(long len, Fmt f, int opt, long size) {
        if (size == 0 || opt == 'c') {
            return 0;
        }
        if (size > f.align) {
            size = f.align;
        }
        return (size - (len & (size - 1))) & (size - 1);
    }

    private static void controloptions(int opt, Fmt f, String fname) {
        switch (opt) {
            case ' ':
                return;
            case '>':
                f.endian = BIG;
                return;
            case '<':
                f.endian = LITTLE;
                return;
            case '!': {
                int a = getnum(f, MAXALIGN);
                if (!(a > 0 && (a & (a - 1)) == 0)) {
                    throw LuaArgs.error("alignment " + a + " is not a power of 2");
                }
                f.align = a;
                return;
            }
            default:
                throw LuaArgs.argError(1, fname, "invalid format option '" + (char) opt + "'");
        }
    }

    private static void putinteger(ByteArrayOutputStream out, Varargs a, int arg, int endian, int size) {
        double n = LuaArgs.checkNumber(a, arg, "pack");
        long value = n < 0 ? CNumbers.cvttsd2si64(n) : CNumbers.toUnsigned64(n);
        byte[] buff = new byte[size];
        if (endian == LITTLE) {
            for (int i = 0; i < size; i++) {
                buff[i] = (byte) value;
                value = (i < 7) ? value >>> 8 : 0;
            }
        } else {
            for (int i = size - 1, k = 0; i >= 0; i--, k++) {
                buff[i] = (byte) value;
                value = (k < 7) ? value >>> 8 : 0;
            }
        }
        out.write(buff, 0, size);
    }

    private static void putBytes(ByteArrayOutputStream out, long bits, int size, int endian) {
        for (int k = 0; k < size; k++) {
            int shift = endian == LITTLE ? 8 * k : 8 * (size - 1 - k);
            out.write((int) (bits >>> shift));
        }
    }

    private static Varargs pack(Varargs args) {
        Fmt f = new Fmt(LuaArgs.checkLString(args, 1, "pack"));
        // b_pack pushes a nil above its arguments: the first missing value argument reads as nil
        LuaValue[] withMark = new LuaValue[args.narg() + 1];
        for (int i = 0; i < args.narg(); i++) {
            withMark[i] = args.arg(i + 1);
        }
        withMark[args.narg()] = LuaValue.NIL;
        Varargs a = LuaValue.varargsOf(withMark);
        int arg = 2;
        long totalsize = 0;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (f.more()) {
            int opt = f.next();
            long size = optsize(opt, f);
            long toalign = gettoalign(totalsize, f, opt, size);
            totalsize += toalign;
            while (toalign-- > 0) {
                out.write(0);
            }
            switch (opt) {
                case 'b': case 'B': case 'h': case 'H':
                case 'l': case 'L': case 'T': case 'i': case 'I':
                    putinteger(out, a, arg++, f.endian, (int) size);
                    break;
                case 'x':
                    out.write(0);
                    break;
                case 'f': {
                    float fl = (float) LuaArgs.checkNumber(a, arg++, "pack");
                    putBytes(out, Float.floatToRawIntBits(fl) & 0xffffffffL, 4, f.endian);
                    break;
                }
                case 'd': {
                    double d = LuaArgs.checkNumber(a, arg++, "pack");
                    putBytes(out, Double.doubleToRawLongBits(d), 8, f.endian);
                    break;
                }
                case 'c': case 's': {
                    LuaString s = LuaArgs.checkLString(a, arg++, "pack");
                    long l = s.m_length;
                    if (size == 0) {
                        size = l;
                    }
                    if (!(l >= size)) {
                        throw LuaArgs.argError(arg, "pack", "string too short");
                    }
                    out.write(s.m_bytes, s.m_offset, (int) size);
                    if (opt == 's') {
                        out.write(0);
                        size++;
                    }
                    break;
                }
                default:
                    controloptions(opt, f, "pack");
            }
            totalsize += size;
        }
        return LuaString.valueUsing(out.toByteArray());
    }

    private static double getinteger(byte[] buff, int off, int endian, boolean signed, int size) {
        long l = 0;
        if (endian == BIG) {
            for (int i = 0; i < size; i++) {
                l <<= 8;
                l |= buff[off + i] & 0xff;
            }
        } else {
            for (int i = size - 1; i >= 0; i--) {
                l <<= 8;
                l |= buff[off + i] & 0xff;
            }
        }
        if (!signed) {
            return unsignedToDouble(l);
        }
        long mask = -1L << (size * 8 - 1); // Java, like x86, takes the shift count modulo 64
        if ((l & mask) != 0) {
            l |= mask;
        }
        return (double) l;
    }

    private static double unsignedToDouble(long l) {
        if (l >= 0) {
            return (double) l;
        }
        return ((double) (l >>> 1 | (l & 1))) * 2.0;
    }

    private static Varargs unpack(Varargs a) {
        Fmt f = new Fmt(LuaArgs.checkLString(a, 1, "unpack"));
        LuaString data = LuaArgs.checkLString(a, 2, "unpack");
        long ld = data.m_length;
        long pos = LuaArgs.optInteger(a, 3, "unpack", 1);
        if (pos == 0) { // size_t: only 0 fails "pos > 0"
            throw LuaArgs.argError(3, "unpack", "offset must be 1 or greater");
        }
        pos--;
        int stackBase = a.narg();
        List<LuaValue> results = new ArrayList<>();
        while (f.more()) {
            int opt = f.next();
            long size = optsize(opt, f);
            pos += gettoalign(pos, f, opt, size);
            if (!(Long.compareUnsigned(size, ld) <= 0 && Long.compareUnsigned(pos, ld - size) <= 0)) {
                throw LuaArgs.argError(2, "unpack", "data string too short");
            }
            if (stackBase + results.size() + 2 > LuaArgs.MAX_C_STACK) {
                throw LuaArgs.error("stack overflow (too many results)");
            }
            int at = data.m_offset + (int) pos;
            switch (opt) {
                case 'b': case 'B': case 'h': case 'H':
                case 'l': case 'L': case 'T': case 'i': case 'I':
                    results.add(LuaArgs.number(getinteger(data.m_bytes, at, f.endian, Character.isLowerCase(opt), (int) size)));
                    break;
                case 'x':
                    break;
                case 'f': {
                    long bits = readBits(data.m_bytes, at, 4, f.endian);
                    results.add(LuaArgs.number(Float.intBitsToFloat((int) bits)));
                    break;
                }
                case 'd': {
                    long bits = readBits(data.m_bytes, at, 8, f.endian);
                    results.add(LuaArgs.number(Double.longBitsToDouble(bits)));
                    break;
                }
                case 'c': {
                    if (size == 0) {
                        Double prev = results.isEmpty() ? null : LuaArgs.toNumber(results.get(results.size() - 1));
                        if (prev == null) {
                            throw LuaArgs.error("format 'c0' needs a previous size");
                        }
                        size = CNumbers.toUnsigned64(prev);
                        results.remove(results.size() - 1);
                        if (!(Long.compareUnsigned(size, ld) <= 0 && Long.compareUnsigned(pos, ld - size) <= 0)) {
                            throw LuaArgs.argError(2, "unpack", "data string too short");
                        }
                    }
                    results.add(LuaString.valueOf(data.m_bytes, at, (int) size));
                    break;
                }
                case 's': {
                    int e = -1;
                    for (long k = pos; k < ld; k++) {
                        if (data.m_bytes[data.m_offset + (int) k] == 0) {
                            e = (int) k;
                            break;
                        }
                    }
                    if (e < 0) {
                        throw LuaArgs.error("unfinished string in data");
                    }
                    size = (e - pos) + 1;
                    results.add(LuaString.valueOf(data.m_bytes, at, (int) size - 1));
                    break;
                }
                default:
                    controloptions(opt, f, "unpack");
            }
            pos += size;
        }
        results.add(LuaValue.valueOf((double) (pos + 1)));
        return LuaValue.varargsOf(results.toArray(new LuaValue[0]));
    }

    private static long readBits(byte[] b, int at, int size, int endian) {
        long bits = 0;
        for (int k = 0; k < size; k++) {
            int idx = endian == BIG ? k : size - 1 - k;
            bits = (bits << 8) | (b[at + idx] & 0xff);
        }
        return bits;
    }

    private static Varargs size(Varargs a) {
        Fmt f = new Fmt(LuaArgs.checkLString(a, 1, "size"));
        long pos = 0;
        while (f.more()) {
            int opt = f.next();
            long size = optsize(opt, f);
            pos += gettoalign(pos, f, opt, size);
            if (opt == 's') {
                throw LuaArgs.argError(1, "size", "option 's' has no fixed size");
            } else if (opt == 'c' && size == 0) {
                throw LuaArgs.argError(1, "size", "option 'c0' has no fixed size");
            }
            boolean alnum = isDigit(opt) || ((opt | 0x20) >= 'a' && (opt | 0x20) <= 'z');
            if (!alnum) {
                controloptions(opt, f, "size");
            }
            pos += size;
        }
        return LuaValue.valueOf((double) pos);
    }
}
