package io.redjar.internal.script.function;

import io.redjar.RedJarException;
import io.redjar.Reply;
import io.redjar.internal.command.ExecContext;

/**
 * The {@code LUA} function engine (Redis's {@code function_lua.c}).
 *
 * <p><b>Thread-safety:</b> see {@link FunctionEngine}.
 */
public final class LuaFunctionEngine implements FunctionEngine {
    /** Redis's {@code LUA_ENGINE_NAME}. */
    public static final String NAME = "LUA";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void create(LibraryInfo library, byte[] body, long timeoutMs) {
        throw new RedJarException("ERR Error compiling function: the Lua runtime is not available");
    }

    @Override
    public Reply call(ExecContext ctx, FunctionInfo function, byte[][] keys, byte[][] args, boolean readOnly) {
        throw new RedJarException("ERR the Lua runtime is not available");
    }
}
