package io.redjar.diff;

import io.redjar.RedJarException;
import io.redjar.Reply;
import io.redjar.Session;
import io.redjar.Store;
import io.redjar.testing.DifferentialRunner;
import io.redjar.testing.RedisServerProcess;
import io.redjar.testing.RequiresRedis;
import io.redjar.testing.RespClient;
import io.redjar.testing.Step;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The {@code maxmemory} gate (policy {@code noeviction}) compared with redis-server, RESP2 and
 * RESP3, over two connections: {@code denyoom} commands refused with the OOM error, reads and
 * deletes let through, every command but EXEC/DISCARD refused inside MULTI (which then aborts
 * with EXECABORT), EXEC refused with {@code EXECABORT ... because of: OOM ...} when it queued a
 * denyoom command before the limit was set, DISCARD always allowed. Steps starting with {@code @2}
 * go to the second connection.
 */
@RequiresRedis
class OomGateDifferentialTest {

    static List<Step> steps() {
        List<Step> s = new ArrayList<>();
        add(s, "SET", "a", "1");
        add(s, "RPUSH", "l", "x", "y");
        add(s, "CONFIG", "SET", "maxmemory", "1");
        add(s, "SET", "b", "1");
        add(s, "LPUSH", "l", "z");
        add(s, "INCR", "a");
        add(s, "APPEND", "a", "x");
        add(s, "GET", "a");
        add(s, "LRANGE", "l", "0", "-1");
        add(s, "LPOP", "l");
        add(s, "EXPIRE", "a", "100");
        add(s, "PERSIST", "a");
        add(s, "DEL", "a");
        add(s, "PING");
        // inside MULTI everything but EXEC/DISCARD is refused, and the transaction fails
        add(s, "MULTI");
        add(s, "GET", "l");
        add(s, "SET", "c", "1");
        add(s, "EXEC");
        add(s, "MULTI");
        add(s, "PING");
        add(s, "DISCARD");
        add(s, "EXISTS", "c");
        // EXEC refused when it queued a denyoom command before the limit was set
        add(s, "CONFIG", "SET", "maxmemory", "0");
        add(s, "MULTI");
        add(s, "SET", "d", "1");
        add(s, "@2", "CONFIG", "SET", "maxmemory", "1");
        add(s, "EXEC");
        add(s, "EXISTS", "d");
        add(s, "EXEC");
        // ... and let through when it queued only reads
        add(s, "@2", "CONFIG", "SET", "maxmemory", "0");
        add(s, "MULTI");
        add(s, "GET", "d");
        add(s, "@2", "CONFIG", "SET", "maxmemory", "1");
        add(s, "EXEC");
        add(s, "@2", "CONFIG", "SET", "maxmemory", "0");
        add(s, "SET", "e", "1");
        // scripts (Redis 7.0's script.c): over maxmemory at the start, a script without flags may
        // not begin writing with a deny-oom command but runs on once it has written; a script with
        // flags (a shebang, a function) that may write needs allow-oom to start at all
        add(s, "FUNCTION", "LOAD", "REPLACE", "#!lua name=oomlib\n"
            + "redis.register_function('w', function(k, a) return redis.call('set', k[1], '1') end)\n"
            + "redis.register_function{function_name='r', callback=function(k, a) return redis.call('get', k[1]) end, flags={'no-writes'}}\n"
            + "redis.register_function{function_name='wo', callback=function(k, a) return redis.call('set', k[1], '2') end, flags={'allow-oom'}}");
        add(s, "CONFIG", "SET", "maxmemory", "1");
        add(s, "EVAL", "return redis.call('set', 'x', '1')", "0");
        add(s, "EVAL", "return redis.pcall('set', 'x', '1')", "0");
        add(s, "EVAL", "return redis.call('get', 'e')", "0");
        add(s, "EVAL", "redis.call('del', 'nothing') return redis.call('set', 'x', '1')", "0");
        add(s, "EVAL", "#!lua\nreturn redis.call('get', 'e')", "0");
        add(s, "EVAL", "#!lua flags=no-writes\nreturn redis.call('get', 'e')", "0");
        add(s, "EVAL", "#!lua flags=allow-oom\nreturn redis.call('set', 'y', '1')", "0");
        add(s, "FCALL", "w", "1", "x");
        add(s, "FCALL", "r", "1", "e");
        add(s, "FCALL_RO", "r", "1", "e");
        add(s, "FCALL", "wo", "1", "z");
        add(s, "CONFIG", "SET", "maxmemory", "0");
        add(s, "FUNCTION", "DELETE", "oomlib");
        add(s, "MGET", "x", "y", "z");
        return s;
    }

    private static void add(List<Step> s, String... argv) {
        s.add(Step.of((Object[]) argv));
    }

    /** Routes {@code @2 ...} to {@code second}, the rest to {@code first}. */
    private static Function<byte[][], Reply> route(Function<byte[][], Reply> first, Function<byte[][], Reply> second) {
        return argv -> {
            if (argv.length > 0 && new String(argv[0], StandardCharsets.UTF_8).equals("@2")) {
                return second.apply(Arrays.copyOfRange(argv, 1, argv.length));
            }
            return first.apply(argv);
        };
    }

    private static void run(RedisServerProcess server, boolean resp3) {
        try (Store store = Store.open(); RespClient r1 = server.connect(resp3); RespClient r2 = server.connect(resp3)) {
            r1.call("FLUSHALL");
            Session s1 = store.newSession();
            Session s2 = store.newSession();
            s1.protocol(resp3 ? 3 : 2);
            s2.protocol(resp3 ? 3 : 2);
            try {
                new DifferentialRunner(route(r1::call, r2::call), route(s1::execute, s2::execute)).run(steps());
            } finally {
                r2.call("CONFIG", "SET", "maxmemory", "0");
            }
        }
    }

    @Test
    void resp2(RedisServerProcess server) {
        run(server, false);
    }

    @Test
    void resp3(RedisServerProcess server) {
        run(server, true);
    }

    @Test
    void typedWritesAreRefusedAndReadsAllowed() {
        try (Store store = Store.open()) {
            store.strings().set("k", "v");
            store.execute("CONFIG", "SET", "maxmemory", "1");
            RedJarException e = assertThrows(RedJarException.class, () -> store.strings().set("k2", "v"));
            assertEquals("OOM command not allowed when used memory > 'maxmemory'.", e.getMessage());
            assertEquals("v", store.strings().get("k"));
            assertEquals(1, store.keys().del("k"));
            store.execute("CONFIG", "SET", "maxmemory", "0");
            store.strings().set("k2", "v");
        }
    }

    @Test
    void builderMaxMemory() {
        try (Store store = Store.builder().maxMemory(1).open()) {
            assertThrows(RedJarException.class, () -> store.strings().set("k", "v"));
            assertEquals(null, store.strings().get("k"));
        }
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Store.builder().maxMemory(-1));
    }
}
