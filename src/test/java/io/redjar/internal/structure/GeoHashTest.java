package io.redjar.internal.structure;

import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The geohash layer on its own: Redis's documented examples (scores, GEOHASH strings, positions,
 * distance), interleave/deinterleave as inverses, a decoded position re-encoding to its own cell,
 * neighbours one cell apart, and the scanned boxes covering the search area's centre.
 */
class GeoHashTest {

    @Test
    void redisDocumentedValues() {
        long palermo = GeoHash.align52(GeoHash.encodeWgs84(13.361389, 38.115556, 26), 26);
        long catania = GeoHash.align52(GeoHash.encodeWgs84(15.087269, 37.502669, 26), 26);
        assertEquals(3479099956230698L, palermo);
        assertEquals(3479447370796909L, catania);
        assertEquals("sqc8b49rny0", new String(GeoHash.standardString(palermo), StandardCharsets.US_ASCII));
        assertEquals("sqdtr74hyu0", new String(GeoHash.standardString(catania), StandardCharsets.US_ASCII));
        double[] p = GeoHash.decodeScore(palermo);
        assertEquals(13.36138933897018433, p[0]);
        assertEquals(38.11555639549629859, p[1]);
        double[] c = GeoHash.decodeScore(catania);
        assertEquals(166274.1516, Math.rint(GeoShape.distance(p[0], p[1], c[0], c[1]) * 1e4) / 1e4);
        assertEquals(-1, GeoHash.encodeWgs84(180.0001, 0, 26));
        assertEquals(-1, GeoHash.encodeWgs84(0, 85.06, 26));
    }

    @Test
    void encodeDecodeRoundTrips() {
        Seeds.run("GeoHashTest", r -> {
            for (int i = 0; i < 2000; i++) {
                long x = r.nextInt() & 0xFFFFFFFFL;
                long y = r.nextInt() & 0xFFFFFFFFL;
                assertEquals(x | (y << 32), GeoHash.deinterleave(GeoHash.interleave(x, y)));
                double lon = r.nextDouble() * 360 - 180;
                double lat = r.nextDouble() * 170 - 85;
                long bits = GeoHash.encodeWgs84(lon, lat, 26);
                double[] xy = GeoHash.decodeScore(GeoHash.align52(bits, 26));
                assertEquals(bits, GeoHash.encodeWgs84(xy[0], xy[1], 26), "decoded centre stays in its cell");
                assertTrue(Math.abs(xy[0] - lon) < 1e-5 && Math.abs(xy[1] - lat) < 1e-5);
                int step = 1 + r.nextInt(26);
                long h = GeoHash.encodeWgs84(lon, lat, step);
                double[] a = GeoHash.area(h, step);
                double[] east = GeoHash.area(GeoHash.moveX(h, step, 1), step);
                double[] north = GeoHash.area(GeoHash.moveY(h, step, 1), step);
                if (a[1] < 180) {
                    assertEquals(a[1], east[0], 1e-9, "east neighbour starts where the cell ends");
                }
                if (a[3] < GeoHash.LAT_MAX - 1e-9) {
                    assertEquals(a[3], north[2], 1e-9, "north neighbour starts where the cell ends");
                }
                GeoShape s = GeoShape.circle(lon, lat, r.nextDouble() * 1e6, 1);
                long[] ranges = s.scoreRanges();
                long centre = GeoHash.align52(bits, 26);
                assertTrue(ranges.length >= 2 && ranges[0] <= centre && centre < ranges[1], "the first box holds the centre");
            }
        });
    }

    @Test
    void odditiesFollowC() {
        assertEquals(Long.MIN_VALUE, GeoHash.cUint64(Double.NEGATIVE_INFINITY));
        assertEquals(0, GeoHash.cUint64(Double.POSITIVE_INFINITY));
        assertEquals(-1L, GeoHash.cUint64(-1));
    }
}
