package io.redjar.internal.script;

/**
 * Thrown by the instruction hook into a script that SCRIPT KILL / FUNCTION KILL stopped. An
 * {@link Error}, not a {@code LuaError}, so that neither {@code pcall} nor LuaJ's own handlers
 * (which catch {@code LuaError} and {@code Exception}) can swallow it.
 *
 * <p><b>Thread-safety:</b> immutable, stackless.
 */
final class ScriptKilled extends Error {
    ScriptKilled() {
        super("Script killed by user with SCRIPT KILL...", null, false, false);
    }
}
