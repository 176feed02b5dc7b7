package io.redjar;

import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link Bitmaps} handle against the commands it stands for: seeded random values, ranges and
 * bitfields answered by the handle and by {@code execute} on the same store must agree, and both
 * leave the same bytes.
 */
class BitmapsHandleTest {

    @Test
    void rangesAgreeWithTheCommands() {
        long seed = Seeds.seed();
        System.out.println("BitmapsHandleTest seed=" + seed);
        Random r = new Random(seed);
        try (Store store = Store.open()) {
            Bitmaps bits = store.bitmaps();
            for (int round = 0; round < 300; round++) {
                byte[] v = new byte[r.nextInt(12)];
                r.nextBytes(v);
                store.strings().set("k".getBytes(), v);
                long start = r.nextInt(40) - 20;
                long end = r.nextInt(40) - 20;
                Bitmaps.Unit unit = r.nextBoolean() ? Bitmaps.Unit.BIT : Bitmaps.Unit.BYTE;
                boolean bit = r.nextBoolean();
                String ctx = "seed=" + seed + " value=" + Arrays.toString(v) + " " + start + " " + end + " " + unit;
                assertEquals(store.execute("BITCOUNT", "k", "" + start, "" + end, unit.name()),
                    Reply.integer(bits.bitCount("k", start, end, unit)), ctx);
                assertEquals(store.execute("BITPOS", "k", bit ? "1" : "0", "" + start, "" + end, unit.name()),
                    Reply.integer(bits.bitPos("k", bit, start, end, unit)), ctx);
                assertEquals(store.execute("BITPOS", "k", bit ? "1" : "0", "" + start),
                    Reply.integer(bits.bitPos("k", bit, start)), ctx);
                assertEquals(store.execute("BITPOS", "k", bit ? "1" : "0"), Reply.integer(bits.bitPos("k", bit)), ctx);
            }
            assertEquals(0, bits.bitCount("missing", 0, -1, Bitmaps.Unit.BYTE));
            assertEquals(-1, bits.bitPos("missing", true));
            assertEquals(0, bits.bitPos("missing", false));
        }
    }

