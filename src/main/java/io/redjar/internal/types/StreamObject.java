package io.redjar.internal.types;

import io.redjar.RedJarException;
import io.redjar.internal.memory.NativeMemory;
import io.redjar.internal.memory.SlabAllocator;
import io.redjar.internal.structure.Listpack;
import io.redjar.internal.structure.StreamIndex;
import io.redjar.internal.structure.StreamNode;

/**
 * A stream value: one fixed-size native block (the <em>stream object</em>) whose address is the
 * entry's 8 value bytes, so metadata updates never resize the entry. Layout (little-endian
 * longs; IDs are unsigned pairs):
 *
 * <pre>
 *   0  length            live entries
 *   8  lastMs   16 lastSeq        last generated ID (Redis's last_id)
 *  24  firstMs  32 firstSeq       recorded first entry ID (first_id; 0-0 when empty)
 *  40  maxDelMs 48 maxDelSeq      max_deleted_entry_id
 *  56  entriesAdded               entries ever added
 *  64  index                      address of the {@link StreamIndex} (never 0)
 *  72  groups                     address of the consumer groups, 0 = none (owned by StreamGroups)
 * </pre>
 *
 * The nodes are listpacks in Redis's stream node format ({@link StreamNode}), ordered by master ID
 * in the index; the algorithms here follow {@code t_stream.c} (append with node limits and field
 * compression, trimming by MAXLEN/MINID exact or approximate with a work limit, deletion by
 * tombstone with whole-node removal, range iteration both ways skipping tombstones).
 *
 * <p>The public methods are the helpers the consumer-group code builds on; keep them stable.
 *
 * <p><b>Thread-safety:</b> stateless; callers hold the lock of the shard the stream lives in.
 */
public final class StreamObject {
    public static final int LENGTH = 0;
    public static final int LAST_MS = 8;
    public static final int LAST_SEQ = 16;
    public static final int FIRST_MS = 24;
    public static final int FIRST_SEQ = 32;
    public static final int MAX_DELETED_MS = 40;
    public static final int MAX_DELETED_SEQ = 48;
    public static final int ENTRIES_ADDED = 56;
    public static final int INDEX = 64;
    public static final int GROUPS = 72;
    /** The block's size. */
    public static final int SIZE = 80;

    /** Redis's {@code STREAM_LISTPACK_MAX_SIZE}. */
    public static final long LISTPACK_MAX_SIZE = 1L << 30;

    private StreamObject() {
    }

    // ---- layout -------------------------------------------------------------------------------

    public static long length(long s) {
        return NativeMemory.getLong(s + LENGTH);
    }

    public static void setLength(long s, long v) {
        NativeMemory.putLong(s + LENGTH, v);
    }

    public static long lastMs(long s) {
        return NativeMemory.getLong(s + LAST_MS);
    }

    public static long lastSeq(long s) {
        return NativeMemory.getLong(s + LAST_SEQ);
    }

    /** @return the last generated ID */
    public static StreamId lastId(long s) {
        return new StreamId(lastMs(s), lastSeq(s));
    }

    public static void setLastId(long s, long ms, long seq) {
        NativeMemory.putLong(s + LAST_MS, ms);
        NativeMemory.putLong(s + LAST_SEQ, seq);
    }

    /** @return the recorded first entry ID (0-0 when empty) */
    public static StreamId firstId(long s) {
        return new StreamId(NativeMemory.getLong(s + FIRST_MS), NativeMemory.getLong(s + FIRST_SEQ));
    }

    public static void setFirstId(long s, long ms, long seq) {
        NativeMemory.putLong(s + FIRST_MS, ms);
        NativeMemory.putLong(s + FIRST_SEQ, seq);
    }

    /** @return the maximal deleted entry ID */
    public static StreamId maxDeletedId(long s) {
        return new StreamId(NativeMemory.getLong(s + MAX_DELETED_MS), NativeMemory.getLong(s + MAX_DELETED_SEQ));
    }

    public static void setMaxDeletedId(long s, long ms, long seq) {
        NativeMemory.putLong(s + MAX_DELETED_MS, ms);
        NativeMemory.putLong(s + MAX_DELETED_SEQ, seq);
    }

    public static long entriesAdded(long s) {
        return NativeMemory.getLong(s + ENTRIES_ADDED);
    }

    public static void setEntriesAdded(long s, long v) {
        NativeMemory.putLong(s + ENTRIES_ADDED, v);
    }

    /** @return the node index's address */
    public static long index(long s) {
        return NativeMemory.getLong(s + INDEX);
    }

