package io.redjar.diff;

import io.redjar.Reply;
import io.redjar.Store;
import io.redjar.internal.Internals;
import io.redjar.testing.PropagationLog;
import io.redjar.testing.RedisServerProcess;
import io.redjar.testing.RequiresRedis;
import io.redjar.testing.RespClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MIGRATE from RedJar and from redis-server, the same commands side by side, each to its own
 * redis-server target: replies, what is left at the source and what arrived (values and TTLs)
 * compared exactly. Also the propagated DEL, the connection cache in INFO, and the time-outs
 * against a target that accepts a connection and never answers.
 */
@RequiresRedis
class MigrateDifferentialTest {
    private static RedisServerProcess targetForRedis;
    private static RedisServerProcess targetForUs;

    @BeforeAll
    static void targets() {
        targetForRedis = RedisServerProcess.start();
        targetForUs = RedisServerProcess.start();
    }

    @AfterAll
    static void stop() {
        if (targetForRedis != null) {
            targetForRedis.close();
        }
        if (targetForUs != null) {
            targetForUs.close();
        }
    }

    @Test
    void sameRepliesAndSameDataAsRedis(RespClient redis) {
        redis.call("FLUSHALL");
        try (Store store = Store.open(); RespClient tr = targetForRedis.connect(); RespClient tu = targetForUs.connect()) {
            tr.call("FLUSHALL");
            tu.call("FLUSHALL");
            List<String[]> setup = List.of(
                new String[] {"SET", "s", "hello"},
                new String[] {"SET", "t", "ttl", "PX", "600000"},
                new String[] {"RPUSH", "l", "a", "b", "c"},
                new String[] {"HSET", "h", "f", "v", "g", "w"},
                new String[] {"ZADD", "z", "1", "a", "2", "b"},
                new String[] {"SADD", "set", "x", "y"},
                new String[] {"SET", "big", "x".repeat(200_000)},
                new String[] {"SET", "c1", "1"},
                new String[] {"SET", "c2", "2"},
                new String[] {"SET", "c3", "3"},
                new String[] {"SET", "busy", "here"},
                new String[] {"XADD", "st", "1-1", "f", "v"});
            for (String[] c : setup) {
                assertEquals(redis.call(c), store.execute(c), String.join(" ", c));
            }
            tr.call("SET", "busy", "target");
            tu.call("SET", "busy", "target");
            List<String[]> migrations = new ArrayList<>();
            migrations.add(new String[] {"s", "0", "1000"});
            migrations.add(new String[] {"t", "0", "1000"});
            migrations.add(new String[] {"l", "3", "1000", "COPY"});
            migrations.add(new String[] {"h", "0", "1000", "REPLACE"});
            migrations.add(new String[] {"missing", "0", "1000"});
            migrations.add(new String[] {"busy", "0", "1000"});
            migrations.add(new String[] {"busy", "0", "1000", "COPY", "REPLACE"});
            migrations.add(new String[] {"", "0", "1000", "KEYS", "z", "set", "nokey", "big"});
            migrations.add(new String[] {"", "0", "1000", "KEYS", "nothing", "here"});
            migrations.add(new String[] {"c1", "0", "1000", "KEYS", "c2"});
            migrations.add(new String[] {"c1", "0", "1000", "BOGUS"});
            migrations.add(new String[] {"c1", "0", "1000", "AUTH"});
            migrations.add(new String[] {"c1", "0", "x", "COPY"});
            migrations.add(new String[] {"c1", "x", "1000", "COPY"});
            migrations.add(new String[] {"c1", "0", "1000", "AUTH", "secret"});
            migrations.add(new String[] {"", "0", "1000", "KEYS", "c2", "c3"});
            migrations.add(new String[] {"st", "0", "-5"});
            for (String[] m : migrations) {
                Reply want = redis.call(migrate(targetForRedis, m));
                Reply got = store.execute(migrate(targetForUs, m));
                assertEquals(normalise(want), normalise(got), "MIGRATE ... " + String.join(" ", m));
            }
            for (String db : new String[] {"0", "3"}) {
                tr.call("SELECT", db);
                tu.call("SELECT", db);
                Reply keys = tr.call("KEYS", "*");
                assertEquals(sorted(keys), sorted(tu.call("KEYS", "*")), "target db " + db);
                for (Reply k : ((Reply.ArrayReply) keys).elements()) {
                    String key = new String(((Reply.Bulk) k).value(), StandardCharsets.UTF_8);
                    assertEquals(tr.call("TYPE", key), tu.call("TYPE", key), key);
                    assertEquals(dumpValue(tr, key), dumpValue(tu, key), key);
                    long ttlR = ((Reply.IntegerReply) tr.call("PTTL", key)).value();
                    long ttlU = ((Reply.IntegerReply) tu.call("PTTL", key)).value();
                    assertTrue(Math.abs(ttlR - ttlU) < 30_000, key + " pttl " + ttlR + " vs " + ttlU);
                }
            }
            assertEquals(sorted(redis.call("KEYS", "*")), sorted(store.execute("KEYS", "*")), "what is left at the source");
            assertTrue(info(store).contains("migrate_cached_sockets:1"), "one cached connection to the target");
        } finally {
            redis.call("FLUSHALL");
        }
    }