    @Test
    void bitOpAndDelegatedBits() {
        try (Store store = Store.open()) {
            Bitmaps bits = store.bitmaps();
            assertFalse(bits.setBit("a", 7, true));
            assertTrue(bits.getBit("a", 7));
            assertTrue(store.strings().getBit("a", 7));
            store.strings().set("b", "\u0003");
            assertEquals(1, bits.bitOp(Bitmaps.Op.AND, "and", "a", "b"));
            assertEquals(Reply.bulk("\u0001"), store.execute("GET", "and"));
            assertEquals(1, bits.bitOp(Bitmaps.Op.OR, "or", "a", "b", "missing"));
            assertEquals(2, bits.bitCount("or"));
            assertEquals(1, bits.bitOp(Bitmaps.Op.XOR, "xor", "a", "b"));
            assertEquals(Reply.bulk("\u0002"), store.execute("GET", "xor"));
            assertEquals(1, bits.bitOp(Bitmaps.Op.NOT, "not", "a"));
            assertEquals(Reply.bulk("\u00fe".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)), store.execute("GET", "not"));
            assertEquals(0, bits.bitOp(Bitmaps.Op.OR, "or", "missing"));
            assertEquals(Reply.integer(0), store.execute("EXISTS", "or")); // an empty result deletes dest
            RedJarException e = assertThrows(RedJarException.class, () -> bits.bitOp(Bitmaps.Op.NOT, "n", "a", "b"));
            assertEquals("ERR BITOP NOT must be called with a single source key.", e.getMessage());
            store.execute("RPUSH", "list", "x");
            assertThrows(WrongTypeException.class, () -> bits.bitOp(Bitmaps.Op.AND, "d", "list"));
            assertThrows(WrongTypeException.class, () -> bits.bitCount("list", 0, 1, Bitmaps.Unit.BIT));
            assertThrows(NullPointerException.class, () -> bits.bitOp(Bitmaps.Op.AND, "d", "a", null));
            assertThrows(NullPointerException.class, () -> bits.bitCount("a", 0, 1, null));
        }
    }

    /** BITOP (word at a time while every source has 8 bytes, then bytewise) against a plain model. */
    @Test
    void bitOpMatchesAModel() {
        long seed = Seeds.seed();
        System.out.println("BitmapsHandleTest.bitOp seed=" + seed);
        Random r = new Random(seed);
        try (Store store = Store.open()) {
            Bitmaps bits = store.bitmaps();
            for (int round = 0; round < 500; round++) {
                Bitmaps.Op op = Bitmaps.Op.values()[r.nextInt(4)];
                int n = op == Bitmaps.Op.NOT ? 1 : 1 + r.nextInt(4);
                byte[][] src = new byte[n][];
                String[] keys = new String[n];
                int max = 0;
                for (int j = 0; j < n; j++) {
                    keys[j] = "s" + j;
                    src[j] = new byte[r.nextInt(5) == 0 ? 0 : r.nextInt(70)];
                    r.nextBytes(src[j]);
                    max = Math.max(max, src[j].length);
                    if (src[j].length == 0) {
                        store.execute("DEL", keys[j]);
                    } else {
                        store.strings().set(keys[j].getBytes(), src[j]);
                    }
                }
                byte[] expected = new byte[max];
                for (int i = 0; i < max; i++) {
                    int out = i < src[0].length ? src[0][i] : 0;
                    if (op == Bitmaps.Op.NOT) {
                        out = ~out;
                    }
                    for (int j = 1; j < n; j++) {
                        int b = i < src[j].length ? src[j][i] : 0;
                        out = switch (op) {
                            case AND -> out & b;
                            case OR -> out | b;
                            case XOR -> out ^ b;
                            case NOT -> out;
                        };
                    }
                    expected[i] = (byte) out;
                }
                assertEquals(max, bits.bitOp(op, "dest", keys), "seed=" + seed);
                Reply got = store.execute("GET", "dest");
                assertEquals(max == 0 ? Reply.NULL : new Reply.Bulk(expected), got, "seed=" + seed + " " + op + " round " + round);
            }
        }
    }

    @Test
    void bitFieldAgreesWithTheCommand() {
        long seed = Seeds.seed();
        System.out.println("BitmapsHandleTest.bitField seed=" + seed);
        Random r = new Random(seed);
        try (Store store = Store.open()) {
            Bitmaps bits = store.bitmaps();
            for (int round = 0; round < 300; round++) {
                List<String> argv = new ArrayList<>(List.of("BITFIELD", "cmd"));
                Bitmaps.BitField f = bits.bitField("handle");
                for (int n = 1 + r.nextInt(4); n > 0; n--) {
                    boolean signed = r.nextBoolean();
                    Bitmaps.Type t = signed ? Bitmaps.Type.signed(1 + r.nextInt(64)) : Bitmaps.Type.unsigned(1 + r.nextInt(63));
                    boolean indexed = r.nextInt(4) == 0;
                    long off = r.nextInt(indexed ? 4 : 80);
                    long value = r.nextInt(3) == 0 ? r.nextLong() : r.nextInt(2000) - 1000;
                    String offArg = (indexed ? "#" : "") + off;
                    switch (r.nextInt(4)) {
                        case 0 -> {
                            argv.addAll(List.of("GET", t.toString(), offArg));
                            f = indexed ? f.getAt(t, off) : f.get(t, off);
                        }
                        case 1 -> {
                            argv.addAll(List.of("SET", t.toString(), offArg, "" + value));
                            f = indexed ? f.setAt(t, off, value) : f.set(t, off, value);
                        }
                        case 2 -> {
                            argv.addAll(List.of("INCRBY", t.toString(), offArg, "" + value));
                            f = indexed ? f.incrByAt(t, off, value) : f.incrBy(t, off, value);
                        }
                        default -> {
                            Bitmaps.Overflow o = Bitmaps.Overflow.values()[r.nextInt(3)];
                            argv.addAll(List.of("OVERFLOW", o.name()));
                            f = f.overflow(o);
                        }
                    }
                }
                Reply expected = store.execute(argv.toArray(new String[0]));
                List<Reply> got = new ArrayList<>();
                for (Long v : f.execute()) {
                    got.add(v == null ? Reply.NULL : Reply.integer(v));
                }
                assertEquals(expected, Reply.array(got), "seed=" + seed + " " + argv);
                assertEquals(store.execute("GET", "cmd"), store.execute("GET", "handle"), "seed=" + seed + " " + argv);
            }
            List<Long> ro = bits.bitFieldRo("handle").overflow(Bitmaps.Overflow.SAT).get(Bitmaps.Type.signed(64), 0).execute();
            assertEquals(store.execute("BITFIELD_RO", "cmd", "GET", "i64", "0"), Reply.array(List.of(Reply.integer(ro.get(0)))));
            RedJarException e = assertThrows(RedJarException.class,
                () -> bits.bitFieldRo("handle").set(Bitmaps.Type.unsigned(8), 0, 1).execute());
            assertEquals("ERR BITFIELD_RO only supports the GET subcommand", e.getMessage());
            e = assertThrows(RedJarException.class, () -> Bitmaps.Type.unsigned(64));
            assertEquals("ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.",
                e.getMessage());
            assertThrows(RedJarException.class, () -> Bitmaps.Type.signed(65));
            assertThrows(RedJarException.class, () -> bits.bitField("x").get(Bitmaps.Type.unsigned(8), 4294967296L));
            assertThrows(RedJarException.class, () -> bits.bitField("x").getAt(Bitmaps.Type.unsigned(8), -1));
        }
    }
}
