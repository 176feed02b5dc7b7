package io.redjar.internal.command;

import io.redjar.internal.server.CommandStats;
import io.redjar.internal.server.ServerConfig;
import io.redjar.internal.server.ServerState;
import io.redjar.RedJarException;
import io.redjar.Reply;
import io.redjar.internal.blocking.BlockingRegistry;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The one place every call passes, textual ({@code execute}, RESP, through the
 * {@link Dispatcher}) or typed (the handles, with a lambda over {@link Operations}); Redis's
 * {@code processCommand} + {@code call()}:
 *
 * <ol>
 *   <li><b>gates</b>: the {@link CallGate}s installed in their {@link CallGate.Slot} order; a gate
 *       may refuse the call (or, for textual calls, answer it, e.g. MULTI's {@code +QUEUED});</li>
 *   <li>the <b>body</b>: the command's handler with its argv, or the typed lambda;</li>
 *   <li><b>stats</b>: {@link CommandStats} calls, time, failures and the error counts of
 *       {@code INFO errorstats}. Textual calls are timed every time; typed calls are counted every
 *       time but timed one in {@link #TYPED_SAMPLE} (a random draw, the measured time scaled up),
 *       because two {@code nanoTime} calls cost more than many typed bodies;</li>
 *   <li>the <b>observer</b> ({@link CallObserver}): slow log and MONITOR;</li>
 *   <li><b>after-call work</b>: serving clients blocked on keys the call made ready, done here and
 *       nowhere else, whether the body succeeded or threw.</li>
 * </ol>
 *
 * <p>A typed call's spec is the command table's row of the command it stands for (the handle
 * names it, e.g. {@code "zadd"} or {@code "object|encoding"}), so INFO commandstats shows typed and
 * textual calls of one command together.
 *
 * <p><b>Thread-safety:</b> thread-safe. Gates are installed before the store is shared (a
 * volatile array, copied on install); counters are concurrent; the after-call work uses the
 * calling thread's ready list.
 */
public final class CallPath {
    /** Typed calls are timed one in this many (a power of two). */
    public static final int TYPED_SAMPLE = 8;

    private static final CallGate[] NO_GATES = new CallGate[0];

    private final CommandTable table;
    private final ServerState server;
    private final Operations ops;
    private final Map<String, CommandSpec> byFullName = new HashMap<>();
    private final SlowlogMonitorObserver observer;
    private volatile BlockingRegistry blocking;
    /** Told around every textual handler (client tracking), or null. */
    private volatile CallTracker tracker;
    /** Installed gates by slot ordinal (null where empty). */
    private volatile CallGate[] slots = new CallGate[CallGate.Slot.values().length];
    /** The installed gates in slot order, without holes: what a call walks. */
    private volatile CallGate[] gates = NO_GATES;

    public CallPath(CommandTable table, ServerState server, Operations ops) {
        this.table = table;
        this.server = server;
        this.ops = ops;
        this.observer = new SlowlogMonitorObserver(server);
        for (CommandSpec s : table.all()) {
            byFullName.put(s.fullName(), s);
            for (CommandSpec sub : s.subcommands().values()) {
                byFullName.put(sub.fullName(), sub);
            }
        }
    }

    /** Sets the registry whose ready keys are served after every call (the engine does). */
    public void blocking(BlockingRegistry registry) {
        this.blocking = registry;
    }

    /** Sets what is told around every textual command's handler (client tracking; the engine does). */
    public void tracker(CallTracker t) {
        this.tracker = t;
    }

    /** @return the clients blocked on keys (typed blocking pops wait in it) */
    public BlockingRegistry blockingRegistry() {
        return blocking;
    }

    /** @return the slow log and MONITOR observer */
    public SlowlogMonitorObserver observer() {
        return observer;
    }

    /** @return the type operations typed calls run on */
    public Operations operations() {
        return ops;
    }

    /** @return the number of databases */
    public int databases() {
        return ops.databases();
    }

    /** @return the command table */
    public CommandTable table() {
        return table;
    }

    /**
     * Installs (or with null removes) the gate of {@code slot}. Meant to be called while the store
     * is set up; a call running concurrently sees the old or the new gates.
     */
    public synchronized void install(CallGate.Slot slot, CallGate gate) {
        CallGate[] s = slots.clone();
        s[slot.ordinal()] = gate;
        int n = 0;
        for (CallGate g : s) {
            n += g == null ? 0 : 1;
        }
        CallGate[] list = n == 0 ? NO_GATES : new CallGate[n];
        int i = 0;
        for (CallGate g : s) {
            if (g != null) {
                list[i++] = g;
            }
        }
        slots = s;
        gates = list;
    }

    /**
     * @return the row a typed call counts against, by full name ({@code "get"},
     *         {@code "object|encoding"})
     * @throws IllegalArgumentException for a name the table does not have (a handle bug)
     */
    public CommandSpec spec(String fullName) {
        CommandSpec s = byFullName.get(fullName);
        if (s == null) {
            throw new IllegalArgumentException("no command " + fullName);
        }
        return s;
    }

    // ---- textual calls ---------------------------------------------------------------------

    /** Runs a resolved textual command: gates, handler, stats, observer, after-call work. */
    public Reply run(CommandSpec spec, ExecContext ctx, byte[][] argv) {
        try {
            if (io.redjar.internal.keyspace.AtomicRegion.anyOpen()) {
                io.redjar.internal.keyspace.AtomicRegion.checkDeadline(ops.engine().keyspace());
            }
            if (ops.engine().keyspace().propagation().anyFailure()) {
                notDurable(); // drop a stale failure of an earlier, unchecked write on this thread
            }
            CallGate[] g = gates;
            for (CallGate gate : g) {
                Reply refused = gate.check(spec, ctx, ctx.db(), argv);
                if (refused != null) {
                    return refused instanceof Reply.ErrorReply e ? reject(spec, ctx, e) : refused;
                }
            }
            Reply r = runQueued(spec, ctx, argv);
            String notDurable = notDurable();
            return notDurable == null ? r : Reply.error(notDurable);
        } finally {
            afterCall();
        }
    }

    /**
     * Why the calling thread's writes just made could not be made durable (the append-only file
     * failed to write or sync them under {@code appendfsync always}), or null: the call then
     * answers that error instead of its reply (see {@code PropagationBus.takeFailure}). One
     * volatile read unless a failure ever happened.
     */
    private String notDurable() {
        io.redjar.internal.propagation.PropagationBus bus = ops.engine().keyspace().propagation();
        return bus.anyFailure() ? bus.takeFailure() : null;
    }

    /**
     * For an atomic region that ended ({@code Store.multi}, {@code Store.atomically}): throws the
     * error of its writes that could not be made durable, if any.
     *
     * @throws RedJarException with the reason (Redis's {@code MISCONF} text of the append-only file)
     */
    public void requireDurable() {
        durable();
    }

    /** Typed calls: throws the error of {@link #notDurable()} if there is one. */
    private void durable() {
        String why = notDurable();
        if (why != null) {
            throw new RedJarException(why);
        }
    }

    /**
     * Redis's {@code rejectCommand}: counts {@code e} as {@code spec}'s rejection (commandstats
     * {@code rejected_calls}, errorstats), and inside MULTI fails the transaction (a refused EXEC
     * discards it and answers {@code EXECABORT} with the reason). Gates refuse through it, and so
     * does the script thread's BUSY.
     *
     * @return the reply the refused call gets
     */
    public Reply reject(CommandSpec spec, ExecContext ctx, Reply.ErrorReply e) {
        spec.stats().recordRejected();
        server.countError(e);
        return rejected(spec, ctx, e);
    }

    private static Reply rejected(CommandSpec spec, ExecContext ctx, Reply.ErrorReply e) {
        TxState tx = ctx.txIfAny();
        if (tx == null || !tx.inMulti() || tx.executing()) {
            return e;
        }
        if (spec.fullName().equals("exec")) {
            tx.discard();
            return Reply.error(io.redjar.ErrorPrefix.EXECABORT, "Transaction discarded because of: " + e.message());
        }
        tx.flagDirtyExec();
        return e;
    }

    /**
     * Runs one command without gates or after-call work (what {@link #run} does after its gates;
     * what EXEC does for each queued command, whose gates ran when it was queued and whose
     * after-call work EXEC does once, after its locks are released); counted and observed like
     * any call.
     */
    public Reply runQueued(CommandSpec spec, ExecContext ctx, byte[][] argv) {
        long start = System.nanoTime();
        Reply reply;
        CallTracker t = tracker;
        boolean tracked = t != null && t.before(spec, ctx, argv);
        try {
            reply = spec.handler().handle(ctx, argv);
        } catch (RedJarException e) {
            reply = e.toReply();
        } finally {
            if (tracked) {
                t.after(spec, ctx, argv);
            }
        }
        account(spec, ctx, argv, System.nanoTime() - start, reply);
        return reply;
    }

    /**
     * Counts one executed textual command and offers it to the observer. The RESP module calls
     * this for the connection commands it runs itself.
     */
    public void account(CommandSpec spec, ExecContext ctx, byte[][] argv, long nanos, Reply reply) {
        CommandStats st = spec.stats();
        st.recordCall(nanos);
        latency(spec, st, nanos, 1);
        boolean error = reply instanceof Reply.ErrorReply;
        boolean counted = ctx.takeErrorAlreadyCounted();
        if (error) {
            st.recordFailed();
            if (!counted) {
                server.countError((Reply.ErrorReply) reply);
            }
        }
        observer.completed(spec, ctx, ctx.db(), argv, nanos, error);
    }

    // ---- typed calls -----------------------------------------------------------------------

    /** Runs a typed call of {@code command} (a full name, see {@link #spec}) on database {@code db}. */
    public <R> R call(String command, int db, Function<Operations, R> body) {
        return call(spec(command), db, body);
    }

    /** {@link #call(String, int, Function)} for a body that returns a {@code long} (no boxing). */
    public long callLong(String command, int db, ToLongFunction<Operations> body) {
        CommandSpec spec = spec(command);
        long start = enter(spec, db);
        try {
            long r = body.applyAsLong(ops);
            durable();
            typedDone(spec, db, start, false);
            return r;
        } catch (RedJarException e) {
            typedFailed(spec, db, start, e);
            throw e;
        } finally {
            afterCall();
        }
    }

    /** {@link #call(String, int, Function)} for a body with no result. */
    public void run(String command, int db, java.util.function.Consumer<Operations> body) {
        call(spec(command), db, o -> {
            body.accept(o);
            return null;
        });
    }

    /** Runs a typed call on its row. */
    public <R> R call(CommandSpec spec, int db, Function<Operations, R> body) {
        long start = enter(spec, db);
        try {
            R r = body.apply(ops);
            durable();
            typedDone(spec, db, start, false);
            return r;
        } catch (RedJarException e) {
            typedFailed(spec, db, start, e);
            throw e;
        } finally {
            afterCall();
        }
    }

    /** A typed body over one key; a non-capturing lambda, so the hot calls allocate nothing. */
    @FunctionalInterface
    public interface KeyBody<R> {
        R apply(Operations ops, int db, byte[] key);
    }

    /** A typed body over one key and one value; a non-capturing lambda. */
    @FunctionalInterface
    public interface KeyValueBody<R> {
        R apply(Operations ops, int db, byte[] key, byte[] value);
    }

    /** {@link #call(String, int, Function)} for the hot one-key calls (GET ...), allocation-free. */
    public <R> R call(String command, int db, byte[] key, KeyBody<R> body) {
        CommandSpec spec = spec(command);
        long start = enter(spec, db);
        try {
            R r = body.apply(ops, db, key);
            durable();
            typedDone(spec, db, start, false);
            return r;
        } catch (RedJarException e) {
            typedFailed(spec, db, start, e);
            throw e;
        } finally {
            afterCall();
        }
    }

    /** {@link #call(String, int, Function)} for the hot key-value calls (SET ...), allocation-free. */
    public <R> R call(String command, int db, byte[] key, byte[] value, KeyValueBody<R> body) {
        CommandSpec spec = spec(command);
        long start = enter(spec, db);
        try {
            R r = body.apply(ops, db, key, value);
            durable();
            typedDone(spec, db, start, false);
            return r;
        } catch (RedJarException e) {
            typedFailed(spec, db, start, e);
            throw e;
        } finally {
            afterCall();
        }
    }

    /** Gates, then the sampling decision: @return the start time when this call is timed, else -1. */
    private long enter(CommandSpec spec, int db) {
        admit(spec, db);
        if (ops.engine().keyspace().propagation().anyFailure()) {
            notDurable(); // drop a stale failure of an earlier, unchecked write on this thread
        }
        return (ThreadLocalRandom.current().nextInt() & (TYPED_SAMPLE - 1)) == 0 ? System.nanoTime() : -1;
    }

    private void admit(CommandSpec spec, int db) {
        if (io.redjar.internal.keyspace.AtomicRegion.anyOpen()) {
            io.redjar.internal.keyspace.AtomicRegion.checkDeadline(ops.engine().keyspace());
        }
        io.redjar.internal.server.ClientPause pause = ops.engine().pause();
        if (pause.active() && io.redjar.internal.keyspace.AtomicRegion.current(ops.engine().keyspace()) == null) {
            // CLIENT PAUSE holds typed calls too: a write (or any call under ALL) waits, at most
            // until the pause ends; inside an atomic region it already holds locks and goes on
            pause.awaitTyped(spec.has(CommandFlag.WRITE) || spec.has(CommandFlag.MAY_REPLICATE));
        }
        CallGate[] g = gates;
        for (CallGate gate : g) {
            Reply refused = gate.check(spec, null, db, null);
            if (refused != null) {
                spec.stats().recordRejected();
                if (refused instanceof Reply.ErrorReply e) {
                    server.countError(e);
                    throw new RedJarException(e.message());
                }
                throw new IllegalStateException("a gate answered a typed " + spec.fullName() + " call with " + refused
                    + "; typed calls can only be let through or refused with an error");
            }
        }
    }

    private void typedFailed(CommandSpec spec, int db, long start, RedJarException e) {
        spec.stats().recordFailed();
        server.countError(e.toReply());
        typedDone(spec, db, start, true);
    }

    /**
     * The latency views of one timed call: the command's histogram ({@code latency-tracking}; a
     * typed call timed one in eight counts {@code count} = 8) and the latency monitor's
     * {@code command} / {@code fast-command} event.
     */
    private void latency(CommandSpec spec, CommandStats st, long nanos, long count) {
        if (server.config().latencyTracking()) {
            st.recordLatency(nanos, count);
        }
        server.latencySample(spec.has(CommandFlag.FAST) ? "fast-command" : "command", nanos);
    }

    /** Counts a typed call; a timed one ({@code start >= 0}) also adds its scaled time and is observed. */
    private void typedDone(CommandSpec spec, int db, long start, boolean error) {
        CommandStats st = spec.stats();
        if (start < 0) {
            st.recordUntimedCall();
            return;
        }
        long nanos = System.nanoTime() - start;
        st.recordCall(nanos * TYPED_SAMPLE);
        latency(spec, st, nanos, TYPED_SAMPLE);
        observer.completed(spec, null, db, null, nanos, error);
    }

    /**
     * The after-call work, in one place: serve clients blocked on keys this call made ready. Not
     * inside an atomic region (EXEC, {@code Store.multi}): its calls' ready keys are served once,
     * when it ends ({@link #afterAtomic()}).
     */
    private void afterCall() {
        BlockingRegistry b = blocking;
        if (b != null && b.hasReady() && !io.redjar.internal.blocking.BlockingPops.noWait()) {
            b.serveReady();
        }
    }

    /** The after-call work of an atomic region, run once it has ended and released its locks. */
    public void afterAtomic() {
        afterCall();
    }
}
