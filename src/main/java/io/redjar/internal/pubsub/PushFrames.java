package io.redjar.internal.pubsub;

/**
 * The message frames a publisher writes to a network subscriber, already RESP-encoded (they
 * travel through {@code Peer.send}, like MONITOR lines): Redis's {@code addReplyPubsubMessage}
 * and {@code addReplyPubsubPatMessage}, an array ({@code *}) in RESP2 and a push ({@code >}) in
 * RESP3, of bulk strings. Written straight into an array of the exact size: this runs once per
 * subscriber per message.
 *
 * <p><b>Thread-safety:</b> stateless.
 */
public final class PushFrames {
    private PushFrames() {
    }

    /** @return the frame of one delivery, for a client speaking {@code protocol} */
    public static byte[] message(int protocol, Kind kind, byte[] pattern, byte[] channel, byte[] message) {
        byte[] word = kind.messageBulk;
        long size = 4L + word.length + bulkSize(channel) + bulkSize(message) + (pattern == null ? 0 : bulkSize(pattern));
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("message frame too large: " + size + " bytes");
        }
        byte[] out = new byte[(int) size];
        out[0] = (byte) (protocol == 3 ? '>' : '*');
        out[1] = (byte) (pattern == null ? '3' : '4');
        out[2] = '\r';
        out[3] = '\n';
        System.arraycopy(word, 0, out, 4, word.length);
        int at = 4 + word.length;
        if (pattern != null) {
            at = bulk(out, at, pattern);
        }
        at = bulk(out, at, channel);
        bulk(out, at, message);
        return out;
    }

    private static long bulkSize(byte[] b) {
        return 1L + digits(b.length) + 2 + b.length + 2;
    }

    private static int digits(int n) {
        int d = 1;
        while (n >= 10) {
            n /= 10;
            d++;
        }
        return d;
    }

    private static int bulk(byte[] out, int at, byte[] b) {
        out[at++] = '$';
        int d = digits(b.length);
        for (int i = d - 1, n = b.length; i >= 0; i--, n /= 10) {
            out[at + i] = (byte) ('0' + n % 10);
        }
        at += d;
        out[at++] = '\r';
        out[at++] = '\n';
        System.arraycopy(b, 0, out, at, b.length);
        at += b.length;
        out[at++] = '\r';
        out[at++] = '\n';
        return at;
    }
}
