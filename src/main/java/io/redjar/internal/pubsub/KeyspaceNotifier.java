package io.redjar.internal.pubsub;

import io.redjar.internal.keyspace.KeyEvent;
import io.redjar.internal.keyspace.KeyspaceListener;
import io.redjar.internal.server.NotifyFlags;

import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;

/**
 * Keyspace notifications (Redis 7.0's {@code notify.c}): a {@link KeyspaceListener} that turns
 * each key event whose class is enabled by {@code notify-keyspace-events} into a PUBLISH of the
 * event name to {@code __keyspace@<db>__:<key>} (flag {@code K}) and of the key to
 * {@code __keyevent@<db>__:<event>} (flag {@code E}). It runs on the writing thread under the
 * key's shard lock, where publishing only queues each frame (a socket write, an in-process queue)
 * and never runs subscriber code; with notifications off it costs one volatile read.
 *
 * <p><b>Thread-safety:</b> thread-safe.
 */
public final class KeyspaceNotifier implements KeyspaceListener {
    private final PubSubRegistry registry;
    private final IntSupplier flags;

    /** @param flags the current {@code notify-keyspace-events} bits */
    public KeyspaceNotifier(PubSubRegistry registry, IntSupplier flags) {
        this.registry = registry;
        this.flags = flags;
    }

    @Override
    public void modified(int db, byte[] key, KeyEvent event) {
        int f = flags.getAsInt();
        if (f == 0 || (f & NotifyFlags.bit(event.type())) == 0) {
            return;
        }
        byte[] name = event.redisNameBytes();
        if ((f & NotifyFlags.KEYSPACE) != 0) {
            registry.publish(channel("__keyspace@", db, key), name, false);
        }
        if ((f & NotifyFlags.KEYEVENT) != 0) {
            registry.publish(channel("__keyevent@", db, name), key.clone(), false);
        }
    }

    private static byte[] channel(String prefix, int db, byte[] tail) {
        byte[] head = (prefix + db + "__:").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(tail, 0, out, head.length, tail.length);
        return out;
    }
}
