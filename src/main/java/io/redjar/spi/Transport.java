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
}
