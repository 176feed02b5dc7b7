package io.redjar.internal.persistence.aof;

import io.redjar.ErrorPrefix;
import io.redjar.AppendFsync;
import io.redjar.ErrorPrefix;
import io.redjar.internal.propagation.Effect;
import io.redjar.internal.propagation.EffectBatch;
import io.redjar.internal.propagation.EffectConsumer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The append-only file's writer: a consumer of the propagation bus that encodes each effect as a
 * RESP command into the current incremental file.
 *
 * <p><b>Design.</b> {@link #accept} only encodes into a memory buffer ({@code SELECT} when the
 * database changes and at the start of each file; a batch of more than one effect wrapped in
 * {@code MULTI}/{@code EXEC}). {@link #endOfRound()}, called by the bus once per delivery round
 * (which already holds every batch queued while the previous round was being written), writes the
 * buffer with one positional {@code write} and, under {@code appendfsync always}, one
 * {@code force}: concurrent writers share one sync (group commit), and none of them returns before
 * its bytes are forced. {@code everysec} forces from {@link #fsyncTick()} (a background task
 * once a second) outside the writer's lock; {@code no} never forces.
 *
 * <p><b>Errors.</b> A failed write or force never throws to a writer: the unwritten bytes stay in
 * the buffer (the file's logical size does not move, so the retry rewrites them at the same
 * position over any partial write), {@link #lastWriteError()} is set (the disk-error gate
 * refuses writes with Redis's {@code MISCONF Errors writing to the AOF file: ...}) and, under
 * {@code always}, the round is reported not durable so its writers answer that error instead of
 * OK. {@link #retry()} (the store's cron, like Redis's {@code serverCron}) writes the buffer again;
 * once it succeeds the error clears.
 *
 * <p><b>Switching files</b> (a rewrite): {@link #switchAfter} names the bus offset of the rewrite's
 * cut and the new incremental file; the first batch after the cut, or {@link #switchIfPending},
 * writes and forces what the old file still needs and moves to the new one.
 *
 * <p><b>Thread-safety:</b> {@link #accept} and {@link #endOfRound} are called by the bus's one
 * deliverer at a time; every field they share with {@link #retry}, {@link #fsyncTick},
 * {@link #switchIfPending} and {@link #close} is guarded by {@code io}. Counters and the error are
 * volatile/atomic for INFO.
 */
public final class AofWriter implements EffectConsumer {
    private static final byte[] SELECT = "SELECT".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MULTI = "MULTI".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EXEC = "EXEC".getBytes(StandardCharsets.US_ASCII);
    private static final System.Logger LOG = System.getLogger("io.redjar");

    /** A pending switch to a new incremental file after bus offset {@code after}. */
    private record Switch(long after, AofFile file, String name) {
    }

    private final ReentrantLock io = new ReentrantLock();
    private final RespEncoding out = new RespEncoding(64 * 1024);
    private AofFile file;
    private String fileName;
    /** Bytes of the current file that are written (the next write's position). */
    private volatile long fileSize;
    /** Bytes of the current file known to be forced. */
    private volatile long fsyncedSize;
    private int db = -1;
    private volatile Switch pending;
    private volatile boolean switchFailed;
    private volatile AppendFsync policy;
    private volatile String lastWriteError;
    private final AtomicLong forces = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    private volatile boolean closed;

    /**
     * @param file     the current incremental file, open
     * @param name     its name (for logs)
     * @param size     its size now (appends go after it)
     * @param policy   the fsync policy
     */
    public AofWriter(AofFile file, String name, long size, AppendFsync policy) {
        this.file = file;
        this.fileName = name;
        this.fileSize = size;
        this.fsyncedSize = size;
        this.policy = policy;
    }

    /** Changes the fsync policy (CONFIG SET appendfsync). */
    public void policy(AppendFsync p) {
        this.policy = p;
    }

    public AppendFsync policy() {
        return policy;
    }

    @Override
    public void accept(EffectBatch batch) {
        io.lock();
        try {
            if (closed) {
                return;
            }
            Switch s = pending;
            if (s != null && batch.firstOffset() > s.after()) {
                doSwitch(s);
            }
            int n = batch.size();
            if (n > 1) {
                select(batch.get(0).db());
                out.command(MULTI);
            }
            for (int i = 0; i < n; i++) {
                Effect e = batch.get(i);
                select(e.db());
                out.command(e.argv());
            }
            if (n > 1) {
                out.command(EXEC);
            }
        } finally {
            io.unlock();
        }
    }

    private void select(int target) {
        if (target != db) {
            out.command(SELECT, Integer.toString(target).getBytes(StandardCharsets.US_ASCII));
            db = target;
        }
    }

    /** Under {@code always} each round is synced: network calls wait for it off their event loop. */
    @Override
    public boolean slowRounds() {
        return policy == AppendFsync.ALWAYS && !closed;
    }

    @Override
    public String endOfRound() {
        io.lock();
        try {
            if (closed) {
                return null;
            }
            boolean always = policy == AppendFsync.ALWAYS;
            String err = flush(always);
            return err != null && always ? misconf(err) : null;
        } finally {
            io.unlock();
        }
    }

    /** Caller holds io: writes the buffer (and forces when asked). @return the error, or null */
    private String flush(boolean force) {
        try {
            if (out.length() > 0) {
                file.write(out.view(), fileSize);
                writes.incrementAndGet();
                fileSize += out.length();
                out.clear();
            }
            if (force && fsyncedSize < fileSize) {
                file.force();
                forces.incrementAndGet();
                fsyncedSize = fileSize;
            }
            if (lastWriteError != null) {
                LOG.log(System.Logger.Level.WARNING, "AOF write error looks solved, Redis can write again.");
                lastWriteError = null;
            }
            return null;
        } catch (IOException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (lastWriteError == null) {
                LOG.log(System.Logger.Level.WARNING, "Error writing to the AOF file " + fileName + ": " + why);
            }
            lastWriteError = why;
            try {
                file.truncate(fileSize); // drop a partial write; the retry rewrites it anyway
            } catch (IOException ignored) {
                // the retry writes at fileSize over whatever is there
            }
            return why;
        }
    }

    /** @return Redis's refusal text for a write error */
    public static String misconf(String why) {
        return ErrorPrefix.MISCONF.name() + " Errors writing to the AOF file: " + why;
    }

    /** The cron: retries a failed write (and its sync) so the error can clear. */
    public void retry() {
        if (lastWriteError == null) {
            return;
        }
        io.lock();
        try {
            if (!closed) {
                flush(policy != AppendFsync.NO);
            }
        } finally {
            io.unlock();
        }
    }

    /** {@code everysec}: forces what was written since the last sync, outside the writer's lock. */
    public void fsyncTick() {
        if (policy != AppendFsync.EVERYSEC) {
            return;
        }
        AofFile f;
        long target;
        io.lock();
        try {
            if (closed || fsyncedSize >= fileSize) {
                return;
            }
            f = file;
            target = fileSize;
        } finally {
            io.unlock();
        }
        try {
            f.force();
            forces.incrementAndGet();
            io.lock();
            try {
                if (f == file && fsyncedSize < target) {
                    fsyncedSize = target;
                }
            } finally {
                io.unlock();
            }
        } catch (java.nio.channels.ClosedChannelException e) {
            // switched away meanwhile: the switch forced it
        } catch (IOException e) {
            io.lock();
            try {
                if (f == file) {
                    lastWriteError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                    LOG.log(System.Logger.Level.WARNING, "Error syncing the AOF file " + fileName + ": " + lastWriteError);
                }
            } finally {
                io.unlock();
            }
        }
    }

    /**
     * Effects after bus offset {@code after} go to {@code next} (a rewrite's cut): the switch
     * happens at the first later batch or at {@link #switchIfPending()}.
     */
    public void switchAfter(long after, AofFile next, String name) {
        // no lock: this runs at a rewrite's cut with every shard lock held, and the deliverer may
        // hold io through a sync; the deliverer reads the volatile at its next batch
        switchFailed = false;
        pending = new Switch(after, next, name);
    }

    /** @return whether a switch was requested and has not happened yet */
    public boolean switchPending() {
        return pending != null;
    }

    /**
     * Performs a pending switch now (the caller made sure every effect up to the cut was
     * delivered). @return whether the writer is on the new file
     */
    public boolean switchIfPending() {
        io.lock();
        try {
            Switch s = pending;
            if (s != null) {
                doSwitch(s);
            }
            return pending == null && !switchFailed;
        } finally {
            io.unlock();
        }
    }

    /** Caller holds io. */
    private void doSwitch(Switch s) {
        String err = flush(true);
        if (err != null) {
            // the old file must hold everything up to the cut before the new one starts
            switchFailed = true;
            pending = null;
            LOG.log(System.Logger.Level.WARNING, "AOF switch to " + s.name() + " cancelled: " + err);
            return;
        }
        try {
            file.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing " + fileName + ": " + e.getMessage());
        }
        file = s.file();
        fileName = s.name();
        fileSize = 0;
        fsyncedSize = 0;
        db = -1;
        pending = null;
    }

    /** @return the current incremental file's name */
    public String fileName() {
        return fileName;
    }

    /** @return bytes written to the current incremental file */
    public long fileSize() {
        return fileSize;
    }

    /** @return bytes of the current file known to be forced to disk */
    public long fsyncedSize() {
        return fsyncedSize;
    }

    /** @return bytes encoded but not yet written (Redis's {@code aof_buffer_length}) */
    public int bufferLength() {
        io.lock();
        try {
            return out.length();
        } finally {
            io.unlock();
        }
    }

    /** @return the last write or sync error, or null when the file is written fine */
    public String lastWriteError() {
        return lastWriteError;
    }

    /** @return how many times the file was forced */
    public long forces() {
        return forces.get();
    }

    /** @return how many writes reached the file */
    public long writes() {
        return writes.get();
    }

    /** @return whether a pending switch was abandoned because the old file could not be finished */
    public boolean switchFailed() {
        return switchFailed;
    }

    /**
     * Writes and forces what is buffered and closes the file (the store's close). @return the
     * error if the last bytes could not be written
     */
    public String closeFile() {
        io.lock();
        try {
            if (closed) {
                return null;
            }
            String err = flush(true); // Redis forces at shutdown whatever the policy
            closed = true;
            try {
                file.close();
            } catch (IOException e) {
                err = err == null ? e.getMessage() : err;
            }
            Switch s = pending;
            if (s != null) {
                try {
                    s.file().close();
                } catch (IOException ignored) {
                    // nothing was written to it
                }
            }
            return err;
        } finally {
            io.unlock();
        }
    }

    @Override
    public String toString() {
        return "AofWriter[" + fileName + "]";
    }
}
