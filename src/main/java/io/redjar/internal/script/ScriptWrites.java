package io.redjar.internal.script;

import io.redjar.RedJarException;
import io.redjar.internal.script.function.FunctionFlag;
import io.redjar.internal.script.function.FunctionInfo;
import io.redjar.internal.script.function.FunctionRegistry;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Whether an EVAL, EVALSHA or FCALL call may write, judged before it runs from the flags its
 * script declares (Redis 7.0's {@code evalGetCommandFlags} / {@code fcallGetCommandFlags} and
 * {@code scriptFlagsToCmdFlags}): a script without a shebang, an unknown SHA or function, or a
 * shebang that does not parse keeps the command's own {@code may-replicate}; a declared
 * {@code no-writes} clears it. CLIENT PAUSE WRITE holds the calls that may write.
 *
 * <p><b>Thread-safety:</b> stateless; reads the thread-safe script cache and function registry.
 */
public final class ScriptWrites {
    private ScriptWrites() {
    }

    /**
     * @param command the command's lower-case name ({@code eval}, {@code evalsha}, {@code fcall})
     * @param argv    the call as received (at least two arguments)
     * @return whether the call may write
     */
    public static boolean mayWrite(String command, byte[][] argv, ScriptCache cache, FunctionRegistry functions) {
        if (argv.length < 2) {
            return true;
        }
        int flags;
        switch (command) {
            case "eval" -> {
                try {
                    flags = ScriptCommands.shebangFlags(argv[1], new int[1]);
                } catch (RedJarException e) {
                    return true;
                }
            }
            case "evalsha" -> {
                ScriptCache.Entry e = argv[1].length == 40
                    ? cache.get(new String(argv[1], StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT)) : null;
                if (e == null) {
                    return true;
                }
                flags = e.flags();
            }
            case "fcall" -> {
                FunctionInfo f = functions.function(new String(argv[1], StandardCharsets.UTF_8));
                return f == null || !f.has(FunctionFlag.NO_WRITES);
            }
            default -> {
                return true;
            }
        }
        return (flags & ScriptFlags.EVAL_COMPAT) != 0 || (flags & ScriptFlags.NO_WRITES) == 0;
    }
}
