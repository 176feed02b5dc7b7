package io.redjar.internal.script.function;

import io.redjar.Session;
import io.redjar.Store;
import io.redjar.testing.DifferentialRunner;
import io.redjar.testing.RedisServerProcess;
import io.redjar.testing.RequiresRedis;
import io.redjar.testing.RespClient;
import io.redjar.testing.Step;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/**
 * FUNCTION and FCALL compared with redis-server, RESP2 and RESP3, replies compared exactly:
 * metadata and name errors of FUNCTION LOAD, argument errors of every subcommand, the empty
 * registry's LIST, STATS and DUMP (byte for byte), RESTORE's payload errors, FCALL's errors.
 */
@RequiresRedis
class FunctionsDifferentialTest {

    static List<Step> registryOnlySteps() {
        List<Step> s = new ArrayList<>();
        add(s, "FUNCTION", "FLUSH");
        // metadata (functionExtractLibMetaData) and names
        add(s, "FUNCTION", "LOAD", "x");
        add(s, "FUNCTION", "LOAD", "");
        add(s, "FUNCTION", "LOAD", "#");
        add(s, "FUNCTION", "LOAD", "#!lua");
        add(s, "FUNCTION", "LOAD", "#!lua name=x");
        add(s, "FUNCTION", "LOAD", "#!lua\n");
        add(s, "FUNCTION", "LOAD", "#!lua name=a name=b\nreturn 1");
        add(s, "FUNCTION", "LOAD", "#!lua NAME=a NAME=b\nreturn 1");
        add(s, "FUNCTION", "LOAD", "#!lua foo=bar name=a\nreturn 1");
        add(s, "FUNCTION", "LOAD", "#!lua name=a foo\nreturn 1");
        add(s, "FUNCTION", "LOAD", "#!lua \"name=a\nreturn 1");
        add(s, "FUNCTION", "LOAD", "#!lua name=\nreturn 1");
        add(s, "FUNCTION", "LOAD", "#!lua name=a-b\nreturn 1");
        add(s, "FUNCTION", "LOAD", "#!lua name=\"a b\"\nreturn 1");
        add(s, "FUNCTION", "LOAD", "#!nosuch name=a\nreturn 1");
        add(s, "FUNCTION", "LOAD", "#! name=a\nreturn 1");
        add(s, "FUNCTION", "LOAD", "#!   \nreturn 1");
        add(s, "FUNCTION", "LOAD", "REPLACE", "x");
        add(s, "FUNCTION", "LOAD", "replace", "replace", "x");
        add(s, "FUNCTION", "LOAD", "BOGUS", "x");
        add(s, "FUNCTION", "LOAD", "REPLACE");
        add(s, "FUNCTION", "LOAD");
        // DELETE, LIST, FLUSH, DUMP, STATS, KILL, HELP on an empty registry
        add(s, "FUNCTION", "DELETE", "nolib");
        add(s, "FUNCTION", "DELETE");
        add(s, "FUNCTION", "DELETE", "a", "b");
        add(s, "FUNCTION", "LIST");
        add(s, "FUNCTION", "LIST", "WITHCODE");
        add(s, "FUNCTION", "LIST", "withcode", "LIBRARYNAME", "x*");
        add(s, "FUNCTION", "LIST", "WITHCODE", "WITHCODE");
        add(s, "FUNCTION", "LIST", "LIBRARYNAME");
        add(s, "FUNCTION", "LIST", "LIBRARYNAME", "a", "LIBRARYNAME", "b");
        add(s, "FUNCTION", "LIST", "bogus");
        add(s, "FUNCTION", "FLUSH", "SYNC");
        add(s, "FUNCTION", "FLUSH", "async");
        add(s, "FUNCTION", "FLUSH", "lazy");
        add(s, "FUNCTION", "FLUSH", "SYNC", "ASYNC");
        add(s, "FUNCTION", "DUMP");
        add(s, "FUNCTION", "DUMP", "x");
        add(s, "FUNCTION", "STATS");
        add(s, "FUNCTION", "STATS", "x");
        add(s, "FUNCTION", "KILL");
        add(s, "FUNCTION", "HELP");
        add(s, "FUNCTION", "help", "x");
        add(s, "FUNCTION", "nosuch");
        add(s, "FUNCTION");
        // RESTORE: policy, version and checksum, payload contents
        add(s, "FUNCTION", "RESTORE");
        add(s, "FUNCTION", "RESTORE", "x");
        add(s, "FUNCTION", "RESTORE", "x", "BOGUS");
        add(s, "FUNCTION", "RESTORE", "x", "FLUSH", "y");
        add(s, "FUNCTION", "RESTORE", "0123456789");
        s.add(Step.of("FUNCTION", "RESTORE", payload(new byte[0], 10)));
        s.add(Step.of("FUNCTION", "RESTORE", payload(new byte[0], 10), "flush"));
        s.add(Step.of("FUNCTION", "RESTORE", payload(new byte[0], 10), "append"));
        s.add(Step.of("FUNCTION", "RESTORE", payload(new byte[0], 10), "REPLACE"));
        s.add(Step.of("FUNCTION", "RESTORE", payload(new byte[0], 9)));
        s.add(Step.of("FUNCTION", "RESTORE", payload(new byte[0], 11)));
        s.add(Step.of("FUNCTION", "RESTORE", payload(new byte[] {0, 1, 'a'}, 10)));
        s.add(Step.of("FUNCTION", "RESTORE", payload(new byte[] {(byte) 245}, 10)));
        s.add(Step.of("FUNCTION", "RESTORE", payload(new byte[] {(byte) 245, 3, 'a', 'b'}, 10)));
        s.add(Step.of("FUNCTION", "RESTORE", payload(new byte[] {(byte) 245, 1, 'x'}, 10)));
        s.add(Step.of("FUNCTION", "RESTORE", payload(new byte[] {(byte) 245, 14, '#', '!', 'n', 'o', ' ', 'n', 'a', 'm', 'e', '=', 'a', '\n', 'x', 'y'}, 10)));
        s.add(Step.of("FUNCTION", "RESTORE", payload(new byte[] {(byte) 246, 1, 'a'}, 10)));
        s.add(Step.of("FUNCTION", "RESTORE", payload(new byte[] {(byte) 246, 1, 'a', 2, 'n', 'o', 0, 1, 'x'}, 10)));
        s.add(Step.of("FUNCTION", "RESTORE", payload(new byte[] {(byte) 246, 1, 'a', 2, 'n', 'o', 1}, 10)));
        add(s, "FUNCTION", "LIST");
        // FCALL / FCALL_RO errors
        add(s, "FCALL", "nosuch", "0");
        add(s, "FCALL_RO", "nosuch", "0");
        add(s, "FCALL", "nosuch", "x");
        add(s, "FCALL", "nosuch");
        add(s, "FCALL_RO");
        return s;
    }

