package io.redjar.internal.feed;

import io.redjar.AppendFsync;
import io.redjar.ErrorPrefix;
import io.redjar.internal.propagation.Effect;
import io.redjar.internal.propagation.EffectBatch;
import io.redjar.internal.propagation.EffectConsumer;

import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The change feed's writer: a consumer of the propagation bus that gives each effect the next
 * feed offset and appends it to the {@link FeedLog}.
 *
 * <p><b>Design.</b> As the append-only file's writer: {@link #accept} only encodes the batch's
 * records into a memory buffer (offsets {@code next, next+1, ...}, each record carrying its batch
 * size and index); {@link #endOfRound()} appends the whole round with one write and, under
 * {@code always}, one force before the records become visible to readers and before any writer
 * of the round returns (group commit). Then {@code onAppended} tells the subscriptions. The feed
 * keeps its own offsets because the bus's restart at each start: they continue from the log's
 * last offset (and from the highest committed consumer offset, see {@link FeedLog#open}).
 *
 * <p><b>Errors.</b> A failed write keeps the round's bytes in the buffer (the next round writes
 * them again, at the same place) and, under {@code always}, reports the round not durable: its
 * writers answer {@code MISCONF Errors writing to the change feed: <why>}. Under {@code everysec}
 * and {@code no} the writers are not failed; the error is logged once.
 *
 * <p><b>Thread-safety:</b> {@link #accept} and {@link #endOfRound} come from the bus's one
 * deliverer at a time; they and {@link #close} share state under {@code io}.
 */
final class FeedWriter implements EffectConsumer {
    private static final System.Logger LOG = System.getLogger("io.redjar");

    private final FeedLog log;
    private final Runnable onAppended;
    private final ReentrantLock io = new ReentrantLock();
    private final FeedRecords.Sink out = new FeedRecords.Sink();
    private final AppendFsync policy;
    /** Next offset to assign; under io. */
    private long next;
    /** First offset in {@link #out}; under io. */
    private long bufferedFirst;
    private volatile String lastError;
    private volatile boolean closed;

    FeedWriter(FeedLog log, AppendFsync policy, Runnable onAppended) {
        this.log = log;
        this.policy = policy;
        this.onAppended = onAppended;
        this.next = log.lastOffset() + 1;
        this.bufferedFirst = next;
    }

    @Override
    public void accept(EffectBatch batch) {
        io.lock();
        try {
            if (closed) {
                return;
            }
            int n = batch.size();
            for (int i = 0; i < n; i++) {
                Effect e = batch.get(i);
                out.record(next++, e.db(), n, i, e.argv());
            }
        } finally {
            io.unlock();
        }
    }

    @Override
    public boolean slowRounds() {
        return policy == AppendFsync.ALWAYS && !closed;
    }

    @Override
    public String endOfRound() {
        String err;
        boolean had;
        io.lock();
        try {
            if (closed) {
                return null;
            }
            had = out.length() > 0;
            err = flush(policy == AppendFsync.ALWAYS);
        } finally {
            io.unlock();
        }
        if (had && err == null) {
            onAppended.run();
        }
        return err != null && policy == AppendFsync.ALWAYS ? ErrorPrefix.MISCONF.line("Errors writing to the change feed: " + err) : null;
    }

    /** Caller holds io. @return the error, or null */
    private String flush(boolean force) {
        if (out.length() == 0) {
            return null;
        }
        try {
            log.append(out.array(), out.length(), bufferedFirst, next - 1, force);
            out.clear();
            bufferedFirst = next;
            if (lastError != null) {
                LOG.log(System.Logger.Level.WARNING, "change feed write error looks solved");
                lastError = null;
            }
            return null;
        } catch (IOException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (lastError == null) {
                LOG.log(System.Logger.Level.WARNING, "Error writing to the change feed: " + why);
            }
            lastError = why;
            return why;
        }
    }

    /** {@code everysec}: forces what was written since the last sync. */
    void fsyncTick() {
        if (policy != AppendFsync.EVERYSEC || closed) {
            return;
        }
        try {
            log.sync();
        } catch (IOException | RuntimeException e) {
            // never let one failure cancel the schedule
            LOG.log(System.Logger.Level.WARNING, "Error syncing the change feed: " + e.getMessage());
        }
    }

    /** @return the last offset assigned (written or still buffered) */
    long lastAssigned() {
        io.lock();
        try {
            return next - 1;
        } finally {
            io.unlock();
        }
    }

    /** @return the last write error, or null */
    String lastError() {
        return lastError;
    }

    /** Writes what is buffered; later effects are ignored. @return the error, if the last bytes could not be written */
    String close() {
        io.lock();
        try {
            if (closed) {
                return null;
            }
            String err = flush(true);
            closed = true;
            return err;
        } finally {
            io.unlock();
        }
    }

    @Override
    public String toString() {
        return "ChangeFeedWriter[" + log + "]";
    }
}
