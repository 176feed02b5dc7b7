package io.redjar.internal.command;

import io.redjar.RedJarException;
import io.redjar.Reply;
import io.redjar.SyntaxException;
import io.redjar.internal.structure.GeoHash;
import io.redjar.internal.structure.GeoShape;
import io.redjar.internal.types.GeoOps;
import io.redjar.internal.types.ZSetOps;
import io.redjar.internal.util.Numbers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.redjar.internal.command.CommandFlag.DENYOOM;
import static io.redjar.internal.command.CommandFlag.READONLY;
import static io.redjar.internal.command.CommandFlag.WRITE;
import static io.redjar.internal.command.KeyFlag.ACCESS;
import static io.redjar.internal.command.KeyFlag.OW;
import static io.redjar.internal.command.KeyFlag.RO;
import static io.redjar.internal.command.KeyFlag.RW;
import static io.redjar.internal.command.KeyFlag.UPDATE;
import static io.redjar.internal.command.KeySpec.index;
import static io.redjar.internal.command.KeySpec.keyword;

/**
 * The GEO commands' adapter (Redis 7.0's {@code geo.c} argument handling): GEOADD, GEOPOS,
 * GEODIST, GEOHASH, GEORADIUS(_RO), GEORADIUSBYMEMBER(_RO), GEOSEARCH and GEOSEARCHSTORE. Options
 * are parsed in {@code georadiusGeneric}'s order, with its error texts, inside
 * {@link GeoOps#search}'s parser callback (Redis checks the source key's type first and reads a
 * FROMMEMBER position from it while parsing).
 *
 * <p>Replies: distances as bulk strings with four decimals ({@code fixedpoint_d2string}),
 * coordinates as {@code addReplyHumanLongDouble} does them ({@code "%.17Lf"} trimmed; a bulk string
 * in RESP2, a double in RESP3, carried as the double that text denotes), WITHHASH as an integer.
 *
 * <p><b>Thread-safety:</b> stateless; handlers run on the caller's thread.
 */
public final class GeoCommands {
    private static final String G = "geo";
    private static final int RADIUS_COORDS = 1, RADIUS_MEMBER = 2, RADIUS_NOSTORE = 4, GEOSEARCH = 8,
        GEOSEARCHSTORE = 16;

    private GeoCommands() {
    }

    private static GeoOps ops(ExecContext c) {
        return c.engine().geo();
    }

