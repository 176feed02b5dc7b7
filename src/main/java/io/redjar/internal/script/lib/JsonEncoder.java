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
        appendData(value, 0);
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

    private void appendData(LuaValue v, int depth) {
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
            case LuaValue.TTABLE: {
                depth++;
                if (depth > cfg.encodeMaxDepth) {
                    throw LuaArgs.error("Cannot serialise, excessive nesting (" + depth + ")");
                }
                LuaTable t = (LuaTable) v;
                int len = arrayLength(t);
                if (len > 0) {
                    appendArray(t, depth, len);
                } else {
                    appendObject(t, depth);
                }
                break;
            }
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

    private void appendArray(LuaTable t, int depth, int len) {
        out.write('[');
        for (int i = 1; i <= len; i++) {
            if (i > 1) {
                out.write(',');
            }
            appendData(t.rawget(i), depth);
        }
        out.write(']');
    }

    private void appendObject(LuaTable t, int depth) {
        out.write('{');
        boolean comma = false;
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs n = t.next(k);
            k = n.arg1();
            if (k.isnil()) {
                break;
            }
            if (comma) {
                out.write(',');
            } else {
                comma = true;
            }
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
            appendData(n.arg(2), depth);
        }
        out.write('}');
    }
}
