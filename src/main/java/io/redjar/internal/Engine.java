package io.redjar.internal;

import io.redjar.Clock;
import io.redjar.PropagationSink;
import io.redjar.internal.blocking.BlockingRegistry;
import io.redjar.internal.command.CallPath;
import io.redjar.internal.command.CommandHost;
import io.redjar.internal.command.Operations;
import io.redjar.internal.command.CommandListener;
import io.redjar.internal.command.ExecContext;
import io.redjar.internal.command.CommandTable;
import io.redjar.internal.command.Dispatcher;
import io.redjar.internal.command.KeyCommands;
import io.redjar.internal.command.ConfigCommands;
import io.redjar.internal.command.ClientCommands;
import io.redjar.internal.command.DebugCommands;
import io.redjar.internal.command.InfoCommand;
import io.redjar.internal.command.IntrospectionCommands;
import io.redjar.internal.command.ServerCommands;
import io.redjar.internal.server.ServerState;
import io.redjar.internal.command.SlowlogCommands;
import io.redjar.internal.command.StringCommands;
import io.redjar.internal.keyspace.ActiveExpiry;
import io.redjar.internal.keyspace.Keyspace;
import io.redjar.internal.server.ClientRegistry;
import io.redjar.internal.server.MonitorFeed;
import io.redjar.internal.types.CollectionLimits;
import io.redjar.internal.types.HashOps;
import io.redjar.internal.types.KeyOps;
import io.redjar.internal.types.ListOps;
import io.redjar.internal.types.SetOps;
import io.redjar.internal.types.SortOps;
import io.redjar.internal.types.StringOps;
import io.redjar.internal.types.ZSetOps;

import io.redjar.spi.FrontEnd;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The composition root: everything one store is made of, built and wired once, here and nowhere
 * else. It creates the keyspace, ONE instance of each type's operations (strings, keys, lists,
 * hashes, sets, sorted sets, sort), the command table and dispatcher, the server state, the
 * blocked-client registry and the background expiry, and hands them out by constructor injection
 * (the typed handles of {@code io.redjar}) or through the narrow interfaces the lower packages
 * define ({@link CommandHost} for command adapters, {@code BlockingHost} for the blocking pops),
 * so no lower package depends on this class. {@code Store} is its public face.
 *
 * <p><b>Thread-safety:</b> thread-safe; its parts document their own models. Every accessor
 * returns the same instance for the life of the store.
 */
public final class Engine implements CommandHost, AutoCloseable {
    private final Keyspace keyspace;
    private final CollectionLimits limits = new CollectionLimits();
    private final StringOps strings;
    private final io.redjar.internal.types.BitOps bits;
    private final KeyOps keys;
    private final ListOps lists;
    private final HashOps hashes;
    private final io.redjar.internal.types.StreamOps streams;
    private final io.redjar.internal.types.StreamGroupOps streamGroups;
    private final SetOps sets;
    private final ZSetOps zsets;
    private final SortOps sort;
    private final io.redjar.internal.types.GeoOps geo;
    private final io.redjar.internal.types.HllOps hll;
    private final BlockingRegistry blocking;
    private final ClientRegistry clients;
    private final MonitorFeed monitors;
    private final io.redjar.internal.tracking.TrackingTable tracking;
    private final io.redjar.internal.pubsub.PubSub pubsub;
    private final io.redjar.internal.tx.WatchRegistry watches;
    private final io.redjar.internal.tx.Atomically atomically;
    private final io.redjar.internal.script.function.FunctionRegistry functions;
    private final io.redjar.internal.script.function.ScriptActivity scriptActivity;
    private final EngineFrontEnd frontEnd;
    private final CommandTable table = new CommandTable();
    private final Dispatcher dispatcher;
    private final CallPath callPath;
    private final io.redjar.internal.script.ScriptRuntime scripts;
    private final io.redjar.internal.script.ScriptCache scriptCache;
    private final io.redjar.internal.script.ScriptThread scriptThread;
    private final ServerState server = new ServerState();
    private final io.redjar.internal.persistence.rdb.DumpOps dumps;
    private final ActiveExpiry activeExpiry;
    private final io.redjar.internal.eviction.Evictor evictor;
    private final ScheduledExecutorService background;
    private volatile boolean activeExpireEnabled;
    /** DEBUG PAUSE-CRON: the periodic work is skipped while set. */
    private volatile boolean cronPaused;
    private final io.redjar.internal.persistence.Persistence persistence;

