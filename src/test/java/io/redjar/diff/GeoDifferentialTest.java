package io.redjar.diff;

import io.redjar.Reply;
import io.redjar.Session;
import io.redjar.Store;
import io.redjar.internal.Internals;
import io.redjar.testing.DifferentialRunner;
import io.redjar.testing.GeoCommandGenerator;
import io.redjar.testing.RedisServerProcess;
import io.redjar.testing.RequiresRedis;
import io.redjar.testing.RespClient;
import io.redjar.testing.Seeds;
import io.redjar.testing.Step;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/**
 * The GEO commands against a real redis-server 7.0: seeded random sequences
 * ({@link GeoCommandGenerator}, seed printed, fixed under {@code CI=true}) on RESP3 and RESP2 and
 * with small listpack limits (skip-list encoded sources and destinations), plus hand-written edge
 * cases: poles and the antimeridian, tiny and huge radii, COUNT ANY, STORE into keys of other
 * types, wrong types and every error text.
 */
@RequiresRedis
class GeoDifferentialTest {

    /** What the RESP module sends a RESP2 client: doubles as bulk strings, maps and sets flattened. */
    static Reply resp2(Reply r) {
        if (r instanceof Reply.DoubleReply d) {
            return Reply.bulk(io.redjar.internal.util.Numbers.formatDouble17g(d.value()));
        }
        if (r instanceof Reply.ArrayReply a) {
            return Reply.array(a.elements().stream().map(GeoDifferentialTest::resp2).toList());
        }
        if (r instanceof Reply.SetReply a) {
            return Reply.array(a.elements().stream().map(GeoDifferentialTest::resp2).toList());
        }
        if (r instanceof Reply.Map m) {
            return Reply.array(m.flat().stream().map(GeoDifferentialTest::resp2).toList());
        }
        return r;
    }

    private static java.util.function.Function<byte[][], Reply> candidate(Session session) {
        return session.protocol() >= 3 ? session::execute : argv -> resp2(session.execute(argv));
    }

    private static void random(RespClient redis, Store store, int protocol, String name) {
        long master = Seeds.seed();
        Seeds.run(name + " (rerun with -Dredjar.seed=" + master + ")", master, rnd -> {
            long s = rnd.nextLong();
            System.out.println(name + ": generator seed " + s + " (master " + master + ")");
            Session session = store.newSession();
            session.protocol(protocol);
            redis.call("FLUSHALL");
            new DifferentialRunner(redis, candidate(session)).seed(s).run(new GeoCommandGenerator(s), 3000);
        });
    }

    @Test
    void randomResp3(RespClient redis) {
        try (Store store = Store.open()) {
            random(redis, store, 3, "geo RESP3");
        }
    }

    @Test
    void randomResp2(RedisServerProcess server) {
        try (Store store = Store.open(); RespClient redis = server.connect(false)) {
            random(redis, store, 2, "geo RESP2");
        }
    }

    @Test
    void randomSmallListpacks(RespClient redis) {
        try (Store store = Store.open()) {
            Internals.engine(store).limits().zsetMaxListpackEntries = 4;
            redis.call("CONFIG", "SET", "zset-max-listpack-entries", "4");
            try {
                random(redis, store, 3, "geo small listpacks");
            } finally {
                redis.call("CONFIG", "SET", "zset-max-listpack-entries", "128");
            }
        }
    }

