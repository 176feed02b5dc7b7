package io.redjar.internal.script.function;

import io.redjar.Reply;
import io.redjar.Session;
import io.redjar.Store;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A function that never returns, seen from a second session: FUNCTION STATS names it with its
 * command, SCRIPT KILL refuses it with Redis's BUSY error, FUNCTION KILL stops it, and the caller
 * gets Redis's killed-script error; then FUNCTION KILL answers NOTBUSY again. A function that
 * wrote cannot be killed (UNKILLABLE) and is left to finish.
 */
class FunctionKillTest {
    private static final String SPIN = "#!lua name=spin\n"
        + "redis.register_function('spin', function(keys, args) local a = 1 while true do a = a + 1 end end)\n"
        + "redis.register_function('write_then_wait', function(keys, args)\n"
        + "  redis.call('set', keys[1], 'v')\n"
        + "  local t = redis.call('time')\n"
        + "  local stop = tonumber(t[1]) * 1000000 + tonumber(t[2]) + 300000\n"
        + "  repeat t = redis.call('time') until tonumber(t[1]) * 1000000 + tonumber(t[2]) >= stop\n"
        + "  return 1\n"
        + "end)";

    private static Reply.Map runningScript(Session s) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Reply.Map stats = (Reply.Map) s.execute("FUNCTION", "STATS");
            Reply running = stats.flat().get(1);
            if (running instanceof Reply.Map m) {
                return m;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the function never showed up in FUNCTION STATS");
    }

    @Test
    void functionKillStopsARunningFunction() throws Exception {
        try (Store store = Store.open()) {
            Session caller = store.newSession();
            Session other = store.newSession();
            assertEquals(Reply.bulk("spin"), caller.execute("FUNCTION", "LOAD", SPIN));
            assertEquals("NOTBUSY No scripts in execution right now.", other.execute("FUNCTION", "KILL").toString().substring(1));
            CompletableFuture<Reply> call = CompletableFuture.supplyAsync(() -> caller.execute("FCALL", "spin", "0", "arg"));
            Reply.Map running = runningScript(other);
            assertEquals(Reply.bulk("name"), running.flat().get(0));
            assertEquals(Reply.bulk("spin"), running.flat().get(1));
            assertEquals(Reply.array(Reply.bulk("FCALL"), Reply.bulk("spin"), Reply.bulk("0"), Reply.bulk("arg")), running.flat().get(3));
            assertEquals(Reply.error("BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE."),
                other.execute("SCRIPT", "KILL"));
            assertEquals(Reply.OK, other.execute("FUNCTION", "KILL"));
            Reply r = call.get(10, TimeUnit.SECONDS);
            assertTrue(r.isError() && r.toString().contains("Script killed by user"), r.toString());
            assertEquals("NOTBUSY No scripts in execution right now.", other.execute("FUNCTION", "KILL").toString().substring(1));
            assertEquals(Reply.NULL, ((Reply.Map) other.execute("FUNCTION", "STATS")).flat().get(1));
        }
    }

    @Test
    void aFunctionThatWroteCannotBeKilled() throws Exception {
        try (Store store = Store.open()) {
            Session caller = store.newSession();
            Session other = store.newSession();
            caller.execute("FUNCTION", "LOAD", SPIN);
            CompletableFuture<Reply> call = CompletableFuture.supplyAsync(() -> caller.execute("FCALL", "write_then_wait", "1", "k"));
            runningScript(other);
            Reply kill = other.execute("FUNCTION", "KILL");
            assertTrue(kill.toString().startsWith("-UNKILLABLE Sorry the script already executed write commands"), kill.toString());
            assertEquals(Reply.integer(1), call.get(10, TimeUnit.SECONDS), "it runs to its end");
            assertEquals("v", store.strings().get("k"));
        }
    }
}
