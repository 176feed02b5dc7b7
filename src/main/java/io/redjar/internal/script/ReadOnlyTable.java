package io.redjar.internal.script;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * A Lua table that refuses every change once {@link #lock() locked}: Redis 7.0's
 * {@code lua_enablereadonlytable}, applied to the library tables a script sees ({@code redis},
 * {@code string}, {@code table}, {@code math}, ...). Assignment, {@code rawset} and
 * {@code setmetatable} raise {@code Attempt to modify a readonly table}.
 *
 * <p><b>Thread-safety:</b> filled by one thread before it is published; read-only afterwards.
 */
final class ReadOnlyTable extends LuaTable {
    private boolean locked;

    /** Copies {@code from}'s entries into a new, still writable table. */
    static ReadOnlyTable copyOf(LuaValue from) {
        ReadOnlyTable t = new ReadOnlyTable();
        LuaValue k = LuaValue.NIL;
        while (true) {
            org.luaj.vm2.Varargs n = from.next(k);
            if ((k = n.arg1()).isnil()) {
                break;
            }
            t.rawset(k, n.arg(2));
        }
        return t;
    }

    /** Refuses every change from now on. */
    ReadOnlyTable lock() {
        locked = true;
        return this;
    }

    @Override
    public void rawset(LuaValue key, LuaValue value) {
        check();
        super.rawset(key, value);
    }

    @Override
    public void rawset(int key, LuaValue value) {
        check();
        super.rawset(key, value);
    }

    @Override
    public LuaValue setmetatable(LuaValue metatable) {
        if (locked) {
            throw LuaErrors.bare(LuaErrors.READONLY);
        }
        return super.setmetatable(metatable);
    }

    private void check() {
        if (locked) {
            throw new LuaError(LuaErrors.READONLY);
        }
    }
}
