package io.redjar.internal.persistence;

import io.redjar.internal.command.CallPath;
import io.redjar.internal.command.CommandTable;
import io.redjar.internal.command.Dispatcher;
import io.redjar.internal.keyspace.Keyspace;
import io.redjar.internal.script.function.FunctionRegistry;
import io.redjar.internal.server.ServerState;

/**
 * The store's persistence, composed in one place: what is loaded at start-up (the append-only
 * file when {@code appendonly yes}, else the RDB snapshot {@code dir/dbfilename} if it exists), the
 * append-only file's writer on the propagation bus, the snapshotter (SAVE, BGSAVE, save points)
 * and what happens at close (a final save when save points are set, as redis-server's SHUTDOWN).
 *
 * <p>The in-memory default does none of it: no file is read or written unless a setting asks.
 *
 * <p><b>Thread-safety:</b> {@link #start()} and {@link #close()} are called once each by the store;
 * everything else is thread-safe.
 */
public final class Persistence implements AutoCloseable {
    private final Keyspace keyspace;
    private final ServerState server;
    private final CommandTable table;
    private final CallPath callPath;
    private final Dispatcher dispatcher;
    private final FunctionRegistry functions;
    // [aof] the append-only file and the disk-error gate (the lead adds the RDB source to the gate)
    private final io.redjar.internal.persistence.aof.AppendOnlyFile aof;
    private final DiskErrorGate diskErrors;
    private final io.redjar.internal.persistence.snapshot.Snapshotter snapshotter;

    public Persistence(Keyspace keyspace, ServerState server, CommandTable table, CallPath callPath,
                       Dispatcher dispatcher, FunctionRegistry functions) {
        this.keyspace = keyspace;
        this.server = server;
        this.table = table;
        this.callPath = callPath;
        this.dispatcher = dispatcher;
        this.functions = functions;
        // [aof] BGREWRITEAOF and the MISCONF gate
        this.aof = new io.redjar.internal.persistence.aof.AppendOnlyFile(keyspace, server.config(), table, dispatcher,
            callPath.operations().engine());
        io.redjar.internal.persistence.aof.AofCommands.register(table, aof);
        // one snapshotter for every image (rewrites and BGSAVE: one at a time, as Redis's one child)
        this.snapshotter = new io.redjar.internal.persistence.snapshot.Snapshotter(keyspace);
        aof.pointInTime(io.redjar.internal.persistence.aof.PointInTime.of(snapshotter));
        aof.otherChildActive(() -> snapshotter.isBusy() && !aof.rewriteInProgress());
        this.diskErrors = new DiskErrorGate(java.util.List.of(aof::refusal));
        callPath.install(io.redjar.internal.command.CallGate.Slot.DISK_ERROR, diskErrors);
    }

    /** [aof] @return the append-only file (BGREWRITEAOF, INFO's aof_* fields via appendInfo) */
    public io.redjar.internal.persistence.aof.AppendOnlyFile aof() {
        return aof;
    }

    /**
     * Loads the data set and starts writing: called once, after the store's settings are applied.
     *
     * @throws io.redjar.RedJarException if a file exists and cannot be loaded
     */
    public void start() {
        // 1. load: AOF (appendonly yes) or RDB (dir/dbfilename)      [snapshot + aof branches]
        // 2. start the AOF writer when appendonly yes                 [aof branch]
        aof.start(); // [aof] loads the AOF when appendonly yes, then starts its writer
        // 3. start the save-point timer                               [snapshot branch]
    }

    @Override
    public void close() {
        // final save when save points are set; flush and fsync the AOF  [snapshot + aof branches]
        aof.close(); // [aof] flush + fsync + close
    }
}
