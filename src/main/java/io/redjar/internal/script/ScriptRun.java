package io.redjar.internal.script;

import io.redjar.RedJarException;
import io.redjar.Reply;
import io.redjar.internal.command.CallPath;
import io.redjar.internal.command.CommandFlag;
import io.redjar.internal.command.CommandSpec;
import io.redjar.internal.command.Dispatcher;
import io.redjar.internal.command.ExecContext;

/**
 * One running script or function (Redis's {@code scriptRunCtx}): the caller, the script's own
 * client context (the caller's database at the start; {@code SELECT} inside affects only the
 * script), the flags it runs with, whether it has written (then it cannot be killed), the kill
 * request and the protocol it speaks to {@code redis.call} ({@code redis.setresp}).
 *
 * <p>{@link #call} is Redis's {@code scriptCall}: the script-specific refusals, then the
 * {@link CallPath} (gates included; the script context has no MULTI state, so nothing is queued).
 *
 * <p><b>Thread-safety:</b> confined to the thread running the script, except {@link #kill()},
 * {@link #startNanos()}, {@link #wrote()} and {@link #name()}, which other threads read (SCRIPT
 * KILL, the busy check, FUNCTION STATS).
 */
public final class ScriptRun {
    private final Dispatcher dispatcher;
    private final ExecContext caller;
    private final ExecContext ctx;
    private final String name;
    private final boolean eval;
    private final int flags;
    private final long startNanos = System.nanoTime();
    private volatile boolean killed;
    private volatile boolean wrote;
    private int resp = 2;
    /** redis.set_repl's flags (REPL_ALL by default); kept for the API, effects always propagate. */
    int repl = 3;

    /** Whether the data set was over maxmemory when the script started (Redis's pre_command_oom_state). */
    private final boolean oomAtStart;

    ScriptRun(Dispatcher dispatcher, ExecContext caller, String name, boolean eval, int flags, boolean oomAtStart) {
        this.oomAtStart = oomAtStart;
        this.dispatcher = dispatcher;
        this.caller = caller;
        this.ctx = new ExecContext(caller.engine(), caller.db());
        ctx.fromScript(true);
        this.name = name;
        this.eval = eval;
        this.flags = flags;
    }

    /** @return the script's name: the SHA1 of an EVAL script, the function's name for FCALL */
    public String name() {
        return name;
    }

    /** @return whether this is an EVAL script (else a function) */
    public boolean eval() {
        return eval;
    }

    /** @return the run's {@link ScriptFlags} */
    public int flags() {
        return flags;
    }

    /** @return the client that called the script */
    public ExecContext caller() {
        return caller;
    }

    /** @return {@link System#nanoTime()} when the script started */
    public long startNanos() {
        return startNanos;
    }

    /** @return whether the script has called a write command (then it cannot be killed) */
    public boolean wrote() {
        return wrote;
    }

    /** @return the protocol {@code redis.call} replies are converted from (2 or 3) */
    int resp() {
        return resp;
    }

    void resp(int r) {
        resp = r;
        ctx.protocol(r);
    }

    /** Asks the script to stop at its next checkpoint (SCRIPT KILL / FUNCTION KILL). */
    public void kill() {
        killed = true;
    }

    /** Called by the instruction hook every few thousand instructions: stops a killed script. */
    void checkpoint() {
        if (killed) {
            throw new ScriptKilled();
        }
    }

    private boolean readOnly() {
        return (flags & ScriptFlags.NO_WRITES) != 0;
    }

    /**
     * Runs one {@code redis.call} / {@code redis.pcall} command; @return its reply, an error reply
     * for a refused command
     */
    Reply call(byte[][] argv) {
        checkpoint();
        Object r = dispatcher.resolve(argv);
        if (r instanceof Reply.ErrorReply e) {
            String m = e.message();
            return refuse(argv, m.startsWith("ERR wrong number of arguments")
                ? Reply.error("ERR Wrong number of args calling Redis command from script")
                : Reply.error("ERR Unknown Redis command called from script"));
        }
        CommandSpec spec = (CommandSpec) r;
        if (spec.has(CommandFlag.NOSCRIPT)) {
            return refuse(argv, Reply.error("ERR This Redis command is not allowed from script"));
        }
        Reply denied = caller.engine().access().script(caller, spec, argv); // the caller's user
        if (denied != null) {
            return refuse(argv, denied);
        }
        boolean write = spec.has(CommandFlag.WRITE);
        if (readOnly() && (write || spec.has(CommandFlag.MAY_REPLICATE))) {
            return refuse(argv, Reply.error("ERR Write commands are not allowed from read-only scripts."));
        }
        if (oomAtStart && !wrote && (flags & ScriptFlags.ALLOW_OOM) == 0 && spec.has(CommandFlag.DENYOOM)) {
            // Redis's scriptVerifyOOM: over maxmemory at the start, a script may not begin writing
            // with a deny-oom command; once it has written it runs on (its atomicity first)
            return refuse(argv, io.redjar.internal.eviction.OomGate.OOM);
        }
        if (write) {
            wrote = true;
        }
        try {
            Reply reply = dispatcher.callPath().run(spec, ctx, argv);
            ctx.takeBlocked();
            ctx.takeAfter();
            return reply;
        } catch (RedJarException e) {
            return e.toReply();
        }
    }

    /**
     * redis.acl_check_cmd: @return whether the caller's user may run {@code argv}, or null if it
     * names no command (a container without its subcommand is the container, as Redis's
     * {@code lookupCommand})
     */
    Boolean aclAllowed(byte[][] argv) {
        CommandSpec spec = dispatcher.table().lookup(argv[0]);
        if (spec != null && !spec.subcommands().isEmpty() && argv.length > 1) {
            spec = spec.subcommands().get(new String(argv[1], java.nio.charset.StandardCharsets.UTF_8).toLowerCase(java.util.Locale.ROOT));
        }
        if (spec == null) {
            return null;
        }
        return caller.engine().access().allowed(caller, spec, argv);
    }

    /**
     * A command the script may not run here: counted as Redis's {@code scriptCall} does (its error
     * in errorstats, a rejected call of the command), so that the script passing the error on
     * (its table carries {@code ignore_error_stats_update}) does not count it again.
     */
    private Reply refuse(byte[][] argv, Reply e) {
        dispatcher.rejected(argv, e);
        return e;
    }
}
