package io.redjar.diff;

import io.redjar.Reply;
import io.redjar.Session;
import io.redjar.Store;
import io.redjar.testing.DifferentialRunner;
import io.redjar.testing.RedisServerProcess;
import io.redjar.testing.RequiresRedis;
import io.redjar.testing.ReplyComparator;
import io.redjar.testing.RespClient;
import io.redjar.testing.Step;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * EVAL and friends compared with redis-server byte for byte, on RESP2 and RESP3 callers and with
 * scripts speaking RESP2 and RESP3 ({@code redis.setresp}): Lua↔reply conversions both ways,
 * errors raised by {@code redis.call} and returned by {@code redis.pcall}, {@code error_reply} /
 * {@code status_reply}, runtime and compile errors with Redis 7.0's {@code script: ..., on
 * @user_script:N.} suffix, the sandbox (undefined and read-only globals, absent libraries,
 * bytecode loading, {@code setmetatable} on {@code _G}), EVAL_RO and {@code no-writes}
 * refusals, shebang flags, NOSCRIPT, SCRIPT EXISTS/LOAD/FLUSH, numkeys errors, {@code tostring}
 * of numbers, number arguments to {@code redis.call}, SELECT inside a script, EVAL inside MULTI.
 */
@RequiresRedis
class ScriptingDifferentialTest {

