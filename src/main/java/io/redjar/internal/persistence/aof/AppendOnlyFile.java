package io.redjar.internal.persistence.aof;

import io.redjar.AppendFsync;
import io.redjar.RedJarException;
import io.redjar.internal.command.CommandHost;
import io.redjar.internal.command.CommandTable;
import io.redjar.internal.command.Dispatcher;
import io.redjar.internal.keyspace.Keyspace;
import io.redjar.internal.server.ServerConfig;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The append-only file as a whole (Redis's {@code aof.c} state machine): loading at start-up,
 * the {@link AofWriter} on the propagation bus, rewrites (BGREWRITEAOF, the automatic
 * {@code auto-aof-rewrite-*} trigger, {@code CONFIG SET appendonly yes}), the manifest, the cron
 * (everysec sync, retry of a failed write, the automatic rewrite check), and INFO's {@code aof_*}
 * fields.
 *
 * <p><b>Rewrite without blocking writers.</b> (1) a new incremental file is created and the
 * manifest persisted with it (loading old base + old incrs + the empty new one is still right);
 * (2) a point-in-time image is begun, and at its cut (every shard lock held, no I/O) the writer is
 * told that effects after the cut's offset go to the new file; (3) the bus is drained and the
 * writer switched (the old file forced); (4) the new base is written from the image to a temp
 * file, forced and renamed; (5) the manifest is switched atomically: new base, old base and old
 * incrs as history, the new incr; (6) history files are deleted and the manifest persisted
 * without them. A crash at any step leaves a manifest that loads the same data. Enabling at
 * runtime registers the writer on a temp file first (not in any manifest) and lets the rewrite
 * switch it at the cut.
 *
 * <p><b>Thread-safety:</b> state changes (start, stop, rewrite steps touching the manifest) are
 * under {@code this}; the rewrite's I/O runs on its own thread; INFO reads volatiles.
 */
public final class AppendOnlyFile implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.redjar");

    private final Keyspace ks;
    private final ServerConfig config;
    private final CommandTable table;
    private final Dispatcher dispatcher;
    private final CommandHost host;
    private volatile BaseRdbLoader rdbLoader = BaseRdbLoader.NONE;
    private volatile BaseRdbWriter rdbWriter; // [lead] wired at integration; null: command form
    private volatile PointInTime pointInTime = PointInTime.LOCK_ALL; // [lead] the Snapshotter
    private volatile BooleanSupplier otherChildActive = () -> false; // [lead] BGSAVE in progress
    private volatile AofFile.Opener opener = AofFile.Opener.NIO;

    private AofManifest manifest;
    private Path dir;
    private String name;
    private volatile AofWriter writer;
    /** Sizes of the files the manifest lists, apart from the writer's current incr. */
    private volatile long otherFilesSize;
    private volatile long rewriteBaseSize;
    private volatile boolean enabled;

    private final ExecutorService rewriter = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "redjar-aof-rewrite");
        t.setDaemon(true);
        return t;
    });
    private ScheduledExecutorService cron;
    private volatile Future<?> rewriteTask;
    private volatile boolean rewriteScheduled;
    private volatile long rewriteStartMs = -1;
    private volatile long lastRewriteSecs = -1;
    private volatile boolean lastRewriteOk = true;
    private volatile long rewrites;
    private volatile long consecutiveFailures;
    private volatile boolean started;
    private volatile boolean closed;
    private volatile String loadedNote;

    public AppendOnlyFile(Keyspace ks, ServerConfig config, CommandTable table, Dispatcher dispatcher, CommandHost host) {
        this.ks = ks;
        this.config = config;
        this.table = table;
        this.dispatcher = dispatcher;
        this.host = host;
    }

    // ---- seams (the lead wires these at integration) ----------------------------------------

    /** The RDB loader for RDB bases. */
    public void rdbLoader(BaseRdbLoader l) {
        this.rdbLoader = l;
    }

    /** The RDB writer for {@code aof-use-rdb-preamble yes}; null keeps the command form. */
    public void rdbWriter(BaseRdbWriter w) {
        this.rdbWriter = w;
    }

    /** The point-in-time image source (the snapshotter). */
    public void pointInTime(PointInTime p) {
        this.pointInTime = p;
    }

    /** Whether another background job (BGSAVE) runs: a BGREWRITEAOF is then scheduled. */
    public void otherChildActive(BooleanSupplier s) {
        this.otherChildActive = s;
    }

    /** How files are opened (tests inject failures). */
    public void opener(AofFile.Opener o) {
        this.opener = o;
    }

    // ---- start-up --------------------------------------------------------------------------

    /**
     * Start-up with {@code appendonly yes}: loads the files the manifest lists (none if the
     * directory or manifest does not exist), creates what is missing (directory, base, incr),
     * persists the manifest and starts the writer.
     *
     * @throws RedJarException if a file cannot be loaded
     */
    public synchronized void start() {
        hooks();
        started = true;
        if (!config.get("appendonly").equals("yes")) {
            return;
        }
        paths();
        try {
            Path mf = dir.resolve(AofManifest.fileName(name));
            manifest = Files.exists(mf) ? AofManifest.read(mf) : new AofManifest(null, List.of(), List.of());
            if (manifest.base() != null || !manifest.incrs().isEmpty()) {
                AofLoader.Result r;
                ks.propagation().suppress(true); // replayed writes are not new effects (no sink, no replica)
                try {
                    r = new AofLoader(dispatcher, host, rdbLoader,
                        config.get("aof-load-truncated").equals("yes")).load(dir, manifest);
                } finally {
                    ks.propagation().suppress(false);
                }
                loadedNote = "loaded " + r.files() + " AOF files, " + r.commands() + " commands"
                    + (r.bytesDropped() > 0 ? ", " + r.bytesDropped() + " truncated bytes dropped" : "");
                LOG.log(System.Logger.Level.INFO, "DB " + loadedNote);
            }
            Files.createDirectories(dir);
            if (manifest.base() == null && manifest.incrs().isEmpty()) {
                // first start: a base from the (empty) data set, as Redis's aofOpenIfNeededOnServerStart
                AofManifest.Entry base = writeBase(1, PointInTime.LOCK_ALL);
                manifest = new AofManifest(base, manifest.history(), List.of());
                LOG.log(System.Logger.Level.INFO, "Creating AOF base file " + base.name() + " on server start");
            }
            AofManifest.Entry incr = manifest.lastIncr();
            if (incr == null) {
                incr = new AofManifest.Entry(AofManifest.incrName(name, 1), 1, AofManifest.Type.INCR);
                manifest = new AofManifest(manifest.base(), manifest.history(), List.of(incr));
                LOG.log(System.Logger.Level.INFO, "Creating AOF incr file " + incr.name() + " on server start");
            }
            AofFile f = opener.open(dir.resolve(incr.name()));
            long size = f.size();
            manifest.write(dir, name);
            otherFilesSize = totalSize(manifest) - size;
            rewriteBaseSize = otherFilesSize + size;
            AofWriter w = new AofWriter(f, incr.name(), size, fsync());
            ks.propagation().addConsumer(w);
            writer = w;
            enabled = true;
            startCron();
        } catch (IOException e) {
            throw new RedJarException("Can't open or load the append-only file in " + dir + ": " + e.getMessage());
        }
    }

    private void paths() {
        dir = Path.of(config.get("dir")).resolve(config.get("appenddirname"));
        name = config.get("appendfilename");
    }

    private AppendFsync fsync() {
        return switch (config.get("appendfsync").toLowerCase(Locale.ROOT)) {
            case "always" -> AppendFsync.ALWAYS;
            case "no" -> AppendFsync.NO;
            default -> AppendFsync.EVERYSEC;
        };
    }

    private long totalSize(AofManifest m) throws IOException {
        long t = 0;
        if (m.base() != null && Files.exists(dir.resolve(m.base().name()))) {
            t += Files.size(dir.resolve(m.base().name()));
        }
        for (AofManifest.Entry e : m.incrs()) {
            Path p = dir.resolve(e.name());
            if (Files.exists(p)) {
                t += Files.size(p);
            }
        }
        return t;
    }

    /** The background work (everysec sync, retries, rewrite checks): only once the file is in use. */
    private synchronized void startCron() {
        if (cron != null || closed) {
            return;
        }
        cron = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "redjar-aof-cron");
            t.setDaemon(true);
            return t;
        });
        cron.scheduleWithFixedDelay(() -> guard(() -> {
            AofWriter w = writer;
            if (w != null) {
                w.fsyncTick();
            }
        }), 1000, 1000, TimeUnit.MILLISECONDS);
        cron.scheduleWithFixedDelay(() -> guard(this::cronTick), 100, 100, TimeUnit.MILLISECONDS);
    }

    /** CONFIG SET appendfsync / appendonly take effect at runtime. */
    private void hooks() {
        config.onChange("appendfsync", v -> {
            AofWriter w = writer;
            if (w != null) {
                w.policy(fsync());
            }
        });
        config.onChange("appendonly", v -> {
            if (started && !closed) {
                Runnable change = v.equals("yes") ? this::enable : this::disable;
                if (holdsShardLock()) {
                    // inside EXEC or a script: registering the writer stops the world, which needs
                    // every shard lock; take effect right after, on a thread of its own
                    Thread t = new Thread(() -> guard(change), "redjar-aof-config");
                    t.setDaemon(true);
                    t.start();
                } else {
                    change.run();
                }
            }
        });
    }

    private boolean holdsShardLock() {
        for (int i = 0; i < ks.shardCount(); i++) {
            if (ks.shard(i).isHeldByCurrentThread()) {
                return true;
            }
        }
        return false;
    }

    private static void guard(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "AOF cron failed", e);
        }
    }

    /** Redis's serverCron part: retry a failed write, a scheduled rewrite, the automatic rewrite. */
    private void cronTick() {
        AofWriter w = writer;
        if (w != null) {
            w.retry();
        }
        if (closed) {
            return;
        }
        if (rewriteScheduled && !rewriteInProgress() && !otherChildActive.getAsBoolean()) {
            rewriteScheduled = false;
            startRewrite();
            return;
        }
        if (enabled && !rewriteInProgress() && !otherChildActive.getAsBoolean()) {
            long perc = config.longValue("auto-aof-rewrite-percentage");
            long size = currentSize();
            if (perc > 0 && size > config.longValue("auto-aof-rewrite-min-size")) {
                long base = rewriteBaseSize > 0 ? rewriteBaseSize : 1;
                long growth = size * 100 / base - 100;
                if (growth >= perc && consecutiveFailures < 3) {
                    LOG.log(System.Logger.Level.INFO, "Starting automatic rewriting of AOF on " + growth + "% growth");
                    startRewrite();
                }
            }
        }
    }

    // ---- runtime on/off --------------------------------------------------------------------

    /** CONFIG SET appendonly yes: a writer on a temp file now, then a rewrite creates the files. */
    private synchronized void enable() {
        if (enabled || writer != null) {
            return;
        }
        paths();
        try {
            Files.createDirectories(dir);
            Path mf = dir.resolve(AofManifest.fileName(name));
            manifest = Files.exists(mf) ? AofManifest.read(mf) : new AofManifest(null, List.of(), List.of());
            String temp = "temp-" + name + ".incr";
            AofWriter w = new AofWriter(opener.open(dir.resolve(temp)), temp, 0, fsync());
            ks.propagation().addConsumer(w);
            writer = w;
            enabled = true;
            startCron();
        } catch (IOException e) {
            throw new RedJarException("Can't open the append-only file in " + dir + ": " + e.getMessage());
        }
        if (rewriteInProgress()) {
            rewriteScheduled = true;
        } else {
            startRewrite();
        }
    }

    /** CONFIG SET appendonly no: waits out a rewrite, then flushes, syncs and closes. */
    private void disable() {
        Future<?> t = rewriteTask;
        if (t != null) {
            try {
                t.get();
            } catch (Exception ignored) {
                // its failure is logged and counted
            }
        }
        synchronized (this) {
            AofWriter w = writer;
            if (w == null) {
                return;
            }
            ks.propagation().removeConsumer(w);
            w.closeFile();
            writer = null;
            enabled = false;
        }
    }

    // ---- rewrite ---------------------------------------------------------------------------

    /** @return whether a rewrite runs now */
    public boolean rewriteInProgress() {
        Future<?> t = rewriteTask;
        return t != null && !t.isDone();
    }

    /**
     * BGREWRITEAOF. @return Redis's status reply text
     * @throws RedJarException with Redis's error when one runs already
     */
    public synchronized String bgrewriteaof() {
        if (rewriteInProgress()) {
            throw new RedJarException("ERR Background append only file rewriting already in progress");
        }
        if (otherChildActive.getAsBoolean()) {
            rewriteScheduled = true;
            consecutiveFailures = 0;
            startCron();
            return "Background append only file rewriting scheduled";
        }
        consecutiveFailures = 0;
        startRewrite();
        return "Background append only file rewriting started";
    }

    private synchronized void startRewrite() {
        if (rewriteInProgress() || closed) {
            return;
        }
        startCron();
        rewriteStartMs = System.currentTimeMillis();
        rewriteTask = rewriter.submit(this::rewrite);
    }

    /** Runs a rewrite now on the calling thread (tests, DEBUG). @return whether it succeeded */
    public boolean rewriteNow() {
        Future<?> f;
        synchronized (this) {
            if (!rewriteInProgress()) {
                rewriteStartMs = System.currentTimeMillis();
                rewriteTask = rewriter.submit(this::rewrite);
            }
            f = rewriteTask;
        }
        try {
            f.get();
        } catch (Exception e) {
            return false;
        }
        return lastRewriteOk;
    }

    private void rewrite() {
        boolean ok = false;
        try {
            doRewrite();
            ok = true;
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Background AOF rewrite failed: " + e.getMessage(), e);
        } finally {
            lastRewriteSecs = (System.currentTimeMillis() - rewriteStartMs) / 1000;
            rewriteStartMs = -1;
            lastRewriteOk = ok;
            if (ok) {
                rewrites++;
                consecutiveFailures = 0;
            } else {
                consecutiveFailures++;
            }
        }
    }

    private void doRewrite() throws IOException {
        AofManifest before;
        AofWriter w;
        AofManifest.Entry newIncr = null;
        AofFile newFile = null;
        synchronized (this) {
            if (dir == null) {
                paths();
            }
            Files.createDirectories(dir);
            if (manifest == null) {
                Path mf = dir.resolve(AofManifest.fileName(name));
                manifest = Files.exists(mf) ? AofManifest.read(mf) : new AofManifest(null, List.of(), List.of());
            }
            before = manifest;
            w = writer;
            if (w != null) {
                // (1) the new incr, listed before anything is written to it
                long seq = before.lastIncr() == null ? 1 : before.lastIncr().seq() + 1;
                newIncr = new AofManifest.Entry(AofManifest.incrName(name, seq), seq, AofManifest.Type.INCR);
                newFile = opener.open(dir.resolve(newIncr.name()));
                if (!w.fileName().startsWith("temp-")) {
                    List<AofManifest.Entry> incrs = new ArrayList<>(before.incrs());
                    incrs.add(newIncr);
                    manifest = new AofManifest(before.base(), before.history(), incrs);
                    manifest.write(dir, name);
                }
            }
        }
        long baseSeq = before.base() == null ? 1 : before.base().seq() + 1;
        // (2) the image, with the writer told the cut while every lock is held
        AofFile nf = newFile;
        String nn = newIncr == null ? null : newIncr.name();
        BaseRdbWriter rdb = config.get("aof-use-rdb-preamble").equals("yes") ? rdbWriter : null;
        PointInTime.ShardEncoder enc = rdb != null ? rdb.encoder() : new CommandFormEncoder(ks, table, host);
        if (rdb == null && config.get("aof-use-rdb-preamble").equals("yes")) {
            LOG.log(System.Logger.Level.INFO, "AOF rewrite: the RDB preamble is not wired yet; writing the base in command form");
        }
        String oldWriterFile = w == null ? null : w.fileName();
        AofManifest.Entry base;
        PointInTime.Image image;
        try {
            image = pointInTime.begin(ks, enc, () -> {
                if (w != null) {
                    w.switchAfter(ks.propagation().publishedOffset(), nf, nn);
                }
            });
        } catch (RuntimeException e) {
            // no cut was made (another image runs, the store closes): the new incr stays empty
            // (listed last, it loads as nothing) and is not kept open
            if (nf != null && !w.switchPending()) {
                nf.close();
            }
            throw e;
        }
        try (PointInTime.Image img = image) {
            // (3) everything up to the cut delivered, then the writer moves to the new incr
            if (w != null) {
                ks.propagation().drain();
                if (!w.switchIfPending()) {
                    throw new IOException("could not finish " + oldWriterFile + " before switching: " + w.lastWriteError());
                }
            }
            // (4) the base
            base = writeBase(baseSeq, img, rdb);
        }
        // (5) the manifest switch, (6) history deleted
        synchronized (this) {
            List<AofManifest.Entry> history = new ArrayList<>(manifest.history());
            if (manifest.base() != null) {
                history.add(new AofManifest.Entry(manifest.base().name(), manifest.base().seq(), AofManifest.Type.HISTORY));
            }
            for (AofManifest.Entry e : manifest.incrs()) {
                if (newIncr == null || !e.name().equals(newIncr.name())) {
                    history.add(new AofManifest.Entry(e.name(), e.seq(), AofManifest.Type.HISTORY));
                }
            }
            manifest = new AofManifest(base, history, newIncr == null ? List.of() : List.of(newIncr));
            manifest.write(dir, name);
            for (AofManifest.Entry h : history) {
                Files.deleteIfExists(dir.resolve(h.name()));
            }
            if (oldWriterFile != null && oldWriterFile.startsWith("temp-")) {
                Files.deleteIfExists(dir.resolve(oldWriterFile));
            }
            manifest = new AofManifest(base, List.of(), manifest.incrs());
            manifest.write(dir, name);
            otherFilesSize = Files.size(dir.resolve(base.name()));
            rewriteBaseSize = currentSize();
        }
        LOG.log(System.Logger.Level.INFO, "Background AOF rewrite finished successfully");
    }

    private AofManifest.Entry writeBase(long seq, PointInTime pit) throws IOException {
        try (PointInTime.Image img = pit.begin(ks, new CommandFormEncoder(ks, table, host), () -> { })) {
            return writeBase(seq, img, null);
        }
    }

    /** Writes the base from {@code img} to a temp file, forces it and renames it into place. */
    private AofManifest.Entry writeBase(long seq, PointInTime.Image img, BaseRdbWriter rdb) throws IOException {
        String baseName = AofManifest.baseName(name, seq, rdb != null);
        Path tmp = dir.resolve("temp-rewriteaof-bg-" + ProcessHandle.current().pid() + ".aof");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
            if (rdb != null) {
                rdb.write(img, out);
            } else {
                for (int i = 0; i < img.shards(); i++) {
                    out.write(img.shard(i));
                }
            }
            out.flush();
            ch.force(true);
        }
        Files.move(tmp, dir.resolve(baseName), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        AofManifest.forceDirectory(dir);
        return new AofManifest.Entry(baseName, seq, AofManifest.Type.BASE);
    }

    // ---- state -------------------------------------------------------------------------------

    /** @return the writer (null when the append-only file is off) */
    public AofWriter writer() {
        return writer;
    }

    /** @return the manifest in effect (null before the first use) */
    public synchronized AofManifest manifest() {
        return manifest;
    }

    /** @return the directory of the files */
    public synchronized Path directory() {
        if (dir == null) {
            paths();
        }
        return dir;
    }

    /** @return the disk-error gate's AOF source: Redis's MISCONF text while writes fail */
    public String refusal() {
        AofWriter w = writer;
        String e = w == null ? null : w.lastWriteError();
        return e == null ? null : AofWriter.misconf(e);
    }

    /** @return the total size of the base and incr files (Redis's {@code aof_current_size}) */
    public long currentSize() {
        AofWriter w = writer;
        return otherFilesSize + (w == null ? 0 : w.fileSize());
    }

    /** Appends Redis 7.0's {@code aof_*} fields of INFO persistence (CRLF line ends). */
    public void appendInfo(StringBuilder sb) {
        AofWriter w = writer;
        long start = rewriteStartMs;
        boolean running = rewriteInProgress();
        sb.append("aof_enabled:").append(enabled ? 1 : 0).append("\r\n");
        sb.append("aof_rewrite_in_progress:").append(running ? 1 : 0).append("\r\n");
        sb.append("aof_rewrite_scheduled:").append(rewriteScheduled ? 1 : 0).append("\r\n");
        sb.append("aof_last_rewrite_time_sec:").append(lastRewriteSecs).append("\r\n");
        sb.append("aof_current_rewrite_time_sec:")
            .append(running && start >= 0 ? (System.currentTimeMillis() - start) / 1000 : -1).append("\r\n");
        sb.append("aof_last_bgrewrite_status:").append(lastRewriteOk ? "ok" : "err").append("\r\n");
        sb.append("aof_rewrites:").append(rewrites).append("\r\n");
        sb.append("aof_rewrites_consecutive_failures:").append(consecutiveFailures).append("\r\n");
        sb.append("aof_last_write_status:").append(w != null && w.lastWriteError() != null ? "err" : "ok").append("\r\n");
        sb.append("aof_last_cow_size:0\r\n");
        if (enabled && w != null) {
            sb.append("aof_current_size:").append(currentSize()).append("\r\n");
            sb.append("aof_base_size:").append(rewriteBaseSize).append("\r\n");
            sb.append("aof_pending_rewrite:").append(rewriteScheduled ? 1 : 0).append("\r\n");
            sb.append("aof_buffer_length:").append(w.bufferLength()).append("\r\n");
            sb.append("aof_pending_bio_fsync:0\r\n");
            sb.append("aof_delayed_fsync:0\r\n");
        }
    }

    /** @return what the start-up load did (null if nothing was loaded) */
    public String loadedNote() {
        return loadedNote;
    }

    /** Flushes and forces the file, stops the writer and the background work. */
    @Override
    public void close() {
        Future<?> t;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            t = rewriteTask;
        }
        if (t != null) {
            try {
                t.get(30, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // logged by the rewrite
            }
        }
        rewriter.shutdownNow();
        if (cron != null) {
            cron.shutdownNow();
        }
        AofWriter w = writer;
        if (w != null) {
            try {
                ks.propagation().drain();
                ks.propagation().removeConsumer(w);
            } catch (IllegalStateException e) {
                // the keyspace is closed already
            }
            String err = w.closeFile();
            if (err != null) {
                LOG.log(System.Logger.Level.WARNING, "AOF: last bytes not written at close: " + err);
            }
        }
    }
}