    /** Adds the GEO commands to {@code t}. */
    public static void register(CommandTable t) {
        t.add("geoadd", -5).flags(WRITE, DENYOOM)
            .keySpecs(index(1).range(0, 1, 0).flags(RW, UPDATE))
            .doc(G, "Add one or more geospatial items in the geospatial index represented using a sorted set")
            .handler(GeoCommands::geoadd);
        t.add("geodist", -4).flags(READONLY)
            .keySpecs(index(1).range(0, 1, 0).flags(RO, ACCESS))
            .doc(G, "Returns the distance between two members of a geospatial index")
            .handler(GeoCommands::geodist);
        t.add("geohash", -2).flags(READONLY)
            .keySpecs(index(1).range(0, 1, 0).flags(RO, ACCESS))
            .doc(G, "Returns members of a geospatial index as standard geohash strings")
            .handler((c, a) -> {
                byte[][] h = ops(c).geohash(c.db(), a[1], Arrays.copyOfRange(a, 2, a.length));
                List<Reply> out = new ArrayList<>(h.length);
                for (byte[] s : h) {
                    out.add(s == null ? Reply.NULL : Reply.bulk(s));
                }
                return Reply.array(out);
            });
        t.add("geopos", -2).flags(READONLY)
            .keySpecs(index(1).range(0, 1, 0).flags(RO, ACCESS))
            .doc(G, "Returns longitude and latitude of members of a geospatial index")
            .handler((c, a) -> {
                double[][] p = ops(c).geopos(c.db(), a[1], Arrays.copyOfRange(a, 2, a.length));
                List<Reply> out = new ArrayList<>(p.length);
                for (double[] xy : p) {
                    out.add(xy == null ? Reply.NULL_ARRAY : coords(c, xy[0], xy[1]));
                }
                return Reply.array(out);
            });
        t.add("georadius", -6).flags(WRITE, DENYOOM)
            .keySpecs(index(1).range(0, 1, 0).flags(RO, ACCESS),
                keyword("STORE", 6).range(0, 1, 0).flags(OW, UPDATE),
                keyword("STOREDIST", 6).range(0, 1, 0).flags(OW, UPDATE))
            .getKeys(GetKeysProc.GEORADIUS)
            .doc(G, "Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a point")
            .handler((c, a) -> search(c, a, 1, RADIUS_COORDS));
        t.add("georadiusbymember", -5).flags(WRITE, DENYOOM)
            .keySpecs(index(1).range(0, 1, 0).flags(RO, ACCESS),
                keyword("STORE", 5).range(0, 1, 0).flags(OW, UPDATE),
                keyword("STOREDIST", 5).range(0, 1, 0).flags(OW, UPDATE))
            .getKeys(GetKeysProc.GEORADIUS)
            .doc(G, "Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a member")
            .handler((c, a) -> search(c, a, 1, RADIUS_MEMBER));
        t.add("georadius_ro", -6).flags(READONLY)
            .keySpecs(index(1).range(0, 1, 0).flags(RO, ACCESS))
            .doc(G, "A read-only variant for GEORADIUS")
            .handler((c, a) -> search(c, a, 1, RADIUS_COORDS | RADIUS_NOSTORE));
        t.add("georadiusbymember_ro", -5).flags(READONLY)
            .keySpecs(index(1).range(0, 1, 0).flags(RO, ACCESS))
            .doc(G, "A read-only variant for GEORADIUSBYMEMBER")
            .handler((c, a) -> search(c, a, 1, RADIUS_MEMBER | RADIUS_NOSTORE));
        t.add("geosearch", -7).flags(READONLY)
            .keySpecs(index(1).range(0, 1, 0).flags(RO, ACCESS))
            .doc(G, "Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle.")
            .handler((c, a) -> search(c, a, 1, GEOSEARCH));
        t.add("geosearchstore", -8).flags(WRITE, DENYOOM)
            .keySpecs(index(1).range(0, 1, 0).flags(OW, UPDATE), index(2).range(0, 1, 0).flags(RO, ACCESS))
            .doc(G, "Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle, and store the result in another key.")
            .handler((c, a) -> search(c, a, 2, GEOSEARCH | GEOSEARCHSTORE));
    }

    // =========================================================================== GEOADD / GEODIST

    private static Reply geoadd(ExecContext c, byte[][] a) {
        boolean xx = false;
        boolean nx = false;
        boolean ch = false;
        int longidx = 2;
        while (longidx < a.length) {
            byte[] opt = a[longidx];
            if (GetKeysProc.cEquals(opt, "nx")) {
                nx = true;
            } else if (GetKeysProc.cEquals(opt, "xx")) {
                xx = true;
            } else if (GetKeysProc.cEquals(opt, "ch")) {
                ch = true;
            } else {
                break;
            }
            longidx++;
        }
        if ((a.length - longidx) % 3 != 0 || (xx && nx)) {
            throw new SyntaxException();
        }
        int n = (a.length - longidx) / 3;
        double[] lon = new double[n];
        double[] lat = new double[n];
        byte[][] members = new byte[n][];
        for (int i = 0; i < n; i++) {
            double[] xy = longLat(a, longidx + i * 3);
            lon[i] = xy[0];
            lat[i] = xy[1];
            members[i] = a[longidx + i * 3 + 2];
        }
        if (n == 0) {
            throw new SyntaxException(); // ZADD's reply to no elements
        }
        int flags = (nx ? ZSetOps.NX : 0) | (xx ? ZSetOps.XX : 0) | (ch ? ZSetOps.CH : 0);
        return Reply.integer(ops(c).geoadd(c.db(), a[1], flags, Arrays.copyOfRange(a, 2, longidx), lon, lat, members));
    }

