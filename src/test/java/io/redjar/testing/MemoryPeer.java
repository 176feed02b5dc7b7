package io.redjar.testing;

import io.redjar.spi.Peer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Peer} for in-process front-end tests: records the frames the core pushes to it (RESP,
 * as ISO-8859-1 text) and whether the core closed it.
 *
 * <p><b>Thread-safety:</b> thread-safe; the core may push from any thread.
 */
public final class MemoryPeer implements Peer {
    private final List<String> sent = new ArrayList<>();
    /** Set when the core closes the connection. */
    public volatile boolean closed;

    @Override
    public String address() {
        return "10.0.0.1:1";
    }

    @Override
    public String localAddress() {
        return "127.0.0.1:6379";
    }

    @Override
    public synchronized void send(byte[] resp) {
        sent.add(new String(resp, StandardCharsets.ISO_8859_1));
    }

    /** @return the frames sent since the last call, oldest first */
    public synchronized List<String> take() {
        List<String> l = new ArrayList<>(sent);
        sent.clear();
        return l;
    }

    @Override
    public void close(boolean afterReply) {
        closed = true;
    }
}