    /** Scripts run with {@code EVAL script 2 k1 k2 a1 a2}. */
    static final String[] SCRIPTS = {
        // conversions Lua -> reply
        "return 1", "return -7.9", "return 3.99", "return 'str'", "return true", "return false", "return nil",
        "return {1, 2, 3, 'x', {4, {5}}}", "return {1, nil, 3}", "return {}", "return {true, false, 'y'}",
        "return {err='My Error'}", "return {err='CODE with code'}", "return {ok='FINE'}", "return {ok='line\\r\\nbreak'}",
        "return {err=1}", "return {ok=2}", "return {double=3.5}", "return {big_number='123456789012345678901234567890'}",
        "return {map={a=1}}", "return {set={a=true}}", "return {map={}}", "return {verbatim_string={format='txt', string='hi'}}",
        "return redis.error_reply('Foo')", "return redis.error_reply('-MY code')", "return redis.error_reply('MY code')",
        "return redis.status_reply('OKAY')", "return {KEYS[1], KEYS[2], ARGV[1], ARGV[2], #KEYS, #ARGV}",
        "return 2^53", "return -0.5", "return 1e300",
        // conversions reply -> Lua
        "return redis.call('set', KEYS[1], 'v')", "return redis.call('get', KEYS[1])", "return redis.call('get', 'nokey')",
        "return type(redis.call('get', 'nokey'))", "return redis.call('ping')", "return type(redis.call('ping'))",
        "return redis.call('ping')['ok']", "return redis.call('rpush', 'list', 'a', 'b', 'c')",
        "return redis.call('lrange', 'list', 0, -1)", "return redis.call('hset', 'h', 'f', 'v')",
        "return redis.call('hgetall', 'h')", "return redis.call('smembers', 'nosuchset')", "return redis.call('exists', 'list', 'nokey')",
        "return redis.call('zadd', 'z', 1.5, 'm')", "return redis.call('zscore', 'z', 'm')", "return redis.call('zrange', 'z', 0, -1, 'withscores')",
        "redis.setresp(3); return redis.call('hgetall', 'h')", "redis.setresp(3); return redis.call('get', 'nokey')",
        "redis.setresp(3); return type(redis.call('get', 'nokey'))", "redis.setresp(3); return redis.call('zscore', 'z', 'm')",
        "redis.setresp(3); return redis.call('smembers', 'nosuchset')", "redis.setresp(3); return {true, false}",
        "redis.setresp(3); return true", "redis.setresp(3); return false", "redis.setresp(3); return redis.call('zrange', 'z', 0, -1, 'withscores')",
        "redis.setresp(3); local t = redis.call('hgetall', 'h'); return t['map']['f']", "redis.setresp(3); return redis.call('zscore', 'z', 'm')['double']",
        "redis.setresp(4)", "redis.setresp()",
        // errors from redis.call / pcall
        "return redis.call('nosuch')", "return redis.pcall('nosuch')", "return redis.call('get')", "return redis.pcall('get')",
        "redis.call('set', 'x', 'a'); return redis.call('incr', 'x')", "return redis.pcall('incr', 'x')",
        "local r = redis.pcall('incr', 'x'); return r['err']", "return redis.call('lpush', 'x', 'y')",
        "return redis.call()", "return redis.pcall()", "return redis.call('get', {})", "return redis.pcall('get', true)",
        "return redis.call('eval', 'return 1', 0)", "return redis.call('multi')", "return redis.pcall('script', 'kill')",
        "local a = 1\nlocal b = 2\nreturn redis.call('incr', 'x')", "local ok, e = pcall(redis.call, 'incr', 'x'); return e['err']",
        // runtime and compile errors
        "error('boom')", "error({err='X y'})", "error({err='X y', other=1})", "return (nil).x", "return 1 + {}", "return (false)()", "return #5", "return \"a\" .. {}", "return -{}", "return {} < {}", "return nil .. \"x\"",
        "local f = function() error('deep') end\nf()", "return pcall(function() error('x') end)", "return {pcall(error, 'x')}",
        "error('with\\nnewline')", "error(123)",
        // C Lua names the failed operand (local, global, field, method, upvalue)
        "local t = nil; return t.x", "local r = {}; r.f()", "local r = {}; r:m()", "local x; return x + 1",
        "local x; return 1 + x", "local s = 'abc'; return s + 1", "local s = 'abc'; return 2 * s", "local x; return #x",
        "local t = {}; return t.a .. 'x'", "local t = {}; return 'x' .. t.a", "local t = {}; return 'a' .. 'b' .. t.c .. 'd'",
        "local t = {}; t.x.y = 1", "local t = {}; return t.a.b", "local u; local f = function() return u() end; return f()",
        "local u; local f = function() return u.x end; return f()", "return redis.nosuch()", "return redis.call('ping').x.y",
        "local t = {f = 5}; return t.f()", "local t = {}; local k = 'kk'; return t[k]()", "local x = {}; return -x",
        "return math.nosuch(1)", "local a = {}; a[1]()", "local a = {}; local b = a; return b.c.d", "local t = {}; return t.x + 1",
        "local n = 5; return n()", "local t = {}; t.x.y.z = 1", "local t = {s = 'str'}; return t.s:nosuch()",
        // sandbox
        "return x", "x = 1", "_G.x = 1", "rawset(_G, 'x', 1)", "setmetatable(_G, nil)", "return _VERSION", "return type(os)", "return type(io)",
        "return type(debug)", "return type(require)", "return type(loadfile)", "return type(dofile)", "return type(print)",
        "return type(getfenv)", "return type(setfenv)", "return type(newproxy)", "return type(module)", "return type(luajava)",
        "return type(unpack)", "return type(loadstring)", "return type(table.getn)", "return type(math.mod)", "return type(gcinfo)",
        "return type(string.dump)", "return type(coroutine)", "return type(package)", "return type(collectgarbage)",
        "return {loadstring(string.dump(function() return 1 end))}", "local f, e = loadstring(string.dump(function() return 1 end)); return e",
        "return loadstring('return 1 + 1')()", "return {loadstring('return +')}", "string.x = 1", "redis.call = nil",
        "table.insert = nil", "local g = getmetatable(_G); g.__index = {}", "return nosuchglobal", "redis = function() return 1 end",
        "_G = {}", "return loadstring(string.dump(function() return 1 end))()", "loadfile('some file')",
        "local status, res = pcall(function() return foo end); return 'status: ' .. tostring(status) .. ' result: ' .. res",
        "return {pcall(function() return foo end)}", "local ok, e = pcall(error); return {ok, e}",
        "redis.call('sadd', 'sortset', 'b', 'c', 'a', 'aa'); return redis.call('sort', 'sortset', 'by', '_')",
        "return redis.call('sort', 'sortset', 'by', '_', 'get', '#', 'get', '_:*')", "return table.getn({1, 2, 3})", "return math.mod(7, 3)", "return unpack({1, 2, 3})",
        "local t = {}; t.x = 1; return t.x", "local s = 'abc'; return s:upper()", "return string.format('%d %s', 3, 'x')",
        // numbers
        "return tostring(2^53)", "return tostring(1/3)", "return tostring(100)", "return tostring(1e15)", "return tostring(1e14)",
        "return tostring(-0.1)", "return tostring(123456789012)", "return tostring(1e-5)", "return tostring(1/0)", "return tostring(-1/0)",
        "return tonumber('0x10')", "return tonumber('  12  ')", "return tonumber('1e2')",
        "redis.call('set', 'n', 0.1); return redis.call('get', 'n')", "redis.call('set', 'n', 2^53); return redis.call('get', 'n')",
        "redis.call('set', 'n', 1/3); return redis.call('get', 'n')", "redis.call('set', 'n', 100); return redis.call('get', 'n')",
        "redis.call('set', 'n', -1.5e-7); return redis.call('get', 'n')",
        // redis.* API
        "return redis.sha1hex('')", "return redis.sha1hex('abc')", "return redis.sha1hex()", "return redis.REDIS_VERSION_NUM > 0",
        "return type(redis.REDIS_VERSION)", "return redis.replicate_commands()", "return redis.set_repl(redis.REPL_ALL)",
        "return redis.set_repl(42)", "return {redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING}",
        "return {redis.REPL_NONE, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA, redis.REPL_ALL}",
        "redis.log(redis.LOG_WARNING, 'hello')", "redis.log()", "return redis.log('x', 'y')", "return redis.breakpoint()",
        "return redis.debug('x')",
        // SELECT inside a script affects only the script
        "redis.call('select', 1); redis.call('set', 'in1', 'v'); return redis.call('get', 'in1')",
        "return redis.call('get', 'in1')",
        // blocking commands do not block
        "return redis.call('blpop', 'nolist', 0)", "return redis.call('brpoplpush', 'nolist', 'other', 0)",
    };

