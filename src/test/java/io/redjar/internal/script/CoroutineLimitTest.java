package io.redjar.internal.script;

import io.redjar.Reply;
import io.redjar.Store;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LuaJ runs each coroutine on a Java thread: one script may hold at most
 * {@link LuaSandbox#MAX_LIVE_COROUTINES} live coroutines, so it cannot exhaust the process's
 * threads; finished ones do not count, and the count starts again with every script.
 */
class CoroutineLimitTest {

    @Test
    void suspendedCoroutinesAreBoundedPerScript() {
        try (Store store = Store.open()) {
            Reply r = store.execute("EVAL",
                "for i = 1, 5000 do local co = coroutine.create(function() coroutine.yield() end) coroutine.resume(co) end return 1", "0");
            assertTrue(r.isError(), r.toString());
            assertTrue(((Reply.ErrorReply) r).message().contains("too many live coroutines in one script"), r.toString());
            // the next script starts with a fresh count
            assertEquals(Reply.integer(1), store.execute("EVAL",
                "local co = coroutine.wrap(function(a) local b = coroutine.yield(a + 1) return b * 2 end)\n"
                    + "if co(1) ~= 2 then return 0 end\n"
                    + "if co(21) ~= 42 then return 0 end\n"
                    + "return 1", "0"));
        }
    }

    @Test
    void finishedCoroutinesDoNotCount() {
        try (Store store = Store.open()) {
            assertEquals(Reply.integer(5000), store.execute("EVAL",
                "local n = 0\n"
                    + "for i = 1, 5000 do\n"
                    + "  local co = coroutine.create(function(x) return x end)\n"
                    + "  local ok, v = coroutine.resume(co, 1)\n"
                    + "  n = n + v\n"
                    + "end\n"
                    + "return n", "0"));
        }
    }

    @Test
    void wrapRaisesTheCoroutinesError() {
        try (Store store = Store.open()) {
            Reply r = store.execute("EVAL", "local f = coroutine.wrap(function() error('boom') end) return f()", "0");
            assertTrue(r.isError() && ((Reply.ErrorReply) r).message().contains("boom"), r.toString());
        }
    }
}
