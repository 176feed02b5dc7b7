package io.redjar;

import io.redjar.internal.Engine;
import io.redjar.internal.command.BitCommands;
import io.redjar.internal.command.CallPath;
import io.redjar.internal.types.BitOps;
import io.redjar.internal.types.Bits;
import io.redjar.internal.util.Preconditions;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Bitmap commands on one database, called directly (no parsing): SETBIT, GETBIT, BITCOUNT and
 * BITPOS with ranges in BYTE or BIT units, BITOP, and BITFIELD / BITFIELD_RO through a builder.
 * A bitmap is a string value (bit 0 is the most significant bit of the first byte), so the same
 * key works with {@link Strings}; {@link #setBit}, {@link #getBit} and {@link #bitCount(String)}
 * are {@link Strings}' own.
 *
 * <pre>{@code
 * Bitmaps bits = store.bitmaps();
 * bits.setBit("visits", 7, true);
 * long n = bits.bitCount("visits", 0, -1, Bitmaps.Unit.BIT);                  // 1
 * long first = bits.bitPos("visits", true);                                    // 7
 * List<Long> r = bits.bitField("counters")
 *     .incrBy(Bitmaps.Type.unsigned(8), 0, 200)
 *     .overflow(Bitmaps.Overflow.SAT).incrBy(Bitmaps.Type.unsigned(8), 0, 100)
 *     .execute();                                                               // [200, 255]
 * }</pre>
 *
 * <p>Results and errors are Redis's ({@code ERR bit offset is not an integer or out of range} for
 * an offset below 0 or at or past {@code proto-max-bulk-len * 8}, {@link WrongTypeException} for a
 * key holding another type). Each call, a whole BITFIELD included, is one atomic command.
 *
 * <p><b>Arguments:</b> a null argument, or a null element of an array argument, is rejected with
 * {@link NullPointerException} naming it before the store is touched.
 *
 * <p><b>Thread-safety:</b> thread-safe; a {@link BitField} builder is not (build it on one thread).
 */
public final class Bitmaps {

    /** The unit of a BITCOUNT / BITPOS range. */
    public enum Unit {
        /** Byte offsets (Redis's default). */
        BYTE,
        /** Bit offsets. */
        BIT
    }

    /** BITOP's operations. */
    public enum Op {
        /** Bitwise AND of every source (missing ones are zero bytes). */
        AND,
        /** Bitwise OR. */
        OR,
        /** Bitwise XOR. */
        XOR,
        /** Bitwise NOT of a single source. */
        NOT
    }

    /** BITFIELD's OVERFLOW behaviours for SET and INCRBY. */
    public enum Overflow {
        /** Wrap around (the default). */
        WRAP,
        /** Saturate at the type's minimum or maximum. */
        SAT,
        /** Refuse the operation (its reply is null) and leave the field unchanged. */
        FAIL
    }

    /**
     * A BITFIELD integer type: {@code i1..i64} or {@code u1..u63}.
     *
     * @param signed two's complement rather than unsigned
     * @param bits   the width
     */
    public record Type(boolean signed, int bits) {
        /**
         * @throws RedJarException Redis's {@code ERR Invalid bitfield type ...} for a width
         *                         outside 1..64 (signed) or 1..63 (unsigned)
         */
        public Type {
            if (bits < 1 || (signed && bits > 64) || (!signed && bits > 63)) {
                throw new RedJarException(BitCommands.BAD_TYPE);
            }
        }

        /** @return {@code i<bits>} */
        public static Type signed(int bits) {
            return new Type(true, bits);
        }

        /** @return {@code u<bits>} */
        public static Type unsigned(int bits) {
            return new Type(false, bits);
        }

        @Override
        public String toString() {
            return (signed ? "i" : "u") + bits;
        }
    }

    private final Engine engine;
    private final CallPath path;
    private final Strings strings;
    private final int db;

