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
 * Lua number formatting against redis-server on seeded random doubles: {@code tostring} (Lua
 * 5.1's {@code %.14g}), a number passed to {@code redis.call} ({@code %.17g}), and a number
 * returned as a reply (truncated to an integer, x86's {@code LLONG_MIN} when out of range). Zero
 * is left out: LuaJ has no negative integer zero, so {@code tostring(-0)} is {@code "0"}.
 */
@RequiresRedis
class LuaNumbersDifferentialTest {
    private static final String SCRIPT = "local n = tonumber(ARGV[1]); redis.call('set', KEYS[1], n); "
        + "return {tostring(n), redis.call('get', KEYS[1]), n, tostring(-n), tostring(n / 3)}";

    static double randomDouble(Random r) {
        switch (r.nextInt(6)) {
            case 0:
                double d;
                do {
                    d = Double.longBitsToDouble(r.nextLong());
                } while (Double.isNaN(d) || Double.isInfinite(d));
                return d;
            case 1:
                return r.nextLong() >> r.nextInt(64);
            case 2:
                return r.nextInt(2_000_001) / 1000.0 - 1000;
            case 3:
                return Math.pow(10, r.nextInt(40) - 20) * (r.nextBoolean() ? 1 : -1);
            case 4:
                return r.nextDouble() * Math.pow(2, r.nextInt(120) - 60);
            default:
                return (double) (1L << r.nextInt(63)) + r.nextInt(3) - 1;
        }
    }

    @Test
    void tostringAndCallArgumentsMatchRedis(RespClient redis) {
        Seeds.run("lua numbers", random -> {
            List<Step> steps = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                double d = randomDouble(random);
                if (d == 0) {
                    continue; // LuaJ keeps integral values as integers: -0 prints "0" (Redis: "-0")
                }
                steps.add(Step.of("EVAL", SCRIPT, "1", "num", Double.toString(d)));
            }
            try (Store store = Store.open()) {
                Session session = store.newSession();
                session.protocol(3);
                new DifferentialRunner(redis, session::execute).run(steps);
            }
        });
    }
}