    private static void setIndex(long s, long idx) {
        NativeMemory.putLong(s + INDEX, idx);
    }

    /** @return the consumer groups' address, 0 when none */
    public static long groups(long s) {
        return NativeMemory.getLong(s + GROUPS);
    }

    /** Sets the consumer groups' address (0 = none). */
    public static void setGroups(long s, long g) {
        NativeMemory.putLong(s + GROUPS, g);
    }

    /** @return the number of nodes */
    public static int nodeCount(long s) {
        return StreamIndex.count(index(s));
    }

    // ---- lifecycle ----------------------------------------------------------------------------

    /** @return a new empty stream object */
    public static long create(SlabAllocator a) {
        long s = a.allocate(SIZE);
        NativeMemory.fill(s, SIZE, (byte) 0);
        setIndex(s, StreamIndex.create(a));
        return s;
    }

    /**
     * Frees the nodes, the index and the object. The consumer groups (if any) must have been
     * released by the caller ({@code StreamGroups.release}).
     */
    public static void free(SlabAllocator a, long s) {
        long idx = index(s);
        for (int i = 0, n = StreamIndex.count(idx); i < n; i++) {
            Listpack.free(a, StreamIndex.node(idx, i));
        }
        StreamIndex.free(a, idx);
        a.free(s, SIZE);
    }

    /**
     * Deep-copies the object, its index and its nodes into {@code to} (the groups slot is left 0
     * for the caller: {@code StreamGroups.copy}).
     *
     * @return the copy's address
     */
    public static long copy(long s, SlabAllocator to) {
        long c = to.allocate(SIZE);
        NativeMemory.copy(s, c, SIZE);
        setGroups(c, 0);
        long idx = index(s);
        long cidx = StreamIndex.create(to);
        for (int i = 0, n = StreamIndex.count(idx); i < n; i++) {
            long node = StreamIndex.node(idx, i);
            int bytes = Listpack.bytes(node);
            long cn = to.allocate(bytes);
            NativeMemory.copy(node, cn, bytes);
            cidx = StreamIndex.append(to, cidx, StreamIndex.masterMs(idx, i), StreamIndex.masterSeq(idx, i), cn);
        }
        setIndex(c, cidx);
        return c;
    }

    /**
     * Appends a complete node (a stream-node listpack allocated in {@code a}) with master id
     * {@code (ms, seq)} to the object's index; nodes must come in ascending master-id order. For
     * loaders (RDB, RESTORE), which then set the metadata themselves.
     */
    public static void adoptNode(SlabAllocator a, long s, long ms, long seq, long node) {
        setIndex(s, StreamIndex.append(a, index(s), ms, seq, node));
    }

    // ---- append -------------------------------------------------------------------------------

    /** Error of an ID not above the top one. */
    public static final String ERR_ID_TOO_SMALL = "ERR The ID specified in XADD is equal or smaller than the target stream top item";

