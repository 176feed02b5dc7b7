package io.redjar.internal.persistence.rdb;

import io.redjar.Reply;
import io.redjar.Store;
import io.redjar.internal.Internals;
import io.redjar.testing.RedisServerProcess;
import io.redjar.testing.RequiresRedis;
import io.redjar.testing.RespClient;
import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static io.redjar.internal.persistence.rdb.RdbFixtures.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Streams with consumer groups across RedJar and redis-server 7.0, through RDB type 19: DUMP
 * payloads restored both ways (and a Redis payload restored into RedJar dumps back byte for byte),
 * a RedJar RDB file accepted by {@code redis-check-rdb} and loaded by redis-server, a redis-server
 * {@code dump.rdb} loaded by {@link RdbLoader}; compared by XINFO STREAM FULL (times included:
 * they travel in the payload) and XINFO GROUPS.
 */
@RequiresRedis
class RdbStreamsInteropTest {
    private static final String[] KEYS = {"s0", "s1", "s2", "empty"};

    private static RedisServerProcess redis(String... args) {
        return RedisServerProcess.start(RedisServerProcess.locate().orElseThrow(), RedisServerProcess.DEFAULT_START_TIMEOUT,
            List.of(args));
    }

    /** Streams of several nodes with deletions, groups, PELs spread over consumers, an idle consumer, an empty stream. */
    static void fill(RdbFixtures.Exec x, Random r) {
        for (int k = 0; k < 3; k++) {
            String key = "s" + k;
            int n = 1 + r.nextInt(k == 0 ? 20 : 300);
            for (int i = 1; i <= n; i++) {
                x.ok(b("XADD"), b(key), b(i + "-" + r.nextInt(3)), b("f" + r.nextInt(3)), b("v" + r.nextInt(1000)));
            }
            for (int i = 0; i < n / 5; i++) {
                x.call(b("XDEL"), b(key), b((1 + r.nextInt(n)) + "-" + r.nextInt(3)));
            }
            int groups = r.nextInt(4);
            for (int g = 0; g < groups; g++) {
                String group = "g" + g;
                x.ok(b("XGROUP"), b("CREATE"), b(key), b(group), b(r.nextBoolean() ? "0" : "$"));
                for (int c = 0; c < 1 + r.nextInt(4); c++) {
                    x.ok(b("XREADGROUP"), b("GROUP"), b(group), b("c" + c), b("COUNT"), b(Integer.toString(1 + r.nextInt(30))),
                        b("STREAMS"), b(key), b(">"));
                }
                x.ok(b("XACK"), b(key), b(group), b("1-0"), b("2-1"), b("3-2"));
                x.ok(b("XGROUP"), b("CREATECONSUMER"), b(key), b(group), b("idle"));
                x.ok(b("XCLAIM"), b(key), b(group), b("claimer"), b("0"), b("4-0"), b("5-1"), b("RETRYCOUNT"), b("9"));
            }
        }
        x.ok(b("XGROUP"), b("CREATE"), b("empty"), b("g"), b("$"), b("MKSTREAM"));
    }

    private static List<Reply> contents(RdbFixtures.Exec x) {
        List<Reply> out = new ArrayList<>();
        for (String k : KEYS) {
            out.add(x.ok(b("XINFO"), b("STREAM"), b(k), b("FULL"), b("COUNT"), b("0")));
            out.add(x.ok(b("XINFO"), b("GROUPS"), b(k)));
        }
        return out;
    }

    private static RdbFixtures.Exec of(RespClient c) {
        return c::call;
    }

    private static RdbFixtures.Exec of(Store s) {
        return argv -> s.execute(argv);
    }

    @Test
    void dumpPayloadsCrossBothWays() {
        Seeds.run("stream DUMP payloads across RedJar and redis-server", r -> {
            try (RedisServerProcess p = redis(); RespClient c = p.connect(); Store s = Store.open()) {
                RdbFixtures.Exec rx = of(c);
                RdbFixtures.Exec sx = of(s);
                fill(rx, r);
                for (String k : KEYS) {
                    byte[] payload = ((Reply.Bulk) rx.ok(b("DUMP"), b(k))).value();
                    sx.ok(b("RESTORE"), b(k), b("0"), payload);
                    assertArrayEquals(payload, ((Reply.Bulk) sx.ok(b("DUMP"), b(k))).value(), "RedJar dumps " + k + " as Redis did");
                }
                assertEquals(contents(rx), contents(sx));
                Internals.engine(s).keyspace().verifyIntegrity();

                rx.ok(b("FLUSHALL"));
                s.execute("FLUSHALL");
                fill(sx, r);
                for (String k : KEYS) {
                    rx.ok(b("RESTORE"), b(k), b("0"), ((Reply.Bulk) sx.ok(b("DUMP"), b(k))).value());
                }
                assertEquals(contents(sx), contents(rx));
            }
        });
    }

    @Test
    void rdbFilesCrossBothWays(@TempDir Path dir) {
        Seeds.run("stream RDB files across RedJar and redis-server", r -> {
            List<Reply> expected;
            try (Store s = Store.open()) {
                fill(of(s), r);
                expected = contents(of(s));
                Files.write(dir.resolve("dump.rdb"), RdbRoundTripTest.write(Internals.engine(s).keyspace(), List.of(), r.nextBoolean()));
            }
            String check = RdbRedisInteropTest.redisCheckRdb(dir.resolve("dump.rdb"));
            assertTrue(check.contains("RDB looks OK"), check);
            try (RedisServerProcess p = redis("--dir", dir.toString(), "--dbfilename", "dump.rdb"); RespClient c = p.connect()) {
                assertEquals(expected, contents(of(c)), "redis-server loaded RedJar's file");
                c.call(b("FLUSHALL"));
                fill(of(c), r);
                expected = contents(of(c));
                assertEquals(Reply.OK, c.call(b("SAVE")));
            }
            Path file = dir.resolve("dump.rdb");
            try (Store s = Store.open(); InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
                new RdbLoader(Internals.engine(s).keyspace(), x -> { }, Internals.engine(s).limits()).load(in, Files.size(file),
                    (read, total, keys) -> { });
                assertEquals(expected, contents(of(s)), "RedJar loaded redis-server's file");
                Internals.engine(s).keyspace().verifyIntegrity();
            }
        });
    }

    @Test
    void corruptPayloadsAreRefused() {
        try (Store s = Store.open()) {
            s.execute("XADD", "s", "1-1", "f", "v");
            s.execute("XGROUP", "CREATE", "s", "g", "0");
            s.execute("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">");
            byte[] good = ((Reply.Bulk) s.execute(b("DUMP"), b("s"))).value();
            int refused = 0;
            Random r = new Random(7);
            for (int i = 0; i < 2000; i++) {
                byte[] bad = Arrays.copyOf(good, good.length);
                bad[1 + r.nextInt(bad.length - 11)] ^= (byte) (1 + r.nextInt(255));
                // fix the CRC so the value parser (not the checksum) has to catch it
                byte[] body = Arrays.copyOf(bad, bad.length - 8);
                long crc = Crc64.update(0, body, 0, body.length);
                for (int k = 0; k < 8; k++) {
                    bad[bad.length - 8 + k] = (byte) (crc >>> (8 * k));
                }
                Reply rr = s.execute(b("RESTORE"), b("x"), b("0"), bad, b("REPLACE"));
                if (rr.isError()) {
                    refused++;
                }
                Internals.engine(s).keyspace().verifyIntegrity();
            }
            assertTrue(refused > 100, "most flipped bytes are refused: " + refused);
        }
    }
}
