package io.redjar;

import io.redjar.internal.Engine;
import io.redjar.internal.Internals;
import io.redjar.internal.util.Preconditions;


/**
 * An embedded, in-process Redis-compatible store.
 *
 * <pre>{@code
 * try (Store store = Store.open()) {
 *     store.strings().set("greeting", "hello");
 *     String v = store.strings().get("greeting");          // "hello"
 *     Reply r = store.execute("INCRBY", "counter", "5");   // :5
 * }
 * }</pre>
 *
 * <p>A store holds {@link Builder#databases(int) 16 databases} by default; the methods on
 * {@code Store} itself act on database 0, and {@link #database(int)} gives a view of any other.
 * Keys and string values live off-heap; the heap holds only the key tables' slot arrays.
 *
 * <p><b>Thread-safety:</b> thread-safe. Any number of threads may call a store at once; every
 * command is atomic (see {@code Keyspace} for the locking model). {@link #close()} must not race
 * with commands: close the store when no thread uses it any more.
 */
public final class Store implements AutoCloseable {
    /** The JVM flag the store needs on JDK 17+. */
    public static final String REQUIRED_JVM_FLAGS = "--add-exports java.base/jdk.internal.misc=ALL-UNNAMED";

    static {
        Internals.storeAccessor(o -> o instanceof Store s ? s.engine : null);
    }

    private final Engine engine;
    private final Database[] databases;
    /** What {@link #atomically} lambdas get (stateless: the handles of database 0). */
    private final AtomicContext atomicContext;
    private volatile boolean closed;

