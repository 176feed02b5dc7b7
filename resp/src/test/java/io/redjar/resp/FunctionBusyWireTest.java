package io.redjar.resp;

import io.redjar.resp.junit.RedJarPort;
import io.redjar.resp.junit.RedJarTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Busy functions over the wire, as unit/functions checks them: while one connection's FCALL runs
 * past {@code busy-reply-threshold}, other connections get Redis's function flavour of
 * {@code BUSY}, FUNCTION STATS names the function and its command, SCRIPT KILL is refused with
 * {@code BUSY}, FUNCTION KILL stops it (its FCALL answers the killed error) and everything is
 * served again. The function bounds its own run time with {@code TIME}, so a broken kill fails
 * the test instead of hanging it.
 */
@RedJarTest
class FunctionBusyWireTest {
    private static final String BUSY = "-BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.\r\n";
    private static final String LIB = "#!lua name=busy\n"
        + "redis.register_function('spin', function(keys, args)\n"
        + "  local t0 = redis.call('time')\n"
        + "  local n = 0\n"
        + "  while true do\n"
        + "    n = n + 1\n"
        + "    if n % 1000 == 0 then\n"
        + "      local t = redis.call('time')\n"
        + "      if (t[1] - t0[1]) * 1000000 + (t[2] - t0[2]) > tonumber(args[1]) then return 'finished' end\n"
        + "    end\n"
        + "  end\n"
        + "end)";


    @Test
    void busyFunctionIsAnsweredBusyAndKilledWithFunctionKill(@RedJarPort int port) throws Exception {
        try (RawConn a = new RawConn(port); RawConn b = new RawConn(port)) {
            assertEquals("$4\r\nbusy\r\n", RawConn.call(b, "FUNCTION", "LOAD", "REPLACE", LIB));
            assertEquals("+OK\r\n", RawConn.call(b, "CONFIG", "SET", "busy-reply-threshold", "50"));
            CompletableFuture<String> fcall = CompletableFuture.supplyAsync(() -> {
                try {
                    return RawConn.call(a, "FCALL", "spin", "0", "20000000");
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            RawConn.awaitBusy(b, BUSY);
            assertEquals(BUSY, RawConn.call(b, "FUNCTION", "LOAD", "REPLACE", LIB));
            String stats = RawConn.call(b, "FUNCTION", "STATS");
            assertTrue(stats.startsWith("*4\r\n$14\r\nrunning_script\r\n*6\r\n$4\r\nname\r\n$4\r\nspin\r\n$7\r\ncommand\r\n*4\r\n"
                + "$5\r\nFCALL\r\n$4\r\nspin\r\n$1\r\n0\r\n$8\r\n20000000\r\n$11\r\nduration_ms\r\n:"), stats);
            assertEquals("-BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.\r\n",
                RawConn.call(b, "SCRIPT", "KILL"));
            assertEquals("+OK\r\n", RawConn.call(b, "FUNCTION", "KILL"));
            String killed = fcall.get(20, TimeUnit.SECONDS);
            assertTrue(killed.startsWith("-ERR Script killed by user with "), killed);
            assertEquals("+PONG\r\n", RawConn.call(b, "PING"));
            assertEquals("-NOTBUSY No scripts in execution right now.\r\n", RawConn.call(b, "FUNCTION", "KILL"));
            assertEquals("$8\r\nfinished\r\n", RawConn.call(b, "FCALL", "spin", "0", "1000"));
            assertEquals("+OK\r\n", RawConn.call(b, "CONFIG", "SET", "busy-reply-threshold", "5000"));
            assertEquals("+OK\r\n", RawConn.call(b, "FUNCTION", "FLUSH"));
        }
    }
}
