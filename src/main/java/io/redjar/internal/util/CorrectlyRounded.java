package io.redjar.internal.util;

/**
 * Correctly rounded {@code sin}, {@code cos} and {@code asin}: the double nearest the exact value,
 * which is what glibc's libm returns (Redis's GEO distances go through it). {@link Math} and
 * {@link StrictMath} are only within one ulp, so their distances differ from Redis's in the last
 * bits now and then, which shows in {@code STOREDIST} scores.
 *
 * <p>Method: double-double arithmetic (about 106 bits). {@code sin}/{@code cos} sum their Taylor
 * series in double-double (arguments here are within [-4, 4]; larger ones fall back to
 * {@link Math}, and near-antipodal {@code asin} arguments (|y| >= 0.9999) use {@link Math#asin});
 * {@code asin} takes one Newton step in double-double from {@link Math#asin}. The
 * double-double result is then rounded to the nearest double, which is the correctly rounded value
 * unless the exact result lies within about 2<sup>-100</sup> relative of a rounding boundary.
 *
 * <p><b>Thread-safety:</b> stateless; pure functions. Each call allocates one or two two-element
 * arrays.
 */
public final class CorrectlyRounded {
    private CorrectlyRounded() {
    }

    private static final double LIMIT = 4.0;

    /** @return {@code sin(x)} correctly rounded (for |x| <= 4; beyond, {@link Math#sin}) */
    public static double sin(double x) {
        if (!(Math.abs(x) <= LIMIT) || x == 0) {
            return Math.sin(x);
        }
        double[] r = dd(x, true);
        return r[0] + r[1];
    }

    /** @return {@code cos(x)} correctly rounded (for |x| <= 4; beyond, {@link Math#cos}) */
    public static double cos(double x) {
        if (!(Math.abs(x) <= LIMIT)) {
            return Math.cos(x);
        }
        double[] r = dd(x, false);
        return r[0] + r[1];
    }

    /** @return {@code asin(y)} correctly rounded */
    public static double asin(double y) {
        double x0 = Math.asin(y);
        if (Double.isNaN(x0) || x0 == 0 || Math.abs(y) >= 0.9999) {
            return x0;
        }
        double[] s = dd(x0, true);
        double[] c = dd(x0, false);
        // r = y - sin(x0), in double-double
        double rh = y - s[0];
        double bb = rh - y;
        double rl = (y - (rh - bb)) + (-s[0] - bb) - s[1];
        // delta = r / cos(x0) (a tiny correction: a double quotient is plenty)
        double delta = (rh + rl) / c[0];
        // x0 + delta, rounded once
        return x0 + delta;
    }

    /** sin or cos of x as a double-double {hi, lo} (|x| <= 4). */
    private static double[] dd(double x, boolean sine) {
        double x2h = x * x;
        double x2l = Math.fma(x, x, -x2h);
        double th = sine ? x : 1;
        double tl = 0;
        double sh = th;
        double sl = 0;
        int k = sine ? 1 : 0;
        for (int i = 0; i < 60; i++) {
            double ph = th * x2h;
            double pl = Math.fma(th, x2h, -ph) + (th * x2l + tl * x2h);
            double qh = ph + pl;
            double ql = pl - (qh - ph);
            double d = (double) (k + 1) * (k + 2);
            double rh = qh / d;
            double rem = Math.fma(-rh, d, qh) + ql;
            double rl = rem / d;
            double nh = rh + rl;
            double nl = rl - (nh - rh);
            th = -nh;
            tl = -nl;
            k += 2;
            double s = sh + th;
            double bb = s - sh;
            double err = (sh - (s - bb)) + (th - bb);
            err += sl + tl;
            sh = s + err;
            sl = err - (sh - s);
            if (Math.abs(th) < 0x1p-110 * Math.abs(sh)) {
                break;
            }
        }
        return new double[] {sh, sl};
    }
}
