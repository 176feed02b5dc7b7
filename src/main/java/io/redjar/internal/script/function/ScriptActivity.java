package io.redjar.internal.script.function;

import io.redjar.Reply;

/**
 * What FUNCTION STATS and FUNCTION KILL need to know about the script running now (Redis's
 * {@code scriptIsRunning}, {@code scriptIsEval}, {@code scriptCurrFunction},
 * {@code scriptGetCaller}, {@code scriptRunDuration} and {@code scriptKill}); implemented by the
 * Lua runtime, which owns the busy-script machinery.
 *
 * <p><b>Thread-safety:</b> implementations are called from any session thread while a script runs
 * on another; they must be thread-safe.
 */
public interface ScriptActivity {
    /**
     * A script in execution.
     *
     * @param eval       whether it is an EVAL script (not a function)
     * @param name       the function name (for EVAL, Redis's {@code f_<sha>} name)
     * @param argv       the caller's command
     * @param durationMs how long it has been running
     */
    record Running(boolean eval, String name, byte[][] argv, long durationMs) {
    }

    /** @return the script running now, or null */
    Running running();

    /**
     * FUNCTION KILL (Redis's {@code scriptKill(c, 0)}): kills the running function.
     *
     * @return {@code +OK}, or Redis's error ({@code NOTBUSY No scripts in execution right now.},
     *         {@code BUSY ... use SCRIPT KILL ...} for an EVAL script, {@code UNKILLABLE ...} for a
     *         function that wrote)
     */
    Reply killFunction();

    /** No runtime: nothing ever runs. */
    ScriptActivity NONE = new ScriptActivity() {
        @Override
        public Running running() {
            return null;
        }

        @Override
        public Reply killFunction() {
            return Reply.error(io.redjar.ErrorPrefix.NOTBUSY, "No scripts in execution right now.");
        }
    };
}
