package io.redjar.internal.structure;

import io.redjar.internal.util.CorrectlyRounded;

/**
 * A GEO search area (Redis 7.0's {@code GeoShape}: a circle or an axis-aligned box around a centre)
 * and the geometry Redis's {@code geohash_helper.c} does with it: the haversine distance on a
 * sphere of radius {@value #EARTH_RADIUS_IN_METERS} m, the containment tests, and the nine geohash
 * boxes (centre and neighbours) whose score ranges a search scans.
 *
 * <p>The arithmetic follows Redis operation for operation so that the same points fall inside
 * and the same boxes are scanned in the same order (which decides the results of {@code COUNT n
 * ANY} and the unsorted reply order). Trigonometry is correctly rounded ({@link CorrectlyRounded}), as
 * glibc's is, so distances (and STOREDIST scores) agree with Redis's to the last bit.
 *
 * <p><b>Thread-safety:</b> immutable after construction; safe to share.
 */
public final class GeoShape {
    /** Earth's quadratic mean radius for WGS-84, as Redis uses it. */
    public static final double EARTH_RADIUS_IN_METERS = 6372797.560856;
    private static final double MERCATOR_MAX = 20037726.37;
    private static final double D_R = Math.PI / 180.0;

    /** Centre longitude. */
    public final double longitude;
    /** Centre latitude. */
    public final double latitude;
    /** Metres per unit of the radius / width / height. */
    public final double conversion;
    /** Whether the shape is a circle (else a box). */
    public final boolean circle;
    /** Circle radius in units. */
    public final double radius;
    /** Box width in units. */
    public final double width;
    /** Box height in units. */
    public final double height;

    private GeoShape(double longitude, double latitude, double conversion, boolean circle, double radius,
                     double width, double height) {
        this.longitude = longitude;
        this.latitude = latitude;
        this.conversion = conversion;
        this.circle = circle;
        this.radius = radius;
        this.width = width;
        this.height = height;
    }

    /** A circle of {@code radius} units ({@code conversion} metres each) around the position. */
    public static GeoShape circle(double longitude, double latitude, double radius, double conversion) {
        return new GeoShape(longitude, latitude, conversion, true, radius, 0, 0);
    }

    /** A box of {@code width} x {@code height} units centred on the position. */
    public static GeoShape box(double longitude, double latitude, double width, double height, double conversion) {
        return new GeoShape(longitude, latitude, conversion, false, 0, width, height);
    }

    private static double degRad(double ang) {
        return ang * D_R;
    }

    private static double radDeg(double ang) {
        return ang / D_R;
    }

    /** Redis's {@code geohashGetLatDistance}. */
    static double latDistance(double lat1d, double lat2d) {
        return EARTH_RADIUS_IN_METERS * Math.abs(degRad(lat2d) - degRad(lat1d));
    }

    /** Redis's {@code geohashGetDistance}: haversine great-circle distance in metres. */
    public static double distance(double lon1d, double lat1d, double lon2d, double lat2d) {
        double lon1r = degRad(lon1d);
        double lon2r = degRad(lon2d);
        double v = CorrectlyRounded.sin((lon2r - lon1r) / 2);
        if (v == 0.0) {
            return latDistance(lat1d, lat2d);
        }
        double lat1r = degRad(lat1d);
        double lat2r = degRad(lat2d);
        double u = CorrectlyRounded.sin((lat2r - lat1r) / 2);
        double a = u * u + CorrectlyRounded.cos(lat1r) * CorrectlyRounded.cos(lat2r) * v * v;
        return 2.0 * EARTH_RADIUS_IN_METERS * CorrectlyRounded.asin(Math.sqrt(a));
    }

