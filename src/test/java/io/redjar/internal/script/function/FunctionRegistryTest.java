package io.redjar.internal.script.function;

import io.redjar.RedJarException;
import io.redjar.Reply;
import io.redjar.internal.command.ExecContext;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The registry's library rules without Lua: a fake engine whose "code" is one
 * {@code name [flag...]} line per function ({@code !fail} makes the load run fail). Checks
 * atomicity (a failed load, replace or restore leaves everything as it was), Redis's collision
 * rules (library names case-sensitive, function names case-insensitive across libraries), the
 * restore policies and the DUMP/RESTORE round trip.
 */
class FunctionRegistryTest {

    static final class FakeEngine implements FunctionEngine {
        @Override
        public String name() {
            return "FAKE";
        }

        @Override
        public void create(LibraryInfo library, byte[] body, long timeoutMs) {
            for (String line : new String(body, StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                String[] w = line.trim().split(" ");
                if (w[0].equals("!fail")) {
                    throw new RedJarException("ERR Error registering functions: boom");
                }
                int flags = 0;
                for (int i = 1; i < w.length; i++) {
                    flags |= FunctionFlag.of(w[i]).bit();
                }
                library.register(w[0], "callable:" + w[0], null, flags);
            }
        }

        @Override
        public Reply call(ExecContext ctx, FunctionInfo function, byte[][] argv, byte[][] keys, byte[][] args, boolean readOnly) {
            return Reply.bulk((String) function.callable());
        }
    }

    private static byte[] lib(String name, String... functions) {
        return ("#!fake name=" + name + "\n" + String.join("\n", functions)).getBytes(StandardCharsets.UTF_8);
    }

    private static FunctionRegistry registry() {
        FunctionRegistry r = new FunctionRegistry();
        r.registerEngine(new FakeEngine());
        return r;
    }

    private static String error(Runnable r) {
        return assertThrows(RedJarException.class, r::run).getMessage();
    }

    private static List<String> names(FunctionRegistry r) {
        List<String> out = new ArrayList<>();
        for (LibraryInfo l : r.libraries()) {
            for (FunctionInfo f : l.functions()) {
                out.add(l.name() + "." + f.name());
            }
        }
        return out;
    }

    @Test
    void loadAndLookUp() {
        FunctionRegistry r = registry();
        assertEquals("a", r.load(lib("a", "f1 no-writes", "f2 allow-oom allow-stale"), false, 500));
        assertEquals(List.of("a.f1", "a.f2"), names(r));
        assertNotNull(r.function("F1"), "function names are case-insensitive");
        assertTrue(r.function("f1").has(FunctionFlag.NO_WRITES));
        assertTrue(r.function("f2").has(FunctionFlag.ALLOW_STALE));
        assertEquals(2, r.functionCount());
        assertNull(r.library("A"), "library names are case-sensitive");
    }

    @Test
    void loadErrorsLeaveTheRegistryAlone() {
        FunctionRegistry r = registry();
        r.load(lib("a", "f1"), false, 500);
        assertEquals("ERR Library 'a' already exists", error(() -> r.load(lib("a", "g"), false, 500)));
        assertEquals("ERR Function F1 already exists", error(() -> r.load(lib("b", "F1"), false, 500)));
        assertEquals("ERR No functions registered", error(() -> r.load(lib("b"), false, 500)));
        assertEquals("ERR Error registering functions: boom", error(() -> r.load(lib("a", "g", "!fail"), true, 500)));
        assertEquals("ERR Function already exists in the library", error(() -> r.load(lib("b", "g", "g"), false, 500)));
        assertEquals("ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long",
            error(() -> r.load(lib("b", "g-h"), false, 500)));
        assertEquals("ERR Engine 'nope' not found", error(() -> r.load("#!nope name=x\n".getBytes(), false, 500)));
        assertEquals(List.of("a.f1"), names(r));
        assertNotNull(r.function("f1"), "a failed REPLACE relinks the old library");
    }

