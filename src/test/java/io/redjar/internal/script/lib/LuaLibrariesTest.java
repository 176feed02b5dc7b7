package io.redjar.internal.script.lib;

import org.junit.jupiter.api.Test;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.jse.JseBaseLib;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The libraries without redis-server: what {@link LuaLibraries#installAll} installs, the module
 * tables' fields as Redis 7.0 lists them, and results and error texts recorded from redis-server
 * 7.0 (the differential tests compare against a live server).
 */
class LuaLibrariesTest {
    private static Set<String> keys(LuaValue t) {
        Set<String> out = new TreeSet<>();
        LuaValue k = LuaValue.NIL;
        while (!(k = t.next(k).arg1()).isnil()) {
            out.add(k.tojstring());
        }
        return out;
    }

    @Test
    void installsExactlyTheFourGlobalsIntoAStateWithoutPackageLib() {
        Globals g = new Globals();
        g.load(new JseBaseLib());
        Set<String> before = keys(g);
        LuaLibraries.installAll(g);
        Set<String> added = keys(g);
        added.removeAll(before);
        assertEquals(Set.of("bit", "cjson", "cmsgpack", "struct"), added);
        assertTrue(g.get("package").isnil(), "no package library needed");
        LoadState.install(g);
        LuaC.install(g);
        assertEquals("[1,2]", g.load("return cjson.encode({1,2})").call().tojstring());
    }

    @Test
    void moduleTablesHaveRedisFields() {
        Globals g = LuaDiff.globals();
        assertEquals(new TreeSet<>(List.of("_NAME", "_VERSION", "decode", "decode_invalid_numbers", "decode_max_depth", "encode",
            "encode_invalid_numbers", "encode_keep_buffer", "encode_max_depth", "encode_number_precision", "encode_sparse_array",
            "new", "null")), keys(g.get("cjson")));
        assertEquals(new TreeSet<>(List.of("_COPYRIGHT", "_DESCRIPTION", "_NAME", "_VERSION", "pack", "unpack", "unpack_limit",
            "unpack_one")), keys(g.get("cmsgpack")));
        assertEquals(new TreeSet<>(List.of("arshift", "band", "bnot", "bor", "bswap", "bxor", "lshift", "rol", "ror", "rshift",
            "tobit", "tohex")), keys(g.get("bit")));
        assertEquals(new TreeSet<>(List.of("pack", "size", "unpack")), keys(g.get("struct")));
        assertEquals("userdata", g.get("cjson").get("null").typename());
    }

    private static Varargs eval(String lua) {
        return LuaDiff.globals().load(lua, "=user_script").invoke();
    }

    private static String error(String lua) {
        LuaError e = assertThrows(LuaError.class, () -> eval(lua));
        return e.getMessage().replaceFirst("^[^ ]*:\\d+:? ", "");
    }

    @Test
    void resultsRecordedFromRedis() {
        assertEquals("[1,2,3,{\"a\":\"x\\/y\"}]", eval("return cjson.encode({1,2,3,{a='x/y'}})").tojstring(1));
        assertEquals("0.33333333333333", eval("return cjson.encode(1/3)").tojstring(1));
        assertEquals("{}", eval("return cjson.encode({})").tojstring(1));
        assertEquals("[1,null,3]", eval("return cjson.encode({1,nil,3})").tojstring(1));
        assertEquals("\"\\u0001\\u007f\\n\"", eval("return cjson.encode('\\1\\127\\n')").tojstring(1));
        assertSame(CjsonLib.NULL, eval("return cjson.decode('null')").arg1());
        assertEquals(16.0, eval("return cjson.decode('0x10')").todouble(1));
        assertEquals("ffffffff", eval("return bit.tohex(-1)").tojstring(1));
        assertEquals(-2147483648, eval("return bit.lshift(1, 31)").toint(1));
        assertEquals("\u0001\u0002", eval("return struct.pack('>I2', 258)").tojstring(1));
        assertEquals(16, eval("return struct.size('!i d')").toint(1));
        Varargs packed = eval("return cmsgpack.pack({1, 2, 3}, 'abc', 0.5, -1, 0.1)");
        LuaValue s = packed.arg1();
        byte[] expected = {(byte) 0x93, 1, 2, 3, (byte) 0xa3, 'a', 'b', 'c', (byte) 0xca, 0x3f, 0, 0, 0, (byte) 0xff,
            (byte) 0xcb, 0x3f, (byte) 0xb9, (byte) 0x99, (byte) 0x99, (byte) 0x99, (byte) 0x99, (byte) 0x99, (byte) 0x9a};
        byte[] actual = new byte[s.checkstring().m_length];
        System.arraycopy(s.checkstring().m_bytes, s.checkstring().m_offset, actual, 0, actual.length);
        assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(actual));
        assertEquals(3, eval("return cmsgpack.unpack_one(cmsgpack.pack(7, 8), 0)").narg() + 1);
    }

    @Test
    void errorTextsRecordedFromRedis() {
        assertEquals("Cannot serialise function: type not supported", error("return cjson.encode(function() end)"));
        assertEquals("bad argument #1 to 'encode' (expected 1 argument)", error("return cjson.encode()"));
        assertEquals("Expected value but found T_END at character 4", error("return cjson.decode('[1,')"));
        assertEquals("Cannot serialise table: excessively sparse array", error("return cjson.encode({[1]=1,[20]=2})"));
        assertEquals("Cannot serialise, excessive nesting (1001)", error("local t = {} t[1] = t return cjson.encode(t)"));
        assertEquals("bad argument #1 to 'band' (number expected, got string)", error("return bit.band('x')"));
        assertEquals("bad argument #1 to 'pack' (invalid format option 'q')", error("return struct.pack('q', 1)"));
        assertEquals("bad argument #0 to 'pack' (MessagePack pack needs input.)", error("return cmsgpack.pack()"));
        assertEquals("Missing bytes in input.", error("return cmsgpack.unpack('\\205\\1')"));
        assertEquals("Bad data format in input.", error("return cmsgpack.unpack('\\193')"));
    }
}
