package io.redjar.internal.script;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * Lua error values the way Redis 7.0 builds them ({@code script_lua.c}'s {@code luaPushError},
 * {@code luaExtractErrorInformation}) and LuaJ's messages rewritten into C Lua's form.
 *
 * <p>LuaJ prefixes an error raised inside a Lua function with {@code "@user_script:1 "}; C Lua
 * writes {@code "user_script:1: "}, and only for errors raised by Lua code or
 * {@code luaL_error}. {@link #position} parses LuaJ's prefix (the error's position, which Redis's
 * error handler reports as {@code on @user_script:1.}) and {@link #rewrite} turns it into C
 * Lua's. An error raised by a Java function that Redis raises without a position starts with
 * {@link #BARE}, which {@link #rewrite} removes together with the position.
 *
 * <p><b>Thread-safety:</b> stateless.
 */
final class LuaErrors {
    /** Marks a message that C Lua would raise without a position. */
    static final char BARE = '\u0001';
    static final String READONLY = "Attempt to modify a readonly table";

    private LuaErrors() {
    }

    /** @return an error whose message carries no position once rewritten */
    static LuaError bare(String message) {
        return new LuaError(BARE + message);
    }

    /** @return the position {@code [source, line]} LuaJ prefixed to {@code msg}, or null */
    static String[] position(String msg) {
        if (msg == null) {
            return null;
        }
        int sp = msg.indexOf(' ');
        if (sp <= 0) {
            return null;
        }
        int colon = msg.lastIndexOf(':', sp);
        if (colon <= 0 || colon + 1 >= sp) {
            return null;
        }
        for (int i = colon + 1; i < sp; i++) {
            if (!Character.isDigit(msg.charAt(i))) {
                return null;
            }
        }
        if (msg.indexOf('\n') >= 0 && msg.indexOf('\n') < sp) {
            return null;
        }
        return new String[] {msg.substring(0, colon), msg.substring(colon + 1, sp)};
    }

    /** @return {@code msg} with LuaJ's position prefix in C Lua's form (or dropped for a bare error) */
    static String rewrite(String msg) {
        return rewrite(msg, null);
    }

    /**
     * {@link #rewrite(String)}, naming the failed operand as C Lua does where {@code hook} knows
     * the failed instruction ({@link ScriptHook#markError} ran for this error).
     */
    static String rewrite(String msg, ScriptHook hook) {
        String[] pos = position(msg);
        if (pos == null) {
            return msg.indexOf(BARE) >= 0 ? msg.replace(String.valueOf(BARE), "") : msg;
        }
        String rest = msg.substring(pos[0].length() + 1 + pos[1].length() + 1);
        if (!rest.isEmpty() && rest.charAt(0) == BARE) {
            return rest.substring(1);
        }
        String src = pos[0].startsWith("@") ? pos[0].substring(1) : pos[0];
        return src + ":" + pos[1] + ": " + runtimeMessage(rest, hook);
    }

    private static final java.util.regex.Pattern INDEX = java.util.regex.Pattern.compile("attempt to index \\? \\(a (\\w+) value\\)");
    private static final java.util.regex.Pattern ARITH = java.util.regex.Pattern.compile("attempt to perform arithmetic (?:__\\w+ )?on (\\w+)(?: and (\\w+))?");
    private static final java.util.regex.Pattern CONCAT = java.util.regex.Pattern.compile("attempt to concatenate (\\w+) and (\\w+)");
    private static final java.util.regex.Pattern COMPARE = java.util.regex.Pattern.compile("attempt to compare __\\w+ on (\\w+) and (\\w+)");
    private static final java.util.regex.Pattern CALL = java.util.regex.Pattern.compile("attempt to call (\\w+)");
    private static final java.util.regex.Pattern LENGTH = java.util.regex.Pattern.compile("attempt to get length of (\\w+)");
    private static final java.util.regex.Pattern SET_INDEX = java.util.regex.Pattern.compile("index expected, got (\\w+)");

    /**
     * LuaJ's runtime error texts in C Lua 5.1's words where the operand has no name
     * ({@code attempt to index a nil value}, {@code attempt to call a boolean value}, ...). C Lua
     * names locals, globals and fields ({@code local 'x'}); LuaJ cannot, so those differ.
     */
    static String runtimeMessage(String m) {
        return runtimeMessage(m, null);
    }

    /**
     * {@link #runtimeMessage(String)} with C Lua's names for the failed operand
     * ({@code attempt to call field 'f' (a nil value)}) where {@code hook} (nullable) knows the
     * failed instruction ({@link LuaNames}).
     */
    static String runtimeMessage(String m, ScriptHook hook) {
        java.util.regex.Matcher x;
        if ((x = INDEX.matcher(m)).matches() || (x = SET_INDEX.matcher(m)).matches()) {
            return typeError(hook, "index", "index", x.group(1));
        }
        if ((x = ARITH.matcher(m)).matches()) {
            String a = x.group(1);
            String b = x.group(2);
            String bad = b == null || !(a.equals("number") || a.equals("string")) ? a : b;
            String exact = hook == null ? null : hook.errorOperandType("arith");
            return typeError(hook, "arith", "perform arithmetic on", exact != null ? exact : bad);
        }
        if ((x = CONCAT.matcher(m)).matches()) {
            String a = x.group(1);
            String bad = a.equals("number") || a.equals("string") ? x.group(2) : a;
            String exact = hook == null ? null : hook.errorOperandType("concat");
            return typeError(hook, "concat", "concatenate", exact != null ? exact : bad);
        }
        if ((x = COMPARE.matcher(m)).matches()) {
            return x.group(1).equals(x.group(2)) ? "attempt to compare two " + x.group(1) + " values"
                : "attempt to compare " + x.group(1) + " with " + x.group(2);
        }
        if ((x = CALL.matcher(m)).matches()) {
            return typeError(hook, "call", "call", x.group(1));
        }
        if ((x = LENGTH.matcher(m)).matches()) {
            return typeError(hook, "length", "get length of", x.group(1));
        }
        return m;
    }

    /** C Lua's {@code luaG_typeerror}: {@code attempt to <verb> <kind> '<name>' (a <type> value)} or unnamed. */
    private static String typeError(ScriptHook hook, String kind, String verb, String type) {
        String name = hook == null ? null : hook.errorOperand(kind);
        return name == null ? "attempt to " + verb + " a " + type + " value"
            : "attempt to " + verb + " " + name + " (a " + type + " value)";
    }

    /**
     * Redis's {@code luaPushError}: {@code "-CODE msg"} keeps its code, anything else gets
     * {@code ERR}; trailing CR/LF trimmed. @return the error table {@code {err="CODE msg"}}
     */
    static LuaTable errorTable(String error) {
        String code;
        String msg;
        if (error.startsWith("-")) {
            int sp = error.indexOf(' ');
            if (sp < 0) {
                code = "ERR";
                msg = error.substring(1);
            } else {
                code = error.substring(1, sp);
                msg = error.substring(sp + 1);
            }
        } else {
            code = "ERR";
            msg = error;
        }
        int end = msg.length();
        int start = 0;
        while (end > 0 && (msg.charAt(end - 1) == '\r' || msg.charAt(end - 1) == '\n')) {
            end--;
        }
        while (start < end && (msg.charAt(start) == '\r' || msg.charAt(start) == '\n')) {
            start++;
        }
        LuaTable t = new LuaTable();
        t.set("err", LuaValue.valueOf(code + " " + msg.substring(start, end)));
        return t;
    }

    /** @return an error raising {@link #errorTable} of {@code error} */
    static LuaError raise(String error) {
        return new LuaError(errorTable(error));
    }
}