    @Test
    void propagatesDelForTheMigratedKeysOnly() {
        try (RespClient tu = targetForUs.connect()) {
            tu.call("FLUSHALL");
            tu.call("SET", "b", "exists");
            PropagationLog log = new PropagationLog();
            try (Store store = Store.builder().propagationSink(log).open()) {
                store.execute("SET", "a", "1");
                store.execute("SET", "b", "2");
                store.execute("SET", "c", "3");
                log.drain();
                Reply r = store.execute(migrate(targetForUs, new String[] {"", "0", "1000", "KEYS", "a", "b", "c"}));
                assertEquals("ERR Target instance replied with error: BUSYKEY Target key name already exists.",
                    ((Reply.ErrorReply) r).message());
                assertEquals(List.of(List.of("DEL", "a", "c")), log.drain());
                assertEquals(Reply.integer(1), store.execute("EXISTS", "b"));
            }
        }
    }

    @Test
    void timesOutOnATargetThatNeverAnswers() throws IOException {
        try (ServerSocket silent = new ServerSocket(0); Store store = Store.open()) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (IOException ignored) {
                    // closed
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            store.execute("SET", "k", "v");
            long t0 = System.nanoTime();
            Reply r = store.execute("MIGRATE", "127.0.0.1", Integer.toString(silent.getLocalPort()), "k", "0", "200");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals("IOERR error or timeout reading to target instance", ((Reply.ErrorReply) r).message());
            assertTrue(ms >= 190 && ms < 5_000, "took " + ms + " ms");
            assertEquals(Reply.integer(1), store.execute("EXISTS", "k"), "nothing deleted");
            assertTrue(info(store).contains("migrate_cached_sockets:0"), "a failed connection is not cached");
            for (Socket s : accepted) {
                s.close();
            }
        }
        try (Store store = Store.open()) {
            store.execute("SET", "k", "v");
            int closedPort;
            try (ServerSocket s = new ServerSocket(0)) {
                closedPort = s.getLocalPort();
            }
            Reply r = store.execute("MIGRATE", "127.0.0.1", Integer.toString(closedPort), "k", "0", "200");
            assertEquals("IOERR error or timeout connecting to the client", ((Reply.ErrorReply) r).message());
        }
    }

    @Test
    void cachedConnectionsAreClosedAfterTenIdleSeconds() {
        try (Store store = Store.open()) {
            store.execute("SET", "k", "v");
            assertEquals(Reply.OK, store.execute(migrate(targetForUs, new String[] {"k", "5", "1000", "COPY"})));
            assertEquals(1, Internals.engine(store).migrateSockets().size());
            Internals.engine(store).migrateSockets().closeIdle(System.currentTimeMillis() / 1000 + 10);
            assertEquals(1, Internals.engine(store).migrateSockets().size(), "10 s is not yet more than the TTL");
            Internals.engine(store).migrateSockets().closeIdle(System.currentTimeMillis() / 1000 + 12);
            assertEquals(0, Internals.engine(store).migrateSockets().size());
        }
    }

    private static String[] migrate(RedisServerProcess target, String[] m) {
        String[] c = new String[3 + m.length];
        c[0] = "MIGRATE";
        c[1] = target.host();
        c[2] = Integer.toString(target.port());
        System.arraycopy(m, 0, c, 3, m.length);
        return c;
    }

    /** Errors compared by message (a reply object's class may differ between the two paths). */
    private static String normalise(Reply r) {
        return r instanceof Reply.ErrorReply e ? "-" + e.message() : r.toString();
    }

    private static String info(Store store) {
        Reply r = store.execute("INFO", "stats");
        return r instanceof Reply.Verbatim v ? v.text() : new String(((Reply.Bulk) r).value(), StandardCharsets.UTF_8);
    }

    private static List<String> sorted(Reply keys) {
        List<String> out = new ArrayList<>();
        for (Reply k : ((Reply.ArrayReply) keys).elements()) {
            out.add(new String(((Reply.Bulk) k).value(), StandardCharsets.UTF_8));
        }
        out.sort(null);
        return out;
    }

    /** A key's value in a form independent of encoding details: its elements per type. */
    private static String dumpValue(RespClient c, String key) {
        String type = c.call("TYPE", key).toString();
        return switch (type) {
            case "SimpleString[value=string]" -> c.call("GET", key).toString();
            case "SimpleString[value=list]" -> c.call("LRANGE", key, "0", "-1").toString();
            case "SimpleString[value=hash]" -> sorted(c.call("HKEYS", key)) + " " + c.call("HLEN", key);
            case "SimpleString[value=set]" -> sorted(c.call("SMEMBERS", key)).toString();
            case "SimpleString[value=zset]" -> c.call("ZRANGE", key, "0", "-1", "WITHSCORES").toString();
            default -> c.call("DUMP", key).toString().length() + " " + type;
        };
    }
}
