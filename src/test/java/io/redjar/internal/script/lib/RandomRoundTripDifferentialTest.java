package io.redjar.internal.script.lib;

import io.redjar.testing.RequiresRedis;
import io.redjar.testing.RespClient;
import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/**
 * Seeded random values through cjson and cmsgpack on redis-server and on LuaJ: the encodings must
 * be byte-identical wherever they do not depend on table iteration order (every value without a
 * multi-key object/map); the others are compared after a round trip (decoded, rendered in sorted
 * order). Random JSON texts and MessagePack byte strings, some damaged, must decode to the same
 * values or fail with the same error.
 */
@RequiresRedis
class RandomRoundTripDifferentialTest {
    private static final int CASES = 400;

    @Test
    void cjsonEncodingsMatchRedis(RespClient redis) {
        Seeds.run("random cjson values", random -> {
            RandomLuaValues gen = new RandomLuaValues(random, true);
            List<String> snippets = new ArrayList<>();
            int byteForByte = 0;
            for (int i = 0; i < CASES; i++) {
                RandomLuaValues.Value v = gen.value(0);
                if (v.orderSafe()) {
                    byteForByte++;
                    snippets.add("return cjson.encode(" + v.lua() + ")");
                }
                // which error comes first can depend on iteration order: only "it failed" is compared
                snippets.add("local ok, r = pcall(cjson.encode, " + v.lua() + ") if not ok then return 'error' end return cjson.decode(r)");
            }
            LuaDiff.assertSame(redis, snippets);
            System.out.println("cjson: " + byteForByte + " encodings compared byte for byte, " + CASES + " round trips");
        });
    }

    @Test
    void cjsonSettingsMatchRedis(RespClient redis) {
        Seeds.run("random cjson settings", random -> {
            RandomLuaValues gen = new RandomLuaValues(random, true);
            String[] invalid = {"'off'", "'on'", "'null'", "true", "false"};
            List<String> snippets = new ArrayList<>();
            for (int i = 0; i < CASES / 2; i++) {
                RandomLuaValues.Value v = gen.value(0);
                String setup = "local c = cjson.new() "
                    + "c.encode_number_precision(" + (1 + random.nextInt(14)) + ") "
                    + "c.encode_invalid_numbers(" + invalid[random.nextInt(invalid.length)] + ") "
                    + "c.encode_sparse_array(" + random.nextBoolean() + ", " + random.nextInt(4) + ", " + random.nextInt(12) + ") "
                    + "c.encode_max_depth(" + (1 + random.nextInt(4)) + ") ";
                String value = v.lua() + (random.nextInt(3) == 0 ? "" : ", " + new String[] {"1/0", "-1/0", "0/0"}[random.nextInt(3)]);
                if (v.orderSafe()) {
                    snippets.add(setup + "return c.encode({" + value + "})");
                } else {
                    snippets.add(setup + "local ok, r = pcall(c.encode, {" + value + "}) if not ok then return 'error' end return cjson.decode(r)");
                }
            }
            LuaDiff.assertSame(redis, snippets);
        });
    }

    @Test
    void cjsonDecodingsMatchRedis(RespClient redis) {
        Seeds.run("random JSON texts", random -> {
            RandomLuaValues gen = new RandomLuaValues(random, true);
            List<String> snippets = new ArrayList<>();
            for (int i = 0; i < CASES; i++) {
                snippets.add("return cjson.decode(" + RandomLuaValues.jsonLit(gen.json(0)) + ")");
            }
            LuaDiff.assertSame(redis, snippets);
        });
    }

    @Test
    void cmsgpackEncodingsMatchRedis(RespClient redis) {
        Seeds.run("random cmsgpack values", random -> {
            RandomLuaValues gen = new RandomLuaValues(random, false);
            List<String> snippets = new ArrayList<>();
            for (int i = 0; i < CASES; i++) {
                RandomLuaValues.Value v = gen.value(0);
                RandomLuaValues.Value w = gen.value(0);
                if (v.orderSafe() && w.orderSafe()) {
                    snippets.add("return cmsgpack.pack(" + v.lua() + ", " + w.lua() + ")");
                }
                snippets.add("local ok, r = pcall(cmsgpack.pack, " + v.lua() + ", " + w.lua() + ") if not ok then return 'error' end return cmsgpack.unpack(r)");
            }
            LuaDiff.assertSame(redis, snippets);
        });
    }

    @Test
    void cmsgpackDecodingsMatchRedis(RespClient redis) {
        Seeds.run("random MessagePack bytes", random -> {
            RandomLuaValues gen = new RandomLuaValues(random, false);
            List<String> snippets = new ArrayList<>();
            for (int i = 0; i < CASES; i++) {
                String s = LuaDiff.lit(gen.msgpack());
                switch (random.nextInt(3)) {
                    case 0 -> snippets.add("return cmsgpack.unpack(" + s + ")");
                    case 1 -> snippets.add("return cmsgpack.unpack_one(" + s + ", " + random.nextInt(4) + ")");
                    default -> snippets.add("return cmsgpack.unpack_limit(" + s + ", " + random.nextInt(3) + ", " + random.nextInt(3) + ")");
                }
            }
            LuaDiff.assertSame(redis, snippets);
        });
    }
}
