package io.redjar.internal.persistence.rdb;

import io.redjar.internal.keyspace.EntryDescriptor;
import io.redjar.internal.structure.Intset;
import io.redjar.internal.structure.Listpack;
import io.redjar.internal.structure.NativeDict;
import io.redjar.internal.structure.NativeDictDescriptor;
import io.redjar.internal.structure.QuicklistDescriptor;
import io.redjar.internal.structure.SkipList;
import io.redjar.internal.structure.SkipListDescriptor;
import io.redjar.internal.types.ValueImages;
import io.redjar.internal.types.ZSetStructures;

/**
 * Writes one live entry's value as Redis 7.0's {@code rdbSaveObjectType} + {@code rdbSaveObject}
 * do (RDB version 10; only type ids Redis 7.0 knows):
 * <ul>
 *   <li>string: {@code RDB_TYPE_STRING} (0);</li>
 *   <li>list: {@code RDB_TYPE_LIST_QUICKLIST_2} (18): node count, then per node the container
 *       (2, PACKED: RedJar has no plain nodes) and the node's listpack bytes as a string;</li>
 *   <li>set: {@code RDB_TYPE_SET_INTSET} (11), the intset bytes, or {@code RDB_TYPE_SET} (2),
 *       the member count and members;</li>
 *   <li>sorted set: {@code RDB_TYPE_ZSET_LISTPACK} (17), the listpack bytes, or
 *       {@code RDB_TYPE_ZSET_2} (5): the count, then from the highest to the lowest element each
 *       member and its score as a little-endian binary double (Redis's order, so loading inserts
 *       at the head);</li>
 *   <li>hash: {@code RDB_TYPE_HASH_LISTPACK} (16), the listpack bytes, or {@code RDB_TYPE_HASH}
 *       (4): the count, then field and value strings;</li>
 *   <li>stream: {@code RDB_TYPE_STREAM_LISTPACKS_2} (19), see {@link RdbStreams}.</li>
 * </ul>
 * Listpack and intset bytes are Redis's formats byte for byte, so they are written as they are.
 *
 * <p><b>Thread-safety:</b> stateless; the caller holds the entry's shard lock.
 */
public final class RdbValueWriter {
    static final int TYPE_STRING = 0;
    static final int TYPE_LIST = 1;
    static final int TYPE_SET = 2;
    static final int TYPE_ZSET = 3;
    static final int TYPE_HASH = 4;
    static final int TYPE_ZSET_2 = 5;
    static final int TYPE_MODULE = 6;
    static final int TYPE_MODULE_2 = 7;
    static final int TYPE_HASH_ZIPMAP = 9;
    static final int TYPE_LIST_ZIPLIST = 10;
    static final int TYPE_SET_INTSET = 11;
    static final int TYPE_ZSET_ZIPLIST = 12;
    static final int TYPE_HASH_ZIPLIST = 13;
    static final int TYPE_LIST_QUICKLIST = 14;
    static final int TYPE_STREAM_LISTPACKS = 15;
    static final int TYPE_HASH_LISTPACK = 16;
    static final int TYPE_ZSET_LISTPACK = 17;
    static final int TYPE_LIST_QUICKLIST_2 = 18;
    static final int TYPE_STREAM_LISTPACKS_2 = 19;

    private static final int CONTAINER_PACKED = 2;

    private RdbValueWriter() {
    }

    /** @return the RDB type id the entry {@code e} is written with */
    public static int rdbType(long e) {
        return switch (ValueImages.encoding(e)) {
            case ValueImages.STRING -> TYPE_STRING;
            case ValueImages.LIST_QUICKLIST -> TYPE_LIST_QUICKLIST_2;
            case ValueImages.SET_INTSET -> TYPE_SET_INTSET;
            case ValueImages.SET_HASHTABLE -> TYPE_SET;
            case ValueImages.ZSET_LISTPACK -> TYPE_ZSET_LISTPACK;
            case ValueImages.ZSET_SKIPLIST -> TYPE_ZSET_2;
            case ValueImages.HASH_LISTPACK -> TYPE_HASH_LISTPACK;
            case ValueImages.HASH_HASHTABLE -> TYPE_HASH;
            case ValueImages.STREAM -> TYPE_STREAM_LISTPACKS_2;
            default -> throw new IllegalStateException("unknown encoding");
        };
    }

    /** Writes the entry's type id and value (a DUMP payload's body). */
    public static void write(RdbWriter w, long e) {
        w.writeByte(rdbType(e));
        writeValue(w, e);
    }

    /** Writes the entry's value (after its type id and, in a file, its key). */
    static void writeValue(RdbWriter w, long e) {
        int enc = ValueImages.encoding(e);
        if (enc == ValueImages.STRING) {
            w.writeString(EntryDescriptor.valueAddress(e), EntryDescriptor.valueLength(e));
            return;
        }
        if (enc == ValueImages.STREAM) {
            RdbStreams.write(w, ValueImages.root(e));
            return;
        }
        long root = ValueImages.root(e);
        switch (enc) {
            case ValueImages.LIST_QUICKLIST -> {
                w.writeLength(QuicklistDescriptor.len(root));
                for (long n = QuicklistDescriptor.head(root); n != 0; n = QuicklistDescriptor.next(n)) {
                    w.writeLength(CONTAINER_PACKED);
                    if (QuicklistDescriptor.compressed(n)) { // as Redis: the node's LZF data as is
                        w.writeLzfBlob(QuicklistDescriptor.lzfData(n), QuicklistDescriptor.lzfBytes(n),
                            QuicklistDescriptor.lzfRawBytes(n));
                    } else {
                        long lp = QuicklistDescriptor.lp(n);
                        w.writeString(lp, Listpack.bytes(lp));
                    }
                }
            }
            case ValueImages.SET_INTSET -> w.writeString(root, Intset.blobSize(root));
            case ValueImages.ZSET_LISTPACK, ValueImages.HASH_LISTPACK -> w.writeString(root, Listpack.bytes(root));
            case ValueImages.SET_HASHTABLE -> {
                w.writeLength(NativeDict.size(root));
                NativeDict.forEach(root, r -> w.writeString(NativeDictDescriptor.SET_RECORDS.keyAddress(r),
                    NativeDictDescriptor.SET_RECORDS.keyLength(r)));
            }
            case ValueImages.HASH_HASHTABLE -> {
                w.writeLength(NativeDict.size(root));
                NativeDict.forEach(root, r -> {
                    w.writeString(NativeDictDescriptor.hashFieldAddress(r), NativeDictDescriptor.HASH_RECORDS.keyLength(r));
                    w.writeString(NativeDictDescriptor.hashValueAddress(r), NativeDictDescriptor.hashValueLength(r));
                });
            }
            case ValueImages.ZSET_SKIPLIST -> {
                long zsl = ZSetStructures.zsl(root);
                w.writeLength(SkipList.length(zsl));
                for (long x = SkipList.last(zsl); x != 0; x = SkipList.previous(x)) {
                    w.writeString(SkipListDescriptor.memberAddress(x), SkipListDescriptor.memberLength(x));
                    w.writeBinaryDouble(SkipListDescriptor.score(x));
                }
            }
            default -> throw new IllegalStateException("unknown encoding " + enc);
        }
    }
}