    /** Libraries in Lua: the load run, register_function's forms and errors, FCALL, LIST, DUMP. */
    static List<Step> luaSteps() {
        List<Step> s = new ArrayList<>();
        add(s, "FUNCTION", "FLUSH");
        add(s, "FUNCTION", "LOAD", "#!lua name=test\nredis.register_function('test', function(KEYS, ARGV)\n return 'hello'\nend)");
        add(s, "FCALL", "test", "0");
        add(s, "FCALL", "TEST", "0");
        add(s, "FCALL_RO", "test", "0");
        add(s, "FUNCTION", "LIST");
        add(s, "FUNCTION", "LIST", "WITHCODE");
        add(s, "FUNCTION", "LIST", "LIBRARYNAME", "TE*");
        add(s, "FUNCTION", "LIST", "LIBRARYNAME", "nomatch*");
        add(s, "FUNCTION", "DUMP");
        add(s, "FUNCTION", "STATS");
        add(s, "FUNCTION", "LOAD", "#!lua name=test\nredis.register_function('test2', function() return 1 end)");
        add(s, "FUNCTION", "LOAD", "#!lua name=TEST\nredis.register_function('Test', function() return 1 end)");
        add(s, "FUNCTION", "LOAD", "#!LUA name=test2\nredis.register_function('TEST', function() return 1 end)");
        add(s, "FUNCTION", "LOAD", "REPLACE", "#!lua name=test\nredis.register_function('test', function() return 2 end)\nerror_undefined()");
        add(s, "FCALL", "test", "0");
        add(s, "FUNCTION", "LOAD", "REPLACE", "#!lua name=test\nredis.register_function('test', function() return 3 end)");
        add(s, "FCALL", "test", "0");
        // not from scripts (NOSCRIPT)
        add(s, "EVAL", "return redis.call('fcall', 'test', '0')", "0");
        add(s, "EVAL", "return redis.pcall('function', 'flush')", "0");
        add(s, "FUNCTION", "LOAD", "#!lua name=nested\nredis.register_function('nested', function() return redis.call('fcall', 'test', '0') end)");
        add(s, "FCALL", "nested", "0");
        add(s, "FUNCTION", "DELETE", "nested");
        // inside MULTI
        add(s, "MULTI");
        add(s, "FCALL", "test", "0");
        add(s, "FCALL", "nosuch", "0");
        add(s, "FUNCTION", "LOAD", "x");
        add(s, "FUNCTION", "LOAD", "#!lua name=inmulti\nredis.register_function('inmulti', function() return redis.call('incr', 'counter') end)");
        add(s, "FCALL", "inmulti", "0");
        add(s, "FUNCTION", "DELETE", "inmulti");
        add(s, "EXEC");
        add(s, "MULTI");
        add(s, "FCALL", "test");
        add(s, "EXEC");
        add(s, "GET", "counter");
        // keys and args, numkeys errors, writes, FCALL_RO
        add(s, "FUNCTION", "LOAD", "#!lua name=kv\nredis.register_function('kv', function(keys, args)\n"
            + " redis.call('set', keys[1], args[1])\n return {keys[1], args[1], #keys, #args, redis.call('get', keys[1])}\nend)");
        add(s, "FCALL", "kv", "1", "k", "v", "extra");
        add(s, "FCALL", "kv", "2", "k", "v");
        add(s, "FCALL", "kv", "3", "k", "v");
        add(s, "FCALL", "kv", "-1", "k");
        add(s, "FCALL", "kv", "x", "k");
        add(s, "FCALL", "kv", "1.5", "k");
        add(s, "FCALL_RO", "kv", "1", "k", "v");
        add(s, "GET", "k");
        add(s, "FUNCTION", "LOAD", "#!lua name=ro\nredis.register_function{function_name='ro', callback=function(keys, args)\n"
            + " return redis.call('get', keys[1])\nend, flags={'no-writes'}, description='reads a key'}\n"
            + "redis.register_function{function_name='ro_write', callback=function(keys, args)\n"
            + " return redis.call('set', keys[1], 'x')\nend, flags={'no-writes'}}");
        add(s, "FCALL_RO", "ro", "1", "k");
        add(s, "FCALL", "ro", "1", "k");
        add(s, "FCALL_RO", "ro_write", "1", "k");
        add(s, "FCALL", "ro_write", "1", "k");
        s.add(add(new ArrayList<>(), "FUNCTION", "LIST", "LIBRARYNAME", "ro").compareWith(io.redjar.testing.ReplyComparator.UNORDERED_DEEP));
        add(s, "FUNCTION", "LOAD", "#!lua name=flags\nredis.register_function{function_name='allflags', callback=function() return 1 end,"
            + " flags={'allow-cross-slot-keys', 'NO-CLUSTER', 'allow-stale', 'allow-oom', 'no-writes'}}");
        add(s, "FUNCTION", "LIST", "LIBRARYNAME", "flags");
        add(s, "FUNCTION", "LOAD", "#!lua name=desc\nredis.register_function{function_name='d', callback=function() return 1 end, description=5, flags={}}");
        add(s, "FUNCTION", "LIST", "LIBRARYNAME", "desc");
        add(s, "FUNCTION", "DELETE", "desc");
        add(s, "FUNCTION", "DELETE", "flags");
        add(s, "FUNCTION", "DELETE", "ro");
        add(s, "FUNCTION", "DELETE", "kv");
        add(s, "FCALL", "kv", "0");
        // register_function errors
        for (String bad : new String[] {
            "redis.register_function()",
            "redis.register_function('a', function() end, 'x')",
            "redis.register_function('a')",
            "redis.register_function({}, function() end)",
            "redis.register_function('a', 'b')",
            "redis.register_function('a-b', function() end)",
            "redis.register_function('', function() end)",
            "redis.register_function('f', function() end) redis.register_function('f', function() end)",
            "redis.register_function{function_name=function() end, callback=function() end}",
            "redis.register_function{function_name='f', callback='x'}",
            "redis.register_function{function_name='f', callback=function() end, description=function() end}",
            "redis.register_function{function_name='f', callback=function() end, some_unknown='unknown'}",
            "redis.register_function{callback=function() end}",
            "redis.register_function{function_name='f'}",
            "redis.register_function{function_name='f', callback=function() end, flags='no-writes'}",
            "redis.register_function{function_name='f', callback=function() end, flags={'bad-flag'}}",
            "redis.register_function{function_name='f', callback=function() end, flags={true}}",
            "redis.register_function{[1]='x'}",
            "return 1",
            "return redis.call('ping')",
            "return redis.pcall('ping')",
            "return redis.setresp(3)",
            "return redis.set_repl(redis.REPL_NONE)",
            "return math.random()",
            "return string.len('x')",
            "return tostring(1)",
            "a = 1",
            "redis.x = 1",
            "return _G",
            "local a = 1\nwhile 1 do a = a + 1 end",
        }) {
            add(s, "FUNCTION", "LOAD", "#!lua name=bad\n" + bad);
        }
        add(s, "FUNCTION", "LIST", "LIBRARYNAME", "bad");
        // the library API is gone at run time; the run-time API is there
        add(s, "FUNCTION", "LOAD", "#!lua name=lib\nlocal lib = redis\n"
            + "redis.register_function('f1', function() return redis.register_function == nil end)\n"
            + "redis.register_function('f2', function() lib.register_function('f3', function() return 1 end) end)\n"
            + "redis.register_function('f4', function() lib.math = math end)\n"
            + "redis.register_function('f5', function() return {redis.REDIS_VERSION, redis.REDIS_VERSION_NUM, redis.call('ping')} end)\n"
            + "redis.register_function('f6', function() return math.floor(2.5) + string.len('abc') end)\n"
            + "redis.register_function('f7', function() undefined_global = 1 end)\n"
            + "redis.register_function('f8', function() redis.setresp(3) return redis.call('hgetall', 'nokey') end)\n"
            + "redis.register_function('f9', function() return redis.error_reply('MY err') end)\n"
            + "redis.register_function('f10', function() return {err='x'} end)\n");
        for (int i = 1; i <= 10; i++) {
            add(s, "FCALL", "f" + i, "0");
        }
        add(s, "FUNCTION", "STATS");
        add(s, "FUNCTION", "FLUSH");
        add(s, "FUNCTION", "STATS");
        add(s, "FCALL", "f1", "0");
        return s;
    }

