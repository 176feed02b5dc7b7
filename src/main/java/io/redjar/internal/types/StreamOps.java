package io.redjar.internal.types;

import io.redjar.RedJarException;
import io.redjar.internal.keyspace.EntryDescriptor;
import io.redjar.internal.keyspace.KeyEvent;
import io.redjar.internal.keyspace.Keyspace;
import io.redjar.internal.keyspace.Shard;
import io.redjar.internal.keyspace.ValueType;
import io.redjar.internal.memory.NativeMemory;
import io.redjar.internal.memory.SlabAllocator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The stream type's operations without consumer groups (Redis 7.0's {@code t_stream.c} minus the
 * argument parsing): XADD, XRANGE/XREVRANGE, XLEN, XDEL, XTRIM, XSETID, XINFO STREAM and the
 * non-blocking part of XREAD. Each call locks the key's shard (reentrant: the blocking path calls
 * in with the locks held), works on the {@link StreamObject}, propagates the effect in Redis's
 * propagated form, reports the key events Redis notifies, and returns.
 *
 * <p><b>Thread-safety:</b> thread-safe; each call is atomic with respect to every other command.
 */
public final class StreamOps {
    private static final byte[] XADD = ascii("XADD");
    private static final byte[] XDEL = ascii("XDEL");
    private static final byte[] XTRIM = ascii("XTRIM");
    private static final byte[] XSETID = ascii("XSETID");
    private static final byte[] EQUALS = ascii("=");

    private final Keyspace ks;
    private final CollectionLimits limits;