    private Store(Builder b) {
        this.engine = new Engine(b.databases, b.shards, b.clock, b.sink, b.activeExpire, b.hz);
        for (java.util.Map.Entry<String, String> c : b.config.entrySet()) {
            try {
                engine.server().config().setAtStartup(c.getKey(), c.getValue());
            } catch (RedJarException e) {
                engine.close();
                throw new IllegalArgumentException("config " + c.getKey() + " " + c.getValue() + ": " + e.getMessage(), e);
            }
        }
        try {
            if (b.loadFailure != null) {
                engine.startInBackground(b.loadFailure);
            } else {
                engine.start();
            }
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
        this.databases = new Database[b.databases];
        for (int i = 0; i < b.databases; i++) {
            databases[i] = new Database(engine, i);
        }
        this.atomicContext = new AtomicContext(databases[0]);
        this.changeFeed = b.feed.enabled ? openChangeFeed(b) : null;
    }

    private ChangeFeed openChangeFeed(Builder b) {
        String dir = b.config.get("dir");
        String fsync = engine.server().config().get("appendfsync");
        AppendFsync storeFsync = java.util.Arrays.stream(AppendFsync.values())
            .filter(f -> f.redisName().equalsIgnoreCase(fsync)).findFirst().orElse(AppendFsync.EVERYSEC);
        try {
            return ChangeFeed.open(b.feed, dir == null ? null : java.nio.file.Path.of(dir), storeFsync,
                engine.keyspace().propagation());
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    /** @return a store with the defaults (16 databases, wall clock) */
    public static Store open() {
        return builder().open();
    }

    /**
     * A store persisted in {@code dir} with RDB snapshots: the dump there ({@code dump.rdb}) is
     * loaded if it exists, redis-server's default save points apply ({@code 3600 1 300 100 60
     * 10000}) and closing the store saves. Equivalent to
     * {@code builder().dataDir(dir).save("3600 1 300 100 60 10000").open()}.
     *
     * @throws RedJarException if the dump exists and cannot be loaded (the message names the
     *                         file and the problem)
     */
    public static Store open(java.nio.file.Path dir) {
        Preconditions.notNull(dir, "dir");
        return builder().dataDir(dir).save(io.redjar.internal.server.SavePoints.REDIS_DEFAULT).open();
    }

    /**
     * SAVE: writes a snapshot of every database to {@code dataDir/dbfilename} now and returns when
     * it is on disk. Other threads keep reading and writing meanwhile; the snapshot is the state
     * of one instant (see docs/persistence.md).
     *
     * @throws RedJarException {@code ERR Background save already in progress}, or {@code ERR} if
     *                         the file could not be written (the cause is logged)
     */
    public void save() {
        Reply r = execute("SAVE");
        if (r instanceof Reply.ErrorReply e) {
            throw new RedJarException(e.message());
        }
    }

    /**
     * BGSAVE: starts a snapshot on a background thread.
     *
     * @return completes when the snapshot is on disk, or exceptionally if writing it failed
     * @throws RedJarException {@code ERR Background save already in progress} (or an AOF rewrite
     *                         holds the snapshotter)
     */
    public java.util.concurrent.CompletableFuture<Void> bgsave() {
        java.util.concurrent.CompletableFuture<Boolean> f = engine.persistence().rdb().bgsaveFuture();
        if (f == null) {
            throw new RedJarException("ERR Background save already in progress");
        }
        return f.thenApply(ok -> {
            if (!ok) {
                throw new RedJarException("ERR Background saving error: " + engine.persistence().rdb().lastError());
            }
            return null;
        });
    }

    /** @return a builder for a store with non-default settings */
    public static Builder builder() {
        return new Builder();
    }

    /** @return database {@code index} (0-based), a view sharing this store */
    public Database database(int index) {
        if (index < 0 || index >= databases.length) {
            throw new IllegalArgumentException("database index " + index + " is out of range 0.." + (databases.length - 1));
        }
        return databases[index];
    }

    /** Same as {@link #database(int)}, named after Redis's SELECT. */
    public Database select(int index) {
        return database(index);
    }

    /** @return the number of databases */
    public int databases() {
        return databases.length;
    }

    /**
     * @return publish/subscribe on this store's channels (shared with RESP clients): publish,
     *         and in-process subscriptions whose listeners run on delivery threads
     */
    public PubSub pubsub() {
        PubSub p = pubsub;
        if (p == null) {
            p = new PubSub(engine);
            pubsub = p;
        }
        return p;
    }

    private volatile PubSub pubsub;

    /** The change feed, or null when the builder did not enable it. */
    private final ChangeFeed changeFeed;

    /**
     * @return the store's change feed: every write's effect, by offset, as a
     *         {@link java.util.concurrent.Flow.Publisher} (see {@link ChangeFeed})
     * @throws IllegalStateException unless the store was built with
     *                               {@link Builder#changeFeed(boolean) changeFeed(true)}
     */
    public ChangeFeed changeFeed() {
        if (changeFeed == null) {
            throw new IllegalStateException("the change feed is not enabled: build the store with Store.builder().changeFeed(true)");
        }
        return changeFeed;
    }

    /** @return string operations on database 0 */
    public Strings strings() {
        return databases[0].strings();
    }

    /** @return key operations on database 0 */
    public Keys keys() {
        return databases[0].keys();
    }

    /** @return hash operations on database 0 */
    public Hashes hashes() {
        return databases[0].hashes();
    }

    /** @return stream operations (appends, reads, consumer groups; see {@link StreamWorker}) on database 0 */
    public Streams streams() {
        return databases[0].streams();
    }

    /** @return set operations on database 0 */
    public Sets sets() {
        return databases[0].sets();
    }

    /** @return list operations (including the blocking pops) on database 0 */
    public Lists lists() {
        return databases[0].lists();
    }

    /** @return sorted-set operations (including the blocking pops) on database 0 */
    public SortedSets sortedSets() {
        return databases[0].sortedSets();
    }

    /** @return GEO operations (positions in sorted sets) on database 0 */
    public Geo geo() {
        return databases[0].geo();
    }

    /** @return a handle on the string at {@code key} in database 0, in UTF-8 */
    public StringValue<String> string(String key) {
        Preconditions.notNull(key, "key");
        return databases[0].string(key);
    }

    /** @return a handle on the string at {@code key} in database 0, through {@code codec} */
    public <T> StringValue<T> string(String key, Codec<T> codec) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(codec, "codec");
        return databases[0].string(key, codec);
    }

    /**
     * Runs one command against database 0, like one call on a fresh connection: a {@code SELECT}
     * here affects only this call. Use {@link #newSession()} to keep connection state.
     *
     * @return the reply; errors are {@link Reply.ErrorReply} values, never exceptions
     */
    public Reply execute(String... argv) {
        Preconditions.noNullElements(argv, "argv");
        return databases[0].execute(argv);
    }

    /** Binary form of {@link #execute(String...)}. */
    public Reply execute(byte[]... argv) {
        Preconditions.noNullElements(argv, "argv");
        return databases[0].execute(argv);
    }

    /**
     * Runs {@code body}'s typed calls as one transaction (Redis's MULTI ... EXEC): atomically and
     * isolated from every other thread, session and connection (the calling thread holds every
     * shard lock while {@code body} runs, so keep it short), propagated as one batch. Like EXEC
     * it does not roll back: a call that throws leaves the earlier calls' writes in place, and the
     * exception propagates. Blocking pops inside answer as timed out (null) instead of waiting;
     * clients blocked on keys {@code body} pushed to are served after it ends.
     *
     * <pre>{@code
     * store.multi(tx -> {
     *     tx.strings().set("a", "1");
     *     tx.lists().lpush("l", "x");
     * });
     * }</pre>
     *
     * @param body the calls; {@code tx} is this store
     */
    public void multi(java.util.function.Consumer<Store> body) {
        Preconditions.notNull(body, "body");
        engine.atomically().run(() -> {
            body.accept(this);
            return null;
        });
    }

    /**
     * {@link #multi(java.util.function.Consumer)} for a body with a result.
     *
     * @return what {@code body} returned
     */
    public <T> T multiResult(java.util.function.Function<Store, T> body) {
        Preconditions.notNull(body, "body");
        return engine.atomically().run(() -> body.apply(this));
    }

    /**
     * An optimistic transaction (Redis's WATCH ... MULTI ... EXEC, retried): watches {@code keys}
     * of database 0, then calls {@code attempt}, which reads what it needs (without locks) and
     * returns the writes to make, or null for none; the writes run atomically (as
     * {@link #multi(java.util.function.Consumer)}) only if no watched key was modified (or
     * expired) since it was watched. Otherwise everything is retried from the watch. Writes made
     * by {@code attempt} itself, outside the returned writes, count as modifications.
     *
     * @param keys    the keys whose change invalidates an attempt
     * @param attempt reads, then returns the writes (or null to stop without writing)
     * @return the number of attempts made (1 when nothing interfered)
     */
    public int watch(java.util.Collection<byte[]> keys,
                     java.util.function.Function<Store, java.util.function.Consumer<Store>> attempt) {
        Preconditions.notNull(keys, "keys");
        Preconditions.notNull(attempt, "attempt");
        byte[][] k = keys.toArray(new byte[0][]);
        Preconditions.noNullElements(k, "keys");
        var a = engine.atomically();
        for (int n = 1; ; n++) {
            var tx = a.newClient();
            a.watch(tx, 0, k);
            java.util.function.Consumer<Store> writes;
            try {
                writes = attempt.apply(this);
            } catch (RuntimeException e) {
                tx.unwatch();
                throw e;
            }
            if (writes == null) {
                tx.unwatch();
                return n;
            }
            if (a.execIfUntouched(tx, () -> writes.accept(this))) {
                return n;
            }
        }
    }

    /**
     * Runs Java code over the declared {@code keys} of database 0 with a Lua script's atomicity,
     * at in-process speed: no other thread, session or connection sees part of its effects or
     * runs a command on those keys while it runs. Only the declared keys' lock shards are held
     * (taken in ascending order, so it cannot deadlock with other commands), so commands on other
     * keys keep running in parallel.
     *
     * <ul>
     *   <li>Only declared keys may be touched, through {@code ctx} (or this store's handles, on
     *       this thread): any other key, and any whole-keyspace command ({@code KEYS},
     *       {@code SCAN}, {@code DBSIZE}, {@code FLUSHALL}, {@link #multi}), throws
     *       {@link UndeclaredKeyException} before anything is locked.</li>
     *   <li>Its effects reach the {@link Builder#propagationSink propagation sink} as one batch;
     *       blocking pops inside answer as timed out; clients blocked on keys it pushed to are
     *       served once, after it ends.</li>
     *   <li>Time limit: {@code busy-reply-threshold} (default 5000 ms, on the store's
     *       {@link Clock}). Java code cannot be interrupted, so each store call inside checks it:
     *       past it, a lambda that has not written yet gets {@link AtomicTimeoutException}; one
     *       that has written runs to its end.</li>
     *   <li>No rollback: an exception thrown inside leaves earlier writes in place and
     *       propagates, as an error does in a Redis script.</li>
     *   <li>It must not wait (sleep, I/O, locks, futures), and must not wait for another thread
     *       that uses the store: that thread would wait for this lambda's locks (a deadlock).
     *       Nested {@code atomically} on the same thread is allowed with a subset of the keys.</li>
     * </ul>
     *
     * <pre>{@code
     * store.atomically(List.of("from", "to"), ctx -> {
     *     if (Long.parseLong(ctx.strings().get("from")) >= 30) {
     *         ctx.strings().decrBy("from", 30);
     *         ctx.strings().incrBy("to", 30);
     *     }
     * });
     * }</pre>
     *
     * @param keys the keys the code may touch (UTF-8)
     * @param body the code
     */
    public void atomically(java.util.Collection<String> keys, java.util.function.Consumer<AtomicContext> body) {
        Preconditions.notNull(body, "body");
        atomicallyResult(keys, c -> {
            body.accept(c);
            return null;
        });
    }

    /**
     * {@link #atomically(java.util.Collection, java.util.function.Consumer)} for code with a
     * result.
     *
     * @return what {@code body} returned
     */
    public <T> T atomicallyResult(java.util.Collection<String> keys, java.util.function.Function<AtomicContext, T> body) {
        Preconditions.notNull(keys, "keys");
        Preconditions.notNull(body, "body");
        byte[][] k = new byte[keys.size()][];
        int i = 0;
        for (String s : keys) {
            Preconditions.notNull(s, "keys[" + i + "]");
            k[i++] = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        return atomicallyOwned(k, body);
    }

    /** Binary-key form of {@link #atomically(java.util.Collection, java.util.function.Consumer)}. */
    public void atomically(byte[][] keys, java.util.function.Consumer<AtomicContext> body) {
        Preconditions.notNull(body, "body");
        atomicallyResult(keys, c -> {
            body.accept(c);
            return null;
        });
    }

    /** Binary-key form of {@link #atomicallyResult(java.util.Collection, java.util.function.Function)}. */
    public <T> T atomicallyResult(byte[][] keys, java.util.function.Function<AtomicContext, T> body) {
        Preconditions.noNullElements(keys, "keys");
        Preconditions.notNull(body, "body");
        byte[][] k = new byte[keys.length][];
        for (int i = 0; i < k.length; i++) {
            k[i] = keys[i].clone();
        }
        return atomicallyOwned(k, body);
    }

    private <T> T atomicallyOwned(byte[][] keys, java.util.function.Function<AtomicContext, T> body) {
        AtomicContext ctx = atomicContext;
        // busy-reply-threshold (alias lua-time-limit), Redis's script time limit, in ms
        long limitMs = engine.server().config().longValue("busy-reply-threshold");
        return engine.atomically().runDeclared(keys, limitMs, () -> body.apply(ctx));
    }

    /** @return a new session on database 0, for connection-style use (SELECT sticks) */
    public Session newSession() {
        return new Session(engine, 0);
    }

    /**
     * @return bytes in use: native blocks holding keys and values, plus the key tables' slot
     *         arrays (five bytes a slot, on the heap)
     */
    public long usedMemory() {
        return engine.keyspace().usedMemory();
    }

    /** Runs one active-expiry cycle now (tests use this with a manual clock). */
    public long expireCycle() {
        return engine.activeExpiry().runCycle(Long.MAX_VALUE / 4);
    }

    /**
     * The port a network front end (the RESP module) serves this store's clients through:
     * connections, connection commands, authentication, MONITOR; see {@link io.redjar.spi}. Not
     * needed for embedded use.
     *
     * @return the store's front-end port (one per store)
     */
    public io.redjar.spi.FrontEnd frontEnd() {
        return engine.frontEnd();
    }

    /** Frees all native memory. The store must not be used afterwards. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (changeFeed != null) {
                changeFeed.close();
            }
            engine.close();
        }
    }

    /**
     * Settings for a {@link Store}. The setters reject null at once ({@link NullPointerException}
     * naming the parameter); {@link #open()} checks the numbers and throws
     * {@link IllegalArgumentException} naming the first bad option.
     *
     * <ul>
     *   <li>{@code databases}: 1..16384 (Redis's {@code databases}, default 16)</li>
     *   <li>{@code shards}: a power of two, 1..16384 (default: 16 x available processors,
     *       capped at 256); more shards, less contention</li>
     *   <li>{@code clock}: time source (default {@link Clock#system()})</li>
     *   <li>{@code propagationSink}: receives every write's effect (default none)</li>
     *   <li>{@code activeExpire}: the background expiry cycle (default on)</li>
     *   <li>{@code hz}: expiry cycles per second, 1..500 (Redis's {@code hz}, default 10)</li>
     *   <li>{@code maxMemory}: Redis's {@code maxmemory} in bytes (default 0: no limit)</li>
     *   <li>{@code changeFeed}, {@code changeFeedRetentionBytes}, {@code changeFeedSegmentBytes},
     *       {@code changeFeedFsync}: the {@link ChangeFeed} (default off)</li>
     *   <li>{@code config(name, value)}: any setting {@code CONFIG SET} accepts, under Redis's
     *       name (e.g. {@code hash-max-listpack-entries}, {@code slowlog-log-slower-than});
     *       validated at {@code open()} with CONFIG SET's rules</li>
     * </ul>
     */
    public static final class Builder {
        private int databases = 16;
        private int shards = defaultShards();
        private Clock clock = Clock.system();
        private PropagationSink sink = PropagationSink.NONE;
        private boolean activeExpire = true;
        private int hz = 10;
        private final java.util.Map<String, String> config = new java.util.LinkedHashMap<>();
        private java.util.function.Consumer<Throwable> loadFailure;
        private final ChangeFeed.Settings feed = new ChangeFeed.Settings();

        private Builder() {
        }

        private static int defaultShards() {
            int want = Math.min(256, 16 * Runtime.getRuntime().availableProcessors());
            return Integer.highestOneBit(want);
        }

        /** Number of databases (Redis's {@code databases}). */
        public Builder databases(int n) {
            this.databases = n;
            return this;
        }

        /** Number of lock shards; a power of two. */
        public Builder shards(int n) {
            this.shards = n;
            return this;
        }

        /** The time source; use a {@link ManualClock} in tests. */
        public Builder clock(Clock clock) {
            Preconditions.notNull(clock, "clock");
            this.clock = clock;
            return this;
        }

        /**
         * Where writes are propagated (AOF, replicas, tests): called one effect at a time, in the
         * store's global effect order, after the writer has released its locks (see
         * {@link PropagationSink}).
         */
        public Builder propagationSink(PropagationSink propagationSink) {
            Preconditions.notNull(propagationSink, "propagationSink");
            this.sink = propagationSink;
            return this;
        }

        /** Whether keys that nobody reads are expired in the background. */
        public Builder activeExpire(boolean on) {
            this.activeExpire = on;
            return this;
        }

        /**
         * A setting by its Redis name, as {@code CONFIG SET name value} would set it (for
         * example {@code config("hash-max-listpack-entries", "256")}).
         */
        public Builder config(String name, String value) {
            Preconditions.notNull(name, "name");
            Preconditions.notNull(value, "value");
            config.put(name, value);
            return this;
        }

        /**
         * Redis's {@code maxmemory}, in bytes (0, the default, means no limit). Before each command
         * the store evicts keys by the {@link #maxMemoryPolicy policy} until the data set fits;
         * when nothing can be evicted (always under the default {@code noeviction}), every write
         * that can grow it (a {@code denyoom} command, typed or textual) fails with Redis's
         * {@code OOM command not allowed when used memory > 'maxmemory'.} error while reads and
         * deletes go on.
         *
         * @throws IllegalArgumentException if {@code bytes} is negative
         */
        public Builder maxMemory(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("maxMemory must be >= 0: " + bytes);
            }
            return config("maxmemory", Long.toString(bytes));
        }

        /**
         * Redis's {@code maxmemory-policy}: {@code noeviction} (the default), {@code allkeys-lru},
         * {@code allkeys-lfu}, {@code allkeys-random}, {@code volatile-lru}, {@code volatile-lfu},
         * {@code volatile-random}, {@code volatile-ttl}, or RedJar's admission-aware
         * {@code allkeys-wtinylfu} / {@code volatile-wtinylfu} (see {@code docs/eviction.md}).
         *
         * @throws IllegalArgumentException if {@code policy} is not one of these
         */
        public Builder maxMemoryPolicy(String policy) {
            Preconditions.notNull(policy, "policy");
            if (io.redjar.internal.eviction.access.EvictionPolicy.of(policy) == null) {
                throw new IllegalArgumentException("unknown maxmemory-policy: " + policy);
            }
            return config("maxmemory-policy", policy);
        }

        /**
         * The directory snapshots and the append-only file live in (Redis's {@code dir}); it must
         * exist. Default: the working directory, which is only used if a persistence setting asks.
         */
        public Builder dataDir(java.nio.file.Path dir) {
            Preconditions.notNull(dir, "dir");
            return config("dir", dir.toString());
        }

        /**
         * Whether writes are logged to the append-only file in {@code dataDir} (Redis's
         * {@code appendonly}); when on, the store loads that file at open. Default off.
         */
        public Builder appendOnly(boolean on) {
            return config("appendonly", on ? "yes" : "no");
        }

        /** When the append-only file is synced (Redis's {@code appendfsync}, default everysec). */
        public Builder appendFsync(AppendFsync policy) {
            Preconditions.notNull(policy, "policy");
            return config("appendfsync", policy.redisName());
        }

        /**
         * Automatic snapshot points in Redis's {@code save} syntax ({@code "3600 1 300 100"}: after
         * 3600 s if one key changed, after 300 s if 100 did); {@code ""} (the default) disables
         * them. With save points set, closing the store writes a final snapshot, as redis-server's
         * SHUTDOWN does.
         */
        public Builder save(String points) {
            Preconditions.notNull(points, "points");
            return config("save", points);
        }

        /**
         * Loads the persisted data set (the append-only file or the dump) on a background thread,
         * as redis-server does: {@code open()} returns at once and, until the load is done, calls of
         * commands without Redis's {@code loading} flag fail with {@code LOADING Redis is loading
         * the dataset in memory} (INFO persistence shows the progress). For servers; an embedded
         * application usually wants the default, a load that is complete when {@code open()}
         * returns.
         *
         * @param onFailure told if the load fails (the store then keeps answering LOADING; close it)
         */
        public Builder loadInBackground(java.util.function.Consumer<Throwable> onFailure) {
            Preconditions.notNull(onFailure, "onFailure");
            this.loadFailure = onFailure;
            return this;
        }

        /**
         * Whether the store keeps a {@link ChangeFeed} ({@link Store#changeFeed()}). With a
         * {@link #dataDir data directory} it is durable, in {@code <dir>/changefeed/}; without
         * one it lives in memory, bounded by its retention. Default off.
         */
        public Builder changeFeed(boolean on) {
            feed.enabled = on;
            return this;
        }

        /**
         * How many bytes of changes the feed retains; older segments are deleted beyond it.
         * Default 1 GiB on disk, 64 MiB in memory.
         *
         * @throws IllegalArgumentException if {@code bytes} is not positive
         */
        public Builder changeFeedRetentionBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("changeFeedRetentionBytes must be > 0: " + bytes);
            }
            feed.retentionBytes = bytes;
            return this;
        }

        /**
         * The size at which the feed starts a new segment (the unit of retention). Default
         * 64 MiB on disk, 1 MiB in memory.
         *
         * @throws IllegalArgumentException if {@code bytes} is under 1024
         */
        public Builder changeFeedSegmentBytes(long bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("changeFeedSegmentBytes must be >= 1024: " + bytes);
            }
            feed.segmentBytes = bytes;
            return this;
        }

