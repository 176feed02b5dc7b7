package io.redjar.resp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis 7.0's cross-protocol-scripting guard: a command named {@code POST} or {@code Host:} (any
 * case, inline or RESP, first or not) closes the connection without a reply, drops the replies of
 * that read not yet sent, and logs one warning a minute. Checked against redis-server 7.0.15.
 */
class HttpGuardTest {
    private RedJarServer server;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final Logger jul = Logger.getLogger(RedJarServer.class.getName());

    @BeforeEach
    void start() {
        jul.addHandler(capture);
        server = RedJarServer.start(ServerOptions.defaults().port(0));
    }

    @AfterEach
    void stop() {
        server.close();
        jul.removeHandler(capture);
    }

    /** Everything the server sends until it closes the connection (fails if it stays open). */
    private static String untilClosed(RawConn c) throws IOException {
        c.socket.setSoTimeout(5000);
        InputStream in = c.socket.getInputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try {
            int b;
            while ((b = in.read()) >= 0) {
                got.write(b);
            }
        } catch (SocketException reset) {
            // closed with unread input: a reset is a close too
        }
        return got.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private long warnings() {
        return records.stream().filter(r -> r.getLevel() == Level.WARNING
            && r.getMessage().equals(RedJarServer.SECURITY_ATTACK)).count();
    }

    @Test
    void anHttpRequestIsClosedWithoutReplyAndLogged() throws Exception {
        try (RawConn c = new RawConn(server.port())) {
            c.send("POST / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("", untilClosed(c));
        }
        assertEquals(1, warnings(), "the warning, once: " + records);
        assertTrue(RedJarServer.SECURITY_ATTACK.startsWith("Possible SECURITY ATTACK detected."));
    }

    @Test
    void otherClientsKeepBeingServed() throws Exception {
        try (RawConn other = new RawConn(server.port()); RawConn attacker = new RawConn(server.port())) {
            other.send("PING\r\n");
            assertEquals("+PONG\r\n", other.readReplyString());
            attacker.send("POST / HTTP/1.1\r\n");
            assertEquals("", untilClosed(attacker));
            other.send("SET k v\r\nGET k\r\n");
            assertEquals("+OK\r\n", other.readReplyString());
            assertEquals("$1\r\nv\r\n", other.readReplyString());
        }
        try (RawConn fresh = new RawConn(server.port())) {
            fresh.send("PING\r\n");
            assertEquals("+PONG\r\n", fresh.readReplyString());
        }
    }

    @Test
    void hostHeaderInAnyCaseInlineOrResp() throws Exception {
        for (String attack : new String[] {"HOST: \r\n", "Host: example.com\r\n", "host:\r\n", "hOsT: x y\r\n",
            "post\r\n", "PoSt /x\r\n", "*2\r\n$5\r\nHOST:\r\n$1\r\nx\r\n", "*1\r\n$4\r\nPOST\r\n"}) {
            try (RawConn c = new RawConn(server.port())) {
                c.send(attack);
                assertEquals("", untilClosed(c), attack);
            }
        }
        // logged once a minute, however many attempts
        assertEquals(1, warnings(), "rate-limited: " + records);
    }

    @Test
    void notOnlyTheFirstCommand() throws Exception {
        try (RawConn c = new RawConn(server.port())) {
            c.send("PING\r\n");
            assertEquals("+PONG\r\n", c.readReplyString());
            c.send("SET a 1\r\n");
            assertEquals("+OK\r\n", c.readReplyString());
            c.send("post / HTTP/1.0\r\n");
            assertEquals("", untilClosed(c));
        }
    }

    @Test
    void repliesOfTheSameReadAreDroppedAsRedisDoes() throws Exception {
        // redis-server 7.0.15: "PING\r\nPOST / HTTP/1.1\r\n" in one write gets nothing back
        try (RawConn c = new RawConn(server.port())) {
            c.send("PING\r\nPOST / HTTP/1.1\r\nPING\r\n");
            assertEquals("", untilClosed(c));
        }
    }

    @Test
    void similarNamesAreOrdinaryUnknownCommands() throws Exception {
        try (RawConn c = new RawConn(server.port())) {
            c.send("Host:x\r\n");
            assertEquals("-ERR unknown command 'Host:x', with args beginning with: \r\n", c.readReplyString());
            c.send("*1\r\n$5\r\nposts\r\n");
            assertEquals("-ERR unknown command 'posts', with args beginning with: \r\n", c.readReplyString());
            c.send("PING\r\n");
            assertEquals("+PONG\r\n", c.readReplyString());
        }
        assertEquals(0, warnings());
    }

    @Test
    void beforeAuthToo() throws Exception {
        server.close();
        server = RedJarServer.start(ServerOptions.defaults().port(0).requirepass("pw"));
        try (RawConn c = new RawConn(server.port())) {
            c.send("POST / HTTP/1.1\r\n");
            assertEquals("", untilClosed(c));
        }
        assertEquals(1, warnings());
    }
}
