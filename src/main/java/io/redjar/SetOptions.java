package io.redjar;

import java.time.Duration;
import java.time.Instant;

/**
 * Options of {@code SET}: a condition ({@code NX}/{@code XX}), an expiry ({@code EX}, {@code PX},
 * {@code EXAT}, {@code PXAT} or {@code KEEPTTL}) and {@code GET}. Immutable; each method returns a
 * new instance.
 *
 * <p>Conflicts, checked when the command runs, exactly as Redis checks them: {@code NX} with
 * {@code XX} and {@code KEEPTTL} with an expiry are rejected with {@code ERR syntax error}; an
 * expiry that is zero, negative or overflows is rejected with
 * {@code ERR invalid expire time in 'set' command}.
 *
 * <pre>{@code
 * store.strings().set("session:1", "data", SetOptions.none().nx().ex(Duration.ofMinutes(30)));
 * }</pre>
 */
public final class SetOptions {
    /** The expiry kinds. */
    public enum Expiry { NONE, KEEPTTL, EX, PX, EXAT, PXAT }

    /** The conditions. */
    public enum Condition { ALWAYS, NX, XX }

    private static final SetOptions NONE = new SetOptions(Condition.ALWAYS, Expiry.NONE, 0, false);

    private final Condition condition;
    private final Expiry expiry;
    private final long expiryValue;
    private final boolean get;

    private SetOptions(Condition condition, Expiry expiry, long expiryValue, boolean get) {
        this.condition = condition;
        this.expiry = expiry;
        this.expiryValue = expiryValue;
        this.get = get;
    }

    /** @return plain {@code SET} with no options */
    public static SetOptions none() {
        return NONE;
    }

    /** @return these options with {@code NX}: only set if the key does not exist */
    public SetOptions nx() {
        return new SetOptions(Condition.NX, expiry, expiryValue, get);
    }

    /** @return these options with {@code XX}: only set if the key exists */
    public SetOptions xx() {
        return new SetOptions(Condition.XX, expiry, expiryValue, get);
    }

    /** @return these options with {@code GET}: return the old value */
    public SetOptions get() {
        return new SetOptions(condition, expiry, expiryValue, true);
    }

    /** @return these options with {@code KEEPTTL}: keep the key's current time to live */
    public SetOptions keepTtl() {
        return new SetOptions(condition, Expiry.KEEPTTL, 0, get);
    }

    /** @return these options with {@code EX seconds} */
    public SetOptions ex(long seconds) {
        return new SetOptions(condition, Expiry.EX, seconds, get);
    }

    /** @return these options with {@code PX milliseconds} */
    public SetOptions px(long millis) {
        return new SetOptions(condition, Expiry.PX, millis, get);
    }

    /** @return these options with {@code PX} of the duration's milliseconds */
    public SetOptions ttl(Duration ttl) {
        return px(ttl.toMillis());
    }

    /** @return these options with {@code EXAT unix-seconds} */
    public SetOptions exAt(long unixSeconds) {
        return new SetOptions(condition, Expiry.EXAT, unixSeconds, get);
    }

    /** @return these options with {@code PXAT unix-milliseconds} */
    public SetOptions pxAt(long unixMillis) {
        return new SetOptions(condition, Expiry.PXAT, unixMillis, get);
    }

    /** @return these options with {@code PXAT} of the instant */
    public SetOptions expireAt(Instant at) {
        return pxAt(at.toEpochMilli());
    }

    public Condition condition() {
        return condition;
    }

    public Expiry expiry() {
        return expiry;
    }

    public long expiryValue() {
        return expiryValue;
    }

    public boolean isGet() {
        return get;
    }

    /**
     * @param now     the command's time in ms
     * @param command the command name for the error message ({@code set}, {@code setex}, ...)
     * @return the absolute expire time in ms, 0 for none, -1 for KEEPTTL
     * @throws RedJarException {@code invalid expire time} as Redis 7 checks it
     */
    public long resolveExpireAt(long now, String command) {
        switch (expiry) {
            case NONE:
                return 0;
            case KEEPTTL:
                return -1;
            default:
                return absoluteExpire(expiry, expiryValue, now, command);
        }
    }

    /**
     * Redis 7.0's {@code getExpireMillisecondsOrReply}: the value must be positive, seconds must
     * not overflow when scaled, and the relative forms must not overflow when {@code now} is added.
     */
    public static long absoluteExpire(Expiry kind, long value, long now, String command) {
        boolean seconds = kind == Expiry.EX || kind == Expiry.EXAT;
        if (value <= 0 || (seconds && value > Long.MAX_VALUE / 1000)) {
            throw new RedJarException("ERR invalid expire time in '" + command + "' command");
        }
        long ms = seconds ? value * 1000 : value;
        if (kind == Expiry.EX || kind == Expiry.PX) {
            ms += now;
        }
        if (ms <= 0) {
            throw new RedJarException("ERR invalid expire time in '" + command + "' command");
        }
        return ms;
    }

    @Override
    public String toString() {
        return "SetOptions[" + condition + ", " + expiry + (expiry.ordinal() >= 2 ? " " + expiryValue : "")
            + (get ? ", GET" : "") + "]";
    }
}
