package io.redjar.internal.server;

/**
 * Network-only facts the core cannot know, supplied by the RESP module's server (set with
 * {@link ServerState#hooks}); absent (null) when the store is used embedded, in which case INFO
 * reports no connections and port 0.
 *
 * <p><b>Thread-safety:</b> implementations are called from any thread.
 */
public interface ServerHooks {
    /** @return the TCP port the server listens on */
    int tcpPort();

    /** @return the number of connected clients */
    int connectedClients();

    /** @return connections accepted since start */
    long totalConnectionsReceived();

    /** @return connections refused because of maxclients */
    long rejectedConnections();

    /** @return the event-loop flavour ({@code epoll}, {@code nio}) for INFO's multiplexing_api */
    String multiplexingApi();

    /** SHUTDOWN: asks the server to stop; @return whether it started to (false: cannot) */
    default boolean shutdown() {
        return false;
    }
}
