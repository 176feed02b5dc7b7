package io.redjar.internal.types;

import io.redjar.ErrorPrefix;
import io.redjar.RedJarException;
import io.redjar.internal.keyspace.EntryDescriptor;
import io.redjar.internal.keyspace.KeyEvent;
import io.redjar.internal.keyspace.Keyspace;
import io.redjar.internal.keyspace.Shard;
import io.redjar.internal.keyspace.ValueType;
import io.redjar.internal.memory.NativeMemory;
import io.redjar.internal.memory.SlabAllocator;
import io.redjar.internal.structure.IdTree;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The consumer-group operations of streams (Redis 7.0's {@code t_stream.c} group half without the
 * argument parsing): XGROUP, XREADGROUP's serving, XACK, XPENDING, XCLAIM, XAUTOCLAIM and the
 * group parts of XINFO. Each call locks the key's shard (reentrant: XREADGROUP's multi-key path
 * and the blocked-client path call in with the locks held), works on {@link StreamGroups} and the
 * {@link StreamObject}, propagates in Redis's propagated forms ({@code streamPropagateXCLAIM},
 * {@code streamPropagateGroupID}, {@code streamPropagateConsumerCreation}, or the command
 * verbatim), reports the {@code xgroup-*} key events, and returns plain values.
 *
 * <p>Times (delivery time, seen time, idle) come from the keyspace clock ({@link Keyspace#now()}).
 *
 * <p><b>Thread-safety:</b> thread-safe; each call is atomic with respect to every other command.
 */
public final class StreamGroupOps {
    private static final byte[] XCLAIM = ascii("XCLAIM");
    private static final byte[] XGROUP = ascii("XGROUP");
    private static final byte[] SETID = ascii("SETID");
    private static final byte[] CREATECONSUMER = ascii("CREATECONSUMER");
    private static final byte[] ENTRIESREAD = ascii("ENTRIESREAD");
    private static final byte[] ZERO = ascii("0");
    private static final byte[] TIME = ascii("TIME");
    private static final byte[] RETRYCOUNT = ascii("RETRYCOUNT");
    private static final byte[] FORCE = ascii("FORCE");
    private static final byte[] JUSTID = ascii("JUSTID");
    private static final byte[] LASTID = ascii("LASTID");

    private final Keyspace ks;

    public StreamGroupOps(Keyspace ks) {
        this.ks = ks;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String str(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** One stream entry: its id and its fields and values alternating (null: deleted, history only). */
    public record Entry(StreamId id, byte[][] fieldsAndValues) {
    }

    // ---- lookups ------------------------------------------------------------------------------

    private long streamOf(Shard s, int db, byte[] key) {
        return streamOf(s, db, key, true);
    }

    /** @param read a read lookup (counts a keyspace hit or miss), not XGROUP's write lookup */
    private long streamOf(Shard s, int db, byte[] key, boolean read) {
        long h = Keyspace.hash(key);
        int slot = read ? ks.lookupRead(s, db, key, h, ks.now(), true) : ks.lookup(s, db, key, h, ks.now(), true);
        if (slot < 0) {
            return 0;
        }
        long e = s.table(db).entry(slot);
        Keyspace.checkType(e, ValueType.STREAM);
        return StreamStructures.object(e);
    }

    private static long group(long obj, byte[] name) {
        return StreamGroups.lookupGroup(StreamObject.groups(obj), name);
    }

    private static RedJarException noGroup(byte[] key, byte[] group) {
        return new RedJarException(ErrorPrefix.NOGROUP, "No such key '" + str(key) + "' or consumer group '" + str(group) + "'");
    }

    /** @return the entry with this id, or null when it is not (or no longer) in the stream */
    static Entry entry(long obj, long ms, long seq) {
        Entry[] out = new Entry[1];
        StreamObject.range(obj, ms, seq, ms, seq, false, 1, false, (m, q, c) -> {
            out[0] = new Entry(new StreamId(m, q), c.fieldsAndValues());
            return false;
        });
        return out[0];
    }

    private long consumerOrCreate(SlabAllocator a, int db, byte[] key, long group, byte[] name) {
        long c = StreamGroups.lookupConsumer(group, name);
        if (c != 0) {
            StreamGroups.setSeenTime(c, ks.now());
            return c;
        }
        c = StreamGroups.createConsumer(a, group, name, ks.now());
        ks.modified(db, key, KeyEvent.XGROUP_CREATECONSUMER);
        return c;
    }

    // ---- lag and entries-read ------------------------------------------------------------------

    /** {@code streamRangeHasTombstones(s, start, NULL)}. */
    static boolean rangeHasTombstones(long obj, long startMs, long startSeq) {
        StreamId maxDel = StreamObject.maxDeletedId(obj);
        if (StreamObject.length(obj) == 0 || maxDel.isZero()) {
            return false;
        }
        if (StreamObject.firstId(obj).compareTo(maxDel) > 0) {
            return false;
        }
        return StreamId.compare(startMs, startSeq, maxDel.ms(), maxDel.seq()) <= 0;
    }

    /** {@code streamEstimateDistanceFromFirstEverEntry}. */
    static long estimateDistance(long obj, long ms, long seq) {
        long added = StreamObject.entriesAdded(obj);
        if (added == 0) {
            return 0;
        }
        long length = StreamObject.length(obj);
        int cmpLast = StreamId.compare(ms, seq, StreamObject.lastMs(obj), StreamObject.lastSeq(obj));
        if (length == 0 && cmpLast < 1) {
            return added;
        }
        if (cmpLast == 0) {
            return added;
        } else if (cmpLast > 0) {
            return StreamGroups.INVALID_ENTRIES_READ;
        }
        StreamId first = StreamObject.firstId(obj);
        StreamId maxDel = StreamObject.maxDeletedId(obj);
        int cmpIdFirst = StreamId.compare(ms, seq, first.ms(), first.seq());
        if (maxDel.isZero() || maxDel.compareTo(first) < 0) {
            if (cmpIdFirst < 0) {
                return added - length;
            } else if (cmpIdFirst == 0) {
                return added - length + 1;
            }
        }
        return StreamGroups.INVALID_ENTRIES_READ;
    }

    /** {@code streamReplyWithCGLag}: @return the lag, or null when it cannot be known */
    static Long lag(long obj, long g) {
        long added = StreamObject.entriesAdded(obj);
        if (added == 0) {
            return 0L;
        }
        long read = StreamGroups.entriesRead(g);
        if (read != StreamGroups.INVALID_ENTRIES_READ
            && !rangeHasTombstones(obj, StreamGroups.lastMs(g), StreamGroups.lastSeq(g))) {
            return added - read;
        }
        long estimate = estimateDistance(obj, StreamGroups.lastMs(g), StreamGroups.lastSeq(g));
        return estimate == StreamGroups.INVALID_ENTRIES_READ ? null : added - estimate;
    }

    // ---- XGROUP -------------------------------------------------------------------------------

    private static final String NO_KEY = "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE "
        + "you may want to use the MKSTREAM option to create an empty stream automatically.";

    private long xgroupStream(Shard s, int db, byte[] key) {
        long obj = streamOf(s, db, key, false);
        if (obj == 0) {
            throw new RedJarException(NO_KEY);
        }
        return obj;
    }

    private static long requireGroup(long obj, byte[] key, byte[] name) {
        long g = group(obj, name);
        if (g == 0) {
            throw new RedJarException(ErrorPrefix.NOGROUP, "No such consumer group '" + str(name) + "' for key name '" + str(key) + "'");
        }
        return g;
    }

    /**
     * XGROUP's checks before its subcommand's argument count ({@code xgroupCommand}): WRONGTYPE,
     * the missing key (unless MKSTREAM), the missing group (SETID, CREATECONSUMER, DELCONSUMER).
     */
    public void checkXGroup(int db, byte[] key, byte[] name, boolean needGroup, boolean mkstream) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long obj = streamOf(s, db, key, false);
            if (mkstream) {
                return;
            }
            if (obj == 0) {
                throw new RedJarException(NO_KEY);
            }
            if (needGroup) {
                requireGroup(obj, key, name);
            }
        } finally {
            s.unlock();
        }
    }

    /** XCLAIM's first check: WRONGTYPE, then NOGROUP when the key or the group is missing. */
    public void requireGroup(int db, byte[] key, byte[] groupName) {
        if (!hasGroup(db, key, groupName)) {
            throw noGroup(key, groupName);
        }
    }

    /**
     * XGROUP CREATE. {@code idArg} is {@code $} or a strict id.
     *
     * @param entriesRead -1 when not given
     * @throws RedJarException BUSYGROUP when the group exists
     */
    public void create(int db, byte[] key, byte[] name, byte[] idArg, boolean mkstream, long entriesRead, byte[][] argv) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long obj = streamOf(s, db, key, false);
            if (obj == 0 && !mkstream) {
                throw new RedJarException(NO_KEY);
            }
            StreamId id;
            if (idArg.length == 1 && idArg[0] == '$') {
                id = obj == 0 ? StreamId.MIN : StreamObject.lastId(obj);
            } else {
                id = StreamId.parseStrict(idArg, 0);
            }
            SlabAllocator a = s.allocator();
            if (obj == 0) {
                obj = StreamObject.create(a);
                long e = ks.allocateFor(s, db, key, Keyspace.hash(key), -1, ValueType.STREAM, 0, 8, Keyspace.NO_TTL);
                NativeMemory.putLong(EntryDescriptor.valueAddress(e), obj);
            }
            long groups = StreamObject.groups(obj);
            if (groups == 0) {
                groups = StreamGroups.create(a);
                StreamObject.setGroups(obj, groups);
            }
            if (StreamGroups.createGroup(a, groups, name, id.ms(), id.seq(), entriesRead) == 0) {
                throw new RedJarException(ErrorPrefix.BUSYGROUP, "Consumer Group name already exists");
            }
            ks.propagate(db, argv.clone());
            ks.modified(db, key, KeyEvent.XGROUP_CREATE);
        } finally {
            s.unlock();
        }
    }

    /** XGROUP SETID. {@code idArg} is {@code $} or an id ({@code -}/{@code +} allowed, as Redis). */
    public void setId(int db, byte[] key, byte[] name, byte[] idArg, long entriesRead, byte[][] argv) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long obj = xgroupStream(s, db, key);
            long g = requireGroup(obj, key, name);
            StreamId id = idArg.length == 1 && idArg[0] == '$' ? StreamObject.lastId(obj) : StreamId.parse(idArg, 0);
            StreamGroups.setLastId(g, id.ms(), id.seq());
            StreamGroups.setEntriesRead(g, entriesRead);
            ks.propagate(db, argv.clone());
            ks.modified(db, key, KeyEvent.XGROUP_SETID);
        } finally {
            s.unlock();
        }
    }

    /** XGROUP DESTROY: @return whether the group existed */
    public boolean destroy(int db, byte[] key, byte[] name, byte[][] argv) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long obj = xgroupStream(s, db, key);
            if (!StreamGroups.destroyGroup(s.allocator(), StreamObject.groups(obj), name)) {
                return false;
            }
            ks.propagate(db, argv.clone());
            ks.modified(db, key, KeyEvent.XGROUP_DESTROY);
            ks.signalReady(s, db, key); // blocked XREADGROUP clients of the group get NOGROUP
            return true;
        } finally {
            s.unlock();
        }
    }

    /** XGROUP CREATECONSUMER: @return whether it was created */
    public boolean createConsumer(int db, byte[] key, byte[] name, byte[] consumer, byte[][] argv) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long obj = xgroupStream(s, db, key);
            long g = requireGroup(obj, key, name);
            if (StreamGroups.createConsumer(s.allocator(), g, consumer, ks.now()) == 0) {
                return false;
            }
            ks.propagate(db, argv.clone());
            ks.modified(db, key, KeyEvent.XGROUP_CREATECONSUMER);
            return true;
        } finally {
            s.unlock();
        }
    }

    /** XGROUP DELCONSUMER: @return the number of pending entries the consumer had */
    public long deleteConsumer(int db, byte[] key, byte[] name, byte[] consumer, byte[][] argv) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long obj = xgroupStream(s, db, key);
            long g = requireGroup(obj, key, name);
            long c = StreamGroups.lookupConsumer(g, consumer);
            if (c == 0) {
                return 0;
            }
            long pending = StreamGroups.deleteConsumer(s.allocator(), g, c);
            ks.propagate(db, argv.clone());
            ks.modified(db, key, KeyEvent.XGROUP_DELCONSUMER);
            return pending;
        } finally {
            s.unlock();
        }
    }

    // ---- XREADGROUP ---------------------------------------------------------------------------

    /**
     * XREADGROUP's check of its keys and group, in key order ({@code lookupKeyRead} + type +
     * {@code streamLookupCG}). Caller holds the keys' locks.
     *
     * @throws RedJarException WRONGTYPE, or NOGROUP naming the first key without the group
     */
    public void checkReadGroup(int db, byte[][] keys, byte[] groupName) {
        for (byte[] key : keys) {
            long obj = streamOf(ks.shardOf(key), db, key);
            if (obj == 0 || group(obj, groupName) == 0) {
                throw new RedJarException(ErrorPrefix.NOGROUP, "No such key '" + str(key) + "' or consumer group '" + str(groupName)
                    + "' in XREADGROUP with GROUP option");
            }
        }
    }

    /** One key's part of an XREADGROUP reply. */
    public record ReadResult(byte[] key, List<Entry> entries) {
    }

    /**
     * Serves one key of XREADGROUP synchronously when it can (Redis's {@code xreadCommand} loop):
     * history ({@code id} non-null) always; {@code >} ({@code id} null) only when the stream has
     * entries past the group's last delivered id. Caller holds the key's lock; the key and group
     * exist ({@link #checkReadGroup}).
     *
     * @param count 0 for all
     * @return the result, or null when this key has nothing to serve now
     */
    public ReadResult readGroup(int db, byte[] key, byte[] groupName, byte[] consumerName, StreamId id, long count,
                                boolean noack) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long obj = streamOf(s, db, key);
            long g = group(obj, groupName);
            StreamId gt;
            if (id != null) {
                gt = id;
            } else {
                if (StreamObject.length(obj) == 0) {
                    return null;
                }
                StreamId last = new StreamId(StreamGroups.lastMs(g), StreamGroups.lastSeq(g));
                if (StreamObject.lastValidId(obj).compareTo(last) <= 0) {
                    return null;
                }
                gt = last;
            }
            return serve(s, db, key, obj, g, groupName, consumerName, gt, id != null, count, noack);
        } finally {
            s.unlock();
        }
    }

    /**
     * The blocked XREADGROUP's serve of one ready key ({@code serveClientsBlockedOnStreamKey} for
     * a group waiter). Caller holds the key's lock.
     *
     * @return the result; null when the key cannot serve yet (nothing past the group's last id)
     * @throws RedJarException NOGROUP when the group no longer exists, UNBLOCKED when the key is
     *                         gone or is no longer a stream (the waiter gets the error)
     */
    public ReadResult serveBlocked(int db, byte[] key, byte[] groupName, byte[] consumerName, long count, boolean noack) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            int slot = ks.lookup(s, db, key, Keyspace.hash(key), ks.now(), false);
            if (slot < 0 || EntryDescriptor.type(s.table(db).entry(slot)) != ValueType.STREAM.code()) {
                throw new RedJarException(ErrorPrefix.UNBLOCKED, "the stream key no longer exists");
            }
            long obj = StreamStructures.object(s.table(db).entry(slot));
            long g = group(obj, groupName);
            if (g == 0) {
                throw new RedJarException(ErrorPrefix.NOGROUP, "the consumer group this client was blocked on no longer exists");
            }
            StreamId gt = new StreamId(StreamGroups.lastMs(g), StreamGroups.lastSeq(g));
            if (StreamObject.lastId(obj).compareTo(gt) <= 0) {
                return null;
            }
            return serve(s, db, key, obj, g, groupName, consumerName, gt, false, count, noack);
        } finally {
            s.unlock();
        }
    }

    private ReadResult serve(Shard s, int db, byte[] key, long obj, long g, byte[] groupName, byte[] consumerName,
                             StreamId gt, boolean history, long count, boolean noack) {
        SlabAllocator a = s.allocator();
        long consumer = StreamGroups.lookupConsumer(g, consumerName);
        if (consumer != 0) {
            StreamGroups.setSeenTime(consumer, ks.now());
        } else {
            consumer = StreamGroups.createConsumer(a, g, consumerName, ks.now());
            ks.modified(db, key, KeyEvent.XGROUP_CREATECONSUMER);
            if (noack) {
                ks.propagate(db, XGROUP, CREATECONSUMER, key, groupName, consumerName);
            }
        }
        noteDirty(); // xreadCommand: server.dirty++ per served group key
        StreamId start = gt.incr();
        if (history) {
            return new ReadResult(key, start == null ? List.of() : fromConsumerPel(obj, consumer, start, count));
        }
        List<Entry> out = new ArrayList<>();
        if (start == null) {
            return new ReadResult(key, out);
        }
        // read the entries first, then update the group (as streamReplyWithRange does per entry)
        StreamObject.range(obj, start.ms(), start.seq(), -1L, -1L, false, count, false, (ms, seq, c) -> {
            out.add(new Entry(new StreamId(ms, seq), c.fieldsAndValues()));
            return true;
        });
        boolean propagateLastId = false;
        long now = ks.now();
        for (Entry e : out) {
            long ms = e.id().ms();
            long seq = e.id().seq();
            if (StreamId.compare(ms, seq, StreamGroups.lastMs(g), StreamGroups.lastSeq(g)) > 0) {
                long read = StreamGroups.entriesRead(g);
                if (read != StreamGroups.INVALID_ENTRIES_READ && !rangeHasTombstones(obj, ms, seq)) {
                    StreamGroups.setEntriesRead(g, read + 1);
                } else if (StreamObject.entriesAdded(obj) != 0) {
                    StreamGroups.setEntriesRead(g, estimateDistance(obj, ms, seq));
                }
                StreamGroups.setLastId(g, ms, seq);
                if (noack) {
                    propagateLastId = true;
                }
            }
            if (!noack) {
                long gpel = StreamGroups.pel(g);
                long nack = IdTree.get(gpel, ms, seq, 0);
                if (nack == 0) {
                    nack = StreamGroups.createNack(a, consumer, now);
                    IdTree.insert(a, gpel, ms, seq, nack);
                    IdTree.insert(a, StreamGroups.consumerPel(consumer), ms, seq, nack);
                } else {
                    IdTree.remove(a, StreamGroups.consumerPel(StreamGroups.nackConsumer(nack)), ms, seq, 0);
                    StreamGroups.setNackConsumer(nack, consumer);
                    StreamGroups.setDeliveryTime(nack, now);
                    StreamGroups.setDeliveryCount(nack, 1);
                    IdTree.insert(a, StreamGroups.consumerPel(consumer), ms, seq, nack);
                }
                propagateClaim(db, key, g, groupName, e.id().bytes(), nack);
            }
        }
        if (propagateLastId) {
            propagateGroupId(db, key, g, groupName);
        }
        return new ReadResult(key, out);
    }

    /** {@code streamReplyWithRangeFromConsumerPEL}: the consumer's own pending entries from {@code start}. */
    private List<Entry> fromConsumerPel(long obj, long consumer, StreamId start, long count) {
        List<Entry> out = new ArrayList<>();
        long now = ks.now();
        IdTree.Cursor c = new IdTree.Cursor().seekGe(StreamGroups.consumerPel(consumer), start.ms(), start.seq());
        while (c.valid() && (count == 0 || out.size() < count)) {
            Entry e = entry(obj, c.ms(), c.seq());
            if (e == null) {
                out.add(new Entry(new StreamId(c.ms(), c.seq()), null));
            } else {
                long nack = c.value();
                StreamGroups.setDeliveryTime(nack, now);
                StreamGroups.setDeliveryCount(nack, StreamGroups.deliveryCount(nack) + 1);
                out.add(e);
            }
            c.next();
        }
        return out;
    }

    /** {@code streamPropagateXCLAIM}. */
    private void propagateClaim(int db, byte[] key, long g, byte[] groupName, byte[] id, long nack) {
        ks.propagate(db, XCLAIM, key, groupName, StreamGroups.consumerName(StreamGroups.nackConsumer(nack)), ZERO, id,
            TIME, num(StreamGroups.deliveryTime(nack)), RETRYCOUNT, num(StreamGroups.deliveryCount(nack)), FORCE, JUSTID,
            LASTID, StreamId.bytes(StreamGroups.lastMs(g), StreamGroups.lastSeq(g)));
    }

    /** {@code streamPropagateGroupID}. */
    private void propagateGroupId(int db, byte[] key, long g, byte[] groupName) {
        ks.propagate(db, XGROUP, SETID, key, groupName, StreamId.bytes(StreamGroups.lastMs(g), StreamGroups.lastSeq(g)),
            ENTRIESREAD, num(StreamGroups.entriesRead(g)));
    }

    private static byte[] num(long v) {
        return ascii(Long.toString(v));
    }

    private void noteDirty() {
        ks.dirtied(1);
    }

    // ---- XACK ---------------------------------------------------------------------------------

    /** XACK: @return the number of ids acknowledged */
    // the command counted its read lookup in its group check (hasGroup / requireGroup)
    public long ack(int db, byte[] key, byte[] groupName, StreamId[] ids, byte[][] argv) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long obj = streamOf(s, db, key, false);
            long g = obj == 0 ? 0 : group(obj, groupName);
            if (g == 0) {
                return 0;
            }
            SlabAllocator a = s.allocator();
            long gpel = StreamGroups.pel(g);
            long acked = 0;
            for (StreamId id : ids) {
                long nack = IdTree.remove(a, gpel, id.ms(), id.seq(), 0);
                if (nack != 0) {
                    IdTree.remove(a, StreamGroups.consumerPel(StreamGroups.nackConsumer(nack)), id.ms(), id.seq(), 0);
                    StreamGroups.freeNack(a, nack);
                    acked++;
                }
            }
            if (acked > 0) {
                ks.dirtied(acked);
                ks.propagate(db, argv.clone());
            }
            return acked;
        } finally {
            s.unlock();
        }
    }

    /** XACK's key check before parsing the ids: WRONGTYPE; @return whether the key and group exist */
    public boolean hasGroup(int db, byte[] key, byte[] groupName) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long obj = streamOf(s, db, key);
            return obj != 0 && group(obj, groupName) != 0;
        } finally {
            s.unlock();
        }
    }

    // ---- XPENDING -----------------------------------------------------------------------------

    /** XPENDING's summary form. {@code consumers}: name and pending count, consumers with none left out. */
    public record PendingSummary(long count, StreamId min, StreamId max, List<byte[]> names, List<Long> counts) {
    }

    /** One row of XPENDING's extended form. */
    public record PendingEntry(StreamId id, byte[] consumer, long idle, long deliveries) {
    }

    /** XPENDING key group. */
    public PendingSummary pendingSummary(int db, byte[] key, byte[] groupName) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long obj = streamOf(s, db, key);
            long g = obj == 0 ? 0 : group(obj, groupName);
            if (g == 0) {
                throw noGroup(key, groupName);
            }
            long gpel = StreamGroups.pel(g);
            long n = IdTree.size(gpel);
            if (n == 0) {
                return new PendingSummary(0, null, null, null, null);
            }
            IdTree.Cursor c = new IdTree.Cursor().first(gpel);
            StreamId min = new StreamId(c.ms(), c.seq());
            c.last(gpel);
            StreamId max = new StreamId(c.ms(), c.seq());
            List<byte[]> names = new ArrayList<>();
            List<Long> counts = new ArrayList<>();
            for (int i = 0, m = StreamGroups.consumerCount(g); i < m; i++) {
                long consumer = StreamGroups.consumerAt(g, i);
                long pending = IdTree.size(StreamGroups.consumerPel(consumer));
                if (pending > 0) {
                    names.add(StreamGroups.consumerName(consumer));
                    counts.add(pending);
                }
            }
            return new PendingSummary(n, min, max, names, counts);
        } finally {
            s.unlock();
        }
    }

    /** XPENDING key group [IDLE min] start end count [consumer]. */
    public List<PendingEntry> pending(int db, byte[] key, byte[] groupName, long minIdle, StreamId start, StreamId end,
                                      long count, byte[] consumerName) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long obj = streamOf(s, db, key);
            long g = obj == 0 ? 0 : group(obj, groupName);
            if (g == 0) {
                throw noGroup(key, groupName);
            }
            long pel = StreamGroups.pel(g);
            if (consumerName != null) {
                long consumer = StreamGroups.lookupConsumer(g, consumerName);
                if (consumer == 0) {
                    return List.of();
                }
                pel = StreamGroups.consumerPel(consumer);
            }
            List<PendingEntry> out = new ArrayList<>();
            long now = ks.now();
            IdTree.Cursor c = new IdTree.Cursor().seekGe(pel, start.ms(), start.seq());
            while (count > 0 && c.valid() && IdTree.compare(c.ms(), c.seq(), end.ms(), end.seq()) <= 0) {
                long nack = c.value();
                long idle = now - StreamGroups.deliveryTime(nack);
                if (minIdle != 0 && idle < minIdle) {
                    c.next();
                    continue;
                }
                count--;
                out.add(new PendingEntry(new StreamId(c.ms(), c.seq()),
                    StreamGroups.consumerName(StreamGroups.nackConsumer(nack)), Math.max(0, idle),
                    StreamGroups.deliveryCount(nack)));
                c.next();
            }
            return out;
        } finally {
            s.unlock();
        }
    }

    // ---- XCLAIM / XAUTOCLAIM ------------------------------------------------------------------

    /** Parsed XCLAIM options. {@code deliveryTime} -1 and {@code retryCount} -1 when not given. */
    public record ClaimArgs(long minIdle, StreamId[] ids, byte[][] idArgs, long deliveryTime, boolean idleGiven,
                            long retryCount, boolean force, boolean justId, StreamId lastId) {
    }

    /**
     * XCLAIM.
     *
     * @return the claimed entries (ids only, fields null, under JUSTID)
     */
    // the command counted its read lookup in its group check (hasGroup / requireGroup)
    public List<Entry> claim(int db, byte[] key, byte[] groupName, byte[] consumerName, ClaimArgs o) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long obj = streamOf(s, db, key, false);
            long g = obj == 0 ? 0 : group(obj, groupName);
            if (g == 0) {
                throw noGroup(key, groupName);
            }
            SlabAllocator a = s.allocator();
            long now = ks.now();
            long deliveryTime = o.deliveryTime();
            if (deliveryTime != -1 && o.idleGiven()) {
                deliveryTime = now - deliveryTime;
            }
            boolean propagateLastId = false;
            if (o.lastId().compareTo(new StreamId(StreamGroups.lastMs(g), StreamGroups.lastSeq(g))) > 0) {
                StreamGroups.setLastId(g, o.lastId().ms(), o.lastId().seq());
                propagateLastId = true;
            }
            if (deliveryTime != -1 || o.idleGiven()) {
                if (deliveryTime < 0 || deliveryTime > now) {
                    deliveryTime = now;
                }
            } else {
                deliveryTime = now;
            }
            long gpel = StreamGroups.pel(g);
            long consumer = 0;
            List<Entry> out = new ArrayList<>();
            for (int i = 0; i < o.ids().length; i++) {
                StreamId id = o.ids()[i];
                long nack = IdTree.get(gpel, id.ms(), id.seq(), 0);
                Entry e = entry(obj, id.ms(), id.seq());
                if (e == null) {
                    if (nack != 0) {
                        propagateClaim(db, key, g, groupName, o.idArgs()[i], nack);
                        propagateLastId = false;
                        ks.dirtied(1);
                        IdTree.remove(a, gpel, id.ms(), id.seq(), 0);
                        IdTree.remove(a, StreamGroups.consumerPel(StreamGroups.nackConsumer(nack)), id.ms(), id.seq(), 0);
                        StreamGroups.freeNack(a, nack);
                    }
                    continue;
                }
                boolean forced = false;
                if (o.force() && nack == 0) {
                    nack = StreamGroups.createNack(a, 0, now);
                    IdTree.insert(a, gpel, id.ms(), id.seq(), nack);
                    forced = true;
                }
                if (nack == 0) {
                    continue;
                }
                if (!forced && o.minIdle() != 0) {
                    long idle = now - StreamGroups.deliveryTime(nack);
                    if (idle < o.minIdle()) {
                        continue;
                    }
                }
                if (consumer == 0) {
                    consumer = consumerOrCreate(a, db, key, g, consumerName);
                }
                long owner = StreamGroups.nackConsumer(nack);
                if (owner != consumer && owner != 0) {
                    IdTree.remove(a, StreamGroups.consumerPel(owner), id.ms(), id.seq(), 0);
                }
                StreamGroups.setDeliveryTime(nack, deliveryTime);
                if (o.retryCount() >= 0) {
                    StreamGroups.setDeliveryCount(nack, o.retryCount());
                } else if (!o.justId()) {
                    StreamGroups.setDeliveryCount(nack, StreamGroups.deliveryCount(nack) + 1);
                }
                if (owner != consumer) {
                    IdTree.insert(a, StreamGroups.consumerPel(consumer), id.ms(), id.seq(), nack);
                    StreamGroups.setNackConsumer(nack, consumer);
                }
                out.add(o.justId() ? new Entry(id, null) : e);
                propagateClaim(db, key, g, groupName, o.idArgs()[i], nack);
                propagateLastId = false;
                ks.dirtied(1);
            }
            if (propagateLastId) {
                propagateGroupId(db, key, g, groupName);
                ks.dirtied(1);
            }
            return out;
        } finally {
            s.unlock();
        }
    }

    /** XAUTOCLAIM's reply: the next cursor, the claimed entries, the ids dropped as deleted. */
    public record AutoClaimResult(StreamId cursor, List<Entry> claimed, List<StreamId> deleted) {
    }

    /** XAUTOCLAIM. */
    public AutoClaimResult autoClaim(int db, byte[] key, byte[] groupName, byte[] consumerName, long minIdle,
                                     StreamId start, long count, boolean justId) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long obj = streamOf(s, db, key);
            long g = obj == 0 ? 0 : group(obj, groupName);
            if (g == 0) {
                throw noGroup(key, groupName);
            }
            SlabAllocator a = s.allocator();
            long gpel = StreamGroups.pel(g);
            long attempts = count * 10;
            long now = ks.now();
            long consumer = 0;
            List<Entry> claimed = new ArrayList<>();
            List<StreamId> deleted = new ArrayList<>();
            IdTree.Cursor c = new IdTree.Cursor().seekGe(gpel, start.ms(), start.seq());
            while (attempts-- > 0 && count > 0 && c.valid()) {
                long ms = c.ms();
                long seq = c.seq();
                long nack = c.value();
                Entry e = entry(obj, ms, seq);
                if (e == null) {
                    propagateClaim(db, key, g, groupName, StreamId.bytes(ms, seq), nack);
                    ks.dirtied(1);
                    IdTree.remove(a, gpel, ms, seq, 0);
                    IdTree.remove(a, StreamGroups.consumerPel(StreamGroups.nackConsumer(nack)), ms, seq, 0);
                    StreamGroups.freeNack(a, nack);
                    deleted.add(new StreamId(ms, seq));
                    c.seekGe(gpel, ms, seq);
                    count--;
                    continue;
                }
                if (minIdle != 0 && now - StreamGroups.deliveryTime(nack) < minIdle) {
                    c.next();
                    continue;
                }
                if (consumer == 0) {
                    consumer = consumerOrCreate(a, db, key, g, consumerName);
                }
                long owner = StreamGroups.nackConsumer(nack);
                if (owner != consumer) {
                    IdTree.remove(a, StreamGroups.consumerPel(owner), ms, seq, 0);
                }
                StreamGroups.setDeliveryTime(nack, now);
                if (!justId) {
                    StreamGroups.setDeliveryCount(nack, StreamGroups.deliveryCount(nack) + 1);
                }
                if (owner != consumer) {
                    // inserting into another tree keeps the cursor on the group PEL valid
                    IdTree.insert(a, StreamGroups.consumerPel(consumer), ms, seq, nack);
                    StreamGroups.setNackConsumer(nack, consumer);
                }
                claimed.add(justId ? new Entry(new StreamId(ms, seq), null) : e);
                count--;
                propagateClaim(db, key, g, groupName, StreamId.bytes(ms, seq), nack);
                ks.dirtied(1);
                c.next();
            }
            // the cursor: the next pending entry not examined (Redis's raxNext after the loop)
            StreamId cursor = c.valid() ? new StreamId(c.ms(), c.seq()) : StreamId.MIN;
            return new AutoClaimResult(cursor, claimed, deleted);
        } finally {
            s.unlock();
        }
    }

    // ---- XINFO --------------------------------------------------------------------------------

    /** A row of XINFO GROUPS; {@code entriesRead} and {@code lag} null when unknown. */
    public record GroupInfo(byte[] name, long consumers, long pending, StreamId lastDelivered, Long entriesRead,
                            Long lag) {
    }

    /** A row of XINFO CONSUMERS. */
    public record ConsumerInfo(byte[] name, long pending, long idle) {
    }

    /** XINFO GROUPS. @throws RedJarException "no such key" when missing */
    public List<GroupInfo> groupsInfo(int db, byte[] key) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long obj = streamOf(s, db, key);
            if (obj == 0) {
                throw new RedJarException("ERR no such key");
            }
            List<GroupInfo> out = new ArrayList<>();
            long groups = StreamObject.groups(obj);
            for (int i = 0, n = StreamGroups.groupCount(groups); i < n; i++) {
                long g = StreamGroups.groupAt(groups, i);
                long read = StreamGroups.entriesRead(g);
                out.add(new GroupInfo(StreamGroups.groupName(g), StreamGroups.consumerCount(g),
                    IdTree.size(StreamGroups.pel(g)), new StreamId(StreamGroups.lastMs(g), StreamGroups.lastSeq(g)),
                    read == StreamGroups.INVALID_ENTRIES_READ ? null : read, lag(obj, g)));
            }
            return out;
        } finally {
            s.unlock();
        }
    }

    /** XINFO CONSUMERS. */
    public List<ConsumerInfo> consumersInfo(int db, byte[] key, byte[] groupName) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long obj = streamOf(s, db, key);
            if (obj == 0) {
                throw new RedJarException("ERR no such key");
            }
            long g = group(obj, groupName);
            if (g == 0) {
                throw new RedJarException(ErrorPrefix.NOGROUP, "No such consumer group '" + str(groupName) + "' for key name '"
                    + str(key) + "'");
            }
            List<ConsumerInfo> out = new ArrayList<>();
            long now = ks.now();
            for (int i = 0, n = StreamGroups.consumerCount(g); i < n; i++) {
                long c = StreamGroups.consumerAt(g, i);
                out.add(new ConsumerInfo(StreamGroups.consumerName(c), IdTree.size(StreamGroups.consumerPel(c)),
                    Math.max(0, now - StreamGroups.seenTime(c))));
            }
            return out;
        } finally {
            s.unlock();
        }
    }

    /** A pending entry in XINFO STREAM FULL: consumer null in a consumer's own list. */
    public record FullNack(StreamId id, byte[] consumer, long deliveryTime, long deliveries) {
    }

    /** A consumer in XINFO STREAM FULL. */
    public record FullConsumer(byte[] name, long seenTime, long pelCount, List<FullNack> pending) {
    }

    /** A group in XINFO STREAM FULL. */
    public record FullGroup(byte[] name, StreamId lastDelivered, Long entriesRead, Long lag, long pelCount,
                            List<FullNack> pending, List<FullConsumer> consumers) {
    }

    /**
     * The groups part of XINFO STREAM FULL for the stream object {@code obj}. Caller holds the
     * key's lock.
     *
     * @param count the PEL entries listed per group and per consumer (0: all)
     */
    public static List<FullGroup> fullGroups(long obj, long count) {
        List<FullGroup> out = new ArrayList<>();
        long groups = StreamObject.groups(obj);
        for (int i = 0, n = StreamGroups.groupCount(groups); i < n; i++) {
            long g = StreamGroups.groupAt(groups, i);
            long read = StreamGroups.entriesRead(g);
            long gpel = StreamGroups.pel(g);
            List<FullNack> pending = new ArrayList<>();
            for (IdTree.Cursor c = new IdTree.Cursor().first(gpel); c.valid() && (count == 0 || pending.size() < count);
                 c.next()) {
                long nack = c.value();
                pending.add(new FullNack(new StreamId(c.ms(), c.seq()),
                    StreamGroups.consumerName(StreamGroups.nackConsumer(nack)), StreamGroups.deliveryTime(nack),
                    StreamGroups.deliveryCount(nack)));
            }
            List<FullConsumer> consumers = new ArrayList<>();
            for (int j = 0, m = StreamGroups.consumerCount(g); j < m; j++) {
                long consumer = StreamGroups.consumerAt(g, j);
                long cpel = StreamGroups.consumerPel(consumer);
                List<FullNack> own = new ArrayList<>();
                for (IdTree.Cursor c = new IdTree.Cursor().first(cpel); c.valid() && (count == 0 || own.size() < count);
                     c.next()) {
                    long nack = c.value();
                    own.add(new FullNack(new StreamId(c.ms(), c.seq()), null, StreamGroups.deliveryTime(nack),
                        StreamGroups.deliveryCount(nack)));
                }
                consumers.add(new FullConsumer(StreamGroups.consumerName(consumer), StreamGroups.seenTime(consumer),
                    IdTree.size(cpel), own));
            }
            out.add(new FullGroup(StreamGroups.groupName(g), new StreamId(StreamGroups.lastMs(g), StreamGroups.lastSeq(g)),
                read == StreamGroups.INVALID_ENTRIES_READ ? null : read, lag(obj, g), IdTree.size(gpel), pending, consumers));
        }
        return out;
    }

    /** @return the number of groups of the stream object {@code obj} (XINFO STREAM's {@code groups}) */
    public static long groupCount(long obj) {
        return StreamGroups.groupCount(StreamObject.groups(obj));
    }
}
