package io.redjar.internal.acl;

/**
 * A rule that ACL SETUSER (or an ACL file line) cannot apply; the message is Redis's reason
 * ({@code ACLSetUserStringError}), e.g. {@code "Syntax error"}.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
final class AclRuleException extends Exception {
    static final String UNKNOWN = "Unknown command or category name in ACL";
    static final String SYNTAX = "Syntax error";
    static final String KEYS_AFTER_ALL = "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and "
        + "does not have any effect. Try 'resetkeys' to start with an empty list of patterns";
    static final String CHANNELS_AFTER_ALL = "Adding a pattern after the * pattern (or the 'allchannels' flag) is not "
        + "valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels";
    static final String NO_SUCH_PASSWORD = "The password you are trying to remove from the user does not exist";
    static final String BAD_HASH = "The password hash must be exactly 64 characters and contain only lowercase "
        + "hexadecimal characters";
    static final String FIRSTARG_OF_SUB = "Allowing first-arg of a subcommand is not supported";

    /** Whether the rule names an unknown command or category (an ACL file tolerates it while validating). */
    final boolean unknownName;

    AclRuleException(String reason) {
        super(reason, null, false, false);
        this.unknownName = reason.equals(UNKNOWN);
    }
}
