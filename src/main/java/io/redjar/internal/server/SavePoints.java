package io.redjar.internal.server;

import java.util.function.Function;

/**
 * Redis's {@code save <seconds> <changes> [<seconds> <changes> ...]} setting: snapshot when at
 * least {@code changes} writes happened and {@code seconds} have passed since the last successful
 * save. An empty value disables automatic snapshots.
 *
 * <p><b>Thread-safety:</b> immutable.
 *
 * @param seconds the intervals, in the order given
 * @param changes the write counts, pairwise with {@code seconds}
 */
public record SavePoints(long[] seconds, long[] changes) {
    /** No automatic snapshots. */
    public static final SavePoints NONE = new SavePoints(new long[0], new long[0]);
    /** What redis-server uses without a configuration file. */
    public static final String REDIS_DEFAULT = "3600 1 300 100 60 10000";

    /**
     * @param value the setting as CONFIG SET receives it
     * @return the points, or null if {@code value} is not a valid setting
     */
    public static SavePoints parse(String value) {
        String[] t = value.trim().isEmpty() ? new String[0] : value.trim().split("\\s+");
        if (t.length % 2 != 0) {
            return null;
        }
        long[] s = new long[t.length / 2];
        long[] c = new long[t.length / 2];
        for (int i = 0; i < t.length; i += 2) {
            try {
                s[i / 2] = Long.parseLong(t[i]);
                c[i / 2] = Long.parseLong(t[i + 1]);
            } catch (NumberFormatException e) {
                return null;
            }
            if (s[i / 2] < 0 || c[i / 2] < 0) {
                return null;
            }
        }
        return new SavePoints(s, c);
    }

    /** @return the canonical form of {@code value} (space-separated pairs), or throws what {@code failed} makes */
    static String canonical(String value, Function<String, RuntimeException> failed) {
        SavePoints p = parse(value);
        if (p == null) {
            throw failed.apply("Invalid save parameters");
        }
        return p.toString();
    }

    /** @return whether there is no save point */
    public boolean isEmpty() {
        return seconds.length == 0;
    }

    /**
     * @param changes          writes since the last successful save
     * @param secondsSinceSave seconds since then
     * @return whether some point is due
     */
    public boolean due(long changes, long secondsSinceSave) {
        for (int i = 0; i < seconds.length; i++) {
            if (changes >= this.changes[i] && secondsSinceSave >= seconds[i]) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < seconds.length; i++) {
            if (i > 0) {
                b.append(' ');
            }
            b.append(seconds[i]).append(' ').append(changes[i]);
        }
        return b.toString();
    }
}
