package io.redjar.internal.script;

import io.redjar.Reply;
import io.redjar.internal.blocking.BlockingPops;
import io.redjar.internal.command.Dispatcher;
import io.redjar.internal.command.ExecContext;
import io.redjar.internal.keyspace.Keyspace;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

import java.util.function.Consumer;

/**
 * The scripting runtime shared by EVAL and FUNCTION/FCALL (Redis's {@code script.c} +
 * {@code script_lua.c}'s {@code luaCallFunction}). The internal API:
 *
 * <ul>
 *   <li>{@link #newSandbox()}: a fresh sandboxed Lua state (EVAL has one,
 *       {@link #evalSandbox()}; the function engine makes its own);
 *       {@link LuaSandbox#compile} compiles a chunk in it;</li>
 *   <li>{@link #run}: runs a compiled function for a client atomically (every shard lock,
 *       re-entrant, so it also runs inline inside EXEC; one propagation batch; blocking commands
 *       inside do not block; blocked clients served once afterwards), with {@link ScriptFlags},
 *       EVAL style (KEYS/ARGV globals) or function style ({@code f(keys, args)}), interruptible
 *       by {@link #kill};</li>
 *   <li>{@link #current()}: the running script (busy checks, FUNCTION STATS); {@link #kill}:
 *       SCRIPT KILL and FUNCTION KILL.</li>
 * </ul>
 *
 * <p><b>Thread-safety:</b> thread-safe. Runs are serialized by the shard locks (a run holds all
 * of them); {@link #current()} and {@link #kill} may be called from any thread.
 */
public final class ScriptRuntime {
    private final Keyspace ks;
    private final Consumer<Globals> libraries;
    private volatile LuaSandbox evalSandbox;
    private volatile ScriptRun current;

    /**
     * @param libraries installs the extra Lua libraries into a sandbox's globals (cjson, ...);
     *                  may be null
     */
    public ScriptRuntime(Keyspace ks, Consumer<Globals> libraries) {
        this.ks = ks;
        this.libraries = libraries;
        this.evalSandbox = newSandbox();
    }

    /** @return a new sandboxed Lua state with the {@code redis} table and the extra libraries */
    public LuaSandbox newSandbox() {
        return new LuaSandbox(libraries);
    }

    /**
     * @return a new sandboxed Lua state; {@code extra} may add to the globals (e.g. to the
     *         {@code redis} table: {@code g.get("redis").set(...)}) after the extra libraries and
     *         before everything is made read-only
     */
    public LuaSandbox newSandbox(Consumer<Globals> extra) {
        return new LuaSandbox(libraries == null ? extra : libraries.andThen(extra));
    }

    /** @return the Lua state EVAL scripts run in */
    public LuaSandbox evalSandbox() {
        return evalSandbox;
    }

    /** Replaces the EVAL Lua state with a fresh one (SCRIPT FLUSH). */
    public void resetEvalSandbox() {
        evalSandbox = newSandbox();
    }

    /** @return the script running now, or null */
    public ScriptRun current() {
        return current;
    }

    /**
     * SCRIPT KILL ({@code function == false}) or FUNCTION KILL: Redis's {@code scriptKill}.
     *
     * @return OK, or the NOTBUSY / UNKILLABLE error
     */
    public Reply kill(boolean function) {
        ScriptRun r = current;
        if (r == null) {
            return Reply.error(io.redjar.ErrorPrefix.NOTBUSY, "No scripts in execution right now.");
        }
        if (r.wrote()) {
            return Reply.error(io.redjar.ErrorPrefix.UNKILLABLE, "Sorry the script already executed write commands against the dataset. "
                + "You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.");
        }
        if (!function && !r.eval()) {
            // SCRIPT KILL may not kill a function, nor FUNCTION KILL an EVAL script
            return Reply.error(io.redjar.ErrorPrefix.BUSY, "Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.");
        }
        if (function && r.eval()) {
            return Reply.error(io.redjar.ErrorPrefix.BUSY, "Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.");
        }
        r.kill();
        return Reply.OK;
    }

    /** @return whether the data set is over {@code maxmemory} now (the script's OOM state at start) */
    private boolean overMaxmemory(ExecContext caller) {
        long max = caller.engine().server().config().maxmemory();
        return max > 0 && ks.usedMemory() > max;
    }

    /**
     * Runs {@code fn} (compiled in {@code sandbox}) for {@code caller}, atomically.
     *
     * @param name  the script's SHA1 (EVAL) or the function's name (FCALL); errors say
     *              {@code script: <name>}
     * @param eval  true: EVAL style, {@code KEYS} and {@code ARGV} globals and {@code fn()};
     *              false: function style, {@code fn(keys, args)}
     * @param flags {@link ScriptFlags}
     * @return the reply the caller gets (errors as Redis formats them)
     */
    public Reply run(ExecContext caller, LuaSandbox sandbox, LuaFunction fn, String name, boolean eval,
                     byte[][] keys, byte[][] args, int flags) {
        Reply r = runScript(caller, sandbox, fn, name, eval, keys, args, flags);
        // the script's batch was delivered when its locks were released, on this thread (maybe the
        // script thread, not the caller's): a batch that could not be made durable is an error
        io.redjar.internal.propagation.PropagationBus bus = ks.propagation();
        String notDurable = bus.anyFailure() ? bus.takeFailure() : null;
        return notDurable == null ? r : Reply.error(notDurable);
    }