    /** {@link #distance} with the JVM's (not correctly rounded) trigonometry: within a few ulps. */
    static double fastDistance(double lon1d, double lat1d, double lon2d, double lat2d) {
        double lon1r = degRad(lon1d);
        double lon2r = degRad(lon2d);
        double v = Math.sin((lon2r - lon1r) / 2);
        if (v == 0.0) {
            return latDistance(lat1d, lat2d);
        }
        double lat1r = degRad(lat1d);
        double lat2r = degRad(lat2d);
        double u = Math.sin((lat2r - lat1r) / 2);
        double a = u * u + Math.cos(lat1r) * Math.cos(lat2r) * v * v;
        return 2.0 * EARTH_RADIUS_IN_METERS * Math.asin(Math.sqrt(a));
    }

    /** Relative margin within which a fast distance is too close to a limit to decide with. */
    private static final double MARGIN = 1e-9;

    /**
     * Whether {@code distance(...) > limit}, decided from the fast distance when it is clearly on
     * one side and from the exact one otherwise.
     */
    private static boolean beyond(double lon1d, double lat1d, double lon2d, double lat2d, double limit) {
        double d = fastDistance(lon1d, lat1d, lon2d, lat2d);
        double m = MARGIN * (Math.abs(limit) + 1);
        if (d > limit + m) {
            return true;
        }
        if (d < limit - m) {
            return false;
        }
        return distance(lon1d, lat1d, lon2d, lat2d) > limit;
    }

    /**
     * Redis's {@code geoWithinShape} on a decoded point: the same decision as Redis (the exact
     * distance is computed whenever the fast one is near the limit), and the distance from the
     * centre as the fast approximation, which {@link #distance} refines when the caller needs the
     * exact value (replies, sorting, STOREDIST).
     *
     * @return the approximate distance from the centre in metres, or NaN when the point is outside
     */
    public double distanceIfInside(double lon, double lat) {
        if (circle) {
            if (beyond(longitude, latitude, lon, lat, radius * conversion)) {
                return Double.NaN;
            }
            return fastDistance(longitude, latitude, lon, lat);
        }
        double widthM = width * conversion;
        double heightM = height * conversion;
        if (latDistance(lat, latitude) > heightM / 2) {
            return Double.NaN;
        }
        if (beyond(lon, lat, longitude, lat, widthM / 2)) {
            return Double.NaN;
        }
        return fastDistance(longitude, latitude, lon, lat);
    }

    /** Redis's {@code geohashEstimateStepsByRadius}. */
    static int estimateSteps(double rangeMeters, double lat) {
        if (rangeMeters == 0) {
            return 26;
        }
        int step = 1;
        while (rangeMeters < MERCATOR_MAX) {
            rangeMeters *= 2;
            step++;
        }
        step -= 2;
        if (lat > 66 || lat < -66) {
            step--;
            if (lat > 80 || lat < -80) {
                step--;
            }
        }
        if (step < 1) {
            step = 1;
        }
        if (step > 26) {
            step = 26;
        }
        return step;
    }

    /** Redis's {@code geohashBoundingBox}: {minLon, minLat, maxLon, maxLat}. */
    double[] boundingBox() {
        double h = conversion * (circle ? radius : height / 2);
        double w = conversion * (circle ? radius : width / 2);
        double latDelta = radDeg(h / EARTH_RADIUS_IN_METERS);
        double longDeltaTop = radDeg(w / EARTH_RADIUS_IN_METERS / CorrectlyRounded.cos(degRad(latitude + latDelta)));
        double longDeltaBottom = radDeg(w / EARTH_RADIUS_IN_METERS / CorrectlyRounded.cos(degRad(latitude - latDelta)));
        boolean southern = latitude < 0;
        return new double[] {
            southern ? longitude - longDeltaBottom : longitude - longDeltaTop,
            latitude - latDelta,
            southern ? longitude + longDeltaBottom : longitude + longDeltaTop,
            latitude + latDelta,
        };
    }

