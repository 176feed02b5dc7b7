package io.redjar.spi;

/**
 * One client connection's state in the core: selected database, protocol, name, authentication,
 * reply mode, MONITOR. Created by {@link FrontEnd#connect}.
 *
 * <p><b>Thread-safety:</b> not thread-safe: confined to the connection's event loop, like a
 * Redis client. ({@link #id()} may be read anywhere.)
 */
public interface Connection {
    /** @return the client id ({@code CLIENT ID}) */
    long id();

    /** Runs one command and says what to send back. */
    Result execute(byte[][] argv);

    /** @return the RESP version to encode replies with (2 or 3; HELLO and RESET change it) */
    int protocol();

    /**
     * @return whether the client still has to authenticate (a password is set and it has not
     *         used AUTH/HELLO AUTH); the front end may apply tighter input limits meanwhile
     */
    boolean authRequired();

    /** The peer is gone: forget the client, cancel its blocked command, stop its MONITOR feed. Idempotent. */
    void disconnected();
}