    /**
     * LuaJ's compiler messages differ from C Lua's after the position (no {@code near '<eof>'}):
     * a compile error must match up to and including {@code user_script:<line>:}.
     */
    static final ReplyComparator COMPILE_ERROR = (e, a) -> {
        if (!(e instanceof Reply.ErrorReply ee) || !(a instanceof Reply.ErrorReply ae)) {
            return ReplyComparator.EXACT.difference(e, a);
        }
        String prefix = "ERR Error compiling script (new function): user_script:";
        int end = ee.message().indexOf(':', prefix.length()) + 1;
        if (!ee.message().startsWith(prefix) || end == 0) {
            return ReplyComparator.EXACT.difference(e, a);
        }
        String head = ee.message().substring(0, end);
        return ae.message().startsWith(head) ? Optional.empty()
            : Optional.of("compile error: expected a message starting " + head + " but was " + ae.message());
    };

    static List<Step> steps() {
        List<Step> s = new ArrayList<>();
        add(s, "FLUSHALL");
        add(s, "SCRIPT", "FLUSH");
        for (String script : SCRIPTS) {
            add(s, "EVAL", script, "2", "k1", "k2", "a1", "a2");
        }
        add(s, "GET", "in1");
        add(s, "SELECT", "1");
        add(s, "GET", "in1");
        add(s, "SELECT", "0");
        // EVAL_RO and no-writes
        add(s, "EVAL_RO", "return redis.call('get', KEYS[1])", "1", "k1");
        add(s, "EVAL_RO", "return redis.call('set', KEYS[1], 'x')", "1", "k1");
        add(s, "EVAL_RO", "return redis.pcall('set', KEYS[1], 'x')", "1", "k1");
        add(s, "EVAL_RO", "return redis.call('expire', KEYS[1], 10)", "1", "k1");
        add(s, "EVAL", "#!lua flags=no-writes\nreturn redis.call('set', KEYS[1], 'x')", "1", "k1");
        add(s, "EVAL", "#!lua flags=no-writes\nreturn redis.call('get', KEYS[1])", "1", "k1");
        add(s, "EVAL", "#!lua\nreturn redis.call('set', KEYS[1], 'y')", "1", "k1");
        add(s, "EVAL_RO", "#!lua\nreturn 1", "0");
        add(s, "EVAL_RO", "#!lua flags=no-writes\nreturn 1", "0");
        add(s, "EVAL", "#!lua flags=allow-oom,no-writes\nreturn 2", "0");
        add(s, "EVAL", "#!lua flags=bogus\nreturn 2", "0");
        add(s, "EVAL", "#!lua other=1\nreturn 2", "0");
        add(s, "EVAL", "#!python\nreturn 2", "0");
        add(s, "EVAL", "#!lua", "0");
        add(s, "EVAL", "#!lua\nerror('line two')", "0");
        add(s, "EVAL", "#!lua flags=\nreturn 3", "0");
        // numkeys
        add(s, "EVAL", "return 1", "-1");
        add(s, "EVAL", "return 1", "5");
        add(s, "EVAL", "return 1", "x");
        add(s, "EVAL", "return 1", "1");
        add(s, "EVAL", "return 1", "99999999999999999999");
        add(s, "EVALSHA", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "-1");
        // script cache
        add(s, "EVALSHA", "0000000000000000000000000000000000000000", "0");
        add(s, "EVALSHA", "short", "0");
        add(s, "SCRIPT", "LOAD", "return 'loaded'");
        add(s, "EVALSHA", "b534286061d4b9e4026607613b95c06c06015ae8", "0");
        add(s, "EVALSHA", "B534286061D4B9E4026607613B95C06C06015AE8", "0");
        add(s, "EVALSHA_RO", "b534286061d4b9e4026607613b95c06c06015ae8", "0");
        add(s, "SCRIPT", "EXISTS", "b534286061d4b9e4026607613b95c06c06015ae8", "0000000000000000000000000000000000000000");
        s.add(Step.of("SCRIPT", "LOAD", "return +").compareWith(COMPILE_ERROR));
        s.add(Step.of("EVAL", "return 1 +", "0").compareWith(COMPILE_ERROR));
        s.add(Step.of("EVAL", "local x = = 2", "0").compareWith(COMPILE_ERROR));
        add(s, "SCRIPT", "LOAD", "1abc");
        add(s, "EVAL", "return {loadstring('1abc')}", "0");
        s.add(Step.of("EVAL", "\nfunction f()\nreturn 1", "0").compareWith(COMPILE_ERROR));
        add(s, "SCRIPT", "LOAD", "#!lua flags=nope\nreturn 1");
        add(s, "SCRIPT", "FLUSH", "ASYNC");
        add(s, "SCRIPT", "EXISTS", "b534286061d4b9e4026607613b95c06c06015ae8");
        add(s, "EVALSHA", "b534286061d4b9e4026607613b95c06c06015ae8", "0");
        add(s, "SCRIPT", "FLUSH", "SYNC");
        add(s, "SCRIPT", "FLUSH", "BOTH");
        add(s, "SCRIPT", "FLUSH", "SYNC", "ASYNC");
        add(s, "SCRIPT", "KILL");
        add(s, "SCRIPT", "HELP");
        add(s, "SCRIPT", "NOSUCH");
        add(s, "SCRIPT", "DEBUG", "NO");
        add(s, "SCRIPT", "EXISTS");
        add(s, "EVAL", "return 1");
        // inside MULTI
        add(s, "MULTI");
        add(s, "EVAL", "return redis.call('incr', KEYS[1])", "1", "counter");
        add(s, "EVAL", "return redis.call('incr', KEYS[1])", "1", "counter");
        add(s, "EVALSHA", "0000000000000000000000000000000000000000", "0");
        add(s, "EXEC");
        add(s, "GET", "counter");
        return s;
    }

    private static void add(List<Step> s, String... argv) {
        s.add(Step.of(argv));
    }

    @Test
    void resp3(RespClient redis) {
        try (Store store = Store.open()) {
            Session session = store.newSession();
            session.protocol(3);
            new DifferentialRunner(redis, session::execute).run(steps());
        }
    }

    @Test
    void resp2(RedisServerProcess server) {
        try (Store store = Store.open(); RespClient redis = server.connect(false)) {
            Session session = store.newSession();
            new DifferentialRunner(redis, session::execute).run(steps());
        }
    }
}
