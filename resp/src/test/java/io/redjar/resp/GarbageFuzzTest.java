package io.redjar.resp;

import io.redjar.resp.junit.RedJarPort;
import io.redjar.resp.junit.RedJarTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Random garbage on some connections must never disturb a well-behaved one (bounded to ~3 seconds). */
@RedJarTest
class GarbageFuzzTest {

    @Test
    void garbageDoesNotDisturbOtherConnections(@RedJarPort int port) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong garbageConnections = new AtomicLong();
        Thread fuzzer = new Thread(() -> {
            Random rnd = new Random(7);
            byte[] alphabet = "*$\r\n0123456789-+ \"'\\xPINGSET".getBytes();
            while (!stop.get()) {
                try (RawConn g = new RawConn(port)) {
                    garbageConnections.incrementAndGet();
                    for (int k = 0; k < 20 && !stop.get(); k++) {
                        byte[] junk = new byte[1 + rnd.nextInt(300)];
                        for (int i = 0; i < junk.length; i++) {
                            junk[i] = rnd.nextInt(4) == 0 ? (byte) rnd.nextInt(256) : alphabet[rnd.nextInt(alphabet.length)];
                        }
                        g.send(junk);
                    }
                } catch (IOException closedByServer) {
                    // expected: protocol errors close the connection
                }
            }
        }, "fuzzer");
        fuzzer.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        long n = 0;
        try (RawConn good = new RawConn(port)) {
            while (System.nanoTime() < deadline) {
                String v = Long.toString(n);
                good.send("*3\r\n$3\r\nSET\r\n$4\r\ngood\r\n$" + v.length() + "\r\n" + v + "\r\n*2\r\n$3\r\nGET\r\n$4\r\ngood\r\n");
                assertEquals("+OK\r\n", good.readReplyString());
                assertEquals("$" + v.length() + "\r\n" + v + "\r\n", good.readReplyString());
                n++;
            }
        } finally {
            stop.set(true);
            fuzzer.join(5000);
        }
        assertTrue(n > 100, "good connection made progress: " + n);
        assertTrue(garbageConnections.get() > 5, "fuzzer ran: " + garbageConnections.get());
    }
}
