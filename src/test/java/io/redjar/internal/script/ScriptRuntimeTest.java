package io.redjar.internal.script;

import io.redjar.Reply;
import io.redjar.Store;
import io.redjar.internal.Engine;
import io.redjar.internal.Internals;
import io.redjar.internal.command.ExecContext;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.TwoArgFunction;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The internal API FUNCTION/FCALL builds on, used the way the function engine uses it: a sandbox
 * with an extra {@code redis} entry, an environment whose lookups switch between a load-time API
 * and the full globals, a library body run under a load timeout, a registered function run
 * function-style ({@code f(keys, args)}) atomically with flags, and FUNCTION KILL.
 */
class ScriptRuntimeTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void functionEngineStyleLoadAndCall() {
        try (Store store = Store.open()) {
            Engine engine = Internals.engine(store);
            ScriptRuntime rt = engine.scripts();
            Map<String, LuaFunction> registered = new HashMap<>();
            LuaSandbox sb = rt.newSandbox(g -> g.get("redis").set("register_function", new TwoArgFunction() {
                @Override
                public LuaValue call(LuaValue name, LuaValue fn) {
                    registered.put(name.checkjstring(), fn.checkfunction());
                    return NIL;
                }
            }));
            LuaTable loadApi = new LuaTable();
            loadApi.set("redis", sb.globals().get("redis"));
            AtomicReference<LuaTable> current = new AtomicReference<>(loadApi);
            Globals env = sb.newEnvironment(current::get);
            LuaFunction lib = sb.compile(b("redis.register_function('incrby2', function(keys, args)\n"
                + "  return redis.call('incrby', keys[1], args[1] * 2)\nend)"), "@user_function", env);
            sb.callWithTimeout(lib, 500, "FUNCTION LOAD timeout");
            current.set(sb.globals());
            ExecContext caller = new ExecContext(engine, 0);
            Reply r = rt.run(caller, sb, registered.get("incrby2"), "incrby2", false,
                new byte[][] {b("counter")}, new byte[][] {b("21")}, 0);
            assertEquals(Reply.integer(42), r);
            Reply ro = rt.run(caller, sb, registered.get("incrby2"), "incrby2", false,
                new byte[][] {b("counter")}, new byte[][] {b("1")}, ScriptFlags.NO_WRITES);
            assertEquals(Reply.error("ERR Write commands are not allowed from read-only scripts. script: incrby2, on @user_function:2."), ro);
            assertNull(rt.current());
        }
    }

    @Test
    void loadTimeoutStopsAnEndlessLibraryBody() {
        try (Store store = Store.open()) {
            LuaSandbox sb = Internals.engine(store).scripts().newSandbox();
            LuaFunction f = sb.compile(b("while true do end"), "@user_function");
            LuaError e = assertThrows(LuaError.class, () -> sb.callWithTimeout(f, 50, "FUNCTION LOAD timeout"));
            assertEquals("ERR FUNCTION LOAD timeout", e.getMessageObject().get("err").tojstring());
            LuaFunction call = sb.compile(b("return redis.call('ping')"), "@user_function");
            LuaError e2 = assertThrows(LuaError.class, () -> sb.callWithTimeout(call, 0, null));
            assertEquals("ERR redis.call/pcall can only be called inside a script invocation",
                e2.getMessageObject().get("err").tojstring());
        }
    }

    @Test
    void killStopsARunningFunctionButNotAWritingOne() throws Exception {
        try (Store store = Store.open()) {
            Engine engine = Internals.engine(store);
            ScriptRuntime rt = engine.scripts();
            LuaSandbox sb = rt.newSandbox();
            assertEquals(Reply.error("NOTBUSY No scripts in execution right now."), rt.kill(true));
            LuaFunction loop = sb.compile(b("local i = 0\nwhile true do i = i + 1 end"), "@user_function");
            CompletableFuture<Reply> running = CompletableFuture.supplyAsync(() ->
                rt.run(new ExecContext(engine, 0), sb, loop, "spin", false, new byte[0][], new byte[0][], 0));
            while (rt.current() == null) {
                Thread.onSpinWait();
            }
            assertEquals("spin", rt.current().name());
            assertEquals(Reply.error("BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE."),
                rt.kill(false), "SCRIPT KILL does not kill a function");
            assertEquals(Reply.OK, rt.kill(true));
            Reply r = running.get(10, TimeUnit.SECONDS);
            assertTrue(r instanceof Reply.ErrorReply e && e.message().startsWith("ERR Script killed by user with "), r.toString());
            assertNull(rt.current());
        }
    }
}
