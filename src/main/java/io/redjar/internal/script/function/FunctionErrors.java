package io.redjar.internal.script.function;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * Lua errors of the function engine as Redis 7.0 shapes them: errors raised by the engine's own
 * API are error tables {@code {err="ERR ..."}} without a position (Redis's {@code luaPushError}
 * + {@code luaError}); errors raised by Lua code are strings with C Lua's {@code source:line: }
 * prefix, to which {@link #message} adds {@code ERR } (Redis's
 * {@code luaExtractErrorInformation}).
 *
 * <p><b>Thread-safety:</b> stateless.
 */
final class FunctionErrors {
    private FunctionErrors() {
    }

    /** @return an error raising {@code {err="ERR <message>"}} */
    static LuaError raise(String message) {
        LuaTable t = new LuaTable();
        t.set("err", LuaValue.valueOf("ERR " + message));
        return new LuaError(t);
    }

    /** @return the error as Redis's {@code err_info.msg}: the table's {@code err}, else {@code ERR <text>} */
    static String message(LuaError e) {
        LuaValue o = e.getMessageObject();
        if (o != null && o.istable()) {
            LuaValue err = o.get("err");
            return err.isstring() ? err.tojstring() : "ERR unknown error";
        }
        return "ERR " + text(e);
    }

    /** @return a string error's text with LuaJ's {@code @chunk:line } prefix in C Lua's form */
    static String text(LuaError e) {
        String m = e.getMessage();
        if (m == null) {
            return "";
        }
        m = m.replace("\u0001", "");
        int sp = m.indexOf(' ');
        if (m.startsWith("@") && sp > 0) {
            String head = m.substring(1, sp);
            int colon = head.lastIndexOf(':');
            if (colon > 0 && colon + 1 < head.length() && head.substring(colon + 1).chars().allMatch(Character::isDigit)) {
                return head + ": " + m.substring(sp + 1);
            }
        }
        return m;
    }
}
