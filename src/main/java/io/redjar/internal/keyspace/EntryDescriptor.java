package io.redjar.internal.keyspace;

import io.redjar.internal.memory.NativeMemory;
import io.redjar.internal.memory.Varint;

/**
 * Layout of one keyspace entry: a single native block holding the key, its value and its
 * metadata. There is no Java object per entry; the {@link KeyTable} holds only the block address.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+-----------------------------------------------+
 *  |     Flags     |          LRU clock (24 bits, seconds)         |
 *  +---------------+-----------------------------------------------+
 *  |            Expire-at, ms since epoch (8 bytes)                |  only when
 *  |                                                               |  Flags.EXPIRE
 *  +---------------------------------------------------------------+
 *  | key length (varint 1-5 B) | value length (varint 1-5 B) |     |
 *  +---------------------------+-----------------------------+     |
 *  |                         key bytes ...                         |
 *  +---------------------------------------------------------------+
 *  |                        value bytes ...                        |
 *  +---------------------------------------------------------------+
 *
 *  Flags: bits 0-3 type (see {@link ValueType}), bit 4 EXPIRE,
 *         bits 5-6 string encoding hint (0 auto: int/embstr/raw by content, 1 raw, 2 embstr,
 *         3 auto but never a shared integer).
 * </pre>
 *
 * A 10-byte key with a 32-byte value and no TTL takes 4 + 1 + 1 + 10 + 32 = 48 bytes, exactly one
 * 48-byte block. Lengths are unsigned LEB128 varints. For non-string types the value bytes are the
 * type's own encoding (or a reference to its structure), owned by that type's layer.
 *
 * <p><b>Thread-safety:</b> stateless accessors; the entry they read is guarded by its shard's lock.
 */
public final class EntryDescriptor {
    /** Offset of the flags byte. */
    public static final int FLAGS_OFFSET = 0;
    /** Offset of the 24-bit LRU clock. */
    public static final int LRU_OFFSET = 1;
    /** Offset of the expire-at time when present. */
    public static final int EXPIRE_OFFSET = 4;
    /** Size of the fixed header without expiry. */
    public static final int HEADER = 4;
    /** Size of the expire-at field. */
    public static final int EXPIRE_SIZE = 8;

    /** Flags bit: the entry has an expire-at field. */
    public static final int FLAG_EXPIRE = 1 << 4;
    /** Mask of the type bits. */
    public static final int TYPE_MASK = 0x0F;
    /** Shift of the string encoding hint. */
    public static final int ENC_SHIFT = 5;
    /** Encoding hint: decide int/embstr/raw from the content (what Redis's tryObjectEncoding does). */
    public static final int ENC_AUTO = 0;
    /** Encoding hint: always raw (after APPEND, SETRANGE). */
    public static final int ENC_RAW = 1;
    /** Encoding hint: embstr when short, never int (INCRBYFLOAT results). */
    public static final int ENC_EMBSTR = 2;
    /**
     * Encoding hint: like {@link #ENC_AUTO}, but the value is a private copy (COPY duplicates
     * Redis's shared small integers, so their OBJECT REFCOUNT becomes 1).
     */
    public static final int ENC_AUTO_PRIVATE = 3;

    /** Largest LRU clock value (24 bits). */
    public static final int LRU_MAX = (1 << 24) - 1;

    private EntryDescriptor() {
    }

    /** @return bytes a varint of {@code v} takes. */
    public static int varintSize(int v) {
        return Varint.size(v);
    }

    /** @return the total length of an entry with these parts. */
    public static long length(int keyLen, long valueLen, boolean expire) {
        return HEADER + (expire ? EXPIRE_SIZE : 0) + varintSize(keyLen) + varintSize((int) valueLen) + keyLen + valueLen;
    }

    /**
     * Writes the header and the key of a new entry; the caller writes the value at
     * {@link #valueAddress}.
     *
     * @return the address of the value bytes
     */
    public static long write(long e, int flags, int lru, long expireAt, byte[] key, int keyOff, int keyLen, int valueLen) {
        boolean hasExpire = (flags & FLAG_EXPIRE) != 0;
        NativeMemory.putByte(e + FLAGS_OFFSET, (byte) flags);
        putLru(e, lru);
        long p = e + HEADER;
        if (hasExpire) {
            NativeMemory.putLong(p, expireAt);
            p += EXPIRE_SIZE;
        }
        p = putVarint(p, keyLen);
        p = putVarint(p, valueLen);
        NativeMemory.copyFromArray(key, keyOff, p, keyLen);
        return p + keyLen;
    }

