package io.redjar;

import io.redjar.spi.Connection;
import io.redjar.spi.FrontEnd;
import io.redjar.spi.Peer;
import io.redjar.spi.Result;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The connection commands run once, in the core, for embedded sessions and for connections opened
 * through {@code io.redjar.spi} (here with an in-memory peer, no network).
 */
class EmbeddedClientCommandsTest {

    private static byte[][] argv(String... a) {
        byte[][] out = new byte[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    /** A peer that records what the core pushes to it. */
    private static final class MemoryPeer implements Peer {
        final String addr;
        final List<String> sent = new ArrayList<>();
        volatile boolean closed;

        MemoryPeer(String addr) {
            this.addr = addr;
        }

        @Override
        public String address() {
            return addr;
        }

        @Override
        public String localAddress() {
            return "127.0.0.1:6379";
        }

        @Override
        public synchronized void send(byte[] resp) {
            sent.add(new String(resp, StandardCharsets.ISO_8859_1));
        }

        @Override
        public void close(boolean afterReply) {
            closed = true;
        }
    }

    @Test
    void embeddedSessionsHaveAClientButNoSocket() {
        try (Store store = Store.open()) {
            Session a = store.newSession();
            Session b = store.newSession();
            long idA = ((Reply.IntegerReply) a.execute("CLIENT", "ID")).value();
            assertNotEquals(idA, ((Reply.IntegerReply) b.execute("CLIENT", "ID")).value());
            assertEquals(Reply.OK, a.execute("CLIENT", "SETNAME", "embedded-a"));
            assertTrue(((Reply.Verbatim) a.execute("CLIENT", "LIST")).text().contains("name=embedded-a"));
            assertFalse(((Reply.Verbatim) b.execute("CLIENT", "LIST")).text().contains("name=embedded-a"),
                "embedded sessions are not listed to others");
            assertTrue(a.execute("CLIENT", "REPLY", "OFF").isError());
            assertEquals(Reply.OK, a.execute("CLIENT", "REPLY", "ON"));
            assertTrue(a.execute("MONITOR").isError());
            assertEquals(Reply.OK, a.execute("QUIT"));
        }
    }

    @Test
    void frontEndConnectionsAuthMonitorAndKill() {
        try (Store store = Store.open()) {
            FrontEnd fe = store.frontEnd();
            fe.initialConfig("requirepass", "pw");
            MemoryPeer p1 = new MemoryPeer("10.0.0.1:1");
            MemoryPeer p2 = new MemoryPeer("10.0.0.2:2");
            Connection c1 = fe.connect(p1);
            Connection c2 = fe.connect(p2);
            assertEquals(2, fe.connectedClients());
            assertTrue(c1.authRequired());
            assertEquals(Reply.error(ErrorPrefix.NOAUTH, "Authentication required."), c1.execute(argv("GET", "k")).reply());
            assertEquals(Reply.error(ErrorPrefix.ERR, "wrong number of arguments for 'get' command"), c1.execute(argv("GET")).reply(),
                "arity before the auth gate");
            assertEquals(Reply.OK, c1.execute(argv("AUTH", "pw")).reply());
            assertEquals(Reply.OK, c2.execute(argv("AUTH", "pw")).reply());
            assertFalse(c1.authRequired());

            Result monitor = c1.execute(argv("MONITOR"));
            assertEquals(Reply.OK, monitor.reply());
            assertTrue(monitor.flush(), "MONITOR's +OK is flushed before the feed");
            c2.execute(argv("SET", "k", "v"));
            assertEquals(1, p1.sent.size());
            assertTrue(p1.sent.get(0).endsWith(" [0 10.0.0.2:2] \"SET\" \"k\" \"v\"\r\n"), p1.sent.get(0));

            assertTrue(c2.execute(argv("HELLO", "3")).reply() instanceof Reply.Map);
            assertEquals(3, c2.protocol());
            assertNull(c2.execute(argv("CLIENT", "REPLY", "OFF")).reply());
            assertNull(c2.execute(argv("PING")).reply());
            assertEquals(Reply.OK, c2.execute(argv("CLIENT", "REPLY", "ON")).reply());

            assertEquals(Reply.integer(1), c2.execute(argv("CLIENT", "KILL", "ADDR", "10.0.0.1:1")).reply());
            assertTrue(p1.closed);
            Result quit = c2.execute(argv("QUIT"));
            assertTrue(quit.close() && quit.reply().equals(Reply.OK));

            // the killed peer's front end reports the socket gone
            c1.disconnected();
            c1.disconnected();
            assertEquals(1, fe.connectedClients());
            int fed = p1.sent.size();
            c2.execute(argv("SET", "k", "v2"));
            assertEquals(fed, p1.sent.size(), "a disconnected monitor is fed no more");
            c2.disconnected();
            assertEquals(0, fe.connectedClients());
        }
    }
}
