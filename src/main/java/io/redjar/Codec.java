package io.redjar;

import io.redjar.internal.util.Preconditions;

import java.nio.charset.StandardCharsets;

/**
 * Turns values of type {@code T} into the bytes RedJar stores, and back. Used by typed handles
 * such as {@link StringValue}.
 *
 * <pre>{@code
 * Codec<UUID> uuids = Codec.of(u -> u.toString().getBytes(UTF_8), b -> UUID.fromString(new String(b, UTF_8)));
 * }</pre>
 *
 * <p><b>Thread-safety:</b> implementations must be thread-safe; the built-in ones are stateless.
 *
 * @param <T> the Java type
 */
public interface Codec<T> {
    /** @return the bytes to store for {@code value} (never null) */
    byte[] encode(T value);

    /** @return the value the stored {@code bytes} represent */
    T decode(byte[] bytes);

    /** UTF-8 strings. */
    Codec<String> STRING = of(s -> s.getBytes(StandardCharsets.UTF_8), b -> new String(b, StandardCharsets.UTF_8));

    /** Raw bytes, unchanged. */
    Codec<byte[]> BYTES = of(b -> b, b -> b);

    /** Longs as decimal text, so {@code INCR} and friends work on them. */
    Codec<Long> LONG = of(v -> Long.toString(v).getBytes(StandardCharsets.US_ASCII),
        b -> Long.parseLong(new String(b, StandardCharsets.US_ASCII)));

    /**
     * @return a codec from two functions; the codec rejects a null value or null bytes with
     *         {@link NullPointerException} before calling them
     * @throws NullPointerException if {@code encoder} or {@code decoder} is null
     */
    static <T> Codec<T> of(java.util.function.Function<T, byte[]> encoder, java.util.function.Function<byte[], T> decoder) {
        Preconditions.notNull(encoder, "encoder");
        Preconditions.notNull(decoder, "decoder");
        return new Codec<>() {
            @Override
            public byte[] encode(T value) {
                Preconditions.notNull(value, "value");
                return encoder.apply(value);
            }

            @Override
            public T decode(byte[] bytes) {
                Preconditions.notNull(bytes, "bytes");
                return decoder.apply(bytes);
            }
        };
    }
}
