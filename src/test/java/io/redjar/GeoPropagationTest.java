package io.redjar;

import io.redjar.testing.PropagationLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the GEO writes hand to the {@link PropagationSink}, as Redis 7.0 propagates them: GEOADD as
 * the ZADD it rewrites itself into (scores as 52-bit geohash integers, options as given); a search
 * that stores, verbatim, whether it wrote or deleted its destination; nothing for a search that
 * changed nothing.
 */
class GeoPropagationTest {
    private final PropagationLog log = new PropagationLog();
    private Store store;
    private Session s;

    @BeforeEach
    void open() {
        store = Store.builder().activeExpire(false).propagationSink(log).open();
        s = store.newSession();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private List<List<String>> drain(String... argv) {
        return log.drain(s, argv);
    }

    @Test
    void geoaddPropagatesZadd() {
        assertEquals(List.of(List.of("zadd", "g", "3479099956230698", "Palermo", "3479447370796909", "Catania")),
            drain("GEOADD", "g", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"));
        assertEquals(List.of(List.of("zadd", "g", "ch", "XX", "3479065152021743", "Palermo")),
            drain("GEOADD", "g", "ch", "XX", "13", "38", "Palermo"));
        assertEquals(List.of(), drain("GEOADD", "g", "NX", "13", "38", "Palermo"));
        assertEquals(List.of(), drain("GEOADD", "g", "200", "38", "x"));
    }

    @Test
    void storingSearchesPropagateThemselves() {
        drain("GEOADD", "g", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania");
        assertEquals(List.of(), drain("GEORADIUS", "g", "15", "37", "200", "km"));
        assertEquals(List.of(List.of("GEORADIUS", "g", "15", "37", "200", "km", "STORE", "d")),
            drain("GEORADIUS", "g", "15", "37", "200", "km", "STORE", "d"));
        assertEquals(List.of(List.of("GEOSEARCHSTORE", "d", "g", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "m")),
            drain("GEOSEARCHSTORE", "d", "g", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "m"));
        assertEquals(Reply.ZERO, s.execute("EXISTS", "d"));
        assertEquals(List.of(), drain("GEOSEARCHSTORE", "d", "g", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "m"));
        assertEquals(List.of(), drain("GEORADIUSBYMEMBER", "nokey", "x", "1", "m", "STORE", "d"));
    }
}
