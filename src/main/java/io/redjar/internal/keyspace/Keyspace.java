package io.redjar.internal.keyspace;

import io.redjar.Clock;
import io.redjar.PropagationSink;
import io.redjar.WrongTypeException;
import io.redjar.internal.memory.NativeMemory;
import io.redjar.internal.memory.SizeClasses;
import io.redjar.internal.memory.SlabAllocator;
import io.redjar.internal.propagation.EffectBatch;
import io.redjar.internal.propagation.EffectConsumer;
import io.redjar.internal.propagation.PropagationBus;
import io.redjar.internal.util.HashSlot;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * All databases of a store: {@code 2^k} {@link Shard shards}, each with one {@link KeyTable} per
 * database, plus the rules every type shares: lazy expiry, the LRU clock, type checks, entry
 * (re)writing and write propagation (through the {@link PropagationBus}).
 *
 * <p><b>Concurrency:</b> any number of threads use the keyspace at once. Each command locks the
 * shards of its keys (one shard for a single-key command; for several keys, every distinct shard
 * in ascending index order, so two commands can never deadlock) and holds them until it has
 * replied and appended its effects to the bus, so every command is atomic and its effects are
 * totally ordered per key; the bus delivers them once the thread has released its last lock.
 * Commands that span the whole keyspace ({@code FLUSHALL}, {@code SWAPDB}, {@code KEYS},
 * {@code DBSIZE}) take every lock in order. Methods whose javadoc says "caller holds the lock"
 * assume the shard's lock is held by the current thread.
 *
 * <p><b>Expiry:</b> an entry past its expire time is never observable: {@link #lookup} deletes it
 * (and propagates {@code DEL}) before anyone sees it, and {@link ActiveExpiry} reclaims keys nobody
 * reads, in bounded steps. All decisions use the injected {@link Clock}.
 *
 * <p><b>Write path and key events:</b> every change to a key is reported to the
 * {@link KeyspaceEvents} registry ({@link #events()}) as {@code modified(db, key, event)}, the
 * analogue of Redis's {@code signalModifiedKey} + {@code notifyKeyspaceEvent}. The type operations
 * call {@link #modified} beside each {@link #propagate} call, with the {@link KeyEvent}s Redis 7.0
 * notifies for that command, in Redis's order (e.g. {@code LPOP} emptying a list: {@code lpop}
 * then {@code del}). This class reports by itself what it does on its own: {@link KeyEvent#NEW}
 * whenever a key is added to a table ({@link #allocateFor} without an old entry,
 * {@link #cloneInto}, {@link #moveEntry}: Redis's {@code dbAdd}), {@link KeyEvent#EXPIRED} for
 * every expired key removed (lazy in {@link #lookup}, active in {@link #sweep}), and whole-database
 * changes through {@link #flushed} and {@link #swapDatabases}. Reports are made on the writing
 * thread under the key's shard lock (every lock for flush and swap), after the change, so one
 * key's events are totally ordered. With no listener registered a report costs one volatile read.
 */
public final class Keyspace implements AutoCloseable {
    private static final byte[] DEL = "DEL".getBytes(StandardCharsets.US_ASCII);

    private final Shard[] shards;
    private final ValueStructures[] structures = inlineOnly();
    private final int shardMask;
    private final int databases;
    private final Clock clock;
    private final PropagationBus bus;
    /** The bus consumer standing for the store's public {@link PropagationSink}; guarded by this. */
    private EffectConsumer sinkConsumer;
    /** Where this keyspace's effects go: the bus's {@link PropagationBus#append} (set once). */
    private volatile PropagationSink sink;
    private final KeyspaceEvents events = new KeyspaceEvents();

    /**
     * Told, under the key's shard lock, whenever a list or sorted set is created under a key
     * (blocked clients wait for exactly that).
     */
    public interface CreationListener {
        CreationListener NONE = (shard, db, key) -> { };

        void created(int shard, int db, byte[] key);

        /** Two databases swapped: any key of either may have appeared. Caller holds every lock. */
        default void databasesSwapped(int a, int b) {
        }
    }

    private volatile CreationListener creations = CreationListener.NONE;

    /** Sets the listener for list and sorted-set creations. */
    public void creationListener(CreationListener l) {
        this.creations = l;
    }

    private void created(Shard s, int db, byte[] key, int type) {
        if (type == ValueType.LIST.code() || type == ValueType.ZSET.code() || type == ValueType.STREAM.code()) {
            creations.created(s.index, db, key);
        }
    }

    /**
     * Redis's {@code signalKeyAsReady} for a key that already exists: XADD to a stream someone may
     * be blocked on (blocked XREAD/XREADGROUP are served after the command, like BLPOP). Caller
     * holds the key's shard lock.
     */
    public void signalReady(Shard s, int db, byte[] key) {
        creations.created(s.index, db, key);
    }

    /**
     * A stream entry is about to leave its key (deleted, expired, overwritten by another type,
     * moved or renamed away): Redis 7.0's {@code signalKeyAsReady} in {@code dbGenericDelete} and
     * {@code dbSetValue}, so that blocked XREADGROUP clients get their "no longer exists" error.
     */
    private void streamLeaving(Shard s, int db, long e) {
        if (EntryDescriptor.type(e) == ValueType.STREAM.code()) {
            creations.created(s.index, db, EntryDescriptor.key(e));
        }
    }

    /** @return whether {@code key} exists (no LRU touch). Caller holds the key's shard lock. */
    public boolean exists(int db, byte[] key) {
        return lookup(shardOf(key), db, key, hash(key), now(), false) >= 0;
    }

    /**
     * @param shards    a power of two, 1..16384
     * @param databases at least 1
     */
    public Keyspace(int shards, int databases, Clock clock, PropagationSink sink) {
        if (Integer.bitCount(shards) != 1 || shards > 16384) {
            throw new IllegalArgumentException("shards must be a power of two up to 16384: " + shards);
        }
        this.shards = new Shard[shards];
        this.bus = new PropagationBus(new PropagationBus.Quiescence() {
            @Override
            public void lockAll() {
                lockAllUntracked();
            }

            @Override
            public void unlockAll() {
                unlockAllUntracked();
            }

            @Override
            public boolean heldByCurrentThread() {
                for (Shard s : Keyspace.this.shards) {
                    if (s.lock.isHeldByCurrentThread()) {
                        return true;
                    }
                }
                return false;
            }
        });
        for (int i = 0; i < shards; i++) {
            this.shards[i] = new Shard(i, databases, structures, bus);
        }
        this.shardMask = shards - 1;
        this.databases = databases;
        this.clock = clock;
        this.sink = bus::append;
        propagationSink(sink);
    }

    /** @return the bus every write's effect goes through */
    public PropagationBus propagation() {
        return bus;
    }

    /** @return a registry in which every type's values are inline bytes (strings only). */
    static ValueStructures[] inlineOnly() {
        ValueStructures[] r = new ValueStructures[16];
        java.util.Arrays.fill(r, ValueStructures.INLINE);
        return r;
    }

    /**
     * Registers how values of {@code type} reference native structures. Call before the store is
     * used (the engine does, at start).
     */
    public void register(ValueType type, ValueStructures s) {
        structures[type.code()] = s;
    }

    /** @return whether {@link #close()} has run */
    public boolean isClosed() {
        return shards[0].closed;
    }

    /** @return how values of {@code type} reference native structures */
    public ValueStructures structures(ValueType type) {
        return structures[type.code()];
    }

    public int databases() {
        return databases;
    }

    public int shardCount() {
        return shards.length;
    }

    public Shard shard(int index) {
        return shards[index];
    }

    public Clock clock() {
        return clock;
    }

    /** @return the current time in ms. */
    public long now() {
        if (frozenFor == Thread.currentThread()) {
            return frozenAt;
        }
        return clock.millis();
    }

    /**
     * The thread whose clock is frozen (a running script: Redis checks expiry against the
     * script's start time, so a key cannot expire in the middle of a script) and the time it sees.
     * Plain fields: only the thread named here reads a value it did not write itself as equal to
     * itself, and it wrote both.
     */
    private Thread frozenFor;
    private long frozenAt;

    /**
     * Freezes {@link #now()} for the calling thread at the current time (until
     * {@link #unfreezeTime}); nested calls keep the outer time.
     *
     * @return whether this call froze it (pass to {@link #unfreezeTime})
     */
    public boolean freezeTime() {
        if (frozenFor == Thread.currentThread()) {
            return false;
        }
        frozenAt = clock.millis();
        frozenFor = Thread.currentThread();
        return true;
    }

    /** Ends a {@link #freezeTime()} that returned true. */
    public void unfreezeTime(boolean froze) {
        if (froze) {
            frozenFor = null;
        }
    }

    /** @return the registry of listeners told of every key change */
    public KeyspaceEvents events() {
        return events;
    }

    /**
     * Reports that a write changed {@code key} in {@code db} (Redis's {@code signalModifiedKey}
     * plus {@code notifyKeyspaceEvent}). The type operations call it beside each
     * {@link #propagate}, once per event Redis notifies, in Redis's order. Caller holds the key's
     * shard lock.
     */
    public void modified(int db, byte[] key, KeyEvent event) {
        AtomicRegion.noteWrite(this);
        dirty.increment();
        events.modified(db, key, event);
    }

    /** Changes since the store opened (Redis's {@code server.dirty}): one per key event, one per flush. */
    private final java.util.concurrent.atomic.LongAdder dirty = new java.util.concurrent.atomic.LongAdder();

    /**
     * Counts {@code n} changes that report no key event (Redis's bare {@code server.dirty++}: XACK,
     * the PEL updates of XCLAIM and XREADGROUP). Caller holds the key's shard lock.
     */
    public void dirtied(long n) {
        AtomicRegion.noteWrite(this);
        dirty.add(n);
    }

    /** @return the number of changes since the store opened (save points, INFO's rdb_changes_since_last_save) */
    public long dirty() {
        return dirty.sum();
    }

    /** Reports a coming flush of {@code db} (-1: every database), keys still there. Caller holds every lock. */
    public void flushing(int db) {
        events.flushing(db);
    }

    /**
     * Looks at a key without side effects (no lazy expiry, no LRU touch, no report): Redis's
     * {@code dictFind} + {@code keyIsExpired}. Caller holds the key's shard lock.
     *
     * @return -1 when the table has no entry for {@code key}, 1 when it has one that has expired,
     *         0 when it has a live one
     */
    public int peek(int db, byte[] key) {
        KeyTable t = shardOf(key).tables[db];
        int slot = t.find(key, 0, key.length, hash(key));
        if (slot < 0) {
            return -1;
        }
        return isExpired(t.entry(slot), now()) ? 1 : 0;
    }

    /** Reports a flush of {@code db}, or of every database when it is -1. Caller holds every lock. */
    public void flushed(int db) {
        dirty.increment();
        events.flushed(db);
        // every key waited on in a flushed database: blocked XREADGROUP clients of a stream that
        // was there fail as in Redis's scanDatabaseForDeletedStreams (other waiters find nothing)
        for (int d = 0; d < databases(); d++) {
            if (db < 0 || d == db) {
                creations.databasesSwapped(d, d);
            }
        }
    }

    /**
     * Makes {@code sink} the bus consumer that stands for the store's {@link PropagationSink}
     * (replacing the previous one; {@link PropagationSink#NONE} for none). Call with no shard
     * lock held.
     */
    public synchronized void propagationSink(PropagationSink sink) {
        if (sinkConsumer != null) {
            bus.removeConsumer(sinkConsumer);
            sinkConsumer = null;
        }
        if (sink != null && sink != PropagationSink.NONE) {
            EffectConsumer c = new SinkConsumer(sink);
            bus.addConsumer(c);
            sinkConsumer = c;
        }
    }

    /** The public {@link PropagationSink} as a bus consumer: one call per effect, in offset order. */
    private record SinkConsumer(PropagationSink sink) implements EffectConsumer {
        @Override
        public void accept(EffectBatch batch) {
            for (int i = 0; i < batch.size(); i++) {
                sink.propagate(batch.get(i).db(), batch.get(i).argv());
            }
        }
    }

    /** @return the shard index of {@code key}. */
    public int shardIndex(byte[] key) {
        AtomicRegion.checkKey(this, key);
        return HashSlot.of(key) & shardMask;
    }

    /** @return the shard of {@code key}. */
    public Shard shardOf(byte[] key) {
        AtomicRegion.checkKey(this, key);
        return shards[HashSlot.of(key) & shardMask];
    }

    /** @return the in-shard hash of {@code key}. */
    public static long hash(byte[] key) {
        return NativeMemory.hash(key, 0, key.length);
    }

    /** @return the 24-bit LRU clock for time {@code now}. */
    public static int lruClock(long now) {
        return (int) ((now / 1000) & EntryDescriptor.LRU_MAX);
    }

    // ---- lookup ----------------------------------------------------------------------------

    /**
     * Finds a live key; an expired one is deleted (and {@code DEL} propagated) and reported
     * missing. Caller holds the lock.
     *
     * @param touch whether to refresh the LRU clock (false for TYPE, TTL, OBJECT, EXISTS...)
     * @return the slot, or -1
     */
    public int lookup(Shard s, int db, byte[] key, long hash, long now, boolean touch) {
        KeyTable t = s.tables[db];
        int slot = t.find(key, 0, key.length, hash);
        if (slot < 0) {
            if (touch) {
                recordMiss(s, hash);
            }
            return -1;
        }
        long e = t.entry(slot);
        if (EntryDescriptor.hasExpire(e) && EntryDescriptor.expireAt(e) <= now) {
            expire(t, db, slot, e);
            if (touch) {
                recordMiss(s, hash);
            }
            return -1;
        }
        if (touch) {
            touch(s, e, hash, now);
        }
        return slot;
    }

    // ---- access tracking -------------------------------------------------------------------

    /**
     * What an access writes into an entry's 24 access bits, from {@code maxmemory-policy} and the
     * {@code lfu-*} settings: the LRU clock, or Redis's LFU counter; and whether accesses feed the
     * shards' W-TinyLFU {@link io.redjar.internal.eviction.access.ShardAdmission admission} state.
     *
     * @param lfu        the bits hold an LFU counter ({@code *-lfu} policies)
     * @param logFactor  {@code lfu-log-factor}
     * @param decayTime  {@code lfu-decay-time}
     * @param admission  accesses are recorded in the frequency sketches ({@code *-wtinylfu})
     */
    public record AccessTracking(boolean lfu, int logFactor, int decayTime, boolean admission) {
        /** Redis's default: LRU clock, no sketch. */
        public static final AccessTracking LRU = new AccessTracking(false, 10, 1, false);
    }

    private volatile AccessTracking access = AccessTracking.LRU;

    /** Sets how accesses are tracked (the engine calls it when the eviction settings change). */
    public void accessTracking(AccessTracking a) {
        this.access = a;
    }

    /** @return how accesses are tracked now */
    public AccessTracking accessTracking() {
        return access;
    }

    /**
     * Redis's access update in {@code lookupKey}: under an LFU policy {@code updateLFU}, else the
     * LRU clock; the bits are written only when they change. Under a W-TinyLFU policy the access
     * is also counted in the shard's sketch. Caller holds the lock.
     */
    private void touch(Shard s, long e, long hash, long now) {
        AccessTracking a = access;
        int old = EntryDescriptor.lru(e);
        int bits = a.lfu()
            ? io.redjar.internal.eviction.access.Lfu.touch(old, now, a.logFactor(), a.decayTime(),
                java.util.concurrent.ThreadLocalRandom.current().nextDouble())
            : lruClock(now);
        if (bits != old) {
            EntryDescriptor.putLru(e, bits);
        }
        if (a.admission()) {
            s.admission().recordAccess(hash);
        }
    }

    /** A lookup that found nothing: counted in the sketch under a W-TinyLFU policy (TinyLFU counts misses). */
    private void recordMiss(Shard s, long hash) {
        if (access.admission()) {
            s.admission().recordAccess(hash);
        }
    }

    /** @return the access bits of a new object at {@code now}: the LRU clock or {@code LFU_INIT_VAL} */
    public int newAccessBits(long now) {
        return access.lfu() ? io.redjar.internal.eviction.access.Lfu.initial(now) : lruClock(now);
    }

    /**
     * Deletes an expired entry: propagation and notification. The table does not shrink here, so
     * slots the caller holds stay valid. Caller holds the lock.
     */
    void expire(KeyTable t, int db, int slot, long e) {
        byte[] key = EntryDescriptor.key(e);
        if (EntryDescriptor.type(e) == ValueType.STREAM.code()) {
            creations.created(shardIndex(key), db, key);
        }
        t.deleteAt(slot);
        sink.propagate(db, new byte[][] {DEL, key});
        events.modified(db, key, KeyEvent.EXPIRED);
    }

    /**
     * The entry in {@code slot} after checking its type. Caller holds the lock.
     *
     * @param slot a slot from {@link #lookup}, or -1
     * @return the entry address, or 0 when {@code slot} is -1
     * @throws WrongTypeException if the entry holds another type
     */
    public static long entryOf(Shard s, int db, int slot, ValueType type) {
        if (slot < 0) {
            return 0;
        }
        long e = s.tables[db].entry(slot);
        checkType(e, type);
        return e;
    }

    /** @return whether the entry at {@code e} has expired at {@code now}. */
    public static boolean isExpired(long e, long now) {
        return EntryDescriptor.hasExpire(e) && EntryDescriptor.expireAt(e) <= now;
    }

    /**
     * Checks that the entry holds {@code type}.
     *
     * @throws WrongTypeException if not
     */
    public static void checkType(long e, ValueType type) {
        if (EntryDescriptor.type(e) != type.code()) {
            throw new WrongTypeException();
        }
    }

    // ---- writing entries -------------------------------------------------------------------

    /** Expire argument meaning "keep the entry's current TTL". */
    public static final long KEEP_TTL = -1;
    /** Expire argument meaning "no TTL". */
    public static final long NO_TTL = 0;

    /**
     * Stores a value under {@code key}, replacing whatever was there (any type). Caller holds the
     * lock and has looked the key up ({@code slot} from {@link #lookup}, or -1 if absent).
     *
     * @param expireAt absolute ms, {@link #NO_TTL} or {@link #KEEP_TTL}
     * @return the entry address
     */
    public long store(Shard s, int db, byte[] key, long hash, int slot, ValueType type, int encHint,
                      byte[] value, int valueOff, int valueLen, long expireAt) {
        java.util.Objects.checkFromIndexSize(valueOff, valueLen, value.length); // Unsafe copies do not check
        long e = allocateFor(s, db, key, hash, slot, type, encHint, valueLen, expireAt);
        NativeMemory.copyFromArray(value, valueOff, EntryDescriptor.valueAddress(e), valueLen);
        return e;
    }

    /**
     * Makes room for a value of {@code valueLen} bytes under {@code key} and writes the header;
     * the caller fills the value bytes at {@link EntryDescriptor#valueAddress}. The old entry, if
     * any, is replaced (its block reused when the size class matches; its value bytes are then
     * garbage), and the structures its value referenced are released: a collection that changes
     * its own structures updates its value bytes in place instead. Caller holds the lock.
     */
    public long allocateFor(Shard s, int db, byte[] key, long hash, int slot, ValueType type, int encHint,
                            int valueLen, long expireAt) {
        checkValueLength(valueLen);
        KeyTable t = s.tables[db];
        long old = slot >= 0 ? t.entry(slot) : 0;
        long at = expireAt;
        if (at == KEEP_TTL) {
            at = old != 0 && EntryDescriptor.hasExpire(old) ? EntryDescriptor.expireAt(old) : NO_TTL;
        }
        int flags = type.code() | (encHint << EntryDescriptor.ENC_SHIFT) | (at != NO_TTL ? EntryDescriptor.FLAG_EXPIRE : 0);
        long len = EntryDescriptor.length(key.length, valueLen, at != NO_TTL);
        int lru = newAccessBits(clock.millis());
        if (old != 0) {
            if (access.lfu()) {
                lru = EntryDescriptor.lru(old); // Redis's dbSetValue: an overwritten key keeps its LFU counter
            }
            int oldType = EntryDescriptor.type(old);
            if (oldType != ValueType.STRING.code()) {
                structures[oldType].releaseEntry(s.allocator, old);
            }
            if (oldType != type.code()) {
                created(s, db, key, type.code()); // e.g. a sorted set stored over a string
                if (oldType == ValueType.STREAM.code()) {
                    creations.created(s.index, db, key); // a stream overwritten: XREADGROUP waiters fail
                }
            }
            long oldLen = EntryDescriptor.totalLength(old);
            boolean hadExpire = EntryDescriptor.hasExpire(old);
            if (SlabAllocator.sameBlock(oldLen, len)) {
                s.allocator.reallocateRef(t.ref(slot), oldLen, len); // in place: the block's size is now len
                EntryDescriptor.write(old, flags, lru, at, key, 0, key.length, valueLen);
                if (hadExpire != (at != NO_TTL)) {
                    t.expireFlagChanged(slot, at != NO_TTL);
                }
                return old;
            }
            int oldRef = t.ref(slot);
            int ref = s.allocator.allocateRef(len);
            s.allocator.freeRef(oldRef, oldLen);
            long e = s.allocator.address(ref);
            EntryDescriptor.write(e, flags, lru, at, key, 0, key.length, valueLen);
            t.replaceRef(slot, ref, hadExpire, at != NO_TTL);
            return e;
        }
        int ref = s.allocator.allocateRef(len);
        long e = s.allocator.address(ref);
        EntryDescriptor.write(e, flags, lru, at, key, 0, key.length, valueLen);
        t.insert(hash, ref);
        if (access.admission()) {
            s.admission().recordInsert(db, key, s.keyCount());
        }
        created(s, db, key, type.code());
        events.modified(db, key, KeyEvent.NEW);
        return e;
    }

    /** A value length on its way into an entry: never negative (a wrapped size), at most what a value may hold. */
    private static void checkValueLength(int valueLen) {
        if (valueLen < 0 || valueLen > io.redjar.internal.util.Sizes.MAX_VALUE_BYTES) {
            throw new IllegalArgumentException("value length out of range: " + valueLen);
        }
    }

    /**
     * Changes an entry's TTL in place (growing or shrinking the block when the expire field is
     * added or removed). Caller holds the lock.
     *
     * @param expireAt absolute ms, or {@link #NO_TTL} to persist
     * @return the (possibly moved) entry address
     */
    public long setExpire(Shard s, int db, int slot, long expireAt) {
        KeyTable t = s.tables[db];
        long e = t.entry(slot);
        boolean had = EntryDescriptor.hasExpire(e);
        boolean want = expireAt != NO_TTL;
        if (had && want) {
            EntryDescriptor.setExpireAt(e, expireAt);
            return e;
        }
        if (!had && !want) {
            return e;
        }
        long oldLen = EntryDescriptor.totalLength(e);
        long newLen = oldLen + (want ? EntryDescriptor.EXPIRE_SIZE : -EntryDescriptor.EXPIRE_SIZE);
        int flags = EntryDescriptor.flags(e);
        int lru = EntryDescriptor.lru(e);
        long bodyFrom = e + EntryDescriptor.HEADER + (had ? EntryDescriptor.EXPIRE_SIZE : 0);
        long bodyLen = oldLen - (bodyFrom - e);
        long n;
        int newRef = 0;
        if (SlabAllocator.sameBlock(oldLen, newLen)) {
            n = e;
            long bodyTo = e + EntryDescriptor.HEADER + (want ? EntryDescriptor.EXPIRE_SIZE : 0);
            // in place: grow the block's size before the body moves up, shrink it after it moved down
            if (want) {
                s.allocator.reallocateRef(t.ref(slot), oldLen, newLen);
            }
            NativeMemory.copy(bodyFrom, bodyTo, bodyLen);
            if (!want) {
                s.allocator.reallocateRef(t.ref(slot), oldLen, newLen);
            }
        } else {
            newRef = s.allocator.allocateRef(newLen);
            n = s.allocator.address(newRef);
            long bodyTo = n + EntryDescriptor.HEADER + (want ? EntryDescriptor.EXPIRE_SIZE : 0);
            NativeMemory.copy(bodyFrom, bodyTo, bodyLen);
        }
        flags = want ? flags | EntryDescriptor.FLAG_EXPIRE : flags & ~EntryDescriptor.FLAG_EXPIRE;
        EntryDescriptor.setFlags(n, flags);
        EntryDescriptor.putLru(n, lru);
        if (want) {
            EntryDescriptor.setExpireAt(n, expireAt);
        }
        if (n != e) {
            s.allocator.freeRef(t.ref(slot), oldLen);
            t.replaceRef(slot, newRef, had, want);
        } else {
            t.expireFlagChanged(slot, want);
        }
        return n;
    }

    /**
     * Resizes an entry's value to {@code newValueLen}, keeping key, flags, TTL and the first
     * {@code min(old, new)} value bytes. Caller holds the lock.
     *
     * @return the (possibly moved) entry address
     */
    public long resizeValue(Shard s, int db, int slot, int newValueLen) {
        checkValueLength(newValueLen);
        KeyTable t = s.tables[db];
        long e = t.entry(slot);
        int flags = EntryDescriptor.flags(e);
        boolean hasExpire = (flags & EntryDescriptor.FLAG_EXPIRE) != 0;
        long at = hasExpire ? EntryDescriptor.expireAt(e) : 0;
        int lru = EntryDescriptor.lru(e);
        byte[] key = EntryDescriptor.key(e);
        int oldValueLen = EntryDescriptor.valueLength(e);
        long oldValueAddr = EntryDescriptor.valueAddress(e);
        long oldLen = EntryDescriptor.totalLength(e);
        long newLen = EntryDescriptor.length(key.length, newValueLen, hasExpire);
        int keep = Math.min(oldValueLen, newValueLen);
        long n;
        if (SlabAllocator.sameBlock(oldLen, newLen)) {
            n = e;
            // When the value-length varint changes size, key and value shift: move the value
            // first (memmove), then rewrite header and key, which end where the value now starts.
            long newValueAddr = e + EntryDescriptor.HEADER + (hasExpire ? EntryDescriptor.EXPIRE_SIZE : 0)
                + EntryDescriptor.varintSize(key.length) + EntryDescriptor.varintSize(newValueLen) + key.length;
            // in place: the block's size grows before the move, shrinks after it
            if (newLen > oldLen) {
                s.allocator.reallocateRef(t.ref(slot), oldLen, newLen);
            }
            if (newValueAddr != oldValueAddr) {
                NativeMemory.copy(oldValueAddr, newValueAddr, keep);
            }
            EntryDescriptor.write(n, flags, lru, at, key, 0, key.length, newValueLen);
            if (newLen < oldLen) {
                s.allocator.reallocateRef(t.ref(slot), oldLen, newLen);
            }
        } else if (oldLen > io.redjar.internal.memory.SizeClasses.MAX_SLAB_BLOCK
            && newLen > io.redjar.internal.memory.SizeClasses.MAX_SLAB_BLOCK
            && EntryDescriptor.varintSize(oldValueLen) == EntryDescriptor.varintSize(newValueLen)) {
            // large block: let the system grow it in place where it can (APPEND on big strings)
            // (the ref names the block's own page, so it survives the move)
            n = s.allocator.address(s.allocator.reallocateRef(t.ref(slot), oldLen, newLen));
            EntryDescriptor.write(n, flags, lru, at, key, 0, key.length, newValueLen);
        } else {
            int newRef = s.allocator.allocateRef(newLen);
            n = s.allocator.address(newRef);
            long newValueAddr = EntryDescriptor.write(n, flags, lru, at, key, 0, key.length, newValueLen);
            NativeMemory.copy(oldValueAddr, newValueAddr, keep);
            s.allocator.freeRef(t.ref(slot), oldLen);
            t.replaceRef(slot, newRef, hasExpire, hasExpire);
        }
        return n;
    }

    /**
     * Writes a copy of entry {@code src} (value, type, encoding hint, LRU, and its TTL when
     * {@code keepExpire}) under {@code dstKey} in {@code dst}/{@code dstDb}, replacing the entry in
     * {@code dstSlot} if that is not -1. {@code duplicate} marks a COPY (a private value: referenced
     * structures are deep-copied) rather than a RENAME (the same value under a new name: within one
     * shard the structures simply change owner, and the caller must then drop the source with
     * {@link #dropMoved}; across shards they are copied into the destination's allocator). The
     * caller holds both shards' locks; {@code src} stays.
     *
     * @return the new entry
     */
    public long cloneInto(Shard srcShard, long src, Shard dst, int dstDb, byte[] dstKey, long dstHash, int dstSlot,
                          boolean keepExpire, boolean duplicate) {
        int flags = EntryDescriptor.flags(src);
        int type = flags & EntryDescriptor.TYPE_MASK;
        int hint = (flags >>> EntryDescriptor.ENC_SHIFT) & 0x3;
        if (duplicate && type == ValueType.STRING.code() && hint == EntryDescriptor.ENC_AUTO) {
            hint = EntryDescriptor.ENC_AUTO_PRIVATE;
        }
        long at = keepExpire && EntryDescriptor.hasExpire(src) ? EntryDescriptor.expireAt(src) : NO_TTL;
        int valueLen = EntryDescriptor.valueLength(src);
        int lru = EntryDescriptor.lru(src);
        long valueFrom = EntryDescriptor.valueAddress(src);
        if (dstSlot >= 0) {
            dst.tables[dstDb].deleteAt(dstSlot);
        }
        long len = EntryDescriptor.length(dstKey.length, valueLen, at != NO_TTL);
        int ref = dst.allocator.allocateRef(len);
        long e = dst.allocator.address(ref);
        int newFlags = type | (hint << EntryDescriptor.ENC_SHIFT) | (at != NO_TTL ? EntryDescriptor.FLAG_EXPIRE : 0);
        long v = EntryDescriptor.write(e, newFlags, lru, at, dstKey, 0, dstKey.length, valueLen);
        if (duplicate || srcShard != dst) {
            structures[type].copyEntry(srcShard.allocator, src, dst.allocator, v);
        } else {
            NativeMemory.copy(valueFrom, v, valueLen); // same shard: the structures change owner
        }
        dst.tables[dstDb].insert(dstHash, ref);
        created(dst, dstDb, dstKey, type);
        events.modified(dstDb, dstKey, KeyEvent.NEW);
        return e;
    }

    /**
     * Moves entry in {@code slot} of {@code fromDb} to {@code toDb} of the same shard without
     * copying it. Caller holds the lock and knows the key is absent in {@code toDb}.
     */
    public void moveEntry(Shard s, int fromDb, int slot, int toDb, long hash) {
        streamLeaving(s, fromDb, s.tables[fromDb].entry(slot));
        int ref = s.tables[fromDb].detachAt(slot);
        s.tables[toDb].insert(hash, ref);
        long e = s.allocator.address(ref);
        byte[] key = EntryDescriptor.key(e);
        created(s, toDb, key, EntryDescriptor.type(e));
        events.modified(toDb, key, KeyEvent.NEW);
        s.tables[fromDb].maybeShrink();
    }

    /**
     * Removes a RENAMEd source entry whose structures now belong to the new entry (same shard).
     * Caller holds the lock.
     */
    public void dropMoved(Shard s, int db, int slot) {
        KeyTable t = s.tables[db];
        streamLeaving(s, db, t.entry(slot));
        t.dropAt(slot);
        t.maybeShrink();
    }

    /**
     * Deletes the entry in {@code slot}, then lets the table shrink: slot numbers the caller holds
     * for this table are invalid afterwards. Caller holds the lock.
     */
    public void delete(Shard s, int db, int slot) {
        KeyTable t = s.tables[db];
        streamLeaving(s, db, t.entry(slot));
        t.deleteAt(slot);
        t.maybeShrink();
    }

    /**
     * Evicts the entry in {@code slot} (Redis's eviction in {@code performEvictions}): deletes it,
     * propagates {@code DEL} (or {@code UNLINK} when {@code unlink}, Redis's
     * {@code lazyfree-lazy-eviction}), and reports {@link KeyEvent#EVICTED} (the {@code evicted}
     * notification, WATCH, tracking invalidation). Blocked clients see what a DEL would show them.
     * The table may shrink afterwards. Caller holds the lock.
     *
     * @return the bytes this freed in the shard (its published figure before minus after)
     */
    public long evict(Shard s, int db, int slot, boolean unlink) {
        long before = s.allocator.publishedBytes();
        KeyTable t = s.tables[db];
        long e = t.entry(slot);
        byte[] key = EntryDescriptor.key(e);
        streamLeaving(s, db, e);
        t.deleteAt(slot);
        sink.propagate(db, new byte[][] {unlink ? UNLINK : DEL, key});
        events.modified(db, key, KeyEvent.EVICTED);
        t.maybeShrink();
        return before - s.allocator.publishedBytes();
    }

    private static final byte[] UNLINK = "UNLINK".getBytes(StandardCharsets.US_ASCII);

    /**
     * One bounded step of active expiry over {@code db} in shard {@code s}: examines up to
     * {@code slots} slots from where the last step stopped, deleting expired entries. Caller
     * holds the lock.
     *
     * @return {@code (entries with a TTL examined << 32) | entries expired}
     */
    public long sweep(Shard s, int db, int slots, long now) {
        KeyTable t = s.tables[db];
        if (t.expires() == 0) {
            return 0;
        }
        int withTtl = 0;
        int expired = 0;
        for (int n = 0; n < slots; n++) {
            int cap = t.capacity();
            int i = t.sweepCursor & (cap - 1);
            t.sweepCursor = (i + 1) & (cap - 1);
            if (!t.isLive(i)) {
                continue;
            }
            long e = t.entry(i);
            if (!EntryDescriptor.hasExpire(e)) {
                continue;
            }
            withTtl++;
            if (EntryDescriptor.expireAt(e) <= now) {
                expire(t, db, i, e);
                expired++;
                if (t.expires() == 0) {
                    break;
                }
            }
        }
        t.maybeShrink();
        return ((long) withTtl << 32) | expired;
    }

    // ---- propagation -----------------------------------------------------------------------

    /**
     * Appends a write's effect to the {@link PropagationBus}. Caller holds the locks of the keys
     * involved; the effect is delivered to the consumers after the caller releases its last lock.
     */
    public void propagate(int db, byte[]... argv) {
        bus.append(db, argv);
    }

    // ---- whole-keyspace locking ------------------------------------------------------------

    /** Locks every shard in index order. @throws IllegalStateException once the store is closed */
    public void lockAll() {
        lockAllUntracked();
        bus.acquired(shards.length);
    }

    /** Unlocks every shard (effects sequenced before, delivered after, as {@link Shard#unlock()}). */
    public void unlockAll() {
        long token = bus.releasing(shards.length);
        unlockAllUntracked();
        bus.released(token);
    }

    private void lockAllUntracked() {
        for (int i = 0; i < shards.length; i++) {
            lockOrRelease(i, null, i);
        }
    }

    private void unlockAllUntracked() {
        for (int i = shards.length - 1; i >= 0; i--) {
            shards[i].lock.unlock();
        }
    }

    /**
     * @return the distinct shard indexes of {@code keys}, ascending: the order to lock them in
     */
    public int[] shardsOf(byte[][] keys, int from, int to, int step) {
        int[] idx = new int[(to - from + step - 1) / step];
        int n = 0;
        for (int i = from; i < to; i += step) {
            idx[n++] = shardIndex(keys[i]);
        }
        Arrays.sort(idx, 0, n);
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (m == 0 || idx[m - 1] != idx[i]) {
                idx[m++] = idx[i];
            }
        }
        return m == idx.length ? idx : Arrays.copyOf(idx, m);
    }

    /** Locks the given shards, which must be sorted ascending and distinct. */
    public void lock(int[] sortedShards) {
        for (int k = 0; k < sortedShards.length; k++) {
            lockOrRelease(sortedShards[k], sortedShards, k);
        }
        bus.acquired(sortedShards.length);
    }

    /** Locks one shard (untracked); if the store is closed, releases the ones this call already took. */
    private void lockOrRelease(int shard, int[] sorted, int taken) {
        try {
            shards[shard].lockUntracked();
        } catch (IllegalStateException closed) {
            for (int j = taken - 1; j >= 0; j--) {
                shards[sorted == null ? j : sorted[j]].lock.unlock();
            }
            throw closed;
        }
    }

    /** Unlocks the given shards. */
    public void unlock(int[] sortedShards) {
        long token = bus.releasing(sortedShards.length);
        for (int i = sortedShards.length - 1; i >= 0; i--) {
            shards[sortedShards[i]].lock.unlock();
        }
        bus.released(token);
    }

    /** Swaps two databases. Caller holds every lock. */
    public void swapDatabases(int a, int b) {
        for (Shard s : shards) {
            KeyTable t = s.tables[a];
            s.tables[a] = s.tables[b];
            s.tables[b] = t;
        }
        creations.databasesSwapped(a, b);
        events.swapped(a, b);
    }

    // ---- integrity ---------------------------------------------------------------------------

    /**
     * Checks every shard under every lock: each key table's counts (live keys, keys with an expire
     * time) and its per-slot TTL bits, that each entry hashes to its shard and is found under its own key, every value
     * structure ({@link ValueStructures#verify}: links, counts, encodings, order), that no block is
     * owned twice, and that the size-class-rounded sizes of the blocks reachable from the keyspace
     * (entries plus what their values own) add up to exactly the allocator's
     * {@link SlabAllocator#usedBytes()}: a leak or a double count shows as a difference. For tests,
     * the fuzzer and debugging; O(memory), allocates, and holds every lock while it runs.
     *
     * @return the number of entries checked
     * @throws IllegalStateException describing the first problem found
     */
    public long verifyIntegrity() {
        lockAll();
        try {
            long entries = 0;
            for (Shard s : shards) {
                entries += verifyShard(s);
            }
            return entries;
        } finally {
            unlockAll();
        }
    }

    private long verifyShard(Shard s) {
        long[] reachable = new long[1];
        // block address -> requested size, for every block reachable from the keyspace
        org.agrona.collections.Long2LongHashMap seen = new org.agrona.collections.Long2LongHashMap(-1L);
        long entries = 0;
        for (int db = 0; db < s.tables.length; db++) {
            KeyTable t = s.tables[db];
            int live = 0;
            int withExpire = 0;
            for (int slot = 0; slot < t.capacity(); slot++) {
                if (!t.isLive(slot)) {
                    if (t.ttlBit(slot)) {
                        throw new IllegalStateException("shard " + s.index + " db " + db + ": TTL bit set on empty slot " + slot);
                    }
                    continue;
                }
                long e = t.entry(slot);
                if (t.ttlBit(slot) != EntryDescriptor.hasExpire(e)) {
                    throw new IllegalStateException("shard " + s.index + " db " + db + " slot " + slot
                        + ": TTL bit " + t.ttlBit(slot) + " but the entry " + (EntryDescriptor.hasExpire(e) ? "has" : "has no") + " TTL");
                }
                byte[] key = EntryDescriptor.key(e);
                String where = "shard " + s.index + " db " + db + " key " + printable(key);
                try {
                    live++;
                    if (EntryDescriptor.hasExpire(e)) {
                        withExpire++;
                    }
                    if (shardIndex(key) != s.index) {
                        throw new IllegalStateException("entry is in the wrong shard (belongs in " + shardIndex(key) + ")");
                    }
                    if (t.find(key, 0, key.length, hash(key)) != slot) {
                        throw new IllegalStateException("entry is not found under its own key (or the key is stored twice)");
                    }
                    int type = EntryDescriptor.type(e);
                    if (type > ValueType.STREAM.code()) {
                        throw new IllegalStateException("entry has type code " + type);
                    }
                    ValueStructures.BlockVisitor v = (address, size) -> {
                        if (size <= 0) {
                            throw new IllegalStateException("block of size " + size);
                        }
                        if (seen.put(address, size) != -1L) {
                            throw new IllegalStateException("block 0x" + Long.toHexString(address) + " is owned twice");
                        }
                        reachable[0] += SizeClasses.blockSize(size);
                    };
                    v.block(e, EntryDescriptor.totalLength(e));
                    if (type != ValueType.STRING.code()) {
                        structures[type].verify(s.allocator, e, v);
                    }
                } catch (RuntimeException ex) {
                    throw new IllegalStateException(where + ": " + ex.getMessage(), ex);
                }
                entries++;
            }
            if (live != t.size() || withExpire != t.expires()) {
                throw new IllegalStateException("shard " + s.index + " db " + db + ": table counts " + t.size() + " keys, "
                    + t.expires() + " with expire; found " + live + " and " + withExpire);
            }
        }
        long used = s.allocator.usedBytes();
        if (reachable[0] != used) {
            throw new IllegalStateException("shard " + s.index + ": blocks reachable from the keyspace take " + reachable[0]
                + " bytes but the allocator has " + used + " in use (" + (used - reachable[0]) + " unaccounted)");
        }
        if (io.redjar.internal.memory.NativeMemory.CHECKED) {
            verifyLiveBlocks(s, seen);
        }
        return entries;
    }

    /**
     * Bounds-checked mode only: the allocator's own record of live blocks must be exactly the
     * blocks reachable from the keyspace, at the sizes their owners believe they have, so a leaked
     * block (allocated, reachable from nothing) or a stale size is named, not just a byte total.
     */
    private static void verifyLiveBlocks(Shard s, org.agrona.collections.Long2LongHashMap reachable) {
        s.allocator.verifyAccounting();
        long[] live = new long[1];
        s.allocator.forEachLiveBlock((address, requestedSize) -> {
            live[0]++;
            long owned = reachable.get(address);
            if (owned == -1L) {
                throw new IllegalStateException("shard " + s.index + ": live block 0x" + Long.toHexString(address) + " of "
                    + requestedSize + " bytes is reachable from no key (leaked)");
            }
            if (owned != requestedSize) {
                throw new IllegalStateException("shard " + s.index + ": block 0x" + Long.toHexString(address) + " was allocated with "
                    + requestedSize + " bytes but its owner says " + owned);
            }
        });
        if (live[0] != reachable.size()) {
            throw new IllegalStateException("shard " + s.index + ": " + reachable.size() + " blocks reachable from the keyspace but "
                + live[0] + " live in the allocator");
        }
    }

    private static String printable(byte[] key) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < key.length && i < 64; i++) {
            int c = key[i] & 0xFF;
            if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
                b.append((char) c);
            } else {
                b.append(String.format("\\x%02x", c));
            }
        }
        return b.append(key.length > 64 ? "...\"" : "\"").toString();
    }

    // ---- accounting ------------------------------------------------------------------------

    /**
     * The data set's memory: native bytes in use by entries and what their values own, plus the key
     * tables' slot arrays. Takes no lock: each shard's allocator publishes its figure with a release
     * store after every change made under the shard's lock ({@link SlabAllocator#publishedBytes()}),
     * and this sums them with acquire loads, so it is exact for any moment at which no shard is
     * being changed, and otherwise counts each shard as of its last completed change.
     */
    public long usedMemory() {
        long total = 0;
        for (Shard s : shards) {
            total += s.allocator.publishedBytes();
        }
        return total;
    }

    /** @return {@link #usedMemory()} computed under every lock from the allocators and tables (tests) */
    public long usedMemoryLocked() {
        lockAll();
        try {
            long total = 0;
            for (Shard s : shards) {
                total += s.allocator.usedBytes();
                for (KeyTable t : s.tables) {
                    total += t.tableBytes();
                }
            }
            return total;
        } finally {
            unlockAll();
        }
    }

    /** @return whether the calling thread holds any shard lock (O(shards)) */
    public boolean anyLockHeldByCurrentThread() {
        for (Shard s : shards) {
            if (s.lock.isHeldByCurrentThread()) {
                return true;
            }
        }
        return false;
    }

    /** @return native bytes reserved from the system. */
    public long reservedMemory() {
        long total = 0;
        for (Shard s : shards) {
            s.lock.lock();
            try {
                total += s.allocator.reservedBytes();
            } finally {
                s.lock.unlock();
            }
        }
        return total;
    }

    @Override
    public void close() {
        bus.drain();
        for (Shard s : shards) {
            s.lock.lock();
        }
        try {
            for (Shard s : shards) {
                if (!s.closed) {
                    s.closed = true;
                    s.allocator.close();
                }
            }
        } finally {
            unlockAllUntracked();
        }
        bus.drain(); // safety: anything sequenced but not yet delivered
    }
}
