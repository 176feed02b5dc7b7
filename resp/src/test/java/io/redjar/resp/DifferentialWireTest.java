package io.redjar.resp;

import io.redjar.resp.junit.RedJarPort;
import io.redjar.resp.junit.RedJarTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Sends the same commands to a real redis-server and to RedJar over raw sockets and compares the
 * reply bytes, in RESP2 and RESP3. Skipped (loudly) without redis-server, failed if CI=true.
 */
@RedJarTest
class DifferentialWireTest {
    private static Process redis;
    private static int redisPort;

    static boolean onPath(String exe) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, exe).canExecute()) {
                return true;
            }
        }
        return false;
    }

    static void requireTool(String exe) {
        if (!onPath(exe)) {
            String msg = "*** " + exe + " not found on PATH: skipping tests that need it ***";
            System.err.println(msg);
            if ("true".equals(System.getenv("CI"))) {
                fail(msg + " (CI=true)");
            }
            assumeTrue(false, msg);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @BeforeAll
    static void startRedis() throws Exception {
        requireTool("redis-server");
        redisPort = freePort();
        redis = new ProcessBuilder("redis-server", "--port", Integer.toString(redisPort), "--save", "", "--appendonly", "no",
            "--bind", "127.0.0.1").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (RawConn c = new RawConn(redisPort)) {
                c.send("PING\r\n");
                if (c.readReplyString().equals("+PONG\r\n")) {
                    break;
                }
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    @AfterAll
    static void stopRedis() throws InterruptedException {
        if (redis != null) {
            redis.destroy();
            redis.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static String frame(String... argv) {
        StringBuilder sb = new StringBuilder("*").append(argv.length).append("\r\n");
        for (String a : argv) {
            byte[] b = a.getBytes(StandardCharsets.UTF_8);
            sb.append('$').append(b.length).append("\r\n").append(new String(b, StandardCharsets.ISO_8859_1)).append("\r\n");
        }
        return sb.toString();
    }

    private static final String[][] COMMANDS = {
        {"FLUSHALL"}, {"PING"}, {"PING", "hi"}, {"ECHO", "hello"}, {"SET", "k", "v"}, {"GET", "k"}, {"GET", "nope"},
        {"SET", "k", "v2", "NX"}, {"SET", "k", "v3", "XX", "GET"}, {"SET", "k", "v", "EX", "0"}, {"SET", "k", "v", "EX", "abc"},
        {"SET", "k", "v", "NX", "XX"}, {"SETNX", "k", "x"}, {"APPEND", "k", "zz"}, {"STRLEN", "k"}, {"GETRANGE", "k", "0", "-2"},
        {"INCR", "n"}, {"INCRBY", "n", "41"}, {"DECRBY", "n", "2"}, {"INCR", "k"}, {"INCRBY", "n", "x"},
        {"MSET", "a", "1", "b", "2"}, {"MGET", "a", "b", "c"}, {"MSET", "a"}, {"MSETNX", "a", "1", "z", "3"},
        {"EXISTS", "a", "b", "c", "a"}, {"TYPE", "a"}, {"TYPE", "nope"}, {"TTL", "a"}, {"TTL", "nope"}, {"PTTL", "nope"},
        {"EXPIRE", "a", "100"}, {"TTL", "a"}, {"PERSIST", "a"}, {"TTL", "a"}, {"EXPIRE", "a", "100", "NX", "XX"},
        {"RENAME", "a", "a2"}, {"RENAME", "nope", "x"}, {"RENAMENX", "a2", "b"}, {"DEL", "a2", "b", "nope"},
        {"GETDEL", "k"}, {"GETDEL", "k"}, {"DBSIZE"}, {"SELECT", "1"}, {"SELECT", "99"},
        {"SELECT", "x"},
        {"GET"}, {"NOSUCHCMD", "a", "b"}, {"SET", "k"}, {"OBJECT", "nosuch"},
        {"CLIENT", "SETNAME", "a b"}, {"CLIENT", "SETNAME", "ok"}, {"CLIENT", "GETNAME"}, {"CLIENT", "NOSUCH"},
        {"CLIENT", "KILL", "1.2.3.4:5"}, {"CLIENT", "KILL", "ID", "999999"}, {"CLIENT", "NO-EVICT", "on"},
        {"AUTH", "x"}, {"AUTH", "a", "b"}, {"HELLO", "4"}, {"HELLO", "x"}, {"HELLO", "3", "FOO"},
        {"RESET"}, {"GET", "k"},
    };

    private static List<String> run(int port, boolean resp3) throws IOException {
        List<String> out = new ArrayList<>();
        try (RawConn c = new RawConn(port)) {
            if (resp3) {
                c.send(frame("HELLO", "3"));
                String hello = c.readReplyString();
                assertTrue(hello.startsWith("%7\r\n$6\r\nserver\r\n"), hello);
            }
            for (String[] cmd : COMMANDS) {
                c.send(frame(cmd));
                out.add(String.join(" ", cmd) + " => " + c.readReplyString());
            }
            // inline commands too
            c.send("SET inl \"a\\x41\\n\" \r\nGET inl\r\nECHO 'x y'\n");
            for (int i = 0; i < 3; i++) {
                out.add("inline => " + c.readReplyString());
            }
        }
        return out;
    }

    private static void compare(int port, boolean resp3) throws IOException {
        List<String> expected = run(redisPort, resp3);
        List<String> actual = run(port, resp3);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), "command #" + i);
        }
    }

    @Test
    void resp2RepliesAreByteIdentical(@RedJarPort int port) throws IOException {
        compare(port, false);
    }

    @Test
    void resp3RepliesAreByteIdentical(@RedJarPort int port) throws IOException {
        compare(port, true);
    }

    private static String protocolError(int port, String input) throws IOException {
        try (RawConn c = new RawConn(port)) {
            c.send(input);
            String r = c.readReplyString();
            assertTrue(c.closedWithin(2000), "connection closed after " + r);
            return r;
        }
    }

    @Test
    void protocolErrorsAreIdenticalAndClose(@RedJarPort int port) throws IOException {
        String[] inputs = {"*3000000000\r\n", "*a\r\n", "*1\r\nx\r\n", "*1\r\n$-1\r\n", "*1\r\n$600000000\r\n",
            "set \"a b\r\n", "ECHO 'a'b'\r\n", "*+1\r\n", "*1\r\n$+4\r\nPING\r\n"};
        for (String in : inputs) {
            assertEquals(protocolError(redisPort, in), protocolError(port, in), in);
        }
    }

    @Test
    void quitRepliesOkAndCloses(@RedJarPort int port) throws IOException {
        try (RawConn c = new RawConn(port)) {
            c.send("PING\r\nQUIT\r\nPING\r\n");
            assertEquals("+PONG\r\n", c.readReplyString());
            assertEquals("+OK\r\n", c.readReplyString());
            assertTrue(c.closedWithin(2000));
        }
    }
}
