package io.redjar.resp;

import static io.redjar.resp.RawConn.waitBlocked;
import static io.redjar.resp.RawConn.cmd;
import io.redjar.Store;
import io.redjar.resp.junit.RedJarPort;
import io.redjar.resp.junit.RedJarTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Blocking XREAD over the wire: a client blocked with {@code $} is answered after another
 * client's XADD, in Redis's RESP2 shape (array of key/entries pairs) and RESP3 shape (a map), and
 * its pipelined command comes after.
 */
@RedJarTest
class StreamWireTest {

    @Test
    void blockedXreadIsServedByAnotherClientsXadd(@RedJarPort int port, Store store) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (RawConn r2 = new RawConn(port); RawConn r3 = new RawConn(port); RawConn writer = new RawConn(port)) {
                r3.send(cmd("HELLO", "3"));
                r3.readReplyString();
                r2.send(cmd("XREAD", "BLOCK", "0", "STREAMS", "s", "$") + cmd("PING"));
                r3.send(cmd("XREAD", "COUNT", "5", "BLOCK", "0", "STREAMS", "s", "$"));
                waitBlocked(store, 2);
                writer.send(cmd("XADD", "s", "1-1", "f", "v"));
                assertEquals("$3\r\n1-1\r\n", writer.readReplyString());
                String entries = "*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n";
                assertEquals("*1\r\n*2\r\n$1\r\ns\r\n" + entries, r2.readReplyString());
                assertEquals("+PONG\r\n", r2.readReplyString(), "the pipelined PING comes after");
                assertEquals("%1\r\n$1\r\ns\r\n" + entries, r3.readReplyString());
            }
        });
    }
}
