package io.redjar.internal;

import io.redjar.Clock;
import io.redjar.PropagationSink;
import io.redjar.internal.command.CommandTable;
import io.redjar.internal.command.Dispatcher;
import io.redjar.internal.command.KeyCommands;
import io.redjar.internal.command.ConfigCommands;
import io.redjar.internal.command.ConnectionCommands;
import io.redjar.internal.command.DebugCommands;
import io.redjar.internal.command.InfoCommand;
import io.redjar.internal.command.IntrospectionCommands;
import io.redjar.internal.command.ServerCommands;
import io.redjar.internal.command.ServerState;
import io.redjar.internal.command.SlowlogCommands;
import io.redjar.internal.command.StringCommands;
import io.redjar.internal.keyspace.ActiveExpiry;
import io.redjar.internal.keyspace.Keyspace;
import io.redjar.internal.types.KeyOps;
import io.redjar.internal.types.StringOps;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Everything one store is made of, wired once: the keyspace, the type operations, the command
 * table and dispatcher, and the background expiry. {@code Store} is its public face; the RESP
 * module reaches it through {@code Store}'s sessions.
 *
 * <p><b>Thread-safety:</b> thread-safe; its parts document their own models.
 */
public final class Engine implements AutoCloseable {
    private final Keyspace keyspace;
    private final StringOps strings;
    private final KeyOps keys;
    private final io.redjar.internal.types.ListOps lists;
    private final io.redjar.internal.blocking.BlockingRegistry blocking;
    private final io.redjar.internal.types.CollectionLimits limits = new io.redjar.internal.types.CollectionLimits();
    private final CommandTable table = new CommandTable();
    private final Dispatcher dispatcher;
    private final ServerState server = new ServerState();
    private final ActiveExpiry activeExpiry;
    private final ScheduledExecutorService background;
    private volatile boolean activeExpireEnabled;

    public Engine(int databases, int shards, Clock clock, PropagationSink sink, boolean activeExpire, int hz) {
        this.keyspace = new Keyspace(shards, databases, clock, sink);
        this.strings = new StringOps(keyspace, limits);
        this.keys = new KeyOps(keyspace);
        this.lists = new io.redjar.internal.types.ListOps(keyspace, limits);
        keyspace.register(io.redjar.internal.keyspace.ValueType.HASH, new io.redjar.internal.types.HashStructures());
        io.redjar.internal.command.HashCommands.register(table);
        keyspace.register(io.redjar.internal.keyspace.ValueType.ZSET, new io.redjar.internal.types.ZSetStructures());
        keyspace.register(io.redjar.internal.keyspace.ValueType.SET, new io.redjar.internal.types.SetStructures());
        keyspace.register(io.redjar.internal.keyspace.ValueType.LIST, new io.redjar.internal.types.ListStructures());
        StringCommands.register(table);
        io.redjar.internal.command.ZSetCommands.register(table);
        KeyCommands.register(table);
        io.redjar.internal.command.ListCommands.register(table, lists);
        ServerCommands.register(table);
        IntrospectionCommands.register(table);
        InfoCommand.register(table);
        ConfigCommands.register(table);
        SlowlogCommands.register(table);
        DebugCommands.register(table);
        ConnectionCommands.register(table);
        server.config().initial("databases", Integer.toString(databases));
        server.config().initial("hz", Integer.toString(hz));
        server.config().bind(limits);
        io.redjar.internal.command.SetCommands.register(table);
        io.redjar.internal.command.BlockingCommands.register(table);
        io.redjar.internal.command.SortCommands.register(table);
        this.blocking = new io.redjar.internal.blocking.BlockingRegistry(keyspace);
        keyspace.creationListener(blocking);
        this.dispatcher = new Dispatcher(table, server);
        dispatcher.blocking(blocking);
        this.activeExpiry = new ActiveExpiry(keyspace);
        this.activeExpireEnabled = activeExpire;
        this.background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "redjar-active-expire");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(1, 1000 / hz);
        long budget = TimeUnit.MILLISECONDS.toNanos(period) / 4;
        background.scheduleWithFixedDelay(() -> {
            if (activeExpireEnabled) {
                try {
                    activeExpiry.runCycle(budget);
                } catch (RuntimeException e) {
                    // never let one failure cancel the schedule (that would stop active expiry
                    // for good); a closed store ends up here too, harmlessly
                    if (!keyspace.isClosed()) {
                        System.getLogger("io.redjar").log(System.Logger.Level.ERROR, "active expiry cycle failed", e);
                    }
                }
            }
        }, period, period, TimeUnit.MILLISECONDS);
        // blocked clients' timeouts, by the store's clock, and a propagation safety sweep, every 10 ms
        background.scheduleWithFixedDelay(() -> {
            try {
                io.redjar.internal.propagation.PropagationBus bus = keyspace.propagation();
                if (bus.publishedOffset() != bus.deliveredOffset()) {
                    bus.drain(); // safety sweep: writers deliver their own effects, so this finds nothing normally
                }
                blocking.expire(keyspace.now());
            } catch (RuntimeException e) {
                if (!keyspace.isClosed()) {
                    System.getLogger("io.redjar").log(System.Logger.Level.ERROR, "blocked-client timeout sweep failed", e);
                }
            }
        }, 10, 10, TimeUnit.MILLISECONDS);
    }

    public Keyspace keyspace() {
        return keyspace;
    }

    public StringOps strings() {
        return strings;
    }

    public KeyOps keys() {
        return keys;
    }

    /** @return the clients blocked on keys */
    public io.redjar.internal.blocking.BlockingRegistry blocking() {
        return blocking;
    }

    /**
     * Serves clients blocked on keys that the calling thread's last operation created. The
     * dispatcher calls it after every command; typed handles that can create lists or sorted sets
     * (RENAME, COPY, MOVE) call it too. Call with no locks held.
     */
    public void serveBlocked() {
        if (blocking.hasReady()) {
            blocking.serveReady();
        }
    }

    /** @return the list operations (the blocking commands use them) */
    public io.redjar.internal.types.ListOps lists() {
        return lists;
    }

    /** @return the collection encoding thresholds ({@code hash-max-listpack-entries}, ...) */
    public io.redjar.internal.types.CollectionLimits limits() {
        return limits;
    }

    public CommandTable table() {
        return table;
    }

    public Dispatcher dispatcher() {
        return dispatcher;
    }

    /** @return settings, counters, slow log and network hooks (INFO, CONFIG, SLOWLOG) */
    public ServerState server() {
        return server;
    }

    /** @return whether the background expiry cycle runs (DEBUG SET-ACTIVE-EXPIRE) */
    public boolean activeExpire() {
        return activeExpireEnabled;
    }

    public ActiveExpiry activeExpiry() {
        return activeExpiry;
    }

    /** Turns the background expiry cycle on or off (DEBUG SET-ACTIVE-EXPIRE). */
    public void activeExpire(boolean enabled) {
        this.activeExpireEnabled = enabled;
    }

    @Override
    public void close() {
        background.shutdownNow();
        try {
            background.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        blocking.cancelAll();
        keyspace.close();
    }
}
