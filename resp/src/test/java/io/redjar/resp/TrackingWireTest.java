package io.redjar.resp;

import io.redjar.resp.junit.RedJarPort;
import io.redjar.resp.junit.RedJarTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static io.redjar.resp.RawConn.call;
import static io.redjar.resp.RawConn.cmd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Client-side caching over raw RESP3 and RESP2 connections: the bytes and their order on the
 * wire (own invalidations after the reply of the command that caused them, a blocked command's
 * reply before the invalidation its serving caused, RESP2 redirection as a pub/sub message,
 * tracking-redir-broken after the redirection client is killed).
 */
@RedJarTest
class TrackingWireTest {
    private static final String INVALIDATE_K = ">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nk\r\n";

    private static RawConn resp3(int port) throws IOException {
        RawConn c = new RawConn(port);
        c.socket.setSoTimeout(10_000);
        call(c, "HELLO", "3");
        return c;
    }

    private static long id(RawConn c) throws IOException {
        String r = call(c, "CLIENT", "ID");
        return Long.parseLong(r.substring(1, r.length() - 2));
    }

    @Test
    void ownInvalidationFollowsTheReply(@RedJarPort int port) throws IOException {
        try (RawConn r = resp3(port)) {
            call(r, "FLUSHALL");
            assertEquals("+OK\r\n", call(r, "CLIENT", "TRACKING", "ON"));
            call(r, "HSET", "k", "f", "1");
            assertEquals("$1\r\n1\r\n", call(r, "HGET", "k", "f"));
            assertEquals(":1\r\n", call(r, "HDEL", "k", "f"));
            assertEquals(INVALIDATE_K, r.readReplyString());
            // MULTI: the push follows EXEC's whole reply
            call(r, "SET", "k", "1");
            call(r, "GET", "k");
            call(r, "MULTI");
            call(r, "INCR", "k");
            call(r, "GET", "k");
            assertEquals("*2\r\n:2\r\n$1\r\n2\r\n", call(r, "EXEC"));
            assertEquals(INVALIDATE_K, r.readReplyString());
            assertEquals("+OK\r\n", call(r, "CLIENT", "TRACKING", "OFF"));
        }
    }

    @Test
    void otherClientsWritesArePushedBeforeTheNextReply(@RedJarPort int port) throws IOException {
        try (RawConn r = resp3(port); RawConn w = new RawConn(port)) {
            call(r, "CLIENT", "TRACKING", "ON");
            call(w, "SET", "k", "1");
            call(r, "GET", "k");
            call(w, "SET", "k", "2");
            r.send(cmd("PING"));
            assertEquals(INVALIDATE_K, r.readReplyString());
            assertEquals("+PONG\r\n", r.readReplyString());
        }
    }

    @Test
    void unblockedBlmoveGetsTheInvalidationAfterItsReply(@RedJarPort int port) throws Exception {
        try (RawConn r = resp3(port); RawConn w = new RawConn(port)) {
            call(w, "DEL", "list1{t}", "list2{t}");
            call(w, "RPUSH", "list2{t}", "a");
            call(r, "CLIENT", "TRACKING", "ON");
            call(r, "LRANGE", "list2{t}", "0", "-1");
            r.send(cmd("BLMOVE", "list1{t}", "list2{t}", "LEFT", "LEFT", "0"));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!call(w, "INFO", "clients").contains("blocked_clients:1")) {
                assertTrue(System.nanoTime() < deadline, "BLMOVE never blocked");
                Thread.sleep(5);
            }
            call(w, "RPUSH", "list1{t}", "foo");
            assertEquals("$3\r\nfoo\r\n", r.readReplyString());
            assertEquals(">2\r\n$10\r\ninvalidate\r\n*1\r\n$8\r\nlist2{t}\r\n", r.readReplyString());
        }
    }

    @Test
    void resp2RedirectionIsAMessageOnTheInvalidateChannel(@RedJarPort int port) throws IOException {
        try (RawConn r = new RawConn(port); RawConn sub = new RawConn(port); RawConn w = new RawConn(port)) {
            sub.socket.setSoTimeout(10_000);
            long subId = id(sub);
            call(sub, "SUBSCRIBE", "__redis__:invalidate");
            assertEquals("+OK\r\n", call(r, "CLIENT", "TRACKING", "ON", "REDIRECT", Long.toString(subId)));
            call(r, "GET", "k");
            call(w, "SET", "k", "3");
            assertEquals("*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n*1\r\n$1\r\nk\r\n", sub.readReplyString());
            call(r, "GET", "k");
            call(w, "FLUSHDB");
            assertEquals("*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n$-1\r\n", sub.readReplyString(),
                "a flush: the null of the tracking client's protocol");
            call(r, "CLIENT", "TRACKING", "OFF");
        }
    }

    @Test
    void killingTheRedirectionClientBreaksTheRedirection(@RedJarPort int port) throws IOException {
        try (RawConn r = resp3(port); RawConn target = new RawConn(port); RawConn w = new RawConn(port)) {
            long targetId = id(target);
            call(r, "CLIENT", "TRACKING", "ON", "REDIRECT", Long.toString(targetId));
            call(r, "GET", "k");
            assertEquals(":1\r\n", call(w, "CLIENT", "KILL", "ID", Long.toString(targetId)));
            call(w, "SET", "k", "4");
            r.send(cmd("PING"));
            assertEquals(">2\r\n$21\r\ntracking-redir-broken\r\n:" + targetId + "\r\n", r.readReplyString());
            assertEquals("+PONG\r\n", r.readReplyString());
            String info = call(r, "CLIENT", "TRACKINGINFO");
            assertTrue(info.contains("broken_redirect"), info);
            call(r, "CLIENT", "TRACKING", "OFF");
        }
    }
}
