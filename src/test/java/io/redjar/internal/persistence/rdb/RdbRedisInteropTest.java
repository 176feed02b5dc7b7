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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static io.redjar.internal.persistence.rdb.RdbFixtures.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Interoperability with the installed redis-server 7.0, both ways: DUMP payloads (every type and
 * encoding, integers, binary, long compressible strings, expire times) restored from Redis into
 * RedJar and from RedJar into Redis with identical contents; a {@code dump.rdb} saved by Redis
 * (three databases, a function library, LRU idle times) loaded through {@link RdbLoader}; and a
 * file written by {@link RdbWriter} + {@link RdbEntries} that {@code redis-check-rdb} accepts and
 * a redis-server started on it loads with identical contents.
 */
@RequiresRedis
class RdbRedisInteropTest {
    private static final int DBS = 3;

    private static RedisServerProcess redis(String... args) {
        Path exe = RedisServerProcess.locate().orElseThrow();
        return RedisServerProcess.start(exe, RedisServerProcess.DEFAULT_START_TIMEOUT, List.of(args));
    }

    private static RdbFixtures.Exec db(RespClient c, int db) {
        return argv -> {
            c.call(b("SELECT"), b(Integer.toString(db)));
            return c.call(argv);
        };
    }

    private static RdbFixtures.Exec db(Store s, int db) {
        return argv -> s.database(db).execute(argv);
    }

    @Test
    void dumpPayloadsCrossBothWays() {
        Seeds.run("DUMP payloads across RedJar and redis-server", r -> {
            long base = System.currentTimeMillis() + 3_600_000;
            try (RedisServerProcess p = redis(); RespClient c = p.connect(); Store s = Store.open()) {
                RdbFixtures.Exec rx = db(c, 0);
                RdbFixtures.Exec sx = db(s, 0);
                RdbFixtures.fill(rx, r, "r", 150, base);
                TreeMap<String, String> fromRedis = RdbFixtures.contents(rx);
                RdbRoundTripTest.assertCoversEveryEncoding(fromRedis);
                copyByDump(rx, sx);
                RdbFixtures.assertSame(fromRedis, RdbFixtures.contents(sx), "Redis payloads restored into RedJar");
                Internals.engine(s).keyspace().verifyIntegrity();

                rx.ok(b("FLUSHALL"));
                s.execute("FLUSHALL");
                RdbFixtures.fill(sx, r, "j", 150, base);
                TreeMap<String, String> fromRedJar = RdbFixtures.contents(sx);
                copyByDump(sx, rx);
                RdbFixtures.assertSame(fromRedJar, RdbFixtures.contents(rx), "RedJar payloads restored into Redis");
            }
        });
    }

    /** DUMP every key of {@code from} and RESTORE it into {@code to} with its absolute expire time. */
    private static void copyByDump(RdbFixtures.Exec from, RdbFixtures.Exec to) {
        for (Reply k : RdbFixtures.elements(from.ok(b("KEYS"), b("*")))) {
            byte[] key = ((Reply.Bulk) k).value();
            byte[] payload = ((Reply.Bulk) from.ok(b("DUMP"), key)).value();
            long at = ((Reply.IntegerReply) from.ok(b("PEXPIRETIME"), key)).value();
            to.ok(b("RESTORE"), key, b(Long.toString(Math.max(at, 0))), payload, b("ABSTTL"));
        }
    }

