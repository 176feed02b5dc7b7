package io.redjar.internal.structure;

import io.redjar.internal.memory.SlabAllocator;

/**
 * One node of a stream: a {@link Listpack} in Redis 7.0's stream node format
 * ({@code t_stream.c} {@code streamAppendItem}), byte for byte, so that RDB type 19 can write it
 * as stored:
 *
 * <pre>
 * master entry: | count | deleted | num-fields | field_1 | ... | field_N | 0 |
 * each entry:   | flags | ms-diff | seq-diff | num-fields | field_1 | value_1 | ... | lp-count |
 *   or, with SAMEFIELDS (the master entry's fields, in order):
 *               | flags | ms-diff | seq-diff | value_1 | ... | value_N | lp-count |
 * </pre>
 *
 * {@code count} is the live entries, {@code deleted} the ones flagged {@link #FLAG_DELETED}; the
 * IDs are differences from the node's master ID (kept by the {@link StreamIndex}, as Redis keeps
 * it in the rax key), stored as 64-bit integers that wrap like Redis's unsigned arithmetic;
 * {@code lp-count} is the number of listpack elements of the entry before it, so the node can be
 * walked backwards. Integers are always written in listpack integer encoding.
 *
 * <p>Entries are read through a reusable {@link Cursor} (no object per entry).
 *
 * <p><b>Thread-safety:</b> not thread-safe; used under the owning shard's lock.
 */
public final class StreamNode {
    /** Entry flag: deleted (a tombstone). */
    public static final int FLAG_DELETED = 1;
    /** Entry flag: the entry has the master entry's fields (only values are stored). */
    public static final int FLAG_SAMEFIELDS = 2;

    private StreamNode() {
    }

    // ---- master entry -------------------------------------------------------------------------

    /** @return the number of live entries */
    public static long liveCount(long lp) {
        return Listpack.getLong(lp, Listpack.first(lp));
    }

    /** @return the number of entries flagged deleted */
    public static long deletedCount(long lp) {
        return Listpack.getLong(lp, Listpack.next(lp, Listpack.first(lp)));
    }

    /** @return the number of master fields */
    public static int masterFieldCount(long lp) {
        return (int) Listpack.getLong(lp, Listpack.next(lp, Listpack.next(lp, Listpack.first(lp))));
    }

    /** @return the position of the first master field (or of the terminator when none) */
    public static int masterFieldsPos(long lp) {
        return Listpack.next(lp, Listpack.next(lp, Listpack.next(lp, Listpack.first(lp))));
    }

    /**
     * Sets the live and deleted counts (Redis's {@code lpReplaceInteger} on both).
     *
     * @return the node's (possibly moved) address
     */
    public static long setCounts(SlabAllocator a, long lp, long live, long deleted) {
        int p = Listpack.first(lp);
        lp = Listpack.replaceLong(a, lp, p, live);
        p = Listpack.next(lp, p);
        return Listpack.replaceLong(a, lp, p, deleted);
    }

    /** @return the position of the first entry's flags, or -1 when the node has no entries */
    public static int firstEntryPos(long lp) {
        int p = masterFieldsPos(lp);
        int n = masterFieldCount(lp);
        for (int i = 0; i < n; i++) {
            p = Listpack.next(lp, p);
        }
        return Listpack.next(lp, p);
    }

    /** @return the position of the last entry's flags, or -1 when the node has no entries */
    public static int lastEntryPos(long lp) {
        int p = Listpack.last(lp);
        long lpCount = Listpack.getLong(lp, p);
        if (lpCount == 0) {
            return -1;
        }
        for (long i = 0; i < lpCount; i++) {
            p = Listpack.prev(lp, p);
        }
        return p;
    }

    // ---- writing ------------------------------------------------------------------------------

