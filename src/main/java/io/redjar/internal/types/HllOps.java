package io.redjar.internal.types;

import io.redjar.ErrorPrefix;
import io.redjar.RedJarException;
import io.redjar.internal.keyspace.EntryDescriptor;
import io.redjar.internal.keyspace.KeyEvent;
import io.redjar.internal.keyspace.Keyspace;
import io.redjar.internal.keyspace.Shard;
import io.redjar.internal.keyspace.ValueType;

import java.nio.charset.StandardCharsets;

/**
 * The HyperLogLog commands' operations (Redis 7.0's {@code pfadd/pfcount/pfmerge/pfdebugCommand}
 * without the argument parsing). An HLL is a plain string value in {@link Hll}'s format: a
 * command copies the value out under the key's shard lock, works on the copy, and stores the
 * result back (a raw-encoded string, the TTL kept), so GET, DUMP and snapshots see Redis's bytes.
 *
 * <p><b>Thread-safety:</b> thread-safe; each call is atomic with respect to every other command.
 */
public final class HllOps {
    /** Redis's reply for a corrupted value. */
    public static final String INVALID = ErrorPrefix.INVALIDOBJ.line("Corrupted HLL object detected");
    /** Redis's reply for a string that is not an HLL. */
    public static final String NOT_HLL = ErrorPrefix.WRONGTYPE.line("Key is not a valid HyperLogLog string value.");
    private static final byte[] PFADD = ascii("PFADD");
    private static final byte[] PFCOUNT = ascii("PFCOUNT");
    private static final byte[] PFMERGE = ascii("PFMERGE");
    private static final byte[] PFDEBUG = ascii("PFDEBUG");

    private final Keyspace ks;
    private final CollectionLimits limits;

