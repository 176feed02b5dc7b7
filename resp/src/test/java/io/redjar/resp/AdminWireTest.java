package io.redjar.resp;

import io.redjar.ManualClock;
import io.redjar.Store;
import io.redjar.testing.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;

import static io.redjar.resp.RawConn.call;
import static io.redjar.resp.RawConn.cmd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin commands over the wire: CLIENT PAUSE / UNPAUSE (held clients, order, what each mode
 * holds, expiry during a pause), CONFIG SET of several settings with rollback, the settings the
 * introspection tests need, and the error texts, compared byte for byte with a real redis-server.
 * The differential part skips loudly without redis-server.
 */
class AdminWireTest {
    private static RedisServerProcess redis;

    @BeforeAll
    static void startRedis() throws Exception {
        DifferentialWireTest.requireTool("redis-server");
        redis = DifferentialWireTest.startRedisServer();
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    /** Waits up to 5 s until INFO says {@code n} clients are blocked (paused ones count, as in Redis). */
    private static void waitBlockedInfo(RawConn c, int n) throws Exception {
        long end = System.nanoTime() + 5_000_000_000L;
        String info = "";
        while (System.nanoTime() < end) {
            info = call(c, "INFO", "clients");
            if (info.contains("\r\nblocked_clients:" + n + "\r\n")) {
                return;
            }
            Thread.sleep(2);
        }
        throw new AssertionError("expected blocked_clients:" + n + " in " + info);
    }

    /** One event loop (as the Redis suite runs it): held clients resume in the order they were held. */
    @Test
    void pauseWriteHoldsWritesInOrderAndLetsReadsThrough() throws Exception {
        try (RedJarServer server = RedJarServer.start(ServerOptions.defaults().port(0).ioThreads(1));
             RawConn admin = new RawConn(server.port()); RawConn a = new RawConn(server.port()); RawConn b = new RawConn(server.port())) {
            assertEquals("+OK\r\n", call(admin, "CLIENT", "PAUSE", "100000", "WRITE"));
            // reads, PING, INFO and read-only scripts go on
            assertEquals("$-1\r\n", call(a, "GET", "k"));
            assertEquals("+PONG\r\n", call(a, "PING"));
            assertEquals(":2\r\n", call(a, "EVAL", "#!lua flags=no-writes\nreturn 2", "0"));
            assertEquals(":3\r\n", call(a, "EVAL_RO", "return 3", "0"));
            // an error that processCommand finds first is answered at once
            assertEquals("-ERR wrong number of arguments for 'set' command\r\n", call(a, "SET", "k"));
            // writes, may-replicate commands (PUBLISH) and scripts that may write are held, pipelined
            // commands behind them too
            a.send(cmd("SET", "k", "1") + cmd("GET", "k"));
            b.send(cmd("PUBLISH", "ch", "m"));
            waitBlockedInfo(admin, 2);
            String list = call(admin, "CLIENT", "LIST");
            assertEquals(2, list.split(" flags=b ", -1).length - 1, "held clients are flagged b: " + list);
            RawConn c = new RawConn(server.port());
            c.send(cmd("EVAL", "return redis.call('incr', 'k')", "0"));
            waitBlockedInfo(admin, 3);
            assertEquals("$-1\r\n", call(admin, "GET", "k"), "nothing written during the pause");
            assertEquals("+OK\r\n", call(admin, "CLIENT", "UNPAUSE"));
            assertEquals("+OK\r\n", a.readReplyString());
            assertEquals("$1\r\n1\r\n", a.readReplyString());
            assertEquals(":0\r\n", b.readReplyString());
            assertEquals(":2\r\n", c.readReplyString());
            c.close();
            waitBlockedInfo(admin, 0);
        }
    }

    @Test
    void pauseAllHoldsEverythingUntilItsTimeEnds() throws Exception {
        try (RedJarServer server = RedJarServer.start(ServerOptions.defaults().port(0));
             RawConn admin = new RawConn(server.port()); RawConn a = new RawConn(server.port())) {
            assertEquals("+OK\r\n", call(admin, "CLIENT", "PAUSE", "300"));
            long start = System.nanoTime();
            assertEquals("+PONG\r\n", call(a, "PING"), "released when the pause ends");
            assertTrue(System.nanoTime() - start >= 200_000_000L, "PING was held");
        }
    }

    @Test
    void transactionsArePausedByWhatTheyQueued() throws Exception {
        try (RedJarServer server = RedJarServer.start(ServerOptions.defaults().port(0));
             RawConn admin = new RawConn(server.port()); RawConn reads = new RawConn(server.port());
             RawConn writes = new RawConn(server.port())) {
            assertEquals("+OK\r\n", call(writes, "MULTI"));
            assertEquals("+QUEUED\r\n", call(writes, "SET", "k", "v"));
            assertEquals("+OK\r\n", call(admin, "CLIENT", "PAUSE", "100000", "WRITE"));
            assertEquals("+OK\r\n", call(reads, "MULTI"));
            assertEquals("+QUEUED\r\n", call(reads, "GET", "k"));
            assertEquals("*1\r\n$-1\r\n", call(reads, "EXEC"), "a read-only EXEC runs");
            writes.send(cmd("EXEC"));
            waitBlockedInfo(admin, 1);
            assertEquals("+OK\r\n", call(admin, "CLIENT", "UNPAUSE"));
            assertEquals("*1\r\n+OK\r\n", writes.readReplyString());
            // the pause a transaction starts applies after it: its later writes run
            assertEquals("+OK\r\n", call(admin, "MULTI"));
            assertEquals("+QUEUED\r\n", call(admin, "CLIENT", "PAUSE", "100000", "WRITE"));
            assertEquals("+QUEUED\r\n", call(admin, "SET", "k2", "v"));
            assertEquals("*2\r\n+OK\r\n+OK\r\n", call(admin, "EXEC"));
            assertEquals("$1\r\nv\r\n", call(reads, "GET", "k2"));
            assertEquals("+OK\r\n", call(admin, "CLIENT", "UNPAUSE"));
        }
    }

    @Test
    void keysDoNotExpireDuringAPause() throws Exception {
        ManualClock clock = new ManualClock(1_000_000);
        try (Store store = Store.builder().clock(clock).open(); RedJarServer server = RedJarServer.start(store, 0);
             RawConn c = new RawConn(server.port())) {
            assertEquals("+OK\r\n", call(c, "SET", "k", "v", "PX", "10"));
            assertEquals("+OK\r\n", call(c, "CLIENT", "PAUSE", "100000", "WRITE"));
            clock.advance(java.time.Duration.ofMillis(20));
            assertEquals("$-1\r\n", call(c, "GET", "k"), "logically expired");
            assertTrue(call(c, "INFO", "stats").contains("\r\nexpired_keys:0\r\n"), "but not deleted");
            assertEquals(":1\r\n", call(c, "DBSIZE"));
            assertEquals("+OK\r\n", call(c, "CLIENT", "UNPAUSE"));
            assertEquals("$-1\r\n", call(c, "GET", "k"));
            assertTrue(call(c, "INFO", "stats").contains("\r\nexpired_keys:1\r\n"), "deleted after the pause");
            assertEquals("+OK\r\n", call(c, "CONFIG", "RESETSTAT"));
            String stats = call(c, "INFO", "stats");
            assertTrue(stats.contains("\r\nexpired_keys:0\r\n") && stats.contains("\r\ntotal_connections_received:0\r\n")
                && stats.contains("\r\ntotal_commands_processed:1\r\n"), "CONFIG RESETSTAT: " + stats);
        }
    }

    @Test
    void typedWritesWaitForThePause() throws Exception {
        try (RedJarServer server = RedJarServer.start(ServerOptions.defaults().port(0)); RawConn admin = new RawConn(server.port())) {
            Store store = server.store();
            assertEquals("+OK\r\n", call(admin, "CLIENT", "PAUSE", "300", "WRITE"));
            assertTrue(store.strings().get("k".getBytes()) == null, "a typed read goes on");
            long start = System.nanoTime();
            store.strings().set("k".getBytes(), "v".getBytes());
            assertTrue(System.nanoTime() - start >= 200_000_000L, "a typed write waited for the pause");
            assertEquals("$1\r\nv\r\n", call(admin, "GET", "k"));
        }
    }

    /** CONFIG SET port to a port in use: Redis's apply error, and every setting of the call rolled back. */
    @Test
    void configSetRollsBackWhenApplyFails() throws Exception {
        try (RedJarServer server = RedJarServer.start(ServerOptions.defaults().port(0)); RawConn c = new RawConn(server.port());
             ServerSocket busy = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            String reply = call(c, "CONFIG", "SET", "maxmemory", "10000001", "port", Integer.toString(busy.getLocalPort()),
                "client-query-buffer-limit", "10m");
            assertTrue(reply.startsWith("-ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port"), reply);
            assertEquals("*2\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n", call(c, "CONFIG", "GET", "maxmemory"));
            assertEquals("*2\r\n$4\r\nport\r\n$" + Integer.toString(server.port()).length() + "\r\n" + server.port() + "\r\n",
                call(c, "CONFIG", "GET", "port"));
            try (RawConn again = new RawConn(server.port())) {
                assertEquals("+PONG\r\n", call(again, "PING"), "still listening on the old port");
            }
            // a free port: the listener moves
            int free;
            try (ServerSocket s = new ServerSocket(0)) {
                free = s.getLocalPort();
            }
            assertEquals("+OK\r\n", call(c, "CONFIG", "SET", "port", Integer.toString(free)));
            try (RawConn moved = new RawConn(free)) {
                assertEquals("+PONG\r\n", call(moved, "PING"));
            }
            assertEquals("+PONG\r\n", call(c, "PING"), "open connections stay");
        }
    }

    @Test
    void sameRepliesAsRedis() throws Exception {
        try (RedJarServer server = RedJarServer.start(ServerOptions.defaults().port(0));
             RawConn ours = new RawConn(server.port()); RawConn theirs = new RawConn(redis.port())) {
            for (String[] cmd : List.of(
                new String[] {"CLIENT", "PAUSE", "abc"}, new String[] {"CLIENT", "PAUSE", "-1"},
                new String[] {"CLIENT", "PAUSE", "10", "READ"}, new String[] {"CLIENT", "PAUSE", "0", "WRITE"},
                new String[] {"CLIENT", "UNPAUSE"}, new String[] {"CLIENT", "HELP"},
                new String[] {"CONFIG", "SET", "daemonize", "yes"}, new String[] {"CONFIG", "SET", "replicaof", "no one"},
                new String[] {"CONFIG", "SET", "maxmemory", "10000001", "maxmemory-clients", "200%", "client-query-buffer-limit", "x"},
                new String[] {"CONFIG", "GET", "maxmemory"}, new String[] {"CONFIG", "GET", "maxmemory-clients"},
                new String[] {"CONFIG", "SET", "maxmemory-clients", "10%"}, new String[] {"CONFIG", "GET", "maxmemory-clients"},
                new String[] {"CONFIG", "SET", "maxmemory-clients", "0"},
                new String[] {"CONFIG", "SET", "repl-backlog-size", "10000002", "save", "3000 5"},
                new String[] {"CONFIG", "GET", "repl-backlog-size"}, new String[] {"CONFIG", "GET", "save"},
                new String[] {"CONFIG", "SET", "repl-backlog-size", "1mb", "save", ""},
                new String[] {"CONFIG", "GET", "key-load-delay"}, new String[] {"CONFIG", "GET", "key-load-*"},
                new String[] {"CONFIG", "GET", "slaveof"}, new String[] {"CONFIG", "GET", "replicaof"}, new String[] {"CONFIG", "GET", "daemonize"},
                new String[] {"CONFIG", "SET", "shutdown-on-sigterm", "nosave now"}, new String[] {"CONFIG", "GET", "shutdown-on-sigterm"}, new String[] {"CONFIG", "GET", "shutdown-on-sigint"},
                new String[] {"CONFIG", "SET", "shutdown-on-sigterm", "save nosave"},
                new String[] {"CONFIG", "SET", "shutdown-on-sigterm", "bogus"},
                new String[] {"CONFIG", "SET", "shutdown-on-sigterm", "now default"},
                new String[] {"CONFIG", "GET", "shutdown-on-sigterm"},
                new String[] {"CONFIG", "SET", "shutdown-on-sigterm", "default"},
                new String[] {"CONFIG", "GET", "shutdown-timeout"})) {
                assertEquals(call(theirs, cmd), call(ours, cmd), String.join(" ", cmd));
            }
        }
    }

    private static List<String> fieldNames(String info) {
        List<String> out = new java.util.ArrayList<>();
        for (String line : info.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#") && !line.startsWith("$")) {
                out.add(line.substring(0, colon));
            }
        }
        return out;
    }

