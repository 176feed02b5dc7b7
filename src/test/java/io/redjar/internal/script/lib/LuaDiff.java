package io.redjar.internal.script.lib;

import io.redjar.Reply;
import io.redjar.testing.RespClient;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.CoroutineLib;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.jse.JseBaseLib;
import org.luaj.vm2.lib.jse.JseMathLib;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs Lua snippets on redis-server ({@code EVAL script 0}) and in a LuaJ state with
 * {@link LuaLibraries}, and compares the results.
 *
 * <p>Each snippet is a function body. It runs under {@code pcall}; its results (or its error
 * message, with Lua's position prefix "chunk:line:" removed: that prefix belongs to the runtime)
 * are rendered by a Lua function that both sides share: strings as their bytes, numbers exactly
 * (sign, 53-bit mantissa and binary exponent from {@code math.frexp}, so no number formatting is
 * involved), tables with their entries sorted (iteration order differs between Lua 5.1 and
 * LuaJ; bytes above 127 are written as decimal escapes first, because LuaJ compares strings as
 * signed bytes), {@code cjson.null} as {@code null}. Snippets go in batches of 100 per script.
 */
final class LuaDiff {
    private LuaDiff() {
    }

    static final String PRELUDE = String.join("\n",
        "local function num(v)",
        "  if v ~= v then return 'nan' end",
        "  if v == math.huge then return 'inf' end",
        "  if v == -math.huge then return '-inf' end",
        "  local neg = ''",
        "  if v < 0 then neg = '-'; v = -v end",
        "  local adj = 0",
        "  if v ~= 0 and v < 2^-1000 then v = v * 2^200; adj = 200 end", // LuaJ's frexp mishandles subnormals
        "  local m, e = math.frexp(v)",
        "  e = e - adj",
        "  local mi = m * 2^53",
        "  local hi = math.floor(mi / 2^26)",
        "  local lo = mi - hi * 2^26",
        "  return neg .. string.format('%d', hi) .. '.' .. string.format('%d', lo) .. 'p' .. string.format('%d', e)",
        "end",
        "local function hi(c) return '\\\\' .. string.byte(c) end",
        "local function dump(v, d)",
        "  local t = type(v)",
        "  if t == 'string' then return 's' .. #v .. ':' .. (string.gsub(v, '[\\128-\\255]', hi))",
        "  elseif t == 'number' then return 'n' .. num(v)",
        "  elseif t == 'boolean' or t == 'nil' then return tostring(v)",
        "  elseif t == 'table' then",
        "    if d > 40 then return '{...}' end",
        "    local parts = {}",
        "    for k, x in pairs(v) do parts[#parts + 1] = dump(k, d + 1) .. '=' .. dump(x, d + 1) end",
        "    table.sort(parts)",
        "    return '{' .. table.concat(parts, ',') .. '}'",
        "  elseif v == cjson.null then return 'null'",
        "  else return t end",
        "end",
        "local function res(ok, ...)",
        "  if not ok then",
        "    local m = string.gsub(tostring((...)), '^[^ ]-:%d+:? ', '')",
        "    return 'E:' .. m",
        "  end",
        "  local n = select('#', ...)",
        "  local out = {}",
        "  for i = 1, n do out[i] = dump((select(i, ...)), 0) end",
        "  return 'R' .. n .. ':' .. table.concat(out, '|')",
        "end",
        "local R = {}",
        "");

    /** The script running {@code snippets} (function bodies) and returning one rendered result each. */
    static String script(List<String> snippets) {
        StringBuilder sb = new StringBuilder(PRELUDE);
        for (int i = 0; i < snippets.size(); i++) {
            sb.append("R[").append(i + 1).append("] = res(pcall(function()\n").append(snippets.get(i)).append("\nend))\n");
        }
        sb.append("return R\n");
        return sb.toString();
    }

    /** A LuaJ state as the scripting runtime builds one, with the four libraries. */
    static Globals globals() {
        Globals g = new Globals();
        g.load(new JseBaseLib());
        g.load(new PackageLib());
        g.load(new TableLib());
        g.load(new CoroutineLib());
        g.load(new StringLib());
        g.load(new JseMathLib());
        LoadState.install(g);
        LuaC.install(g);
        LuaLibraries.installAll(g);
        g.set("unpack", g.get("table").get("unpack")); // Lua 5.1's global, which Redis scripts have
        return g;
    }

    /** Runs {@code script} in a fresh LuaJ state; returns the strings of the table it returns. */
    static List<byte[]> runLocal(String script) {
        LuaValue r = globals().load(script, "@user_script").call();
        LuaTable t = (LuaTable) r;
        List<byte[]> out = new ArrayList<>();
        for (int i = 1; i <= t.length(); i++) {
            LuaString s = t.get(i).checkstring();
            byte[] b = new byte[s.m_length];
            System.arraycopy(s.m_bytes, s.m_offset, b, 0, s.m_length);
            out.add(b);
        }
        return out;
    }

    /** Runs {@code script} with {@code EVAL script 0}; returns the bulk strings of the array reply. */
    static List<byte[]> runRedis(RespClient redis, String script) {
        Reply r = redis.call("EVAL".getBytes(StandardCharsets.UTF_8), script.getBytes(StandardCharsets.ISO_8859_1), "0".getBytes(StandardCharsets.UTF_8));
        if (!(r instanceof Reply.ArrayReply a)) {
            throw new AssertionError("redis-server answered " + r + " to\n" + script);
        }
        List<byte[]> out = new ArrayList<>();
        for (Reply e : a.elements()) {
            out.add(((Reply.Bulk) e).value());
        }
        return out;
    }

    /** Shows bytes as text with non-printable bytes escaped. */
    static String show(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            int c = x & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '\\') {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return sb.toString();
    }

    /** Renders {@code snippets} locally only (no server): the rendered result of each. */
    static List<String> local(List<String> snippets) {
        List<String> out = new ArrayList<>();
        for (byte[] b : runLocal(script(snippets))) {
            out.add(show(b));
        }
        return out;
    }

    /**
     * Runs every snippet on both sides and fails listing each snippet whose results differ.
     *
     * @return the number of snippets compared
     */
    static int assertSame(RespClient redis, List<String> snippets) {
        List<String> mismatches = new ArrayList<>();
        for (int from = 0; from < snippets.size(); from += 100) {
            List<String> batch = snippets.subList(from, Math.min(snippets.size(), from + 100));
            String script = script(batch);
            List<byte[]> theirs = runRedis(redis, script);
            List<byte[]> ours = runLocal(script);
            assertEquals(batch.size(), theirs.size(), "redis results");
            assertEquals(batch.size(), ours.size(), "LuaJ results");
            for (int i = 0; i < batch.size(); i++) {
                if (!java.util.Arrays.equals(theirs.get(i), ours.get(i))) {
                    String snippet = batch.get(i).length() > 400 ? batch.get(i).substring(0, 400) + "..." : batch.get(i);
                    mismatches.add("snippet: " + snippet + "\n  redis: " + show(theirs.get(i)) + "\n  ours:  " + show(ours.get(i)));
                }
            }
        }
        if (!mismatches.isEmpty()) {
            fail(mismatches.size() + " of " + snippets.size() + " snippets differ:\n"
                + String.join("\n", mismatches.subList(0, Math.min(30, mismatches.size()))));
        }
        assertTrue(snippets.size() > 0);
        return snippets.size();
    }

    /** A Lua string literal for arbitrary bytes (decimal escapes, valid in Lua 5.1 and LuaJ). */
    static String lit(byte[] b) {
        StringBuilder sb = new StringBuilder("\"");
        for (byte x : b) {
            int c = x & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                sb.append((char) c);
            } else {
                sb.append('\\').append(c);
                // a following digit would extend the escape: pad to three digits
                if (c < 100) {
                    sb.setLength(sb.length() - String.valueOf(c).length());
                    sb.append(String.format("%03d", c));
                }
            }
        }
        return sb.append('"').toString();
    }

    /** {@link #lit(byte[])} of a Java string's ISO-8859-1 bytes. */
    static String lit(String s) {
        return lit(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
