package io.redjar.internal.command;

import java.util.ArrayList;
import java.util.List;

/**
 * One client's transaction state (Redis's {@code multiState} and the {@code CLIENT_MULTI},
 * {@code CLIENT_DIRTY_EXEC}, {@code CLIENT_DIRTY_CAS} flags of {@code multi.c}): whether MULTI is
 * open, the queued commands, whether queueing failed (EXEC then answers EXECABORT), whether a
 * watched key was touched (EXEC then answers a null array), and the keys it watches. The WATCH
 * registry ({@link Watches}) owns the watched keys; this class only holds them for it.
 *
 * <p>Lives in the session's {@link ExecContext}, so embedded sessions and network connections
 * have the same transactions.
 *
 * <p><b>Thread-safety:</b> confined to its session, except {@link #touched()}, which writers on any
 * thread call through the WATCH registry (a volatile flag), and {@link #watched()}, which only the
 * registry reads and changes, under its own lock.
 */
public final class TxState {
    /** The WATCH registry, as the transaction state sees it. */
    public interface Watches {
        /** Forgets every key {@code tx} watches (UNWATCH, EXEC, DISCARD, RESET, disconnect). */
        void unwatchAll(TxState tx);
    }

    private final Watches watches;
    private boolean multi;
    private boolean dirtyExec;
    private boolean executing;
    private volatile boolean dirtyCas;
    private final List<CommandSpec> specs = new ArrayList<>();
    private final List<byte[][]> argvs = new ArrayList<>();
    /** The registry's records of this client's watched keys; guarded by the registry's lock. */
    private final List<Object> watched = new ArrayList<>();

    public TxState(Watches watches) {
        this.watches = watches;
    }

    /** @return whether MULTI is open (commands are being queued) */
    public boolean inMulti() {
        return multi;
    }

    /** @return whether EXEC is running the queue now (blocking commands must not block) */
    public boolean executing() {
        return executing;
    }

    /** EXEC starts or ends running the queue. */
    public void executing(boolean running) {
        this.executing = running;
    }

    /** MULTI: opens the transaction. */
    public void begin() {
        multi = true;
    }

    /** A command could not be queued (unknown, wrong arity, refused): EXEC will abort. */
    public void flagDirtyExec() {
        if (multi) {
            dirtyExec = true;
        }
    }

    /** @return whether queueing failed */
    public boolean dirtyExec() {
        return dirtyExec;
    }

    /** A watched key was modified (called by the WATCH registry, from any writing thread). */
    public void touched() {
        dirtyCas = true;
    }

    /** @return whether a watched key was modified since WATCH */
    public boolean dirtyCas() {
        return dirtyCas;
    }

    /** Queues one command (nothing is kept once the transaction is dirty: it will not run). */
    public void queue(CommandSpec spec, byte[][] argv) {
        if (dirtyExec || dirtyCas) {
            return;
        }
        specs.add(spec);
        argvs.add(argv.clone());
    }

    /** @return the number of queued commands */
    public int queued() {
        return specs.size();
    }

    /** @return the {@code i}th queued command's row */
    public CommandSpec spec(int i) {
        return specs.get(i);
    }

    /** @return the {@code i}th queued command's arguments */
    public byte[][] argv(int i) {
        return argvs.get(i);
    }

    /** @return the registry's records of the watched keys (the registry's, under its lock) */
    public List<Object> watched() {
        return watched;
    }

    /** Unwatches every key and clears the touched flag (UNWATCH). */
    public void unwatch() {
        watches.unwatchAll(this);
        dirtyCas = false;
    }

    /** Redis's {@code discardTransaction}: drops the queue, the flags and the watched keys. */
    public void discard() {
        specs.clear();
        argvs.clear();
        multi = false;
        dirtyExec = false;
        executing = false;
        unwatch();
    }
}
