package io.redjar.internal.command;

import io.redjar.Reply;
import io.redjar.Store;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.redjar.internal.command.KeyFlag.ACCESS;
import static io.redjar.internal.command.KeyFlag.DELETE;
import static io.redjar.internal.command.KeyFlag.INCOMPLETE;
import static io.redjar.internal.command.KeyFlag.INSERT;
import static io.redjar.internal.command.KeyFlag.NOT_KEY;
import static io.redjar.internal.command.KeyFlag.OW;
import static io.redjar.internal.command.KeyFlag.RO;
import static io.redjar.internal.command.KeyFlag.RW;
import static io.redjar.internal.command.KeyFlag.UPDATE;
import static io.redjar.internal.command.KeyFlag.VARIABLE_FLAGS;
import static io.redjar.internal.command.KeySpec.index;
import static io.redjar.internal.command.KeySpec.keyword;
import static io.redjar.internal.command.KeySpec.unknown;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link KeyExtractor}, {@link LegacyKeyRange} and {@link GetKeysProc} on hand-built specs. */
class KeyExtractorTest {

    private static CommandSpec cmd(int arity, GetKeysProc proc, KeySpec... specs) {
        CommandTable.Row row = new CommandTable().add("x", arity).keySpecs(specs);
        if (proc != null) {
            row.getKeys(proc);
        }
        return row.handler((c, a) -> Reply.OK);
    }

