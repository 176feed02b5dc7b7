package io.redjar;

import io.redjar.spi.Connection;
import io.redjar.spi.FrontEnd;
import io.redjar.testing.MemoryPeer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An eviction invalidates client-side caches like any other change (Redis's performEvictions calls
 * signalModifiedKey): a tracking connection that read the key gets its {@code invalidate} push.
 */
class EvictionTrackingTest {

    private static byte[][] argv(String... a) {
        byte[][] out = new byte[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    @Test
    void anEvictedKeyIsInvalidated() {
        try (Store store = Store.builder().maxMemoryPolicy("allkeys-random").open()) {
            FrontEnd fe = store.frontEnd();
            MemoryPeer peer = new MemoryPeer();
            Connection c = fe.connect(peer);
            c.execute(argv("HELLO", "3"));
            assertEquals(Reply.OK, c.execute(argv("CLIENT", "TRACKING", "ON")).reply());
            store.execute("SET", "cached", "value");
            assertEquals(Reply.bulk("value"), c.execute(argv("GET", "cached")).reply());
            peer.take();
            store.execute("CONFIG", "SET", "maxmemory", Long.toString(store.usedMemory() - 1));
            store.execute("PING");
            assertEquals(Reply.integer(0), store.execute("EXISTS", "cached"));
            List<String> got = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (got.isEmpty() && System.nanoTime() < deadline) {
                got.addAll(peer.take());
                Thread.onSpinWait();
            }
            assertEquals(List.of(">2\r\n$10\r\ninvalidate\r\n*1\r\n$6\r\ncached\r\n"), got);
        }
    }
}
