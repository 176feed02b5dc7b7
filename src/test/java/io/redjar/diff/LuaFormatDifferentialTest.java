package io.redjar.diff;

import io.redjar.Session;
import io.redjar.Store;
import io.redjar.testing.DifferentialRunner;
import io.redjar.testing.RequiresRedis;
import io.redjar.testing.RespClient;
import io.redjar.testing.Seeds;
import io.redjar.testing.Step;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * {@code string.format} and {@code table.concat} in scripts compared with redis-server's Lua 5.1
 * (C's sprintf, numbers as %.14g): every
 * conversion with flags, widths and precisions, big and negative numbers, NaN and infinities,
 * {@code %q}, {@code %s} of numbers and long strings, and the errors; then a seeded random mix of
 * specs and values.
 */
@RequiresRedis
class LuaFormatDifferentialTest {
    private static final String[] CASES = {
        "string.format('%d', 2^52)", "string.format('%d', 3000000000)", "string.format('%d', -7.9)",
        "string.format('%d', 2^63)", "string.format('%d', -2^63)", "string.format('%i|%5d|%-5d|%05d', 3, 42, 42, 42)",
        "string.format('%+d % d %.3d %.0d', 5, 5, 5, 0)", "string.format('%x %X %#x %#o %o', 255, 255, 255, 8, 8)",
        "string.format('%x', -1)", "string.format('%u', -1)", "string.format('%u', 2^63 + 2^62)",
        "string.format('%.3f', 1/3)", "string.format('%5.1f|%-8.2f|%08.3f', 3.14159, 2.5, -1.5)",
        "string.format('%.2f', 2.675)", "string.format('%f', 1e300)", "string.format('%.0f %#.0f', 2.5, 3.5)",
        "string.format('%e %E %.2e %.0e', 12345.678, 0.000123, 1/3, 5e10)", "string.format('%g %g %g %g', 100000, 1000000, 1e-5, 0.0001)",
        "string.format('%g %G %.3g %#g %.10g', 1/3, 1e20, 2.5, 1, 2^53)", "string.format('%g', 0)", "string.format('%e', 0)",
        "string.format('%f %e %g', 1/0, -1/0, 0/0)", "string.format('%F', 1)", "string.format('%5s|%-5s|%.2s', 'ab', 'ab', 'abc')",
        "string.format('%s %s %s', 1, 2.5, 2^53)", "string.format('%s', string.rep('x', 120))", "string.format('%.3s', string.rep('y', 120))",
        "string.format('%q', 'a\"b\\\\c\\n\\r\\0d')", "string.format('%c%c%c', 72, 105, 33)", "string.format('%%|%5%')",
        "string.format('%d', '10')", "string.format('%s')", "string.format('%d', 'x')", "string.format('%d', {})",
        "string.format('%z', 1)", "string.format('%123d', 1)", "string.format('%.123f', 1)", "string.format('%------d', 1)",
        "string.format('%10.4f|%-10.4e|%+.3g', 3.14159265, 31415.9265, 0.00001234)", "string.format('%5.2s|', 'abcdef')",
        "table.concat({1, 0.0003, 'x', 1e20, 2^53, -0.5}, ',')", "table.concat({1, {}, 3})", "table.concat({1, 2, 3}, '-', 2)",
        "table.concat({1, 2, 3}, '-', 2, 5)", "table.concat({}, 'x', 3, 2)", "table.concat(1)", "table.concat({'a', 'b'})",
        "string.format('%.14g', 0.1)", "string.format('%.17g', 0.1)", "string.format('%.20f', 0.1)", "string.format('%a', 1)",
    };

    private static String script(String expr) {
        return "local ok, r = pcall(function() local v = " + expr + " return v end) if ok then return r else return 'ERR ' .. tostring(r) end";
    }

    @Test
    void casesAgainstRedis(RespClient redis) {
        List<Step> steps = new ArrayList<>();
        for (String c : CASES) {
            steps.add(Step.of("EVAL", script(c), "0"));
        }
        run(redis, steps);
    }

    @Test
    void randomSpecsAgainstRedis(RespClient redis) {
        long seed = Seeds.seed();
        System.out.println("LuaFormatDifferentialTest seed=" + seed);
        Random r = new Random(seed);
        String[] convs = {"d", "i", "u", "x", "X", "o", "e", "E", "f", "g", "G", "s"};
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            StringBuilder spec = new StringBuilder("%");
            for (char f : "-+ #0".toCharArray()) {
                if (r.nextInt(4) == 0) {
                    spec.append(f);
                }
            }
            if (r.nextBoolean()) {
                spec.append(r.nextInt(30));
            }
            if (r.nextBoolean()) {
                spec.append('.').append(r.nextInt(25));
            }
            String conv = convs[r.nextInt(convs.length)];
            spec.append(conv);
            String value = switch (r.nextInt(6)) {
                case 0 -> Long.toString(r.nextInt(2000) - 1000);
                case 1 -> Double.toString((r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(40) - 20));
                case 2 -> Long.toString(r.nextLong() >> r.nextInt(64));
                case 3 -> "1/3";
                case 4 -> r.nextBoolean() ? "2^53+1" : "-(2^31)";
                default -> Double.toString(r.nextInt(100000) / 100.0);
            };
            steps.add(Step.of("EVAL", script("string.format('" + spec + "', " + value + ")"), "0"));
        }
        run(redis, steps);
    }

    private static void run(RespClient redis, List<Step> steps) {
        try (Store store = Store.open()) {
            Session s = store.newSession();
            s.protocol(3);
            new DifferentialRunner(redis, s::execute).run(steps);
        }
    }
}
