package io.redjar.internal.persistence;

import io.redjar.ErrorPrefix;
import io.redjar.Reply;
import io.redjar.internal.command.CallGate;
import io.redjar.internal.command.CommandFlag;
import io.redjar.internal.command.CommandSpec;
import io.redjar.internal.command.ExecContext;

/**
 * The {@link CallGate.Slot#LOADING} gate: while the data set loads in the background (the RESP
 * server's start-up), commands without Redis's {@code loading} flag are answered
 * {@code -LOADING Redis is loading the dataset in memory}, except on the loading thread itself
 * (the append-only file's commands are replayed through the call path). Costs one volatile read
 * once loading is over.
 *
 * <p><b>Thread-safety:</b> thread-safe.
 */
final class LoadingGate implements CallGate {
    static final Reply LOADING = Reply.error(ErrorPrefix.LOADING, "Redis is loading the dataset in memory");

    private volatile Thread loader;

    /** Loading starts on {@code t} (or ends, with null). */
    void loader(Thread t) {
        this.loader = t;
    }

    /** @return whether a background load runs */
    boolean loading() {
        return loader != null;
    }

    @Override
    public Reply check(CommandSpec spec, ExecContext ctx, int db, byte[][] argv) {
        Thread t = loader;
        if (t == null || t == Thread.currentThread() || spec.has(CommandFlag.LOADING)) {
            return null;
        }
        return LOADING;
    }
}
