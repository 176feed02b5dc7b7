package io.redjar.internal.types;

import io.redjar.RedJarException;
import io.redjar.internal.keyspace.KeyEvent;
import io.redjar.internal.keyspace.Keyspace;
import io.redjar.internal.keyspace.Shard;
import io.redjar.internal.structure.GeoHash;
import io.redjar.internal.structure.GeoShape;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The GEO operations (Redis 7.0's {@code geo.c} without the argument parsing) over sorted sets
 * whose scores are 52-bit geohashes ({@link GeoHash}).
 *
 * <p>GEOADD is a ZADD: the positions become scores and {@link ZSetOps#zadd} does the write, so the
 * key event ({@code zadd}) and the propagated effect ({@code zadd key [flags] score member ...},
 * the command vector Redis rewrites GEOADD into) are ZADD's. The searches read the source under
 * its shard lock through {@link ZSetOps.Reader}; a search with a destination (GEORADIUS STORE,
 * GEOSEARCHSTORE) holds the destination's shard too and writes it through ZSetOps' store path,
 * reporting {@code georadiusstore} / {@code geosearchstore} (or {@code del} when it empties the
 * destination) and propagating the command itself, as Redis does.
 *
 * <p>Redis checks the source key's type before it parses the search options, and a FROMMEMBER
 * position needs the source; so {@link #search} takes a {@link QueryParser} that it calls under
 * the lock, after the lookup, keeping Redis's order of errors.
 *
 * <p><b>Thread-safety:</b> thread-safe; stateless apart from the shared {@link Keyspace} and
 * {@link ZSetOps}. The composition root builds exactly one instance per store.
 */
public final class GeoOps {
    /** Sort orders of a search. */
    public static final int SORT_NONE = 0, SORT_ASC = 1, SORT_DESC = 2;

    private final Keyspace ks;
    private final ZSetOps zsets;

    public GeoOps(Keyspace ks, ZSetOps zsets) {
        this.ks = ks;
        this.zsets = zsets;
    }

    /**
     * Redis's {@code extractLongLatOrReply} range check.
     *
     * @throws RedJarException {@code ERR invalid longitude,latitude pair <lon>,<lat>} (C's {@code %f})
     */
    public static void checkPosition(double lon, double lat) {
        if (lon < GeoHash.LONG_MIN || lon > GeoHash.LONG_MAX || lat < GeoHash.LAT_MIN || lat > GeoHash.LAT_MAX
            || Double.isNaN(lon) || Double.isNaN(lat)) {
            throw new RedJarException("ERR invalid longitude,latitude pair " + percentF(lon) + "," + percentF(lat));
        }
    }

    /** C's {@code printf("%f")} of a double (exact value, rounded half-even to six decimals). */
    static String percentF(double d) {
        if (Double.isNaN(d)) {
            return (Double.doubleToRawLongBits(d) < 0 ? "-" : "") + "nan";
        }
        if (Double.isInfinite(d)) {
            return d < 0 ? "-inf" : "inf";
        }
        String s = new BigDecimal(d).setScale(6, RoundingMode.HALF_EVEN).toPlainString();
        if ((d < 0 || (d == 0 && 1 / d < 0)) && !s.startsWith("-")) {
            s = "-" + s;
        }
        return s;
    }

    /**
     * GEOADD: {@code flags} are {@link ZSetOps#NX}, {@link ZSetOps#XX}, {@link ZSetOps#CH}; the
     * positions must be valid (the adapter checks them). {@code zaddFlagArgs} are the option
     * arguments as given, copied into the propagated ZADD.
     *
     * @return members added (plus changed with CH)
     */
    public long geoadd(int db, byte[] key, int flags, byte[][] zaddFlagArgs, double[] lon, double[] lat, byte[][] members) {
        int n = members.length;
        double[] scores = new double[n];
        byte[][] argv = new byte[2 + zaddFlagArgs.length + 2 * n][];
        argv[0] = "zadd".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        argv[1] = key;
        System.arraycopy(zaddFlagArgs, 0, argv, 2, zaddFlagArgs.length);
        int at = 2 + zaddFlagArgs.length;
        for (int i = 0; i < n; i++) {
            long bits = GeoHash.align52(GeoHash.encodeWgs84(lon[i], lat[i], GeoHash.STEP_MAX), GeoHash.STEP_MAX);
            scores[i] = bits;
            argv[at++] = Long.toString(bits).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            argv[at++] = members[i];
        }
        return zsets.zadd(db, key, flags, scores, members, argv).count;
    }

    /** GEOPOS: per member {longitude, latitude}, or null when absent (or no key). */
    public double[][] geopos(int db, byte[] key, byte[][] members) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            ZSetOps.Reader z = zsets.reader(s, db, key);
            double[][] out = new double[members.length][];
            if (z.exists()) {
                for (int i = 0; i < members.length; i++) {
                    double sc = z.score(members[i]);
                    out[i] = Double.isNaN(sc) ? null : GeoHash.decodeScore(sc);
                }
            }
            return out;
        } finally {
            s.unlock();
        }
    }

    /** GEOHASH: per member its 11-character standard geohash, or null when absent. */
    public byte[][] geohash(int db, byte[] key, byte[][] members) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            ZSetOps.Reader z = zsets.reader(s, db, key);
            byte[][] out = new byte[members.length][];
            if (z.exists()) {
                for (int i = 0; i < members.length; i++) {
                    double sc = z.score(members[i]);
                    out[i] = Double.isNaN(sc) ? null : GeoHash.standardString(sc);
                }
            }
            return out;
        } finally {
            s.unlock();
        }
    }

    /** GEODIST: the distance in metres, or null when the key or a member is missing. */
    public Double geodist(int db, byte[] key, byte[] m1, byte[] m2) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            ZSetOps.Reader z = zsets.reader(s, db, key);
            if (!z.exists()) {
                return null;
            }
            double s1 = z.score(m1);
            double s2 = z.score(m2);
            if (Double.isNaN(s1) || Double.isNaN(s2)) {
                return null;
            }
            double[] a = GeoHash.decodeScore(s1);
            double[] b = GeoHash.decodeScore(s2);
            return GeoShape.distance(a[0], a[1], b[0], b[1]);
        } finally {
            s.unlock();
        }
    }

    // =========================================================================== searches

    /** The source as the parser sees it (valid only during {@link QueryParser#parse}). */
    public interface Source {
        /** @return whether the source key exists */
        boolean exists();

        /** @return the member's decoded {longitude, latitude}, or null when absent */
        double[] position(byte[] member);
    }

    /** Parses the search options once the source is known (may throw Redis's errors). */
    @FunctionalInterface
    public interface QueryParser {
        Query parse(Source source);
    }

    /** A parsed search. */
    public static final class Query {
        /** The area; null only when the source does not exist. */
        public GeoShape shape;
        /** The destination, or null. */
        public byte[] store;
        /** STOREDIST: store distances rather than geohashes. */
        public boolean storeDist;
        /** COUNT (0: unlimited). */
        public long count;
        /** ANY. */
        public boolean any;
        /** One of the SORT_ constants. */
        public int sort = SORT_NONE;
        /** GEOSEARCHSTORE's event name rather than GEORADIUS's. */
        public boolean geosearch;
        /** WITHDIST: the reply shows distances (so they are computed exactly). */
        public boolean withDist;
    }

    /** A point found. */
    public static final class Point {
        /** The member. */
        public final byte[] member;
        /** Its score (the 52-bit geohash). */
        public final double score;
        /** Decoded longitude. */
        public final double longitude;
        /** Decoded latitude. */
        public final double latitude;
        /**
         * Distance from the centre, in metres until {@link #search} converts it to the unit; exact
         * when the query sorts, shows or stores distances, else a close approximation.
         */
        public double distance;

        Point(byte[] member, double score, double longitude, double latitude, double distance) {
            this.member = member;
            this.score = score;
            this.longitude = longitude;
            this.latitude = latitude;
            this.distance = distance;
        }
    }

    /** What a search found. */
    public static final class Result {
        /** The parsed query. */
        public Query query;
        /** The points in reply order, distances in the query's unit (empty when stored). */
        public final List<Point> points = new ArrayList<>();
        /** With a destination: the number of members stored. */
        public long stored;
    }

    /**
     * GEORADIUS / GEORADIUSBYMEMBER / GEOSEARCH / GEOSEARCHSTORE (and the _RO forms).
     *
     * @param src        the source key
     * @param candidates every key the query could name as its destination (locked with the source)
     * @param parser     parses the options under the lock, after the source's lookup and type check
     * @param argv       the command, propagated as is when it writes
     */
    public Result search(int db, byte[] src, byte[][] candidates, QueryParser parser, byte[][] argv) {
        byte[][] keys = new byte[1 + candidates.length][];
        keys[0] = src;
        System.arraycopy(candidates, 0, keys, 1, candidates.length);
        int[] sh = ks.shardsOf(keys, 0, keys.length, 1);
        ks.lock(sh);
        try {
            ZSetOps.Reader z = zsets.reader(ks.shardOf(src), db, src);
            Query q = parser.parse(new Source() {
                @Override
                public boolean exists() {
                    return z.exists();
                }

                @Override
                public double[] position(byte[] member) {
                    double sc = z.score(member);
                    return Double.isNaN(sc) ? null : GeoHash.decodeScore(sc);
                }
            });
            Result r = new Result();
            r.query = q;
            if (!z.exists()) {
                if (q.store != null) {
                    deleteDestination(db, q.store, argv);
                }
                return r;
            }
            int sort = q.sort;
            if (q.count != 0 && sort == SORT_NONE && !q.any) {
                sort = SORT_ASC;
            }
            List<Point> found = gather(z, q.shape, q.any ? q.count : 0);
            if (sort != SORT_NONE || q.withDist || (q.store != null && q.storeDist)) {
                // the exact (correctly rounded, as glibc's) distances wherever they show
                for (Point p : found) {
                    p.distance = GeoShape.distance(q.shape.longitude, q.shape.latitude, p.longitude, p.latitude);
                }
            }
            if (sort != SORT_NONE) {
                Comparator<Point> c = Comparator.comparingDouble(p -> p.distance);
                found.sort(sort == SORT_ASC ? c : c.reversed());
            }
            long returned = q.count == 0 || found.size() < q.count ? found.size() : q.count;
            List<Point> out = found.subList(0, (int) returned);
            for (Point p : out) {
                p.distance /= q.shape.conversion;
            }
            if (q.store == null) {
                r.points.addAll(out);
                return r;
            }
            r.stored = returned;
            if (returned == 0) {
                deleteDestination(db, q.store, argv);
                return r;
            }
            ZSetOps.Elements el = new ZSetOps.Elements();
            for (Point p : out) {
                el.members.add(p.member);
                el.scores.add(q.storeDist ? p.distance : p.score);
            }
            Shard ds = ks.shardOf(q.store);
            int slot = ks.lookup(ds, db, q.store, Keyspace.hash(q.store), ks.now(), true);
            zsets.storeLocked(ds, db, q.store, slot, el);
            ks.propagate(db, argv);
            ks.modified(db, q.store, q.geosearch ? KeyEvent.GEOSEARCHSTORE : KeyEvent.GEORADIUSSTORE);
            return r;
        } finally {
            ks.unlock(sh);
        }
    }

    private void deleteDestination(int db, byte[] dst, byte[][] argv) {
        Shard ds = ks.shardOf(dst);
        int slot = ks.lookup(ds, db, dst, Keyspace.hash(dst), ks.now(), true);
        if (slot >= 0) {
            ks.delete(ds, db, slot);
            ks.propagate(db, argv);
            ks.modified(db, dst, KeyEvent.DEL);
        }
    }

    /** Redis's {@code membersOfAllNeighbors}: the boxes in order, stopping at {@code limit} (0: none). */
    private static List<Point> gather(ZSetOps.Reader z, GeoShape shape, long limit) {
        List<Point> out = new ArrayList<>();
        long[] ranges = shape.scoreRanges();
        for (int i = 0; i < ranges.length; i += 2) {
            if (!out.isEmpty() && limit != 0 && out.size() >= limit) {
                break;
            }
            z.walk(ranges[i], ranges[i + 1], (member, score) -> {
                double[] xy = GeoHash.decodeScore(score);
                double d = shape.distanceIfInside(xy[0], xy[1]);
                if (!Double.isNaN(d)) {
                    out.add(new Point(member, score, xy[0], xy[1], d));
                }
                return !(limit != 0 && out.size() >= limit);
            });
        }
        return out;
    }
}