    /**
     * INFO's server, clients, persistence, stats and CPU sections: every field RedJar prints is one
     * of Redis 7.0's, in Redis's order (what redis_exporter and RedisInsight parse), and the server,
     * clients and persistence sections have all of Redis's fields but its C build facts.
     */
    @Test
    void infoFieldsAreRedisFieldsInRedisOrder() throws Exception {
        List<String> ownOnly = List.of("redjar_version", "java_version");
        try (RedJarServer server = RedJarServer.start(ServerOptions.defaults().port(0));
             RawConn ours = new RawConn(server.port()); RawConn theirs = new RawConn(redis.port())) {
            for (String section : List.of("server", "clients", "persistence", "stats", "cpu")) {
                List<String> redisFields = fieldNames(call(theirs, "INFO", section));
                List<String> ourFields = new java.util.ArrayList<>(fieldNames(call(ours, "INFO", section)));
                ourFields.removeAll(ownOnly);
                int at = -1;
                for (String f : ourFields) {
                    int i = redisFields.indexOf(f);
                    assertTrue(i >= 0, section + ": Redis has no field " + f);
                    assertTrue(i > at, section + ": " + f + " out of Redis's order");
                    at = i;
                }
                if (!section.equals("stats") && !section.equals("cpu")) {
                    List<String> missing = new java.util.ArrayList<>(redisFields);
                    missing.removeAll(ourFields);
                    missing.removeAll(List.of("atomicvar_api", "gcc_version"));
                    assertEquals(List.of(), missing, section + ": Redis fields RedJar lacks");
                }
            }
        }
    }