        /**
         * When a durable feed is synced: {@code ALWAYS} (a write returns once its change is on
         * disk, group-committed like the append-only file), {@code EVERYSEC} or {@code NO}.
         * Default: the store's {@link #appendFsync appendfsync} at open.
         */
        public Builder changeFeedFsync(AppendFsync policy) {
            Preconditions.notNull(policy, "policy");
            feed.fsync = policy;
            return this;
        }

        /** Background cycles per second (Redis's {@code hz}). */
        public Builder hz(int n) {
            this.hz = n;
            return this;
        }

        /**
         * @return a new store
         * @throws IllegalArgumentException naming the option that is invalid
         * @throws IllegalStateException if the JVM lacks {@link #REQUIRED_JVM_FLAGS}
         */
        public Store open() {
            if (databases < 1 || databases > 16384) {
                throw new IllegalArgumentException("databases must be between 1 and 16384, got " + databases);
            }
            if (shards < 1 || shards > 16384 || Integer.bitCount(shards) != 1) {
                throw new IllegalArgumentException("shards must be a power of two between 1 and 16384, got " + shards);
            }
            if (hz < 1 || hz > 500) {
                throw new IllegalArgumentException("hz must be between 1 and 500, got " + hz);
            }
            checkJvmAccess();
            return new Store(this);
        }
    }

    /**
     * Fails with one clear message when the JVM was started without the export Agrona needs,
     * instead of an {@code IllegalAccessError} from deep inside the first command.
     */
    static void checkJvmAccess() {
        Module base = Object.class.getModule();
        if (!base.isExported("jdk.internal.misc", Store.class.getModule())) {
            throw new IllegalStateException("RedJar needs the JVM flag " + REQUIRED_JVM_FLAGS
                + " (Agrona's off-heap buffers use jdk.internal.misc.Unsafe). Add it to the java command line, "
                + "to JDK_JAVA_OPTIONS, or to your build's test JVM arguments (Maven surefire <argLine>, "
                + "Gradle jvmArgs); see the README.");
        }
    }
}
