package io.redjar.resp;

import io.redjar.Store;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A busy script against transactions and SHUTDOWN, as the Redis suite's "MULTI and script timeout"
 * tests and Redis's processCommand have it: a command refused BUSY inside MULTI fails the
 * transaction (EXECABORT), an EXEC refused BUSY discards it with EXECABORT naming BUSY, the
 * connection leaves MULTI either way; SHUTDOWN without NOSAVE answers BUSY; SHUTDOWN NOSAVE stops
 * the server even while a script that wrote is looping.
 */
class BusyScriptMultiShutdownTest {
    private static final String BUSY = "-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n";



    @Test
    void busyRefusalsFailTransactionsAndShutdownNeedsNosave() throws Exception {
        try (Store store = Store.open()) {
            RedJarServer server = RedJarServer.start(store, 0);
            CountDownLatch down = new CountDownLatch(1);
            server.onShutdown(down::countDown);
            int port = server.port();
            try (RawConn admin = new RawConn(port); RawConn looper = new RawConn(port); RawConn c = new RawConn(port)) {
                assertEquals("+OK\r\n", RawConn.call(admin, "CONFIG", "SET", "lua-time-limit", "10"));
                assertEquals("+OK\r\n", RawConn.call(admin, "SET", "xx", "1"));

                // a command refused BUSY while queueing fails the transaction
                looper.send(RawConn.cmd("EVAL", "while true do end", "0"));
                RawConn.awaitBusy(admin, BUSY);
                assertEquals("+OK\r\n", RawConn.call(c, "MULTI"), "MULTI is allow-busy");
                assertEquals(BUSY, RawConn.call(c, "INCR", "xx"));
                assertEquals("+OK\r\n", RawConn.call(admin, "SCRIPT", "KILL"));
                assertTrue(looper.readReplyString().startsWith("-ERR Script killed by user with SCRIPT KILL"));
                assertEquals("+QUEUED\r\n", RawConn.call(c, "INCR", "xx"));
                assertEquals("-EXECABORT Transaction discarded because of previous errors.\r\n", RawConn.call(c, "EXEC"));
                assertEquals("$1\r\n1\r\n", RawConn.call(c, "GET", "xx"));

                // an EXEC refused BUSY discards the transaction
                assertEquals("+OK\r\n", RawConn.call(c, "MULTI"));
                assertEquals("+QUEUED\r\n", RawConn.call(c, "INCR", "xx"));
                looper.send(RawConn.cmd("EVAL", "while true do end", "0"));
                RawConn.awaitBusy(admin, BUSY);
                String exec = RawConn.call(c, "EXEC");
                assertTrue(exec.startsWith("-EXECABORT Transaction discarded because of: BUSY "), exec);
                assertEquals("+OK\r\n", RawConn.call(admin, "SCRIPT", "KILL"));
                looper.readReplyString();
                assertEquals("$4\r\nasdf\r\n", RawConn.call(c, "PING", "asdf"), "out of MULTI");
                assertEquals("$1\r\n1\r\n", RawConn.call(c, "GET", "xx"));

                // SHUTDOWN needs NOSAVE past the threshold; NOSAVE ends a script that wrote
                looper.send(RawConn.cmd("EVAL", "redis.call('set', 'w', '1') while true do end", "0"));
                RawConn.awaitBusy(admin, BUSY);
                assertEquals(BUSY, RawConn.call(c, "SHUTDOWN"));
                assertTrue(RawConn.call(admin, "SCRIPT", "KILL").startsWith("-UNKILLABLE"));
                c.send(RawConn.cmd("SHUTDOWN", "NOSAVE"));
                assertEquals(-1, c.socket.getInputStream().read(), "no reply: the server closes");
            }
            assertTrue(down.await(20, TimeUnit.SECONDS), "the server shut down");
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
        }
    }
}
