package io.redjar.internal.pubsub;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The message frames a publisher writes to a network subscriber, already RESP-encoded (they
 * travel through {@code Peer.send}, like MONITOR lines): Redis's {@code addReplyPubsubMessage}
 * and {@code addReplyPubsubPatMessage}, an array ({@code *}) in RESP2 and a push ({@code >}) in
 * RESP3, of bulk strings.
 *
 * <p><b>Thread-safety:</b> stateless.
 */
public final class PushFrames {
    private PushFrames() {
    }

    /** @return the frame of one delivery, for a client speaking {@code protocol} */
    public static byte[] message(int protocol, Kind kind, byte[] pattern, byte[] channel, byte[] message) {
        int n = pattern == null ? 3 : 4;
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 + channel.length + message.length
            + (pattern == null ? 0 : pattern.length));
        out.write(protocol == 3 ? '>' : '*');
        ascii(out, Integer.toString(n));
        crlf(out);
        bulk(out, kind.messageWord.getBytes(StandardCharsets.US_ASCII));
        if (pattern != null) {
            bulk(out, pattern);
        }
        bulk(out, channel);
        bulk(out, message);
        return out.toByteArray();
    }

    private static void bulk(ByteArrayOutputStream out, byte[] b) {
        out.write('$');
        ascii(out, Integer.toString(b.length));
        crlf(out);
        out.write(b, 0, b.length);
        crlf(out);
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        for (int i = 0; i < s.length(); i++) {
            out.write(s.charAt(i));
        }
    }

    private static void crlf(ByteArrayOutputStream out) {
        out.write('\r');
        out.write('\n');
    }
}
