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

    /** Writes already RESP-encoded bytes (a MONITOR line) to the client, after what is queued already. */
    void send(byte[] resp);

    /**
     * Closes the connection (CLIENT KILL).
     *
     * @param afterReply true when the client kills itself: close only once the current reply has
     *                   been written; false: close now (returning when it is closed, or soon)
     */
    void close(boolean afterReply);
}
