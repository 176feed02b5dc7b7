package io.redjar.internal.persistence.aof;

import io.redjar.AppendFsync;
import io.redjar.Session;
import io.redjar.Store;
import io.redjar.testing.RedisServerProcess;
import io.redjar.testing.RespClient;
import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Interop with the installed Redis 7.0 tools: {@code redis-check-aof} accepts RedJar's directory
 * (given the manifest), a real {@code redis-server} started on it has the same contents, and
 * redis-server's own AOF directory ({@code aof-use-rdb-preamble no}) loads into RedJar identically.
 * Without redis-server the tests are skipped loudly (a failure under {@code CI=true}).
 */
@Tag("redis")
class AofInteropTest {
    @TempDir
    Path dir;

    private static Path server;
    private static Path checkAof;

    @BeforeAll
    static void locate() {
        Optional<Path> s = RedisServerProcess.locate();
        if (s.isEmpty()) {
            if (Seeds.inCi()) {
                fail("redis-server not found; .ci/run must install it");
            }
            System.err.println("\n*** AofInteropTest SKIPPED: redis-server not installed ***\n");
            Assumptions.abort("redis-server not installed");
        }
        server = s.get();
        Path c = server.resolveSibling("redis-check-aof");
        checkAof = c.toFile().canExecute() ? c : null;
    }

    /** {@code aof-use-rdb-preamble} of the run: the base in command form, or an RDB (the default). */
    private String preamble = "no";

    private void writeRedJar(Random r) {
        try (Store a = AofTestSupport.open(dir, AppendFsync.EVERYSEC, "aof-use-rdb-preamble", preamble)) {
            Session s = a.newSession();
            for (int i = 0; i < 600; i++) {
                AofTestSupport.randomWrite(s, r);
            }
            assertTrue(AofRoundTripTest.aof(a).rewriteNow());
            for (int i = 0; i < 600; i++) {
                AofTestSupport.randomWrite(s, r);
            }
            // big collections: the command-form base writes them 64 items per command
            for (int i = 0; i < 200; i++) {
                a.execute("RPUSH", "biglist", "e" + i);
                a.execute("HSET", "bighash", "f" + i, "v" + i);
                a.execute("ZADD", "bigz", Integer.toString(i), "m" + i);
                a.execute("SADD", "bigset", "s" + i);
            }
            assertTrue(AofRoundTripTest.aof(a).rewriteNow());
            String base = AofRoundTripTest.aof(a).manifest().base().name();
            assertTrue(base.endsWith(preamble.equals("yes") ? ".base.rdb" : ".base.aof"), base);
            a.execute("SET", "tail", "after the last rewrite");
        }
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "aof-use-rdb-preamble {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"no", "yes"})
    void redisCheckAofAcceptsRedJarsDirectory(String preamble) throws Exception {
        this.preamble = preamble;
        if (checkAof == null && Seeds.inCi()) {
            fail("redis-check-aof not found next to redis-server; .ci/run must install redis-tools");
        }
        Assumptions.assumeTrue(checkAof != null, "redis-check-aof not installed next to redis-server");
        Seeds.run("aof interop check", this::writeRedJar);
        Process p = new ProcessBuilder(checkAof.toString(),
            dir.resolve("appendonlydir").resolve("appendonly.aof.manifest").toString())
            .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("is valid"), out);
        assertFalse(out.toLowerCase(java.util.Locale.ROOT).contains("not valid"), out);
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "aof-use-rdb-preamble {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"no", "yes"})
    void redisServerLoadsRedJarsDirectoryWithTheSameContents(String preamble) throws Exception {
        this.preamble = preamble;
        Seeds.run("aof interop redjar -> redis", this::writeRedJar);
        SortedMap<String, String> expected;
        try (Store b = AofTestSupport.open(dir, AppendFsync.EVERYSEC, "aof-use-rdb-preamble", preamble)) {
            expected = AofTestSupport.contents(b, 3);
        }
        try (RedisServerProcess redis = RedisServerProcess.start(server, Duration.ofSeconds(20), List.of(
            "--dir", dir.toString(), "--appendonly", "yes", "--appenddirname", "appendonlydir",
            "--aof-use-rdb-preamble", preamble));
             RespClient c = redis.connect(false)) {
            SortedMap<String, String> actual = AofTestSupport.contents((db, argv) -> {
                c.call("SELECT", Integer.toString(db));
                return c.call(argv);
            }, 3);
            AofTestSupport.assertSameContents(expected, actual);
        }
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "aof-use-rdb-preamble {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"no", "yes"})
    void redisServersDirectoryLoadsIntoRedJar(String preamble) throws Exception {
        SortedMap<String, String> expected;
        try (RedisServerProcess redis = RedisServerProcess.start(server, Duration.ofSeconds(20), List.of(
            "--dir", dir.toString(), "--appendonly", "yes", "--appendfsync", "always",
            "--aof-use-rdb-preamble", preamble));
             RespClient c = redis.connect(false)) {
            Seeds.run("aof interop redis -> redjar", r -> {
                for (int i = 0; i < 1200; i++) {
                    if (i == 600) {
                        c.call("BGREWRITEAOF");
                        waitForRewrite(c);
                    }
                    if (r.nextInt(15) == 0) {
                        c.call("MULTI");
                        c.call(AofTestSupport.command(r));
                        c.call(AofTestSupport.command(r));
                        c.call("EXEC");
                    } else {
                        c.call("SELECT", Integer.toString(r.nextInt(3)));
                        c.call(AofTestSupport.command(r));
                    }
                }
            });
            expected = AofTestSupport.contents((db, argv) -> {
                c.call("SELECT", Integer.toString(db));
                return c.call(argv);
            }, 3);
        }
        assertFalse(expected.isEmpty());
        try (Store b = AofTestSupport.open(dir, AppendFsync.EVERYSEC)) {
            AofTestSupport.assertSameContents(expected, AofTestSupport.contents(b, 3));
        }
    }

    private static void waitForRewrite(RespClient c) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < end) {
            String info = AofTestSupport.text(c.call("INFO", "persistence"));
            if (info.contains("aof_rewrite_in_progress:0") && info.contains("aof_rewrite_scheduled:0")) {
                return;
            }
            Thread.sleep(20);
        }
        fail("redis-server's rewrite did not finish");
    }
}
