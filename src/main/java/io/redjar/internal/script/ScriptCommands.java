package io.redjar.internal.script;

import io.redjar.RedJarException;
import io.redjar.Reply;
import io.redjar.internal.command.CommandTable;
import io.redjar.internal.command.ExecContext;
import io.redjar.internal.command.GetKeysProc;
import io.redjar.internal.command.IntrospectionCommands;
import io.redjar.internal.util.Numbers;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static io.redjar.internal.command.CommandFlag.ALLOW_BUSY;
import static io.redjar.internal.command.CommandFlag.LOADING;
import static io.redjar.internal.command.CommandFlag.NOSCRIPT;
import static io.redjar.internal.command.CommandFlag.NO_MANDATORY_KEYS;
import static io.redjar.internal.command.CommandFlag.READONLY;
import static io.redjar.internal.command.CommandFlag.SKIP_MONITOR;
import static io.redjar.internal.command.CommandFlag.STALE;
import static io.redjar.internal.command.KeyFlag.ACCESS;
import static io.redjar.internal.command.KeyFlag.RO;
import static io.redjar.internal.command.KeyFlag.RW;
import static io.redjar.internal.command.KeyFlag.UPDATE;
import static io.redjar.internal.command.KeySpec.index;

/**
 * EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT (Redis 7.0's {@code eval.c}): the script cache,
 * {@code #!lua} shebang flags, numkeys checks, and the run through {@link ScriptRuntime#run}.
 *
 * <p><b>Thread-safety:</b> handlers run on the caller's thread (or the script thread); state is
 * the runtime's and the cache's.
 */
public final class ScriptCommands {
    private static final String G = "scripting";
    private static final String RW_NOTES = "We cannot tell how the keys will be used so we assume the worst, RW and UPDATE";
    private static final String RO_NOTES = "We cannot tell how the keys will be used so we assume the worst, RO and ACCESS";
    private static final String[] HELP = {
        "SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "DEBUG (YES|SYNC|NO)",
        "    Set the debug mode for subsequent scripts executed.",
        "EXISTS <sha1> [<sha1> ...]",
        "    Return information about the existence of the scripts in the script cache.",
        "FLUSH [ASYNC|SYNC]",
        "    Flush the Lua scripts cache. Very dangerous on replicas.",
        "    When called without the optional mode argument, the behavior is determined by the",
        "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
        "    * ASYNC: Asynchronously flush the scripts cache.",
        "    * SYNC: Synchronously flush the scripts cache.",
        "KILL",
        "    Kill the currently executing Lua script.",
        "LOAD <script>",
        "    Load a script into the scripts cache without executing it.",
        "HELP",
        "    Prints this help.",
    };

    private ScriptCommands() {
    }

