package io.redjar.spi;

/**
 * Facts about the front end's listener that INFO reports.
 *
 * <p><b>Thread-safety:</b> implementations are called from any thread.
 */
public interface Transport {
    /** @return the TCP port listened on */
    int port();

    /** @return the event-loop flavour ({@code epoll}, {@code nio}) for INFO's {@code multiplexing_api} */
    String multiplexingApi();

    /**
     * SHUTDOWN: stop serving as a Redis server stops (close the listener and every connection,
     * then whatever the server's owner asked for, e.g. end the process). Called on a connection's
     * thread, so it must not wait for the connections to close: start the shutdown and return.
     * The default refuses.
     *
     * @return whether the shutdown was started
     */
    default boolean shutdown() {
        return false;
    }
}