    private Reply runScript(ExecContext caller, LuaSandbox sandbox, LuaFunction fn, String name, boolean eval,
                            byte[][] keys, byte[][] args, int flags) {
        Dispatcher dispatcher = caller.engine().dispatcher();
        boolean oom = overMaxmemory(caller);
        if (oom && (flags & (ScriptFlags.EVAL_COMPAT | ScriptFlags.ALLOW_OOM | ScriptFlags.NO_WRITES)) == 0) {
            // Redis 7.0: a script with flags (a shebang, or a function) that may write and lacks
            // allow-oom counts as deny-oom (evalGetCommandFlags), so processCommand refuses it
            return io.redjar.internal.eviction.OomGate.OOM;
        }
        ks.lockAll();
        boolean froze = ks.freezeTime();
        try {
            ks.propagation().beginBatch();
            BlockingPops.enterNoWait();
            ScriptRun outer = current;
            ScriptRun run = new ScriptRun(dispatcher, caller, name, eval, flags, oom);
            ScriptHook hook = sandbox.hook();
            ScriptRun outerHook = hook.run();
            current = run;
            hook.run(run);
            try {
                LuaTable k = strings(keys);
                LuaTable a = strings(args);
                LuaValue v;
                if (eval) {
                    sandbox.setTrusted("KEYS", k);
                    sandbox.setTrusted("ARGV", a);
                    v = fn.call();
                } else {
                    v = fn.call(k, a);
                }
                if (LuaReplies.errorAlreadyCounted(v)) {
                    caller.errorAlreadyCounted();
                }
                return LuaReplies.toReply(v, run.resp(), caller.protocol());
            } catch (LuaError e) {
                if (LuaReplies.errorAlreadyCounted(e.getMessageObject())) {
                    caller.errorAlreadyCounted();
                }
                return errorReply(e, run, sandbox);
            } catch (ScriptKilled e) {
                return Reply.error("ERR Script killed by user with SCRIPT KILL...");
            } catch (RuntimeException e) {
                // a LuaJ library failing outside its own error handling (not a LuaError)
                return Reply.error("ERR Error running script (call to " + name + "): @user_script: " + e);
            } catch (StackOverflowError e) {
                return Reply.error("ERR Error running script (call to " + name + "): @user_script: stack overflow");
            } finally {
                hook.run(outerHook);
                current = outer;
                BlockingPops.exitNoWait();
                ks.propagation().endBatch();
            }
        } finally {
            ks.unfreezeTime(froze);
            ks.unlockAll();
            dispatcher.callPath().afterAtomic();
        }
    }

    /**
     * Redis's {@code luaCallFunction} error reply after its error handler: a table error keeps its
     * {@code err}, anything else becomes {@code "ERR " .. tostring(err)}; then
     * {@code " script: <name>, on <source>:<line>."} where the error was raised.
     */
    private static Reply errorReply(LuaError e, ScriptRun run, LuaSandbox sandbox) {
        LuaValue o = e.getMessageObject();
        ScriptHook hook = sandbox.hook();
        if (hook.errorPosition() == null) {
            // raised outside any Lua frame (a tail call's callee): LuaJ added no position; C Lua
            // reports the calling instruction's
            hook.markError();
            String[] p = hook.errorPosition();
            if (p != null && o != null && o.isstring()) {
                o = LuaValue.valueOf(p[0].replace("@", "") + ":" + p[1] + ": " + LuaErrors.runtimeMessage(o.tojstring(), hook));
            }
        }
        String msg;
        if (o != null && o.istable()) {
            LuaValue err = o.rawget("err");
            msg = err.isstring() ? err.tojstring() : "(null)";
        } else {
            msg = "ERR " + (o == null ? "nil" : o.isstring() ? o.tojstring() : String.valueOf(e.getMessage()));
        }
        String[] pos = hook.errorPosition();
        String text = pos == null ? msg : msg + " script: " + run.name() + ", on " + pos[0] + ":" + pos[1] + ".";
        return Reply.error(text.replace('\r', ' ').replace('\n', ' '));
    }

    /**
     * Feeds a script command to MONITOR before it runs, so the commands it calls (fed as
     * {@code [db lua]}) follow it: Redis's {@code evalCommand}/{@code fcallCommandGeneric}, which
     * are flagged {@code skip-monitor} for that reason.
     */
    public static void feedMonitors(ExecContext c, byte[][] argv) {
        java.time.Instant now = java.time.Instant.now();
        c.engine().monitors().feed(c.db(), c.client() == null ? null : c.client().addr(), argv,
            now.getEpochSecond() * 1_000_000 + now.getNano() / 1000);
    }

    private static LuaTable strings(byte[][] values) {
        LuaTable t = new LuaTable(values.length, 0);
        for (int i = 0; i < values.length; i++) {
            t.rawset(i + 1, LuaValue.valueOf(values[i]));
        }
        return t;
    }
}
