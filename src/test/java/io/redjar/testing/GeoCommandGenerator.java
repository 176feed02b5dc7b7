package io.redjar.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Random GEO commands over a few keys: GEOADD (NX/XX/CH, conflicting options, bad coordinates),
 * GEOPOS, GEODIST (every unit, bad units), GEOHASH, GEORADIUS(_RO), GEORADIUSBYMEMBER(_RO),
 * GEOSEARCH and GEOSEARCHSTORE (FROMMEMBER / FROMLONLAT, BYRADIUS / BYBOX, ASC / DESC, COUNT with
 * and without ANY, WITH* options, STORE / STOREDIST into the source, another geo key or a string
 * key), with the stored results read back, plus ZADD of scores that are not geohashes, ZREM, DEL
 * and a string key for WRONGTYPE.
 *
 * <p>Positions cluster around a few centres (an ordinary city, the antimeridian, near both
 * latitude limits) so that searches of every size find something; member coordinates are
 * continuous random values, so two members at the same distance (whose order Redis leaves to its
 * sort) are improbable; search centres are sometimes exact extremes. Replies whose order Redis leaves unspecified (no ASC/DESC, no COUNT; COUNT ANY
 * without sorting) are compared unordered.
 */
public class GeoCommandGenerator extends CommandGenerator {
    private static final double[][] CENTRES = {
        {13.361389, 38.115556}, {15.087269, 37.502669}, {179.95, 10.0}, {-179.97, -12.5}, {0.0, 84.9},
        {-70.0, -84.95}, {0.0, 0.0}, {-122.4194, 37.7749}};
    private static final List<String> EXTREME_COORDS = List.of("180", "-180", "85.05112878", "-85.05112878",
        "0", "-0", "179.999999", "-179.999999", "85.05112877");
    private static final List<String> BAD_COORDS = List.of("180.0001", "-180.5", "85.06", "-90", "abc", "", "inf",
        "nan", "1e400", " 1");
    private static final List<String> UNITS = List.of("m", "km", "ft", "mi", "M", "KM", "Ft", "mI");
    private static final List<String> BAD_UNITS = List.of("yd", "", "meters", "k");
    private static final List<String> RADII = List.of("0", "1", "10", "100", "500", "1000", "5000", "20000", "100000",
        "500000", "2000000", "8000000", "20000000", "0.5", "1e3");
    private static final List<String> ODD_SCORES = List.of("-1", "0", "1e20", "4503599627370496", "-1e30", "3.5",
        "123456789");
    private static final List<String> BAD_RADII = List.of("-1", "abc", "nan", "", "-0.0001");

    /**
     * Exact, except that two non-integral numbers (STOREDIST scores) may differ by 4 ulps: glibc's
     * sin/cos/asin, which Redis's distances go through, are not always correctly rounded (RedJar's
     * are), so a stored distance can differ from Redis's in its last bit or two.
     */
    public static final ReplyComparator NEAR_SCORES = GeoCommandGenerator::nearScores;

    private static java.util.Optional<String> nearScores(io.redjar.Reply e, io.redjar.Reply a) {
        java.util.Optional<String> d = ReplyComparator.EXACT.difference(e, a);
        if (d.isEmpty()) {
            return d;
        }
        if (e instanceof io.redjar.Reply.ArrayReply ea && a instanceof io.redjar.Reply.ArrayReply aa
            && ea.elements().size() == aa.elements().size()) {
            for (int i = 0; i < ea.elements().size(); i++) {
                java.util.Optional<String> x = nearScores(ea.elements().get(i), aa.elements().get(i));
                if (x.isPresent()) {
                    return x;
                }
            }
            return java.util.Optional.empty();
        }
        double x = number(e);
        double y = number(a);
        if (Double.isFinite(x) && Double.isFinite(y) && x != Math.rint(x)
            && Math.abs(x - y) <= 4 * Math.ulp(Math.max(Math.abs(x), Math.abs(y)))) {
            return java.util.Optional.empty();
        }
        return d;
    }

