package io.redjar.resp;

import io.redjar.resp.junit.RedJarTest;
import io.redjar.testing.RedisServerProcess;
import io.redjar.testing.RespClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The RESP server with redis-server's persistence options: SAVE and SHUTDOWN write the dump a
 * restarted server loads, and redis-server itself loads RedJar's dump (and the reverse).
 */
@RedJarTest
class PersistenceWireTest {
    private static ServerOptions options(Path dir, String... more) throws Exception {
        String[] args = new String[4 + more.length];
        args[0] = "--dir";
        args[1] = dir.toString();
        args[2] = "--port";
        args[3] = "0";
        System.arraycopy(more, 0, args, 4, more.length);
        return ServerOptions.parseArgs(args);
    }

    @Test
    void saveShutdownAndRestart(@TempDir Path dir) throws Exception {
        try (RedJarServer server = RedJarServer.start(options(dir, "--dbfilename", "my.rdb", "--save", "3600 1"))) {
            CountDownLatch down = new CountDownLatch(1);
            server.onShutdown(down::countDown);
            try (RawConn c = new RawConn(server.port())) {
                c.send("CONFIG GET dbfilename\r\n");
                assertEquals("*2\r\n$10\r\ndbfilename\r\n$6\r\nmy.rdb\r\n", c.readReplyString());
                c.send("SET k v\r\nRPUSH l a b c\r\nSAVE\r\n");
                assertEquals("+OK\r\n", c.readReplyString());
                assertEquals(":3\r\n", c.readReplyString());
                assertEquals("+OK\r\n", c.readReplyString());
                assertTrue(Files.exists(dir.resolve("my.rdb")));
                c.send("SET k2 after-save\r\n");
                assertEquals("+OK\r\n", c.readReplyString());
                c.send("SHUTDOWN\r\n"); // save points set: saves k2 too
                assertEquals(-1, c.socket.getInputStream().read());
            }
            assertTrue(down.await(10, TimeUnit.SECONDS));
        }
        try (RedJarServer server = RedJarServer.start(options(dir, "--dbfilename", "my.rdb"))) {
            try (RawConn c = new RawConn(server.port())) {
                c.send("GET k\r\nLRANGE l 0 -1\r\nGET k2\r\n");
                assertEquals("$1\r\nv\r\n", c.readReplyString());
                assertEquals("*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", c.readReplyString());
                assertEquals("$10\r\nafter-save\r\n", c.readReplyString());
            }
        }
    }

    @Test
    void redisServerLoadsRedJarsDumpAndTheReverse(@TempDir Path dir) throws Exception {
        DifferentialWireTest.requireTool("redis-server");
        try (RedJarServer server = RedJarServer.start(options(dir))) {
            try (RawConn c = new RawConn(server.port())) {
                c.send("SET s hello\r\nSADD set 1 2 3\r\nHSET h f v\r\nZADD z 1.5 m\r\nSET t x PX 100000000\r\nSELECT 3\r\nSET in3 yes\r\nBGSAVE\r\n");
                for (int i = 0; i < 7; i++) {
                    c.readReplyString();
                }
                assertEquals("+Background saving started\r\n", c.readReplyString());
                awaitFile(dir.resolve("dump.rdb"));
                c.send("INFO persistence\r\n");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (!c.readReplyString().contains("rdb_saves:1") && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                    c.send("INFO persistence\r\n");
                }
            }
        }
        try (RedisServerProcess redis = RedisServerProcess.start(RedisServerProcess.locate().orElseThrow(),
            RedisServerProcess.DEFAULT_START_TIMEOUT, List.of("--dir", dir.toString()));
             RespClient c = redis.connect()) {
            assertEquals("hello", str(c.call("GET", "s")));
            assertEquals("3", str(c.call("SCARD", "set")));
            assertEquals("v", str(c.call("HGET", "h", "f")));
            assertEquals("1.5", str(c.call("ZSCORE", "z", "m")));
            assertTrue(Long.parseLong(str(c.call("PTTL", "t"))) > 0);
            c.call("SELECT", "3");
            assertEquals("yes", str(c.call("GET", "in3")));
            // and back: redis-server's own dump into RedJar
            c.call("SELECT", "0");
            c.call("SET", "from-redis", "1");
            assertEquals("OK", str(c.call("SAVE")));
        }
        try (RedJarServer server = RedJarServer.start(options(dir))) {
            try (RawConn c = new RawConn(server.port())) {
                c.send("GET from-redis\r\nGET s\r\n");
                assertEquals("$1\r\n1\r\n", c.readReplyString());
                assertEquals("$5\r\nhello\r\n", c.readReplyString());
            }
        }
    }

    @Test
    void loadingInTheBackgroundAnswersLoading(@TempDir Path dir) throws Exception {
        try (io.redjar.Store store = io.redjar.Store.builder().dataDir(dir).open()) {
            store.execute("DEBUG", "POPULATE", "300000");
            store.save();
        }
        try (RedJarServer server = RedJarServer.start(options(dir).loadInBackground(true));
             RawConn c = new RawConn(server.port())) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String r;
            do {
                c.send("GET key:299999\r\n");
                r = c.readReplyString();
                assertTrue(r.equals("-LOADING Redis is loading the dataset in memory\r\n") || r.equals("$12\r\nvalue:299999\r\n"), r);
            } while (r.startsWith("-") && System.nanoTime() < deadline);
            assertEquals("$12\r\nvalue:299999\r\n", r);
            c.send("DBSIZE\r\n");
            assertEquals(":300000\r\n", c.readReplyString());
        }
    }

    private static String str(io.redjar.Reply r) {
        if (r instanceof io.redjar.Reply.Bulk b) {
            return b.asString();
        }
        if (r instanceof io.redjar.Reply.SimpleString s) {
            return s.value();
        }
        if (r instanceof io.redjar.Reply.DoubleReply d) {
            return Double.toString(d.value());
        }
        if (r instanceof io.redjar.Reply.IntegerReply i) {
            return Long.toString(i.value());
        }
        return r.toString();
    }

    private static void awaitFile(Path f) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(f) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(Files.exists(f), f + " written");
    }
}
