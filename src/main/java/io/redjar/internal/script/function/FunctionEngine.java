package io.redjar.internal.script.function;

import io.redjar.Reply;
import io.redjar.internal.command.ExecContext;

/**
 * A function engine (Redis's {@code engine} struct of {@code functions.h}): compiles a library's
 * code, letting it register functions, and calls a registered function. RedJar has one, the Lua
 * engine ({@code "LUA"}); the registry looks engines up by name, case-insensitively.
 *
 * <p><b>Thread-safety:</b> implementations must be thread-safe: {@link #create} is called under
 * the registry's write lock, {@link #call} from any session thread.
 */
public interface FunctionEngine {
    /** @return the engine name as FUNCTION LIST and FUNCTION STATS show it (Redis: {@code LUA}) */
    String name();

    /**
     * Runs the library's load code (Redis's {@code engine->create}), which registers functions in
     * {@code library} through {@link LibraryInfo#register}.
     *
     * @param body      the code after the shebang line, starting with its newline
     * @param timeoutMs the load time limit (Redis: 500 ms for FUNCTION LOAD, 0 = none when loading
     *                  from a payload)
     * @throws io.redjar.RedJarException with Redis's error for a compile error, a runtime error,
     *         a refused API call or a timeout
     */
    void create(LibraryInfo library, byte[] body, long timeoutMs);

    /**
     * Calls {@code function} (Redis's {@code engine->call}) for FCALL / FCALL_RO.
     *
     * @param argv     the caller's whole command (FUNCTION STATS shows it)
     * @param readOnly whether the caller is FCALL_RO (writes are refused)
     * @return the function's reply
     */
    Reply call(ExecContext ctx, FunctionInfo function, byte[][] argv, byte[][] keys, byte[][] args, boolean readOnly);
}
