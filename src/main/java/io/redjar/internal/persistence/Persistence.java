package io.redjar.internal.persistence;

import io.redjar.RedJarException;
import io.redjar.internal.command.CallPath;
import io.redjar.internal.command.CommandTable;
import io.redjar.internal.command.Dispatcher;
import io.redjar.internal.keyspace.Keyspace;
import io.redjar.internal.persistence.snapshot.Snapshotter;
import io.redjar.internal.script.function.FunctionRegistry;
import io.redjar.internal.server.PersistenceHooks;
import io.redjar.internal.server.ServerState;

import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The store's persistence, composed in one place: what is loaded at start-up (the append-only
 * file when {@code appendonly yes}, else the RDB snapshot {@code dir/dbfilename} if it exists), the
 * append-only file's writer on the propagation bus, the snapshotter (SAVE, BGSAVE, save points)
 * and what happens at close (a final save when save points are set, as redis-server's SHUTDOWN).
 *
 * <p>The in-memory default does none of it: no file is read or written unless a setting asks
 * ({@code save} points, {@code appendonly yes}, or an explicit SAVE/BGSAVE).
 *
 * <p><b>Thread-safety:</b> {@link #start()} and {@link #close()} are called once each by the store;
 * everything else is thread-safe.
 */
public final class Persistence implements AutoCloseable, PersistenceHooks {
    private static final System.Logger LOG = System.getLogger("io.redjar.persistence");

    private final Keyspace keyspace;
    private final ServerState server;
    private final CommandTable table;
    private final CallPath callPath;
    private final Dispatcher dispatcher;
    private final FunctionRegistry functions;
    private final Snapshotter snapshotter;
    private final RdbSnapshots rdb;
    private final io.redjar.internal.persistence.aof.AppendOnlyFile aof;
    private final DiskErrorGate diskErrors;
    private final LoadingGate loadingGate = new LoadingGate();
    private ScheduledExecutorService cron;
    /** Set once SHUTDOWN did the final save, so that closing the store does not save again. */
    private volatile boolean shutdownPrepared;
    private volatile boolean closed;

    public Persistence(Keyspace keyspace, ServerState server, CommandTable table, CallPath callPath,
                       Dispatcher dispatcher, FunctionRegistry functions) {
        this.keyspace = keyspace;
        this.server = server;
        this.table = table;
        this.callPath = callPath;
        this.dispatcher = dispatcher;
        this.functions = functions;
        this.snapshotter = new Snapshotter(keyspace);
        this.rdb = new RdbSnapshots(keyspace, server.config(), snapshotter, functions, keyspace::usedMemory);
        this.host = callPath.operations().engine();
        PersistenceCommands.register(table, this);
        // the append-only file, with the RDB codec for its base and the snapshotter for rewrites
        this.aof = new io.redjar.internal.persistence.aof.AppendOnlyFile(keyspace, server.config(), table, dispatcher, host);
        aof.rdbLoader(rdb::loadAofBase);
        aof.rdbWriter(rdb.aofBaseWriter());
        aof.pointInTime(rdb.pointInTime());
        // one snapshotter for every image (rewrites and BGSAVE: one at a time, as Redis's one child)
        aof.otherChildActive(() -> snapshotter.isBusy() && !aof.rewriteInProgress());
        io.redjar.internal.persistence.aof.AofCommands.register(table, aof);
        // MISCONF: a failed background save (stop-writes-on-bgsave-error) first, as Redis checks it first
        this.diskErrors = new DiskErrorGate(java.util.List.of(rdb::refusal, aof::refusal));
        callPath.install(io.redjar.internal.command.CallGate.Slot.DISK_ERROR, diskErrors);
        callPath.install(io.redjar.internal.command.CallGate.Slot.LOADING, loadingGate);
        server.persistence(this);
    }

    /** @return the append-only file (BGREWRITEAOF, INFO's aof_* fields) */
    public io.redjar.internal.persistence.aof.AppendOnlyFile aof() {
        return aof;
    }

    /** @return the RDB side (SAVE, BGSAVE, save points, loading) */
    public RdbSnapshots rdb() {
        return rdb;
    }

    /** @return the point-in-time image maker (BGSAVE, AOF rewrites) */
    public Snapshotter snapshotter() {
        return snapshotter;
    }

    /**
     * Loads the data set and starts writing: called once, after the store's settings are applied.
     *
     * @throws RedJarException if a file exists and cannot be loaded
     */
    public void start() {
        load(true);
        startCron();
    }

    /**
     * {@link #start()} with the load on a background thread (the RESP server, as redis-server):
     * until it is done, commands without the {@code loading} flag are answered {@code -LOADING}.
     *
     * @param onFailure told if the load fails; the store keeps refusing commands then
     */
    public void startInBackground(java.util.function.Consumer<Throwable> onFailure) {
        Thread t = new Thread(() -> {
            try {
                load(false);
                loadingGate.loader(null);
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.ERROR, "Fatal error loading the data set: " + e.getMessage(), e);
                onFailure.accept(e);
            }
        }, "redjar-loading");
        t.setDaemon(true);
        loadingGate.loader(t);
        rdb.loadingPending(true);
        startCron();
        t.start();
    }

    /**
     * 1. load: with appendonly yes the append-only file alone (redis-server 7.0 ignores the dump
     *    then); else the dump, but only when a setting asks for persistence: a stray dump.rdb in the
     *    working directory of an in-memory store or server is never read;
     * 2. the AOF writer (appendonly yes), BGREWRITEAOF and its cron.
     */
    private void load(boolean exclusive) {
        try {
            if (!"yes".equals(server.config().get("appendonly")) && persistenceConfigured()) {
                rdb.load(rdb.file(), exclusive);
            }
            aof.start();
        } finally {
            rdb.loadingPending(false);
        }
    }

    /** Save points and scheduled saves, checked 10 times a second (Redis's serverCron at hz 10). */
    private void startCron() {
        cron = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "redjar-persistence-cron");
            t.setDaemon(true);
            return t;
        });
        cron.scheduleWithFixedDelay(() -> {
            try {
                if (!loadingGate.loading()) {
                    rdb.cron();
                }
            } catch (RuntimeException e) {
                if (!keyspace.isClosed()) {
                    LOG.log(System.Logger.Level.ERROR, "persistence cron failed", e);
                }
            }
        }, 100, 100, TimeUnit.MILLISECONDS);
    }

    /** @return whether a start-up setting asks for persistence: {@code dir}, save points or the AOF */
    private boolean persistenceConfigured() {
        var c = server.config();
        return c.setAtStartup("dir") || !rdb.savePoints().isEmpty() || "yes".equals(c.get("appendonly"));
    }

    /** @return the MISCONF refusal for writes, or null (the DISK_ERROR gate's RDB source) */
    public String rdbRefusal() {
        return rdb.refusal();
    }

    // ---- PersistenceHooks -----------------------------------------------------------------

    @Override
    public void appendInfo(StringBuilder sb) {
        rdb.appendLoadingInfo(sb);
        aof.appendInfo(sb);
        RdbSnapshots.f(sb, "module_fork_in_progress", 0);
        RdbSnapshots.f(sb, "module_fork_last_cow_size", 0);
    }

    @Override
    public String prepareShutdown(boolean save, boolean nosave) {
        // Redis: a running BGSAVE child is killed; here it is waited for (it is a thread)
        rdb.awaitIdle(60_000);
        if (!nosave && (save || !rdb.savePoints().isEmpty())) {
            LOG.log(System.Logger.Level.INFO, "Saving the final RDB snapshot before exiting.");
            try {
                rdb.save();
            } catch (RedJarException e) {
                LOG.log(System.Logger.Level.WARNING, "Error trying to save the DB, can't exit.");
                return "Error trying to save the DB: " + (rdb.lastError() == null ? e.getMessage() : rdb.lastError());
            }
        }
        shutdownPrepared = true;
        return null;
    }

    @Override
    public void flushedAll() {
        if (!rdb.savePoints().isEmpty() && !rdb.inProgress()) {
            try {
                rdb.save();
            } catch (RedJarException e) {
                LOG.log(System.Logger.Level.WARNING, "the save after FLUSHALL failed: " + rdb.lastError());
            }
        }
    }

    @Override
    public String debugReload(boolean merge, boolean noflush, boolean nosave) {
        if (!nosave) {
            try {
                rdb.save();
            } catch (RedJarException e) {
                return "Error trying to save the DB";
            }
        }
        if (!noflush && !merge) {
            keyspaceFlushAll();
        }
        try {
            rdb.load(rdb.file());
        } catch (RedJarException e) {
            return "Error trying to load the RDB dump, check server logs.";
        }
        return null;
    }

    private void keyspaceFlushAll() {
        local("FLUSHALL");
        functions.flush();
    }

    /** Runs a command as the server itself (no client): DEBUG RELOAD's flush. */
    private io.redjar.Reply local(String... argv) {
        byte[][] a = new byte[argv.length][];
        for (int i = 0; i < argv.length; i++) {
            a[i] = argv[i].getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        return dispatcher.dispatch(new io.redjar.internal.command.ExecContext(host, 0), a);
    }

    /** The engine, for running commands as the server. */
    private final io.redjar.internal.command.CommandHost host;

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (cron != null) {
            cron.shutdownNow();
        }
        rdb.awaitIdle(60_000);
        if (!shutdownPrepared && !rdb.savePoints().isEmpty()) {
            try {
                rdb.save();
            } catch (RedJarException e) {
                LOG.log(System.Logger.Level.WARNING, "final save at close failed: " + rdb.lastError());
            }
        }
        rdb.close();
        aof.close();
    }
}
