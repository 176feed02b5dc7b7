package io.redjar;

import io.redjar.internal.util.Preconditions;

import java.time.Duration;
import java.time.Instant;

/**
 * Options of {@code SET}: a condition ({@code NX}/{@code XX}), an expiry ({@code EX}, {@code PX},
 * {@code EXAT}, {@code PXAT} or {@code KEEPTTL}) and {@code GET}. Immutable; each method returns a
 * new instance.
 *
 * <p>Conflicts are rejected when they are built, by the method that would create them, with
 * {@link IllegalStateException}: {@code NX} with {@code XX}, {@code KEEPTTL} with an expiry, and
 * two expiries of different kinds (for example {@code ex(10).px(500)}), which Redis rejects with
 * {@code ERR syntax error}. Repeating an option is not a conflict: as Redis's
 * {@code SET k v EX 1 EX 2}, the later value replaces the earlier one. The expiry's value is
 * checked when the command runs, as Redis checks it: zero, negative or overflowing (once scaled to
 * milliseconds or added to the current time) fails with
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

    private SetOptions withCondition(Condition c) {
        if (condition != Condition.ALWAYS && condition != c) {
            throw new IllegalStateException(c + " conflicts with " + condition + " (Redis: ERR syntax error): " + this);
        }
        return new SetOptions(c, expiry, expiryValue, get);
    }

    private SetOptions withExpiry(Expiry e, long value) {
        if (expiry != Expiry.NONE && expiry != e) {
            throw new IllegalStateException(e + " conflicts with " + expiry + " (Redis: ERR syntax error): " + this);
        }
        return new SetOptions(condition, e, value, get);
    }

    /**
     * @return these options with {@code NX}: only set if the key does not exist
     * @throws IllegalStateException if these options have {@code XX}
     */
    public SetOptions nx() {
        return withCondition(Condition.NX);
    }

    /**
     * @return these options with {@code XX}: only set if the key exists
     * @throws IllegalStateException if these options have {@code NX}
     */
    public SetOptions xx() {
        return withCondition(Condition.XX);
    }

    /** @return these options with {@code GET}: return the old value */
    public SetOptions get() {
        return new SetOptions(condition, expiry, expiryValue, true);
    }

    /**
     * @return these options with {@code KEEPTTL}: keep the key's current time to live
     * @throws IllegalStateException if these options have an expiry
     */
    public SetOptions keepTtl() {
        return withExpiry(Expiry.KEEPTTL, 0);
    }

    /**
     * @return these options with {@code EX seconds} (validated when the command runs)
     * @throws IllegalStateException if these options have {@code KEEPTTL} or another kind of expiry
     */
    public SetOptions ex(long seconds) {
        return withExpiry(Expiry.EX, seconds);
    }

    /**
     * @return these options with {@code PX milliseconds} (validated when the command runs)
     * @throws IllegalStateException if these options have {@code KEEPTTL} or another kind of expiry
     */
    public SetOptions px(long millis) {
        return withExpiry(Expiry.PX, millis);
    }

    /**
     * @return these options with {@code PX} of the duration's milliseconds (truncated; zero or
     *         negative fails when the command runs, with Redis's {@code invalid expire time})
     * @throws NullPointerException     if {@code ttl} is null
     * @throws IllegalArgumentException if the duration's milliseconds do not fit a {@code long}
     * @throws IllegalStateException    if these options have {@code KEEPTTL} or another kind of expiry
     */
    public SetOptions ttl(Duration ttl) {
        return px(Preconditions.millis(ttl, "ttl"));
    }

    /**
     * @return these options with {@code EXAT unix-seconds} (validated when the command runs)
     * @throws IllegalStateException if these options have {@code KEEPTTL} or another kind of expiry
     */
    public SetOptions exAt(long unixSeconds) {
        return withExpiry(Expiry.EXAT, unixSeconds);
    }

    /**
     * @return these options with {@code PXAT unix-milliseconds} (validated when the command runs)
     * @throws IllegalStateException if these options have {@code KEEPTTL} or another kind of expiry
     */
    public SetOptions pxAt(long unixMillis) {
        return withExpiry(Expiry.PXAT, unixMillis);
    }

    /**
     * @return these options with {@code PXAT} of the instant
     * @throws NullPointerException     if {@code at} is null
     * @throws IllegalArgumentException if the instant's milliseconds do not fit a {@code long}
     * @throws IllegalStateException    if these options have {@code KEEPTTL} or another kind of expiry
     */
    public SetOptions expireAt(Instant at) {
        return pxAt(Preconditions.epochMillis(at, "at"));
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
        Preconditions.notNull(command, "command");
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
        Preconditions.notNull(kind, "kind");
        Preconditions.notNull(command, "command");
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