    @Test
    void redisDumpFileLoadsIntoRedJar(@TempDir Path dir) {
        Seeds.run("redis-server's dump.rdb into RdbLoader", r -> {
            long base = System.currentTimeMillis() + 3_600_000;
            List<Map<String, String>> expected = new ArrayList<>();
            String lib;
            try (RedisServerProcess p = redis("--dir", dir.toString(), "--dbfilename", "dump.rdb",
                "--maxmemory-policy", "allkeys-lru"); RespClient c = p.connect()) {
                for (int d = 0; d < DBS; d++) {
                    RdbFixtures.fill(db(c, d), r, "d" + d + "_", 80, base);
                    expected.add(RdbFixtures.contents(db(c, d)));
                }
                lib = RdbFixtures.library(db(c, 0), "redislib");
                // active expiry off first: the key stays in the file, and the loader must skip it
                db(c, 0).ok(b("DEBUG"), b("SET-ACTIVE-EXPIRE"), b("0"));
                db(c, 0).ok(b("SET"), b("expired"), b("x"), b("PX"), b("1"));
                assertEquals(Reply.OK, db(c, 0).ok(b("SAVE")));
            }
            Path file = dir.resolve("dump.rdb");
            long size = Files.size(file);
            List<String> libs = new ArrayList<>();
            try (Store s = Store.open(); InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
                long[] progressed = new long[1];
                RdbLoader.Stats st = new RdbLoader(Internals.engine(s).keyspace(), libs::add, Internals.engine(s).limits())
                    .load(in, size, (read, total, keys) -> progressed[0] = read);
                assertEquals(size, st.bytesRead);
                assertEquals(size, progressed[0]);
                assertEquals(-1, in.read(), "nothing after the checksum");
                assertEquals(List.of(lib), libs);
                assertEquals(1, st.expiredSkipped, "the key that expired before loading");
                assertTrue(st.aux.containsKey("redis-ver"), st.aux.toString());
                for (int d = 0; d < DBS; d++) {
                    RdbFixtures.assertSame(expected.get(d), RdbFixtures.contents(db(s, d)), "db " + d);
                }
                Internals.engine(s).keyspace().verifyIntegrity();
            }
        });
    }

    @Test
    void redJarFilePassesRedisCheckRdbAndLoadsIntoRedis(@TempDir Path dir) {
        Seeds.run("RedJar's file into redis-check-rdb and redis-server", r -> {
            long base = System.currentTimeMillis() + 3_600_000;
            List<Map<String, String>> expected = new ArrayList<>();
            String lib = "#!lua name=jarlib\nredis.register_function('jarlib_f', function(keys, args) return 7 end)";
            try (Store s = Store.open()) {
                for (int d = 0; d < DBS; d++) {
                    RdbFixtures.fill(db(s, d), r, "d" + d + "_", 80, base);
                    expected.add(RdbFixtures.contents(db(s, d)));
                }
                byte[] file = RdbRoundTripTest.write(Internals.engine(s).keyspace(), List.of(lib), r.nextBoolean());
                Files.write(dir.resolve("dump.rdb"), file);
            }
            String check = redisCheckRdb(dir.resolve("dump.rdb"));
            assertTrue(check.contains("RDB looks OK"), check);
            try (RedisServerProcess p = redis("--dir", dir.toString(), "--dbfilename", "dump.rdb"); RespClient c = p.connect()) {
                for (int d = 0; d < DBS; d++) {
                    RdbFixtures.assertSame(expected.get(d), RdbFixtures.contents(db(c, d)), "db " + d);
                }
                assertEquals(Reply.integer(7), db(c, 0).ok(b("FCALL"), b("jarlib_f"), b("0")));
            }
        });
    }

    /** Runs redis-check-rdb (or {@code redis-server --check-rdb}... as the Debian package links it). */
    static String redisCheckRdb(Path file) throws Exception {
        Path exe = RedisServerProcess.locate().orElseThrow();
        Path checker = exe.resolveSibling("redis-check-rdb");
        List<String> cmd = Files.isExecutable(checker) ? List.of(checker.toString(), file.toString())
            : List.of(exe.toString(), "--check-rdb", file.toString());
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = proc.getInputStream().readAllBytes();
        assertTrue(proc.waitFor(60, TimeUnit.SECONDS));
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, proc.exitValue(), text);
        return text;
    }

    static Duration timeout() {
        return RedisServerProcess.DEFAULT_START_TIMEOUT;
    }
}
