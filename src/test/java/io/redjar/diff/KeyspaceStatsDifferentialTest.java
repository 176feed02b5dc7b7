package io.redjar.diff;

import io.redjar.ManualClock;
import io.redjar.Reply;
import io.redjar.Session;
import io.redjar.Store;
import io.redjar.testing.BitCommandGenerator;
import io.redjar.testing.CommandGenerator;
import io.redjar.testing.GeoCommandGenerator;
import io.redjar.testing.HashCommandGenerator;
import io.redjar.testing.KeyCommandGenerator;
import io.redjar.testing.RequiresRedis;
import io.redjar.testing.RespClient;
import io.redjar.testing.Seeds;
import io.redjar.testing.SetCommandGenerator;
import io.redjar.testing.Step;
import io.redjar.testing.ZSetCommandGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.LongFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * INFO stats' {@code keyspace_hits} and {@code keyspace_misses} counted as redis-server counts
 * them: the random command sequences of the type generators (reads, writes, the STORE variants,
 * multi-key reads, WRONGTYPE errors) run against both, and after <em>every</em> command the two
 * counters must have moved by the same amounts (a divergence names the command). Plus
 * {@code expired_keys} (lazy and active expiry, not EXPIRE in the past) on an injected clock, and
 * CONFIG RESETSTAT.
 */
@RequiresRedis
class KeyspaceStatsDifferentialTest {

    private static final List<LongFunction<CommandGenerator>> GENERATORS = List.of(
        KeyCommandGenerator::new, HashCommandGenerator::new, ListCommandGenerator::new, SetCommandGenerator::new,
        ZSetCommandGenerator::new, BitCommandGenerator::new, GeoCommandGenerator::new, SortCommandGenerator::new,
        io.redjar.testing.StreamCommandGenerator::new, io.redjar.testing.StreamGroupCommandGenerator::new,
        HllSteps::new);

    /** PFADD, PFCOUNT (one key: a read lookup in 7.0; several), PFMERGE (every key read, dest included). */
    static final class HllSteps extends CommandGenerator {
        HllSteps(long seed) {
            super(seed, 4);
            command(4, () -> cmd("PFADD", key(), value(), value()));
            command(3, () -> cmd("PFCOUNT", key()));
            command(2, () -> cmd("PFCOUNT", key(), key(), key()));
            command(2, () -> cmd("PFMERGE", key(), key(), key()));
            command(1, () -> cmd("SET", key(), value()));
            command(1, () -> cmd("DEL", key()));
        }
    }

    @ParameterizedTest(name = "generator {0}")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void hitsAndMissesMoveAsRedisDoes(int generator, RespClient redis) {
        long seed = Seeds.seed();
        CommandGenerator g = GENERATORS.get(generator).apply(seed);
        System.out.println("KeyspaceStatsDifferentialTest " + g.getClass().getSimpleName() + " seed=" + seed);
        redis.call("FLUSHALL");
        redis.call("CONFIG", "RESETSTAT");
        try (Store store = Store.open()) {
            Session session = store.newSession();
            long[] theirs = stats(info(redis.call("INFO", "stats")));
            long[] ours = stats(info(session.execute("INFO", "stats")));
            assertEquals(0, ours[0] + ours[1]);
            Deque<String> history = new ArrayDeque<>();
            for (int i = 0; i < 600; i++) {
                Step step = g.next();
                redis.call(step.argv());
                session.execute(step.argv());
                history.addLast(step.toString());
                if (history.size() > 10) {
                    history.removeFirst();
                }
                long[] t = stats(info(redis.call("INFO", "stats")));
                long[] o = stats(info(session.execute("INFO", "stats")));
                if (t[0] - theirs[0] != o[0] - ours[0] || t[1] - theirs[1] != o[1] - ours[1]) {
                    fail("seed=" + seed + " step " + i + " " + step + ": redis hits +" + (t[0] - theirs[0]) + " misses +"
                        + (t[1] - theirs[1]) + ", redjar hits +" + (o[0] - ours[0]) + " misses +" + (o[1] - ours[1])
                        + "\nlast commands: " + history);
                }
                theirs = t;
                ours = o;
            }
        }
    }

    @Test
    void expiredKeysLazyAndActiveNotExpireInThePast() {
        ManualClock clock = new ManualClock(1_000_000);
        try (Store store = Store.builder().clock(clock).activeExpire(false).open()) {
            store.execute("SET", "a", "1", "PX", "100");
            store.execute("SET", "b", "1", "PX", "100");
            store.execute("SET", "c", "1");
            store.execute("EXPIRE", "c", "-1"); // deleted as a DEL, not an expiry
            clock.advance(Duration.ofMillis(100));
            assertEquals(Reply.NULL, store.execute("GET", "a")); // lazy: a miss and an expired key
            java.util.Map<String, String> v = info(store.execute("INFO", "stats"));
            assertEquals("1", v.get("expired_keys"));
            assertEquals("0", v.get("keyspace_hits"));
            assertEquals("1", v.get("keyspace_misses"));
            store.execute("SET", "b", "2"); // a write lookup: expires b, no miss
            v = info(store.execute("INFO", "stats"));
            assertEquals("2", v.get("expired_keys"));
            assertEquals("1", v.get("keyspace_misses"));
            store.execute("SET", "d", "1", "PX", "10");
            clock.advance(Duration.ofMillis(10));
            io.redjar.internal.Internals.engine(store).activeExpiry().runCycle(Long.MAX_VALUE); // active
            assertEquals("3", info(store.execute("INFO", "stats")).get("expired_keys"));
            assertEquals(Reply.OK, store.execute("CONFIG", "RESETSTAT"));
            v = info(store.execute("INFO", "stats"));
            assertEquals("0", v.get("expired_keys"));
            assertEquals("0", v.get("keyspace_misses"));
        }
    }

    private static long[] stats(java.util.Map<String, String> v) {
        return new long[] {Long.parseLong(v.get("keyspace_hits")), Long.parseLong(v.get("keyspace_misses"))};
    }

    private static java.util.Map<String, String> info(Reply r) {
        String text = r instanceof Reply.Verbatim vb ? vb.text()
            : new String(((Reply.Bulk) r).value(), StandardCharsets.UTF_8);
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String line : text.split("\r\n")) {
            int colon = line.indexOf(':');
            if (!line.startsWith("#") && colon > 0) {
                out.put(line.substring(0, colon), line.substring(colon + 1));
            }
        }
        return out;
    }
}