    /** MIGRATE from RedJar into a real redis-server: payload, TTL, COPY, REPLACE, KEYS, and Redis's error replies. */
    @Test
    void migrateMovesKeysToARealRedis() throws Exception {
        try (RedJarServer server = RedJarServer.start(ServerOptions.defaults().port(0));
             RawConn ours = new RawConn(server.port()); RawConn theirs = new RawConn(redis.port())) {
            String port = Integer.toString(redis.port());
            call(theirs, "SELECT", "9");
            call(theirs, "FLUSHDB");
            assertEquals("+OK\r\n", call(ours, "RPUSH", "list", "a", "b", "c").startsWith(":") ? "+OK\r\n" : "");
            assertEquals("+OK\r\n", call(ours, "SET", "s", "v", "PX", "100000"));
            assertEquals("+NOKEY\r\n", call(ours, "MIGRATE", "127.0.0.1", port, "missing", "9", "5000"));
            assertEquals("+OK\r\n", call(ours, "MIGRATE", "127.0.0.1", port, "list", "9", "5000"));
            assertEquals(":0\r\n", call(ours, "EXISTS", "list"), "moved");
            assertEquals("*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", call(theirs, "LRANGE", "list", "0", "-1"));
            assertEquals("+OK\r\n", call(ours, "MIGRATE", "127.0.0.1", port, "", "9", "5000", "COPY", "KEYS", "s"));
            assertEquals(":1\r\n", call(ours, "EXISTS", "s"), "COPY keeps the key");
            long pttl = Long.parseLong(call(theirs, "PTTL", "s").trim().substring(1));
            assertTrue(pttl > 90_000 && pttl <= 100_000, "TTL migrated: " + pttl);
            String busy = call(ours, "MIGRATE", "127.0.0.1", port, "s", "9", "5000");
            assertEquals("-ERR Target instance replied with error: BUSYKEY Target key name already exists.\r\n", busy);
            assertEquals(":1\r\n", call(ours, "EXISTS", "s"), "refused: kept");
            assertEquals("+OK\r\n", call(ours, "MIGRATE", "127.0.0.1", port, "s", "9", "5000", "REPLACE"));
            assertEquals(":0\r\n", call(ours, "EXISTS", "s"));
            assertEquals("-ERR When using MIGRATE KEYS option, the key argument must be set to the empty string\r\n",
                call(ours, "MIGRATE", "127.0.0.1", port, "s", "9", "5000", "KEYS", "s"));
            int closed;
            try (ServerSocket ss = new ServerSocket(0)) {
                closed = ss.getLocalPort();
            }
            call(ours, "SET", "k", "v");
            assertEquals("-IOERR error or timeout connecting to the client\r\n",
                call(ours, "MIGRATE", "127.0.0.1", Integer.toString(closed), "k", "0", "500"));
            // name, arity, flags, key positions, tips and key specs as Redis (the ACL categories are the acl work's)
            String info = call(ours, "COMMAND", "INFO", "migrate");
            String redisInfo = call(theirs, "COMMAND", "INFO", "migrate");
            String head = "*1\r\n*10\r\n$7\r\nmigrate\r\n:-6\r\n*2\r\n+write\r\n+movablekeys\r\n:3\r\n:3\r\n:1\r\n";
            assertTrue(info.startsWith(head) && redisInfo.startsWith(head), info);
            String tail = redisInfo.substring(redisInfo.indexOf("*1\r\n$23\r\nnondeterministic_output"));
            assertTrue(info.endsWith(tail), info);
            call(theirs, "FLUSHDB");
        }
    }

