package io.redjar.internal.command;

import io.redjar.RedJarException;
import io.redjar.Reply;

import java.nio.charset.StandardCharsets;

/**
 * The one place every textual command passes: table lookup, subcommand lookup, arity check, then
 * the handler; a {@link RedJarException} becomes an error reply with Redis's text. Typed handles
 * skip it and call the type operations directly.
 *
 * <p><b>Thread-safety:</b> thread-safe; all state is in the immutable table and the caller's
 * context.
 */
public final class Dispatcher {
    private final CommandTable table;

    public Dispatcher(CommandTable table) {
        this.table = table;
    }

    public CommandTable table() {
        return table;
    }

    /**
     * @return the spec {@code argv} resolves to (a subcommand for container commands), or an error
     *         reply if it is unknown or has the wrong number of arguments
     */
    public Object resolve(byte[][] argv) {
        if (argv.length == 0) {
            return Reply.error("ERR empty command");
        }
        CommandSpec spec = table.lookup(argv[0]);
        if (spec == null) {
            return unknownCommand(argv);
        }
        if (!spec.subcommands().isEmpty() && argv.length >= 2) {
            CommandSpec sub = spec.subcommands().get(new String(argv[1], StandardCharsets.UTF_8).toLowerCase(java.util.Locale.ROOT));
            if (sub == null) {
                return Reply.error(sanitize("ERR unknown subcommand '" + truncate(argv[1]) + "'. Try "
                    + new String(argv[0], StandardCharsets.UTF_8).toUpperCase(java.util.Locale.ROOT) + " HELP."));
            }
            spec = sub;
        }
        if (!spec.arityOk(argv.length)) {
            return Reply.error("ERR wrong number of arguments for '" + spec.fullName() + "' command");
        }
        return spec;
    }

    /** Runs {@code argv} in {@code ctx}. */
    public Reply dispatch(ExecContext ctx, byte[][] argv) {
        Object r = resolve(argv);
        if (r instanceof Reply reply) {
            return reply;
        }
        return run((CommandSpec) r, ctx, argv);
    }

    /** Runs a resolved command. */
    public Reply run(CommandSpec spec, ExecContext ctx, byte[][] argv) {
        try {
            return spec.handler().handle(ctx, argv);
        } catch (RedJarException e) {
            return e.toReply();
        }
    }

    private static Reply unknownCommand(byte[][] argv) {
        StringBuilder args = new StringBuilder();
        for (int i = 1; i < argv.length && args.length() < 128; i++) {
            String a = new String(argv[i], StandardCharsets.UTF_8);
            int room = 128 - args.length();
            args.append('\'').append(a, 0, Math.min(a.length(), room)).append("' ");
        }
        return Reply.error(sanitize("ERR unknown command '" + truncate(argv[0]) + "', with args beginning with: " + args));
    }

    private static String truncate(byte[] b) {
        String s = new String(b, StandardCharsets.UTF_8);
        return s.length() > 128 ? s.substring(0, 128) : s;
    }

    /** Redis replaces CR and LF in error messages with spaces. */
    private static String sanitize(String s) {
        return s.replace('\r', ' ').replace('\n', ' ');
    }
}
