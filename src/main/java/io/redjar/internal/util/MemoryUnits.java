package io.redjar.internal.util;

import java.util.Locale;

/**
 * Memory sizes as Redis writes them in its configuration ({@code 1gb}, {@code 512mb}, {@code 100k}).
 *
 * <p><b>Thread-safety:</b> stateless; thread-safe.
 */
public final class MemoryUnits {
    private MemoryUnits() {
    }

    /** Redis's {@code memtoull}: a number with an optional k/kb/m/mb/g/gb unit; -1 when invalid. */
    public static long parse(String v) {
        String s = v.toLowerCase(Locale.ROOT);
        long mul = 1;
        String[][] units = {{"kb", "1024"}, {"mb", "1048576"}, {"gb", "1073741824"}, {"k", "1000"}, {"m", "1000000"},
            {"g", "1000000000"}, {"b", "1"}};
        for (String[] u : units) {
            if (s.endsWith(u[0])) {
                mul = Long.parseLong(u[1]);
                s = s.substring(0, s.length() - u[0].length());
                break;
            }
        }
        try {
            long n = Long.parseLong(s);
            if (n < 0) {
                return -1;
            }
            return Math.multiplyExact(n, mul);
        } catch (NumberFormatException | ArithmeticException e) {
            return -1;
        }
    }
}
