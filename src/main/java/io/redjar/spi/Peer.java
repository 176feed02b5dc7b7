package io.redjar.spi;

/**
 * The network end of one connection, implemented by the front end.
 *
 * <p><b>Thread-safety:</b> implementations must be thread-safe: the core calls {@link #send} and
 * {@link #close} from other connections' threads.
 */
public interface Peer {
    /** @return the remote {@code ip:port} (CLIENT LIST {@code addr}, MONITOR, SLOWLOG) */
    String address();

    /** @return the local {@code ip:port} (CLIENT LIST {@code laddr}) */
    String localAddress();

    /**
     * Writes already RESP-encoded bytes (a MONITOR line, a pub/sub message) to the client, after
     * what is queued already. Must not block. Called on the connection's own thread while it runs
     * a command (a client publishing to itself), the bytes must follow that command's earlier
     * replies and precede its own reply.
     */
    void send(byte[] resp);

    /**
     * @return the bytes written or sent but not yet handed to the socket (the output buffer the
     *         core checks against {@code client-output-buffer-limit pubsub}); 0 if not tracked
     */
    default long queuedBytes() {
        return 0;
    }

    /**
     * Closes the connection (CLIENT KILL).
     *
     * @param afterReply true when the client kills itself: close only once the current reply has
     *                   been written; false: close now (returning when it is closed, or soon)
     */
    void close(boolean afterReply);
}
