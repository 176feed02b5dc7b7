package io.redjar.internal.structure;

/**
 * The geohash arithmetic behind the GEO commands, bit for bit as Redis 7.0's {@code geohash.c}
 * does it, so that a position added here gets the same sorted-set score as in Redis and decodes to
 * the same coordinates.
 *
 * <p>A hash of {@code step} bits per axis interleaves the latitude cell (even bits) and the
 * longitude cell (odd bits) of a grid over longitude [-180, 180] and latitude
 * [-85.05112878, 85.05112878] (the Web Mercator limits); a member's score is the 26-step (52-bit)
 * hash, as an integer-valued double. Bits and steps are carried as two values ({@code long} bits,
 * {@code int} step); a zero hash ({@code bits == 0 && step == 0}) marks a neighbour box that a
 * search skips, as Redis's {@code HASHISZERO}.
 *
 * <p>C's unsigned 32-bit wrap-around and its {@code double} to {@code uint64_t} conversion are
 * reproduced where Redis relies on them (decoding a score that is not a geohash).
 *
 * <p><b>Thread-safety:</b> stateless; every method is a pure function.
 */
public final class GeoHash {
    /** Redis's {@code GEO_STEP_MAX}: 26 steps, 52 bits. */
    public static final int STEP_MAX = 26;
    /** Longitude limits. */
    public static final double LONG_MIN = -180;
    /** Longitude limits. */
    public static final double LONG_MAX = 180;
    /** Latitude limits (Web Mercator). */
    public static final double LAT_MIN = -85.05112878;
    /** Latitude limits (Web Mercator). */
    public static final double LAT_MAX = 85.05112878;

    private static final char[] BASE32 = "0123456789bcdefghjkmnpqrstuvwxyz".toCharArray();

    private GeoHash() {
    }

    /** Redis's {@code interleave64}: x (latitude) on the even bits, y (longitude) on the odd. */
    static long interleave(long xlo, long ylo) {
        long x = xlo & 0xFFFFFFFFL;
        long y = ylo & 0xFFFFFFFFL;
        x = (x | (x << 16)) & 0x0000FFFF0000FFFFL;
        y = (y | (y << 16)) & 0x0000FFFF0000FFFFL;
        x = (x | (x << 8)) & 0x00FF00FF00FF00FFL;
        y = (y | (y << 8)) & 0x00FF00FF00FF00FFL;
        x = (x | (x << 4)) & 0x0F0F0F0F0F0F0F0FL;
        y = (y | (y << 4)) & 0x0F0F0F0F0F0F0F0FL;
        x = (x | (x << 2)) & 0x3333333333333333L;
        y = (y | (y << 2)) & 0x3333333333333333L;
        x = (x | (x << 1)) & 0x5555555555555555L;
        y = (y | (y << 1)) & 0x5555555555555555L;
        return x | (y << 1);
    }

    /** Redis's {@code deinterleave64}: latitude cell in the low 32 bits, longitude in the high. */
    static long deinterleave(long interleaved) {
        long x = interleaved;
        long y = interleaved >>> 1;
        x = x & 0x5555555555555555L;
        y = y & 0x5555555555555555L;
        x = (x | (x >>> 1)) & 0x3333333333333333L;
        y = (y | (y >>> 1)) & 0x3333333333333333L;
        x = (x | (x >>> 2)) & 0x0F0F0F0F0F0F0F0FL;
        y = (y | (y >>> 2)) & 0x0F0F0F0F0F0F0F0FL;
        x = (x | (x >>> 4)) & 0x00FF00FF00FF00FFL;
        y = (y | (y >>> 4)) & 0x00FF00FF00FF00FFL;
        x = (x | (x >>> 8)) & 0x0000FFFF0000FFFFL;
        y = (y | (y >>> 8)) & 0x0000FFFF0000FFFFL;
        x = (x | (x >>> 16)) & 0x00000000FFFFFFFFL;
        y = (y | (y >>> 16)) & 0x00000000FFFFFFFFL;
        return x | (y << 32);
    }

    /** C's conversion of a non-negative double below 2^32 to {@code uint32_t}. */
    private static long toUint32(double d) {
        return ((long) d) & 0xFFFFFFFFL;
    }

    /**
     * Redis's {@code geohashEncode} over the given ranges.
     *
     * @return the hash bits, or -1 when the position is outside the ranges or the WGS84 limits
     */
    public static long encode(double longMin, double longMax, double latMin, double latMax,
                              double longitude, double latitude, int step) {
        if (longitude > LONG_MAX || longitude < LONG_MIN || latitude > LAT_MAX || latitude < LAT_MIN) {
            return -1;
        }
        if (latitude < latMin || latitude > latMax || longitude < longMin || longitude > longMax) {
            return -1;
        }
        double latOffset = (latitude - latMin) / (latMax - latMin);
        double longOffset = (longitude - longMin) / (longMax - longMin);
        latOffset *= (double) (1L << step);
        longOffset *= (double) (1L << step);
        return interleave(toUint32(latOffset), toUint32(longOffset));
    }

