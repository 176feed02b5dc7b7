package io.redjar.resp;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LMPopArgs;
import io.lettuce.core.LMoveArgs;
import io.lettuce.core.LPosArgs;
import io.lettuce.core.Limit;
import io.lettuce.core.MapScanCursor;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScoredValueScanCursor;
import io.lettuce.core.SortArgs;
import io.lettuce.core.ValueScanCursor;
import io.lettuce.core.ZAddArgs;
import io.lettuce.core.ZStoreArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import io.redjar.Store;
import io.redjar.resp.junit.RedJarPort;
import io.redjar.resp.junit.RedJarTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every collection family through Lettuce 6.5.1, in RESP2 and RESP3 (HELLO 3): the assertions are
 * on Lettuce's decoded results (maps, sets, scored values), so they prove the reply shapes work for
 * a real client in both protocols.
 */
@RedJarTest
class LettuceFamiliesTest {

    /** Runs body with two connections (the second for serving blocked pops). */
    private static void run(int port, ProtocolVersion proto,
                            BiConsumer<StatefulRedisConnection<String, String>, StatefulRedisConnection<String, String>> body) {
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", port));
        client.setOptions(ClientOptions.builder().protocolVersion(proto).build());
        try (StatefulRedisConnection<String, String> c = client.connect(); StatefulRedisConnection<String, String> d = client.connect()) {
            assertTrue(c.sync().clientInfo().contains(proto == ProtocolVersion.RESP3 ? "resp=3" : "resp=2"));
            body.accept(c, d);
        } finally {
            client.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    private static <T> T await(RedisFuture<T> f) {
        try {
            return f.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void hashes(ProtocolVersion proto, @RedJarPort int port) {
        run(port, proto, (c, d) -> {
            RedisCommands<String, String> r = c.sync();
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("name", "ada");
            fields.put("age", "36");
            fields.put("score", "1.5");
            assertEquals(3, r.hset("h", fields));
            assertEquals(false, r.hset("h", "name", "Ada"));
            assertEquals("Ada", r.hget("h", "name"));
            assertNull(r.hget("h", "nope"));
            assertEquals(Map.of("name", "Ada", "age", "36", "score", "1.5"), r.hgetall("h"));
            assertEquals(Map.of(), r.hgetall("missing"));
            assertEquals(4.0, r.hincrbyfloat("h", "score", 2.5));
            assertEquals(-0.25, r.hincrbyfloat("h", "neg", -0.25));
            Map<String, String> big = new HashMap<>();
            for (int i = 0; i < 600; i++) {
                big.put("f" + i, "v" + i);
            }
            r.hset("big", big);
            Map<String, String> seen = new HashMap<>();
            ScanCursor cur = ScanCursor.INITIAL;
            do {
                MapScanCursor<String, String> res = r.hscan("big", cur, ScanArgs.Builder.limit(50));
                seen.putAll(res.getMap());
                cur = res;
            } while (!cur.isFinished());
            assertEquals(big, seen);
            assertEquals(Map.of("name", "Ada", "neg", "-0.25"), r.hscan("h", ScanArgs.Builder.matches("n*")).getMap());
            assertTrue(r.hexists("h", r.hrandfield("h")));
            assertEquals(new HashSet<>(r.hkeys("h")), new HashSet<>(r.hrandfield("h", 10)));
            List<KeyValue<String, String>> withValues = r.hrandfieldWithvalues("h", 10);
            assertEquals(4, withValues.size());
            for (KeyValue<String, String> kv : withValues) {
                assertEquals(r.hget("h", kv.getKey()), kv.getValue());
            }
            assertEquals(3, r.hrandfieldWithvalues("h", -3).size());
        });
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void lists(ProtocolVersion proto, @RedJarPort int port, Store store) {
        run(port, proto, (c, d) -> {
            RedisCommands<String, String> r = c.sync();
            assertEquals(3, r.rpush("l", "a", "b", "c"));
            assertEquals(5, r.lpush("l", "y", "z"));
            assertEquals(List.of("z", "y", "a", "b", "c"), r.lrange("l", 0, -1));
            assertEquals(3L, r.lpos("l", "b"));
            assertNull(r.lpos("l", "nope"));
            r.rpush("l", "a");
            assertEquals(List.of(2L, 5L), r.lpos("l", "a", 0));
            assertEquals(5L, r.lpos("l", "a", LPosArgs.Builder.rank(-1)));
            assertEquals("z", r.lmove("l", "l2", LMoveArgs.Builder.leftRight()));
            assertEquals("a", r.lmove("l", "l2", LMoveArgs.Builder.rightLeft()));
            assertEquals(List.of("a", "z"), r.lrange("l2", 0, -1));
            KeyValue<String, List<String>> popped = r.lmpop(LMPopArgs.Builder.left().count(2), "missing", "l");
            assertEquals("l", popped.getKey());
            assertEquals(List.of("y", "a"), popped.getValue());
            assertEquals(List.of("c"), r.lmpop(LMPopArgs.Builder.right(), "l").getValue());
            assertTrue(r.lmpop(LMPopArgs.Builder.left(), "missing") == null
                || !r.lmpop(LMPopArgs.Builder.left(), "missing").hasValue());
            // BLPOP served by the other connection's push
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                RedisFuture<KeyValue<String, String>> got = c.async().blpop(5, "q1", "q2");
                RawConn.waitBlocked(store, 1);
                assertEquals(1, d.sync().rpush("q2", "hello"));
                KeyValue<String, String> kv = await(got);
                assertEquals("q2", kv.getKey());
                assertEquals("hello", kv.getValue());
                assertEquals(0, r.exists("q2"));
                assertNull(r.blpop(0.05, "q1"));
            });
        });
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void sets(ProtocolVersion proto, @RedJarPort int port) {
        run(port, proto, (c, d) -> {
            RedisCommands<String, String> r = c.sync();
            assertEquals(3, r.sadd("s", "a", "b", "c"));
            assertEquals(1, r.sadd("s", "a", "d"));
            assertEquals(Set.of("a", "b", "c", "d"), r.smembers("s"));
            assertEquals(Set.of(), r.smembers("missing"));
            assertEquals(List.of(true, false), r.smismember("s", "a", "z"));
            r.sadd("t", "c", "d", "e");
            assertEquals(2, r.sinterstore("st", "s", "t"));
            assertEquals(Set.of("c", "d"), r.smembers("st"));
            assertEquals(Set.of("a", "b", "c", "d", "e"), r.sunion("s", "t"));
            r.sadd("ints", "3", "1", "2");
            assertEquals(Set.of("1", "2", "3"), r.smembers("ints"));
            for (int i = 0; i < 700; i++) {
                r.sadd("big", "m" + i);
            }
            Set<String> seen = new HashSet<>();
            ScanCursor cur = ScanCursor.INITIAL;
            do {
                ValueScanCursor<String> res = r.sscan("big", cur, ScanArgs.Builder.limit(30).match("m1*"));
                seen.addAll(res.getValues());
                cur = res;
            } while (!cur.isFinished());
            assertEquals(111, seen.size());
            String one = r.spop("st");
            Set<String> rest = r.spop("st", 5);
            Set<String> all = new HashSet<>(rest);
            all.add(one);
            assertEquals(Set.of("c", "d"), all);
            assertEquals(0, r.exists("st"));
            assertNull(r.spop("missing"));
            assertEquals(Set.of(), r.spop("missing", 2));
        });
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void sortedSets(ProtocolVersion proto, @RedJarPort int port, Store store) {
        run(port, proto, (c, d) -> {
            RedisCommands<String, String> r = c.sync();
            assertEquals(3, r.zadd("z", ScoredValue.just(1, "a"), ScoredValue.just(2, "b"), ScoredValue.just(3, "c")));
            assertEquals(1, r.zadd("z", ZAddArgs.Builder.nx(), ScoredValue.just(10, "a"), ScoredValue.just(4, "d")));
            assertEquals(1, r.zadd("z", ZAddArgs.Builder.xx().ch(), 5, "a"));
            assertEquals(0, r.zadd("z", ZAddArgs.Builder.gt().ch(), 1, "b"));
            assertEquals(5.5, r.zaddincr("z", 2.5, "c"));
            assertNull(r.zaddincr("z", ZAddArgs.Builder.nx(), 1, "a"));
            assertEquals(List.of(ScoredValue.just(2, "b"), ScoredValue.just(4, "d"), ScoredValue.just(5, "a"),
                ScoredValue.just(5.5, "c")), r.zrangeWithScores("z", 0, -1));
            assertEquals(List.of(ScoredValue.just(5.5, "c"), ScoredValue.just(5, "a")), r.zrevrangeWithScores("z", 0, 1));
            assertEquals(List.of(ScoredValue.just(5, "a"), ScoredValue.just(5.5, "c")),
                r.zrangebyscoreWithScores("z", Range.create(2, 6), Limit.create(2, 5)));
            assertEquals(List.of("a", "d"), r.zrevrangebyscore("z", Range.create(3, 5.2)));
            assertEquals(List.of("d", "a"), r.zrangebyscore("z", Range.from(Range.Boundary.excluding(2), Range.Boundary.including(5))));
            assertEquals(3L, r.zrank("z", "c"));
            assertNull(r.zrank("z", "nope"));
            assertEquals(5.5, r.zscore("z", "c"));
            r.zadd("z2", ScoredValue.just(1, "a"), ScoredValue.just(1, "x"));
            assertEquals(5, r.zunionstore("u", ZStoreArgs.Builder.weights(2, 3), "z", "z2"));
            assertEquals(List.of(ScoredValue.just(3, "x"), ScoredValue.just(4, "b"), ScoredValue.just(8, "d"),
                ScoredValue.just(11, "c"), ScoredValue.just(13, "a")), r.zrangeWithScores("u", 0, -1));
            assertEquals(ScoredValue.just(3, "x"), r.zpopmin("u"));
            assertEquals(List.of(ScoredValue.just(4, "b"), ScoredValue.just(8, "d")), r.zpopmin("u", 2));
            assertEquals(ScoredValue.just(13, "a"), r.zpopmax("u"));
            assertTrue(!r.zpopmin("missing").hasValue());
            for (int i = 0; i < 300; i++) {
                r.zadd("big", i / 2.0, "m" + i);
            }
            Map<String, Double> seen = new HashMap<>();
            ScanCursor cur = ScanCursor.INITIAL;
            do {
                ScoredValueScanCursor<String> res = r.zscan("big", cur, ScanArgs.Builder.limit(40));
                res.getValues().forEach(sv -> seen.put(sv.getValue(), sv.getScore()));
                cur = res;
            } while (!cur.isFinished());
            assertEquals(300, seen.size());
            assertEquals(3.5, seen.get("m7"));
            // BZPOPMIN served by the other connection's ZADD
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                RedisFuture<KeyValue<String, ScoredValue<String>>> got = c.async().bzpopmin(5, "bz1", "bz2");
                RawConn.waitBlocked(store, 1);
                assertEquals(2, d.sync().zadd("bz2", ScoredValue.just(1.5, "lo"), ScoredValue.just(9, "hi")));
                KeyValue<String, ScoredValue<String>> kv = await(got);
                assertEquals("bz2", kv.getKey());
                assertEquals(ScoredValue.just(1.5, "lo"), kv.getValue());
                assertEquals(List.of("hi"), r.zrange("bz2", 0, -1));
            });
        });
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void sort(ProtocolVersion proto, @RedJarPort int port) {
        run(port, proto, (c, d) -> {
            RedisCommands<String, String> r = c.sync();
            r.rpush("ids", "3", "1", "2");
            r.mset(Map.of("w_1", "30", "w_2", "20", "w_3", "10", "o_1", "one", "o_2", "two", "o_3", "three"));
            r.hset("h_1", "f", "b");
            r.hset("h_2", "f", "c");
            r.hset("h_3", "f", "a");
            assertEquals(List.of("1", "2", "3"), r.sort("ids"));
            assertEquals(List.of("three", "3", "two", "2", "one", "1"), r.sort("ids", SortArgs.Builder.by("w_*").get("o_*").get("#")));
            assertEquals(List.of("3", "1", "2"), r.sort("ids", SortArgs.Builder.by("h_*->f").alpha()));
            assertEquals(3, r.sortStore("ids", SortArgs.Builder.by("w_*").get("o_*"), "sorted"));
            assertEquals(List.of("three", "two", "one"), r.lrange("sorted", 0, -1));
        });
    }

    /** An async batch (auto-flush off) mixing every family, replies decoded in order. */
    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void asyncBatchMixingFamilies(ProtocolVersion proto, @RedJarPort int port) {
        run(port, proto, (c, d) -> {
            RedisAsyncCommands<String, String> a = c.async();
            c.setAutoFlushCommands(false);
            List<Runnable> checks = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                String n = Integer.toString(i);
                final int k = i;
                RedisFuture<Boolean> hset = a.hset("ph", "f" + n, n);
                RedisFuture<Long> rpush = a.rpush("pl", n);
                RedisFuture<Long> sadd = a.sadd("ps", n);
                RedisFuture<Long> zadd = a.zadd("pz", i, "m" + n);
                RedisFuture<Double> zincr = a.zincrby("pz", 0.5, "m" + n);
                RedisFuture<Map<String, String>> hgetall = a.hgetall("ph");
                RedisFuture<List<String>> lrange = a.lrange("pl", -1, -1);
                RedisFuture<Set<String>> smembers = a.smembers("ps");
                RedisFuture<List<ScoredValue<String>>> top = a.zrevrangeWithScores("pz", 0, 0);
                RedisFuture<List<String>> sorted = a.sort("pl", SortArgs.Builder.desc().limit(0, 1));
                checks.add(() -> {
                    assertTrue(await(hset));
                    assertEquals(k + 1, await(rpush));
                    assertEquals(1, await(sadd));
                    assertEquals(1, await(zadd));
                    assertEquals(k + 0.5, await(zincr));
                    assertEquals(k + 1, await(hgetall).size());
                    assertEquals(n, await(hgetall).get("f" + n));
                    assertEquals(List.of(n), await(lrange));
                    assertEquals(k + 1, await(smembers).size());
                    assertEquals(List.of(ScoredValue.just(k + 0.5, "m" + n)), await(top));
                    assertEquals(List.of(n), await(sorted));
                });
            }
            c.flushCommands();
            checks.forEach(Runnable::run);
            c.setAutoFlushCommands(true);
        });
    }
}
