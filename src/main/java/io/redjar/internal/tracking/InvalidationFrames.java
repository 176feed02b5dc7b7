package io.redjar.internal.tracking;

import io.redjar.Reply;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The frames client tracking sends (Redis's {@code sendTrackingMessage}): the RESP3 push
 * {@code >2 invalidate <keys>}, the RESP2 pub/sub message {@code message __redis__:invalidate
 * <keys>} for a redirection client in pub/sub mode, and the RESP3 push
 * {@code tracking-redir-broken <id>}. The key list is an array of bulk strings, or for a flush
 * the null of the <em>tracking</em> client's protocol ({@code _} in RESP3, {@code $-1} in RESP2,
 * as Redis writes {@code shared.null[c->resp]}). Each frame comes as bytes (written to another
 * connection through its {@code Peer}) and as a {@link Reply} (queued after the running client's
 * own reply).
 *
 * <p><b>Thread-safety:</b> stateless.
 */
final class InvalidationFrames {
    /** The channel RESP2 redirection clients subscribe to. */
    static final byte[] CHANNEL = "__redis__:invalidate".getBytes(StandardCharsets.US_ASCII);

    private InvalidationFrames() {
    }

    /** One frame in both forms. */
    record Frame(Reply reply, byte[] bytes) {
    }

    /** {@code >2 invalidate <keys>} (keys null: every key, with the null of {@code trackerProtocol}). */
    static Frame push(List<byte[]> keys, int trackerProtocol) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32);
        ascii(out, ">2\r\n$10\r\ninvalidate\r\n");
        value(out, keys, trackerProtocol);
        List<Reply> items = new ArrayList<>(2);
        items.add(Reply.bulk("invalidate"));
        if (keys == null) {
            items.add(Reply.NULL);
        } else {
            List<Reply> ks = new ArrayList<>(keys.size());
            for (byte[] k : keys) {
                ks.add(Reply.bulk(k));
            }
            items.add(new Reply.ArrayReply(ks));
        }
        return new Frame(new Reply.Push(items), out.toByteArray());
    }

    /** The RESP2 pub/sub message on {@link #CHANNEL} carrying the keys (bytes only). */
    static byte[] message(List<byte[]> keys, int trackerProtocol) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        ascii(out, "*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n");
        value(out, keys, trackerProtocol);
        return out.toByteArray();
    }

    /** {@code >2 tracking-redir-broken <id>}. */
    static Frame redirectBroken(long id) {
        byte[] b = (">2\r\n$21\r\ntracking-redir-broken\r\n:" + id + "\r\n").getBytes(StandardCharsets.US_ASCII);
        return new Frame(new Reply.Push(List.of(Reply.bulk("tracking-redir-broken"), Reply.integer(id))), b);
    }

    private static void value(ByteArrayOutputStream out, List<byte[]> keys, int trackerProtocol) {
        if (keys == null) {
            ascii(out, trackerProtocol == 3 ? "_\r\n" : "$-1\r\n");
            return;
        }
        ascii(out, "*" + keys.size() + "\r\n");
        for (byte[] k : keys) {
            ascii(out, "$" + k.length + "\r\n");
            out.write(k, 0, k.length);
            ascii(out, "\r\n");
        }
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        for (int i = 0; i < s.length(); i++) {
            out.write(s.charAt(i));
        }
    }
}