    Bitmaps(Engine engine, int db, Strings strings) {
        this.engine = engine;
        this.path = engine.callPath();
        this.strings = strings;
        this.db = db;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** SETBIT ({@link Strings#setBit(String, long, boolean)}): @return the bit's previous value */
    public boolean setBit(String key, long offset, boolean on) {
        return strings.setBit(key, offset, on);
    }

    /** SETBIT ({@link Strings#setBit(byte[], long, boolean)}): @return the bit's previous value */
    public boolean setBit(byte[] key, long offset, boolean on) {
        return strings.setBit(key, offset, on);
    }

    /** GETBIT ({@link Strings#getBit(String, long)}): false for a missing key or past the end. */
    public boolean getBit(String key, long offset) {
        return strings.getBit(key, offset);
    }

    /** GETBIT ({@link Strings#getBit(byte[], long)}). */
    public boolean getBit(byte[] key, long offset) {
        return strings.getBit(key, offset);
    }

    /** BITCOUNT of the whole value ({@link Strings#bitCount(String)}); 0 for a missing key. */
    public long bitCount(String key) {
        return strings.bitCount(key);
    }

    /**
     * {@code BITCOUNT key start end BYTE|BIT}: the set bits between {@code start} and {@code end}
     * inclusive, negative positions counting from the end, clamped to the value as Redis clamps.
     */
    public long bitCount(String key, long start, long end, Unit unit) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(unit, "unit");
        return bitCount(b(key), start, end, unit);
    }

    /** {@code BITCOUNT key start end BYTE|BIT}. */
    public long bitCount(byte[] key, long start, long end, Unit unit) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(unit, "unit");
        BitOps.Range r = BitCommands.countRange(start, end, unit == Unit.BIT);
        return path.call("bitcount", db, o -> o.bits().bitCount(db, key, r));
    }

    /**
     * {@code BITPOS key bit}: the first bit set to {@code bit}; -1 when looking for a set bit that
     * is not there, the length in bits when looking for a clear bit in a value of set bits (a
     * missing key is all clear bits: 0, or -1 for a set bit).
     */
    public long bitPos(String key, boolean bit) {
        Preconditions.notNull(key, "key");
        return path.call("bitpos", db, o -> o.bits().bitPos(db, b(key), bit ? 1 : 0, null, false));
    }

    /** {@code BITPOS key bit start}: from byte {@code start} to the end of the value. */
    public long bitPos(String key, boolean bit, long start) {
        Preconditions.notNull(key, "key");
        BitOps.Range r = BitCommands.range(start, null, false);
        return path.call("bitpos", db, o -> o.bits().bitPos(db, b(key), bit ? 1 : 0, r, false));
    }

    /**
     * {@code BITPOS key bit start end BYTE|BIT}: within the range only (-1 when a clear bit is
     * looked for and the range has none).
     */
    public long bitPos(String key, boolean bit, long start, long end, Unit unit) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(unit, "unit");
        BitOps.Range r = BitCommands.range(start, end, unit == Unit.BIT);
        return path.call("bitpos", db, o -> o.bits().bitPos(db, b(key), bit ? 1 : 0, r, true));
    }

    /**
     * {@code BITOP op dest source...}: stores the result in {@code dest} (deleted when every
     * source is missing or empty).
     *
     * @return the result's length in bytes (the longest source's)
     * @throws RedJarException {@code ERR BITOP NOT must be called with a single source key.}
     */
    public long bitOp(Op op, String dest, String... sources) {
        Preconditions.notNull(op, "op");
        Preconditions.notNull(dest, "dest");
        Preconditions.noNullElements(sources, "sources");
        byte[][] src = new byte[sources.length][];
        for (int i = 0; i < src.length; i++) {
            src[i] = b(sources[i]);
        }
        return bitOp(op, b(dest), src);
    }

    /** {@code BITOP op dest source...} with binary keys. */
    public long bitOp(Op op, byte[] dest, byte[]... sources) {
        Preconditions.notNull(op, "op");
        Preconditions.notNull(dest, "dest");
        Preconditions.noNullElements(sources, "sources");
        if (sources.length == 0) {
            throw new RedJarException("ERR wrong number of arguments for 'bitop' command");
        }
        if (op == Op.NOT && sources.length != 1) {
            throw new RedJarException("ERR BITOP NOT must be called with a single source key.");
        }
        BitOps.Op internal = BitOps.Op.valueOf(op.name());
        byte[][] src = sources.clone();
        return path.call("bitop", db, o -> o.bits().bitOp(db, internal, dest, src, null));
    }

