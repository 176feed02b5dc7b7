package io.redjar.internal.persistence;

import io.redjar.RedJarException;
import io.redjar.internal.keyspace.Keyspace;
import io.redjar.internal.keyspace.Shard;
import io.redjar.internal.persistence.rdb.RdbEntries;
import io.redjar.internal.persistence.rdb.RdbLoader;
import io.redjar.internal.persistence.rdb.RdbWriter;
import io.redjar.internal.persistence.aof.BaseRdbWriter;
import io.redjar.internal.persistence.snapshot.Image;
import io.redjar.internal.persistence.snapshot.Snapshotter;
import io.redjar.internal.script.function.FunctionRegistry;
import io.redjar.internal.server.SavePoints;
import io.redjar.internal.server.ServerConfig;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * RDB snapshots: SAVE, BGSAVE, the {@code save} points, loading {@code dir/dbfilename} at start-up
 * and the state INFO persistence reports, as redis-server's {@code rdb.c} + {@code serverCron}.
 *
 * <p><b>Design.</b> A save is one {@link Snapshotter} image written as an RDB file: the cut
 * records the function libraries and the change counter; the shards are encoded at the cut's
 * state (by the first thread to lock each, or by the saving thread) and streamed to
 * {@code temp-<pid>-<n>.rdb} in the same directory, which is forced to disk and renamed over the
 * target (then the directory is forced), so a crash never leaves a half-written dump under the
 * real name. BGSAVE runs that on the {@code redjar-bgsave} thread; SAVE runs it on the caller's
 * thread: unlike Redis's SAVE, other clients keep being served meanwhile. One save at a time
 * (shared with AOF rewrites through the snapshotter).
 *
 * <p><b>Thread-safety:</b> thread-safe. State changes are guarded by {@code this}; the fields INFO
 * reads are volatile.
 */
public final class RdbSnapshots {
    private static final System.Logger LOG = System.getLogger("io.redjar.persistence");
    /** Redis's CONFIG_BGSAVE_RETRY_DELAY: after a failed BGSAVE, save points wait this long. */
    private static final long RETRY_DELAY_MS = 5_000;
    private static final AtomicLong TEMP_SEQ = new AtomicLong();

    private final Keyspace keyspace;
    private final ServerConfig config;
    private final Snapshotter snapshotter;
    private final FunctionRegistry functions;
    private final LongSupplier usedMemory;
    private final ExecutorService background;

    private volatile boolean inProgress;
    private volatile boolean scheduled;
    private volatile long currentStartMillis = -1;
    private volatile long lastDurationSec = -1;
    private volatile boolean lastOk = true;
    private volatile long lastTryMillis;
    private volatile long lastSaveSec;
    private volatile long dirtyAtLastSave;
    private volatile long saves;
    private volatile long keysProcessed;
    private volatile long keysTotal;
    private volatile String lastError;
    private final LoadState loading = new LoadState();

    /** A background load is starting or running (INFO's loading:1 before the file is opened). */
    void loadingPending(boolean pending) {
        loading.pending = pending;
    }

    /** Loading progress, for INFO persistence and the log. */
    static final class LoadState {
        volatile boolean active;
        volatile boolean pending;
        volatile long startSec;
        volatile long startNanos;
        volatile long totalBytes;
        volatile long loadedBytes;
        volatile long lastKeysLoaded;
        volatile long lastKeysExpired;
    }