    /**
     * Redis's {@code streamAppendItem}: adds an entry of {@code numFields} field/value pairs from
     * {@code argv[from..]}.
     *
     * @param useId    the ID given, or null to generate one from {@code nowMs}
     * @param seqGiven false for {@code ms-*}: the sequence is generated
     * @return the new entry's ID
     * @throws RedJarException the ID is not above the last one, or the elements are too large
     */
    public static StreamId append(SlabAllocator a, long s, CollectionLimits limits, long nowMs, StreamId useId,
                                  boolean seqGiven, byte[][] argv, int from, int numFields) {
        long lastMs = lastMs(s);
        long lastSeq = lastSeq(s);
        long ms;
        long seq;
        if (useId != null) {
            if (seqGiven) {
                ms = useId.ms();
                seq = useId.seq();
            } else if (lastMs == useId.ms()) {
                if (lastSeq == -1L) {
                    throw new RedJarException(ERR_ID_TOO_SMALL);
                }
                ms = lastMs;
                seq = lastSeq + 1;
            } else {
                ms = useId.ms();
                seq = 0;
            }
        } else if (Long.compareUnsigned(nowMs, lastMs) > 0) {
            ms = nowMs;
            seq = 0;
        } else {
            StreamId n = new StreamId(lastMs, lastSeq).incr();
            ms = n == null ? 0 : n.ms();
            seq = n == null ? 0 : n.seq();
        }
        if (StreamId.compare(ms, seq, lastMs, lastSeq) <= 0) {
            throw new RedJarException(ERR_ID_TOO_SMALL);
        }
        long total = 0;
        for (int i = 0; i < numFields * 2; i++) {
            total += argv[from + i].length;
        }
        if (total > LISTPACK_MAX_SIZE) {
            throw new RedJarException("ERR Elements are too large to be stored");
        }
        long idx = index(s);
        int n = StreamIndex.count(idx);
        long lp = n == 0 ? 0 : StreamIndex.node(idx, n - 1);
        if (lp != 0) {
            long maxBytes = limits.streamNodeMaxBytes;
            if (maxBytes == 0 || maxBytes > LISTPACK_MAX_SIZE) {
                maxBytes = LISTPACK_MAX_SIZE;
            }
            long maxEntries = limits.streamNodeMaxEntries;
            if (Listpack.bytes(lp) + total >= maxBytes) {
                lp = 0;
            } else if (maxEntries != 0 && StreamNode.liveCount(lp) + StreamNode.deletedCount(lp) >= maxEntries) {
                lp = 0;
            }
        }
        if (lp == 0) {
            lp = StreamNode.create(a, argv, from, numFields);
            lp = StreamNode.appendEntry(a, lp, true, 0, 0, argv, from, numFields);
            setIndex(s, StreamIndex.append(a, idx, ms, seq, lp));
        } else {
            long masterMs = StreamIndex.masterMs(idx, n - 1);
            long masterSeq = StreamIndex.masterSeq(idx, n - 1);
            int p = Listpack.first(lp);
            lp = Listpack.replaceLong(a, lp, p, Listpack.getLong(lp, p) + 1);
            boolean same = StreamNode.sameFields(lp, argv, from, numFields);
            lp = StreamNode.appendEntry(a, lp, same, ms - masterMs, seq - masterSeq, argv, from, numFields);
            StreamIndex.setNode(idx, n - 1, lp);
        }
        setLength(s, length(s) + 1);
        setEntriesAdded(s, entriesAdded(s) + 1);
        setLastId(s, ms, seq);
        if (length(s) == 1) {
            setFirstId(s, ms, seq);
        }
        return new StreamId(ms, seq);
    }

    // ---- iteration ----------------------------------------------------------------------------

    /** Receives entries from {@link #range}; the cursor is valid during the call only. */
    @FunctionalInterface
    public interface EntryVisitor {
        /** @return whether to go on */
        boolean visit(long ms, long seq, StreamNode.Cursor entry);
    }

    /**
     * Visits the live entries (and tombstones too when {@code withTombstones}) with IDs in
     * {@code [start, end]} (unsigned, inclusive), forward or backward, at most {@code count} of
     * them (0: no limit). The visitor must not write the stream.
     *
     * @return the number visited
     */
    public static long range(long s, long startMs, long startSeq, long endMs, long endSeq, boolean rev, long count,
                             boolean withTombstones, EntryVisitor v) {
        long idx = index(s);
        int n = StreamIndex.count(idx);
        if (n == 0 || StreamId.compare(startMs, startSeq, endMs, endSeq) > 0) {
            return 0;
        }
        StreamNode.Cursor c = new StreamNode.Cursor();
        long emitted = 0;
        if (!rev) {
            int i = Math.max(0, StreamIndex.floor(idx, startMs, startSeq));
            for (; i < n; i++) {
                long lp = StreamIndex.node(idx, i);
                long mms = StreamIndex.masterMs(idx, i);
                long mseq = StreamIndex.masterSeq(idx, i);
                for (int p = StreamNode.firstEntryPos(lp); p >= 0; p = c.nextPos()) {
                    c.load(lp, p);
                    long ms = mms + c.msDiff();
                    long seq = mseq + c.seqDiff();
                    if (StreamId.compare(ms, seq, startMs, startSeq) < 0 || (c.deleted() && !withTombstones)) {
                        continue;
                    }
                    if (StreamId.compare(ms, seq, endMs, endSeq) > 0) {
                        return emitted;
                    }
                    emitted++;
                    if (!v.visit(ms, seq, c) || (count != 0 && emitted >= count)) {
                        return emitted;
                    }
                }
            }
        } else {
            int i = StreamIndex.floor(idx, endMs, endSeq);
            for (; i >= 0; i--) {
                long lp = StreamIndex.node(idx, i);
                long mms = StreamIndex.masterMs(idx, i);
                long mseq = StreamIndex.masterSeq(idx, i);
                for (int p = StreamNode.lastEntryPos(lp); p >= 0; p = c.prevPos()) {
                    c.load(lp, p);
                    long ms = mms + c.msDiff();
                    long seq = mseq + c.seqDiff();
                    if (StreamId.compare(ms, seq, endMs, endSeq) > 0 || (c.deleted() && !withTombstones)) {
                        continue;
                    }
                    if (StreamId.compare(ms, seq, startMs, startSeq) < 0) {
                        return emitted;
                    }
                    emitted++;
                    if (!v.visit(ms, seq, c) || (count != 0 && emitted >= count)) {
                        return emitted;
                    }
                }
            }
        }
        return emitted;
    }