    /** @return a BITFIELD on {@code key}: add operations, then {@link BitField#execute()} */
    public BitField bitField(String key) {
        Preconditions.notNull(key, "key");
        return new BitField(b(key), false);
    }

    /** @return a BITFIELD on a binary {@code key} */
    public BitField bitField(byte[] key) {
        Preconditions.notNull(key, "key");
        return new BitField(key.clone(), false);
    }

    /**
     * @return a BITFIELD_RO on {@code key}: GETs only (a SET or INCRBY makes {@link BitField#execute()}
     *         throw {@code ERR BITFIELD_RO only supports the GET subcommand}, as Redis; OVERFLOW is accepted)
     */
    public BitField bitFieldRo(String key) {
        Preconditions.notNull(key, "key");
        return new BitField(b(key), true);
    }

    /**
     * The operations of one BITFIELD (or BITFIELD_RO) call, run in order and atomically by
     * {@link #execute()}. Offsets are bit offsets; the {@code ...At} forms take an index in units
     * of the type's width (Redis's {@code #n}).
     */
    public final class BitField {
        private final byte[] key;
        private final boolean readOnly;
        private final List<BitOps.FieldOp> ops = new ArrayList<>();
        private int overflow = Bits.WRAP;
        private boolean writes;

        private BitField(byte[] key, boolean readOnly) {
            this.key = key;
            this.readOnly = readOnly;
        }

        private BitField add(BitOps.FieldOp.Kind kind, Type type, long offset, long value) {
            Preconditions.notNull(type, "type");
            long bitOffset = engine.bits().checkOffset(offset);
            ops.add(new BitOps.FieldOp(kind, type.signed(), type.bits(), bitOffset, value, overflow));
            writes |= kind != BitOps.FieldOp.Kind.GET;
            return this;
        }

        private long at(Type type, long index) {
            Preconditions.notNull(type, "type");
            if (index < 0 || index > Long.MAX_VALUE / type.bits()) {
                throw new RedJarException("ERR bit offset is not an integer or out of range");
            }
            return index * type.bits();
        }

        /** GET type offset. */
        public BitField get(Type type, long offset) {
            return add(BitOps.FieldOp.Kind.GET, type, offset, 0);
        }

        /** GET type #index. */
        public BitField getAt(Type type, long index) {
            return get(type, at(type, index));
        }

        /** SET type offset value: its reply is the field's previous value. */
        public BitField set(Type type, long offset, long value) {
            return add(BitOps.FieldOp.Kind.SET, type, offset, value);
        }

        /** SET type #index value. */
        public BitField setAt(Type type, long index, long value) {
            return set(type, at(type, index), value);
        }

        /** INCRBY type offset increment: its reply is the new value. */
        public BitField incrBy(Type type, long offset, long increment) {
            return add(BitOps.FieldOp.Kind.INCRBY, type, offset, increment);
        }

        /** INCRBY type #index increment. */
        public BitField incrByAt(Type type, long index, long increment) {
            return incrBy(type, at(type, index), increment);
        }

        /** OVERFLOW WRAP|SAT|FAIL for the SETs and INCRBYs added after it. */
        public BitField overflow(Overflow mode) {
            Preconditions.notNull(mode, "mode");
            overflow = switch (mode) {
                case WRAP -> Bits.WRAP;
                case SAT -> Bits.SAT;
                case FAIL -> Bits.FAIL;
            };
            return this;
        }

        /**
         * Runs the operations as one command.
         *
         * @return one entry per GET, SET and INCRBY in order: its value, or null where OVERFLOW
         *         FAIL refused it
         */
        public List<Long> execute() {
            if (readOnly && writes) {
                throw new RedJarException("ERR BITFIELD_RO only supports the GET subcommand");
            }
            List<BitOps.FieldOp> list = List.copyOf(ops);
            Long[] r = path.call(readOnly ? "bitfield_ro" : "bitfield", db, o -> o.bits().bitField(db, key, list, null));
            return java.util.Collections.unmodifiableList(Arrays.asList(r));
        }
    }
}
