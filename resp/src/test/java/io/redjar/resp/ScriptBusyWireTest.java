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
 * Busy scripts over the wire (Redis's {@code busy-reply-threshold}): while one connection's script
 * runs past the threshold, other connections get {@code BUSY} (PING included, as in Redis) and
 * are still answered at once, because scripts run on the script thread and not on an event loop;
 * SCRIPT KILL (allowed while busy) stops a script that has not written, whose EVAL then answers
 * the killed error; a script that has written cannot be killed ({@code UNKILLABLE}) and runs to
 * its end; afterwards everything is served again. The scripts bound their own run time with
 * {@code TIME}, so a broken kill fails the test instead of hanging it.
 */
@RedJarTest
class ScriptBusyWireTest {
    private static final String BUSY = "-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n";
    /** Loops until {@code ARGV[1]} microseconds have passed; writes first if {@code ARGV[2]} is 1. */
    private static final String LOOP = "if ARGV[2] == '1' then redis.call('set', 'written', '1') end\n"
        + "local t0 = redis.call('time')\n"
        + "local n = 0\n"
        + "while true do\n"
        + "  n = n + 1\n"
        + "  if n % 1000 == 0 then\n"
        + "    local t = redis.call('time')\n"
        + "    if (t[1] - t0[1]) * 1000000 + (t[2] - t0[2]) > tonumber(ARGV[1]) then return 'finished' end\n"
        + "  end\n"
        + "end";



    @Test
    void busyScriptIsAnsweredBusyAndKilled(@RedJarPort int port) throws Exception {
        try (RawConn a = new RawConn(port); RawConn b = new RawConn(port)) {
            assertEquals("+OK\r\n", RawConn.call(b, "CONFIG", "SET", "lua-time-limit", "50"));
            assertEquals("*2\r\n$20\r\nbusy-reply-threshold\r\n$2\r\n50\r\n", RawConn.call(b, "CONFIG", "GET", "busy-reply-threshold"));
            CompletableFuture<String> eval = CompletableFuture.supplyAsync(() -> {
                try {
                    return RawConn.call(a, "EVAL", LOOP, "0", "20000000", "0");
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            RawConn.awaitBusy(b, BUSY);
            assertEquals(BUSY, RawConn.call(b, "GET", "k"));
            assertEquals(BUSY, RawConn.call(b, "SET", "k", "v"));
            try (RawConn c = new RawConn(port)) {
                assertEquals(BUSY, RawConn.call(c, "PING"), "a new connection is answered too");
            }
            assertEquals("+OK\r\n", RawConn.call(b, "SCRIPT", "KILL"));
            String killed = eval.get(20, TimeUnit.SECONDS);
            assertEquals("-ERR Script killed by user with SCRIPT KILL...\r\n", killed);
            assertEquals("+PONG\r\n", RawConn.call(b, "PING"));
            assertEquals("-NOTBUSY No scripts in execution right now.\r\n", RawConn.call(b, "SCRIPT", "KILL"));
            assertEquals("$-1\r\n", RawConn.call(b, "GET", "k"));
            assertEquals("+OK\r\n", RawConn.call(b, "CONFIG", "SET", "busy-reply-threshold", "5000"));
        }
    }

    @Test
    void scriptThatWroteCannotBeKilled(@RedJarPort int port) throws Exception {
        try (RawConn a = new RawConn(port); RawConn b = new RawConn(port)) {
            assertEquals("+OK\r\n", RawConn.call(b, "CONFIG", "SET", "busy-reply-threshold", "50"));
            CompletableFuture<String> eval = CompletableFuture.supplyAsync(() -> {
                try {
                    return RawConn.call(a, "EVAL", LOOP, "0", "1500000", "1");
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            RawConn.awaitBusy(b, BUSY);
            assertEquals("-UNKILLABLE Sorry the script already executed write commands against the dataset. "
                + "You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.\r\n",
                RawConn.call(b, "SCRIPT", "KILL"));
            assertEquals("$8\r\nfinished\r\n", eval.get(20, TimeUnit.SECONDS));
            assertEquals("$1\r\n1\r\n", RawConn.call(b, "GET", "written"));
            assertEquals("+PONG\r\n", RawConn.call(b, "PING"));
            assertEquals("+OK\r\n", RawConn.call(b, "CONFIG", "SET", "busy-reply-threshold", "5000"));
        }
    }

    @Test
    void commandsBehindAShortScriptWaitAndRunInOrder(@RedJarPort int port) throws Exception {
        try (RawConn a = new RawConn(port); RawConn b = new RawConn(port)) {
            // a script shorter than the threshold: other connections' commands wait for it
            a.send(RawConn.cmd("EVAL", "redis.call('set', 'order', 'script')\n" + LOOP, "0", "200000", "0"));
            b.send(RawConn.cmd("APPEND", "order", "+b") + RawConn.cmd("GET", "order"));
            String first = b.readReplyString();
            String second = b.readReplyString();
            assertEquals("$8\r\nfinished\r\n", a.readReplyString());
            // each of B's commands ran either before the script started (then the script's SET
            // replaced the APPEND) or after it ended; never in the middle
            assertTrue(first.equals(":2\r\n") && (second.equals("$2\r\n+b\r\n") || second.equals("$6\r\nscript\r\n"))
                || first.equals(":8\r\n") && second.equals("$8\r\nscript+b\r\n"), first + second);
            assertEquals(first.equals(":2\r\n") ? "$6\r\nscript\r\n" : "$8\r\nscript+b\r\n", RawConn.call(b, "GET", "order"));
        }
    }

    @Test
    void scriptInsideExecRunsOffTheEventLoopToo(@RedJarPort int port) throws Exception {
        try (RawConn a = new RawConn(port); RawConn b = new RawConn(port)) {
            assertEquals("+OK\r\n", RawConn.call(b, "CONFIG", "SET", "busy-reply-threshold", "50"));
            assertEquals("+OK\r\n", RawConn.call(a, "MULTI"));
            assertEquals("+QUEUED\r\n", RawConn.call(a, "INCR", "before"));
            assertEquals("+QUEUED\r\n", RawConn.call(a, "EVAL", LOOP, "0", "20000000", "0"));
            CompletableFuture<String> exec = CompletableFuture.supplyAsync(() -> {
                try {
                    return RawConn.call(a, "EXEC");
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            RawConn.awaitBusy(b, BUSY);
            assertEquals("+OK\r\n", RawConn.call(b, "SCRIPT", "KILL"));
            assertEquals("*2\r\n:1\r\n-ERR Script killed by user with SCRIPT KILL...\r\n", exec.get(20, TimeUnit.SECONDS));
            assertEquals("+PONG\r\n", RawConn.call(b, "PING"));
            assertEquals("+OK\r\n", RawConn.call(b, "CONFIG", "SET", "busy-reply-threshold", "5000"));
        }
    }
}
