package io.redjar.internal.server;

/**
 * The ACL user a client runs as, as the client registry sees it (the ACL package's user implements
 * it; the server package does not depend on ACL).
 *
 * <p><b>Thread-safety:</b> implementations are thread-safe.
 */
public interface ClientUser {
    /** @return the user name ({@code user=} of CLIENT LIST) */
    String name();
}
