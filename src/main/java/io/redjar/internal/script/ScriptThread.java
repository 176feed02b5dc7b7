package io.redjar.internal.script;

import io.redjar.Reply;
import io.redjar.internal.command.CommandFlag;
import io.redjar.internal.command.CommandSpec;

import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Keeps scripts off the network event loops (Redis's busy-script behaviour without blocking an
 * event loop). A front end asks {@link #admit} before running each network command:
 *
 * <ul>
 *   <li>a script command ({@link #offloads}: EVAL, EVALSHA, their _RO forms, FCALL, FCALL_RO),
 *       or an EXEC whose queue holds one, is queued on the single <b>script thread</b>; its reply
 *       comes later;</li>
 *   <li>while no script is queued or running, any other command runs at once on the caller's
 *       thread, counted as in flight until {@link #exit};</li>
 *   <li>while a script is queued or running, a command is <b>parked</b>: queued on the script
 *       thread behind the script, so it runs (in order) once the script has ended;</li>
 *   <li>once the running script is older than {@code busy-reply-threshold}, new and parked
 *       commands are answered {@code BUSY} at once, except the commands flagged
 *       {@code allow-busy} (Redis 7.0's {@code processCommand}); those without keys (SCRIPT
 *       KILL, FUNCTION KILL, MULTI, CLIENT ...) run at once, those with keys (WATCH) stay parked.</li>
 * </ul>
 *
 * <p>No event loop ever waits for a lock a script holds: a script on the script thread waits,
 * before it takes the shard locks, until the commands admitted before it have left (a Dekker
 * handshake: the caller increments the in-flight count, then reads the script count; the script
 * thread increments the script count, then waits for in-flight zero). Scripts called by
 * embedded sessions or inside EXEC do not come here: they run inline on their thread.
 *
 * <p><b>Thread-safety:</b> thread-safe.
 */
public final class ScriptThread implements AutoCloseable {
    private static final Set<String> SCRIPT_COMMANDS = Set.of("eval", "evalsha", "eval_ro", "evalsha_ro", "fcall", "fcall_ro");
    private static final Reply BUSY_EVAL = Reply.error(io.redjar.ErrorPrefix.BUSY, "Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.");
    private static final Reply BUSY_FUNCTION = Reply.error(io.redjar.ErrorPrefix.BUSY, "Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.");

    private final ScriptRuntime rt;
    private final LongSupplier thresholdMillis;
    private final LongAdder inflight = new LongAdder();
    /** Scripts queued or running on the script thread. */
    private final AtomicInteger scripts = new AtomicInteger();
    private final Queue<Parked> parked = new ConcurrentLinkedQueue<>();
    /**
     * The script thread has a deep stack: LuaJ recurses on the Java stack for Lua calls, and the
     * conversion of a self-referencing returned table nests thousands of levels, as Redis's does.
     */
    private final ExecutorService scriptThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(null, r, "redjar-script", 256L << 20);
        t.setDaemon(true);
        return t;
    });
    /** Runs allow-busy commands released while a script is busy, and the threshold timer. */
    private final ScheduledExecutorService busyThread = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "redjar-script-busy"));

    /** @param thresholdMillis reads {@code busy-reply-threshold} */
    public ScriptThread(ScriptRuntime rt, LongSupplier thresholdMillis) {
        this.rt = rt;
        this.thresholdMillis = thresholdMillis;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** @return whether {@code spec} is a script command that runs on the script thread */
    public static boolean offloads(CommandSpec spec) {
        return spec != null && SCRIPT_COMMANDS.contains(spec.fullName());
    }

    /**
     * Admits one network command.
     *
     * @param spec    the resolved command, or null (unknown, wrong arity: it runs at once unless parked)
     * @param offload run it on the script thread ({@link #offloads} and not queued by MULTI)
     * @param command runs the command and gives its reply (null: none), on whichever thread
     * @return null: run it now on this thread, then call {@link #exit()}; else its pending reply
     */
    public CompletableFuture<Reply> admit(CommandSpec spec, boolean offload, Supplier<CompletableFuture<Reply>> command) {
        if (offload) {
            scripts.incrementAndGet();
            CompletableFuture<Reply> f = new CompletableFuture<>();
            scriptThread.execute(() -> runScript(command, f));
            return f;
        }
        inflight.increment();
        if (scripts.get() == 0) {
            return null;
        }
        inflight.decrement();
        ScriptRun run = rt.current();
        if (run != null && busy(run)) {
            if (allowedNow(spec)) {
                inflight.increment();
                return null;
            }
            if (spec == null || !spec.has(CommandFlag.ALLOW_BUSY)) {
                return CompletableFuture.completedFuture(run.eval() ? BUSY_EVAL : BUSY_FUNCTION);
            }
        }
        Parked p = new Parked(spec, command);
        parked.add(p);
        scriptThread.execute(() -> {
            if (p.claim()) {
                parked.remove(p);
                chain(command, p.future);
            }
        });
        return p.future;
    }

    /** A command admitted to run at once has finished. */
    public void exit() {
        inflight.decrement();
    }

    private static boolean allowedNow(CommandSpec spec) {
        return spec != null && spec.has(CommandFlag.ALLOW_BUSY) && spec.keySpecs().isEmpty();
    }

    private boolean busy(ScriptRun run) {
        return System.nanoTime() - run.startNanos() >= TimeUnit.MILLISECONDS.toNanos(thresholdMillis.getAsLong());
    }

    private void runScript(Supplier<CompletableFuture<Reply>> command, CompletableFuture<Reply> f) {
        ScheduledFuture<?> timer = null;
        try {
            while (inflight.sum() != 0) {
                Thread.onSpinWait();
                Thread.yield();
            }
            long first = Math.max(1, thresholdMillis.getAsLong());
            timer = busyThread.scheduleWithFixedDelay(this::releaseIfBusy, first, 2, TimeUnit.MILLISECONDS);
            chain(command, f);
        } finally {
            if (timer != null) {
                timer.cancel(false);
            }
            scripts.decrementAndGet();
        }
    }

    /** The threshold timer: once the running script is busy, answers or releases the parked commands. */
    private void releaseIfBusy() {
        ScriptRun run = rt.current();
        if (run == null || !busy(run) || parked.isEmpty()) {
            return;
        }
        for (Parked p : parked) {
            if (allowedNow(p.spec)) {
                if (p.claim()) {
                    parked.remove(p);
                    chain(p.command, p.future);
                }
            } else if (p.spec == null || !p.spec.has(CommandFlag.ALLOW_BUSY)) {
                if (p.claim()) {
                    parked.remove(p);
                    p.future.complete(run.eval() ? BUSY_EVAL : BUSY_FUNCTION);
                }
            }
        }
    }

    private static void chain(Supplier<CompletableFuture<Reply>> command, CompletableFuture<Reply> f) {
        try {
            command.get().whenComplete((r, e) -> {
                if (e != null) {
                    f.completeExceptionally(e);
                } else {
                    f.complete(r);
                }
            });
        } catch (Throwable e) {
            f.completeExceptionally(e);
            if (e instanceof Error err && !(e instanceof StackOverflowError)) {
                throw err;
            }
        }
    }

    @Override
    public void close() {
        scriptThread.shutdownNow();
        busyThread.shutdownNow();
    }

    private static final class Parked {
        final CommandSpec spec;
        final Supplier<CompletableFuture<Reply>> command;
        final CompletableFuture<Reply> future = new CompletableFuture<>();
        private final AtomicBoolean claimed = new AtomicBoolean();

        Parked(CommandSpec spec, Supplier<CompletableFuture<Reply>> command) {
            this.spec = spec;
            this.command = command;
        }

        boolean claim() {
            return claimed.compareAndSet(false, true);
        }
    }
}
