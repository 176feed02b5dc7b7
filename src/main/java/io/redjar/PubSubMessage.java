package io.redjar;

import java.nio.charset.StandardCharsets;

/**
 * One message an in-process subscriber receives: the channel it was published to, the pattern it
 * matched (for {@link PubSub#psubscribe} subscriptions, else null) and the payload. The arrays
 * are the subscriber's own.
 *
 * <p><b>Thread-safety:</b> immutable (do not change the arrays).
 */
public final class PubSubMessage {
    private final byte[] pattern;
    private final byte[] channel;
    private final byte[] message;

    PubSubMessage(byte[] pattern, byte[] channel, byte[] message) {
        this.pattern = pattern;
        this.channel = channel;
        this.message = message;
    }

    /** @return the channel the message was published to */
    public byte[] channel() {
        return channel;
    }

    /** @return the matching pattern, or null for a channel subscription */
    public byte[] pattern() {
        return pattern;
    }

    /** @return the payload */
    public byte[] message() {
        return message;
    }

    /** @return the channel as UTF-8 text */
    public String channelAsString() {
        return new String(channel, StandardCharsets.UTF_8);
    }

    /** @return the pattern as UTF-8 text, or null */
    public String patternAsString() {
        return pattern == null ? null : new String(pattern, StandardCharsets.UTF_8);
    }

    /** @return the payload as UTF-8 text */
    public String messageAsString() {
        return new String(message, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return (pattern == null ? "" : patternAsString() + " ") + channelAsString() + ": " + messageAsString();
    }
}