    private static Reply geodist(ExecContext c, byte[][] a) {
        double toMeter = 1;
        if (a.length == 5) {
            toMeter = unit(a[4]);
        } else if (a.length > 5) {
            throw new SyntaxException();
        }
        Double d = ops(c).geodist(c.db(), a[1], a[2], a[3]);
        return d == null ? Reply.NULL : Reply.bulk(distance(d / toMeter));
    }

    // =========================================================================== searches

    private static Reply search(ExecContext c, byte[][] a, int srcIdx, int flags) {
        boolean[] with = new boolean[3]; // WITHDIST, WITHHASH, WITHCOORD
        GeoOps.Result r = ops(c).search(c.db(), a[srcIdx], candidates(a, flags),
            src -> parse(a, flags, src, with), a);
        if (r.query.store != null) {
            return Reply.integer(r.stored);
        }
        if (r.points.isEmpty()) {
            return Reply.EMPTY_ARRAY;
        }
        boolean options = with[0] || with[1] || with[2];
        List<Reply> out = new ArrayList<>(r.points.size());
        for (GeoOps.Point p : r.points) {
            if (!options) {
                out.add(Reply.bulk(p.member));
                continue;
            }
            List<Reply> e = new ArrayList<>(4);
            e.add(Reply.bulk(p.member));
            if (with[0]) {
                e.add(Reply.bulk(distance(p.distance)));
            }
            if (with[1]) {
                e.add(Reply.integer(GeoHash.cUint64(p.score)));
            }
            if (with[2]) {
                e.add(coords(c, p.longitude, p.latitude));
            }
            out.add(Reply.array(e));
        }
        return Reply.array(out);
    }

    /** Every argument that follows a STORE / STOREDIST word (the destinations to lock). */
    private static byte[][] candidates(byte[][] a, int flags) {
        if ((flags & GEOSEARCHSTORE) != 0) {
            return new byte[][] {a[1]};
        }
        if ((flags & (RADIUS_NOSTORE | GEOSEARCH)) != 0) {
            return new byte[0][];
        }
        List<byte[]> out = new ArrayList<>();
        for (int i = 2; i + 1 < a.length; i++) {
            if (GetKeysProc.cEquals(a[i], "store") || GetKeysProc.cEquals(a[i], "storedist")) {
                out.add(a[i + 1]);
            }
        }
        return out.toArray(new byte[0][]);
    }

