package io.redjar.internal.server;

/**
 * What the core may know about the client a session belongs to: set on a session's
 * {@code ExecContext} by the RESP module (one per connection), or created lazily for embedded
 * sessions by {@code CLIENT} commands. Used by SLOWLOG entries, MONITOR lines and CLIENT replies.
 *
 * <p><b>Thread-safety:</b> implementations may be read from other threads (SLOWLOG, MONITOR).
 */
public interface ConnectionInfo {
    /** @return the client id ({@code CLIENT ID}) */
    long id();

    /** @return {@code ip:port} of the peer, or {@code ""} for an embedded session */
    String addr();

    /** @return the client name, or null */
    String name();
}
