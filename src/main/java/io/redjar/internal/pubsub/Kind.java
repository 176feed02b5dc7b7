package io.redjar.internal.pubsub;

/**
 * The three subscription kinds: plain channels, patterns and shard channels (Redis 7.0's
 * {@code pubSubType} / patterns / {@code pubSubShardType}), with the words of their frames.
 */
public enum Kind {
    CHANNEL("subscribe", "unsubscribe", "message"),
    PATTERN("psubscribe", "punsubscribe", "pmessage"),
    SHARD("ssubscribe", "sunsubscribe", "smessage");

    final String subscribeWord;
    final String unsubscribeWord;
    final String messageWord;
    /** {@link #messageWord} as a RESP bulk string ({@code $7\r\nmessage\r\n}), for the frames. */
    final byte[] messageBulk;

    Kind(String subscribeWord, String unsubscribeWord, String messageWord) {
        this.subscribeWord = subscribeWord;
        this.unsubscribeWord = unsubscribeWord;
        this.messageWord = messageWord;
        this.messageBulk = ("$" + messageWord.length() + "\r\n" + messageWord + "\r\n")
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
