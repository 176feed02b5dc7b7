package io.redjar.internal.script.lib;

import org.luaj.vm2.LuaTable;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * One library function: a name (used in argument errors and by {@code tostring}) and a body
 * taking the call's arguments (explicit trailing nils included, as {@code lua_gettop} counts
 * them) and returning its results.
 *
 * <p>Thread-safety: as thread-safe as its body; the libraries' bodies keep no state except
 * cjson's configuration, which belongs to one Lua state.
 */
final class LibFn extends VarArgFunction {
    /** A function body. */
    @FunctionalInterface
    interface Body {
        Varargs call(Varargs args);
    }

    private final Body body;

    private LibFn(String name, Body body) {
        this.name = name;
        this.body = body;
    }

    /** Sets {@code table[name]} to a new function running {@code body}. */
    static void define(LuaTable table, String name, Body body) {
        table.set(name, new LibFn(name, body));
    }

    @Override
    public Varargs invoke(Varargs args) {
        return body.call(args);
    }
}