    public RdbSnapshots(Keyspace keyspace, ServerConfig config, Snapshotter snapshotter, FunctionRegistry functions,
                        LongSupplier usedMemory) {
        this.keyspace = keyspace;
        this.config = config;
        this.snapshotter = snapshotter;
        this.functions = functions;
        this.usedMemory = usedMemory;
        this.lastSaveSec = System.currentTimeMillis() / 1000;
        this.background = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "redjar-bgsave");
            t.setDaemon(true);
            return t;
        });
    }

    /** @return the dump file: {@code dir/dbfilename} */
    public Path file() {
        return Path.of(config.get("dir")).resolve(config.get("dbfilename"));
    }

    // ---- saving ----------------------------------------------------------------------------

    /**
     * SAVE: writes the snapshot now, on the calling thread.
     *
     * @throws RedJarException {@code ERR Background save already in progress}, or {@code ERR} when
     *                         the save failed (logged)
     */
    public void save() {
        synchronized (this) {
            if (inProgress) {
                throw new RedJarException("ERR Background save already in progress");
            }
            begin();
        }
        if (!run()) {
            throw new RedJarException("ERR");
        }
    }

    /**
     * BGSAVE [SCHEDULE].
     *
     * @return the status reply text
     * @throws RedJarException Redis's errors
     */
    public synchronized String bgsave(boolean schedule) {
        if (inProgress) {
            throw new RedJarException("ERR Background save already in progress");
        }
        if (snapshotter.isBusy()) {
            if (schedule) {
                scheduled = true;
                return "Background saving scheduled";
            }
            throw new RedJarException("ERR Another child process is active (AOF?): can't BGSAVE right now. "
                + "Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.");
        }
        begin();
        try {
            background.execute(this::run);
        } catch (RuntimeException e) {
            inProgress = false;
            throw new RedJarException("ERR Background save failed to start: " + e);
        }
        return "Background saving started";
    }

    /** @return a future of a background save started now (tests, the Java API); null if one runs */
    public synchronized java.util.concurrent.CompletableFuture<Boolean> bgsaveFuture() {
        if (inProgress || snapshotter.isBusy()) {
            return null;
        }
        begin();
        java.util.concurrent.CompletableFuture<Boolean> cf = new java.util.concurrent.CompletableFuture<>();
        try {
            background.execute(() -> cf.complete(run()));
        } catch (RuntimeException e) {
            inProgress = false;
            throw new RedJarException("ERR Background save failed to start: " + e);
        }
        return cf;
    }

    private void begin() {
        inProgress = true;
        scheduled = false;
        currentStartMillis = System.currentTimeMillis();
        lastTryMillis = currentStartMillis;
    }

    /** Writes the dump and updates the state; @return whether it succeeded */
    private boolean run() {
        long start = System.nanoTime();
        long[] dirtyAtCut = new long[1];
        boolean ok = false;
        try {
            writeSnapshot(file(), dirtyAtCut);
            ok = true;
            lastError = null;
        } catch (IOException | RuntimeException e) {
            lastError = e.toString();
            LOG.log(System.Logger.Level.WARNING, "Background saving error: " + e, e);
        } finally {
            synchronized (this) {
                lastOk = ok;
                lastDurationSec = (System.nanoTime() - start) / 1_000_000_000L;
                currentStartMillis = -1;
                inProgress = false;
                if (ok) {
                    dirtyAtLastSave = dirtyAtCut[0];
                    lastSaveSec = System.currentTimeMillis() / 1000;
                    saves++;
                }
            }
        }
        if (ok) {
            LOG.log(System.Logger.Level.INFO, "DB saved on disk");
        }
        return ok;
    }

    /**
     * Writes a point-in-time RDB image of the store to {@code target}, atomically (temp file,
     * force, rename, force the directory).
     */
    void writeSnapshot(Path target, long[] dirtyAtCut) throws IOException {
        boolean compression = config.get("rdbcompression").equals("yes");
        boolean checksum = config.get("rdbchecksum").equals("yes");
        Object[] libs = new Object[1];
        long[] total = new long[1];
        Path dir = target.toAbsolutePath().getParent();
        Path temp = dir.resolve("temp-" + ProcessHandle.current().pid() + "-" + TEMP_SEQ.incrementAndGet() + ".rdb");
        try (Image img = snapshotter.begin(s -> encodeShard(s, compression), () -> {
            libs[0] = functions.libraryCodes();
            dirtyAtCut[0] = keyspace.dirty();
            for (int i = 0; i < keyspace.shardCount(); i++) {
                for (int db = 0; db < keyspace.databases(); db++) {
                    total[0] += keyspace.shard(i).table(db).size();
                }
            }
        })) {
            keysTotal = total[0];
            keysProcessed = 0;
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream os = Channels.newOutputStream(ch)) {
                @SuppressWarnings("unchecked")
                List<byte[]> codes = (List<byte[]>) libs[0];
                writeRdb(os, codes, img::shard, img.shards(), false, target.getFileName().toString(), total[0], checksum, compression);
                ch.force(true);
            }
            Image.Stats st = img.stats();
            if (st.capturedByOthers() > 0) {
                LOG.log(System.Logger.Level.DEBUG, "snapshot: " + st.capturedByOthers() + " shards captured by writers, longest "
                    + st.longestOtherCaptureNanos() / 1000 + " us, peak buffered " + st.peakBufferedBytes() + " bytes");
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            forceDirectory(dir);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /**
     * Writes a whole RDB: header, aux fields, the function libraries, then the shard images in
     * order, EOF and checksum (the dump, and an AOF base with {@code aofBase}).
     */
    private void writeRdb(OutputStream os, List<byte[]> codes, java.util.function.IntFunction<byte[]> shards, int n,
                          boolean aofBase, String label, long totalKeys, boolean checksum, boolean compression) {
        RdbWriter w = new RdbWriter(os, compression, checksum).evictionInfo(evictionInfo());
        w.header();
        w.aux("redis-ver", io.redjar.internal.server.ServerState.REDIS_VERSION);
        w.auxLong("redis-bits", 64);
        w.auxLong("ctime", System.currentTimeMillis() / 1000);
        w.auxLong("used-mem", usedMemory.getAsLong());
        w.auxLong("aof-base", aofBase ? 1 : 0);
        for (byte[] code : codes) {
            w.function(new String(code, java.nio.charset.StandardCharsets.UTF_8));
        }
        long startNanos = System.nanoTime();
        long lastLog = startNanos;
        for (int i = 0; i < n; i++) {
            byte[] b = shards.apply(i);
            w.raw(b, 0, b.length);
            // per-shard key counts are known at the cut only in total: progress by shard
            keysProcessed = totalKeys * (i + 1) / n;
            long now = System.nanoTime();
            if (now - lastLog > 1_000_000_000L) {
                lastLog = now;
                LOG.log(System.Logger.Level.INFO, String.format(java.util.Locale.ROOT,
                    "Saving %s: %.1f%% (%d of %d keys, %.0f keys/s)", label, 100.0 * (i + 1) / n, keysProcessed, totalKeys,
                    keysProcessed / ((now - startNanos) / 1e9)));
            }
        }
        w.end();
        w.flush();
    }

    // ---- the append-only file's seams -------------------------------------------------------

    /** An image for an AOF rewrite, with the function libraries taken at its cut. */
    private static final class AofImage implements io.redjar.internal.persistence.aof.PointInTime.Image {
        final Image img;
        final List<byte[]> libs;

        AofImage(Image img, List<byte[]> libs) {
            this.img = img;
            this.libs = libs;
        }

        @Override
        public int shards() {
            return img.shards();
        }

        @Override
        public byte[] shard(int i) {
            return img.shard(i);
        }

        @Override
        public long cutOffset() {
            return img.cutOffset();
        }

        @Override
        public void close() {
            img.close();
        }
    }

    /** @return AOF rewrites' point-in-time images: the {@link Snapshotter} (one image at a time with BGSAVE) */
    public io.redjar.internal.persistence.aof.PointInTime pointInTime() {
        return (ks, encoder, atCut) -> {
            Object[] libs = new Object[1];
            Image img = snapshotter.begin(encoder::encode, () -> {
                libs[0] = functions.libraryCodes();
                atCut.run();
            });
            @SuppressWarnings("unchecked")
            List<byte[]> l = (List<byte[]>) libs[0];
            return new AofImage(img, l);
        };
    }

    /** @return the writer of AOF bases in RDB form ({@code aof-use-rdb-preamble yes}) */
    public BaseRdbWriter aofBaseWriter() {
        return new BaseRdbWriter() {
            @Override
            public io.redjar.internal.persistence.aof.PointInTime.ShardEncoder encoder() {
                boolean compression = config.get("rdbcompression").equals("yes");
                return s -> encodeShard(s, compression);
            }

            @Override
            public void write(io.redjar.internal.persistence.aof.PointInTime.Image image, OutputStream out) throws IOException {
                List<byte[]> libs = image instanceof AofImage a ? a.libs : functions.libraryCodes();
                try {
                    writeRdb(out, libs, image::shard, image.shards(), true, "AOF base", 0,
                        config.get("rdbchecksum").equals("yes"), config.get("rdbcompression").equals("yes"));
                } catch (java.io.UncheckedIOException e) {
                    throw e.getCause();
                }
            }
        };
    }

    /** Loads an AOF's RDB base (start-up); @throws IOException naming the file and offset */
    public void loadAofBase(Path file) throws IOException {
        try {
            load(file);
        } catch (RedJarException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** One shard's entries as RDB bytes (SELECTDB, RESIZEDB, entries); called under the shard's lock. */
    private byte[] encodeShard(Shard s, boolean compression) {
        return RdbEntries.encodeShard(keyspace, s, compression, evictionInfo());
    }

    /** Which per-key access information the dump keeps (Redis's rule: idle times under LRU policies). */
    private RdbWriter.EvictionInfo evictionInfo() {
        io.redjar.internal.eviction.access.EvictionPolicy policy = config.maxmemoryPolicy();
        // the W-TinyLFU policies keep the LRU clock in the access bits, so they save idle times too
        return policy.lru() ? RdbWriter.EvictionInfo.LRU
            : policy.lfu() ? RdbWriter.EvictionInfo.LFU : RdbWriter.EvictionInfo.NONE;
    }
    static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some filesystems refuse to open or sync a directory; the rename itself is done
        }
    }

    // ---- save points ----------------------------------------------------------------------

    /** The cron step (about once a second): a scheduled BGSAVE, or a save point that is due. */
    public void cron() {
        if (inProgress || snapshotter.isBusy()) {
            return;
        }
        long now = System.currentTimeMillis();
        if (scheduled) {
            try {
                bgsave(false);
            } catch (RedJarException e) {
                // still busy: try next time
            }
            return;
        }
        SavePoints points = savePoints();
        if (points.isEmpty()) {
            return;
        }
        long changes = keyspace.dirty() - dirtyAtLastSave;
        if (points.due(changes, now / 1000 - lastSaveSec) && (lastOk || now - lastTryMillis > RETRY_DELAY_MS)) {
            LOG.log(System.Logger.Level.INFO, changes + " changes in " + (now / 1000 - lastSaveSec) + " seconds. Saving...");
            try {
                bgsave(false);
            } catch (RedJarException e) {
                // raced with another save
            }
        }
    }

    SavePoints savePoints() {
        SavePoints p = SavePoints.parse(config.get("save"));
        return p == null ? SavePoints.NONE : p;
    }

    /** @return whether a save is running */
    public boolean inProgress() {
        return inProgress;
    }

    /** Waits for a running background save (shutdown); @return whether none runs any more */
    public boolean awaitIdle(long timeoutMs) {
        long end = System.currentTimeMillis() + timeoutMs;
        while (inProgress && System.currentTimeMillis() < end) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return !inProgress;
    }

    /** @return LASTSAVE: the unix time of the last successful save (start-up time before the first) */
    public long lastSave() {
        return lastSaveSec;
    }

    /**
     * The MISCONF refusal of {@code stop-writes-on-bgsave-error}: writes are refused while the last
     * background save failed and save points are set.
     *
     * @return the error text, or null
     */
    public String refusal() {
        if (lastOk || !config.get("stop-writes-on-bgsave-error").equals("yes") || savePoints().isEmpty()) {
            return null;
        }
        return io.redjar.ErrorPrefix.MISCONF.name() + " Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. "
            + "Commands that may modify the data set are disabled, because this instance is configured to report "
            + "errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). "
            + "Please check the Redis logs for details about the RDB error.";
    }

    // ---- loading --------------------------------------------------------------------------

    /**
     * Loads {@code file} into the (empty, or for DEBUG RELOAD MERGE non-empty) keyspace, logging
     * progress.
     *
     * @return whether the file existed
     * @throws RedJarException naming the file and the problem
     */
    public boolean load(Path file) {
        return load(file, false);
    }

    /**
     * {@link #load(Path)}; {@code exclusive}: hold every shard lock for the whole load (faster;
     * only when nothing else can use the store, the synchronous start-up).
     */
    public boolean load(Path file, boolean exclusive) {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new RedJarException("ERR cannot read " + file + ": " + e.getMessage());
        }
        LOG.log(System.Logger.Level.INFO, "Loading RDB " + file + " (" + size + " bytes)");
        loading.active = true;
        loading.startSec = System.currentTimeMillis() / 1000;
        loading.startNanos = System.nanoTime();
        loading.totalBytes = size;
        loading.loadedBytes = 0;
        long[] lastLog = {System.nanoTime()};
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            RdbLoader loader = new RdbLoader(keyspace, this::loadFunction, config.limits()).exclusive(exclusive)
                .lfuPolicy(config.maxmemoryPolicy().lfu());
            RdbLoader.Stats st = loader.load(in, size, (bytes, total, keys) -> {
                loading.loadedBytes = bytes;
                long now = System.nanoTime();
                if (now - lastLog[0] > 1_000_000_000L) {
                    lastLog[0] = now;
                    double secs = (now - loading.startNanos) / 1e9;
                    LOG.log(System.Logger.Level.INFO, String.format(java.util.Locale.ROOT,
                        "Loading RDB: %.1f%% (%d keys, %.0f keys/s, eta %d s)", total == 0 ? 100.0 : 100.0 * bytes / total,
                        keys, keys / Math.max(secs, 1e-9), etaSeconds()));
                }
            });
            loading.lastKeysLoaded = st.keysLoaded;
            loading.lastKeysExpired = st.expiredSkipped;
            double secs = (System.nanoTime() - loading.startNanos) / 1e9;
            LOG.log(System.Logger.Level.INFO, String.format(java.util.Locale.ROOT,
                "Done loading RDB, keys loaded: %d, keys expired: %d (%.3f seconds)", st.keysLoaded, st.expiredSkipped, secs));
            dirtyAtLastSave = keyspace.dirty();
            lastSaveSec = System.currentTimeMillis() / 1000;
            return true;
        } catch (RdbLoader.RdbLoadException e) {
            throw new RedJarException("ERR Bad RDB file " + file + ": " + e.getMessage());
        } catch (IOException e) {
            throw new RedJarException("ERR Short read or I/O error loading " + file + ": " + e.getMessage());
        } catch (RedJarException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RedJarException("ERR Bad RDB file " + file + ": " + e.getMessage());
        } finally {
            loading.active = false;
        }
    }

    private void loadFunction(String code) {
        functions.load(code.getBytes(java.nio.charset.StandardCharsets.UTF_8), true, 0);
    }

    private long etaSeconds() {
        long loaded = loading.loadedBytes;
        double secs = (System.nanoTime() - loading.startNanos) / 1e9;
        if (loaded <= 0 || secs <= 0) {
            return 1;
        }
        return (long) ((loading.totalBytes - loaded) / (loaded / secs));
    }

    // ---- INFO ------------------------------------------------------------------------------

    /** INFO persistence's loading and rdb_* fields, in Redis 7.0's order. */
    public void appendLoadingInfo(StringBuilder sb) {
        boolean l = loading.active;
        f(sb, "loading", l || loading.pending ? 1 : 0);
        f(sb, "async_loading", 0);
        f(sb, "current_cow_peak", 0);
        f(sb, "current_cow_size", 0);
        f(sb, "current_cow_size_age", 0);
        f(sb, "current_fork_perc", "0.00");
        f(sb, "current_save_keys_processed", inProgress ? keysProcessed : 0);
        f(sb, "current_save_keys_total", inProgress ? keysTotal : 0);
        if (l) {
            long total = loading.totalBytes;
            long loaded = loading.loadedBytes;
            f(sb, "loading_start_time", loading.startSec);
            f(sb, "loading_total_bytes", total);
            f(sb, "loading_rdb_used_mem", 0);
            f(sb, "loading_loaded_bytes", loaded);
            f(sb, "loading_loaded_perc", String.format(java.util.Locale.ROOT, "%.2f", total == 0 ? 0.0 : 100.0 * loaded / total));
            f(sb, "loading_eta_seconds", etaSeconds());
        }
        f(sb, "rdb_changes_since_last_save", keyspace.dirty() - dirtyAtLastSave);
        f(sb, "rdb_bgsave_in_progress", inProgress ? 1 : 0);
        f(sb, "rdb_last_save_time", lastSaveSec);
        f(sb, "rdb_last_bgsave_status", lastOk ? "ok" : "err");
        f(sb, "rdb_last_bgsave_time_sec", lastDurationSec);
        long started = currentStartMillis;
        f(sb, "rdb_current_bgsave_time_sec", started < 0 ? -1 : (System.currentTimeMillis() - started) / 1000);
        f(sb, "rdb_saves", saves);
        f(sb, "rdb_last_cow_size", 0);
        f(sb, "rdb_last_load_keys_expired", loading.lastKeysExpired);
        f(sb, "rdb_last_load_keys_loaded", loading.lastKeysLoaded);
    }

    static void f(StringBuilder sb, String name, Object value) {
        sb.append(name).append(':').append(value).append("\r\n");
    }

    /** @return the last save error, or null */
    public String lastError() {
        return lastError;
    }

    /** Stops the background thread (after {@link #awaitIdle}). */
    public void close() {
        background.shutdownNow();
    }
}
