package io.redjar.resp;

import io.redjar.resp.junit.RedJarPort;
import io.redjar.resp.junit.RedJarTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Sizes and offsets at the edge of the 64-bit range over the wire: the server answers with real
 * Redis 7.0.15's error lines and keeps serving. {@code SETRANGE K 9223372036854775807 A} used to
 * overflow {@code offset + length} past the 512 MB check and crash the JVM in native memory.
 */
@RedJarTest
class ExtremeArgumentsWireTest {
    static final String TOO_BIG = "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n";

    private static String command(String... argv) {
        StringBuilder sb = new StringBuilder("*").append(argv.length).append("\r\n");
        for (String a : argv) {
            byte[] b = a.getBytes(StandardCharsets.UTF_8);
            sb.append('$').append(b.length).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString();
    }

    private static String call(RawConn c, String... argv) throws IOException {
        c.send(command(argv));
        return c.readReplyString();
    }

    @Test
    void extremeOffsetsAndCountsGetRedisErrorsAndTheServerKeepsServing(@RedJarPort int port) throws Exception {
        try (RawConn c = new RawConn(port)) {
            c.socket.setSoTimeout(10_000);
            assertEquals(TOO_BIG, call(c, "SETRANGE", "K", "9223372036854775807", "A"));
            assertEquals(TOO_BIG, call(c, "SETRANGE", "K", "9223372036854775806", "AB"));
            assertEquals(TOO_BIG, call(c, "SETRANGE", "K", "536870912", "A"));
            assertEquals("-ERR offset is out of range\r\n", call(c, "SETRANGE", "K", "-9223372036854775808", "A"));
            assertEquals(":0\r\n", call(c, "EXISTS", "K"));
            assertEquals("+OK\r\n", call(c, "SET", "K", "hello"));
            assertEquals(TOO_BIG, call(c, "SETRANGE", "K", "9223372036854775807", "A"));
            assertEquals("$5\r\nhello\r\n", call(c, "GETRANGE", "K", "-9223372036854775808", "9223372036854775807"));
            assertEquals("-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n",
                call(c, "HRANDFIELD", "nokey", "-9223372036854775808"));
            assertEquals("-ERR value is out of range\r\n", call(c, "ZRANDMEMBER", "nokey", "9223372036854775807", "WITHSCORES"));
            assertEquals("-ERR invalid expire time in 'set' command\r\n",
                call(c, "SET", "e", "v", "EX", "9223372036854775807"));
            assertEquals("+OK\r\n", call(c, "SET", "n", "9223372036854775807"));
            assertEquals("-ERR increment or decrement would overflow\r\n", call(c, "INCR", "n"));
            assertEquals("+OK\r\n", call(c, "SET", "e", "v", "PXAT", "9223372036854775807"));
            assertEquals(":9223372036854776\r\n", call(c, "EXPIRETIME", "e"));
        }
        // a fresh connection still gets answers
        try (RawConn c = new RawConn(port)) {
            c.socket.setSoTimeout(10_000);
            assertEquals("+PONG\r\n", call(c, "PING"));
            assertEquals("$5\r\nhello\r\n", call(c, "GET", "K"));
            assertEquals(":7\r\n", call(c, "SETRANGE", "K", "5", "!!"));
        }
    }
}
