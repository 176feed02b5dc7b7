package io.redjar.spi;

/**
 * A store as seen by a network front end: settings, the transport's facts, and connections.
 * Obtained with {@code Store.frontEnd()}; one per store.
 *
 * <p><b>Thread-safety:</b> thread-safe.
 */
public interface FrontEnd {
    /**
     * Opens a connection for a newly accepted peer.
     *
     * @return the connection, or null when {@code maxclients} connections are open already (the
     *         refusal is counted as INFO's {@code rejected_connections}; the front end sends
     *         {@code -ERR max number of clients reached} and closes)
     */
    Connection connect(Peer peer);

    /** Makes {@code transport}'s port and event-loop flavour visible (INFO, CONFIG GET port). */
    void attach(Transport transport);

    /** Undoes {@link #attach} if {@code transport} is the attached one. */
    void detach(Transport transport);

    /**
     * @param name a setting ({@code requirepass}, {@code protected-mode}, {@code maxclients},
     *             {@code proto-max-bulk-len}, {@code client-query-buffer-limit}, ...)
     * @return its current value as {@code CONFIG GET} shows it, or null for an unknown name
     */
    String config(String name);

    /** Sets a setting's startup value (as a {@code redis.conf} line would). */
    void initialConfig(String name, String value);

    /**
     * Registers the check-and-apply step for the settings whose names start with {@code prefix}
     * (Redis's apply functions; the RESP server's TLS settings use {@code "tls-"}): a CONFIG SET
     * that changes one of them first calls {@code applier} with every setting of the group as it
     * would be after the call; an {@link IllegalArgumentException} fails the CONFIG SET with its
     * message and nothing changes.
     */
    void configApplier(String prefix, java.util.function.Consumer<java.util.Map<String, String>> applier);

    /**
     * Makes CONFIG SET of {@code name} (e.g. {@code port}, {@code bind}) call {@code apply} with the
     * new value once it is stored, when it changed (Redis's apply functions). An
     * {@link IllegalArgumentException} from {@code apply} rolls the whole CONFIG SET back and fails
     * it with {@code CONFIG SET failed (possibly related to argument '<name>') - <its message>}.
     */
    default void onConfigApply(String name, java.util.function.Consumer<String> apply) {
        throw new UnsupportedOperationException("onConfigApply");
    }

    /** Names the configuration file the server started with (CONFIG REWRITE, INFO {@code config_file}). */
    default void configFile(java.nio.file.Path file) {
    }

    /** @return the number of open connections */
    int connectedClients();
}
