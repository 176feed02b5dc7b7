package io.redjar.diff;

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
 * MULTI / EXEC / DISCARD / WATCH / UNWATCH edge cases compared with redis-server, on RESP2 and
 * RESP3: queueing, EXECABORT after queueing errors, runtime errors inside EXEC (no rollback),
 * nesting and misuse errors, WATCH invalidated by each kind of write (plain writes, DEL, RENAME,
 * expiry through PEXPIREAT in the past, FLUSHDB, FLUSHALL, SWAPDB, a write from inside another
 * transaction) and left valid by flushes of keys that did not exist, and blocking commands inside
 * MULTI (they answer as timed out). One connection suffices: a client's own writes touch its own
 * watched keys, as in Redis.
 */
@RequiresRedis
class TransactionsDifferentialTest {

    static List<Step> steps() {
        List<Step> s = new ArrayList<>();
        // basics
        add(s, "MULTI");
        add(s, "SET", "a", "1");
        add(s, "INCR", "a");
        add(s, "LPUSH", "l", "x");
        add(s, "GET", "a");
        add(s, "EXEC");
        add(s, "EXEC");
        add(s, "DISCARD");
        add(s, "MULTI");
        add(s, "MULTI");
        add(s, "SET", "a", "2");
        add(s, "DISCARD");
        add(s, "GET", "a");
        add(s, "MULTI");
        add(s, "EXEC");
        // queueing errors: EXECABORT
        add(s, "MULTI");
        add(s, "SET", "a", "3");
        add(s, "NOSUCHCOMMAND", "x");
        add(s, "GET");
        add(s, "EXEC");
        add(s, "GET", "a");
        add(s, "MULTI");
        add(s, "SET");
        add(s, "EXEC");
        // runtime errors do not roll back
        add(s, "MULTI");
        add(s, "SET", "a", "4");
        add(s, "LPUSH", "a", "x");
        add(s, "INCR", "a");
        add(s, "HSET", "h", "f");
        add(s, "EXEC");
        add(s, "GET", "a");
        // WATCH
        add(s, "WATCH", "a");
        add(s, "MULTI");
        add(s, "WATCH", "b");
        add(s, "SET", "b", "1");
        add(s, "EXEC");
        add(s, "GET", "b");
        add(s, "WATCH");
        add(s, "WATCH", "a", "b");
        add(s, "SET", "a", "5");
        add(s, "MULTI");
        add(s, "SET", "b", "2");
        add(s, "EXEC");
        add(s, "GET", "b");
        add(s, "WATCH", "a");
        add(s, "UNWATCH");
        add(s, "SET", "a", "6");
        add(s, "MULTI");
        add(s, "GET", "a");
        add(s, "EXEC");
        add(s, "WATCH", "a");
        add(s, "GET", "a");
        add(s, "MULTI");
        add(s, "INCR", "a");
        add(s, "EXEC");
        add(s, "WATCH", "a");
        add(s, "MULTI");
        add(s, "DISCARD");
        add(s, "SET", "a", "7");
        add(s, "MULTI");
        add(s, "GET", "a");
        add(s, "EXEC");
        // each kind of write
        for (String[] write : new String[][] {
            {"DEL", "w"}, {"RENAME", "w", "w2"}, {"PEXPIREAT", "w", "1"}, {"EXPIRE", "w", "100"},
            {"LPUSH", "w", "y"}, {"APPEND", "w", "z"}, {"FLUSHDB"}, {"FLUSHALL"}, {"SWAPDB", "0", "1"}}) {
            add(s, write[0].equals("LPUSH") ? "DEL" : "SET", "w", "v");
            add(s, "WATCH", "w");
            add(s, write);
            add(s, "MULTI");
            add(s, "PING");
            add(s, "EXEC");
            add(s, "SELECT", "0");
        }
        // RENAME onto a watched key
        add(s, "SET", "src", "v");
        add(s, "WATCH", "dst");
        add(s, "RENAME", "src", "dst");
        add(s, "MULTI");
        add(s, "PING");
        add(s, "EXEC");
        // flushes and swaps of watched keys that do not exist leave the watch valid
        add(s, "FLUSHALL");
        add(s, "WATCH", "none");
        add(s, "FLUSHDB");
        add(s, "FLUSHALL");
        add(s, "SWAPDB", "0", "1");
        add(s, "MULTI");
        add(s, "PING");
        add(s, "EXEC");
        add(s, "SELECT", "1");
        add(s, "SET", "x", "1");
        add(s, "SELECT", "0");
        add(s, "WATCH", "x");
        add(s, "SWAPDB", "0", "1");
        add(s, "MULTI");
        add(s, "PING");
        add(s, "EXEC");
        // a write to another key or another db's key does not touch
        add(s, "WATCH", "q");
        add(s, "SET", "q2", "1");
        add(s, "SELECT", "1");
        add(s, "SET", "q", "1");
        add(s, "SELECT", "0");
        add(s, "MULTI");
        add(s, "PING");
        add(s, "EXEC");
        // a write inside our own EXEC does not fail that EXEC
        add(s, "WATCH", "r");
        add(s, "MULTI");
        add(s, "SET", "r", "1");
        add(s, "EXEC");
        // blocking commands inside MULTI do not block
        add(s, "MULTI");
        add(s, "BLPOP", "empty", "0");
        add(s, "BRPOP", "empty", "0");
        add(s, "BLMOVE", "empty", "d", "LEFT", "LEFT", "0");
        add(s, "BZPOPMIN", "empty", "0");
        add(s, "BLMPOP", "0", "1", "empty", "LEFT");
        add(s, "RPUSH", "full", "1");
        add(s, "BLPOP", "full", "0");
        add(s, "BLPOP", "full", "-1");
        add(s, "EXEC");
        // MONITOR inside EXEC is refused
        add(s, "MULTI");
        add(s, "MONITOR");
        add(s, "EXEC");
        // SELECT inside MULTI
        add(s, "MULTI");
        add(s, "SELECT", "2");
        add(s, "SET", "in2", "v");
        add(s, "EXEC");
        add(s, "GET", "in2");
        add(s, "SELECT", "0");
        add(s, "GET", "in2");
        // RESET ends MULTI and WATCH
        add(s, "SET", "t", "1");
        add(s, "WATCH", "t");
        add(s, "MULTI");
        add(s, "SET", "t", "2");
        add(s, "EXEC", "extra");
        add(s, "EXEC");
        add(s, "GET", "t");
        add(s, "UNWATCH", "x");
        add(s, "WATCH", "t");
        add(s, "SET", "t", "3");
        add(s, "WATCH", "t");
        add(s, "MULTI");
        add(s, "EXEC");
        add(s, "UNWATCH");
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
            redis.call("FLUSHALL");
            Session session = store.newSession();
            new DifferentialRunner(redis, session::execute).run(steps());
        }
    }
}