    /** @return whether a live entry with this ID exists ({@code streamEntryExists}) */
    public static boolean exists(long s, long ms, long seq) {
        return range(s, ms, seq, ms, seq, false, 1, false, (m, q, e) -> false) == 1;
    }

    /** {@link #entryState}: no entry with that ID is stored. */
    public static final int ENTRY_MISSING = 0;
    /** {@link #entryState}: a live entry. */
    public static final int ENTRY_LIVE = 1;
    /** {@link #entryState}: a tombstone (deleted, still in its node). */
    public static final int ENTRY_DELETED = 2;

    /** @return whether the ID names a live entry, a stored tombstone, or nothing */
    public static int entryState(long s, long ms, long seq) {
        int[] state = {ENTRY_MISSING};
        range(s, ms, seq, ms, seq, false, 1, true, (m, q, e) -> {
            state[0] = e.deleted() ? ENTRY_DELETED : ENTRY_LIVE;
            return false;
        });
        return state[0];
    }

    /**
     * Redis's {@code streamGetEdgeID}: the first or last entry's ID, tombstones skipped or not;
     * when there is none, {@link StreamId#MAX} for the first and {@link StreamId#MIN} for the last.
     */
    public static StreamId edgeId(long s, boolean first, boolean skipTombstones) {
        long[] id = new long[2];
        long n = range(s, 0, 0, -1L, -1L, !first, 1, !skipTombstones, (ms, seq, e) -> {
            id[0] = ms;
            id[1] = seq;
            return false;
        });
        if (n == 0) {
            return first ? StreamId.MAX : StreamId.MIN;
        }
        return new StreamId(id[0], id[1]);
    }

    /** @return the last live entry's ID ({@code streamLastValidID}; 0-0 when empty) */
    public static StreamId lastValidId(long s) {
        return edgeId(s, false, true);
    }

    // ---- deletion -----------------------------------------------------------------------------

    /**
     * Redis's {@code streamDeleteItem}: flags the live entry with this ID deleted, removing its
     * node when it was the node's last live entry. Only the length changes here; the caller keeps
     * first ID and max deleted ID (as {@code xdelCommand} does).
     *
     * @return whether it existed
     */
    public static boolean delete(SlabAllocator a, long s, long ms, long seq) {
        long idx = index(s);
        int i = StreamIndex.floor(idx, ms, seq);
        if (i < 0) {
            return false;
        }
        long lp = StreamIndex.node(idx, i);
        long mms = StreamIndex.masterMs(idx, i);
        long mseq = StreamIndex.masterSeq(idx, i);
        StreamNode.Cursor c = new StreamNode.Cursor();
        for (int p = StreamNode.firstEntryPos(lp); p >= 0; p = c.nextPos()) {
            c.load(lp, p);
            int cmp = StreamId.compare(mms + c.msDiff(), mseq + c.seqDiff(), ms, seq);
            if (cmp > 0) {
                return false;
            }
            if (cmp < 0 || c.deleted()) {
                continue;
            }
            lp = StreamNode.markDeleted(a, lp, p);
            long live = StreamNode.liveCount(lp);
            if (live == 1) {
                Listpack.free(a, lp);
                setIndex(s, StreamIndex.remove(a, idx, i));
            } else {
                lp = StreamNode.setCounts(a, lp, live - 1, StreamNode.deletedCount(lp) + 1);
                StreamIndex.setNode(idx, i, lp);
            }
            setLength(s, length(s) - 1);
            return true;
        }
        return false;
    }

    // ---- trimming -----------------------------------------------------------------------------

    /** No trimming. */
    public static final int TRIM_NONE = 0;
    /** Trim to a maximum length. */
    public static final int TRIM_MAXLEN = 1;
    /** Trim entries below a minimum ID. */
    public static final int TRIM_MINID = 2;