    static List<Step> edgeCases() {
        List<Step> s = new ArrayList<>();
        s.add(Step.of("GEOADD", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"));
        s.add(Step.of("GEODIST", "Sicily", "Palermo", "Catania"));
        s.add(Step.of("GEODIST", "Sicily", "Palermo", "Catania", "km"));
        s.add(Step.of("GEODIST", "Sicily", "Palermo", "Catania", "MI"));
        s.add(Step.of("GEODIST", "Sicily", "Palermo", "Catania", "ft"));
        s.add(Step.of("GEODIST", "Sicily", "Palermo", "Catania", "yd"));
        s.add(Step.of("GEODIST", "Sicily", "Palermo", "Catania", "km", "x"));
        s.add(Step.of("GEODIST", "Sicily", "Palermo", "nosuch"));
        s.add(Step.of("GEODIST", "nokey", "Palermo", "Catania"));
        s.add(Step.of("GEODIST", "nokey", "Palermo", "Catania", "yd"));
        s.add(Step.of("GEODIST", "Sicily", "Palermo", "Palermo"));
        s.add(Step.of("GEOPOS", "Sicily", "Palermo", "Catania", "NonExisting"));
        s.add(Step.of("GEOPOS", "nokey", "a", "b"));
        s.add(Step.of("GEOPOS", "Sicily"));
        s.add(Step.of("GEOHASH", "Sicily", "Palermo", "Catania", "nosuch"));
        s.add(Step.of("GEOHASH", "nokey", "a"));
        s.add(Step.of("GEOHASH", "Sicily"));
        s.add(Step.of("GEORADIUS", "Sicily", "15", "37", "200", "km", "WITHDIST", "WITHCOORD", "WITHHASH", "ASC"));
        s.add(Step.of("GEORADIUS", "Sicily", "15", "37", "200", "km", "DESC", "COUNT", "1"));
        s.add(Step.of("GEORADIUS", "Sicily", "15", "37", "200", "km", "COUNT", "1", "ANY"));
        s.add(Step.of("GEORADIUS", "Sicily", "15", "37", "200", "km", "ANY"));
        s.add(Step.of("GEORADIUS", "Sicily", "15", "37", "200", "km", "COUNT", "0"));
        s.add(Step.of("GEORADIUS", "Sicily", "15", "37", "200", "km", "COUNT", "-3"));
        s.add(Step.of("GEORADIUS", "Sicily", "15", "37", "200", "km", "COUNT", "x"));
        s.add(Step.of("GEORADIUS", "Sicily", "15", "37", "200", "km", "COUNT"));
        s.add(Step.of("GEORADIUS", "Sicily", "15", "37", "-1", "km"));
        s.add(Step.of("GEORADIUS", "Sicily", "15", "37", "x", "km"));
        s.add(Step.of("GEORADIUS", "Sicily", "15", "37", "1", "yd"));
        s.add(Step.of("GEORADIUS", "Sicily", "200", "37", "1", "km"));
        s.add(Step.of("GEORADIUS", "Sicily", "15", "-86", "1", "km"));
        s.add(Step.of("GEORADIUS", "Sicily", "-1e300", "1e-7", "1", "km"));
        s.add(Step.of("GEORADIUS", "Sicily", "inf", "0", "1", "km"));
        s.add(Step.of("GEORADIUS", "Sicily", "x", "37", "1", "km"));
        s.add(Step.of("GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE", "dst", "WITHDIST"));
        s.add(Step.of("GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE", "dst"));
        s.add(Step.of("ZRANGE", "dst", "0", "-1", "WITHSCORES").compareWith(GeoCommandGenerator.NEAR_SCORES));
        s.add(Step.of("GEORADIUS", "Sicily", "15", "37", "200", "km", "STOREDIST", "dst", "ASC", "COUNT", "1"));
        s.add(Step.of("ZRANGE", "dst", "0", "-1", "WITHSCORES").compareWith(GeoCommandGenerator.NEAR_SCORES));
        s.add(Step.of("GEORADIUS", "Sicily", "15", "37", "1", "m", "STORE", "dst"));
        s.add(Step.of("EXISTS", "dst"));
        s.add(Step.of("SET", "str", "v"));
        s.add(Step.of("EXPIRE", "str", "1000"));
        s.add(Step.of("GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE", "str"));
        s.add(Step.of("TYPE", "str"));
        s.add(Step.of("TTL", "str"));
        s.add(Step.of("SET", "str2", "v"));
        s.add(Step.of("GEORADIUS", "nokey", "15", "37", "200", "km", "STORE", "str2"));
        s.add(Step.of("EXISTS", "str2"));
        s.add(Step.of("GEORADIUS", "nokey", "15", "37", "200", "km"));
        s.add(Step.of("GEORADIUS", "str", "15", "37", "200", "km"));
        s.add(Step.of("GEORADIUS", "str", "200", "37", "200", "km"));
        s.add(Step.of("GEORADIUS_RO", "Sicily", "15", "37", "200", "km", "STORE", "dst"));
        s.add(Step.of("GEORADIUSBYMEMBER", "Sicily", "Palermo", "200", "km", "WITHDIST"));
        s.add(Step.of("GEORADIUSBYMEMBER", "Sicily", "nosuch", "200", "km"));
        s.add(Step.of("GEORADIUSBYMEMBER", "Sicily", "nosuch", "x", "yd"));
        s.add(Step.of("GEORADIUSBYMEMBER", "nokey", "nosuch", "x", "yd"));
        s.add(Step.of("GEORADIUSBYMEMBER", "nokey", "nosuch", "x", "yd", "BOGUS"));
        s.add(Step.of("GEORADIUSBYMEMBER", "nokey", "nosuch", "x", "yd", "ANY"));
        s.add(Step.of("GEORADIUSBYMEMBER_RO", "Sicily", "Palermo", "200", "km", "STOREDIST", "d"));
        s.add(Step.of("GEORADIUSBYMEMBER", "Sicily", "Palermo", "200", "km", "STORE", "Sicily"));
        s.add(Step.of("ZRANGE", "Sicily", "0", "-1", "WITHSCORES"));
        s.add(Step.of("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "400", "400", "km", "ASC", "WITHCOORD", "WITHDIST"));
        s.add(Step.of("GEOSEARCH", "Sicily", "FROMMEMBER", "Palermo", "BYRADIUS", "100", "km"));
        s.add(Step.of("GEOSEARCH", "Sicily", "FROMMEMBER", "nosuch", "BYRADIUS", "100", "km"));
        s.add(Step.of("GEOSEARCH", "nokey", "FROMMEMBER", "nosuch", "BYRADIUS", "100", "km"));
        s.add(Step.of("GEOSEARCH", "Sicily", "BYRADIUS", "100", "km"));
        s.add(Step.of("geosearch", "Sicily", "FROMLONLAT", "15", "37"));
        s.add(Step.of("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "FROMMEMBER", "Palermo", "BYRADIUS", "1", "m"));
        s.add(Step.of("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "m", "BYBOX", "1", "1", "m"));
        s.add(Step.of("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "1", "-1", "m"));
        s.add(Step.of("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "x", "1", "m"));
        s.add(Step.of("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "1", "x", "m"));
        s.add(Step.of("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "m", "STORE", "x"));
        s.add(Step.of("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "m", "STOREDIST"));
        s.add(Step.of("GEOSEARCHSTORE", "dst", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "500", "km", "STOREDIST"));
        s.add(Step.of("ZRANGE", "dst", "0", "-1", "WITHSCORES").compareWith(GeoCommandGenerator.NEAR_SCORES));
        s.add(Step.of("GEOSEARCHSTORE", "dst", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "500", "km", "WITHDIST"));
        s.add(Step.of("GEOSEARCHSTORE", "dst", "nokey", "FROMMEMBER", "x", "BYRADIUS", "500", "km"));
        s.add(Step.of("EXISTS", "dst"));
        s.add(Step.of("GEOSEARCHSTORE", "dst", "str", "FROMMEMBER", "x", "BYRADIUS", "500", "km"));
        // poles, antimeridian, extremes
        s.add(Step.of("GEOADD", "w", "179.99", "0", "east", "-179.99", "0", "west", "0", "85.05112878", "north",
            "0", "-85.05112878", "south", "180", "85.05112878", "corner", "-180", "-85.05112878", "corner2"));
        s.add(Step.of("GEOPOS", "w", "east", "west", "north", "south", "corner", "corner2"));
        s.add(Step.of("GEOHASH", "w", "east", "west", "north", "south", "corner", "corner2"));
        s.add(Step.of("GEOSEARCH", "w", "FROMMEMBER", "east", "BYRADIUS", "10", "km", "ASC", "WITHDIST"));
        s.add(Step.of("GEOSEARCH", "w", "FROMLONLAT", "180", "0", "BYBOX", "50", "50", "km", "ASC", "WITHDIST"));
        s.add(Step.of("GEOSEARCH", "w", "FROMMEMBER", "north", "BYRADIUS", "20000", "km", "ASC", "WITHDIST", "WITHHASH"));
        s.add(Step.of("GEOSEARCH", "w", "FROMLONLAT", "0", "0", "BYRADIUS", "0", "m"));
        s.add(Step.of("GEOSEARCH", "w", "FROMLONLAT", "0", "0", "BYRADIUS", "inf", "m", "DESC"));
        s.add(Step.of("GEOSEARCH", "w", "FROMLONLAT", "0", "0", "BYBOX", "40000", "40000", "km", "DESC", "WITHDIST"));
        s.add(Step.of("GEODIST", "w", "east", "west"));
        s.add(Step.of("GEODIST", "w", "north", "south", "km"));
        // GEOADD options and errors
        s.add(Step.of("GEOADD", "w", "NX", "1", "1", "east"));
        s.add(Step.of("GEOADD", "w", "XX", "CH", "1", "1", "east", "2", "2", "new"));
        s.add(Step.of("GEOADD", "w", "CH", "NX", "XX", "1", "1", "east"));
        s.add(Step.of("GEOADD", "w", "CH", "NX", "1", "1"));
        s.add(Step.of("GEOADD", "w", "ch", "nx", "nx", "ch"));
        s.add(Step.of("GEOADD", "w", "GT", "1", "1", "east"));
        s.add(Step.of("GEOADD", "w", "200", "1", "x", "1", "1", "y"));
        s.add(Step.of("GEOADD", "w", "1", "abc", "x"));
        s.add(Step.of("GEOADD", "str", "1", "1", "x"));
        s.add(Step.of("GEOADD", "str", "1", "100", "x"));
        s.add(Step.of("GEOADD", "nokey2", "XX", "1", "1", "x"));
        s.add(Step.of("EXISTS", "nokey2"));
        // scores that are not geohashes
        s.add(Step.of("ZADD", "odd", "-1", "a", "0", "b", "1e20", "c", "inf", "d", "4503599627370496", "e"));
        s.add(Step.of("GEOPOS", "odd", "a", "b", "c", "d", "e"));
        s.add(Step.of("GEOHASH", "odd", "a", "b", "c", "d", "e"));
        s.add(Step.of("GEODIST", "odd", "a", "b"));
        return s;
    }

    @Test
    void edgeCasesResp3(RespClient redis) {
        try (Store store = Store.open()) {
            Session session = store.newSession();
            session.protocol(3);
            new DifferentialRunner(redis, session::execute).run(edgeCases());
        }
    }

    @Test
    void edgeCasesResp2(RedisServerProcess server) {
        try (Store store = Store.open(); RespClient redis = server.connect(false)) {
            redis.call("FLUSHALL");
            new DifferentialRunner(redis, candidate(store.newSession())).run(edgeCases());
        }
    }
}
