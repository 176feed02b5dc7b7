package io.redjar.internal.types;

import io.redjar.internal.keyspace.EntryDescriptor;
import io.redjar.internal.keyspace.KeyEvent;
import io.redjar.internal.keyspace.Keyspace;
import io.redjar.internal.keyspace.Shard;
import io.redjar.internal.keyspace.ValueType;
import io.redjar.internal.memory.NativeMemory;
import io.redjar.internal.util.Numbers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Bitmap and bitfield operations on string values (Redis 7.0's {@code bitops.c} without the
 * argument parsing): SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP and BITFIELD. Values stay off-heap;
 * writes grow the value in place with zero bytes ({@code sdsgrowzero}) and mark it {@code raw}, as
 * Redis's {@code dbUnshareStringValue} does. Ranges whose parsing Redis does after the key lookup
 * (BITCOUNT, BITPOS) come in as a {@link Range} resolved under the lock.
 *
 * <p>Propagation: as Redis, a write propagates the command as given ({@code argv}); callers
 * without one (typed handles) pass null and a normalised equivalent is propagated (numbers in
 * canonical form; BITFIELD without its GETs).
 *
 * <p><b>Thread-safety:</b> thread-safe; each call is atomic with respect to every other command.
 */
public final class BitOps {
    private static final byte[] SETBIT = ascii("SETBIT");
    private static final byte[] BITOP = ascii("BITOP");
    private static final byte[] BITFIELD = ascii("BITFIELD");

    private final Keyspace ks;
    private final CollectionLimits limits;

    /** @param limits supplies {@code proto-max-bulk-len}, which bounds bit offsets */
    public BitOps(Keyspace ks, CollectionLimits limits) {
        this.ks = ks;
        this.limits = limits;
    }