    @Test
    void replaceSwapsFunctions() {
        FunctionRegistry r = registry();
        r.load(lib("a", "f1", "f2"), false, 500);
        r.load(lib("a", "f3"), true, 500);
        assertEquals(List.of("a.f3"), names(r));
        assertNull(r.function("f1"));
        r.load(lib("a", "f1"), true, 500); // its own old functions do not collide
        assertEquals(List.of("a.f1"), names(r));
    }

    @Test
    void deleteAndFlush() {
        FunctionRegistry r = registry();
        r.load(lib("a", "f1"), false, 500);
        r.load(lib("b", "f2"), false, 500);
        assertEquals("ERR Library not found", error(() -> r.delete("A")));
        r.delete("a");
        assertNull(r.function("f1"));
        assertEquals(List.of("b.f2"), names(r));
        r.flush();
        assertEquals(List.of(), names(r));
        assertEquals(0, r.functionCount());
    }

    @Test
    void dumpRestoreRoundTripAndPolicies() {
        FunctionRegistry r = registry();
        r.load(lib("a", "f1 no-writes"), false, 500);
        r.load(lib("b", "f2", "f3"), false, 500);
        byte[] dump = r.dump();
        assertArrayEquals(FunctionPayload.encode(r.libraryCodes()), dump);

        FunctionRegistry other = registry();
        other.restore(dump, FunctionRegistry.RestorePolicy.APPEND);
        assertEquals(names(r), names(other));
        assertArrayEquals(dump, other.dump(), "library codes survive byte for byte");

        assertEquals("ERR Library a already exists", error(() -> other.restore(dump, FunctionRegistry.RestorePolicy.APPEND)));
        other.restore(dump, FunctionRegistry.RestorePolicy.REPLACE);
        assertEquals(names(r), names(other));

        FunctionRegistry third = registry();
        third.load(lib("c", "F2"), false, 500);
        assertEquals("ERR Function f2 already exists", error(() -> third.restore(dump, FunctionRegistry.RestorePolicy.REPLACE)));
        assertEquals(List.of("c.F2"), names(third), "a failed restore changes nothing");
        third.restore(dump, FunctionRegistry.RestorePolicy.FLUSH);
        assertEquals(names(r), names(third));
    }

    @Test
    void restoreRejectsDuplicatesInsideThePayload() {
        FunctionRegistry r = registry();
        byte[] p = FunctionPayload.encode(List.of(lib("a", "f1"), lib("a", "f2")));
        assertEquals("ERR Library 'a' already exists", error(() -> r.restore(p, FunctionRegistry.RestorePolicy.FLUSH)));
        byte[] corrupt = p.clone();
        corrupt[3] ^= 1;
        assertEquals("ERR DUMP payload version or checksum are wrong", error(() -> r.restore(corrupt, FunctionRegistry.RestorePolicy.FLUSH)));
    }

    @Test
    void persistenceSeamLoadsWithoutATimeLimit() {
        FunctionRegistry r = registry();
        r.loadLibraries(List.of(lib("a", "f1"), lib("b", "f2")), false);
        assertEquals(List.of("a.f1", "b.f2"), names(r));
        assertEquals("ERR Library a already exists", error(() -> r.loadLibraries(List.of(lib("a", "f9")), false)));
        r.loadLibraries(List.of(lib("a", "f9")), true);
        assertEquals(List.of("b.f2", "a.f9"), names(r));
    }

    @Test
    void rcFormatPayloadsBecomeShebangLibraries() {
        // RDB_OPCODE_FUNCTION (7.0-rc): name, engine, has-description 1, description, blob
        byte[] body = {(byte) 246, 1, 'a', 4, 'F', 'A', 'K', 'E', 1, 1, 'd', 2, 'f', '1'};
        byte[] p = FunctionsDifferentialTest.payload(body, 10);
        FunctionRegistry r = registry();
        r.restore(p, FunctionRegistry.RestorePolicy.APPEND);
        assertEquals(List.of("a.f1"), names(r));
        assertEquals("#!FAKE name=a\nf1", new String(r.library("a").code(), StandardCharsets.UTF_8));
    }
}
