package io.redjar.internal.script.lib;

import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

import java.io.ByteArrayOutputStream;

/**
 * {@code cjson.decode}: JSON text to a Lua value, as lua-cjson 2.1.0 in Redis 7.0 decodes it,
 * error texts included ("Expected X but found Y at character N", N counted from 1).
 *
 * <p>Design: a tokenizer over the bytes with C-string semantics (a zero byte ends the input,
 * as it does for the C code) and a parser with an explicit stack of open containers (no Java recursion). Strings accept any byte except the
 * quote and zero; escapes {@code \" \\ \/ \b \f \n \r \t &#92;uXXXX}, where a UTF-16 surrogate pair
 * becomes one 4-byte UTF-8 sequence and a lone or reversed surrogate is "invalid unicode escape
 * code". Numbers go through {@link CNumbers#strtod}, so with {@code decode_invalid_numbers} on
 * (the default) {@code +1}, {@code 0x10}, {@code 007}, {@code inf}, {@code nan} and
 * {@code Infinity} are numbers, as in Redis. {@code null} decodes to {@link CjsonLib#NULL}.
 * Nesting beyond {@code decode_max_depth} (1000), or beyond what Lua 5.1's 8000 stack slots hold
 * when that setting is raised, fails with "Found too many nested data structures (N) at
 * character M".
 *
 * <p>Known difference: LuaJ has no negative zero number value, so {@code -0} decodes to 0.
 *
 * <p>Thread-safety: one instance per call; not thread-safe.
 */
final class JsonDecoder {
    private enum Tok {
        T_OBJ_BEGIN, T_OBJ_END, T_ARR_BEGIN, T_ARR_END, T_STRING, T_NUMBER, T_BOOLEAN, T_NULL,
        T_COLON, T_COMMA, T_END, T_WHITESPACE, T_ERROR, T_UNKNOWN
    }

    private static final Tok[] CH2TOKEN = new Tok[256];
    private static final byte[] ESCAPE2CHAR = new byte[256];

    static {
        java.util.Arrays.fill(CH2TOKEN, Tok.T_ERROR);
        CH2TOKEN['{'] = Tok.T_OBJ_BEGIN;
        CH2TOKEN['}'] = Tok.T_OBJ_END;
        CH2TOKEN['['] = Tok.T_ARR_BEGIN;
        CH2TOKEN[']'] = Tok.T_ARR_END;
        CH2TOKEN[','] = Tok.T_COMMA;
        CH2TOKEN[':'] = Tok.T_COLON;
        CH2TOKEN[0] = Tok.T_END;
        CH2TOKEN[' '] = Tok.T_WHITESPACE;
        CH2TOKEN['\t'] = Tok.T_WHITESPACE;
        CH2TOKEN['\n'] = Tok.T_WHITESPACE;
        CH2TOKEN['\r'] = Tok.T_WHITESPACE;
        for (char c : "fiInNt\"+-0123456789".toCharArray()) {
            CH2TOKEN[c] = Tok.T_UNKNOWN;
        }
        ESCAPE2CHAR['"'] = '"';
        ESCAPE2CHAR['\\'] = '\\';
        ESCAPE2CHAR['/'] = '/';
        ESCAPE2CHAR['b'] = '\b';
        ESCAPE2CHAR['t'] = '\t';
        ESCAPE2CHAR['n'] = '\n';
        ESCAPE2CHAR['f'] = '\f';
        ESCAPE2CHAR['r'] = '\r';
        ESCAPE2CHAR['u'] = 'u';
    }

    private final CjsonConfig cfg;
    private final byte[] data;
    private final int base;
    private final int limit;
    private int ptr;
    private int depth;
    /** Lua stack slots the C decoder would be using (the JSON string, open tables, pending keys). */
    private int slots = 1;
    private final ByteArrayOutputStream tmp = new ByteArrayOutputStream();

    // the current token
    private Tok type;
    private int index;
    private String error;
    private LuaValue value;

    JsonDecoder(CjsonConfig cfg, LuaString json) {
        this.cfg = cfg;
        this.data = json.m_bytes;
        this.base = json.m_offset;
        this.limit = json.m_offset + json.m_length;
        this.ptr = base;
    }

    private int ch(int at) {
        return at < limit ? (data[at] & 0xff) : 0;
    }