    public Engine(int databases, int shards, Clock clock, PropagationSink sink, boolean activeExpire, int hz) {
        this.keyspace = new Keyspace(shards, databases, clock, sink);
        this.strings = new StringOps(keyspace, limits);
        this.bits = new io.redjar.internal.types.BitOps(keyspace, limits);
        this.keys = new KeyOps(keyspace);
        this.lists = new ListOps(keyspace, limits);
        this.hashes = new HashOps(keyspace, limits);
        this.streams = new io.redjar.internal.types.StreamOps(keyspace, limits);
        this.streamGroups = new io.redjar.internal.types.StreamGroupOps(keyspace);
        this.sets = new SetOps(keyspace, limits);
        this.zsets = new ZSetOps(keyspace, limits);
        this.sort = new SortOps(keyspace, limits, zsets);
        this.geo = new io.redjar.internal.types.GeoOps(keyspace, zsets);
        this.hll = new io.redjar.internal.types.HllOps(keyspace, limits);
        this.dumps = new io.redjar.internal.persistence.rdb.DumpOps(keyspace, limits,
            () -> !"no".equalsIgnoreCase(server.config().get("rdbcompression")),
            () -> server.config().maxmemoryPolicy().lfu());
        keyspace.register(io.redjar.internal.keyspace.ValueType.HASH, new io.redjar.internal.types.HashStructures());
        io.redjar.internal.command.HashCommands.register(table);
        // streams (the stream engineer's block; consumer groups register their own next to it)
        keyspace.register(io.redjar.internal.keyspace.ValueType.STREAM, new io.redjar.internal.types.StreamStructures());
        io.redjar.internal.command.StreamCommands.register(table);
        io.redjar.internal.command.StreamGroupCommands.register(table); // consumer groups (after XINFO's container)
        keyspace.register(io.redjar.internal.keyspace.ValueType.ZSET, new io.redjar.internal.types.ZSetStructures());
        keyspace.register(io.redjar.internal.keyspace.ValueType.SET, new io.redjar.internal.types.SetStructures());
        keyspace.register(io.redjar.internal.keyspace.ValueType.LIST, new io.redjar.internal.types.ListStructures());
        StringCommands.register(table);
        io.redjar.internal.command.BitCommands.register(table, bits);
        io.redjar.internal.command.ZSetCommands.register(table);
        io.redjar.internal.command.GeoCommands.register(table);
        io.redjar.internal.command.HllCommands.register(table);
        KeyCommands.register(table);
        io.redjar.internal.command.DumpCommands.register(table);
        io.redjar.internal.command.ListCommands.register(table, lists);
        ServerCommands.register(table);
        IntrospectionCommands.register(table);
        io.redjar.internal.command.MemoryCommands.register(table);
        io.redjar.internal.command.LatencyCommands.register(table);
        InfoCommand.register(table);
        ConfigCommands.register(table);
        SlowlogCommands.register(table);
        DebugCommands.register(table);
        ClientCommands.register(table);
        server.config().initial("databases", Integer.toString(databases));
        server.config().initial("hz", Integer.toString(hz));
        server.config().bind(limits);
        io.redjar.internal.command.SetCommands.register(table);
        io.redjar.internal.command.BlockingCommands.register(table);
        io.redjar.internal.command.SortCommands.register(table);
        this.watches = new io.redjar.internal.tx.WatchRegistry(keyspace);
        io.redjar.internal.tx.TxCommands.register(table, keyspace, watches);
        // Lua scripting, with the libraries Redis bundles (cjson, cmsgpack, bit, struct) in every sandbox
        this.scripts = new io.redjar.internal.script.ScriptRuntime(keyspace, io.redjar.internal.script.lib.LuaLibraries::installAll);
        this.scriptCache = new io.redjar.internal.script.ScriptCache();
        io.redjar.internal.script.ScriptCommands.register(table, scripts, scriptCache);
        this.scriptThread = new io.redjar.internal.script.ScriptThread(scripts,
            () -> server.config().longValue("busy-reply-threshold"));
        // functions: the LUA engine runs libraries on the same runtime; library changes hold
        // every shard lock (the locks a function run holds)
        this.functions = new io.redjar.internal.script.function.FunctionRegistry(keyspace::lockAll, keyspace::unlockAll);
        io.redjar.internal.script.function.LuaFunctionEngine luaFunctions = new io.redjar.internal.script.function.LuaFunctionEngine(scripts);
        functions.registerEngine(luaFunctions);
        this.scriptActivity = luaFunctions;
        io.redjar.internal.script.function.FunctionCommands.register(table, functions, () -> scriptActivity, keyspace);
        this.pubsub = new io.redjar.internal.pubsub.PubSub(() -> {
            long[] l = server.config().pubsubOutputLimit();
            return new io.redjar.internal.pubsub.OutputLimit(l[0], l[1], l[2]);
        });
        io.redjar.internal.pubsub.PubSubCommands.register(table, pubsub);
        io.redjar.internal.pubsub.KeyspaceNotifier notifier = new io.redjar.internal.pubsub.KeyspaceNotifier(
            pubsub.registry(), server.config()::notifyKeyspaceEvents);
        boolean[] notifying = new boolean[1];
        server.config().onNotifyKeyspaceEvents(flags -> {
            synchronized (notifying) {
                if (flags != 0 && !notifying[0]) {
                    keyspace.events().add(notifier);
                    notifying[0] = true;
                } else if (flags == 0 && notifying[0]) {
                    keyspace.events().remove(notifier);
                    notifying[0] = false;
                }
            }
        });
        this.blocking = new BlockingRegistry(keyspace);
        keyspace.creationListener(blocking);
        this.clients = new ClientRegistry(() -> server.config().longValue("maxclients"));
        // client-side caching: CLIENT TRACKING and its table, told of every modification
        this.tracking = new io.redjar.internal.tracking.TrackingTable(keyspace.events(), clients, pubsub::subscriberIfAny,
            () -> server.config().longValue("tracking-table-max-keys"));
        io.redjar.internal.tracking.TrackingCommands.register(table, tracking);
        this.callPath = new CallPath(table, server, new Operations(this));
        callPath.blocking(blocking);
        callPath.tracker(new io.redjar.internal.tracking.ReadTracker(tracking));
        this.background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "redjar-active-expire");
            t.setDaemon(true);
            return t;
        });
        this.evictor = new io.redjar.internal.eviction.Evictor(keyspace, server.config(), background);
        wireEviction();
        callPath.install(io.redjar.internal.command.CallGate.Slot.OOM,
            new io.redjar.internal.eviction.OomGate(server.config(), evictor));
        callPath.install(io.redjar.internal.command.CallGate.Slot.PUBSUB_CONTEXT, new io.redjar.internal.pubsub.SubscribedModeGate());
        callPath.install(io.redjar.internal.command.CallGate.Slot.MULTI_QUEUE, new io.redjar.internal.tx.MultiGate());
        this.atomically = new io.redjar.internal.tx.Atomically(keyspace, callPath, watches);
        this.dispatcher = new Dispatcher(table, server, callPath);
        this.persistence = new io.redjar.internal.persistence.Persistence(keyspace, server, table, callPath, dispatcher, functions);
        CommandListener feed = this::feedMonitors;
        this.monitors = new MonitorFeed(active -> dispatcher.listener(active ? feed : null));
        this.frontEnd = new EngineFrontEnd(this);
        this.activeExpiry = new ActiveExpiry(keyspace);
        this.activeExpireEnabled = activeExpire;
        long period = Math.max(1, 1000 / hz);
        long budget = TimeUnit.MILLISECONDS.toNanos(period) / 4;
        background.scheduleWithFixedDelay(() -> {
            if (activeExpireEnabled && !cronPaused) {
                try {
                    long start = System.nanoTime();
                    activeExpiry.runCycle(budget);
                    server.latencySample("expire-cycle", System.nanoTime() - start);
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
                if (tracking.active() && !cronPaused) {
                    tracking.limit(); // tracking-table-max-keys also holds when idle (Redis: serverCron)
                    tracking.broadcast(null, null); // BCAST batches of writes made outside commands (expiry)
                }
            } catch (RuntimeException e) {
                if (!keyspace.isClosed()) {
                    System.getLogger("io.redjar").log(System.Logger.Level.ERROR, "blocked-client timeout sweep failed", e);
                }
            }
        }, 10, 10, TimeUnit.MILLISECONDS);
    }

    /**
     * Keeps the keyspace's access tracking in step with {@code maxmemory-policy} and the
     * {@code lfu-*} settings, and starts background eviction when {@code maxmemory} changes
     * (Redis's {@code updateMaxmemory}).
     */
    private void wireEviction() {
        io.redjar.internal.server.ServerConfig cfg = server.config();
        Runnable update = () -> {
            io.redjar.internal.eviction.access.EvictionPolicy p = cfg.maxmemoryPolicy();
            keyspace.accessTracking(new Keyspace.AccessTracking(p.lfu(), (int) cfg.longValue("lfu-log-factor"),
                (int) cfg.longValue("lfu-decay-time"), p.score() == io.redjar.internal.eviction.access.EvictionPolicy.Score.WTINYLFU));
        };
        for (String n : java.util.List.of("maxmemory-policy", "lfu-log-factor", "lfu-decay-time")) {
            cfg.onChange(n, v -> update.run());
        }
        update.run();
        cfg.onChange("maxmemory", v -> {
            if (!"0".equals(v)) {
                evictor.startTimeProc();
            }
        });
    }

    @Override
    public io.redjar.internal.server.EvictionStats evictionStats() {
        return evictor;
    }

    /** @return the memory governor */
    public io.redjar.internal.eviction.Evictor evictor() {
        return evictor;
    }

    @Override
    public Keyspace keyspace() {
        return keyspace;
    }

    @Override
    public StringOps strings() {
        return strings;
    }

    @Override
    public io.redjar.internal.types.BitOps bits() {
        return bits;
    }

    @Override
    public io.redjar.internal.persistence.rdb.DumpOps dumps() {
        return dumps;
    }

    @Override
    public KeyOps keys() {
        return keys;
    }

    @Override
    public HashOps hashes() {
        return hashes;
    }

    @Override
    public io.redjar.internal.types.StreamOps streams() {
        return streams;
    }

    @Override
    public io.redjar.internal.types.StreamGroupOps streamGroups() {
        return streamGroups;
    }

    @Override
    public SetOps sets() {
        return sets;
    }

    @Override
    public ZSetOps zsets() {
        return zsets;
    }

    @Override
    public SortOps sort() {
        return sort;
    }

    @Override
    public io.redjar.internal.types.GeoOps geo() {
        return geo;
    }

    /** @return the HyperLogLog operations (PFADD, PFCOUNT, PFMERGE, PFDEBUG) */
    @Override
    public io.redjar.internal.types.HllOps hll() {
        return hll;
    }

    /** @return the clients blocked on keys */
    @Override
    public BlockingRegistry blocking() {
        return blocking;
    }


    /** @return the list operations (the blocking commands use them) */
    @Override
    public ListOps lists() {
        return lists;
    }

    /** @return the collection encoding thresholds ({@code hash-max-listpack-entries}, ...) */
    @Override
    public CollectionLimits limits() {
        return limits;
    }

    @Override
    public CommandTable table() {
        return table;
    }

    /** @return the one path every call takes, textual or typed */
    public CallPath callPath() {
        return callPath;
    }

    @Override
    public Dispatcher dispatcher() {
        return dispatcher;
    }

    /** @return settings, counters, slow log and network hooks (INFO, CONFIG, SLOWLOG) */
    @Override
    public ServerState server() {
        return server;
    }

    /** @return whether the background expiry cycle runs (DEBUG SET-ACTIVE-EXPIRE) */
    @Override
    public boolean activeExpire() {
        return activeExpireEnabled;
    }

    @Override
    public ActiveExpiry activeExpiry() {
        return activeExpiry;
    }

    @Override
    public void pauseCron(boolean paused) {
        this.cronPaused = paused;
    }

    /** Turns the background expiry cycle on or off (DEBUG SET-ACTIVE-EXPIRE). */
    @Override
    public void activeExpire(boolean enabled) {
        this.activeExpireEnabled = enabled;
    }

    @Override
    public ClientRegistry clients() {
        return clients;
    }

    /** @return client-side caching's tracking table (CLIENT TRACKING) */
    public io.redjar.internal.tracking.TrackingTable tracking() {
        return tracking;
    }

    @Override
    public io.redjar.internal.server.TrackingCounts trackingCounts() {
        return tracking;
    }

    /** @return the typed API's transactions (Store.multi, Store.watch) */
    /** @return the function libraries (FUNCTION *, FCALL) */
    public io.redjar.internal.script.function.FunctionRegistry functions() {
        return functions;
    }

    /** @return the Lua scripting runtime (EVAL, FUNCTION) */
    public io.redjar.internal.script.ScriptRuntime scripts() {
        return scripts;
    }

    /** @return the script thread network connections run scripts on */
    @Override
    public void killScriptForShutdown() {
        io.redjar.internal.script.ScriptRun r = scripts.current();
        if (r != null) {
            r.kill();
        }
    }

    @Override
    public io.redjar.Reply busyScriptRefusal() {
        return scriptThread.busyRefusal();
    }

    public io.redjar.internal.script.ScriptThread scriptThread() {
        return scriptThread;
    }

    @Override
    public long[] functionStats() {
        long code = 0;
        for (byte[] c : functions.libraryCodes()) {
            code += c.length;
        }
        return new long[] {functions.functionCount(), functions.libraries().size(), code};
    }

    @Override
    public long[] scriptCacheStats() {
        return new long[] {scriptCache.size(), scriptCache.bodyBytes()};
    }

    /** @return EVAL's script cache */
    public io.redjar.internal.script.ScriptCache scriptCache() {
        return scriptCache;
    }

    public io.redjar.internal.tx.Atomically atomically() {
        return atomically;
    }

    @Override
    public io.redjar.internal.tx.WatchRegistry watches() {
        return watches;
    }

    @Override
    public MonitorFeed monitors() {
        return monitors;
    }

    /** @return the store's pub/sub (channels, subscribers, in-process delivery) */
    public io.redjar.internal.pubsub.PubSub pubsub() {
        return pubsub;
    }

    @Override
    public io.redjar.internal.server.PubSubCounts pubsubCounts() {
        return pubsub.registry();
    }

    @Override
    public void leavePubSub(io.redjar.internal.server.ClientState c) {
        pubsub.leaveAll(c);
    }

    private void feedMonitors(ExecContext ctx, byte[][] argv, long epochMicros) {
        monitors.feed(ctx.db(), ctx.fromScript() ? "lua" : ctx.client() == null ? null : ctx.client().addr(), argv, epochMicros);
    }

    /** @return the port for network front ends ({@code Store.frontEnd()}) */
    public FrontEnd frontEnd() {
        return frontEnd;
    }

    /** @return the store's persistence (snapshots, append-only file) */
    public io.redjar.internal.persistence.Persistence persistence() {
        return persistence;
    }

    /**
     * Loads the data set and starts persistence; called once by the store after its settings are
     * applied.
     */
    public void start() {
        persistence.start();
    }

    /**
     * Like {@link #start()}, but the data set loads on a background thread while commands without
     * Redis's {@code loading} flag are answered {@code -LOADING}; {@code onFailure} gets a load
     * error (redis-server exits then).
     */
    public void startInBackground(java.util.function.Consumer<Throwable> onFailure) {
        persistence.startInBackground(onFailure);
    }

    @Override
    public void close() {
        persistence.close();
        monitors.clear();
        pubsub.close();
        background.shutdownNow();
        scriptThread.close();
        try {
            background.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        blocking.cancelAll();
        keyspace.propagation().shutdown();
        keyspace.close();
    }
}
