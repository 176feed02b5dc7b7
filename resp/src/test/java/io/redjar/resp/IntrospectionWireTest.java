package io.redjar.resp;

import io.redjar.testing.RedisServerProcess;
import io.redjar.resp.junit.RedJarPort;
import io.redjar.resp.junit.RedJarTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * COMMAND, INFO, CONFIG, SLOWLOG and MONITOR over the wire, with a differential check against a
 * real redis-server for the reply shapes tools depend on. Skipped loudly without redis-server.
 */
@RedJarTest
class IntrospectionWireTest {
    private static RedisServerProcess redis;
    private static int redisPort;

    @BeforeAll
    static void startRedis() throws Exception {
        DifferentialWireTest.requireTool("redis-server");
        redis = DifferentialWireTest.startRedisServer();
        redisPort = redis.port();
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    static String frame(String... argv) {
        StringBuilder sb = new StringBuilder("*").append(argv.length).append("\r\n");
        for (String a : argv) {
            byte[] b = a.getBytes(StandardCharsets.UTF_8);
            sb.append('$').append(b.length).append("\r\n").append(new String(b, StandardCharsets.ISO_8859_1)).append("\r\n");
        }
        return sb.toString();
    }

    private static String call(int port, String... argv) throws IOException {
        try (RawConn c = new RawConn(port)) {
            c.send(frame(argv));
            return c.readReplyString();
        }
    }

    @Test
    void sameBytesAsRedisForToolProbes(@RedJarPort int port) throws IOException {
        for (String[] cmd : List.of(new String[] {"CONFIG", "GET", "save"}, new String[] {"CONFIG", "GET", "appendonly"},
            new String[] {"CONFIG", "GET", "nosuchsetting"}, new String[] {"CONFIG", "SET", "databases", "3"},
            new String[] {"CONFIG", "SET", "nosuch", "1"}, new String[] {"CONFIG", "SET", "hz", "abc"},
            new String[] {"CONFIG", "SET", "hz", "5", "hz", "6"}, new String[] {"CONFIG", "HELP"}, new String[] {"SLOWLOG", "HELP"},
            new String[] {"SLOWLOG", "GET", "-2"}, new String[] {"COMMAND", "GETKEYS", "SET", "a", "b"},
            new String[] {"COMMAND", "GETKEYSANDFLAGS", "SORT", "k1", "STORE", "k2"},
            new String[] {"COMMAND", "GETKEYSANDFLAGS", "LMOVE", "k1", "k2", "left", "right"},
            new String[] {"COMMAND", "GETKEYS", "ZUNIONSTORE", "d", "2", "a", "b"},
            new String[] {"COMMAND", "GETKEYS", "ZUNIONSTORE", "d", "0", "a"}, new String[] {"COMMAND", "GETKEYS", "GET"},
            new String[] {"COMMAND", "INFO", "nosuchcommand"}, new String[] {"COMMAND", "LIST", "FILTERBY", "MODULE", "x"})) {
            assertEquals(call(redisPort, cmd), call(port, cmd), String.join(" ", cmd));
        }
        String ours = call(port, "COMMAND", "COUNT");
        String theirs = call(redisPort, "COMMAND", "COUNT");
        assertTrue(ours.matches(":\\d+\r\n") && theirs.matches(":\\d+\r\n"), ours + theirs);
        try (RawConn r = new RawConn(redisPort); RawConn j = new RawConn(port)) {
            for (RawConn c : List.of(r, j)) {
                c.send(frame("COMMAND", "INFO", "get"));
            }
            String a = r.readReplyString();
            String b = j.readReplyString();
            // same prefix: name, arity, flags, first/last/step, ACL categories, tips
            String upToTips = "*1\r\n*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@read\r\n+@string\r\n+@fast\r\n*0\r\n";
            assertTrue(a.startsWith(upToTips), a);
            assertTrue(b.startsWith(upToTips), b);
        }
    }

    @Test
    void infoHasRedisFieldsAndSections(@RedJarPort int port) throws IOException {
        String theirs = call(redisPort, "INFO", "everything");
        call(port, "INFO", "server");
        String ours = call(port, "INFO", "everything");
        for (String section : List.of("Server", "Clients", "Memory", "Persistence", "Stats", "Replication", "CPU", "Keyspace")) {
            assertTrue(theirs.contains("# " + section + "\r\n") && ours.contains("# " + section + "\r\n"), section);
        }
        for (String field : List.of("redis_version", "redis_mode", "tcp_port", "uptime_in_seconds", "connected_clients",
            "maxclients", "used_memory", "used_memory_human", "maxmemory_policy", "loading", "rdb_last_bgsave_status",
            "aof_enabled", "total_connections_received", "total_commands_processed", "rejected_connections", "role",
            "connected_slaves", "master_repl_offset", "used_cpu_sys", "used_cpu_user")) {
            assertTrue(theirs.contains("\r\n" + field + ":"), "redis has " + field);
            assertTrue(ours.contains("\r\n" + field + ":"), "redjar has " + field);
        }
        assertTrue(ours.contains("\r\ntcp_port:" + port + "\r\n"), ours);
        Matcher m = Pattern.compile("\r\nconnected_clients:(\\d+)\r\n").matcher(ours);
        assertTrue(m.find() && Integer.parseInt(m.group(1)) >= 1, ours);
        assertTrue(ours.contains("cmdstat_info:calls="), ours);
        assertTrue(call(port, "INFO").startsWith("$"), "a bulk string in RESP2");
    }

    @Test
    void slowlogHasClientAddrAndName(@RedJarPort int port) throws IOException {
        try (RawConn c = new RawConn(port)) {
            c.send(frame("CONFIG", "SET", "slowlog-log-slower-than", "0"));
            assertEquals("+OK\r\n", c.readReplyString());
            c.send(frame("CLIENT", "SETNAME", "slowpoke"));
            assertEquals("+OK\r\n", c.readReplyString());
            c.send(frame("GET", "somekey"));
            assertEquals("$-1\r\n", c.readReplyString());
            c.send(frame("SLOWLOG", "GET", "1"));
            String entry = c.readReplyString();
            String local = c.socket.getLocalAddress().getHostAddress() + ":" + c.socket.getLocalPort();
            assertTrue(entry.matches("(?s)\\*1\r\n\\*6\r\n:\\d+\r\n:\\d+\r\n:\\d+\r\n\\*2\r\n\\$3\r\nGET\r\n\\$7\r\nsomekey\r\n\\$\\d+\r\n"
                + Pattern.quote(local) + "\r\n\\$8\r\nslowpoke\r\n"), entry);
            c.send(frame("CONFIG", "SET", "slowlog-log-slower-than", "10000"));
            assertEquals("+OK\r\n", c.readReplyString());
        }
    }

    /** The suite's CLIENT LIST / CLIENT INFO pattern: the caller's qbuf holds its own command, multi=-1 outside MULTI. */
    @Test
    void clientListShowsTheCallersQueryBufferAndMultiState(@RedJarPort int port) throws IOException {
        try (RawConn c = new RawConn(port)) {
            c.send(frame("CLIENT", "LIST"));
            String list = c.readReplyString();
            assertTrue(list.matches("(?s).* flags=N db=\\d+ sub=0 psub=0 ssub=0 multi=-1 qbuf=26 qbuf-free=\\d+ .* cmd=client\\|list .*"), list);
            c.send(frame("CLIENT", "INFO"));
            String info = c.readReplyString();
            assertTrue(info.matches("(?s).* multi=-1 qbuf=26 .* cmd=client\\|info .*"), info);
            c.send(frame("MULTI"));
            assertEquals("+OK\r\n", c.readReplyString());
            c.send(frame("PING"));
            assertEquals("+QUEUED\r\n", c.readReplyString());
            c.send(frame("CLIENT", "INFO"));
            assertEquals("+QUEUED\r\n", c.readReplyString());
            c.send(frame("EXEC"));
            String exec = c.readReplyString();
            assertTrue(exec.matches("(?s).* flags=x .* multi=2 qbuf=14 .* cmd=exec .*"), exec);
        }
    }

    @Test
    void monitorSeesOtherClientsCommands(@RedJarPort int port) throws Exception {
        try (RawConn mon = new RawConn(port); RawConn c = new RawConn(port)) {
            mon.send(frame("MONITOR"));
            assertEquals("+OK\r\n", mon.readReplyString());
            c.send(frame("SET", "k", "a \"b\"\n"));
            assertEquals("+OK\r\n", c.readReplyString());
            c.send(frame("CONFIG", "GET", "hz"));
            c.readReplyString();
            c.send(frame("INCR", "n"));
            assertEquals(":1\r\n", c.readReplyString());
            String local = c.socket.getLocalAddress().getHostAddress() + ":" + c.socket.getLocalPort();
            String line = mon.readReplyString();
            assertTrue(line.matches("\\+\\d{10}\\.\\d{6} \\[0 " + Pattern.quote(local) + "\\] \"SET\" \"k\" \"a \\\\\"b\\\\\"\\\\n\"\r\n"), line);
            // CONFIG is an admin command: not shown, as in Redis
            assertTrue(mon.readReplyString().endsWith("] \"INCR\" \"n\"\r\n"));
            mon.send(frame("RESET"));
            assertEquals("+RESET\r\n", mon.readReplyString());
            c.send(frame("PING"));
            assertEquals("+PONG\r\n", c.readReplyString());
            mon.send(frame("PING"));
            assertEquals("+PONG\r\n", mon.readReplyString());
        }
    }

    /** Scripts are fed before the commands they call, which show as {@code [db lua]} (Redis's evalCommand/fcallCommandGeneric). */
    @Test
    void monitorSeesScriptsThenTheirCommands(@RedJarPort int port) throws Exception {
        try (RawConn mon = new RawConn(port); RawConn c = new RawConn(port)) {
            mon.send(frame("MONITOR"));
            assertEquals("+OK\r\n", mon.readReplyString());
            c.send(frame("EVAL", "redis.call('set',KEYS[1],ARGV[1])", "1", "foo", "bar"));
            assertEquals("$-1\r\n", c.readReplyString());
            String eval = mon.readReplyString();
            assertTrue(eval.matches("\\+\\d{10}\\.\\d{6} \\[0 [0-9.]+:\\d+\\] \"EVAL\" .*\"foo\" \"bar\"\r\n"), eval);
            String set = mon.readReplyString();
            assertTrue(set.matches("\\+\\d{10}\\.\\d{6} \\[0 lua\\] \"set\" \"foo\" \"bar\"\r\n"), set);
            c.send(frame("FUNCTION", "LOAD", "REPLACE", "#!lua name=montest\nredis.register_function('mt', function() return redis.call('set', 'foo', 'baz') end)"));
            assertEquals("$7\r\nmontest\r\n", c.readReplyString());
            c.send(frame("FCALL", "mt", "0"));
            assertEquals("+OK\r\n", c.readReplyString());
            assertTrue(mon.readReplyString().contains("] \"FUNCTION\" \"LOAD\" \"REPLACE\""));
            String fcall = mon.readReplyString();
            assertTrue(fcall.endsWith("\"FCALL\" \"mt\" \"0\"\r\n"), fcall);
            assertTrue(mon.readReplyString().endsWith("[0 lua] \"set\" \"foo\" \"baz\"\r\n"));
            c.send(frame("FUNCTION", "DELETE", "montest"));
            assertEquals("+OK\r\n", c.readReplyString());
        }
    }

    @Test
    void configSetRequirepassAppliesToNewConnections(@RedJarPort int port) throws IOException {
        try (RawConn admin = new RawConn(port)) {
            admin.send(frame("CONFIG", "SET", "requirepass", "s3cret"));
            assertEquals("+OK\r\n", admin.readReplyString());
            try (RawConn c = new RawConn(port)) {
                c.send(frame("GET", "x"));
                assertEquals("-NOAUTH Authentication required.\r\n", c.readReplyString());
                c.send(frame("AUTH", "s3cret"));
                assertEquals("+OK\r\n", c.readReplyString());
            }
            admin.send(frame("CONFIG", "SET", "requirepass", ""));
            assertEquals("+OK\r\n", admin.readReplyString());
        }
    }

    @Test
    void redisBenchmarkPrintsNoConfigErrors(@RedJarPort int port) throws Exception {
        DifferentialWireTest.requireTool("redis-benchmark");
        Process p = new ProcessBuilder("redis-benchmark", "-p", Integer.toString(port), "-n", "200", "-c", "2", "-t", "get", "-q")
            .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "redis-benchmark hung");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(out.contains("GET:"), out);
        assertTrue(!out.contains("ERR") && !out.contains("WARN") && !out.contains("Could not fetch"), out);
    }
}