    /** Decodes the whole text; throws the Lua error lua-cjson raises. */
    LuaValue decode() {
        int len = limit - base;
        if (len >= 2 && (ch(base) == 0 || ch(base + 1) == 0)) {
            throw LuaArgs.error("JSON parser does not support UTF-16 or UTF-32");
        }
        nextToken();
        LuaValue v = processValue();
        nextToken();
        if (type != Tok.T_END) {
            throw parseError("the end");
        }
        return v;
    }

    private void setError(String what) {
        type = Tok.T_ERROR;
        index = ptr - base;
        error = what;
    }

    private boolean startsWith(String word) {
        for (int k = 0; k < word.length(); k++) {
            if (ch(ptr + k) != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private void nextToken() {
        int c;
        while (true) {
            c = ch(ptr);
            type = CH2TOKEN[c];
            if (type != Tok.T_WHITESPACE) {
                break;
            }
            ptr++;
        }
        index = ptr - base;
        if (type == Tok.T_ERROR) {
            setError("invalid token");
            return;
        }
        if (type == Tok.T_END) {
            return;
        }
        if (type != Tok.T_UNKNOWN) {
            ptr++;
            return;
        }
        if (c == '"') {
            stringToken();
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            if (!cfg.decodeInvalidNumbers && isInvalidNumber()) {
                setError("invalid number");
                return;
            }
            numberToken();
        } else if (startsWith("true")) {
            type = Tok.T_BOOLEAN;
            value = LuaValue.TRUE;
            ptr += 4;
        } else if (startsWith("false")) {
            type = Tok.T_BOOLEAN;
            value = LuaValue.FALSE;
            ptr += 5;
        } else if (startsWith("null")) {
            type = Tok.T_NULL;
            ptr += 4;
        } else if (cfg.decodeInvalidNumbers && isInvalidNumber()) {
            numberToken();
        } else {
            setError("invalid token");
        }
    }

    private boolean isInvalidNumber() {
        int p = ptr;
        if (ch(p) == '+') {
            return true;
        }
        if (ch(p) == '-') {
            p++;
        }
        if (ch(p) == '0') {
            int c2 = ch(p + 1);
            return (c2 | 0x20) == 'x' || (c2 >= '0' && c2 <= '9');
        } else if (ch(p) <= '9') {
            return false;
        }
        return matchesIgnoreCase(p, "inf") || matchesIgnoreCase(p, "nan");
    }

    private boolean matchesIgnoreCase(int p, String word) {
        for (int k = 0; k < word.length(); k++) {
            int c = ch(p + k);
            if (c == 0 || Character.toLowerCase((char) c) != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private void numberToken() {
        type = Tok.T_NUMBER;
        CNumbers.Parsed p = CNumbers.strtod(data, ptr, limit);
        if (p.end() == ptr) {
            setError("invalid number");
        } else {
            value = LuaArgs.number(p.value());
            ptr = p.end();
        }
    }

    private static int hexdigit(int c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        c |= 0x20;
        if (c >= 'a' && c <= 'f') {
            return 10 + c - 'a';
        }
        return -1;
    }

    private int decodeHex4(int at) {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = hexdigit(ch(at + i));
            if (d < 0) {
                return -1;
            }
            v = (v << 4) | d;
        }
        return v;
    }

    /** Appends the UTF-8 of the escape at {@code ptr} ({@code \}{@code uXXXX}); false on error. */
    private boolean unicodeEscape() {
        int escapeLen = 6;
        int cp = decodeHex4(ptr + 2);
        if (cp < 0) {
            return false;
        }
        if ((cp & 0xF800) == 0xD800) {
            if ((cp & 0x400) != 0) {
                return false;
            }
            if (ch(ptr + escapeLen) != '\\' || ch(ptr + escapeLen + 1) != 'u') {
                return false;
            }
            int low = decodeHex4(ptr + 2 + escapeLen);
            if (low < 0 || (low & 0xFC00) != 0xDC00) {
                return false;
            }
            cp = (((cp & 0x3FF) << 10) | (low & 0x3FF)) + 0x10000;
            escapeLen = 12;
        }
        if (cp <= 0x7F) {
            tmp.write(cp);
        } else if (cp <= 0x7FF) {
            tmp.write((cp >> 6) | 0xC0);
            tmp.write((cp & 0x3F) | 0x80);
        } else if (cp <= 0xFFFF) {
            tmp.write((cp >> 12) | 0xE0);
            tmp.write(((cp >> 6) & 0x3F) | 0x80);
            tmp.write((cp & 0x3F) | 0x80);
        } else {
            tmp.write((cp >> 18) | 0xF0);
            tmp.write(((cp >> 12) & 0x3F) | 0x80);
            tmp.write(((cp >> 6) & 0x3F) | 0x80);
            tmp.write((cp & 0x3F) | 0x80);
        }
        ptr += escapeLen;
        return true;
    }

    private void stringToken() {
        ptr++;
        tmp.reset();
        int c;
        while ((c = ch(ptr)) != '"') {
            if (c == 0) {
                setError("unexpected end of string");
                return;
            }
            if (c == '\\') {
                int e = ESCAPE2CHAR[ch(ptr + 1)] & 0xff;
                if (e == 'u') {
                    if (unicodeEscape()) {
                        continue;
                    }
                    setError("invalid unicode escape code");
                    return;
                }
                if (e == 0) {
                    setError("invalid escape code");
                    return;
                }
                c = e;
                ptr++;
            }
            tmp.write(c);
            ptr++;
        }
        ptr++;
        type = Tok.T_STRING;
        value = LuaString.valueUsing(tmp.toByteArray());
    }

    private RuntimeException parseError(String expected) {
        String found = type == Tok.T_ERROR ? error : type.name();
        return LuaArgs.error("Expected " + expected + " but found " + found + " at character " + (index + 1));
    }

    private void descend(int needed) {
        depth++;
        if (depth > cfg.decodeMaxDepth || slots + needed > LuaArgs.MAX_C_STACK) {
            throw LuaArgs.error("Found too many nested data structures (" + depth + ") at character " + (ptr - base));
        }
    }

    /** An open array or object. */
    private static final class Open {
        final LuaTable table = new LuaTable();
        final boolean object;
        int index = 1;
        LuaValue key;

        Open(boolean object) {
            this.object = object;
        }
    }

    /** At an object key: checks it and the colon, reads the value's first token. */
    private void objectKey(Open o) {
        if (type != Tok.T_STRING) {
            throw parseError("object key string");
        }
        o.key = value;
        nextToken();
        if (type != Tok.T_COLON) {
            throw parseError("colon");
        }
        nextToken();
        slots++; // the key stays on the C stack while its value is parsed
    }

    /**
     * Parses the value starting at the current token, iteratively (nesting may be thousands deep
     * when {@code decode_max_depth} is raised), in the C parser's order of checks.
     */
    private LuaValue processValue() {
        java.util.ArrayDeque<Open> open = new java.util.ArrayDeque<>();
        while (true) {
            LuaValue v;
            switch (type) {
                case T_STRING:
                case T_NUMBER:
                case T_BOOLEAN:
                    v = value;
                    break;
                case T_NULL:
                    v = CjsonLib.NULL;
                    break;
                case T_OBJ_BEGIN:
                case T_ARR_BEGIN: {
                    boolean object = type == Tok.T_OBJ_BEGIN;
                    descend(object ? 3 : 2);
                    Open o = new Open(object);
                    slots++;
                    nextToken();
                    if (type == (object ? Tok.T_OBJ_END : Tok.T_ARR_END)) {
                        depth--;
                        slots--;
                        v = o.table;
                        break;
                    }
                    open.push(o);
                    if (object) {
                        objectKey(o);
                    }
                    continue;
                }
                default:
                    throw parseError("value");
            }
            // hand v to the innermost open container; close the ones it completes
            while (true) {
                Open o = open.peek();
                if (o == null) {
                    return v;
                }
                if (o.object) {
                    slots--;
                    o.table.rawset(o.key, v);
                } else {
                    o.table.rawset(o.index++, v);
                }
                nextToken();
                if (type == (o.object ? Tok.T_OBJ_END : Tok.T_ARR_END)) {
                    open.pop();
                    depth--;
                    slots--;
                    v = o.table;
                    continue;
                }
                if (type != Tok.T_COMMA) {
                    throw parseError(o.object ? "comma or object end" : "comma or array end");
                }
                nextToken();
                if (o.object) {
                    objectKey(o);
                }
                break;
            }
        }
    }
}
