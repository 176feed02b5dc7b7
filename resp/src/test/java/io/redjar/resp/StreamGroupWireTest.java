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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Blocking XREADGROUP over the wire: served by another client's XADD (the entry then pending for
 * the reader), failed with NOGROUP by XGROUP DESTROY and with UNBLOCKED by DEL; the failed blocked
 * calls count in INFO errorstats and as failed calls, as Redis's updateStatsOnUnblock does.
 */
@RedJarTest
class StreamGroupWireTest {

    @Test
    void blockedGroupReadersAreServedOrFailed(@RedJarPort int port, Store store) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (RawConn reader = new RawConn(port); RawConn writer = new RawConn(port)) {
                writer.send(cmd("CONFIG", "RESETSTAT"));
                writer.readReplyString();
                writer.send(cmd("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"));
                assertEquals("+OK\r\n", writer.readReplyString());
                reader.send(cmd("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">"));
                waitBlocked(store, 1);
                writer.send(cmd("XADD", "s", "1-1", "f", "v"));
                assertEquals("$3\r\n1-1\r\n", writer.readReplyString());
                assertEquals("*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n",
                    reader.readReplyString());
                writer.send(cmd("XPENDING", "s", "g"));
                assertEquals("*4\r\n:1\r\n$3\r\n1-1\r\n$3\r\n1-1\r\n*1\r\n*2\r\n$5\r\nalice\r\n$1\r\n1\r\n",
                    writer.readReplyString());

                reader.send(cmd("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">"));
                waitBlocked(store, 1);
                writer.send(cmd("XGROUP", "DESTROY", "s", "g"));
                assertEquals(":1\r\n", writer.readReplyString());
                assertEquals("-NOGROUP the consumer group this client was blocked on no longer exists\r\n",
                    reader.readReplyString());

                writer.send(cmd("XGROUP", "CREATE", "s", "g", "$"));
                writer.readReplyString();
                reader.send(cmd("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">"));
                waitBlocked(store, 1);
                writer.send(cmd("DEL", "s"));
                assertEquals(":1\r\n", writer.readReplyString());
                assertEquals("-UNBLOCKED the stream key no longer exists\r\n", reader.readReplyString());

                writer.send(cmd("INFO", "errorstats"));
                String errors = writer.readReplyString();
                assertTrue(errors.contains("errorstat_NOGROUP:count=1"), errors);
                assertTrue(errors.contains("errorstat_UNBLOCKED:count=1"), errors);
                writer.send(cmd("INFO", "commandstats"));
                String stats = writer.readReplyString();
                assertTrue(stats.contains("cmdstat_xreadgroup:calls=3,") && stats.contains("failed_calls=2"), stats);
            }
        });
    }
}
