package io.redjar.resp;

import static io.redjar.resp.RawConn.waitBlocked;
import io.redjar.Store;
import io.redjar.resp.junit.RedJarPort;
import io.redjar.resp.junit.RedJarTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.args.ListDirection;
import redis.clients.jedis.params.LPosParams;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SortingParams;
import redis.clients.jedis.params.ZAddParams;
import redis.clients.jedis.params.ZParams;
import redis.clients.jedis.params.ZRangeParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.Tuple;
import redis.clients.jedis.util.KeyValue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every collection family through Jedis 5.2.0, in RESP2 and RESP3: the assertions are on Jedis's
 * decoded results, so they prove the reply shapes (RESP3 maps, sets, doubles) decode for a real client.
 */
@RedJarTest
class JedisFamiliesTest {

    private static Jedis jedis(int port, RedisProtocol proto) {
        return new Jedis(new HostAndPort("127.0.0.1", port), DefaultJedisClientConfig.builder()
            .protocol(proto).socketTimeoutMillis(10_000).build());
    }

    @ParameterizedTest
    @EnumSource(value = RedisProtocol.class)
    void hashes(RedisProtocol proto, @RedJarPort int port) {
        try (Jedis j = jedis(port, proto)) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("name", "ada");
            fields.put("age", "36");
            fields.put("score", "1.5");
            assertEquals(3, j.hset("h", fields));
            assertEquals(0, j.hset("h", "name", "Ada"));
            assertEquals("Ada", j.hget("h", "name"));
            assertNull(j.hget("h", "nope"));
            assertEquals(Map.of("name", "Ada", "age", "36", "score", "1.5"), j.hgetAll("h"));
            assertEquals(Map.of(), j.hgetAll("missing"));
            assertEquals(4.0, j.hincrByFloat("h", "score", 2.5));
            assertEquals(0.1, j.hincrByFloat("h", "new", 0.1), 1e-12);
            assertEquals(37, j.hincrBy("h", "age", 1));
            assertEquals(java.util.Arrays.asList("Ada", null), j.hmget("h", "name", "nope"));
            Map<String, String> big = new HashMap<>();
            for (int i = 0; i < 600; i++) {
                big.put("f" + i, "v" + i);
            }
            j.hset("big", big); // past hash-max-listpack-entries: a hashtable, scanned in steps
            Map<String, String> seen = new HashMap<>();
            String cursor = ScanParams.SCAN_POINTER_START;
            int calls = 0;
            do {
                ScanResult<Map.Entry<String, String>> r = j.hscan("big", cursor, new ScanParams().count(50));
                r.getResult().forEach(e -> seen.put(e.getKey(), e.getValue()));
                cursor = r.getCursor();
                calls++;
            } while (!cursor.equals("0"));
            assertEquals(big, seen);
            assertTrue(calls > 1, "calls " + calls);
            ScanResult<Map.Entry<String, String>> small = j.hscan("h", "0", new ScanParams().match("n*"));
            assertEquals("0", small.getCursor());
            assertEquals(Set.of("name", "new"), keys(small.getResult()));
            assertTrue(j.hgetAll("h").containsKey(j.hrandfield("h")));
            assertEquals(Set.copyOf(j.hkeys("h")), Set.copyOf(j.hrandfield("h", 10)));
            List<Map.Entry<String, String>> withValues = j.hrandfieldWithValues("h", 10);
            assertEquals(4, withValues.size());
            for (Map.Entry<String, String> e : withValues) {
                assertEquals(j.hget("h", e.getKey()), e.getValue());
            }
            assertEquals(3, j.hrandfieldWithValues("h", -3).size());
            assertNull(j.hrandfield("missing"));
        }
    }

    private static Set<String> keys(List<Map.Entry<String, String>> es) {
        Set<String> out = new HashSet<>();
        es.forEach(e -> out.add(e.getKey()));
        return out;
    }

    @ParameterizedTest
    @EnumSource(value = RedisProtocol.class)
    void lists(RedisProtocol proto, @RedJarPort int port, Store store) {
        try (Jedis j = jedis(port, proto)) {
            assertEquals(3, j.rpush("l", "a", "b", "c"));
            assertEquals(5, j.lpush("l", "y", "z"));
            assertEquals(List.of("z", "y", "a", "b", "c"), j.lrange("l", 0, -1));
            assertEquals(List.of("b", "c"), j.lrange("l", -2, 99));
            assertEquals(List.of(), j.lrange("missing", 0, -1));
            assertEquals(3L, j.lpos("l", "b"));
            assertNull(j.lpos("l", "nope"));
            j.rpush("l", "a");
            assertEquals(List.of(2L, 5L), j.lpos("l", "a", LPosParams.lPosParams(), 0));
            assertEquals(5L, j.lpos("l", "a", LPosParams.lPosParams().rank(-1)));
            assertEquals("z", j.lmove("l", "l2", ListDirection.LEFT, ListDirection.RIGHT));
            assertEquals("a", j.lmove("l", "l2", ListDirection.RIGHT, ListDirection.LEFT));
            assertEquals(List.of("a", "z"), j.lrange("l2", 0, -1));
            assertNull(j.lmove("missing", "l2", ListDirection.LEFT, ListDirection.LEFT));
            KeyValue<String, List<String>> popped = j.lmpop(ListDirection.LEFT, 2, "missing", "l");
            assertEquals("l", popped.getKey());
            assertEquals(List.of("y", "a"), popped.getValue());
            assertEquals(List.of("c"), j.lmpop(ListDirection.RIGHT, "l").getValue());
            assertNull(j.lmpop(ListDirection.LEFT, "missing"));
            assertEquals(List.of("b"), j.lpop("l", 5));
            assertNull(j.rpop("missing", 2));
        }
        // a BLPOP served by another client's push
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (Jedis waiter = jedis(port, proto); Jedis pusher = jedis(port, proto)) {
                CompletableFuture<KeyValue<String, String>> got =
                    CompletableFuture.supplyAsync(() -> waiter.blpop(5.0, "q1", "q2"));
                waitBlocked(store, 1);
                assertEquals(1, pusher.rpush("q2", "hello"));
                KeyValue<String, String> kv = got.get(5, TimeUnit.SECONDS);
                assertEquals("q2", kv.getKey());
                assertEquals("hello", kv.getValue());
                assertEquals(false, pusher.exists("q2"));
                assertNull(waiter.blpop(0.05, "q1"));
                assertNull(waiter.blmove("q1", "q3", ListDirection.LEFT, ListDirection.RIGHT, 0.05), "BLMOVE times out");
            }
        });
    }

    @ParameterizedTest
    @EnumSource(value = RedisProtocol.class)
    void sets(RedisProtocol proto, @RedJarPort int port) {
        try (Jedis j = jedis(port, proto)) {
            assertEquals(3, j.sadd("s", "a", "b", "c"));
            assertEquals(1, j.sadd("s", "a", "d"));
            assertEquals(Set.of("a", "b", "c", "d"), j.smembers("s"));
            assertEquals(Set.of(), j.smembers("missing"));
            assertTrue(j.sismember("s", "a"));
            assertEquals(List.of(true, false), j.smismember("s", "a", "z"));
            j.sadd("t", "c", "d", "e");
            assertEquals(2, j.sinterstore("st", "s", "t"));
            assertEquals(Set.of("c", "d"), j.smembers("st"));
            assertEquals(Set.of("c", "d"), j.sinter("s", "t"));
            assertEquals(Set.of("a", "b", "c", "d", "e"), j.sunion("s", "t"));
            assertEquals(Set.of("a", "b"), j.sdiff("s", "t"));
            for (int i = 0; i < 700; i++) {
                j.sadd("big", "m" + i); // past set-max-intset-entries... and not integers: a hashtable
            }
            Set<String> seen = new HashSet<>();
            String cursor = "0";
            do {
                ScanResult<String> r = j.sscan("big", cursor, new ScanParams().count(30).match("m1*"));
                seen.addAll(r.getResult());
                cursor = r.getCursor();
            } while (!cursor.equals("0"));
            assertEquals(111, seen.size()); // m1, m10-m19, m100-m199
            String one = j.spop("st");
            assertTrue(Set.of("c", "d").contains(one));
            assertEquals(Set.of("c", "d"), union(Set.of(one), j.spop("st", 5)));
            assertEquals(false, j.exists("st"));
            assertNull(j.spop("missing"));
            assertEquals(Set.of(), j.spop("missing", 2));
            assertEquals(5, j.srandmember("s", -5).size());
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new HashSet<>(a);
        out.addAll(b);
        return out;
    }

    @ParameterizedTest
    @EnumSource(value = RedisProtocol.class)
    void sortedSets(RedisProtocol proto, @RedJarPort int port, Store store) {
        try (Jedis j = jedis(port, proto)) {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("a", 1.0);
            m.put("b", 2.0);
            m.put("c", 3.0);
            assertEquals(3, j.zadd("z", m));
            assertEquals(1, j.zadd("z", Map.of("a", 10.0, "d", 4.0), ZAddParams.zAddParams().nx()));
            assertEquals(1, j.zadd("z", 5.0, "a", ZAddParams.zAddParams().xx().ch()));
            assertEquals(0, j.zadd("z", 1.0, "b", ZAddParams.zAddParams().gt().ch()));
            assertEquals(5.5, j.zaddIncr("z", 2.5, "c", ZAddParams.zAddParams()));
            assertNull(j.zaddIncr("z", 1, "a", ZAddParams.zAddParams().nx()));
            assertEquals(List.of("b", "d", "a", "c"), j.zrange("z", 0, -1));
            assertEquals(List.of(new Tuple("b", 2.0), new Tuple("d", 4.0), new Tuple("a", 5.0), new Tuple("c", 5.5)),
                j.zrangeWithScores("z", 0, -1));
            assertEquals(List.of(new Tuple("c", 5.5), new Tuple("a", 5.0)), j.zrevrangeWithScores("z", 0, 1));
            assertEquals(List.of(new Tuple("a", 5.0), new Tuple("c", 5.5)),
                j.zrangeWithScores("z", ZRangeParams.zrangeByScoreParams(2, 6).limit(2, 5)));
            assertEquals(List.of("a", "d"), j.zrange("z", ZRangeParams.zrangeByScoreParams(5.2, 3).rev()));
            assertEquals(List.of("d", "a"), j.zrangeByScore("z", "(2", "5", 0, 2));
            assertEquals(3L, j.zrank("z", "c"));
            assertNull(j.zrank("z", "nope"));
            assertEquals(0L, j.zrevrank("z", "c"));
            assertEquals(5.5, j.zscore("z", "c"));
            assertEquals(java.util.Arrays.asList(5.0, null), j.zmscore("z", "a", "nope"));
            j.zadd("z2", Map.of("a", 1.0, "x", 1.0));
            assertEquals(5, j.zunionstore("u", new ZParams().weights(2, 3), "z", "z2"));
            assertEquals(List.of(new Tuple("x", 3.0), new Tuple("b", 4.0), new Tuple("d", 8.0), new Tuple("c", 11.0),
                new Tuple("a", 13.0)), j.zrangeWithScores("u", 0, -1));
            assertEquals(new Tuple("x", 3.0), j.zpopmin("u"));
            assertEquals(List.of(new Tuple("b", 4.0), new Tuple("d", 8.0)), j.zpopmin("u", 2));
            assertNull(j.zpopmin("missing"));
            assertEquals(List.of(), j.zpopmin("missing", 3));
            assertEquals(new Tuple("a", 13.0), j.zpopmax("u"));
            Map<String, Double> big = new HashMap<>();
            for (int i = 0; i < 300; i++) {
                big.put("m" + i, (double) i / 2);
            }
            j.zadd("big", big); // a skip list
            Set<Tuple> seen = new HashSet<>();
            String cursor = "0";
            do {
                ScanResult<Tuple> r = j.zscan("big", cursor, new ScanParams().count(40));
                seen.addAll(r.getResult());
                cursor = r.getCursor();
            } while (!cursor.equals("0"));
            assertEquals(300, seen.size());
            assertTrue(seen.contains(new Tuple("m7", 3.5)));
            assertEquals(List.of(new Tuple("b", 2.0)), j.zscan("z", "0", new ScanParams().match("b")).getResult());
        }
        // a BZPOPMIN served by another client's ZADD
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (Jedis waiter = jedis(port, proto); Jedis adder = jedis(port, proto)) {
                CompletableFuture<KeyValue<String, Tuple>> got =
                    CompletableFuture.supplyAsync(() -> waiter.bzpopmin(5.0, "bz1", "bz2"));
                waitBlocked(store, 1);
                assertEquals(2, adder.zadd("bz2", Map.of("lo", 1.5, "hi", 9.0)));
                KeyValue<String, Tuple> kv = got.get(5, TimeUnit.SECONDS);
                assertEquals("bz2", kv.getKey());
                assertEquals(new Tuple("lo", 1.5), kv.getValue());
                assertEquals(List.of("hi"), adder.zrange("bz2", 0, -1));
                assertNull(waiter.bzpopmin(0.05, "bz1"));
            }
        });
    }

    @ParameterizedTest
    @EnumSource(value = RedisProtocol.class)
    void sort(RedisProtocol proto, @RedJarPort int port) {
        try (Jedis j = jedis(port, proto)) {
            j.rpush("ids", "3", "1", "2");
            j.mset("w_1", "30", "w_2", "20", "w_3", "10", "o_1", "one", "o_2", "two", "o_3", "three");
            j.hset("h_1", "f", "b");
            j.hset("h_2", "f", "c");
            j.hset("h_3", "f", "a");
            assertEquals(List.of("1", "2", "3"), j.sort("ids"));
            assertEquals(List.of("3", "2"), j.sort("ids", new SortingParams().desc().limit(0, 2)));
            assertEquals(List.of("three", "3", "two", "2", "one", "1"), j.sort("ids", new SortingParams().by("w_*").get("o_*", "#")));
            assertEquals(List.of("3", "1", "2"), j.sort("ids", new SortingParams().by("h_*->f").alpha()));
            assertEquals(3, j.sort("ids", new SortingParams().by("w_*").get("o_*"), "sorted"));
            assertEquals(List.of("three", "two", "one"), j.lrange("sorted", 0, -1));
            assertEquals(List.of("3", "1", "2"), j.sort("ids", new SortingParams().nosort()));
            j.sadd("nums", "10", "9", "100");
            assertEquals(List.of("10", "100", "9"), j.sort("nums", new SortingParams().alpha()));
        }
    }

    /** 1000 commands over every family in one pipeline, replies decoded in order. */
    @ParameterizedTest
    @EnumSource(value = RedisProtocol.class)
    void pipelineMixingFamilies(RedisProtocol proto, @RedJarPort int port) {
        try (Jedis j = jedis(port, proto)) {
            Pipeline p = j.pipelined();
            List<Runnable> checks = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                String n = Integer.toString(i);
                Response<Long> hset = p.hset("ph", "f" + n, n);
                Response<Long> rpush = p.rpush("pl", n);
                Response<Long> sadd = p.sadd("ps", n);
                Response<Long> zadd = p.zadd("pz", i, "m" + n);
                Response<Double> zincr = p.zincrby("pz", 0.5, "m" + n);
                Response<String> hget = p.hget("ph", "f" + n);
                Response<List<String>> lrange = p.lrange("pl", -1, -1);
                Response<Boolean> sism = p.sismember("ps", n);
                Response<Long> zrank = p.zrank("pz", "m" + n);
                Response<Map<String, String>> hgetall = p.hgetAll("ph");
                final int k = i;
                checks.add(() -> {
                    assertEquals(1, hset.get());
                    assertEquals(k + 1, rpush.get());
                    assertEquals(1, sadd.get());
                    assertEquals(1, zadd.get());
                    assertEquals(k + 0.5, zincr.get());
                    assertEquals(n, hget.get());
                    assertEquals(List.of(n), lrange.get());
                    assertTrue(sism.get());
                    assertEquals(k, zrank.get());
                    assertEquals(k + 1, hgetall.get().size());
                });
            }
            p.sync();
            checks.forEach(Runnable::run);
            assertEquals(100, j.zcard("pz"));
            assertEquals(new Tuple("m99", 99.5), j.zrangeWithScores("pz", -1, -1).get(0));
        }
    }
}
