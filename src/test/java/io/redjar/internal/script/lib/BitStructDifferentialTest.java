package io.redjar.internal.script.lib;

import io.redjar.testing.RequiresRedis;
import io.redjar.testing.RespClient;
import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/**
 * bit and struct: edge cases and seeded random calls, each run on redis-server and on LuaJ with
 * {@link BitLib} and {@link StructLib}; results (or error texts) must be identical.
 */
@RequiresRedis
class BitStructDifferentialTest {
    static final List<String> BIT = List.of(
        "return bit.tobit(0), bit.tobit(1), bit.tobit(-1), bit.tobit(2^31), bit.tobit(2^32), bit.tobit(2^32 + 1), bit.tobit(-2^31 - 1)",
        "return bit.tobit(0.5), bit.tobit(1.5), bit.tobit(2.5), bit.tobit(-0.5), bit.tobit(-1.5), bit.tobit(0.49999999999)",
        "return bit.tobit(2^52), bit.tobit(2^53 + 2), bit.tobit(2^60 + 12345), bit.tobit(1e300), bit.tobit(1/0), bit.tobit(-1/0), bit.tobit(0/0)",
        "return bit.tobit('10'), bit.tobit('0x10'), bit.tobit(' 12 '), bit.tobit('1e3')",
        "return bit.tobit('x')",
        "return bit.tobit('')",
        "return bit.tobit()",
        "return bit.tobit(nil)",
        "return bit.tobit({})",
        "return bit.tobit(true)",
        "return bit.bnot(0), bit.bnot(-1), bit.bnot(0x7fffffff), bit.bnot(2^32 + 5)",
        "return bit.band(0xff, 0x0f), bit.band(-1, 0x80000000), bit.band(1), bit.band(7, 3, 1)",
        "return bit.bor(1, 2, 4, 8), bit.bor(0x80000000, 1), bit.bxor(0xff, 0x0f), bit.bxor(1, 1, 1)",
        "return bit.band()",
        "return bit.band(1, 'x')",
        "return bit.band('x', 'y')",
        "return bit.band(1, 'x', 'y')",
        "return bit.bor(1, nil, 2)",
        "return bit.lshift(1, 0), bit.lshift(1, 31), bit.lshift(1, 32), bit.lshift(1, 33), bit.lshift(1, -1), bit.lshift(0xff, 28)",
        "return bit.rshift(-1, 1), bit.rshift(-1, 31), bit.rshift(-1, 32), bit.rshift(0x80000000, 4), bit.rshift(256, 4)",
        "return bit.arshift(-1, 1), bit.arshift(-256, 4), bit.arshift(0x80000000, 31), bit.arshift(0x7fffffff, 30), bit.arshift(-8, 33)",
        "return bit.rol(1, 1), bit.rol(0x80000000, 1), bit.rol(0x12345678, 8), bit.rol(0x12345678, 0), bit.rol(0x12345678, 32), bit.rol(5, -1)",
        "return bit.ror(1, 1), bit.ror(0x12345678, 8), bit.ror(0x12345678, 0), bit.ror(0x12345678, 36)",
        "return bit.bswap(0x12345678), bit.bswap(-1), bit.bswap(0), bit.bswap(0xff)",
        "return bit.lshift(1)",
        "return bit.lshift('a', 1)",
        "return bit.tohex(0), bit.tohex(255), bit.tohex(-1), bit.tohex(0x12345678), bit.tohex(2^32 + 0xabc)",
        "return bit.tohex(255, 2), bit.tohex(255, -2), bit.tohex(0xabcdef, -8), bit.tohex(0xabcdef, 10), bit.tohex(0xabcdef, -10), bit.tohex(1, 0), bit.tohex(0x1234, 1)",
        "return bit.tohex(255, nil)",
        "return bit.tohex(255, 'x')",
        "return bit.tohex()",
        "return bit.tohex(1, 3.7), bit.tohex(1, -3.7)",
        "return #bit.tohex(1, -2^31), bit.tohex(0xabcdef, -2^31)");

