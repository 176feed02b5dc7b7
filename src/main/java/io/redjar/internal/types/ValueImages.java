package io.redjar.internal.types;

import io.redjar.internal.keyspace.EntryDescriptor;
import io.redjar.internal.keyspace.Keyspace;
import io.redjar.internal.keyspace.Shard;
import io.redjar.internal.keyspace.ValueType;
import io.redjar.internal.memory.NativeMemory;
import io.redjar.internal.memory.SlabAllocator;
import io.redjar.internal.structure.Intset;
import io.redjar.internal.structure.Listpack;
import io.redjar.internal.structure.NativeDict;
import io.redjar.internal.structure.NativeDictDescriptor;
import io.redjar.internal.structure.Quicklist;
import io.redjar.internal.structure.SkipList;
import io.redjar.internal.util.Numbers;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The bridge between the snapshot codec ({@code persistence.rdb}) and the types' native layouts:
 * which encoding a live entry has and where its root structure is (for writing), and building a
 * validated {@link ValueImage} into a shard's structures and installing it under a key (for
 * loading and RESTORE). The layouts themselves stay private to this package.
 *
 * <p><b>Thread-safety:</b> stateless; callers hold the lock of the shard they read or write.
 */
public final class ValueImages {
    /** Encoding of a string entry. */
    public static final int STRING = 0;
    /** A list (always a quicklist). */
    public static final int LIST_QUICKLIST = 1;
    /** A set as an intset. */
    public static final int SET_INTSET = 2;
    /** A set as a hashtable ({@link NativeDictDescriptor#SET_RECORDS}). */
    public static final int SET_HASHTABLE = 3;
    /** A sorted set as a listpack of member, score pairs. */
    public static final int ZSET_LISTPACK = 4;
    /** A sorted set as a skip list plus member index. */
    public static final int ZSET_SKIPLIST = 5;
    /** A hash as a listpack of field, value pairs. */
    public static final int HASH_LISTPACK = 6;
    /** A hash as a hashtable ({@link NativeDictDescriptor#HASH_RECORDS}). */
    public static final int HASH_HASHTABLE = 7;
    /** A stream (its nodes, metadata and consumer groups). */
    public static final int STREAM = 8;

    private ValueImages() {
    }

    /** @return the encoding of the live entry {@code e} (one of this class's constants) */
    public static int encoding(long e) {
        int type = EntryDescriptor.type(e);
        if (type == ValueType.STRING.code()) {
            return STRING;
        } else if (type == ValueType.LIST.code()) {
            return LIST_QUICKLIST;
        } else if (type == ValueType.SET.code()) {
            return SetStructures.isHashtable(SetStructures.value(e)) ? SET_HASHTABLE : SET_INTSET;
        } else if (type == ValueType.ZSET.code()) {
            return EntryDescriptor.encodingHint(e) == ZSetStructures.SKIPLIST ? ZSET_SKIPLIST : ZSET_LISTPACK;
        } else if (type == ValueType.HASH.code()) {
            return HashOps.isHashtable(e) ? HASH_HASHTABLE : HASH_LISTPACK;
        } else if (type == ValueType.STREAM.code()) {
            return STREAM;
        }
        throw new IllegalStateException("entry of type code " + type);
    }

    /**
     * @return the root structure of a collection entry: the quicklist root, the intset, the dict,
     *         the listpack, or a sorted set's skip-list root ({@link ZSetStructures#zsl})
     */
    public static long root(long e) {
        long v = NativeMemory.getLong(EntryDescriptor.valueAddress(e));
        return EntryDescriptor.type(e) == ValueType.SET.code() ? SetStructures.root(v) : v;
    }

    /**
     * Builds {@code img} in shard {@code s} and stores it under {@code key}, which must be absent
     * from {@code db} (the caller deleted any old entry). Reports the key as new
     * ({@link Keyspace#allocateFor}). Caller holds the shard's lock.
     *
     * @param expireAt absolute ms, or {@link Keyspace#NO_TTL}
     * @param lru      the LRU clock to set, or -1 to keep the current time's
     * @param limits   {@code list-max-listpack-size} and {@code list-compress-depth} for a list's quicklist
     * @return the entry's address
     */
    public static long install(Keyspace ks, Shard s, int db, byte[] key, ValueImage img, long expireAt, int lru, CollectionLimits limits) {
        return install(ks, s, db, key, Keyspace.hash(key), img, expireAt, lru, limits);
    }