    /** @param limits supplies {@code hll-sparse-max-bytes} */
    public HllOps(Keyspace ks, CollectionLimits limits) {
        this.ks = ks;
        this.limits = limits;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** @return the configured {@code hll-sparse-max-bytes} */
    public long sparseMaxBytes() {
        return limits.hllSparseMaxBytes;
    }

    /** The HLL at {@code slot} (checked), or null if {@code slot < 0}. */
    private static Hll load(Shard s, int db, int slot) {
        if (slot < 0) {
            return null;
        }
        long e = Keyspace.entryOf(s, db, slot, ValueType.STRING);
        byte[] v = EntryDescriptor.value(e);
        if (!Hll.isHll(v)) {
            throw new RedJarException(NOT_HLL);
        }
        return new Hll(v);
    }

    private void save(Shard s, int db, byte[] key, long h, int slot, Hll hll) {
        byte[] v = hll.toBytes();
        ks.store(s, db, key, h, slot, ValueType.STRING, EntryDescriptor.ENC_RAW, v, 0, v.length, Keyspace.KEEP_TTL);
    }

    /** PFADD key element...: 1 if a register changed or the key was created, else 0. */
    public long pfadd(int db, byte[] key, byte[][] elements, int from) {
        Shard s = ks.shardOf(key);
        long h = Keyspace.hash(key);
        s.lock();
        try {
            int slot = ks.lookup(s, db, key, h, ks.now(), true);
            if (slot >= 0) {
                long e = Keyspace.entryOf(s, db, slot, ValueType.STRING);
                long va = EntryDescriptor.valueAddress(e);
                if (HllDense.isDense(va, EntryDescriptor.valueLength(e))) {
                    // Redis's hllDenseAdd: registers set where they are, no copy of the 12 KB value
                    int changed = 0;
                    for (int j = from; j < elements.length; j++) {
                        changed += HllDense.add(va, elements[j]);
                    }
                    if (changed > 0) {
                        HllDense.invalidateCache(va);
                        changedBy(db, key, elements, from, changed);
                    }
                    return changed > 0 ? 1 : 0;
                }
            }
            Hll hll = load(s, db, slot);
            int updated = 0;
            if (hll == null) {
                hll = Hll.create();
                updated++;
            }
            long max = limits.hllSparseMaxBytes;
            for (int j = from; j < elements.length; j++) {
                int r = hll.add(elements[j], max);
                if (r == 1) {
                    updated++;
                } else if (r < 0) {
                    if (updated > 0) {
                        save(s, db, key, h, slot, hll); // Redis changed its value in place before the error
                    }
                    throw new RedJarException(INVALID);
                }
            }
            if (updated > 0) {
                hll.invalidateCache();
                save(s, db, key, h, slot, hll);
                changedBy(db, key, elements, from, updated);
            }
            return updated > 0 ? 1 : 0;
        } finally {
            s.unlock();
        }
    }

    /** PFADD's effects once {@code updated} registers (or the key's creation) changed it. */
    private void changedBy(int db, byte[] key, byte[][] elements, int from, int updated) {
        byte[][] prop = new byte[elements.length - from + 2][];
        prop[0] = PFADD;
        prop[1] = key;
        System.arraycopy(elements, from, prop, 2, elements.length - from);
        ks.propagate(db, prop);
        ks.modified(db, key, KeyEvent.PFADD);
        if (updated > 1) {
            ks.dirtied(updated - 1);
        }
    }

    /** PFCOUNT key...: one key uses and refreshes the cached cardinality; several: their union. */
    public long pfcount(int db, byte[][] keys, int from) {
        if (keys.length - from > 1) {
            return countUnion(db, keys, from);
        }
        byte[] key = keys[from];
        Shard s = ks.shardOf(key);
        long h = Keyspace.hash(key);
        s.lock();
        try {
            int slot = ks.lookupRead(s, db, key, h, ks.now(), true);
            if (slot < 0) {
                return 0;
            }
            long e = Keyspace.entryOf(s, db, slot, ValueType.STRING);
            long va = EntryDescriptor.valueAddress(e);
            if (HllDense.isDense(va, EntryDescriptor.valueLength(e))) {
                if (HllDense.cacheValid(va)) {
                    return HllDense.cachedCard(va);
                }
                long card = Hll.estimate(HllDense.histogram(va));
                HllDense.setCachedCard(va, card);
                ks.propagate(db, PFCOUNT, key);
                ks.dirtied(1);
                return card;
            }
            Hll hll = load(s, db, slot);
            if (hll.cacheValid()) {
                return hll.cachedCard();
            }
            long card = hll.count();
            if (card < 0) {
                throw new RedJarException(INVALID);
            }
            hll.setCachedCard(card);
            // the cache bytes change in place: same length, so the entry keeps its block
            io.redjar.internal.memory.NativeMemory.copyFromArray(hll.toBytes(), 8, va + 8, 8);
            ks.propagate(db, PFCOUNT, key);
            ks.dirtied(1);
            return card;
        } finally {
            s.unlock();
        }
    }

    private long countUnion(int db, byte[][] keys, int from) {
        int[] shards = ks.shardsOf(keys, from, keys.length, 1);
        ks.lock(shards);
        try {
            long now = ks.now();
            byte[] max = new byte[Hll.REGISTERS];
            for (int j = from; j < keys.length; j++) {
                Shard s = ks.shardOf(keys[j]);
                int slot = ks.lookupRead(s, db, keys[j], Keyspace.hash(keys[j]), now, true);
                if (slot >= 0) {
                    long e = Keyspace.entryOf(s, db, slot, ValueType.STRING);
                    long va = EntryDescriptor.valueAddress(e);
                    if (HllDense.isDense(va, EntryDescriptor.valueLength(e))) {
                        HllDense.mergeInto(va, max);
                        continue;
                    }
                }
                Hll hll = load(s, db, slot);
                if (hll != null && !hll.mergeInto(max)) {
                    throw new RedJarException(INVALID);
                }
            }
            return Hll.countRaw(max);
        } finally {
            ks.unlock(shards);
        }
    }

    /** PFMERGE dest src...: the union of every key (dest included) into dest. */
    public void pfmerge(int db, byte[][] argv, int from) {
        int[] shards = ks.shardsOf(argv, from, argv.length, 1);
        ks.lock(shards);
        try {
            long now = ks.now();
            byte[] max = new byte[Hll.REGISTERS];
            boolean dense = false;
            for (int j = from; j < argv.length; j++) {
                Shard s = ks.shardOf(argv[j]);
                Hll hll = load(s, db, ks.lookupRead(s, db, argv[j], Keyspace.hash(argv[j]), now, true));
                if (hll == null) {
                    continue;
                }
                if (hll.encoding() == Hll.DENSE) {
                    dense = true;
                }
                if (!hll.mergeInto(max)) {
                    throw new RedJarException(INVALID);
                }
            }
            byte[] key = argv[from];
            Shard s = ks.shardOf(key);
            long h = Keyspace.hash(key);
            int slot = ks.lookup(s, db, key, h, now, true);
            Hll dst = load(s, db, slot);
            if (dst == null) {
                dst = Hll.create();
            }
            if (dense && !dst.toDense()) {
                throw new RedJarException(INVALID);
            }
            long maxBytes = limits.hllSparseMaxBytes;
            for (int j = 0; j < Hll.REGISTERS; j++) {
                if (max[j] != 0) {
                    dst.set(j, max[j], maxBytes);
                }
            }
            dst.invalidateCache();
            save(s, db, key, h, slot, dst);
            byte[][] prop = new byte[argv.length - from + 1][];
            prop[0] = PFMERGE;
            System.arraycopy(argv, from, prop, 1, argv.length - from);
            ks.propagate(db, prop);
            ks.modified(db, key, KeyEvent.PFADD);
        } finally {
            ks.unlock(shards);
        }
    }

    /** The result of a PFDEBUG subcommand: registers, text, or a number. */
    public static final class Debug {
        /** GETREG's registers, else null. */
        public final int[] registers;
        /** DECODE's or ENCODING's text, else null. */
        public final String text;
        /** TODENSE's 1 (converted) or 0. */
        public final long number;

        Debug(int[] registers, String text, long number) {
            this.registers = registers;
            this.text = text;
            this.number = number;
        }
    }

    /**
     * PFDEBUG GETREG|DECODE|ENCODING|TODENSE key ({@code sub} lower-case; anything else is
     * {@code ERR Unknown PFDEBUG subcommand}).
     */
    public Debug pfdebug(int db, String sub, String subRaw, byte[] key) {
        Shard s = ks.shardOf(key);
        long h = Keyspace.hash(key);
        s.lock();
        try {
            int slot = ks.lookup(s, db, key, h, ks.now(), true);
            if (slot < 0) {
                throw new RedJarException("ERR The specified key does not exist");
            }
            Hll hll = load(s, db, slot);
            switch (sub) {
                case "getreg": {
                    if (hll.encoding() == Hll.SPARSE) {
                        converted(s, db, key, h, slot, hll, subRaw);
                    }
                    int[] regs = new int[Hll.REGISTERS];
                    for (int j = 0; j < Hll.REGISTERS; j++) {
                        regs[j] = hll.register(j);
                    }
                    return new Debug(regs, null, 0);
                }
                case "decode":
                    if (hll.encoding() != Hll.SPARSE) {
                        throw new RedJarException("ERR HLL encoding is not sparse");
                    }
                    return new Debug(null, hll.decode(), 0);
                case "encoding":
                    return new Debug(null, hll.encoding() == Hll.DENSE ? "dense" : "sparse", 0);
                case "todense":
                    if (hll.encoding() == Hll.SPARSE) {
                        converted(s, db, key, h, slot, hll, subRaw);
                        return new Debug(null, null, 1);
                    }
                    return new Debug(null, null, 0);
                default:
                    throw new RedJarException("ERR Unknown PFDEBUG subcommand '" + subRaw + "'");
            }
        } finally {
            s.unlock();
        }
    }

    private void converted(Shard s, int db, byte[] key, long h, int slot, Hll hll, String subRaw) {
        if (!hll.toDense()) {
            throw new RedJarException(INVALID);
        }
        save(s, db, key, h, slot, hll);
        ks.propagate(db, PFDEBUG, subRaw.getBytes(StandardCharsets.UTF_8), key);
        ks.dirtied(1);
    }
}
