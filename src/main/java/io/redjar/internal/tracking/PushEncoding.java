package io.redjar.internal.tracking;

import io.redjar.Reply;

/**
 * Encodes a frame made by {@link InvalidationFrames} (as a {@link Reply}) back to its RESP3
 * bytes, for a frame that must be written through the {@code Peer} after all (a reply that
 * completes later).
 *
 * <p><b>Thread-safety:</b> stateless.
 */
public final class PushEncoding {
    private PushEncoding() {
    }

    /** @return the RESP3 bytes of a tracking push frame */
    public static byte[] encode(Reply frame) {
        Reply.Push p = (Reply.Push) frame;
        String kind = new String(((Reply.Bulk) p.elements().get(0)).value(), java.nio.charset.StandardCharsets.US_ASCII);
        Reply v = p.elements().get(1);
        if (v instanceof Reply.IntegerReply i) {
            return InvalidationFrames.redirectBroken(i.value()).bytes();
        }
        if (v instanceof Reply.ArrayReply a) {
            java.util.List<byte[]> keys = new java.util.ArrayList<>();
            for (Reply k : a.elements()) {
                keys.add(((Reply.Bulk) k).value());
            }
            return InvalidationFrames.push(keys, 3).bytes();
        }
        assert kind.equals("invalidate");
        return InvalidationFrames.push(null, 3).bytes();
    }
}
