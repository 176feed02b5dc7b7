package io.redjar.internal.pubsub;

/**
 * One class of {@code client-output-buffer-limit} (here: {@code pubsub}): a hard limit in bytes,
 * and a soft limit that may be exceeded for at most {@code softSeconds} (0: disabled, as in
 * Redis's {@code checkClientOutputBufferLimits}).
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public record OutputLimit(long hard, long soft, long softSeconds) {
    /** Redis 7.0's default for pub/sub clients: {@code 32mb 8mb 60}. */
    public static final OutputLimit PUBSUB_DEFAULT = new OutputLimit(32L << 20, 8L << 20, 60);
}
