package io.redjar.internal.script.lib;

import io.redjar.testing.RequiresRedis;
import io.redjar.testing.RespClient;
import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * cmsgpack edge cases, each run on redis-server and on LuaJ with {@link CmsgpackLib}; results (or
 * error texts) must be identical. Packed bytes are compared as they are (snippets return them).
 */
@RequiresRedis
class CmsgpackDifferentialTest {
    static final List<String> CASES = List.of(
        "return cmsgpack.pack(0), cmsgpack.pack(1), cmsgpack.pack(127), cmsgpack.pack(128), cmsgpack.pack(255), cmsgpack.pack(256)",
        "return cmsgpack.pack(65535), cmsgpack.pack(65536), cmsgpack.pack(2^32 - 1), cmsgpack.pack(2^32), cmsgpack.pack(2^53), cmsgpack.pack(2^63)",
        "return cmsgpack.pack(-1), cmsgpack.pack(-32), cmsgpack.pack(-33), cmsgpack.pack(-128), cmsgpack.pack(-129), cmsgpack.pack(-32768), cmsgpack.pack(-32769)",
        "return cmsgpack.pack(-2^31), cmsgpack.pack(-2^31 - 1), cmsgpack.pack(-2^53), cmsgpack.pack(-2^63), cmsgpack.pack(-2^64)",
        "return cmsgpack.pack(0.5), cmsgpack.pack(-0.5), cmsgpack.pack(0.1), cmsgpack.pack(1.5), cmsgpack.pack(1e300), cmsgpack.pack(3.4028234663852886e38)",
        "return cmsgpack.pack(1/0), cmsgpack.pack(-1/0), #cmsgpack.pack(0/0), string.byte(cmsgpack.pack(0/0))",
        "return cmsgpack.pack(true), cmsgpack.pack(false), cmsgpack.pack(nil), cmsgpack.pack(cjson.null), cmsgpack.pack(tostring)",
        "return cmsgpack.pack(coroutine.create(function() end))",
        "return cmsgpack.pack(''), cmsgpack.pack('a'), cmsgpack.pack(string.rep('x', 31)), cmsgpack.pack(string.rep('x', 32))",
        "return #cmsgpack.pack(string.rep('x', 255)), string.sub(cmsgpack.pack(string.rep('x', 256)), 1, 3), string.sub(cmsgpack.pack(string.rep('x', 65535)), 1, 3)",
        "return string.sub(cmsgpack.pack(string.rep('x', 65536)), 1, 5), #cmsgpack.pack(string.rep('x', 65536))",
        "return cmsgpack.pack({}), cmsgpack.pack({1,2,3}), cmsgpack.pack({a=1}), cmsgpack.pack({[1]=1,[3]=3})",
        "return cmsgpack.pack({[0]=1}), cmsgpack.pack({[1.5]=1}), cmsgpack.pack({[-1]=1}), cmsgpack.pack({[2]=2})",
        "return cmsgpack.pack({1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}), cmsgpack.pack({1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16})",
        "local t = {} for i = 1, 65536 do t[i] = i % 7 end local s = cmsgpack.pack(t) return #s, string.sub(s, 1, 5)",
        "local t = {} for i = 1, 16 do t['k' .. i] = 1 end return string.sub(cmsgpack.pack(t), 1, 3)",
        "local t = {} for i = 1, 70000 do t['k' .. i] = 1 end return string.sub(cmsgpack.pack(t), 1, 5)",
        "return cmsgpack.pack({{{}}}), cmsgpack.pack({x={y={}}})",
        "local t = {} t[1] = t return cmsgpack.pack(t)",
        "local t = {} t.a = t return cmsgpack.pack(t)",
        "local t = {} local x = t for i = 1, 20 do x[1] = {} x = x[1] end return cmsgpack.pack(t)",
        "return cmsgpack.pack(1, 'a', {2}), cmsgpack.pack(nil, nil)",
        "return cmsgpack.pack()",
        "return cmsgpack.unpack(cmsgpack.pack(1, 'a', {2, {3}}, {k='v'}, true, 0.5, -7))",
        "return cmsgpack.unpack(cmsgpack.pack(nil, 2))",
        "return cmsgpack.unpack('')",
        "return cmsgpack.unpack('\\192')",
        "return cmsgpack.unpack('\\193')",
        "return cmsgpack.unpack('\\196\\1a')",
        "return cmsgpack.unpack('\\199\\1\\1a')",
        "return cmsgpack.unpack('\\212\\1a')",
        "return cmsgpack.unpack('\\204')",
        "return cmsgpack.unpack('\\205\\1')",
        "return cmsgpack.unpack('\\217\\5ab')",
        "return cmsgpack.unpack('\\219\\0\\0\\0\\3abc'), cmsgpack.unpack('\\218\\0\\2ab'), cmsgpack.unpack('\\217\\2ab')",
        "return cmsgpack.unpack('\\219\\255\\255\\255\\255abc')",
        "return cmsgpack.unpack('\\204\\200'), cmsgpack.unpack('\\205\\255\\255'), cmsgpack.unpack('\\206\\255\\255\\255\\255'), cmsgpack.unpack('\\207\\0\\0\\0\\1\\0\\0\\0\\0')",
        "return cmsgpack.unpack('\\207\\255\\255\\255\\255\\255\\255\\255\\255'), cmsgpack.unpack('\\207\\128\\0\\0\\0\\0\\0\\0\\1'), cmsgpack.unpack('\\207\\0\\32\\0\\0\\0\\0\\0\\1')",
        "return cmsgpack.unpack('\\208\\128'), cmsgpack.unpack('\\209\\128\\0'), cmsgpack.unpack('\\209\\255\\1'), cmsgpack.unpack('\\210\\128\\0\\0\\0'), cmsgpack.unpack('\\211\\255\\255\\255\\255\\255\\255\\255\\254')",
        "return cmsgpack.unpack('\\224'), cmsgpack.unpack('\\255'), cmsgpack.unpack('\\127')",
        "return cmsgpack.unpack('\\202\\63\\192\\0\\0'), cmsgpack.unpack('\\203\\63\\185\\153\\153\\153\\153\\153\\154'), cmsgpack.unpack('\\202\\127\\128\\0\\0')",
        "return cmsgpack.unpack('\\202\\127\\192\\0\\0') ~= cmsgpack.unpack('\\202\\127\\192\\0\\0')",
        "return cmsgpack.unpack('\\145\\192'), cmsgpack.unpack('\\146\\192\\1'), cmsgpack.unpack('\\129\\1\\192')",
        "return cmsgpack.unpack('\\129\\192\\1')",
        "return cmsgpack.unpack('\\130\\1\\2')",
        "return cmsgpack.unpack('\\147\\1\\2')",
        "return cmsgpack.unpack('\\220\\0\\2\\1\\2'), cmsgpack.unpack('\\221\\0\\0\\0\\1\\1'), cmsgpack.unpack('\\222\\0\\1\\1\\2'), cmsgpack.unpack('\\223\\0\\0\\0\\1\\1\\2')",
        "return cmsgpack.unpack('\\220\\0')",
        "return cmsgpack.unpack('\\221\\255\\255\\255\\255')",
        "return cmsgpack.unpack(123), cmsgpack.unpack(1.5)",
        "return cmsgpack.unpack()",
        "return cmsgpack.unpack({})",
        "return cmsgpack.unpack(nil)",
        "return cmsgpack.unpack('\\1', 'extra', 'args')",
        "local s = cmsgpack.pack(1, 2, 3) return cmsgpack.unpack_one(s)",
        "local s = cmsgpack.pack(1, 2, 3) return cmsgpack.unpack_one(s, 1), cmsgpack.unpack_one(s, 2)",
        "local s = cmsgpack.pack(1, 2, 3) return cmsgpack.unpack_one(s, 3)",
        "local s = cmsgpack.pack(1, 2, 3) return cmsgpack.unpack_one(s, 4)",
        "local s = cmsgpack.pack(1, 2, 3) return cmsgpack.unpack_one(s, -1)",
        "local s = cmsgpack.pack(1, 2, 3) return cmsgpack.unpack_one(s, 'x')",
        "local s = cmsgpack.pack(1, 2, 3) return cmsgpack.unpack_one(s, 1.9)",
        "local s = cmsgpack.pack('abc', {1}, 3) return cmsgpack.unpack_limit(s, 2)",
        "local s = cmsgpack.pack('abc', {1}, 3) return cmsgpack.unpack_limit(s, 2, 4)",
        "local s = cmsgpack.pack('abc', {1}, 3) return cmsgpack.unpack_limit(s, 0)",
        "local s = cmsgpack.pack('abc', {1}, 3) return cmsgpack.unpack_limit(s, 0, 1)",
        "local s = cmsgpack.pack('abc', {1}, 3) return cmsgpack.unpack_limit(s, 10)",
        "local s = cmsgpack.pack('abc', {1}, 3) return cmsgpack.unpack_limit(s, -1)",
        "local s = cmsgpack.pack('abc', {1}, 3) return cmsgpack.unpack_limit(s, 1, -3)",
        "local s = cmsgpack.pack('abc', {1}, 3) return cmsgpack.unpack_limit(s)",
        "local s = cmsgpack.pack('abc', {1}, 3) return cmsgpack.unpack_limit(s, 1, 1)",
        "return cmsgpack.unpack_one('')",
        "return cmsgpack.unpack_limit('', 1)",
        "return cmsgpack.unpack_one('\\205\\1')",
        "local t = {} for i = 1, 7998 do t[i] = 1 end return select('#', cmsgpack.unpack(cmsgpack.pack(unpack(t))))",
        "local t = {} for i = 1, 7999 do t[i] = 1 end return select('#', cmsgpack.unpack(string.rep('\\1', 7999)))",
        "return select('#', cmsgpack.unpack(string.rep('\\1', 8000)))",
        "return select('#', cmsgpack.unpack(string.rep('\\1', 7999), 'x'))",
        "return select('#', cmsgpack.unpack_limit(string.rep('\\1', 9000), 7998))",
        "return select('#', cmsgpack.unpack_limit(string.rep('\\1', 9000), 7999))",
        "return type(cmsgpack.unpack(string.rep('\\145', 3990) .. '\\1'))",
        "return type(cmsgpack.unpack(string.rep('\\145', 4000) .. '\\1'))",
        "return type(cmsgpack.unpack(string.rep('\\129\\1', 4000) .. '\\1'))",
        "return type(cmsgpack.unpack(string.rep('\\129\\1', 7990) .. '\\1'))",
        "return type(cmsgpack.unpack(string.rep('\\129\\1', 8000) .. '\\1'))",
        "return cmsgpack._NAME, cmsgpack._VERSION, cmsgpack._COPYRIGHT, cmsgpack._DESCRIPTION",
        "return cmsgpack.unpack(cmsgpack.pack({a={b={c={1,2,3}}}, [5]='five', [true]=false}))",
        "return cmsgpack.unpack(cmsgpack.pack({[1.5]='x', [-3]='y', [2^40]='z'}))");

    @Test
    void edgeCasesMatchRedis(RespClient redis) {
        LuaDiff.assertSame(redis, CASES);
    }
}