    /** enable-debug-command: Redis 7.0's default (no) refuses DEBUG over the network; yes and local (from loopback) allow it. */
    @Test
    void debugNeedsEnableDebugCommand() throws Exception {
        String refused = "-ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it "
            + "from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.\r\n";
        try (RedJarServer server = RedJarServer.start(ServerOptions.defaults().port(0)); RawConn c = new RawConn(server.port())) {
            assertEquals(refused, call(c, "DEBUG", "SLEEP", "0"));
            assertTrue(call(c, "INFO", "commandstats").contains("cmdstat_debug:calls=0,usec=0,usec_per_call=0.00,rejected_calls=1,failed_calls=0"));
            assertEquals("-ERR CONFIG SET failed (possibly related to argument 'enable-debug-command') - can't set immutable config\r\n",
                call(c, "CONFIG", "SET", "enable-debug-command", "yes"));
            assertEquals("+OK\r\n", call(c, "SET", "k", "v"));
            io.redjar.Reply embedded = server.store().execute("DEBUG", "SLEEP", "0");
            assertEquals(io.redjar.Reply.OK, embedded, "the embedded API is the operator: DEBUG allowed");
        }
        for (String mode : List.of("yes", "local")) {
            try (RedJarServer server = RedJarServer.start(ServerOptions.parseArgs("--port", "0", "--enable-debug-command", mode));
                 RawConn c = new RawConn(server.port())) {
                assertEquals("+OK\r\n", call(c, "DEBUG", "SLEEP", "0"), mode);
            }
        }
    }