    public StreamOps(Keyspace ks, CollectionLimits limits) {
        this.ks = ks;
        this.limits = limits;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** One entry read: its ID and its fields and values, alternating. */
    public record Entry(StreamId id, byte[][] fieldsAndValues) {
    }

    /**
     * Parsed MAXLEN/MINID options.
     *
     * @param strategy {@link StreamObject#TRIM_NONE}, {@link StreamObject#TRIM_MAXLEN} or {@link StreamObject#TRIM_MINID}
     * @param limit    the work limit (0: none), already defaulted as Redis does
     * @param argIdx   where the threshold argument is in argv (for the propagated rewrite)
     * @param limitIdx where the LIMIT keyword is in argv, or -1
     */
    public record TrimArgs(int strategy, long maxlen, StreamId minid, boolean approx, long limit, int argIdx, int limitIdx) {
        /** No trimming. */
        public static final TrimArgs NONE = new TrimArgs(StreamObject.TRIM_NONE, 0, StreamId.MIN, false, 0, -1, -1);
    }

    /**
     * Parsed XADD options.
     *
     * @param id    the ID given, or null for {@code *}
     * @param idPos where the ID argument is in argv
     */
    public record AddArgs(StreamId id, boolean seqGiven, boolean noMkStream, TrimArgs trim, int idPos) {
    }

    // ---- entry helpers ------------------------------------------------------------------------

    /** The stream for a write (Redis's lookupKeyWrite: XDEL, XTRIM, XSETID): no keyspace hit or miss. */
    private long writeObject(Shard s, int db, byte[] key) {
        int slot = ks.lookup(s, db, key, Keyspace.hash(key), ks.now(), true);
        if (slot < 0) {
            return 0;
        }
        long e = s.table(db).entry(slot);
        Keyspace.checkType(e, ValueType.STREAM);
        return StreamStructures.object(e);
    }

    /** The stream for a read (lookupKeyRead): counts a keyspace hit or miss. */
    private long readObject(Shard s, int db, byte[] key) {
        int slot = ks.lookupRead(s, db, key, Keyspace.hash(key), ks.now(), true);
        if (slot < 0) {
            return 0;
        }
        long e = s.table(db).entry(slot);
        Keyspace.checkType(e, ValueType.STREAM);
        return StreamStructures.object(e);
    }

    /**
     * @return the stream object under {@code key} in {@code db} (caller holds the key's shard
     *         lock), 0 when missing; WRONGTYPE for another type
     */
    public long lookup(int db, byte[] key) {
        return readObject(ks.shardOf(key), db, key);
    }

    private static List<Entry> collect(long s, StreamId start, StreamId end, boolean rev, long count) {
        List<Entry> out = new ArrayList<>();
        StreamObject.range(s, start.ms(), start.seq(), end.ms(), end.seq(), rev, count, false,
            (ms, seq, e) -> out.add(new Entry(new StreamId(ms, seq), e.fieldsAndValues())));
        return out;
    }

    // ---- writes -------------------------------------------------------------------------------

    /**
     * XADD. {@code argv} is the whole command; its fields and values start at {@code idPos + 1}.
     *
     * @return the new entry's ID, or null when NOMKSTREAM found no stream
     */
    public byte[] xadd(int db, byte[] key, byte[][] argv, AddArgs a) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long h = Keyspace.hash(key);
            int slot = ks.lookup(s, db, key, h, ks.now(), true);
            SlabAllocator alloc = s.allocator();
            long obj;
            if (slot >= 0) {
                long e = s.table(db).entry(slot);
                Keyspace.checkType(e, ValueType.STREAM);
                obj = StreamStructures.object(e);
            } else if (a.noMkStream()) {
                return null;
            } else {
                obj = 0;
            }
            if (obj != 0 && StreamObject.lastMs(obj) == -1L && StreamObject.lastSeq(obj) == -1L) {
                throw new RedJarException("ERR The stream has exhausted the last possible ID, unable to add more items");
            }
            int from = a.idPos() + 1;
            int numFields = (argv.length - from) / 2;
            StreamId id;
            if (obj == 0) {
                // validate against an empty stream before creating the key (no empty key is left behind)
                long probe = StreamObject.create(alloc);
                try {
                    id = StreamObject.append(alloc, probe, limits, ks.now(), a.id(), a.seqGiven(), argv, from, numFields);
                } catch (RuntimeException ex) {
                    StreamObject.free(alloc, probe);
                    throw ex;
                }
                long e = ks.allocateFor(s, db, key, h, -1, ValueType.STREAM, 0, 8, Keyspace.NO_TTL);
                NativeMemory.putLong(EntryDescriptor.valueAddress(e), probe);
                obj = probe;
            } else {
                id = StreamObject.append(alloc, obj, limits, ks.now(), a.id(), a.seqGiven(), argv, from, numFields);
            }
            byte[] idBytes = id.bytes();
            ks.modified(db, key, KeyEvent.XADD);
            byte[][] prop = argv.clone();
            prop[0] = XADD;
            TrimArgs t = a.trim();
            if (t.strategy() != StreamObject.TRIM_NONE) {
                if (StreamObject.trim(alloc, obj, t.strategy(), t.maxlen(), t.minid().ms(), t.minid().seq(), t.approx(), t.limit()) > 0) {
                    ks.modified(db, key, KeyEvent.XTRIM);
                }
                if (t.approx()) {
                    rewriteTrim(prop, obj, t);
                }
            }
            if (a.id() == null || !a.seqGiven()) {
                prop[a.idPos()] = idBytes;
            }
            ks.propagate(db, prop);
            ks.signalReady(s, db, key);
            return idBytes;
        } finally {
            s.unlock();
        }
    }

    /** {@code streamRewriteApproxSpecifier} + {@code streamRewriteTrimArgument}. */
    private static void rewriteTrim(byte[][] prop, long obj, TrimArgs t) {
        prop[t.argIdx() - 1] = EQUALS;
        if (t.strategy() == StreamObject.TRIM_MAXLEN) {
            prop[t.argIdx()] = ascii(Long.toString(StreamObject.length(obj)));
        } else {
            prop[t.argIdx()] = StreamObject.edgeId(obj, true, false).bytes();
        }
    }

    /** XDEL: @return the number of entries deleted. */
    public long xdel(int db, byte[] key, StreamId[] ids, byte[][] argv) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long obj = writeObject(s, db, key);
            if (obj == 0) {
                return 0;
            }
            long deleted = 0;
            boolean firstEntry = false;
            SlabAllocator alloc = s.allocator();
            for (StreamId id : ids) {
                if (StreamObject.delete(alloc, obj, id.ms(), id.seq())) {
                    if (id.equals(StreamObject.firstId(obj))) {
                        firstEntry = true;
                    }
                    if (id.compareTo(StreamObject.maxDeletedId(obj)) > 0) {
                        StreamObject.setMaxDeletedId(obj, id.ms(), id.seq());
                    }
                    deleted++;
                }
            }
            if (deleted > 0) {
                if (StreamObject.length(obj) == 0) {
                    StreamObject.setFirstId(obj, 0, 0);
                } else if (firstEntry) {
                    StreamId f = StreamObject.edgeId(obj, true, true);
                    StreamObject.setFirstId(obj, f.ms(), f.seq());
                }
                byte[][] prop = argv.clone();
                prop[0] = XDEL;
                ks.propagate(db, prop);
                ks.modified(db, key, KeyEvent.XDEL);
            }
            return deleted;
        } finally {
            s.unlock();
        }
    }

    /** XTRIM: @return the number of entries removed. */
    public long xtrim(int db, byte[] key, byte[][] argv, TrimArgs t) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long obj = writeObject(s, db, key);
            if (obj == 0) {
                return 0;
            }
            long deleted = StreamObject.trim(s.allocator(), obj, t.strategy(), t.maxlen(), t.minid().ms(), t.minid().seq(),
                t.approx(), t.limit());
            if (deleted > 0) {
                byte[][] prop = argv.clone();
                prop[0] = XTRIM;
                if (t.approx()) {
                    rewriteTrim(prop, obj, t);
                }
                ks.propagate(db, prop);
                ks.modified(db, key, KeyEvent.XTRIM);
            }
            return deleted;
        } finally {
            s.unlock();
        }
    }

    /**
     * XSETID.
     *
     * @param entriesAdded -1 when not given
     * @param maxDeleted   0-0 when not given
     */
    public void xsetid(int db, byte[] key, StreamId id, long entriesAdded, StreamId maxDeleted, byte[][] argv) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long obj = writeObject(s, db, key);
            if (obj == 0) {
                throw new RedJarException("ERR no such key");
            }
            if (StreamObject.length(obj) > 0) {
                if (id.compareTo(StreamObject.lastValidId(obj)) < 0) {
                    throw new RedJarException("ERR The ID specified in XSETID is smaller than the target stream top item");
                }
                if (entriesAdded != -1 && StreamObject.length(obj) > entriesAdded) {
                    throw new RedJarException("ERR The entries_added specified in XSETID is smaller than the target stream length");
                }
            }
            StreamObject.setLastId(obj, id.ms(), id.seq());
            if (entriesAdded != -1) {
                StreamObject.setEntriesAdded(obj, entriesAdded);
            }
            if (!maxDeleted.isZero()) {
                StreamObject.setMaxDeletedId(obj, maxDeleted.ms(), maxDeleted.seq());
            }
            byte[][] prop = argv.clone();
            prop[0] = XSETID;
            ks.propagate(db, prop);
            ks.modified(db, key, KeyEvent.XSETID);
        } finally {
            s.unlock();
        }
    }

    // ---- reads --------------------------------------------------------------------------------

    /**
     * XRANGE / XREVRANGE over {@code [start, end]}.
     *
     * @param count 0 for all
     */
    public List<Entry> xrange(int db, byte[] key, StreamId start, StreamId end, boolean rev, long count) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long obj = readObject(s, db, key);
            return obj == 0 ? List.of() : collect(obj, start, end, rev, count);
        } finally {
            s.unlock();
        }
    }

    /** @return whether {@code key} holds a stream (false when missing; WRONGTYPE for another type) */
    public boolean exists(int db, byte[] key) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            return readObject(s, db, key) != 0;
        } finally {
            s.unlock();
        }
    }

    /** {@link #exists} for a write command (XDEL): no keyspace hit or miss. */
    public boolean existsForWrite(int db, byte[] key) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            return writeObject(s, db, key) != 0;
        } finally {
            s.unlock();
        }
    }

    /** XLEN. */
    public long xlen(int db, byte[] key) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long obj = readObject(s, db, key);
            return obj == 0 ? 0 : StreamObject.length(obj);
        } finally {
            s.unlock();
        }
    }

    /** What XINFO STREAM reports (the groups' part is the consumer-group code's). */
    public record Info(long length, long nodes, long radixTreeNodes, StreamId lastId, StreamId maxDeletedId,
                       long entriesAdded, StreamId recordedFirstId, long groups, Entry first, Entry last,
                       List<Entry> entries, List<StreamGroupOps.FullGroup> fullGroups) {
    }

    /**
     * XINFO STREAM [FULL [COUNT n]].
     *
     * @param count FULL's entry count (0: all)
     * @return the information, or null when the key is missing
     */
    // the caller (XINFO STREAM) has counted the read lookup with exists()
    public Info xinfo(int db, byte[] key, boolean full, long count) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long obj = writeObject(s, db, key);
            if (obj == 0) {
                return null;
            }
            long nodes = StreamObject.nodeCount(obj);
            Entry first = null;
            Entry last = null;
            List<Entry> entries = null;
            if (full) {
                entries = collect(obj, StreamId.MIN, StreamId.MAX, false, count);
            } else {
                List<Entry> f = collect(obj, StreamId.MIN, StreamId.MAX, false, 1);
                List<Entry> l = collect(obj, StreamId.MIN, StreamId.MAX, true, 1);
                first = f.isEmpty() ? null : f.get(0);
                last = l.isEmpty() ? null : l.get(0);
            }
            long groups = StreamGroupOps.groupCount(obj);
            return new Info(StreamObject.length(obj), nodes, RaxEstimate.nodes(obj), StreamObject.lastId(obj),
                StreamObject.maxDeletedId(obj), StreamObject.entriesAdded(obj), StreamObject.firstId(obj), groups,
                first, last, entries, full ? StreamGroupOps.fullGroups(obj, count) : null);
        } finally {
            s.unlock();
        }
    }

    /**
     * XREAD's resolution of its IDs: checks each key's type in order and turns {@code $} into the
     * stream's last ID (0-0 when missing), other IDs strictly parsed. Caller holds the keys' locks.
     */
    public StreamId[] resolveReadIds(int db, byte[][] keys, byte[][] idArgs) {
        StreamId[] ids = new StreamId[keys.length];
        for (int i = 0; i < keys.length; i++) {
            long obj = lookup(db, keys[i]);
            if (idArgs[i].length == 1 && idArgs[i][0] == '$') {
                ids[i] = obj == 0 ? StreamId.MIN : StreamObject.lastId(obj);
            } else if (idArgs[i].length == 1 && idArgs[i][0] == '>') {
                throw new RedJarException("ERR The > ID can be specified only when calling XREADGROUP using the GROUP "
                    + "<group> <consumer> option.");
            } else {
                ids[i] = StreamId.parseStrict(idArgs[i], 0);
            }
        }
        return ids;
    }

    /** One key's part of an XREAD reply. */
    public record ReadResult(byte[] key, List<Entry> entries) {
    }

    /**
     * XREAD without blocking: for each stream whose last live entry is above its ID, the entries
     * after that ID. Caller holds the keys' locks (or none, for one key).
     *
     * @param count 0 for all
     * @return the non-empty results, in key order (empty when nothing is there)
     */
    public List<ReadResult> read(int db, byte[][] keys, StreamId[] ids, long count) {
        List<ReadResult> out = new ArrayList<>();
        for (int i = 0; i < keys.length; i++) {
            long obj = lookup(db, keys[i]);
            if (obj == 0 || StreamObject.length(obj) == 0) {
                continue;
            }
            if (StreamObject.lastValidId(obj).compareTo(ids[i]) > 0) {
                StreamId start = ids[i].incr();
                out.add(new ReadResult(keys[i], collect(obj, start == null ? StreamId.MIN : start, StreamId.MAX, false, count)));
            }
        }
        return out;
    }

    /**
     * The blocked XREAD's serve of one ready key ({@code serveClientsBlockedOnStreamKey}): when the
     * stream's last ID is above {@code gt}, the entries after it. Caller holds the key's lock.
     *
     * @return the result, or null when the key cannot serve (missing, another type, nothing new)
     */
    public ReadResult serveBlocked(int db, byte[] key, StreamId gt, long count) {
        Shard s = ks.shardOf(key);
        int slot = ks.lookup(s, db, key, Keyspace.hash(key), ks.now(), false);
        if (slot < 0) {
            return null;
        }
        long e = s.table(db).entry(slot);
        if (EntryDescriptor.type(e) != ValueType.STREAM.code()) {
            return null;
        }
        long obj = StreamStructures.object(e);
        if (StreamObject.lastId(obj).compareTo(gt) <= 0) {
            return null;
        }
        StreamId start = gt.incr();
        return new ReadResult(key, collect(obj, start == null ? StreamId.MIN : start, StreamId.MAX, false, count));
    }
}
