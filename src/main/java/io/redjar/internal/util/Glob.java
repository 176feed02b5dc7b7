package io.redjar.internal.util;

/** Temporary placeholder; replaced by the util branch. */
public final class Glob {
    private Glob() {
    }

    public static boolean match(byte[] p, byte[] s, boolean nocase) {
        return m(p, 0, s, 0);
    }

    private static boolean m(byte[] p, int pi, byte[] s, int si) {
        if (pi == p.length) {
            return si == s.length;
        }
        if (p[pi] == '*') {
            for (int k = si; k <= s.length; k++) {
                if (m(p, pi + 1, s, k)) {
                    return true;
                }
            }
            return false;
        }
        if (si == s.length) {
            return false;
        }
        if (p[pi] == '?' || p[pi] == s[si]) {
            return m(p, pi + 1, s, si + 1);
        }
        return false;
    }
}