    /** CONFIG REWRITE: the file keeps its comments, states the values in force, and starts a server with them. */
    @Test
    void configRewriteWritesTheFileTheServerStartedWith() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("redjar-rewrite");
        java.nio.file.Path conf = dir.resolve("redjar.conf");
        java.nio.file.Files.writeString(conf, "# my settings\nport 0\nmaxmemory 1mb\nhash-max-ziplist-entries 100\n");
        try (RedJarServer server = RedJarServer.start(ServerOptions.parseArgs(conf.toString())); RawConn c = new RawConn(server.port())) {
            assertTrue(call(c, "INFO", "server").contains("\r\nconfig_file:" + conf.toAbsolutePath() + "\r\n"));
            assertEquals("+OK\r\n", call(c, "CONFIG", "SET", "maxmemory", "2mb", "hz", "20", "save", "3600 1 300 100"));
            assertEquals("+OK\r\n", call(c, "CONFIG", "SET", "shutdown-on-sigterm", "nosave now"));
            assertEquals("+OK\r\n", call(c, "CONFIG", "REWRITE"));
        }
        String text = java.nio.file.Files.readString(conf);
        assertTrue(text.startsWith("# my settings\nport "), text);
        assertTrue(text.contains("\nmaxmemory 2097152\n") && text.contains("\nhash-max-listpack-entries 100\n"), text);
        assertTrue(text.contains("\n# Generated by CONFIG REWRITE\n") && text.contains("\nhz 20\n")
            && text.contains("\nsave 3600 1\nsave 300 100\n") && text.contains("\nshutdown-on-sigterm \"nosave now\"\n"), text);
        java.nio.file.Files.writeString(conf, text.replaceFirst("\nport \\d+\n", "\nport 0\n"));
        try (RedJarServer server = RedJarServer.start(ServerOptions.parseArgs(conf.toString())); RawConn c = new RawConn(server.port())) {
            assertEquals("*2\r\n$2\r\nhz\r\n$2\r\n20\r\n", call(c, "CONFIG", "GET", "hz"));
            assertEquals("*2\r\n$9\r\nmaxmemory\r\n$7\r\n2097152\r\n", call(c, "CONFIG", "GET", "maxmemory"));
            assertEquals("*2\r\n$19\r\nshutdown-on-sigterm\r\n$10\r\nnosave now\r\n", call(c, "CONFIG", "GET", "shutdown-on-sigterm"));
        }
        try (RedJarServer server = RedJarServer.start(ServerOptions.defaults().port(0)); RawConn c = new RawConn(server.port());
             RawConn theirs = new RawConn(redis.port())) {
            assertEquals("-ERR The server is running without a config file\r\n", call(c, "CONFIG", "REWRITE"));
        }
    }

    private static List<String> clientFields(String line) {
        List<String> out = new java.util.ArrayList<>();
        for (String kv : line.trim().split(" ")) {
            out.add(kv.substring(0, kv.indexOf('=')));
        }
        return out;
    }

    /** CLIENT INFO / CLIENT LIST: Redis 7.0's fields in its order, and the same flags for the same states. */
    @Test
    void clientInfoHasRedisFieldsAndFlags() throws Exception {
        try (RedJarServer server = RedJarServer.start(ServerOptions.defaults().port(0));
             RawConn ours = new RawConn(server.port()); RawConn theirs = new RawConn(redis.port())) {
            String o = call(ours, "CLIENT", "INFO");
            String t = call(theirs, "CLIENT", "INFO");
            String ol = o.substring(o.indexOf("id="));
            String tl = t.substring(t.indexOf("id="));
            assertEquals(clientFields(tl), clientFields(ol), ol);
            for (RawConn c : List.of(ours, theirs)) {
                call(c, "CLIENT", "SETNAME", "adm");
                call(c, "CLIENT", "NO-EVICT", "on");
                call(c, "MULTI");
                call(c, "CLIENT", "INFO");
            }
            String oe = call(ours, "EXEC");
            String te = call(theirs, "EXEC");
            java.util.regex.Pattern flags = java.util.regex.Pattern.compile(" name=(\\S*) .* flags=(\\S+) .* multi=(-?\\d+) ");
            java.util.regex.Matcher om = flags.matcher(oe);
            java.util.regex.Matcher tm = flags.matcher(te);
            assertTrue(om.find() && tm.find(), oe + te);
            assertEquals(tm.group(1) + " " + tm.group(2) + " " + tm.group(3), om.group(1) + " " + om.group(2) + " " + om.group(3));
            for (RawConn c : List.of(ours, theirs)) {
                assertEquals("+OK\r\n", call(c, "CLIENT", "NO-EVICT", "off"));
            }
        }
    }
}
