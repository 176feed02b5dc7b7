package io.redjar;

import io.redjar.internal.util.Preconditions;
import java.time.Duration;

/**
 * A handle on the string value of one key, seen through a {@link Codec}: a thin view (strings
 * operations + key + codec) that holds no data.
 *
 * <pre>{@code
 * StringValue<Long> hits = store.string("hits", Codec.LONG);
 * hits.set(10L);
 * long now = hits.increment(5);   // 15
 * }</pre>
 *
 * <p><b>Arguments:</b> a null argument, or a null element of an array or map argument, is
 * rejected with {@link NullPointerException} naming it ({@code "key must not be null"},
 * {@code "members[1] must not be null"}) before the store is touched; a {@code Duration} or
 * {@code Instant} whose milliseconds overflow a {@code long} with {@link IllegalArgumentException}.
 * Values that Redis itself judges (negative counts, zero expiries, ...) get Redis's error.
 *
 * <p><b>Thread-safety:</b> thread-safe.
 *
 * @param <T> the value type
 */
public final class StringValue<T> {
    private final Strings strings;
    private final byte[] key;
    private final Codec<T> codec;

    StringValue(Strings strings, String key, Codec<T> codec) {
        this.strings = strings;
        this.key = Preconditions.utf8(key, "key");
        this.codec = Preconditions.notNull(codec, "codec");
    }

    /** The value's bytes, checked before anything is written. */
    private byte[] encode(T value) {
        Preconditions.notNull(value, "value");
        byte[] bytes = codec.encode(value);
        if (bytes == null) {
            throw new NullPointerException("codec returned null bytes for value " + value);
        }
        return bytes;
    }

    /** @return the value, or null if the key does not exist */
    public T get() {
        byte[] v = strings.get(key);
        return v == null ? null : codec.decode(v);
    }

    /** Sets the value (removing any time to live). */
    public void set(T value) {
        Preconditions.notNull(value, "value");
        strings.set(key, encode(value));
    }

    /** Sets the value with a time to live. */
    public void set(T value, Duration ttl) {
        Preconditions.notNull(value, "value");
        Preconditions.notNull(ttl, "ttl");
        strings.set(key, encode(value), SetOptions.none().ttl(ttl));
    }

    /** Sets the value with options; returns whether it was written. */
    public boolean set(T value, SetOptions options) {
        Preconditions.notNull(value, "value");
        Preconditions.notNull(options, "options");
        return strings.set(key, encode(value), options);
    }

    /** Sets only if absent; returns whether it did. */
    public boolean setIfAbsent(T value) {
        Preconditions.notNull(value, "value");
        return strings.setnx(key, encode(value));
    }

    /** Sets and returns the previous value (null if none). */
    public T getAndSet(T value) {
        Preconditions.notNull(value, "value");
        byte[] old = strings.getSet(key, encode(value));
        return old == null ? null : codec.decode(old);
    }

    /** Returns the value and deletes the key. */
    public T getAndDelete() {
        byte[] old = strings.getDel(key);
        return old == null ? null : codec.decode(old);
    }

    /** INCRBY on the stored decimal integer; returns the new value. */
    public long increment(long delta) {
        return strings.incrBy(key, delta);
    }

    /** @return the length in bytes of the stored value (0 if missing) */
    public long length() {
        return strings.strlen(key);
    }
}