    /**
     * Redis's {@code streamTrim}: removes entries from the head. Approximate trimming only removes
     * whole nodes; {@code limit} (0: none) caps the entries removed.
     *
     * @return the number of entries removed
     */
    public static long trim(SlabAllocator a, long s, int strategy, long maxlen, long minMs, long minSeq,
                            boolean approx, long limit) {
        if (strategy == TRIM_NONE) {
            return 0;
        }
        long deleted = 0;
        StreamNode.Cursor c = new StreamNode.Cursor();
        while (StreamIndex.count(index(s)) > 0) {
            long idx = index(s);
            if (strategy == TRIM_MAXLEN && length(s) <= maxlen) {
                break;
            }
            long lp = StreamIndex.node(idx, 0);
            long entries = StreamNode.liveCount(lp);
            if (limit != 0 && deleted + entries > limit) {
                break;
            }
            long mms = StreamIndex.masterMs(idx, 0);
            long mseq = StreamIndex.masterSeq(idx, 0);
            boolean removeNode;
            if (strategy == TRIM_MAXLEN) {
                removeNode = length(s) - entries >= maxlen;
            } else {
                c.load(lp, StreamNode.lastEntryPos(lp));
                removeNode = StreamId.compare(mms + c.msDiff(), mseq + c.seqDiff(), minMs, minSeq) < 0;
            }
            if (removeNode) {
                Listpack.free(a, lp);
                setIndex(s, StreamIndex.remove(a, idx, 0));
                setLength(s, length(s) - entries);
                deleted += entries;
                continue;
            }
            if (approx) {
                break;
            }
            long deletedFromLp = 0;
            for (int p = StreamNode.firstEntryPos(lp); p >= 0; p = c.nextPos()) {
                c.load(lp, p);
                boolean stop;
                if (strategy == TRIM_MAXLEN) {
                    stop = length(s) <= maxlen;
                } else {
                    stop = StreamId.compare(mms + c.msDiff(), mseq + c.seqDiff(), minMs, minSeq) >= 0;
                }
                if (stop) {
                    break;
                }
                if (!c.deleted()) {
                    lp = StreamNode.markDeleted(a, lp, p);
                    c.load(lp, p);
                    deletedFromLp++;
                    setLength(s, length(s) - 1);
                }
            }
            deleted += deletedFromLp;
            lp = StreamNode.setCounts(a, lp, entries - deletedFromLp, StreamNode.deletedCount(lp) + deletedFromLp);
            StreamIndex.setNode(idx, 0, lp);
            break;
        }
        if (length(s) == 0) {
            setFirstId(s, 0, 0);
        } else {
            StreamId f = edgeId(s, true, true);
            setFirstId(s, f.ms(), f.seq());
        }
        return deleted;
    }

    // ---- verification -------------------------------------------------------------------------

    /** Receives each native block the stream owns. */
    @FunctionalInterface
    public interface Blocks {
        void block(long address, long size);
    }

    /**
     * Checks the object, index and nodes (formats, order, counts, length, last ID bound) and
     * reports each block owned (not the groups').
     *
     * @throws IllegalStateException describing the first problem found
     */
    public static void verify(long s, Blocks blocks) {
        blocks.block(s, SIZE);
        long idx = index(s);
        StreamIndex.validate(idx);
        blocks.block(idx, StreamIndex.bytes(idx));
        long live = 0;
        StreamNode.Cursor c = new StreamNode.Cursor();
        long prevMs = 0;
        long prevSeq = 0;
        boolean any = false;
        for (int i = 0, n = StreamIndex.count(idx); i < n; i++) {
            long lp = StreamIndex.node(idx, i);
            StreamNode.validate(lp);
            blocks.block(lp, Listpack.bytes(lp));
            live += StreamNode.liveCount(lp);
            long mms = StreamIndex.masterMs(idx, i);
            long mseq = StreamIndex.masterSeq(idx, i);
            for (int p = StreamNode.firstEntryPos(lp); p >= 0; p = c.nextPos()) {
                c.load(lp, p);
                long ms = mms + c.msDiff();
                long seq = mseq + c.seqDiff();
                if (StreamId.compare(ms, seq, mms, mseq) < 0 || (any && StreamId.compare(ms, seq, prevMs, prevSeq) <= 0)) {
                    throw new IllegalStateException("stream entry IDs out of order at " + new StreamId(ms, seq));
                }
                any = true;
                prevMs = ms;
                prevSeq = seq;
            }
        }
        if (live != length(s)) {
            throw new IllegalStateException("stream length " + length(s) + " but nodes hold " + live + " live entries");
        }
        if (any && StreamId.compare(prevMs, prevSeq, lastMs(s), lastSeq(s)) > 0) {
            throw new IllegalStateException("stream entry above the last ID");
        }
    }
}
