package io.redjar.internal.script.lib;

import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code cjson.encode}: a Lua value to JSON text, byte for byte as lua-cjson 2.1.0 in Redis 7.0.
 *
 * <p>Rules: strings are copied byte by byte, escaping {@code "}, {@code \}, {@code /} (as
 * {@code \/}), the control characters ({@code \b \t \n \f \r}, the others as {@code &#92;u00XX}) and
 * DEL ({@code &#92;u007f}); other bytes, UTF-8 or not, pass through. Numbers are written with
 * {@code "%.<precision>g"}; NaN and infinities are an error, or {@code nan}/{@code inf}, or
 * {@code null}, by {@code encode_invalid_numbers}. A table is an array when all its keys are
 * integers >= 1 (a key 0 or a non-integer makes it an object) and it is not "excessively sparse"
 * (largest index above {@code ratio * count} and above {@code safe}: an error, or an object when
 * {@code encode_sparse_array} converts); holes encode as {@code null}; an empty table is
 * {@code {}}. Object keys must be strings or numbers (numbers are written as quoted numbers).
 * {@code nil} and {@code cjson.null} encode as {@code null}; functions, threads and other
 * userdata are "type not supported". Nesting beyond {@code encode_max_depth} (1000) fails with
 * "Cannot serialise, excessive nesting (N)", which also stops circular references.
 *
 * <p>Known difference: object members come out in LuaJ's table iteration order, which is not
 * Lua 5.1's; single-member objects, arrays and scalars are byte-identical.
 *
 * <p>Thread-safety: one instance per call; not thread-safe.
 */
final class JsonEncoder {
    private static final byte[][] ESCAPES = new byte[256][];

    static {
        for (int c = 0; c < 0x20; c++) {
            ESCAPES[c] = String.format("\\u%04x", c).getBytes(StandardCharsets.US_ASCII);
        }
        ESCAPES['\b'] = "\\b".getBytes(StandardCharsets.US_ASCII);
        ESCAPES['\t'] = "\\t".getBytes(StandardCharsets.US_ASCII);
        ESCAPES['\n'] = "\\n".getBytes(StandardCharsets.US_ASCII);
        ESCAPES['\f'] = "\\f".getBytes(StandardCharsets.US_ASCII);
        ESCAPES['\r'] = "\\r".getBytes(StandardCharsets.US_ASCII);
        ESCAPES['"'] = "\\\"".getBytes(StandardCharsets.US_ASCII);
        ESCAPES['/'] = "\\/".getBytes(StandardCharsets.US_ASCII);
        ESCAPES['\\'] = "\\\\".getBytes(StandardCharsets.US_ASCII);
        ESCAPES[0x7f] = "\\u007f".getBytes(StandardCharsets.US_ASCII);
    }

    private final CjsonConfig cfg;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

    JsonEncoder(CjsonConfig cfg) {
        this.cfg = cfg;
    }

    /** Encodes {@code value}; throws the Lua error lua-cjson raises. */
    LuaString encode(LuaValue value) {
        appendAll(value);
        return LuaString.valueUsing(out.toByteArray());
    }

    private static RuntimeException exception(LuaValue v, String reason) {
        return LuaArgs.error("Cannot serialise " + v.typename() + ": " + reason);
    }

    private void ascii(String s) {
        for (int i = 0; i < s.length(); i++) {
            out.write(s.charAt(i));
        }
    }

    private void appendString(LuaString s) {
        byte[] b = s.m_bytes;
        out.write('"');
        for (int i = s.m_offset, end = s.m_offset + s.m_length; i < end; i++) {
            byte[] esc = ESCAPES[b[i] & 0xff];
            if (esc != null) {
                out.write(esc, 0, esc.length);
            } else {
                out.write(b[i]);
            }
        }
        out.write('"');
    }

    private void appendNumber(LuaValue v) {
        double num = v.todouble();
        if (cfg.encodeInvalidNumbers == CjsonConfig.INVALID_OFF) {
            if (Double.isInfinite(num) || Double.isNaN(num)) {
                throw exception(v, "must not be NaN or Inf");
            }
        } else if (cfg.encodeInvalidNumbers == CjsonConfig.INVALID_ON) {
            if (Double.isNaN(num)) {
                ascii("nan");
                return;
            }
        } else if (Double.isInfinite(num) || Double.isNaN(num)) {
            ascii("null");
            return;
        }
        ascii(CNumbers.formatG(num, cfg.encodeNumberPrecision));
    }

    /** lua-cjson's {@code lua_array_length}: -1 for an object, else the array length (0: empty or object). */
    private int arrayLength(LuaTable t) {
        int max = 0;
        int items = 0;
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs n = t.next(k);
            k = n.arg1();
            if (k.isnil()) {
                break;
            }
            if (k.type() == LuaValue.TNUMBER) {
                double d = k.todouble();
                if (d != 0 && Math.floor(d) == d && d >= 1) {
                    if (d > max) {
                        max = CNumbers.cvttsd2si32(d);
                    }
                    items++;
                    continue;
                }
            }
            return -1;
        }
        if (cfg.sparseRatio > 0 && max > items * cfg.sparseRatio && max > cfg.sparseSafe) {
            if (!cfg.sparseConvert) {
                throw exception(t, "excessively sparse array");
            }
            return -1;
        }
        return max;
    }

    /** An open array ({@code len > 0}) or object ({@code len <= 0}) being written. */
    private static final class Open {
        final LuaTable table;
        final int len;
        final int depth;
        final int slots;
        int index;
        LuaValue key = LuaValue.NIL;
        boolean comma;

        Open(LuaTable table, int len, int depth, int slots) {
            this.table = table;
            this.len = len;
            this.depth = depth;
            this.slots = slots;
        }
    }

    /**
     * Appends {@code value} depth first, iteratively (nesting may be thousands deep when
     * {@code encode_max_depth} is raised). {@code slots} counts the Lua stack the C encoder would
     * use with the current value on top: it checks {@code lua_checkstack(l, 3)} at each table, so
     * 8000 slots also bound the nesting; an array element adds one slot, an object member two.
     */
    private void appendAll(LuaValue value) {
        java.util.ArrayDeque<Open> open = new java.util.ArrayDeque<>();
        LuaValue v = value;
        int depth = 0;
        int slots = 1;
        while (true) {
            if (v.type() == LuaValue.TTABLE) {
                depth++;
                if (depth > cfg.encodeMaxDepth || slots + 3 > LuaArgs.MAX_C_STACK) {
                    throw LuaArgs.error("Cannot serialise, excessive nesting (" + depth + ")");
                }
                LuaTable t = (LuaTable) v;
                int len = arrayLength(t);
                out.write(len > 0 ? '[' : '{');
                open.push(new Open(t, len, depth, slots));
            } else {
                appendScalar(v);
            }
            // the next value to write, closing finished containers
            while (true) {
                Open o = open.peek();
                if (o == null) {
                    return;
                }
                if (o.len > 0) {
                    if (o.index < o.len) {
                        if (o.index > 0) {
                            out.write(',');
                        }
                        o.index++;
                        v = o.table.rawget(o.index);
                        depth = o.depth;
                        slots = o.slots + 1;
                        break;
                    }
                    out.write(']');
                    open.pop();
                    continue;
                }
                Varargs n = o.table.next(o.key);
                o.key = n.arg1();
                if (o.key.isnil()) {
                    out.write('}');
                    open.pop();
                    continue;
                }
                if (o.comma) {
                    out.write(',');
                } else {
                    o.comma = true;
                }
                LuaValue k = o.key;
                if (k.type() == LuaValue.TNUMBER) {
                    out.write('"');
                    appendNumber(k);
                    ascii("\":");
                } else if (k.type() == LuaValue.TSTRING) {
                    appendString((LuaString) k);
                    out.write(':');
                } else {
                    throw exception(k, "table key must be a number or string");
                }
                v = n.arg(2);
                depth = o.depth;
                slots = o.slots + 2;
                break;
            }
        }
    }

    private void appendScalar(LuaValue v) {
        switch (v.type()) {
            case LuaValue.TSTRING:
                appendString((LuaString) v);
                break;
            case LuaValue.TNUMBER:
                appendNumber(v);
                break;
            case LuaValue.TBOOLEAN:
                ascii(v.toboolean() ? "true" : "false");
                break;
            case LuaValue.TNIL:
                ascii("null");
                break;
            default:
                if (v == CjsonLib.NULL) {
                    ascii("null");
                    break;
                }
                throw exception(v, "type not supported");
        }
    }
}