    static final List<String> STRUCT = List.of(
        "return struct.pack('b', 1), struct.pack('B', 255), struct.pack('b', -1), struct.pack('B', 256), struct.pack('b', 300)",
        "return struct.pack('>h', 258), struct.pack('<h', 258), struct.pack('h', -2), struct.pack('H', 65535)",
        "return struct.pack('>i', 1), struct.pack('<i', -1), struct.pack('>I', 2^32 - 1), struct.pack('>i3', 0x010203), struct.pack('<i3', -2)",
        "return struct.pack('>l', 1), struct.pack('<L', 2^40), struct.pack('>T', 12345), struct.pack('l', -2^63)",
        "return struct.pack('>i8', 2^63), struct.pack('>I8', 2^64), struct.pack('>I8', 2^64 + 2^20), struct.pack('>i8', 1e30), struct.pack('>i8', -1e30)",
        "return struct.pack('>i8', 0/0), struct.pack('>i8', 1/0), struct.pack('>i8', -1/0), struct.pack('>I4', 2^31 + 0.5)",
        "return struct.pack('>i16', -1), struct.pack('<i16', -1), struct.pack('<I12', 2^64 - 2^11), struct.pack('>i32', 5)",
        "return struct.pack('i33', 1)",
        "return struct.pack('>f', 1.5), struct.pack('<f', -0.1), struct.pack('>d', 0.1), struct.pack('<d', -2), struct.pack('>f', 1e300)",
        "return struct.pack('>f', 0/0) ~= nil, struct.pack('>d', 1/0), struct.pack('<f', -1/0)",
        "return struct.pack('c', 'a'), struct.pack('c3', 'abcdef'), struct.pack('c0', 'hello'), struct.pack('c0', '')",
        "return struct.pack('c5', 'ab')",
        "return struct.pack('b c5', 1, 'ab')",
        "return struct.pack('s', 'abc'), struct.pack('s', ''), struct.pack('s', 12.5), struct.pack('s', 'a\\0b')",
        "return struct.pack('s', nil)",
        "return struct.pack('x'), struct.pack('xxbx', 1), struct.pack(' b  b ', 1, 2)",
        "return struct.pack('!4 b i', 1, 2), struct.pack('!b i', 1, 2), struct.pack('!2 b i d', 1, 2, 3), struct.pack('!8 b d', 1, 2), struct.pack('b !4 b h', 1, 2, 3)",
        "return struct.pack('!3 b', 1)",
        "return struct.pack('!0 b', 1)",
        "return struct.pack('!16 b d', 1, 2), struct.pack('!4 b i3 b', 1, 2, 3)",
        "return struct.pack('q', 1)",
        "return struct.pack('5', 1)",
        "return struct.pack('z')",
        "return struct.pack('b')",
        "return struct.pack('bb', 1)",
        "return struct.pack('bbb', 1)",
        "return struct.pack('bc2', 1)",
        "return struct.pack('b', 'x')",
        "return struct.pack('b', '12'), struct.pack('b', ' 0x10 ')",
        "return struct.pack('i99999999999', 1)",
        "return struct.pack()",
        "return struct.pack(12, 1)",
        "return struct.pack('b', 1, 2, 3)",
        "return struct.pack('>b\\0b', 1, 2)",
        "return struct.unpack('b', '\\255'), struct.unpack('B', '\\255'), struct.unpack('>h', '\\1\\2'), struct.unpack('<H', '\\255\\255')",
        "return struct.unpack('>i', '\\255\\255\\255\\254'), struct.unpack('<I', '\\255\\255\\255\\255'), struct.unpack('>i3', '\\128\\0\\0')",
        "return struct.unpack('>l', '\\255\\255\\255\\255\\255\\255\\255\\255'), struct.unpack('>L', '\\255\\255\\255\\255\\255\\255\\255\\255'), struct.unpack('<T', '\\1\\0\\0\\0\\0\\0\\0\\0')",
        "return struct.unpack('>i16', string.rep('\\255', 16)), struct.unpack('>I16', string.rep('\\1', 16)), struct.unpack('<i12', string.rep('\\128', 12))",
        "return struct.unpack('>L', '\\127\\255\\255\\255\\255\\255\\255\\255'), struct.unpack('>l', '\\0\\32\\0\\0\\0\\0\\0\\1')",
        "return struct.unpack('>f', struct.pack('>f', 1.5)), struct.unpack('<d', struct.pack('<d', 0.1)), struct.unpack('>d', struct.pack('>d', -1/0))",
        "return struct.unpack('c2 c1', 'abc'), struct.unpack('s s', 'ab\\0cd\\0'), struct.unpack('s', '\\0')",
        "return struct.unpack('s', 'abc')",
        "return struct.unpack('b c0', '\\3abcde')",
        "return struct.unpack('c0', 'abc')",
        "return struct.unpack('b c0', '\\9abc')",
        "return struct.unpack('c1 c0', '3abcd')",
        "return struct.unpack('i', 'abc')",
        "return struct.unpack('b', '')",
        "return struct.unpack('b', 'ab', 2), struct.unpack('b', 'ab', 3)",
        "return struct.unpack('', 'ab', 3), struct.unpack('', 'ab', 10), struct.unpack('', 'ab', -5)",
        "return struct.unpack('b', 'ab', 0)",
        "return struct.unpack('b', 'ab', -1)",
        "return struct.unpack('b', 'ab', 'x')",
        "return struct.unpack('!4 b i', '\\1\\0\\0\\0\\2\\0\\0\\0'), struct.unpack('!4 b i', '\\1\\0\\0\\0\\2\\0\\0\\0', 2)",
        "return struct.unpack('x b x b', '\\0\\1\\0\\2')",
        "return struct.unpack('q', 'a')",
        "return struct.unpack('b')",
        "return struct.unpack('b', 12), struct.unpack('c2', 12.5)",
        "return select('#', struct.unpack(string.rep('b', 7990), string.rep('a', 8000)))",
        "return select('#', struct.unpack(string.rep('b', 8000), string.rep('a', 8000)))",
        "return struct.size('b'), struct.size('>h'), struct.size('!4 b i'), struct.size('!i d'), struct.size('i3 c10 x d f l T')",
        "return struct.size(''), struct.size('q'), struct.size('qz1'), struct.size('!8 b d')",
        "return struct.size('s')",
        "return struct.size('c0')",
        "return struct.size('#')",
        "return struct.size('!3')",
        "return struct.size('i40')",
        "return struct.size()");

