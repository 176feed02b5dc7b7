package io.redjar.internal.pubsub;

import java.util.Arrays;

/**
 * A channel or pattern name as a map key: the bytes (never changed after construction) with a
 * cached hash.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
final class ChannelName {
    final byte[] bytes;
    private final int hash;

    ChannelName(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelName n && n.hash == hash && Arrays.equals(n.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