    /** Redis's {@code georadiusGeneric} option parsing, after the source's lookup. */
    private static GeoOps.Query parse(byte[][] a, int flags, GeoOps.Source src, boolean[] with) {
        GeoOps.Query q = new GeoOps.Query();
        q.geosearch = (flags & GEOSEARCH) != 0;
        int baseArgs;
        double lon = 0;
        double lat = 0;
        double[] dist = null; // {radius, conversion}
        double[] box = null; // {width, height, conversion}
        if ((flags & RADIUS_COORDS) != 0) {
            baseArgs = 6;
            double[] xy = longLat(a, 2);
            lon = xy[0];
            lat = xy[1];
            dist = distanceArg(a, 4);
        } else if ((flags & RADIUS_MEMBER) != 0 && !src.exists()) {
            baseArgs = 5;
        } else if ((flags & RADIUS_MEMBER) != 0) {
            baseArgs = 5;
            double[] xy = memberPosition(src, a[2]);
            lon = xy[0];
            lat = xy[1];
            dist = distanceArg(a, 3);
        } else {
            baseArgs = 2;
            if ((flags & GEOSEARCHSTORE) != 0) {
                baseArgs = 3;
                q.store = a[1];
            }
        }
        boolean frommember = false;
        boolean fromloc = false;
        boolean byradius = false;
        boolean bybox = false;
        int remaining = a.length - baseArgs;
        for (int i = 0; i < remaining; i++) {
            byte[] arg = a[baseArgs + i];
            if (GetKeysProc.cEquals(arg, "withdist")) {
                with[0] = true;
            } else if (GetKeysProc.cEquals(arg, "withhash")) {
                with[1] = true;
            } else if (GetKeysProc.cEquals(arg, "withcoord")) {
                with[2] = true;
            } else if (GetKeysProc.cEquals(arg, "any")) {
                q.any = true;
            } else if (GetKeysProc.cEquals(arg, "asc")) {
                q.sort = GeoOps.SORT_ASC;
            } else if (GetKeysProc.cEquals(arg, "desc")) {
                q.sort = GeoOps.SORT_DESC;
            } else if (GetKeysProc.cEquals(arg, "count") && i + 1 < remaining) {
                q.count = Numbers.parseLong(a[baseArgs + i + 1]);
                if (q.count <= 0) {
                    throw new RedJarException("ERR COUNT must be > 0");
                }
                i++;
            } else if (GetKeysProc.cEquals(arg, "store") && i + 1 < remaining
                && (flags & RADIUS_NOSTORE) == 0 && (flags & GEOSEARCH) == 0) {
                q.store = a[baseArgs + i + 1];
                q.storeDist = false;
                i++;
            } else if (GetKeysProc.cEquals(arg, "storedist") && i + 1 < remaining
                && (flags & RADIUS_NOSTORE) == 0 && (flags & GEOSEARCH) == 0) {
                q.store = a[baseArgs + i + 1];
                q.storeDist = true;
                i++;
            } else if (GetKeysProc.cEquals(arg, "storedist") && (flags & GEOSEARCH) != 0
                && (flags & GEOSEARCHSTORE) != 0) {
                q.storeDist = true;
            } else if (GetKeysProc.cEquals(arg, "frommember") && i + 1 < remaining
                && (flags & GEOSEARCH) != 0 && !fromloc) {
                if (src.exists()) {
                    double[] xy = memberPosition(src, a[baseArgs + i + 1]);
                    lon = xy[0];
                    lat = xy[1];
                }
                frommember = true;
                i++;
            } else if (GetKeysProc.cEquals(arg, "fromlonlat") && i + 2 < remaining
                && (flags & GEOSEARCH) != 0 && !frommember) {
                double[] xy = longLat(a, baseArgs + i + 1);
                lon = xy[0];
                lat = xy[1];
                fromloc = true;
                i += 2;
            } else if (GetKeysProc.cEquals(arg, "byradius") && i + 2 < remaining
                && (flags & GEOSEARCH) != 0 && !bybox) {
                dist = distanceArg(a, baseArgs + i + 1);
                box = null;
                byradius = true;
                i += 2;
            } else if (GetKeysProc.cEquals(arg, "bybox") && i + 3 < remaining
                && (flags & GEOSEARCH) != 0 && !byradius) {
                box = boxArg(a, baseArgs + i + 1);
                dist = null;
                bybox = true;
                i += 3;
            } else {
                throw new SyntaxException();
            }
        }
        q.withDist = with[0];
        if (q.store != null && (with[0] || with[1] || with[2])) {
            throw new RedJarException("ERR " + ((flags & GEOSEARCHSTORE) != 0 ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS")
                + " is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
        }
        String name = new String(a[0], StandardCharsets.ISO_8859_1);
        if ((flags & GEOSEARCH) != 0 && !(frommember || fromloc)) {
            throw new RedJarException("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for " + name);
        }
        if ((flags & GEOSEARCH) != 0 && !(byradius || bybox)) {
            throw new RedJarException("ERR exactly one of BYRADIUS and BYBOX can be specified for " + name);
        }
        if (q.any && q.count == 0) {
            throw new RedJarException("ERR the ANY argument requires COUNT argument");
        }
        if (dist != null) {
            q.shape = GeoShape.circle(lon, lat, dist[0], dist[1]);
        } else if (box != null) {
            q.shape = GeoShape.box(lon, lat, box[0], box[1], box[2]);
        }
        return q;
    }

    private static double[] memberPosition(GeoOps.Source src, byte[] member) {
        double[] xy = src.position(member);
        if (xy == null) {
            throw new RedJarException("ERR could not decode requested zset member");
        }
        return xy;
    }

    // =========================================================================== arguments

    /** Redis's {@code extractLongLatOrReply} on {@code a[at]}, {@code a[at + 1]}. */
    private static double[] longLat(byte[][] a, int at) {
        double[] xy = new double[2];
        for (int i = 0; i < 2; i++) {
            xy[i] = Numbers.parseDouble(a[at + i]);
        }
        GeoOps.checkPosition(xy[0], xy[1]);
        return xy;
    }

    /** Redis's {@code extractDistanceOrReply}: {radius, metres per unit}. */
    private static double[] distanceArg(byte[][] a, int at) {
        double d = number(a[at], "ERR need numeric radius");
        if (d < 0) {
            throw new RedJarException("ERR radius cannot be negative");
        }
        return new double[] {d, unit(a[at + 1])};
    }

    /** Redis's {@code extractBoxOrReply}: {width, height, metres per unit}. */
    private static double[] boxArg(byte[][] a, int at) {
        double w = number(a[at], "ERR need numeric width");
        double h = number(a[at + 1], "ERR need numeric height");
        if (h < 0 || w < 0) {
            throw new RedJarException("ERR height or width cannot be negative");
        }
        return new double[] {w, h, unit(a[at + 2])};
    }

    private static double number(byte[] b, String error) {
        double d = Numbers.parseDoubleOrNaN(b, 0, b.length);
        if (Double.isNaN(d)) {
            throw new RedJarException(error);
        }
        return d;
    }

    /** Redis's {@code extractUnitOrReply}: metres per unit. */
    private static double unit(byte[] u) {
        if (GetKeysProc.cEquals(u, "m")) {
            return 1;
        } else if (GetKeysProc.cEquals(u, "km")) {
            return 1000;
        } else if (GetKeysProc.cEquals(u, "ft")) {
            return 0.3048;
        } else if (GetKeysProc.cEquals(u, "mi")) {
            return 1609.34;
        }
        throw new RedJarException("ERR unsupported unit provided. please use M, KM, FT, MI");
    }

    // =========================================================================== formatting

    /** Redis's {@code addReplyHumanLongDouble} pair. */
    private static Reply coords(ExecContext c, double lon, double lat) {
        return Reply.array(List.of(human(c, lon), human(c, lat)));
    }

    private static Reply human(ExecContext c, double d) {
        String s = Numbers.formatDoubleHuman(d);
        return c.protocol() >= 3 ? new Reply.DoubleReply(Double.parseDouble(s)) : Reply.bulk(s);
    }

    /** Redis's {@code fixedpoint_d2string(d, 4)}: {@code llrint(d * 10000)} with four decimals. */
    public static String distance(double d) {
        if (d == 0) {
            return "0.0000";
        }
        double scaled = Math.rint(d * 10000.0);
        if (Double.isNaN(scaled) || Math.abs(scaled) >= 0x1p63) {
            scaled = Long.MIN_VALUE; // llrint's out-of-range result
        }
        long v = (long) scaled;
        StringBuilder sb = new StringBuilder();
        java.math.BigInteger u = java.math.BigInteger.valueOf(v);
        if (v < 0) {
            sb.append('-');
            u = u.negate();
        }
        String digits = u.toString();
        while (digits.length() < 5) {
            digits = "0" + digits;
        }
        sb.append(digits, 0, digits.length() - 4).append('.').append(digits, digits.length() - 4, digits.length());
        return sb.toString();
    }
}