    private static long putVarint(long p, int v) {
        return Varint.put(p, v);
    }

    /** @return the flags byte. */
    public static int flags(long e) {
        return NativeMemory.getByte(e + FLAGS_OFFSET) & 0xFF;
    }

    /** Overwrites the flags byte. */
    public static void setFlags(long e, int flags) {
        NativeMemory.putByte(e + FLAGS_OFFSET, (byte) flags);
    }

    /** @return the value type code. */
    public static int type(long e) {
        return NativeMemory.getByte(e + FLAGS_OFFSET) & TYPE_MASK;
    }

    /** @return the string encoding hint. */
    public static int encodingHint(long e) {
        return (flags(e) >>> ENC_SHIFT) & 0x3;
    }

    /** @return whether the entry carries an expire-at time. */
    public static boolean hasExpire(long e) {
        return (NativeMemory.getByte(e + FLAGS_OFFSET) & FLAG_EXPIRE) != 0;
    }

    /** @return the expire-at time; only valid when {@link #hasExpire}. */
    public static long expireAt(long e) {
        return NativeMemory.getLong(e + EXPIRE_OFFSET);
    }

    /** Sets the expire-at time of an entry that has the field. */
    public static void setExpireAt(long e, long at) {
        NativeMemory.putLong(e + EXPIRE_OFFSET, at);
    }

    /** @return the 24-bit LRU clock. */
    public static int lru(long e) {
        return (NativeMemory.getByte(e + 1) & 0xFF) | (NativeMemory.getByte(e + 2) & 0xFF) << 8
            | (NativeMemory.getByte(e + 3) & 0xFF) << 16;
    }

    /** Sets the 24-bit LRU clock. */
    public static void putLru(long e, int lru) {
        NativeMemory.putByte(e + 1, (byte) lru);
        NativeMemory.putByte(e + 2, (byte) (lru >>> 8));
        NativeMemory.putByte(e + 3, (byte) (lru >>> 16));
    }

    private static long lengthsAddress(long e) {
        return e + HEADER + (hasExpire(e) ? EXPIRE_SIZE : 0);
    }

    /** @return the key length. */
    public static int keyLength(long e) {
        return readVarint(lengthsAddress(e));
    }

    /** @return the key's address. */
    public static long keyAddress(long e) {
        long p = lengthsAddress(e);
        p += varintSize(readVarint(p));
        return p + varintSize(readVarint(p));
    }

    /** @return the value length. */
    public static int valueLength(long e) {
        long p = lengthsAddress(e);
        p += varintSize(readVarint(p));
        return readVarint(p);
    }

    /** @return the value's address. */
    public static long valueAddress(long e) {
        long p = lengthsAddress(e);
        int keyLen = readVarint(p);
        p += varintSize(keyLen);
        int valueLen = readVarint(p);
        return p + varintSize(valueLen) + keyLen;
    }

    /** @return the entry's total length (what it was allocated with). */
    public static long totalLength(long e) {
        long p = lengthsAddress(e);
        int keyLen = readVarint(p);
        p += varintSize(keyLen);
        int valueLen = readVarint(p);
        return p + varintSize(valueLen) + keyLen + valueLen - e;
    }

    /** @return whether the entry's key equals {@code key[off..off+len)}. */
    public static boolean keyEquals(long e, byte[] key, int off, int len) {
        long p = lengthsAddress(e);
        int keyLen = readVarint(p);
        if (keyLen != len) {
            return false;
        }
        p += varintSize(keyLen);
        p += varintSize(readVarint(p));
        return NativeMemory.equals(p, key, off, len);
    }

    /** @return a copy of the key. */
    public static byte[] key(long e) {
        return NativeMemory.toArray(keyAddress(e), keyLength(e));
    }

    /** @return a copy of the value. */
    public static byte[] value(long e) {
        return NativeMemory.toArray(valueAddress(e), valueLength(e));
    }

    /** Reads an unsigned LEB128 varint of up to 5 bytes. */
    public static int readVarint(long p) {
        return Varint.read(p);
    }
}