    /**
     * Redis's {@code geohashCalculateAreasByShapeWGS84} followed by {@code membersOfAllNeighbors}'s
     * box order: the score ranges {@code [min, max)} to scan, in order, with zeroed neighbours and
     * a neighbour equal to the previously scanned neighbour left out. The caller stops early
     * (between and inside boxes) for {@code COUNT n ANY}.
     *
     * @return pairs {min0, max0, min1, max1, ...} of 52-bit scores
     */
    public long[] scoreRanges() {
        double[] b = boundingBox();
        double minLon = b[0];
        double minLat = b[1];
        double maxLon = b[2];
        double maxLat = b[3];
        double radiusMeters = circle ? radius
            : Math.sqrt((width / 2) * (width / 2) + (height / 2) * (height / 2));
        radiusMeters *= conversion;
        int steps = estimateSteps(radiusMeters, latitude);

        long hash = GeoHash.encodeWgs84(longitude, latitude, steps);
        long[] n = neighbours(hash, steps);
        double[] area = GeoHash.area(hash, steps);

        boolean decrease = GeoHash.area(n[N], steps)[3] < maxLat
            || GeoHash.area(n[S], steps)[2] > minLat
            || GeoHash.area(n[E], steps)[1] < maxLon
            || GeoHash.area(n[W], steps)[0] > minLon;
        if (steps > 1 && decrease) {
            steps--;
            hash = GeoHash.encodeWgs84(longitude, latitude, steps);
            n = neighbours(hash, steps);
            area = GeoHash.area(hash, steps);
        }
        boolean[] zero = new boolean[8];
        if (steps >= 2) {
            if (area[2] < minLat) {
                zero[S] = zero[SW] = zero[SE] = true;
            }
            if (area[3] > maxLat) {
                zero[N] = zero[NE] = zero[NW] = true;
            }
            if (area[0] < minLon) {
                zero[W] = zero[SW] = zero[NW] = true;
            }
            if (area[1] > maxLon) {
                zero[E] = zero[SE] = zero[NE] = true;
            }
        }
        // membersOfAllNeighbors' order: self, N, S, E, W, NE, NW, SE, SW
        int[] order = {-1, N, S, E, W, NE, NW, SE, SW};
        long[] out = new long[18];
        int used = 0;
        long lastBits = 0;
        boolean haveLast = false;
        for (int o : order) {
            long bits = o < 0 ? hash : n[o];
            if (o >= 0 && zero[o]) {
                continue; // HASHISZERO (a zeroed box has step 0; a live one never does)
            }
            if (haveLast && bits == lastBits) {
                continue; // huge radius: adjacent neighbours can coincide
            }
            out[used++] = GeoHash.align52(bits, steps);
            out[used++] = GeoHash.align52(bits + 1, steps);
            lastBits = bits;
            // Redis remembers the index of the last box scanned and tests it for truth, so a
            // neighbour equal to the centre box (index 0) is scanned again
            haveLast = o >= 0;
        }
        return java.util.Arrays.copyOf(out, used);
    }

    private static final int N = 0, S = 1, E = 2, W = 3, NE = 4, NW = 5, SE = 6, SW = 7;

    /** Redis's {@code geohashNeighbors}, indexed by the constants above. */
    private static long[] neighbours(long h, int step) {
        long[] n = new long[8];
        n[E] = GeoHash.moveX(h, step, 1);
        n[W] = GeoHash.moveX(h, step, -1);
        n[S] = GeoHash.moveY(h, step, -1);
        n[N] = GeoHash.moveY(h, step, 1);
        n[NW] = GeoHash.moveY(GeoHash.moveX(h, step, -1), step, 1);
        n[NE] = GeoHash.moveY(GeoHash.moveX(h, step, 1), step, 1);
        n[SE] = GeoHash.moveY(GeoHash.moveX(h, step, 1), step, -1);
        n[SW] = GeoHash.moveY(GeoHash.moveX(h, step, -1), step, -1);
        return n;
    }
}