    private static double number(io.redjar.Reply r) {
        if (r instanceof io.redjar.Reply.DoubleReply d) {
            return d.value();
        }
        if (r instanceof io.redjar.Reply.Bulk b) {
            try {
                return Double.parseDouble(new String(b.value(), java.nio.charset.StandardCharsets.US_ASCII));
            } catch (NumberFormatException ex) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    public GeoCommandGenerator(long seed) {
        super(seed, 4);
        command(20, this::geoadd);
        command(4, () -> cmd("GEOPOS", key(), members(1, 4)));
        command(4, () -> cmd("GEOHASH", key(), members(1, 4)));
        command(5, () -> cmd("GEODIST", key(), member(), member(), chance(0.7) ? List.of(unit()) : List.of(),
            maybe(0.02, "extra")));
        command(10, this::geosearch);
        command(4, this::geosearchstore);
        command(6, this::georadius);
        command(5, this::georadiusbymember);
        command(2, this::oddScore);
        command(2, () -> cmd("ZREM", key(), member()));
        command(1, () -> cmd("DEL", key()));
        command(1, () -> cmd("SET", "str", "v"));
        command(1, () -> cmd(pick("GEOPOS", "GEOHASH", "GEODIST", "GEOADD"), "str", "m1", "m2", "m3"));
        command(3, () -> cmd("ZRANGE", chance(0.3) ? pick("dist0", "dist1") : new String(key(), java.nio.charset.StandardCharsets.US_ASCII), "0", "-1", "WITHSCORES").compareWith(NEAR_SCORES));
        command(1, () -> cmd("OBJECT", "ENCODING", key()));
    }

    /** A score that is no geohash, each on its own member (two members at one position would tie). */
    private Step oddScore() {
        int i = smallInt(0, ODD_SCORES.size() - 1);
        return cmd("ZADD", key(), ODD_SCORES.get(i), "odd" + i);
    }

    private String member() {
        return "m" + smallInt(0, 59);
    }

    private String[] members(int min, int max) {
        int n = smallInt(min, max);
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = chance(0.1) ? "nosuch" : member();
        }
        return out;
    }

    private String unit() {
        return chance(0.03) ? pick(BAD_UNITS) : pick(UNITS);
    }

    private String radius() {
        return chance(0.03) ? pick(BAD_RADII) : pick(RADII);
    }

    private static String fmt(double d) {
        return String.format(Locale.ROOT, "%.9f", d);
    }

    /** A {lon, lat} pair of arguments for a member: never an exact extreme (see {@link #centre}). */
    private String[] position() {
        if (chance(0.03)) {
            return new String[] {pick(BAD_COORDS), pick(BAD_COORDS)};
        }
        return scattered();
    }

    /**
     * A {lon, lat} pair for a search centre, now and then an exact extreme. Members never sit on
     * the extremes: two members at one position (or placed symmetrically) are at the same distance,
     * and Redis orders such ties by its sort algorithm (qsort, or pqsort under COUNT), which this
     * generator does not try to predict; the hand-written edge cases cover the extremes.
     */
    private String[] centre() {
        if (chance(0.08)) {
            return new String[] {pick(EXTREME_COORDS), pick(EXTREME_COORDS)};
        }
        return position();
    }

    private String[] scattered() {
        double[] c = CENTRES[random().nextInt(CENTRES.length)];
        double spread = pick(0.001, 0.05, 0.5, 3.0);
        double lon = c[0] + (random().nextDouble() * 2 - 1) * spread;
        double lat = c[1] + (random().nextDouble() * 2 - 1) * spread;
        if (lon > 180) {
            lon -= 360;
        } else if (lon < -180) {
            lon += 360;
        }
        // reflect rather than clamp: a clamped latitude would put many members on one line
        if (lat > 85.05) {
            lat = 170.1 - lat;
        } else if (lat < -85.05) {
            lat = -170.1 - lat;
        }
        return new String[] {fmt(lon), fmt(lat)};
    }

    private Step geoadd() {
        List<Object> a = new ArrayList<>(List.of("GEOADD", key()));
        if (chance(0.1)) {
            a.add(kw("NX"));
        }
        if (chance(0.1)) {
            a.add(kw("XX"));
        }
        if (chance(0.15)) {
            a.add(kw("CH"));
        }
        int n = smallInt(chance(0.02) ? 0 : 1, 6);
        for (int i = 0; i < n; i++) {
            String[] p = position();
            a.add(p[0]);
            a.add(p[1]);
            a.add(member());
        }
        if (chance(0.02)) {
            a.add("dangling");
        }
        return cmd(a.toArray());
    }

    /** WITH*, ASC/DESC, COUNT [ANY]; returns whether the reply order is unspecified. */
    private boolean options(List<Object> a, boolean withAllowed) {
        List<List<Object>> parts = new ArrayList<>();
        int sort = 0;
        boolean count = false;
        boolean any = false;
        if (withAllowed || chance(0.03)) {
            for (String w : new String[] {"WITHCOORD", "WITHDIST", "WITHHASH"}) {
                if (chance(0.3)) {
                    parts.add(List.of(kw(w)));
                }
            }
        }
        if (chance(0.4)) {
            sort = chance(0.5) ? 1 : 2;
            parts.add(List.of(kw(sort == 1 ? "ASC" : "DESC")));
        }
        if (chance(0.4)) {
            count = true;
            String n = chance(0.04) ? pick("0", "-1", "abc") : Integer.toString(smallInt(1, 12));
            if (chance(0.35)) {
                any = true;
                parts.add(List.of(kw("COUNT"), n, kw("ANY")));
            } else {
                parts.add(List.of(kw("COUNT"), n));
            }
        } else if (chance(0.02)) {
            any = true;
            parts.add(List.of(kw("ANY")));
        }
        if (chance(0.02)) {
            parts.add(List.of(pick("BOGUS", "COUNT")));
        }
        java.util.Collections.shuffle(parts, random());
        for (List<Object> p : parts) {
            a.addAll(p);
        }
        return sort == 0 && (!count || any);
    }

    private Step finish(List<Object> a, boolean unordered) {
        Step s = cmd(a.toArray());
        return unordered ? s.unordered() : s;
    }

    private void from(List<Object> a) {
        if (chance(0.5)) {
            a.add(kw("FROMMEMBER"));
            a.add(chance(0.05) ? "nosuch" : member());
        } else {
            a.add(kw("FROMLONLAT"));
            String[] p = centre();
            a.add(p[0]);
            a.add(p[1]);
        }
    }

    private void by(List<Object> a) {
        if (chance(0.5)) {
            a.add(kw("BYRADIUS"));
            a.add(radius());
            a.add(unit());
        } else {
            a.add(kw("BYBOX"));
            a.add(radius());
            a.add(radius());
            a.add(unit());
        }
    }

    private Step geosearch() {
        List<Object> a = new ArrayList<>(List.of("GEOSEARCH", key()));
        List<Object> shape = new ArrayList<>();
        if (!chance(0.03)) {
            from(shape);
        }
        List<Object> area = new ArrayList<>();
        if (!chance(0.03)) {
            by(area);
        }
        if (chance(0.03)) {
            from(area); // both FROM forms, or both BY forms
        }
        if (chance(0.5)) {
            a.addAll(shape);
            a.addAll(area);
        } else {
            a.addAll(area);
            a.addAll(shape);
        }
        boolean unordered = options(a, true);
        return finish(a, unordered);
    }

    private Step geosearchstore() {
        boolean dist = chance(0.4);
        List<Object> a = new ArrayList<>(List.of("GEOSEARCHSTORE", destination(dist), key()));
        from(a);
        by(a);
        options(a, false);
        if (dist) {
            a.add(kw("STOREDIST"));
        }
        return cmd(a.toArray());
    }

    /**
     * A destination. Distances stored as scores decode as positions packed near (-180, -85.05),
     * many in one geohash cell (so at one distance from anything: ties), so STOREDIST writes only
     * to keys that are read back but never searched.
     */
    private String destination(boolean dist) {
        if (chance(0.1)) {
            return "str";
        }
        return dist ? pick("dist0", "dist1") : new String(key(), java.nio.charset.StandardCharsets.US_ASCII);
    }

    private void store(List<Object> a) {
        if (chance(0.25)) {
            boolean dist = chance(0.5);
            a.add(kw(dist ? "STOREDIST" : "STORE"));
            a.add(destination(dist));
        }
    }

    private Step georadius() {
        boolean ro = chance(0.3);
        String[] p = centre();
        List<Object> a = new ArrayList<>(List.of(ro ? "GEORADIUS_RO" : "GEORADIUS", key(), p[0], p[1], radius(), unit()));
        int before = a.size();
        store(a);
        boolean stored = a.size() > before;
        boolean unordered = options(a, !stored);
        if (ro && chance(0.05)) {
            a.add("STORE");
            a.add("x");
        }
        return finish(a, unordered);
    }

    private Step georadiusbymember() {
        boolean ro = chance(0.3);
        List<Object> a = new ArrayList<>(List.of(ro ? "GEORADIUSBYMEMBER_RO" : "GEORADIUSBYMEMBER", key(),
            chance(0.05) ? "nosuch" : member(), radius(), unit()));
        int before = a.size();
        store(a);
        boolean stored = a.size() > before;
        boolean unordered = options(a, !stored);
        return finish(a, unordered);
    }
}