    /** {@link #install} with the key's {@link Keyspace#hash} already computed. */
    public static long install(Keyspace ks, Shard s, int db, byte[] key, long hash, ValueImage img, long expireAt, int lru,
                               CollectionLimits limits) {
        long e;
        if (img.type == ValueType.STRING) {
            e = ks.store(s, db, key, hash, -1, ValueType.STRING, EntryDescriptor.ENC_AUTO, img.string, 0, img.string.length, expireAt);
        } else {
            SlabAllocator a = s.allocator();
            long value;
            int hint;
            switch (img.type) {
                case LIST -> {
                    value = buildList(a, img.elements, limits);
                    hint = 0;
                }
                case SET -> {
                    value = img.compact ? buildIntset(a, img.elements) : buildSetTable(a, img.elements) | SetStructures.HT_TAG;
                    hint = img.compact ? 0 : 1;
                }
                case HASH -> {
                    value = img.compact ? buildListpack(a, img.elements) : buildHashTable(a, img.elements);
                    hint = img.compact ? 0 : HashOps.HINT_HASHTABLE;
                }
                case ZSET -> {
                    value = img.compact ? buildZsetListpack(a, img.elements, img.scores) : buildSkipList(a, img.elements, img.scores);
                    hint = img.compact ? ZSetStructures.LISTPACK : ZSetStructures.SKIPLIST;
                }
                case STREAM -> {
                    value = img.stream.build(a);
                    hint = 0;
                }
                default -> throw new IllegalArgumentException("cannot install a " + img.type);
            }
            e = ks.allocateFor(s, db, key, hash, -1, img.type, hint, 8, expireAt);
            NativeMemory.putLong(EntryDescriptor.valueAddress(e), value);
        }
        if (lru >= 0) {
            EntryDescriptor.putLru(e, lru & EntryDescriptor.LRU_MAX);
        }
        return e;
    }

    private static long buildList(SlabAllocator a, List<byte[]> elements, CollectionLimits limits) {
        long ql = Quicklist.create(a, limits.listMaxListpackSize, limits.listCompressDepth);
        for (byte[] v : elements) {
            Quicklist.push(a, ql, v, false);
        }
        return ql;
    }

    private static long buildIntset(SlabAllocator a, List<byte[]> members) {
        long is = Intset.create(a);
        for (byte[] m : members) {
            is = Intset.add(a, is, Numbers.parseLong(m));
        }
        return is;
    }

    private static long buildSetTable(SlabAllocator a, List<byte[]> members) {
        NativeDict d = new NativeDict(a, NativeDictDescriptor.SET_RECORDS, true);
        long root = d.create(members.size());
        for (byte[] m : members) {
            d.insert(root, NativeDict.hash(m), NativeDictDescriptor.newSetRecord(a, m, 0, m.length));
        }
        return root;
    }

    private static long buildListpack(SlabAllocator a, List<byte[]> elements) {
        long lp = Listpack.create(a);
        for (byte[] v : elements) {
            lp = Listpack.append(a, lp, v);
        }
        return lp;
    }

    private static long buildHashTable(SlabAllocator a, List<byte[]> fv) {
        NativeDict d = new NativeDict(a, NativeDictDescriptor.HASH_RECORDS, true);
        long root = d.create(fv.size() / 2);
        for (int i = 0; i < fv.size(); i += 2) {
            byte[] f = fv.get(i);
            byte[] v = fv.get(i + 1);
            d.insert(root, NativeDict.hash(f), NativeDictDescriptor.newHashRecord(a, f, 0, f.length, v, 0, v.length));
        }
        return root;
    }

    private static long buildZsetListpack(SlabAllocator a, List<byte[]> members, double[] scores) {
        long lp = Listpack.create(a);
        for (int i = 0; i < members.size(); i++) {
            lp = Listpack.append(a, lp, members.get(i));
            double score = scores[i];
            if (score >= -0x1p62 && score <= 0x1p62 && score == Math.rint(score)) {
                lp = Listpack.appendLong(a, lp, (long) score);
            } else {
                byte[] t = Numbers.formatDoubleD2String(score).getBytes(StandardCharsets.US_ASCII);
                lp = Listpack.append(a, lp, t);
            }
        }
        return lp;
    }

    private static long buildSkipList(SlabAllocator a, List<byte[]> members, double[] scores) {
        NativeDict dict = ZSetStructures.index(a);
        SkipList zsl = ZSetStructures.skipList(a);
        long d = dict.create(members.size());
        long z = zsl.create();
        for (int i = 0; i < members.size(); i++) {
            byte[] m = members.get(i);
            dict.insert(d, zsl.insert(z, scores[i], m, 0, m.length));
        }
        return ZSetStructures.newRoot(a, d, z);
    }
}
