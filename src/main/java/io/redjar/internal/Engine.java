package io.redjar.internal;

import io.redjar.Clock;
import io.redjar.PropagationSink;
import io.redjar.internal.command.CommandTable;
import io.redjar.internal.command.Dispatcher;
import io.redjar.internal.command.KeyCommands;
import io.redjar.internal.command.ServerCommands;
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
    private final io.redjar.internal.types.CollectionLimits limits = new io.redjar.internal.types.CollectionLimits();
    private final CommandTable table = new CommandTable();
    private final Dispatcher dispatcher;
    private final ActiveExpiry activeExpiry;
    private final ScheduledExecutorService background;
    private volatile boolean activeExpireEnabled;

    public Engine(int databases, int shards, Clock clock, PropagationSink sink, boolean activeExpire, int hz) {
        this.keyspace = new Keyspace(shards, databases, clock, sink);
        this.strings = new StringOps(keyspace);
        this.keys = new KeyOps(keyspace);
        keyspace.register(io.redjar.internal.keyspace.ValueType.SET, new io.redjar.internal.types.SetStructures());
        StringCommands.register(table);
        KeyCommands.register(table);
        ServerCommands.register(table);
        io.redjar.internal.command.SetCommands.register(table);
        this.dispatcher = new Dispatcher(table);
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
                } catch (IllegalStateException closed) {
                    // the store closed under us
                }
            }
        }, period, period, TimeUnit.MILLISECONDS);
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
        keyspace.close();
    }
}