    /** {@link #encode} over Redis's WGS84 ranges; -1 when out of range. */
    public static long encodeWgs84(double longitude, double latitude, int step) {
        return encode(LONG_MIN, LONG_MAX, LAT_MIN, LAT_MAX, longitude, latitude, step);
    }

    /** Redis's {@code geohashAlign52Bits}: the hash shifted to 52 bits (a sorted-set score). */
    public static long align52(long bits, int step) {
        return bits << (52 - step * 2);
    }

    /**
     * Redis's {@code geohashDecode} over the WGS84 ranges: the cell's area.
     *
     * @return {longMin, longMax, latMin, latMax}
     */
    public static double[] area(long bits, int step) {
        long sep = deinterleave(bits);
        long ilato = sep & 0xFFFFFFFFL;
        long ilono = sep >>> 32;
        double latScale = LAT_MAX - LAT_MIN;
        double longScale = LONG_MAX - LONG_MIN;
        double div = (double) (1L << step);
        return new double[] {
            LONG_MIN + (ilono * 1.0 / div) * longScale,
            LONG_MIN + (((ilono + 1) & 0xFFFFFFFFL) * 1.0 / div) * longScale,
            LAT_MIN + (ilato * 1.0 / div) * latScale,
            LAT_MIN + (((ilato + 1) & 0xFFFFFFFFL) * 1.0 / div) * latScale,
        };
    }

    /** C's {@code (uint64_t)} conversion of a double as x86-64 compilers emit it. */
    public static long cUint64(double d) {
        if (d >= 0x1p63) {
            return cvtt(d - 0x1p63) ^ Long.MIN_VALUE;
        }
        return cvtt(d);
    }

    private static long cvtt(double d) {
        if (Double.isNaN(d) || d >= 0x1p63 || d < -0x1p63) {
            return Long.MIN_VALUE; // the "integer indefinite" value
        }
        return (long) d;
    }

    /**
     * Redis's {@code decodeGeohash}: the position a sorted-set score stands for (the centre of its
     * 52-bit cell, clamped to the limits). Any score decodes, as in Redis.
     *
     * @return {longitude, latitude}
     */
    public static double[] decodeScore(double score) {
        double[] a = area(cUint64(score), STEP_MAX);
        double x = (a[0] + a[1]) / 2;
        x = Math.min(x, LONG_MAX);
        x = Math.max(x, LONG_MIN);
        double y = (a[2] + a[3]) / 2;
        y = Math.min(y, LAT_MAX);
        y = Math.max(y, LAT_MIN);
        return new double[] {x, y};
    }

    /**
     * The 11-character standard geohash string GEOHASH replies with: the position re-encoded over
     * latitude [-90, 90], the last character always {@code '0'}.
     */
    public static byte[] standardString(double score) {
        double[] xy = decodeScore(score);
        long bits = encode(-180, 180, -90, 90, xy[0], xy[1], 26);
        if (bits < 0) {
            bits = 0; // unreachable for decoded positions; Redis would print the zeroed hash
        }
        byte[] out = new byte[11];
        for (int i = 0; i < 11; i++) {
            int idx = i == 10 ? 0 : (int) ((bits >>> (52 - ((i + 1) * 5))) & 0x1f);
            out[i] = (byte) BASE32[idx];
        }
        return out;
    }

    /** Redis's {@code geohash_move_x}. */
    static long moveX(long bits, int step, int d) {
        if (d == 0) {
            return bits;
        }
        long x = bits & 0xaaaaaaaaaaaaaaaaL;
        long y = bits & 0x5555555555555555L;
        long zz = 0x5555555555555555L >>> (64 - step * 2);
        if (d > 0) {
            x = x + (zz + 1);
        } else {
            x = x | zz;
            x = x - (zz + 1);
        }
        x &= (0xaaaaaaaaaaaaaaaaL >>> (64 - step * 2));
        return x | y;
    }

    /** Redis's {@code geohash_move_y}. */
    static long moveY(long bits, int step, int d) {
        if (d == 0) {
            return bits;
        }
        long x = bits & 0xaaaaaaaaaaaaaaaaL;
        long y = bits & 0x5555555555555555L;
        long zz = 0xaaaaaaaaaaaaaaaaL >>> (64 - step * 2);
        if (d > 0) {
            y = y + (zz + 1);
        } else {
            y = y | zz;
            y = y - (zz + 1);
        }
        y &= (0x5555555555555555L >>> (64 - step * 2));
        return x | y;
    }
}
