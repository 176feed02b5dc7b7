package io.redjar.internal.structure;

import io.redjar.internal.memory.NativeMemory;
import io.redjar.internal.memory.Varint;
import io.redjar.internal.memory.SlabAllocator;

/**
 * Layouts of a {@link NativeDict}: its root block, its slot array, and the two record formats it
 * can own (set members and hash fields). Sorted sets use the skip list node itself as the record
 * ({@link SkipListDescriptor#MEMBER_KEYS}), so a member's bytes are stored once.
 *
 * <pre>
 *  Root (24 B, the dict's handle):
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                slot array address (8 B)                       |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                capacity (int, a power of two)                 |
 *  +---------------------------------------------------------------+
 *  |                size: live records (int)                       |
 *  +---------------------------------------------------------------+
 *  |                dead: tombstones (int)                         |
 *  +---------------------------------------------------------------+
 *  |                reserved (int, 0)                              |
 *  +---------------------------------------------------------------+
 *
 *  Slot (8 B each, capacity of them):
 *  +-------------------------------+-------------------------------+
 *  | hash fingerprint (top 16 bits)|  record address (48 bits)     |
 *  +-------------------------------+-------------------------------+
 *    0 = empty, 1 = tombstone
 *
 *  Set record ({@link #SET_RECORDS}):       Hash record ({@link #HASH_RECORDS}):
 *  +----------------------+                 +-----------------------+----------------------+
 *  | member length varint |                 | field length varint   | value length varint  |
 *  +----------------------+                 +-----------------------+----------------------+
 *  | member bytes ...     |                 | field bytes ...       | value bytes ...      |
 *  +----------------------+                 +-----------------------+----------------------+
 * </pre>
 *
 * Lengths are unsigned LEB128 varints (as in the keyspace's {@code EntryDescriptor}). A 10-byte
 * set member takes an 11-byte record (a 16-byte block) plus its 8-byte slot.
 *
 * <p><b>Thread-safety:</b> stateless accessors; the memory they touch is guarded by its owner.
 */
public final class NativeDictDescriptor {
    /** Size of the root block. */
    public static final int ROOT_SIZE = 24;
    /** Offset of the slot array address. */
    public static final int SLOTS_OFFSET = 0;
    /** Offset of the capacity. */
    public static final int CAPACITY_OFFSET = 8;
    /** Offset of the live count. */
    public static final int SIZE_OFFSET = 12;
    /** Offset of the tombstone count. */
    public static final int DEAD_OFFSET = 16;

    /** Records that are a varint length and the member bytes. */
    public static final NativeDict.RecordLayout SET_RECORDS = new NativeDict.RecordLayout() {
        @Override
        public long keyAddress(long r) {
            return r + varintSize(readVarint(r));
        }

        @Override
        public int keyLength(long r) {
            return readVarint(r);
        }

        @Override
        public long recordSize(long r) {
            int len = readVarint(r);
            return varintSize(len) + len;
        }
    };

    /** Records that are two varint lengths, the field and the value. */
    public static final NativeDict.RecordLayout HASH_RECORDS = new NativeDict.RecordLayout() {
        @Override
        public long keyAddress(long r) {
            return hashFieldAddress(r);
        }

        @Override
        public int keyLength(long r) {
            return readVarint(r);
        }

        @Override
        public long recordSize(long r) {
            int f = readVarint(r);
            int v = readVarint(r + varintSize(f));
            return hashRecordSize(f, v);
        }
    };

    private NativeDictDescriptor() {
    }

    // ------------------------------------------------------------------ set records

    /** @return the size of a set record for a member of {@code len} bytes. */
    public static long setRecordSize(int len) {
        return varintSize(len) + len;
    }

    /** Allocates and writes a set record. */
    public static long newSetRecord(SlabAllocator allocator, byte[] member, int off, int len) {
        long r = allocator.allocate(setRecordSize(len));
        long p = putVarint(r, len);
        NativeMemory.copyFromArray(member, off, p, len);
        return r;
    }

    // ------------------------------------------------------------------ hash records

    /** @return the size of a hash record. */
    public static long hashRecordSize(int fieldLen, int valueLen) {
        return varintSize(fieldLen) + varintSize(valueLen) + (long) fieldLen + valueLen;
    }

    /** Allocates and writes a hash record. */
    public static long newHashRecord(SlabAllocator allocator, byte[] field, int fOff, int fLen, byte[] value, int vOff, int vLen) {
        long r = allocator.allocate(hashRecordSize(fLen, vLen));
        long p = putVarint(r, fLen);
        p = putVarint(p, vLen);
        NativeMemory.copyFromArray(field, fOff, p, fLen);
        NativeMemory.copyFromArray(value, vOff, p + fLen, vLen);
        return r;
    }

    /** @return the address of a hash record's field. */
    public static long hashFieldAddress(long r) {
        int f = readVarint(r);
        long p = r + varintSize(f);
        return p + varintSize(readVarint(p));
    }

    /** @return a hash record's value length. */
    public static int hashValueLength(long r) {
        return readVarint(r + varintSize(readVarint(r)));
    }

    /** @return the address of a hash record's value. */
    public static long hashValueAddress(long r) {
        int f = readVarint(r);
        long p = r + varintSize(f);
        return p + varintSize(readVarint(p)) + f;
    }

    /** @return a copy of a hash record's value. */
    public static byte[] hashValue(long r) {
        return NativeMemory.toArray(hashValueAddress(r), hashValueLength(r));
    }

    // ------------------------------------------------------------------ varints

    /** @return bytes a varint of {@code v} takes. */
    public static int varintSize(int v) {
        return Varint.size(v);
    }

    /** Writes an unsigned LEB128 varint; returns the address after it. */
    static long putVarint(long p, int v) {
        return Varint.put(p, v);
    }

    /** Reads an unsigned LEB128 varint of up to 5 bytes. */
    public static int readVarint(long p) {
        return Varint.read(p);
    }
}
