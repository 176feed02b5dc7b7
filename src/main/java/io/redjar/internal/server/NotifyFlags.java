package io.redjar.internal.server;

/**
 * The {@code notify-keyspace-events} classes: Redis 7.0's {@code NOTIFY_*} bits, with
 * {@code keyspaceEventsStringToFlags} ({@link #parse}) and {@code keyspaceEventsFlagsToString}
 * ({@link #format}).
 *
 * <p><b>Thread-safety:</b> stateless.
 */
public final class NotifyFlags {
    private NotifyFlags() {
    }

    /** Redis's {@code NOTIFY_*} bits. */
    public static final int KEYSPACE = 1;
    public static final int KEYEVENT = 1 << 1;
    public static final int GENERIC = 1 << 2;
    public static final int STRING = 1 << 3;
    public static final int LIST = 1 << 4;
    public static final int SET = 1 << 5;
    public static final int HASH = 1 << 6;
    public static final int ZSET = 1 << 7;
    public static final int EXPIRED = 1 << 8;
    public static final int EVICTED = 1 << 9;
    public static final int STREAM = 1 << 10;
    public static final int KEY_MISS = 1 << 11;
    public static final int MODULE = 1 << 13;
    public static final int NEW = 1 << 14;
    public static final int ALL = GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;

    /** @return the bit of class character {@code c}, or -1 if it is not one (Redis's {@code keyspaceEventsStringToFlags}) */
    public static int bit(char c) {
        return switch (c) {
            case 'A' -> ALL;
            case 'g' -> GENERIC;
            case '$' -> STRING;
            case 'l' -> LIST;
            case 's' -> SET;
            case 'h' -> HASH;
            case 'z' -> ZSET;
            case 'x' -> EXPIRED;
            case 'e' -> EVICTED;
            case 'K' -> KEYSPACE;
            case 'E' -> KEYEVENT;
            case 't' -> STREAM;
            case 'm' -> KEY_MISS;
            case 'd' -> MODULE;
            case 'n' -> NEW;
            default -> -1;
        };
    }

    /** @return the bits of {@code classes}, or -1 if a character is not a class */
    public static int parse(String classes) {
        int f = 0;
        for (int i = 0; i < classes.length(); i++) {
            int b = bit(classes.charAt(i));
            if (b < 0) {
                return -1;
            }
            f |= b;
        }
        return f;
    }

    /** @return Redis's canonical string of {@code f} ({@code keyspaceEventsFlagsToString}) */
    public static String format(int f) {
        StringBuilder sb = new StringBuilder();
        if ((f & ALL) == ALL) {
            sb.append('A');
        } else {
            String order = "g$lshzxetdn";
            for (int i = 0; i < order.length(); i++) {
                if ((f & bit(order.charAt(i))) != 0) {
                    sb.append(order.charAt(i));
                }
            }
        }
        if ((f & KEYSPACE) != 0) {
            sb.append('K');
        }
        if ((f & KEYEVENT) != 0) {
            sb.append('E');
        }
        if ((f & KEY_MISS) != 0) {
            sb.append('m');
        }
        return sb.toString();
    }

}
