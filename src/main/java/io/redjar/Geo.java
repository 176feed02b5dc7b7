package io.redjar;

import io.redjar.internal.Engine;
import io.redjar.internal.command.CallPath;
import io.redjar.internal.command.GeoCommands;
import io.redjar.internal.structure.GeoShape;
import io.redjar.internal.types.GeoOps;
import io.redjar.internal.util.Preconditions;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * GEO commands on one database, called directly (no parsing): {@code GEOADD}, {@code GEOPOS},
 * {@code GEODIST}, {@code GEOHASH} and the common {@code GEOSEARCH} (members within a radius of a
 * position, nearest first). The positions live in a sorted set, as in Redis: the same key works
 * with {@link SortedSets} and with every GEO command through {@code execute} (which has the full
 * option set: boxes, COUNT/ANY, WITH*, STORE). Members are {@code String}s (UTF-8); GEOADD also has
 * a {@code byte[]} form.
 *
 * <pre>{@code
 * Geo geo = store.geo();
 * geo.geoadd("Sicily", 13.361389, 38.115556, "Palermo");
 * geo.geoadd("Sicily", 15.087269, 37.502669, "Catania");
 * Double km = geo.geodist("Sicily", "Palermo", "Catania", Geo.Unit.KM);        // 166.2742
 * List<String> near = geo.geosearch("Sicily", 15, 37, 100, Geo.Unit.KM);        // [Catania]
 * }</pre>
 *
 * <p>Results are the values Redis replies with: distances rounded to four decimals in the unit
 * asked for, positions decoded from the stored 52-bit geohash (so within about half a metre of
 * what was added). Errors are Redis's, as exceptions: {@link WrongTypeException} when a key holds
 * another type, {@link RedJarException} otherwise ({@code ERR invalid longitude,latitude pair ...}
 * for a position outside longitude [-180, 180] and latitude [-85.05112878, 85.05112878],
 * {@code ERR radius cannot be negative}).
 *
 * <p><b>Arguments:</b> a null argument, or a null element of an array argument, is rejected with
 * {@link NullPointerException} naming it before the store is touched.
 *
 * <p><b>Thread-safety:</b> thread-safe; each call is one atomic command.
 */
public final class Geo {

    /** A distance unit, as GEODIST and GEOSEARCH take it. */
    public enum Unit {
        /** Metres. */
        M(1),
        /** Kilometres. */
        KM(1000),
        /** Feet. */
        FT(0.3048),
        /** Miles. */
        MI(1609.34);

        private final double metres;

        Unit(double metres) {
            this.metres = metres;
        }
    }

    /**
     * A member's position as GEOPOS reports it.
     *
     * @param longitude degrees east
     * @param latitude  degrees north
     */
    public record Position(double longitude, double latitude) {
    }

    private final CallPath path;
    private final int db;

    Geo(Engine engine, int db) {
        this.path = engine.callPath();
        this.db = db;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** GEOADD of one member: @return 1 if it was added, 0 if it was there (its position updated) */
    public long geoadd(byte[] key, double longitude, double latitude, byte[] member) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(member, "member");
        GeoOps.checkPosition(longitude, latitude);
        return path.call("geoadd", db, o -> o.geo().geoadd(db, key, 0, new byte[0][], new double[] {longitude},
            new double[] {latitude}, new byte[][] {member}));
    }

    /** GEOADD of one member: @return 1 if it was added, 0 if it was there (its position updated) */
    public long geoadd(String key, double longitude, double latitude, String member) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(member, "member");
        return geoadd(b(key), longitude, latitude, b(member));
    }

    /** GEOPOS: the members' positions in order, null for a missing member (all null without the key). */
    public List<Position> geopos(String key, String... members) {
        Preconditions.notNull(key, "key");
        Preconditions.noNullElements(members, "members");
        byte[][] m = new byte[members.length][];
        for (int i = 0; i < m.length; i++) {
            m[i] = b(members[i]);
        }
        double[][] p = path.call("geopos", db, o -> o.geo().geopos(db, b(key), m));
        List<Position> out = new ArrayList<>(p.length);
        for (double[] xy : p) {
            out.add(xy == null ? null : new Position(xy[0], xy[1]));
        }
        return out;
    }

    /** GEODIST: the distance between two members in {@code unit}, four decimals; null if one is missing. */
    public Double geodist(String key, String member1, String member2, Unit unit) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(member1, "member1");
        Preconditions.notNull(member2, "member2");
        Preconditions.notNull(unit, "unit");
        Double d = path.call("geodist", db, o -> o.geo().geodist(db, b(key), b(member1), b(member2)));
        return d == null ? null : Double.parseDouble(GeoCommands.distance(d / unit.metres));
    }

    /** GEOHASH: the members' 11-character geohash strings in order, null for a missing member. */
    public List<String> geohash(String key, String... members) {
        Preconditions.notNull(key, "key");
        Preconditions.noNullElements(members, "members");
        byte[][] m = new byte[members.length][];
        for (int i = 0; i < m.length; i++) {
            m[i] = b(members[i]);
        }
        byte[][] h = path.call("geohash", db, o -> o.geo().geohash(db, b(key), m));
        List<String> out = new ArrayList<>(h.length);
        for (byte[] s : h) {
            out.add(s == null ? null : new String(s, StandardCharsets.US_ASCII));
        }
        return out;
    }

    /**
     * {@code GEOSEARCH key FROMLONLAT longitude latitude BYRADIUS radius unit ASC}: the members
     * within {@code radius} of the position, nearest first.
     */
    public List<String> geosearch(String key, double longitude, double latitude, double radius, Unit unit) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(unit, "unit");
        GeoOps.Result r = path.call("geosearch", db, o -> o.geo().search(db, b(key), new byte[0][], src -> {
            // Redis checks the key's type first, then the arguments (georadiusGeneric)
            GeoOps.checkPosition(longitude, latitude);
            if (Double.isNaN(radius)) {
                throw new RedJarException("ERR need numeric radius");
            }
            if (radius < 0) {
                throw new RedJarException("ERR radius cannot be negative");
            }
            GeoOps.Query q = new GeoOps.Query();
            q.shape = GeoShape.circle(longitude, latitude, radius, unit.metres);
            q.sort = GeoOps.SORT_ASC;
            q.geosearch = true;
            return q;
        }, null));
        List<String> out = new ArrayList<>(r.points.size());
        for (GeoOps.Point p : r.points) {
            out.add(new String(p.member, StandardCharsets.UTF_8));
        }
        return out;
    }
}