    private static byte[][] argv(String line) {
        String[] w = line.split(" ", -1);
        byte[][] out = new byte[w.length][];
        for (int i = 0; i < w.length; i++) {
            out[i] = w[i].replace("\\0", "\0").getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    private static int[] keys(CommandSpec c, String line) {
        KeyRefs out = new KeyRefs();
        int n = KeyExtractor.keys(c, argv(line), out);
        assertEquals(n, out.count());
        return out.positions();
    }

    private static int[] partial(CommandSpec c, String line, int flags) {
        KeyRefs out = new KeyRefs();
        KeyExtractor.keys(c, argv(line), flags, out);
        return out.positions();
    }

    @Test
    void indexRange() {
        CommandSpec get = cmd(2, null, index(1).range(0, 1, 0).flags(RO, ACCESS));
        assertArrayEquals(new int[] {1}, keys(get, "get k"));
        CommandSpec mset = cmd(-3, null, index(1).range(-1, 2, 0).flags(OW, UPDATE));
        assertArrayEquals(new int[] {1, 3}, keys(mset, "mset a 1 b 2"));
        assertArrayEquals(new int[] {1, 3}, keys(mset, "mset a 1 b"));
        CommandSpec blpop = cmd(-3, null, index(1).range(-2, 1, 0).flags(RW, ACCESS, DELETE));
        assertArrayEquals(new int[] {1, 2, 3}, keys(blpop, "blpop a b c 0"));
        // the range ends before it starts: the spec fails, no proc, no keys
        assertArrayEquals(new int[] {}, keys(blpop, "blpop 0"));
        KeyRefs out = new KeyRefs();
        KeyExtractor.keys(get, argv("get k"), out);
        assertEquals(RO.mask() | ACCESS.mask(), out.flags(0));
    }

    @Test
    void severalSpecsInOrderWithTheirFlags() {
        CommandSpec lmove = cmd(5, null, index(1).range(0, 1, 0).flags(RW, ACCESS, DELETE), index(2).range(0, 1, 0).flags(RW, INSERT));
        KeyRefs out = new KeyRefs();
        assertEquals(2, KeyExtractor.keys(lmove, argv("lmove a b left right"), out));
        assertEquals(List.of(RW, ACCESS, DELETE), KeyFlag.of(out.flags(0)));
        assertEquals(List.of(RW, INSERT), KeyFlag.of(out.flags(1)));
    }

    @Test
    void keywordBeginAndRangeLimit() {
        // XREAD: keys after STREAMS (searched from 1 forward, the last word never), half of the rest
        CommandSpec xread = cmd(-4, null, keyword("STREAMS", 1).range(-1, 1, 2).flags(RO, ACCESS));
        assertArrayEquals(new int[] {2, 3}, keys(xread, "xread streams a b 0 0"));
        assertArrayEquals(new int[] {4}, keys(xread, "xread COUNT 1 STREAMS a 0"));
        assertArrayEquals(new int[] {}, keys(xread, "xread count 1 block 0 streams")); // the last word is not searched
        // a keyword searched backwards (startfrom -2): from argc-2 down to 2, argument 1 never
        CommandSpec back = cmd(-2, null, keyword("KEYS", -2).range(-1, 1, 0).flags(RW));
        assertArrayEquals(new int[] {5, 6}, keys(back, "m x keys y KEYS a b"));
        assertArrayEquals(new int[] {}, keys(back, "m keys a"));
        // an absent keyword skips the spec; the others still count
        CommandSpec store = cmd(-2, null, index(1).range(0, 1, 0).flags(RO), keyword("STORE", 2).range(0, 1, 0).flags(OW));
        assertArrayEquals(new int[] {1}, keys(store, "c k a b"));
        assertArrayEquals(new int[] {1, 4}, keys(store, "c k a store d e"));
    }

    @Test
    void keynum() {
        CommandSpec zunionstore = cmd(-4, null, index(1).range(0, 1, 0).flags(OW, UPDATE), index(2).keynum(0, 1, 1).flags(RO, ACCESS));
        assertArrayEquals(new int[] {1, 3, 4}, keys(zunionstore, "z d 2 a b weights 1 2"));
        assertArrayEquals(new int[] {}, keys(zunionstore, "z d 0 a")); // no keys: the spec fails as a whole
        assertArrayEquals(new int[] {}, keys(zunionstore, "z d -1 a"));
        assertArrayEquals(new int[] {}, keys(zunionstore, "z d 3 a b"));
        assertArrayEquals(new int[] {}, keys(zunionstore, "z d 2abc a b"));
        assertArrayEquals(new int[] {}, keys(zunionstore, "z d +2 a b")); // string2ll: no '+'
        assertArrayEquals(new int[] {1, 3}, keys(zunionstore, "z d 4294967297 a b")); // (int) keeps the low 32 bits
        // with the command's proc the failed cases fall back to it (Redis's genericGetKeys)
        CommandSpec withProc = cmd(-4, GetKeysProc.STORE_NUMKEYS, zunionstore.keySpecs().toArray(new KeySpec[0]));
        assertArrayEquals(new int[] {3, 4, 1}, keys(withProc, "z d 2abc a b")); // atoi: 2, store key last, no flags
        assertArrayEquals(new int[] {}, keys(withProc, "z d 0 a"));
    }

    @Test
    void incompleteNotKeyAndPartialResults() {
        CommandSpec migrate = cmd(-6, null, index(3).range(0, 1, 0).flags(RW, ACCESS, DELETE),
            keyword("KEYS", -2).range(-1, 1, 0).flags(RW, ACCESS, DELETE, INCOMPLETE));
        assertArrayEquals(new int[] {}, keys(migrate, "migrate h p k 0 1000 KEYS a b"));
        assertArrayEquals(new int[] {3, 7, 8}, partial(migrate, "migrate h p k 0 1000 KEYS a b", KeyExtractor.RETURN_PARTIAL));
        // an absent keyword skips the spec before its incompleteness counts: the specs answer
        assertArrayEquals(new int[] {3}, keys(migrate, "migrate h p k 0 1000"));
        CommandSpec withProc = cmd(-6, GetKeysProc.MIGRATE, migrate.keySpecs().toArray(new KeySpec[0]));
        // found by KeySpecsDifferentialTest: KEYS as the last word is never searched (startfrom -2)
        assertArrayEquals(new int[] {3}, keys(withProc, "migrate 0 -1 k2 9223372036854775808 limit STREAMS v right keys"));
        assertArrayEquals(new int[] {7, 8}, keys(withProc, "migrate h p  0 1000 KEYS a b"));
        assertArrayEquals(new int[] {}, keys(withProc, "migrate h p k 0 1000 KEYS a b")); // both: a syntax error
        // AUTH skips its password, here the word "keys": the list starts after the second KEYS
        assertArrayEquals(new int[] {9}, keys(withProc, "migrate h p  0 1000 AUTH keys KEYS x"));

        CommandSpec notKey = cmd(-2, null, index(1).range(0, 1, 0).flags(RO, NOT_KEY), index(2).range(0, 1, 0).flags(RW));
        assertArrayEquals(new int[] {2}, keys(notKey, "c a b"));
        assertArrayEquals(new int[] {1, 2}, partial(notKey, "c a b", KeyExtractor.INCLUDE_NOT_KEYS));
        CommandSpec onlyNotKey = cmd(-2, null, index(1).range(0, 1, 0).flags(RO, NOT_KEY));
        assertFalse(KeyExtractor.mayHaveKeys(onlyNotKey));
        assertArrayEquals(new int[] {}, keys(onlyNotKey, "c a"));
        assertTrue(KeyExtractor.mayHaveKeys(notKey));
        assertFalse(KeyExtractor.mayHaveKeys(cmd(-1, null)));
        assertTrue(KeyExtractor.mayHaveKeys(cmd(-1, GetKeysProc.SORT_RO)));
    }

    @Test
    void variableFlagsAndUnknownSpecsUseTheProc() {
        KeySpec setSpec = index(1).range(0, 1, 0).flags(RW, ACCESS, UPDATE, VARIABLE_FLAGS);
        CommandSpec set = cmd(-3, GetKeysProc.SET, setSpec);
        KeyRefs out = new KeyRefs();
        KeyExtractor.keys(set, argv("set k v"), out);
        assertEquals(List.of(OW, UPDATE), KeyFlag.of(out.flags(0)));
        KeyExtractor.keys(set, argv("set k v ex 1 GeT"), out);
        assertEquals(List.of(RW, ACCESS, UPDATE), KeyFlag.of(out.flags(0)));
        KeyExtractor.keys(set, argv("set k v get\\0junk"), out); // strcasecmp stops at NUL
        assertEquals(List.of(RW, ACCESS, UPDATE), KeyFlag.of(out.flags(0)));
        // without a proc, variable flags give nothing
        assertArrayEquals(new int[] {}, keys(cmd(-3, null, setSpec), "set k v"));

        CommandSpec sort = cmd(-2, GetKeysProc.SORT, index(1).range(0, 1, 0).flags(RO, ACCESS),
            unknown().unknownKeys().flags(RO, ACCESS), unknown().unknownKeys().flags(OW, UPDATE));
        assertArrayEquals(new int[] {1, 3}, keys(sort, "sort abc store def"));
        assertArrayEquals(new int[] {1, 7}, keys(sort, "sort abc store invalid store stillbad store def"));
        assertArrayEquals(new int[] {1}, keys(sort, "sort abc limit store x store")); // LIMIT skips two, STORE last has no key
        assertArrayEquals(new int[] {1}, keys(sort, "sort abc by store get store"));
        assertArrayEquals(new int[] {1, 3}, keys(sort, "sort abc STORE\\0junk d"));
        KeyExtractor.keys(sort, argv("sort k1 store k2"), out);
        assertEquals(List.of(OW, UPDATE), KeyFlag.of(out.flags(1)));
        assertArrayEquals(new int[] {1}, keys(cmd(-2, GetKeysProc.SORT_RO, index(1).range(0, 1, 0).flags(RO, ACCESS),
            unknown().unknownKeys().flags(RO, ACCESS)), "sort_ro k store d"));
    }

    @Test
    void bitfieldGeoradiusAndXreadProcs() {
        KeyRefs out = new KeyRefs();
        GetKeysProc.BITFIELD.find(argv("bitfield k get u8 0 overflow wrap get i4 2"), out);
        assertEquals(List.of(RO, ACCESS), KeyFlag.of(out.flags(0)));
        out.clear();
        GetKeysProc.BITFIELD.find(argv("bitfield k get u8 0 incrby u8 0 1"), out);
        assertEquals(List.of(RW, ACCESS, UPDATE), KeyFlag.of(out.flags(0)));
        out.clear();
        GetKeysProc.BITFIELD.find(argv("bitfield k get u8"), out); // a syntax error counts as a write
        assertEquals(List.of(RW, ACCESS, UPDATE), KeyFlag.of(out.flags(0)));
        out.clear();
        GetKeysProc.GEORADIUS.find(argv("georadius k 0 0 1 m store a storedist b"), out);
        assertArrayEquals(new int[] {1, 9}, out.positions());
        out.clear();
        GetKeysProc.XREAD.find(argv("xread count 1 streams a b 0 0"), out);
        assertArrayEquals(new int[] {4, 5}, out.positions());
        out.clear();
        GetKeysProc.XREAD.find(argv("xread streams a b 0"), out);
        assertArrayEquals(new int[] {}, out.positions());
    }

    @Test
    void atoiIsGlibcs() {
        String[][] cases = {
            {"12abc", "12"}, {" -3", "-3"}, {"+4", "4"}, {"abc", "0"}, {"", "0"}, {"\t\n5", "5"}, {"- 5", "0"},
            {"4294967297", "1"}, {"2147483648", "-2147483648"}, {"9223372036854775807", "-1"},
            {"9223372036854775808", "-1"}, {"99999999999999999999999", "-1"}, {"-9223372036854775808", "0"},
            {"-9223372036854775809", "0"}, {"-99999999999999999999", "0"}, {"007", "7"},
        };
        for (String[] c : cases) {
            assertEquals(Integer.parseInt(c[1]), GetKeysProc.atoi(c[0].getBytes(StandardCharsets.UTF_8)), "atoi(\"" + c[0] + "\")");
        }
        assertTrue(GetKeysProc.cEquals("STORE\0x".getBytes(StandardCharsets.UTF_8), "store"));
        assertFalse(GetKeysProc.cEquals("stor".getBytes(StandardCharsets.UTF_8), "store"));
        assertFalse(GetKeysProc.cEquals("storex".getBytes(StandardCharsets.UTF_8), "store"));
    }

    @Test
    void legacyRangeAsPopulateCommandLegacyRangeSpec() {
        assertEquals(LegacyKeyRange.NONE, LegacyKeyRange.of(List.of()));
        assertEquals(new LegacyKeyRange(1, 1, 1, false), LegacyKeyRange.of(List.of(index(1).range(0, 1, 0).flags(RO))));
        assertEquals(new LegacyKeyRange(1, -1, 2, false), LegacyKeyRange.of(List.of(index(1).range(-1, 2, 0).flags(OW))));
        assertEquals(new LegacyKeyRange(1, 1, 1, true), LegacyKeyRange.of(List.of(index(1).range(0, 1, 0).flags(RO, INCOMPLETE))));
        // consecutive ranges merge (RENAME, LMOVE, LCS)
        assertEquals(new LegacyKeyRange(1, 2, 1, false),
            LegacyKeyRange.of(List.of(index(1).range(0, 1, 0).flags(RW), index(2).range(0, 1, 0).flags(OW))));
        // a negative last key wins as an unsigned maximum (SDIFFSTORE)
        assertEquals(new LegacyKeyRange(1, -1, 1, false),
            LegacyKeyRange.of(List.of(index(1).range(0, 1, 0).flags(OW), index(2).range(-1, 1, 0).flags(RO))));
        // a gap, a step of 2, or a keynum spec is skipped and makes the keys movable
        assertEquals(new LegacyKeyRange(1, 1, 1, true),
            LegacyKeyRange.of(List.of(index(1).range(0, 1, 0).flags(RW), index(3).range(0, 1, 0).flags(RW))));
        assertEquals(new LegacyKeyRange(1, 1, 1, true),
            LegacyKeyRange.of(List.of(index(1).range(0, 1, 0).flags(RW), index(2).range(-1, 2, 0).flags(RW))));
        assertEquals(new LegacyKeyRange(1, 1, 1, true),
            LegacyKeyRange.of(List.of(index(1).range(0, 1, 0).flags(OW), index(2).keynum(0, 1, 1).flags(RO))));
        // no range at all: empty triple, movable (ZUNION, SORT's unknowns with no range)
        assertEquals(new LegacyKeyRange(0, 0, 0, true), LegacyKeyRange.of(List.of(index(1).keynum(0, 1, 1).flags(RO))));
        assertEquals(new LegacyKeyRange(0, 0, 0, true), LegacyKeyRange.of(List.of(keyword("STREAMS", 1).range(-1, 1, 2).flags(RO))));
    }

    @Test
    void tableRowsDeriveMovableKeysAndRejectAWrongDeclaration() {
        CommandTable t = new CommandTable();
        CommandSpec z = t.add("zunion", -3).keySpecs(index(1).keynum(0, 1, 1).flags(RO, ACCESS)).handler((c, a) -> Reply.OK);
        assertTrue(z.has(CommandFlag.MOVABLE_KEYS));
        assertEquals(0, z.firstKey());
        assertThrows(IllegalStateException.class, () -> t.add("get", 2).flags(CommandFlag.MOVABLE_KEYS)
            .keySpecs(index(1).range(0, 1, 0).flags(RO)).handler((c, a) -> Reply.OK));
        @SuppressWarnings("deprecation")
        CommandSpec legacy = t.add("old", -2).keys(1, -1, 1).handler((c, a) -> Reply.OK);
        assertTrue(legacy.legacyDeclared());
        assertEquals(List.of(1, -1, 1), List.of(legacy.firstKey(), legacy.lastKey(), legacy.step()));
        assertThrows(IllegalArgumentException.class, () -> index(0));
        assertThrows(IllegalArgumentException.class, () -> index(1).range(0, 1, 2));
    }

    @Test
    void everyRowOfTheStoreTableDeclaresKeySpecs() {
        try (Store store = Store.open()) {
            List<String> legacy = new ArrayList<>();
            for (CommandSpec s : io.redjar.internal.Internals.engine(store).table().all()) {
                List<CommandSpec> all = new ArrayList<>(s.subcommands().values());
                all.add(s);
                for (CommandSpec x : all) {
                    if (x.legacyDeclared()) {
                        legacy.add(x.fullName());
                    }
                    // a key-taking row always says how its keys are found
                    if (x.firstKey() == 0 && x.has(CommandFlag.MOVABLE_KEYS)) {
                        assertFalse(x.keySpecs().isEmpty(), x.fullName());
                    }
                }
            }
            assertEquals(List.of(), legacy, "rows with keys(first, last, step) instead of key specs");
        }
    }
}