    /** Adds the scripting commands to {@code t}. */
    public static void register(CommandTable t, ScriptRuntime rt, ScriptCache cache) {
        t.add("eval", -3).flags(NOSCRIPT, SKIP_MONITOR, io.redjar.internal.command.CommandFlag.MAY_REPLICATE, NO_MANDATORY_KEYS, STALE)
            .keySpecs(index(2).keynum(0, 1, 1).flags(RW, ACCESS, UPDATE).notes(RW_NOTES)).getKeys(GetKeysProc.NUMKEYS_AT_2)
            .doc(G, "Execute a Lua script server side")
            .handler((c, a) -> eval(rt, cache, c, a, false, false));
        t.add("evalsha", -3).flags(NOSCRIPT, SKIP_MONITOR, io.redjar.internal.command.CommandFlag.MAY_REPLICATE, NO_MANDATORY_KEYS, STALE)
            .keySpecs(index(2).keynum(0, 1, 1).flags(RW, ACCESS, UPDATE)).getKeys(GetKeysProc.NUMKEYS_AT_2)
            .doc(G, "Execute a Lua script server side")
            .handler((c, a) -> eval(rt, cache, c, a, true, false));
        t.add("eval_ro", -3).flags(READONLY, NOSCRIPT, SKIP_MONITOR, NO_MANDATORY_KEYS, STALE)
            .keySpecs(index(2).keynum(0, 1, 1).flags(RO, ACCESS).notes(RO_NOTES)).getKeys(GetKeysProc.NUMKEYS_AT_2)
            .doc(G, "Execute a read-only Lua script server side")
            .handler((c, a) -> eval(rt, cache, c, a, false, true));
        t.add("evalsha_ro", -3).flags(READONLY, NOSCRIPT, SKIP_MONITOR, NO_MANDATORY_KEYS, STALE)
            .keySpecs(index(2).keynum(0, 1, 1).flags(RO, ACCESS)).getKeys(GetKeysProc.NUMKEYS_AT_2)
            .doc(G, "Execute a read-only Lua script server side")
            .handler((c, a) -> eval(rt, cache, c, a, true, true));
        t.add("script", -2).doc(G, "A container for Lua scripts management commands").handler((c, a) -> {
            throw new IllegalStateException("container command");
        });
        t.addSub("script", "help", 2).flags(LOADING, STALE).doc(G, "Show helpful text about the different subcommands")
            .handler((c, a) -> IntrospectionCommands.help(HELP));
        t.addSub("script", "flush", -2).flags(NOSCRIPT)
            .tips("request_policy:all_nodes", "response_policy:all_succeeded")
            .doc(G, "Remove all the scripts from the script cache")
            .handler((c, a) -> flush(rt, cache, a));
        t.addSub("script", "exists", -3).flags(NOSCRIPT)
            .tips("request_policy:all_shards", "response_policy:agg_logical_and")
            .doc(G, "Check existence of scripts in the script cache")
            .handler((c, a) -> {
                List<Reply> out = new ArrayList<>(a.length - 2);
                for (int i = 2; i < a.length; i++) {
                    out.add(cache.get(lowerSha(a[i])) != null ? Reply.ONE : Reply.ZERO);
                }
                return Reply.array(out);
            });
        t.addSub("script", "debug", 3).flags(NOSCRIPT).doc(G, "Set the debug mode for executed scripts")
            .handler((c, a) -> {
                String mode = new String(a[2], StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
                if (mode.equals("no")) {
                    return Reply.OK;
                }
                if (mode.equals("yes") || mode.equals("sync")) {
                    throw new RedJarException("ERR RedJar has no Lua debugger");
                }
                throw new RedJarException("ERR Use SCRIPT DEBUG YES/SYNC/NO");
            });
        t.addSub("script", "kill", 2).flags(NOSCRIPT, ALLOW_BUSY)
            .tips("request_policy:all_shards", "response_policy:one_succeeded")
            .doc(G, "Kill the script currently in execution")
            .handler((c, a) -> rt.kill(false));
        t.addSub("script", "load", 3).flags(NOSCRIPT, STALE)
            .tips("request_policy:all_nodes", "response_policy:all_succeeded")
            .doc(G, "Load a script into the scripts cache without executing it")
            .handler((c, a) -> Reply.bulk(load(rt, cache, a[2]).sha()));
    }

    private static Reply flush(ScriptRuntime rt, ScriptCache cache, byte[][] a) {
        if (a.length > 3) {
            throw new RedJarException("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
        }
        if (a.length == 3) {
            String m = new String(a[2], StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
            if (!m.equals("sync") && !m.equals("async")) {
                throw new RedJarException("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
            }
        }
        cache.clear();
        rt.resetEvalSandbox();
        return Reply.OK;
    }

    private static String lowerSha(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
    }

    /** Compiles and caches {@code body} (EVAL, SCRIPT LOAD): Redis's {@code luaCreateFunction}. */
    static ScriptCache.Entry load(ScriptRuntime rt, ScriptCache cache, byte[] body) {
        String sha = RedisLib.sha1hex(body);
        ScriptCache.Entry e = cache.get(sha);
        if (e != null) {
            return e;
        }
        int[] shebangLen = new int[1];
        int flags = shebangFlags(body, shebangLen);
        byte[] code = body;
        if (shebangLen[0] > 0) {
            code = Arrays.copyOfRange(body, shebangLen[0], body.length);
        }
        LuaSandbox sb = rt.evalSandbox();
        LuaFunction fn;
        try {
            fn = sb.compile(code, "@user_script");
        } catch (LuaError err) {
            throw new RedJarException("ERR Error compiling script (new function): " + LuaErrors.rewrite(err.getMessage()));
        }
        e = new ScriptCache.Entry(sha, body, sb, fn, flags);
        cache.put(e);
        return e;
    }

    /** Redis's {@code evalExtractShebangFlags}. @return the flags; {@code len[0]}: the shebang's length */
    public static int shebangFlags(byte[] body, int[] len) {
        if (body.length < 2 || body[0] != '#' || body[1] != '!') {
            return ScriptFlags.EVAL_COMPAT;
        }
        int nl = -1;
        for (int i = 0; i < body.length; i++) {
            if (body[i] == '\n') {
                nl = i;
                break;
            }
        }
        if (nl < 0) {
            throw new RedJarException("ERR Invalid script shebang");
        }
        len[0] = nl;
        String line = new String(body, 0, nl, StandardCharsets.UTF_8);
        String[] parts = line.trim().split("[ \t\r]+");
        if (parts.length == 0 || parts[0].isEmpty()) {
            throw new RedJarException("ERR Invalid engine in script shebang");
        }
        if (!parts[0].equals("#!lua")) {
            throw new RedJarException("ERR Unexpected engine in script shebang: " + parts[0]);
        }
        int flags = 0;
        for (int j = 1; j < parts.length; j++) {
            if (parts[j].startsWith("flags=")) {
                String list = parts[j].substring(6);
                if (list.isEmpty()) {
                    continue;
                }
                for (String f : list.split(",", -1)) {
                    int bit = ScriptFlags.byName(f);
                    if (bit == 0 || !f.equals(f.toLowerCase(Locale.ROOT))) {
                        throw new RedJarException("ERR Unexpected flag in script shebang: " + f);
                    }
                    flags |= bit;
                }
            } else {
                throw new RedJarException("ERR Unknown lua shebang option: " + parts[j]);
            }
        }
        return flags;
    }

    private static Reply eval(ScriptRuntime rt, ScriptCache cache, ExecContext c, byte[][] a, boolean sha, boolean ro) {
        ScriptRuntime.feedMonitors(c, a);
        if (!Numbers.isLong(a[2])) {
            throw new RedJarException("ERR value is not an integer or out of range");
        }
        long numkeys = Numbers.parseLong(a[2]);
        if (numkeys > a.length - 3) {
            throw new RedJarException("ERR Number of keys can't be greater than number of args");
        }
        if (numkeys < 0) {
            throw new RedJarException("ERR Number of keys can't be negative");
        }
        ScriptCache.Entry e;
        if (sha) {
            e = a[1].length == 40 ? cache.get(lowerSha(a[1])) : null;
            if (e == null) {
                return Reply.error(io.redjar.ErrorPrefix.NOSCRIPT, "No matching script. Please use EVAL.");
            }
        } else {
            e = load(rt, cache, a[1]);
        }
        int flags = e.flags();
        if ((flags & ScriptFlags.EVAL_COMPAT) == 0 && (flags & ScriptFlags.NO_WRITES) == 0 && ro) {
            throw new RedJarException("ERR Can not execute a script with write flag using *_ro command.");
        }
        if (ro) {
            flags |= ScriptFlags.NO_WRITES;
        }
        int n = (int) numkeys;
        byte[][] keys = Arrays.copyOfRange(a, 3, 3 + n);
        byte[][] args = Arrays.copyOfRange(a, 3 + n, a.length);
        return rt.run(c, e.sandbox(), e.function(), e.sha(), true, keys, args, flags);
    }
}
