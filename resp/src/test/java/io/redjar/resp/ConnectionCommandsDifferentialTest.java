package io.redjar.resp;

import io.redjar.testing.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The connection commands (HELLO, AUTH, CLIENT ..., RESET, QUIT), which the core runs for the RESP
 * module through {@code io.redjar.spi}, against a real redis-server: replies and errors byte for
 * byte in RESP2 and RESP3, with and without {@code requirepass} (the NOAUTH gate and its order:
 * unknown command and arity errors first), and CLIENT REPLY OFF/SKIP/ON. Values that must differ
 * (client ids, HELLO's server name and version, addresses) are masked. Skipped loudly without
 * redis-server, failed if CI=true.
 */
class ConnectionCommandsDifferentialTest {
    private static final String PASSWORD = "s3cret";
    private static RedisServerProcess redis;
    private static RedisServerProcess redisWithPassword;
    private static RedJarServer redjar;
    private static RedJarServer redjarWithPassword;

    @BeforeAll
    static void start() throws IOException {
        DifferentialWireTest.requireTool("redis-server");
        Path exe = RedisServerProcess.locate().orElseThrow();
        redis = RedisServerProcess.start(exe, RedisServerProcess.DEFAULT_START_TIMEOUT, List.of());
        // the launcher waits for PING, so the password is set once it answers
        redisWithPassword = RedisServerProcess.start(exe, RedisServerProcess.DEFAULT_START_TIMEOUT, List.of());
        try (RawConn c = new RawConn(redisWithPassword.port())) {
            c.send(frame("CONFIG", "SET", "requirepass", PASSWORD));
            assertEquals("+OK\r\n", c.readReplyString());
        }
        redjar = RedJarServer.start(ServerOptions.defaults().port(0));
        redjarWithPassword = RedJarServer.start(ServerOptions.defaults().port(0).requirepass(PASSWORD));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {redjar, redjarWithPassword, redis, redisWithPassword}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
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

    private static final Pattern HELLO_FIELD = Pattern.compile("(\\$6\\r\\nserver\\r\\n|\\$7\\r\\nversion\\r\\n)\\$\\d+\\r\\n[^\\r]*\\r\\n");
    private static final Pattern HELLO_ID = Pattern.compile("(\\$2\\r\\nid\\r\\n):\\d+\\r\\n");

    /** Masks what may differ: HELLO's server, version and id; CLIENT ID's number. */
    static String mask(String[] cmd, String reply) {
        if (cmd[0].equalsIgnoreCase("hello")) {
            reply = HELLO_FIELD.matcher(reply).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "<masked>\r\n"));
            reply = HELLO_ID.matcher(reply).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + ":<id>\r\n"));
        } else if (cmd.length == 2 && cmd[0].equalsIgnoreCase("client") && cmd[1].equalsIgnoreCase("id")) {
            reply = reply.replaceAll("^:\\d+", ":<id>");
        }
        return reply;
    }

    private static List<String> run(int port, boolean resp3, String[][] commands) throws IOException {
        List<String> out = new ArrayList<>();
        try (RawConn c = new RawConn(port)) {
            if (resp3) {
                c.send(frame("HELLO", "3"));
                out.add("HELLO 3 => " + mask(new String[] {"HELLO"}, c.readReplyString()));
            }
            for (String[] cmd : commands) {
                c.send(frame(cmd));
                out.add(String.join(" ", cmd) + " => " + mask(cmd, c.readReplyString()));
            }
        }
        return out;
    }

    private static void compare(RedisServerProcess expected, RedJarServer actual, boolean resp3, String[][] commands) throws IOException {
        List<String> want = run(expected.port(), resp3, commands);
        List<String> got = run(actual.port(), resp3, commands);
        List<String> diffs = new ArrayList<>();
        for (int i = 0; i < want.size(); i++) {
            if (!want.get(i).equals(got.get(i))) {
                diffs.add("#" + i + "\n  redis:  " + want.get(i) + "\n  redjar: " + got.get(i));
            }
        }
        assertTrue(diffs.isEmpty(), (resp3 ? "RESP3" : "RESP2") + " differences:\n" + String.join("\n", diffs));
    }

    private static final String[][] OPEN = {
        {"CLIENT", "ID"}, {"CLIENT", "ID", "x"}, {"CLIENT"}, {"CLIENT", "NOSUCH"}, {"CLIENT", "GETNAME"},
        {"CLIENT", "SETNAME", "a b"}, {"CLIENT", "SETNAME", "a\nb"}, {"CLIENT", "SETNAME", "ok"}, {"CLIENT", "GETNAME"},
        {"CLIENT", "SETNAME", ""}, {"CLIENT", "GETNAME"}, {"CLIENT", "SETNAME"},
        {"CLIENT", "KILL", "1.2.3.4:5"}, {"CLIENT", "KILL", "ID", "999999"}, {"CLIENT", "KILL", "ID", "0"},
        {"CLIENT", "KILL", "ID", "x"}, {"CLIENT", "KILL", "TYPE", "bogus"}, {"CLIENT", "KILL", "TYPE", "pubsub"},
        {"CLIENT", "KILL", "SKIPME", "maybe"}, {"CLIENT", "KILL", "ID", "1", "SKIPME"}, {"CLIENT", "KILL", "FOO", "bar"},
        {"CLIENT", "KILL", "USER", "nobody"}, {"CLIENT", "KILL"},
        {"CLIENT", "NO-EVICT", "on"}, {"CLIENT", "NO-EVICT", "off"}, {"CLIENT", "NO-EVICT", "maybe"}, {"CLIENT", "NO-EVICT"},
        {"CLIENT", "LIST", "TYPE", "bogus"}, {"CLIENT", "LIST", "TYPE", "pubsub"}, {"CLIENT", "LIST", "TYPE", "master"},
        {"CLIENT", "LIST", "ID", "x"}, {"CLIENT", "LIST", "ID", "0"}, {"CLIENT", "LIST", "ID", "999999"}, {"CLIENT", "LIST", "FOO"},
        {"CLIENT", "REPLY", "maybe"}, {"CLIENT", "REPLY", "ON"}, {"CLIENT", "REPLY"},
        {"AUTH", "x"}, {"AUTH", "a", "b"}, {"AUTH", "default", "anything"}, {"AUTH", "a", "b", "c"}, {"AUTH"},
        {"HELLO", "4"}, {"HELLO", "1"}, {"HELLO", "x"}, {"HELLO", "3", "FOO"}, {"HELLO", "3", "AUTH", "default"},
        {"HELLO", "3", "SETNAME"}, {"HELLO", "2", "SETNAME", "a b"}, {"HELLO", "2", "AUTH", "nobody", "x"},
        {"HELLO", "2", "AUTH", "default", "x", "SETNAME", "named"}, {"CLIENT", "GETNAME"}, {"HELLO"},
        {"SELECT", "3"}, {"RESET"}, {"CLIENT", "GETNAME"}, {"RESET", "x"}, {"PING"}, {"ECHO", "e"}, {"QUIT", "x", "y"},
    };

    @Test
    void resp2ConnectionCommands() throws IOException {
        compare(redis, redjar, false, OPEN);
    }

    @Test
    void resp3ConnectionCommands() throws IOException {
        compare(redis, redjar, true, OPEN);
    }

    private static final String[][] WITH_PASSWORD = {
        {"PING"}, {"GET", "k"}, {"NOSUCHCMD"}, {"GET"}, {"CLIENT"}, {"CLIENT", "NOSUCH"}, {"CLIENT", "ID"},
        {"CLIENT", "SETNAME", "x"}, {"SELECT", "1"}, {"HELLO", "3"}, {"HELLO", "2"}, {"HELLO", "3", "AUTH", "default", "wrong"},
        {"HELLO", "3", "AUTH", "nobody", PASSWORD}, {"AUTH", "wrong"}, {"AUTH", "nobody", PASSWORD}, {"AUTH", "a", "b", "c"},
        {"PING"}, {"AUTH", PASSWORD}, {"PING"}, {"CLIENT", "GETNAME"}, {"RESET"}, {"PING"},
        {"HELLO", "2", "AUTH", "default", PASSWORD, "SETNAME", "me"}, {"CLIENT", "GETNAME"}, {"PING"},
        {"RESET"}, {"AUTH", "default", PASSWORD}, {"ECHO", "in"},
    };

    @Test
    void resp2WithPassword() throws IOException {
        compare(redisWithPassword, redjarWithPassword, false, WITH_PASSWORD);
    }

    /**
     * CLIENT REPLY OFF / SKIP / ON, pipelined: which replies come back at all. Ends with an ECHO
     * that must be answered, read until then.
     */
    private static List<String> replyModes(int port) throws IOException {
        String[][] cmds = {
            {"ECHO", "1"}, {"CLIENT", "REPLY", "SKIP"}, {"ECHO", "2"}, {"ECHO", "3"}, {"CLIENT", "REPLY", "OFF"},
            {"ECHO", "4"}, {"CLIENT", "REPLY", "SKIP"}, {"ECHO", "5"}, {"CLIENT", "REPLY", "ON"}, {"ECHO", "6"},
            {"CLIENT", "REPLY", "SKIP"}, {"CLIENT", "REPLY", "ON"}, {"ECHO", "7"}, {"CLIENT", "REPLY", "BAD"}, {"ECHO", "end"},
        };
        List<String> out = new ArrayList<>();
        try (RawConn c = new RawConn(port)) {
            StringBuilder all = new StringBuilder();
            for (String[] cmd : cmds) {
                all.append(frame(cmd));
            }
            c.send(all.toString());
            while (true) {
                String r = c.readReplyString();
                out.add(r);
                if (r.equals("$3\r\nend\r\n") || out.size() > cmds.length) {
                    return out;
                }
            }
        }
    }

    @Test
    void clientReplyModes() throws IOException {
        List<String> want = replyModes(redis.port());
        assertEquals(List.of("$1\r\n1\r\n", "$1\r\n3\r\n", "+OK\r\n", "$1\r\n6\r\n", "+OK\r\n", "$1\r\n7\r\n",
            "-ERR syntax error\r\n", "$3\r\nend\r\n"), want, "redis-server's behaviour as this test expects it");
        assertEquals(want, replyModes(redjar.port()));
    }

    @Test
    void maskingKeepsTheRest() {
        String hello = "*4\r\n$6\r\nserver\r\n$5\r\nredis\r\n$2\r\nid\r\n:17\r\n";
        assertEquals("*4\r\n$6\r\nserver\r\n<masked>\r\n$2\r\nid\r\n:<id>\r\n", mask(new String[] {"HELLO"}, hello));
        assertEquals(":<id>\r\n", mask(new String[] {"CLIENT", "ID"}, ":42\r\n"));
        assertEquals(":42\r\n", mask(new String[] {"INCR", "x"}, ":42\r\n"));
    }
}