    /**
     * Creates a node whose master entry has the fields {@code argv[from], argv[from + 2], ...}
     * ({@code numFields} of them) and a count of 1 (the entry about to be appended).
     */
    public static long create(SlabAllocator a, byte[][] argv, int from, int numFields) {
        long lp = Listpack.create(a);
        lp = Listpack.appendLong(a, lp, 1);
        lp = Listpack.appendLong(a, lp, 0);
        lp = Listpack.appendLong(a, lp, numFields);
        for (int i = 0; i < numFields; i++) {
            lp = Listpack.append(a, lp, argv[from + 2 * i]);
        }
        return Listpack.appendLong(a, lp, 0);
    }

    /** @return whether the entry's fields are the master entry's, in order */
    public static boolean sameFields(long lp, byte[][] argv, int from, int numFields) {
        if (numFields != masterFieldCount(lp)) {
            return false;
        }
        int p = masterFieldsPos(lp);
        for (int i = 0; i < numFields; i++) {
            byte[] f = argv[from + 2 * i];
            if (!Listpack.equals(lp, p, f, 0, f.length)) {
                return false;
            }
            p = Listpack.next(lp, p);
        }
        return true;
    }

    /**
     * Appends an entry (the counts are the caller's business).
     *
     * @return the node's (possibly moved) address
     */
    public static long appendEntry(SlabAllocator a, long lp, boolean sameFields, long msDiff, long seqDiff,
                                   byte[][] argv, int from, int numFields) {
        lp = Listpack.appendLong(a, lp, sameFields ? FLAG_SAMEFIELDS : 0);
        lp = Listpack.appendLong(a, lp, msDiff);
        lp = Listpack.appendLong(a, lp, seqDiff);
        if (!sameFields) {
            lp = Listpack.appendLong(a, lp, numFields);
        }
        for (int i = 0; i < numFields; i++) {
            if (!sameFields) {
                lp = Listpack.append(a, lp, argv[from + 2 * i]);
            }
            lp = Listpack.append(a, lp, argv[from + 2 * i + 1]);
        }
        long lpCount = 3L + numFields + (sameFields ? 0 : numFields + 1L);
        return Listpack.appendLong(a, lp, lpCount);
    }

    /**
     * Flags the entry at {@code flagsPos} deleted (same encoded size: positions stay valid).
     *
     * @return the node's address
     */
    public static long markDeleted(SlabAllocator a, long lp, int flagsPos) {
        long flags = Listpack.getLong(lp, flagsPos);
        return Listpack.replaceLong(a, lp, flagsPos, flags | FLAG_DELETED);
    }

    // ---- reading ------------------------------------------------------------------------------

    /**
     * A reusable reader of one entry: {@link #load} it at an entry's flags position, read its
     * parts, step with {@link #next}/{@link #prev}. Positions are offsets, valid until the node is
     * written.
     */
    public static final class Cursor {
        private long lp;
        private int pos;
        private int flags;
        private long msDiff;
        private long seqDiff;
        private int numFields;
        private int dataPos;
        private int lpCountPos;
        private int masterFields;

        /** Reads the entry whose flags are at {@code flagsPos}; @return this */
        public Cursor load(long node, int flagsPos) {
            this.lp = node;
            this.pos = flagsPos;
            flags = (int) Listpack.getLong(lp, flagsPos);
            int p = Listpack.next(lp, flagsPos);
            msDiff = Listpack.getLong(lp, p);
            p = Listpack.next(lp, p);
            seqDiff = Listpack.getLong(lp, p);
            p = Listpack.next(lp, p);
            int skip;
            if ((flags & FLAG_SAMEFIELDS) != 0) {
                masterFields = masterFieldsPos(lp);
                numFields = masterFieldCount(lp);
                skip = numFields;
            } else {
                numFields = (int) Listpack.getLong(lp, p);
                p = Listpack.next(lp, p);
                skip = numFields * 2;
            }
            dataPos = p;
            for (int i = 0; i < skip; i++) {
                p = Listpack.next(lp, p);
            }
            lpCountPos = p;
            return this;
        }

        /** @return the node */
        public long node() {
            return lp;
        }

        /** @return the flags position */
        public int pos() {
            return pos;
        }

