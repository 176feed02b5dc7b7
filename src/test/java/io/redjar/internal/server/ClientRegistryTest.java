package io.redjar.internal.server;

import io.redjar.spi.Peer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ClientRegistry}, {@link ClientState} and {@link MonitorFeed}, without a network. */
class ClientRegistryTest {

    /** A peer that records what it is sent. */
    static final class FakePeer implements Peer {
        final String addr;
        final List<String> sent = new ArrayList<>();
        boolean closed;

        FakePeer(String addr) {
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
    void maxclientsIdsAndCounters() {
        AtomicLong max = new AtomicLong(2);
        ClientRegistry r = new ClientRegistry(max::get);
        ClientState a = r.connect(new FakePeer("1.1.1.1:1"), true);
        ClientState embedded = r.embedded();
        ClientState b = r.connect(new FakePeer("1.1.1.1:2"), false);
        assertNull(r.connect(new FakePeer("1.1.1.1:3"), true), "maxclients reached");
        assertEquals(List.of(a, b), r.clients(), "in id order, embedded sessions not listed");
        assertNotEquals(a.id(), embedded.id());
        assertNotEquals(embedded.id(), b.id());
        assertTrue(embedded.authenticated() && a.authenticated() && !b.authenticated());
        assertEquals(2, r.connectedClients());
        assertEquals(2, r.totalConnectionsReceived());
        assertEquals(1, r.rejectedConnections());
        r.disconnect(a);
        r.disconnect(a);
        assertEquals(1, r.connectedClients(), "disconnect is idempotent");
        assertTrue(r.connect(new FakePeer("1.1.1.1:4"), true) != null, "room again");
    }

    @Test
    void replySuppression() {
        ClientState c = new ClientState(1, new FakePeer("x:1"), true);
        assertFalse(c.takeSuppressed());
        c.skipReplies(2);
        assertTrue(c.takeSuppressed());
        assertTrue(c.takeSuppressed());
        assertFalse(c.takeSuppressed());
        c.replyMode(ClientState.ReplyMode.OFF);
        assertTrue(c.takeSuppressed());
        c.reset(false);
        assertFalse(c.takeSuppressed());
        assertFalse(c.authenticated());
    }

    @Test
    void infoLineFields() {
        ClientState c = new ClientState(7, new FakePeer("10.0.0.1:5000"), true);
        c.name("worker");
        c.db(3);
        c.protocol(3);
        c.noEvict(true);
        c.touched("client|list");
        String line = c.infoLine();
        assertTrue(line.startsWith("id=7 addr=10.0.0.1:5000 laddr=127.0.0.1:6379 fd=-1 name=worker age="), line);
        assertTrue(line.contains(" flags=e db=3 "), line);
        assertTrue(line.contains(" cmd=client|list user=default redir=-1 resp=3\n"), line);
        assertTrue(new ClientState(8, null, true).infoLine().contains(" addr= laddr= "), "embedded: empty addresses");
    }

    @Test
    void monitorFeedQuotesAndTracksActivity() {
        AtomicBoolean active = new AtomicBoolean();
        MonitorFeed feed = new MonitorFeed(active::set);
        FakePeer p = new FakePeer("9.9.9.9:9");
        ClientState m = new ClientState(1, p, true);
        feed.feed(0, "x:1", new byte[][] {"PING".getBytes(StandardCharsets.US_ASCII)}, 1_000_000L);
        assertFalse(active.get());
        feed.add(m);
        assertTrue(active.get() && m.monitor());
        feed.feed(2, "1.2.3.4:5", new byte[][] {"SET".getBytes(StandardCharsets.US_ASCII),
            new byte[] {'a', '"', '\\', '\n', 1, (byte) 0xff}}, 1_700_000_000_000_042L);
        assertEquals(List.of("+1700000000.000042 [2 1.2.3.4:5] \"SET\" \"a\\\"\\\\\\n\\x01\\xff\"\r\n"), p.sent);
        assertEquals("+1.000000 [0 embedded] \"PING\"\r\n", MonitorFeed.line(0, null, new byte[][] {"PING".getBytes(StandardCharsets.US_ASCII)}, 1_000_000L));
        feed.remove(m);
        assertFalse(active.get() || m.monitor());
    }
}