    /**
     * Redis's offset range check: {@code 0 <= offset < proto-max-bulk-len * 8}.
     *
     * @throws io.redjar.RedJarException {@code ERR bit offset is not an integer or out of range}
     */
    public long checkOffset(long offset) {
        if (offset < 0 || (offset >> 3) >= limits.protoMaxBulkLen) {
            throw new io.redjar.RedJarException("ERR bit offset is not an integer or out of range");
        }
        return offset;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * A range argument resolved against the value's length under the key's lock (it may throw
     * the argument errors Redis reports only for existing keys).
     */
    @FunctionalInterface
    public interface Range {
        /**
         * @param strlen the value's length in bytes
         * @return the inclusive bit range {@code {from, to}} inside the value, or null when empty
         */
        long[] bits(long strlen);
    }

    /** GETBIT: the bit, 0 for a missing key or beyond the end. */
    public int getBit(int db, byte[] key, long offset) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long e = Keyspace.entryOf(s, db, ks.lookupRead(s, db, key, Keyspace.hash(key), ks.now(), true), ValueType.STRING);
            return e == 0 ? 0 : Bits.bit(EntryDescriptor.valueAddress(e), EntryDescriptor.valueLength(e), offset);
        } finally {
            s.unlock();
        }
    }

    /**
     * SETBIT: returns the old bit. {@code offset} is already range-checked.
     *
     * @param argv the command, propagated as is when it changes the value (null: a normalised one)
     */
    public int setBit(int db, byte[] key, long offset, int on, byte[][] argv) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long[] grown = new long[1];
            long e = stringForWrite(s, db, key, offset, grown);
            long addr = EntryDescriptor.valueAddress(e);
            int old = Bits.bit(addr, EntryDescriptor.valueLength(e), offset);
            if (grown[0] != 0 || old != on) {
                Bits.putBit(addr, offset, on);
                ks.propagate(db, argv != null ? argv : new byte[][] {SETBIT, key, Numbers.formatLong(offset), Numbers.formatLong(on)});
                ks.modified(db, key, KeyEvent.SETBIT);
            }
            return old;
        } finally {
            s.unlock();
        }
    }

    /**
     * Redis's {@code lookupStringForBitCommand}: the string entry holding at least
     * {@code maxBit + 1} bits, created or grown with zeros; {@code grown[0]} is 1 when it was.
     */
    private long stringForWrite(Shard s, int db, byte[] key, long maxBit, long[] grown) {
        long h = Keyspace.hash(key);
        int slot = ks.lookup(s, db, key, h, ks.now(), true);
        long need = (maxBit >>> 3) + 1;
        int len = io.redjar.internal.util.Sizes.toInt(need, io.redjar.internal.util.Sizes.OUT_OF_RANGE);
        if (slot < 0) {
            long e = ks.allocateFor(s, db, key, h, -1, ValueType.STRING, EntryDescriptor.ENC_RAW, len, Keyspace.NO_TTL);
            NativeMemory.fill(EntryDescriptor.valueAddress(e), len, (byte) 0);
            grown[0] = 1;
            return e;
        }
        long e = s.table(db).entry(slot);
        Keyspace.checkType(e, ValueType.STRING);
        int old = EntryDescriptor.valueLength(e);
        if (len > old) {
            e = ks.resizeValue(s, db, slot, len);
            NativeMemory.fill(EntryDescriptor.valueAddress(e) + old, len - old, (byte) 0);
            grown[0] = 1;
        }
        setRaw(e);
        return e;
    }

    private static void setRaw(long e) {
        int f = EntryDescriptor.flags(e) & ~(0x3 << EntryDescriptor.ENC_SHIFT);
        EntryDescriptor.setFlags(e, f | (EntryDescriptor.ENC_RAW << EntryDescriptor.ENC_SHIFT));
    }

    /** BITCOUNT: {@code range} null counts the whole value. */
    public long bitCount(int db, byte[] key, Range range) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long e = Keyspace.entryOf(s, db, ks.lookupRead(s, db, key, Keyspace.hash(key), ks.now(), true), ValueType.STRING);
            if (e == 0) {
                return 0;
            }
            long addr = EntryDescriptor.valueAddress(e);
            long len = EntryDescriptor.valueLength(e);
            if (range == null) {
                return Bits.popcount(addr, len);
            }
            long[] r = range.bits(len);
            return r == null ? 0 : Bits.countBits(addr, r[0], r[1]);
        } finally {
            s.unlock();
        }
    }

    /**
     * BITPOS. {@code range} null searches the whole value; {@code endGiven} says the user gave an
     * end, so a clear bit is not assumed right of the range.
     */
    public long bitPos(int db, byte[] key, int bit, Range range, boolean endGiven) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            int slot = ks.lookupRead(s, db, key, Keyspace.hash(key), ks.now(), true);
            if (slot < 0) {
                return bit == 1 ? -1 : 0;
            }
            long e = Keyspace.entryOf(s, db, slot, ValueType.STRING);
            long addr = EntryDescriptor.valueAddress(e);
            long len = EntryDescriptor.valueLength(e);
            long[] r = range == null ? (len == 0 ? null : new long[] {0, len * 8 - 1}) : range.bits(len);
            if (r == null) {
                return -1;
            }
            long pos = Bits.find(addr, r[0], r[1], bit);
            if (pos >= 0 || bit == 1 || endGiven) {
                return pos;
            }
            return r[1] + 1;
        } finally {
            s.unlock();
        }
    }

    /** BITOP's operations. */
    public enum Op { AND, OR, XOR, NOT }

    /**
     * BITOP: stores the result in {@code dest} (deleting it when every source is empty).
     *
     * @param argv the command, propagated as is (null: a normalised one)
     * @return the result's length in bytes
     */
    public long bitOp(int db, Op op, byte[] dest, byte[][] sources, byte[][] argv) {
        byte[][] keys = new byte[sources.length + 1][];
        keys[0] = dest;
        System.arraycopy(sources, 0, keys, 1, sources.length);
        int[] shards = ks.shardsOf(keys, 0, keys.length, 1);
        ks.lock(shards);
        try {
            long now = ks.now();
            long[] addr = new long[sources.length];
            long[] len = new long[sources.length];
            long maxlen = 0;
            for (int j = 0; j < sources.length; j++) {
                Shard s = ks.shardOf(sources[j]);
                long e = Keyspace.entryOf(s, db, ks.lookupRead(s, db, sources[j], Keyspace.hash(sources[j]), now, true), ValueType.STRING);
                if (e != 0) {
                    addr[j] = EntryDescriptor.valueAddress(e);
                    len[j] = EntryDescriptor.valueLength(e);
                    maxlen = Math.max(maxlen, len[j]);
                }
            }
            Shard ds = ks.shardOf(dest);
            long dh = Keyspace.hash(dest);
            int dslot = ks.lookup(ds, db, dest, dh, now, false);
            byte[][] prop = argv;
            if (prop == null) {
                prop = new byte[keys.length + 2][];
                prop[0] = BITOP;
                prop[1] = ascii(op.name());
                System.arraycopy(keys, 0, prop, 2, keys.length);
            }
            if (maxlen == 0) {
                if (dslot >= 0) {
                    ks.delete(ds, db, dslot);
                    ks.propagate(db, prop);
                    ks.modified(db, dest, KeyEvent.DEL);
                }
                return 0;
            }
            byte[] res = compute(op, addr, len, (int) maxlen);
            ks.store(ds, db, dest, dh, dslot, ValueType.STRING, EntryDescriptor.ENC_RAW, res, 0, res.length, Keyspace.NO_TTL);
            ks.propagate(db, prop);
            ks.modified(db, dest, KeyEvent.SET);
            return maxlen;
        } finally {
            ks.unlock(shards);
        }
    }

    private static final java.lang.invoke.VarHandle LONGS =
        java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.nativeOrder());

    private static byte[] compute(Op op, long[] addr, long[] len, int maxlen) {
        byte[] res = new byte[maxlen];
        long minlen = maxlen;
        for (long l : len) {
            minlen = Math.min(minlen, l);
        }
        // Redis's fast path: eight bytes at a time while every source has them (bytewise
        // operations, so a word read and written in the same byte order is exact)
        int words = (int) (minlen >>> 3);
        int i0 = words << 3;
        for (int w = 0; w < words; w++) {
            long off = (long) w << 3;
            long out = NativeMemory.getLong(addr[0] + off);
            switch (op) {
                case NOT -> out = ~out;
                case AND -> {
                    for (int j = 1; j < addr.length; j++) {
                        out &= NativeMemory.getLong(addr[j] + off);
                    }
                }
                case OR -> {
                    for (int j = 1; j < addr.length; j++) {
                        out |= NativeMemory.getLong(addr[j] + off);
                    }
                }
                case XOR -> {
                    for (int j = 1; j < addr.length; j++) {
                        out ^= NativeMemory.getLong(addr[j] + off);
                    }
                }
                default -> throw new IllegalStateException(op.name());
            }
            LONGS.set(res, (int) off, out);
        }
        for (int i = i0; i < maxlen; i++) {
            int out = i < len[0] ? NativeMemory.getByte(addr[0] + i) : 0;
            if (op == Op.NOT) {
                out = ~out;
            }
            for (int j = 1; j < addr.length; j++) {
                int b = i < len[j] ? NativeMemory.getByte(addr[j] + i) : 0;
                switch (op) {
                    case AND:
                        out &= b;
                        break;
                    case OR:
                        out |= b;
                        break;
                    case XOR:
                        out ^= b;
                        break;
                    default:
                        break;
                }
            }
            res[i] = (byte) out;
        }
        return res;
    }

    /** One parsed BITFIELD operation. */
    public static final class FieldOp {
        /** GET, SET or INCRBY. */
        public enum Kind { GET, SET, INCRBY }

        final Kind kind;
        final boolean signed;
        final int bits;
        final long offset;
        final long value;
        final int overflow;

        /**
         * @param offset  the absolute bit offset (a {@code #n} offset already multiplied)
         * @param value   SET's value or INCRBY's increment (ignored for GET)
         * @param overflow {@link Bits#WRAP}, {@link Bits#SAT} or {@link Bits#FAIL}
         */
        public FieldOp(Kind kind, boolean signed, int bits, long offset, long value, int overflow) {
            this.kind = kind;
            this.signed = signed;
            this.bits = bits;
            this.offset = offset;
            this.value = value;
            this.overflow = overflow;
        }
    }

    /**
     * BITFIELD / BITFIELD_RO (the caller rejects writes for the latter).
     *
     * @param argv the command, propagated as is when it changes the value (null: a normalised one)
     * @return one reply per operation: its value, or null where OVERFLOW FAIL refused it
     */
    public Long[] bitField(int db, byte[] key, List<FieldOp> ops, byte[][] argv) {
        boolean readonly = true;
        long highest = 0;
        for (FieldOp o : ops) {
            if (o.kind != FieldOp.Kind.GET) {
                readonly = false;
                highest = Math.max(highest, o.offset + o.bits - 1);
            }
        }
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long e;
            long[] grown = new long[1];
            if (readonly) {
                e = Keyspace.entryOf(s, db, ks.lookupRead(s, db, key, Keyspace.hash(key), ks.now(), true), ValueType.STRING);
            } else {
                e = stringForWrite(s, db, key, highest, grown);
            }
            long addr = e == 0 ? 0 : EntryDescriptor.valueAddress(e);
            long len = e == 0 ? 0 : EntryDescriptor.valueLength(e);
            Long[] out = new Long[ops.size()];
            long[] limit = new long[1];
            int changes = 0;
            List<byte[]> prop = new ArrayList<>();
            for (int i = 0; i < out.length; i++) {
                FieldOp o = ops.get(i);
                if (o.kind == FieldOp.Kind.GET) {
                    out[i] = o.signed ? Bits.getSigned(addr, len, o.offset, o.bits) : Bits.getUnsigned(addr, len, o.offset, o.bits);
                    continue;
                }
                long oldval = o.signed ? Bits.getSigned(addr, len, o.offset, o.bits) : Bits.getUnsigned(addr, len, o.offset, o.bits);
                long newval;
                long retval;
                boolean overflow;
                if (o.kind == FieldOp.Kind.INCRBY) {
                    overflow = o.signed ? Bits.signedOverflow(oldval, o.value, o.bits, o.overflow, limit)
                        : Bits.unsignedOverflow(oldval, o.value, o.bits, o.overflow, limit);
                    newval = overflow ? limit[0] : oldval + o.value;
                    retval = newval;
                } else {
                    overflow = o.signed ? Bits.signedOverflow(o.value, 0, o.bits, o.overflow, limit)
                        : Bits.unsignedOverflow(o.value, 0, o.bits, o.overflow, limit);
                    newval = overflow ? limit[0] : o.value;
                    retval = oldval;
                }
                if (overflow && o.overflow == Bits.FAIL) {
                    out[i] = null;
                    continue;
                }
                out[i] = retval;
                Bits.setField(addr, o.offset, o.bits, newval);
                if (grown[0] != 0 || oldval != newval) {
                    changes++;
                }
                prop.add(ascii("OVERFLOW"));
                prop.add(ascii(o.overflow == Bits.WRAP ? "WRAP" : o.overflow == Bits.SAT ? "SAT" : "FAIL"));
                prop.add(ascii(o.kind.name()));
                prop.add(ascii((o.signed ? "i" : "u") + o.bits));
                prop.add(Numbers.formatLong(o.offset));
                prop.add(Numbers.formatLong(o.value));
            }
            if (changes > 0) {
                prop.add(0, key);
                prop.add(0, BITFIELD);
                ks.propagate(db, argv != null ? argv : prop.toArray(new byte[0][]));
                ks.modified(db, key, KeyEvent.SETBIT);
                ks.dirtied(changes - 1);
            }
            return out;
        } finally {
            s.unlock();
        }
    }
}
