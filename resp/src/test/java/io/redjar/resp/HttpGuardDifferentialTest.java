package io.redjar.resp;

import io.redjar.testing.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The HTTP guard next to a real redis-server: the same byte streams, the same replies and the same
 * closed-or-open outcome. Skipped (loudly) without redis-server, failed if CI=true.
 */
class HttpGuardDifferentialTest {
    private static RedisServerProcess redis;
    private static int redisPort;
    private static RedJarServer server;

    /** Each scenario: chunks sent one after the other, the reply to each read before the next. */
    private static final String[][] SCENARIOS = {
        {"POST / HTTP/1.1\r\nHost: x\r\n\r\n"},
        {"PING\r\nPOST / HTTP/1.1\r\nPING\r\n"},
        {"PING\r\n", "post /\r\n"},
        {"*1\r\n$4\r\nPING\r\n", "*2\r\n$5\r\nhOsT:\r\n$1\r\nx\r\n"},
        {"HOST: \r\n"},
        {"Host: example.com\r\n"},
        {"*1\r\n$4\r\nPoSt\r\n"},
        {"Host:x\r\n", "PING\r\n"},
        {"*1\r\n$5\r\nposts\r\n", "PING\r\n"},
        {"SET k v\r\n", "GET k\r\n", "POST\r\n"},
    };

    @BeforeAll
    static void start() throws Exception {
        DifferentialWireTest.requireTool("redis-server");
        redis = DifferentialWireTest.startRedisServer();
        redisPort = redis.port();
        server = RedJarServer.start(ServerOptions.defaults().port(0));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    /** What comes back for each chunk, and whether the connection ends closed. */
    private static String outcome(int port, String[] chunks) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (RawConn c = new RawConn(port)) {
            c.socket.setSoTimeout(300);
            InputStream in = c.socket.getInputStream();
            for (String chunk : chunks) {
                try {
                    c.send(chunk);
                } catch (SocketException e) {
                    return sb.append("| closed (send failed)").toString();
                }
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                boolean closed = false;
                try {
                    int b;
                    while ((b = in.read()) >= 0) {
                        got.write(b);
                    }
                    closed = true;
                } catch (SocketTimeoutException quiet) {
                    // nothing more for now: still open
                } catch (SocketException reset) {
                    closed = true;
                }
                sb.append(got.toString(StandardCharsets.ISO_8859_1)).append('|');
                if (closed) {
                    return sb.append(" closed").toString();
                }
            }
        }
        return sb.append(" open").toString();
    }

    @Test
    void sameRepliesAndClosesAsRedis() throws Exception {
        List<String> expected = new ArrayList<>();
        List<String> actual = new ArrayList<>();
        for (String[] s : SCENARIOS) {
            String label = String.join("", s).replace("\r\n", "\\r\\n") + " => ";
            expected.add(label + outcome(redisPort, s));
            actual.add(label + outcome(server.port(), s));
        }
        assertEquals(String.join("\n", expected), String.join("\n", actual));
    }
}
