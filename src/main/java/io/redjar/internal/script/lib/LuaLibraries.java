package io.redjar.internal.script.lib;

import org.luaj.vm2.Globals;

/**
 * Installs the four libraries Redis 7.0 gives every script, written in Java for LuaJ:
 * {@code cjson} ({@link CjsonLib}), {@code cmsgpack} ({@link CmsgpackLib}), {@code bit}
 * ({@link BitLib}) and {@code struct} ({@link StructLib}).
 *
 * <p>Each library follows the C original Redis bundles ({@code deps/lua/src/lua_cjson.c},
 * {@code lua_cmsgpack.c}, {@code lua_bit.c}, {@code lua_struct.c}): same functions, same
 * conversions, same error texts (the part after Lua's position prefix), proven against a real
 * {@code redis-server} by the differential tests. They need only a plain {@link Globals}: no
 * {@code package}, {@code luajava}, {@code os} or {@code io} library.
 *
 * <p>Known differences from Redis, all from LuaJ rather than the libraries: members of a table
 * with several non-array keys are encoded (cjson objects, cmsgpack maps) in LuaJ's iteration
 * order, not Lua 5.1's; LuaJ has no negative-zero number, so {@code cjson.decode("-0")} gives 0.
 * The position prefix of error messages ("user_script:1: ") is the runtime's.
 *
 * <p>Thread-safety: {@link #installAll} must be called before the {@code Globals} is shared;
 * the installed functions belong to that Lua state (only cjson keeps settings).
 */
public final class LuaLibraries {
    private LuaLibraries() {
    }

    /**
     * Sets the globals {@code cjson}, {@code cmsgpack}, {@code bit} and {@code struct} in
     * {@code g}, and nothing else.
     *
     * @param g the Lua state's globals
     */
    public static void installAll(Globals g) {
        g.load(new CjsonLib());
        g.load(new CmsgpackLib());
        g.load(new BitLib());
        g.load(new StructLib());
    }
}