    /** A payload with {@code body}, RDB version {@code version} and a correct checksum. */
    static byte[] payload(byte[] body, int version) {
        byte[] p = new byte[body.length + 10];
        System.arraycopy(body, 0, p, 0, body.length);
        p[body.length] = (byte) version;
        p[body.length + 1] = 0;
        long crc = io.redjar.internal.persistence.rdb.Crc64.update(0, p, 0, body.length + 2);
        for (int i = 0; i < 8; i++) {
            p[body.length + 2 + i] = (byte) (crc >>> (8 * i));
        }
        return p;
    }

    private static Step add(List<Step> s, String... argv) {
        Step step = Step.of((Object[]) argv);
        s.add(step);
        return step;
    }

    @Test
    void luaResp3(RespClient redis) {
        try (Store store = Store.open()) {
            Session session = store.newSession();
            session.protocol(3);
            new DifferentialRunner(redis, session::execute).run(luaSteps());
        }
    }

    @Test
    void luaResp2(RedisServerProcess server) {
        try (Store store = Store.open(); RespClient redis = server.connect(false)) {
            redis.call("FUNCTION", "FLUSH");
            Session session = store.newSession();
            new DifferentialRunner(redis, argv -> Resp2.downgrade(session.execute(argv))).run(luaSteps());
        }
    }

    @Test
    void registryResp3(RespClient redis) {
        try (Store store = Store.open()) {
            Session session = store.newSession();
            session.protocol(3);
            new DifferentialRunner(redis, session::execute).run(registryOnlySteps());
        }
    }

    @Test
    void registryResp2(RedisServerProcess server) {
        try (Store store = Store.open(); RespClient redis = server.connect(false)) {
            redis.call("FUNCTION", "FLUSH");
            Session session = store.newSession();
            new DifferentialRunner(redis, argv -> Resp2.downgrade(session.execute(argv))).run(registryOnlySteps());
        }
    }
}
