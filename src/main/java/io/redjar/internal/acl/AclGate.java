package io.redjar.internal.acl;

import io.redjar.ErrorPrefix;
import io.redjar.Reply;
import io.redjar.internal.command.CallGate;
import io.redjar.internal.command.CommandSpec;
import io.redjar.internal.command.ExecContext;
import io.redjar.internal.command.TxState;
import io.redjar.internal.server.ClientState;

/**
 * The ACL check of every call ({@link CallGate.Slot#ACL}; Redis's {@code ACLCheckAllPerm} in
 * {@code processCommand}), and the two other places Redis checks: a script's
 * {@code redis.call} ({@link #script}, as the caller's user) and each queued command at EXEC
 * ({@link #exec}, for rules changed after queueing). Refusals are logged in the ACL log with their
 * context (toplevel, multi, lua).
 *
 * <p>Who is checked: the client's user (the default user until AUTH). Typed calls of the embedded
 * API have no client and are not checked (like Redis's internal clients); scripts' calls are
 * checked by {@link #script}, not here.
 *
 * <p><b>Cost:</b> while {@link Acl#open()} (only unrestricted users), one volatile read.
 *
 * <p><b>Thread-safety:</b> thread-safe; stateless apart from the {@link Acl}.
 */
public final class AclGate implements CallGate, io.redjar.internal.command.AccessControl {
    private final Acl acl;

    public AclGate(Acl acl) {
        this.acl = acl;
    }

    @Override
    public Reply check(CommandSpec spec, ExecContext ctx, int db, byte[][] argv) {
        if (acl.open() || ctx == null || ctx.fromScript()) {
            return null;
        }
        ClientState c = ctx.client();
        User u = acl.userOf(c);
        if (u.unrestricted()) {
            return null;
        }
        TxState tx = ctx.txIfAny();
        boolean multi = tx != null && tx.inMulti() && !tx.executing();
        UserRules.Verdict v = acl.checkAndLog(u, c, spec, argv, multi ? AclLog.Context.MULTI : AclLog.Context.TOPLEVEL);
        if (v == null) {
            return null;
        }
        return switch (v.reason()) {
            case UserRules.DENIED_CMD -> Reply.error(ErrorPrefix.NOPERM,
                "this user has no permissions to run the '" + spec.fullName() + "' command");
            case UserRules.DENIED_KEY -> Reply.error(ErrorPrefix.NOPERM,
                "this user has no permissions to access one of the keys used as arguments");
            default -> Reply.error(ErrorPrefix.NOPERM,
                "this user has no permissions to access one of the channels used as arguments");
        };
    }

    /**
     * A script's {@code redis.call}: the caller's user may run it (Redis's {@code scriptVerifyACL}).
     *
     * @return null, or the error the call gets
     */
    @Override
    public Reply script(ExecContext caller, CommandSpec spec, byte[][] argv) {
        if (acl.open()) {
            return null;
        }
        ClientState c = caller.client();
        User u = acl.userOf(c);
        if (u.unrestricted()) {
            return null;
        }
        UserRules.Verdict v = acl.checkAndLog(u, c, spec, argv, AclLog.Context.LUA);
        return v == null ? null : Reply.error("ERR The user executing the script " + message(v.reason()));
    }

    /**
     * A queued command at EXEC: still allowed (Redis's check in {@code execCommand})?
     *
     * @return null, or the error that command's reply becomes
     */
    @Override
    public Reply exec(ExecContext ctx, CommandSpec spec, byte[][] argv) {
        if (acl.open()) {
            return null;
        }
        ClientState c = ctx.client();
        User u = acl.userOf(c);
        if (u.unrestricted()) {
            return null;
        }
        UserRules.Verdict v = acl.checkAndLog(u, c, spec, argv, AclLog.Context.MULTI);
        if (v == null) {
            return null;
        }
        String reason = switch (v.reason()) {
            case UserRules.DENIED_CMD -> "no permission to execute the command or subcommand";
            case UserRules.DENIED_KEY -> "no permission to touch the specified keys";
            default -> "no permission to access one of the channels used as arguments";
        };
        return Reply.error(ErrorPrefix.NOPERM, "ACLs rules changed between the moment the transaction was accumulated "
            + "and the EXEC call. This command is no longer allowed for the following reason: " + reason);
    }

    @Override
    public boolean allowed(ExecContext ctx, CommandSpec spec, byte[][] argv) {
        if (acl.open()) {
            return true;
        }
        return acl.check(acl.userOf(ctx.client()), spec, argv).reason() == UserRules.OK;
    }

    @Override
    public boolean defaultNeedsAuth() {
        return acl.defaultNeedsAuth();
    }

    @Override
    public boolean defaultNopass() {
        return acl.defaultNopass();
    }

    @Override
    public boolean userExists(String name) {
        return acl.user(name) != null;
    }

    @Override
    public io.redjar.internal.server.ClientUser authenticate(ClientState client, String name, byte[] password,
                                                            String command, boolean inMulti) {
        User u = acl.authenticate(name, password);
        if (u == null) {
            acl.logAuthFailure(client, name, command, inMulti);
        }
        return u;
    }

    /** Redis's {@code getAclErrorMessage}. */
    static String message(int reason) {
        return switch (reason) {
            case UserRules.DENIED_CMD -> "can't run this command or subcommand";
            case UserRules.DENIED_KEY -> "can't access at least one of the keys mentioned in the command arguments";
            case UserRules.DENIED_CHANNEL -> "can't publish to the channel mentioned in the command";
            default -> "lacking the permissions for the command";
        };
    }
}
