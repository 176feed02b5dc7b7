package io.redjar.internal.acl;

import io.redjar.internal.command.CommandSpec;

/**
 * Which arguments of a command are pub/sub channels for the ACL check (Redis's
 * {@code commands_with_channels}): SUBSCRIBE and SSUBSCRIBE (all arguments, channels),
 * PSUBSCRIBE (all arguments, patterns), PUBLISH and SPUBLISH (the first argument). The
 * unsubscribe commands are not checked, as in Redis.
 *
 * <p><b>Thread-safety:</b> stateless.
 */
final class ChannelArgs {
    static final int NONE = 0;
    static final int SUBSCRIBE = 1;
    static final int PATTERN = 2;
    static final int PUBLISH = 3;

    private ChannelArgs() {
    }

    static int kind(CommandSpec cmd) {
        return switch (cmd.fullName()) {
            case "subscribe", "ssubscribe" -> SUBSCRIBE;
            case "psubscribe" -> PATTERN;
            case "publish", "spublish" -> PUBLISH;
            default -> NONE;
        };
    }
}