    @Test
    void bitEdgeCasesMatchRedis(RespClient redis) {
        LuaDiff.assertSame(redis, BIT);
    }

    @Test
    void structEdgeCasesMatchRedis(RespClient redis) {
        LuaDiff.assertSame(redis, STRUCT);
    }

    @Test
    void randomBitCallsMatchRedis(RespClient redis) {
        Seeds.run("random bit calls", random -> {
            String[] fns = {"tobit", "bnot", "band", "bor", "bxor", "lshift", "rshift", "arshift", "rol", "ror", "bswap", "tohex"};
            List<String> snippets = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                String f = fns[random.nextInt(fns.length)];
                int args = 1 + random.nextInt(3);
                StringBuilder sb = new StringBuilder("return bit.").append(f).append('(');
                for (int a = 0; a < args; a++) {
                    if (a > 0) {
                        sb.append(", ");
                    }
                    sb.append(randomNumber(random));
                }
                snippets.add(sb.append(')').toString());
            }
            LuaDiff.assertSame(redis, snippets);
        });
    }

    @Test
    void randomStructRoundTripsMatchRedis(RespClient redis) {
        Seeds.run("random struct calls", random -> {
            String[] ints = {"b", "B", "h", "H", "l", "L", "T", "i", "I", "i1", "I2", "i3", "I5", "i7", "I8", "i9", "I12", "i16"};
            List<String> snippets = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                StringBuilder fmt = new StringBuilder();
                List<String> args = new ArrayList<>();
                if (random.nextBoolean()) {
                    fmt.append(random.nextBoolean() ? '>' : '<');
                }
                if (random.nextInt(3) == 0) {
                    fmt.append('!').append(1 << random.nextInt(4));
                }
                int n = 1 + random.nextInt(5);
                for (int k = 0; k < n; k++) {
                    switch (random.nextInt(6)) {
                        case 0, 1, 2 -> {
                            fmt.append(ints[random.nextInt(ints.length)]);
                            args.add(randomNumber(random));
                        }
                        case 3 -> {
                            fmt.append(random.nextBoolean() ? 'f' : 'd');
                            args.add(randomNumber(random));
                        }
                        case 4 -> {
                            int len = random.nextInt(6);
                            fmt.append('c').append(len);
                            byte[] s = new byte[len + random.nextInt(3)];
                            random.nextBytes(s);
                            args.add(LuaDiff.lit(s));
                        }
                        default -> {
                            fmt.append(random.nextBoolean() ? "s" : "x");
                            if (fmt.charAt(fmt.length() - 1) == 's') {
                                args.add(LuaDiff.lit("str" + random.nextInt(100)));
                            }
                        }
                    }
                }
                String call = "'" + fmt + "'" + (args.isEmpty() ? "" : ", " + String.join(", ", args));
                snippets.add("local s = struct.pack(" + call + ") return s, struct.size('" + fmt.toString().replace("s", "") + "'), struct.unpack('" + fmt + "', s)");
            }
            LuaDiff.assertSame(redis, snippets);
        });
    }

    static String randomNumber(java.util.Random random) {
        switch (random.nextInt(7)) {
            case 0:
                return Integer.toString(random.nextInt(256) - 128);
            case 1:
                return Long.toString(random.nextInt());
            case 2:
                return Long.toString(random.nextInt() & 0xffffffffL);
            case 3:
                return "(" + random.nextInt(1 << 30) + " * 2^" + random.nextInt(40) + ")";
            case 4:
                return "(" + (random.nextInt(2000) - 1000) + " / " + (1 + random.nextInt(64)) + ")";
            case 5:
                return "-(" + random.nextInt(1 << 30) + " * 2^" + random.nextInt(40) + ")";
            default:
                return Integer.toString(random.nextInt(40));
        }
    }
}
