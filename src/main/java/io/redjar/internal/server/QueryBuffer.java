package io.redjar.internal.server;

/**
 * The size accounting of one connection's query buffer as Redis 7.0 keeps it, for CLIENT LIST's
 * {@code qbuf} and {@code qbuf-free} (and the suite's {@code querybuf} tests): Netty reads into
 * pooled buffers that belong to no client, so the figures follow Redis's allocation rules instead
 * of RedJar's memory.
 *
 * <ul>
 *   <li>a read grows the buffer to hold {@code PROTO_IOBUF_LEN} (16 KiB) more, or a whole big
 *       argument ({@code PROTO_MBULK_BIG_ARG}, 32 KiB and more) at once; processed commands leave
 *       the buffer empty but allocated;</li>
 *   <li>{@link #cron} (Redis's {@code clientsCronResizeQueryBuffer}, about ten times a second
 *       here as in Redis with few clients): with more than 4 KiB free, a client idle for more
 *       than 2 seconds loses its buffer, and one larger than {@code PROTO_RESIZE_THRESHOLD}
 *       (32 KiB) and twice its recent peak shrinks to that peak; the peak restarts each round.</li>
 * </ul>
 *
 * <p><b>Thread-safety:</b> thread-safe (synchronized; touched once per command and per cron round).
 */
public final class QueryBuffer {
    private static final long IOBUF_LEN = 16 * 1024;
    private static final long RESIZE_THRESHOLD = 32 * 1024;
    private static final long MIN_FREE_TO_RESIZE = 4 * 1024;

    private long alloc;
    private long peak;

    /** A command of {@code bytes} bytes (its RESP form) was read and processed. */
    public synchronized void read(long bytes) {
        long need = bytes >= RESIZE_THRESHOLD ? bytes : bytes + IOBUF_LEN;
        if (alloc < need) {
            alloc = need;
        }
        if (bytes > peak) {
            peak = bytes;
        }
    }

    /** One round of Redis's query buffer resizing for a client idle for {@code idleSeconds}. */
    public synchronized void cron(long idleSeconds) {
        if (alloc > MIN_FREE_TO_RESIZE) {
            if (idleSeconds > 2) {
                alloc = 0;
            } else if (alloc > RESIZE_THRESHOLD && alloc / 2 > peak) {
                alloc = peak;
            }
        }
        peak = 0;
    }

    /**
     * @param used bytes the buffer holds now (the running command's own, for the client asking)
     * @return {@code qbuf-free}: the allocated bytes not in use
     */
    public synchronized long free(long used) {
        return Math.max(0, Math.max(alloc, used) - used);
    }
}