        /** @return the flags */
        public int flags() {
            return flags;
        }

        /** @return whether the entry is a tombstone */
        public boolean deleted() {
            return (flags & FLAG_DELETED) != 0;
        }

        /** @return the ms difference from the master ID */
        public long msDiff() {
            return msDiff;
        }

        /** @return the sequence difference from the master ID */
        public long seqDiff() {
            return seqDiff;
        }

        /** @return the number of field/value pairs */
        public int numFields() {
            return numFields;
        }

        /** @return the next entry's flags position, or -1 */
        public int nextPos() {
            return Listpack.next(lp, lpCountPos);
        }

        /** @return the previous entry's flags position, or -1 */
        public int prevPos() {
            int p = Listpack.prev(lp, pos);
            long n = Listpack.getLong(lp, p);
            if (n == 0) {
                return -1; // the master entry's terminator
            }
            for (long i = 0; i < n; i++) {
                p = Listpack.prev(lp, p);
            }
            return p;
        }

        /** Visits each field/value pair in order. */
        public void forEach(FieldSink sink) {
            int p = dataPos;
            if ((flags & FLAG_SAMEFIELDS) != 0) {
                int f = masterFields;
                for (int i = 0; i < numFields; i++) {
                    sink.pair(lp, f, p);
                    f = Listpack.next(lp, f);
                    p = Listpack.next(lp, p);
                }
            } else {
                for (int i = 0; i < numFields; i++) {
                    int v = Listpack.next(lp, p);
                    sink.pair(lp, p, v);
                    p = Listpack.next(lp, v);
                }
            }
        }

        /** @return the fields and values, alternating (new arrays) */
        public byte[][] fieldsAndValues() {
            byte[][] out = new byte[numFields * 2][];
            int[] i = {0};
            forEach((node, f, v) -> {
                out[i[0]++] = Listpack.get(node, f);
                out[i[0]++] = Listpack.get(node, v);
            });
            return out;
        }
    }

    /** Receives one field/value pair as listpack positions in {@code node}. */
    @FunctionalInterface
    public interface FieldSink {
        void pair(long node, int fieldPos, int valuePos);
    }

    // ---- validation ---------------------------------------------------------------------------

    /**
     * Checks the node's listpack and stream format (Redis's {@code streamValidateListpackIntegrity}
     * deep mode) and its counts.
     *
     * @return the number of entries (live and deleted)
     * @throws IllegalStateException describing the first problem found
     */
    public static long validate(long lp) {
        Listpack.validate(lp, -1);
        int p = Listpack.first(lp);
        for (int i = 0; i < 3; i++) {
            if (p < 0 || !Listpack.isInteger(lp, p)) {
                throw new IllegalStateException("stream node master entry is malformed");
            }
            if (i < 2) {
                p = Listpack.next(lp, p);
            }
        }
        long live = liveCount(lp);
        long deleted = deletedCount(lp);
        long seenLive = 0;
        long seenDeleted = 0;
        Cursor c = new Cursor();
        for (int e = firstEntryPos(lp); e >= 0; e = c.nextPos()) {
            c.load(lp, e);
            if (!Listpack.isInteger(lp, c.lpCountPos)) {
                throw new IllegalStateException("stream entry lp-count is not an integer");
            }
            long lpCount = Listpack.getLong(lp, c.lpCountPos);
            boolean same = (c.flags & FLAG_SAMEFIELDS) != 0;
            long expect = 3L + c.numFields + (same ? 0 : c.numFields + 1L);
            if (lpCount != expect) {
                throw new IllegalStateException("stream entry lp-count " + lpCount + ", expected " + expect);
            }
            if (c.deleted()) {
                seenDeleted++;
            } else {
                seenLive++;
            }
        }
        if (seenLive != live || seenDeleted != deleted) {
            throw new IllegalStateException("stream node counts " + live + "/" + deleted + " but holds " + seenLive + "/" + seenDeleted);
        }
        return live + deleted;
    }
}
