package io.redjar.internal.command;

import io.redjar.RedJarException;
import io.redjar.Reply;
import io.redjar.SyntaxException;
import io.redjar.internal.types.BitOps;
import io.redjar.internal.types.Bits;
import io.redjar.internal.util.Numbers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.redjar.internal.command.CommandFlag.DENYOOM;
import static io.redjar.internal.command.CommandFlag.FAST;
import static io.redjar.internal.command.CommandFlag.READONLY;
import static io.redjar.internal.command.CommandFlag.WRITE;
import static io.redjar.internal.command.KeyFlag.ACCESS;
import static io.redjar.internal.command.KeyFlag.OW;
import static io.redjar.internal.command.KeyFlag.RO;
import static io.redjar.internal.command.KeyFlag.RW;
import static io.redjar.internal.command.KeyFlag.UPDATE;
import static io.redjar.internal.command.KeyFlag.VARIABLE_FLAGS;
import static io.redjar.internal.command.KeySpec.index;

/**
 * The bitmap commands' adapter (SETBIT GETBIT BITCOUNT BITPOS BITOP BITFIELD BITFIELD_RO): parses
 * argv in Redis 7.0's order, with its error texts, then calls {@link BitOps}. Arguments Redis
 * parses only after finding the key (BITCOUNT's and BITPOS's ranges) are handed over as a
 * {@link BitOps.Range}.
 */
public final class BitCommands {
    private static final String G = "bitmap";
    private static final String BAD_OFFSET = "ERR bit offset is not an integer or out of range";
    private static final String BAD_BIT = "ERR bit is not an integer or out of range";
    /** The error for a bitfield type outside i1..i64 / u1..u63 (also thrown by the typed handle). */
    public static final String BAD_TYPE =
        "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";

    private BitCommands() {
    }

