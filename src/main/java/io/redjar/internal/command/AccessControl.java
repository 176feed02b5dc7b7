package io.redjar.internal.command;

import io.redjar.Reply;
import io.redjar.internal.server.ClientState;
import io.redjar.internal.server.ClientUser;

/**
 * What the command layer asks of ACL (implemented by {@code io.redjar.internal.acl.AclGate}; the
 * command package does not depend on the ACL package): authentication for AUTH and HELLO, whether
 * new connections must authenticate, and the two checks outside the dispatcher's gate, at EXEC and
 * in scripts' {@code redis.call}.
 *
 * <p><b>Thread-safety:</b> implementations are thread-safe.
 */
public interface AccessControl {
    /** @return whether a new connection must authenticate (the default user is off or has passwords) */
    boolean defaultNeedsAuth();

    /** @return whether the default user is {@code nopass} */
    boolean defaultNopass();

    /** @return whether a user named {@code name} exists */
    boolean userExists(String name);

    /**
     * Checks credentials (Redis's {@code ACLAuthenticateUser}); a failure is logged in the ACL log.
     *
     * @param command the command as sent ({@code AUTH}, {@code HELLO}): the log entry's object
     * @return the user, or null
     */
    ClientUser authenticate(ClientState client, String name, byte[] password, String command, boolean inMulti);

    /** @return null if the queued command may still run at EXEC, else its error reply */
    Reply exec(ExecContext ctx, CommandSpec spec, byte[][] argv);

    /** @return whether {@code ctx}'s user may run the command (no log entry: redis.acl_check_cmd) */
    boolean allowed(ExecContext ctx, CommandSpec spec, byte[][] argv);

    /** @return null if the script's caller may run the command, else the {@code redis.call} error */
    Reply script(ExecContext caller, CommandSpec spec, byte[][] argv);
}