    /** Adds the bitmap commands to {@code t}, served by {@code ops}. */
    public static void register(CommandTable t, BitOps ops) {
        t.add("setbit", 4).flags(WRITE, DENYOOM)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, ACCESS, UPDATE))
            .doc(G, "Sets or clears the bit at offset in the string value stored at key")
            .handler((c, a) -> {
                long offset = offset(c, a[2], false, 0);
                long on = Args.parseLong(a[3], BAD_BIT);
                if ((on & ~1L) != 0) {
                    throw new RedJarException(BAD_BIT);
                }
                return Reply.integer(ops.setBit(c.db(), a[1], offset, (int) on, a));
            });
        t.add("getbit", 3).flags(READONLY, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RO, ACCESS))
            .doc(G, "Returns the bit value at offset in the string value stored at key")
            .handler((c, a) -> Reply.integer(ops.getBit(c.db(), a[1], offset(c, a[2], false, 0))));
        t.add("bitcount", -2).flags(READONLY)
            .keySpecs(index(1).range(0, 1, 0).flags(RO, ACCESS))
            .doc(G, "Count set bits in a string")
            .handler((c, a) -> Reply.integer(ops.bitCount(c.db(), a[1], bitcountRange(a))));
        t.add("bitpos", -3).flags(READONLY)
            .keySpecs(index(1).range(0, 1, 0).flags(RO, ACCESS))
            .doc(G, "Find first bit set or clear in a string")
            .handler((c, a) -> bitpos(c, a, ops));
        t.add("bitop", -4).flags(WRITE, DENYOOM)
            .keySpecs(index(2).range(0, 1, 0).flags(OW, UPDATE), index(3).range(-1, 1, 0).flags(RO, ACCESS))
            .doc(G, "Perform bitwise operations between strings")
            .handler((c, a) -> bitop(c, a, ops));
        t.add("bitfield", -2).flags(WRITE, DENYOOM)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, ACCESS, UPDATE, VARIABLE_FLAGS)
                .notes("This command allows both access and modification of the key"))
            .getKeys(GetKeysProc.BITFIELD)
            .doc(G, "Perform arbitrary bitfield integer operations on strings")
            .handler((c, a) -> bitfield(c, a, ops, false));
        t.add("bitfield_ro", -2).flags(READONLY, FAST)
            .keySpecs(index(1).range(0, 1, 0).flags(RO, ACCESS))
            .doc(G, "Perform arbitrary bitfield integer operations on strings. Read-only variant of BITFIELD")
            .handler((c, a) -> bitfield(c, a, ops, true));
    }

    /**
     * Redis's {@code getBitOffsetFromArgument}: a bit offset below
     * {@code proto-max-bulk-len * 8}; with {@code hash}, {@code #n} means {@code n * bits}.
     */
    static long offset(ExecContext c, byte[] arg, boolean hash, int bits) {
        boolean useHash = hash && bits > 0 && arg.length > 0 && arg[0] == '#';
        int from = useHash ? 1 : 0;
        if (!Numbers.isLong(arg, from, arg.length - from)) {
            throw new RedJarException(BAD_OFFSET);
        }
        long v = Numbers.parseLong(arg, from, arg.length - from);
        if (useHash) {
            v *= bits;
        }
        return c.engine().bits().checkOffset(v);
    }

    /**
     * A BITCOUNT / BITPOS range of given bounds (the typed handle's: no parsing), resolved against
     * the value's length as the commands resolve theirs.
     *
     * @param end   the inclusive end, or {@code null} for BITPOS's "to the end of the value"
     * @param isBit BIT rather than BYTE units
     */
    public static BitOps.Range range(long start, Long end, boolean isBit) {
        return strlen -> clamp(strlen, start, end != null ? end : (isBit ? (strlen << 3) + 7 : strlen - 1), isBit);
    }

    /** BITCOUNT's range of given bounds: as {@link #range}, and empty when both are negative and start > end. */
    public static BitOps.Range countRange(long start, long end, boolean isBit) {
        return strlen -> start < 0 && end < 0 && start > end ? null : clamp(strlen, start, end, isBit);
    }

    /** Resolves Redis's start/end clamping to an inclusive bit range, or null when empty. */
    private static long[] clamp(long strlen, long start, long end, boolean isBit) {
        long totlen = isBit ? strlen << 3 : strlen;
        if (start < 0) {
            start = totlen + start;
        }
        if (end < 0) {
            end = totlen + end;
        }
        if (start < 0) {
            start = 0;
        }
        if (end < 0) {
            end = 0;
        }
        if (end >= totlen) {
            end = totlen - 1;
        }
        if (start > end) {
            return null;
        }
        return isBit ? new long[] {start, end} : new long[] {start << 3, (end << 3) + 7};
    }

    private static boolean isBitUnit(byte[] arg) {
        if (Args.is(arg, "bit")) {
            return true;
        }
        if (Args.is(arg, "byte")) {
            return false;
        }
        throw new SyntaxException();
    }

    /** BITCOUNT key [start end [BYTE|BIT]]: all parsed after the key lookup, as Redis. */
    private static BitOps.Range bitcountRange(byte[][] a) {
        if (a.length == 2) {
            return null;
        }
        return strlen -> {
            if (a.length != 4 && a.length != 5) {
                throw new SyntaxException();
            }
            long start = Args.parseLong(a[2]);
            long end = Args.parseLong(a[3]);
            if (start < 0 && end < 0 && start > end) {
                return null;
            }
            boolean isBit = a.length == 5 && isBitUnit(a[4]);
            return clamp(strlen, start, end, isBit);
        };
    }

    /** BITPOS key bit [start [end [BYTE|BIT]]]. */
    private static Reply bitpos(ExecContext c, byte[][] a, BitOps ops) {
        long bit = Args.parseLong(a[2]);
        if (bit != 0 && bit != 1) {
            throw new RedJarException("ERR The bit argument must be 1 or 0.");
        }
        if (a.length == 3) {
            return Reply.integer(ops.bitPos(c.db(), a[1], (int) bit, null, false));
        }
        BitOps.Range range = strlen -> {
            if (a.length > 6) {
                throw new SyntaxException();
            }
            long start = Args.parseLong(a[3]);
            boolean isBit = a.length == 6 && isBitUnit(a[5]);
            long end;
            if (a.length >= 5) {
                end = Args.parseLong(a[4]);
            } else {
                end = isBit ? (strlen << 3) + 7 : strlen - 1;
            }
            return clamp(strlen, start, end, isBit);
        };
        return Reply.integer(ops.bitPos(c.db(), a[1], (int) bit, range, a.length >= 5));
    }

    /** BITOP op destkey key [key ...]. */
    private static Reply bitop(ExecContext c, byte[][] a, BitOps ops) {
        BitOps.Op op;
        if (Args.is(a[1], "and")) {
            op = BitOps.Op.AND;
        } else if (Args.is(a[1], "or")) {
            op = BitOps.Op.OR;
        } else if (Args.is(a[1], "xor")) {
            op = BitOps.Op.XOR;
        } else if (Args.is(a[1], "not")) {
            op = BitOps.Op.NOT;
        } else {
            throw new SyntaxException();
        }
        if (op == BitOps.Op.NOT && a.length != 4) {
            throw new RedJarException("ERR BITOP NOT must be called with a single source key.");
        }
        return Reply.integer(ops.bitOp(c.db(), op, a[2], Arrays.copyOfRange(a, 3, a.length), a));
    }

    /** BITFIELD / BITFIELD_RO: every subcommand parsed (and checked) before any is run. */
    private static Reply bitfield(ExecContext c, byte[][] a, BitOps ops, boolean ro) {
        List<BitOps.FieldOp> list = new ArrayList<>();
        int overflow = Bits.WRAP;
        boolean writes = false;
        for (int j = 2; j < a.length; j++) {
            int rem = a.length - j - 1;
            BitOps.FieldOp.Kind kind;
            if (Args.is(a[j], "get") && rem >= 2) {
                kind = BitOps.FieldOp.Kind.GET;
            } else if (Args.is(a[j], "set") && rem >= 3) {
                kind = BitOps.FieldOp.Kind.SET;
            } else if (Args.is(a[j], "incrby") && rem >= 3) {
                kind = BitOps.FieldOp.Kind.INCRBY;
            } else if (Args.is(a[j], "overflow") && rem >= 1) {
                byte[] t = a[++j];
                if (Args.is(t, "wrap")) {
                    overflow = Bits.WRAP;
                } else if (Args.is(t, "sat")) {
                    overflow = Bits.SAT;
                } else if (Args.is(t, "fail")) {
                    overflow = Bits.FAIL;
                } else {
                    throw new RedJarException("ERR Invalid OVERFLOW type specified");
                }
                continue;
            } else {
                throw new SyntaxException();
            }
            byte[] type = a[j + 1];
            boolean signed;
            if (type.length > 0 && type[0] == 'i') {
                signed = true;
            } else if (type.length > 0 && type[0] == 'u') {
                signed = false;
            } else {
                throw new RedJarException(BAD_TYPE);
            }
            int cut = cString(type);
            if (!Numbers.isLong(type, 1, cut - 1)) {
                throw new RedJarException(BAD_TYPE);
            }
            long bits = Numbers.parseLong(type, 1, cut - 1);
            if (bits < 1 || (signed && bits > 64) || (!signed && bits > 63)) {
                throw new RedJarException(BAD_TYPE);
            }
            long offset = offset(c, a[j + 2], true, (int) bits);
            long value = 0;
            if (kind != BitOps.FieldOp.Kind.GET) {
                writes = true;
                value = Args.parseLong(a[j + 3]);
            }
            list.add(new BitOps.FieldOp(kind, signed, (int) bits, offset, value, overflow));
            j += kind == BitOps.FieldOp.Kind.GET ? 2 : 3;
        }
        if (writes && ro) {
            throw new RedJarException("ERR BITFIELD_RO only supports the GET subcommand");
        }
        Long[] r = ops.bitField(c.db(), a[1], list, a);
        List<Reply> out = new ArrayList<>(r.length);
        for (Long v : r) {
            out.add(v == null ? Reply.NULL : Reply.integer(v));
        }
        return Reply.array(out);
    }

    /** Redis reads the type with {@code strlen}: text after a NUL byte is not seen. */
    private static int cString(byte[] b) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return b.length;
    }
}
