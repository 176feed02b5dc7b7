package io.redjar.internal.command;

import io.redjar.internal.server.ServerConfig;
import io.redjar.internal.server.ServerState;
import io.redjar.internal.server.CommandStats;
import io.redjar.RedJarException;
import io.redjar.Reply;

import java.nio.charset.StandardCharsets;

/**
 * The one place every textual command passes: table lookup, subcommand lookup, arity check, then
 * the handler; a {@link RedJarException} becomes an error reply with Redis's text. Typed handles
 * skip it and call the type operations directly.
 *
 * <p>Every run is counted ({@link CommandStats}: two {@code nanoTime} calls and a few
 * {@code LongAdder} increments, no allocation unless the command is slow or fails) and offered to
 * the slow log and, if one is set, the {@link CommandListener}.
 *
 * <p><b>Thread-safety:</b> thread-safe; the table is immutable, the counters are concurrent and
 * the rest is the caller's context.
 */
public final class Dispatcher {
    private final CommandTable table;
    private final ServerState server;
    private volatile CommandListener listener;
    private io.redjar.internal.blocking.BlockingRegistry blocking;

    public Dispatcher(CommandTable table) {
        this(table, new ServerState());
    }

    public Dispatcher(CommandTable table, ServerState server) {
        this.table = table;
        this.server = server;
    }

    /** Sets the registry whose ready keys are served after every command (the engine does). */
    public void blocking(io.redjar.internal.blocking.BlockingRegistry registry) {
        this.blocking = registry;
    }

    /** @return the settings, counters and slow log the dispatcher feeds */
    public ServerState server() {
        return server;
    }

    /** Sets (or with null removes) the feed of executed commands (MONITOR). */
    public void listener(CommandListener l) {
        this.listener = l;
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
            rejected(argv, reply);
            return reply;
        }
        return run((CommandSpec) r, ctx, argv);
    }

    /** Runs a resolved command, counting it (INFO commandstats), logging it if slow, feeding MONITOR. */
    public Reply run(CommandSpec spec, ExecContext ctx, byte[][] argv) {
        long start = System.nanoTime();
        Reply reply;
        try {
            reply = spec.handler().handle(ctx, argv);
        } catch (RedJarException e) {
            reply = e.toReply();
        }
        account(spec, ctx, argv, System.nanoTime() - start, reply);
        if (blocking != null && blocking.hasReady()) {
            // the command is complete: now clients blocked on keys it created may be served
            blocking.serveReady();
        }
        return reply;
    }

    /**
     * Counts one executed command: calls and time, a failed call and its error code, the slow log
     * and the MONITOR feed. The RESP module calls this for the connection commands it runs itself.
     */
    public void account(CommandSpec spec, ExecContext ctx, byte[][] argv, long nanos, Reply reply) {
        CommandStats st = spec.stats();
        st.recordCall(nanos);
        if (reply instanceof Reply.ErrorReply e) {
            st.recordFailed();
            server.countError(e);
        }
        if (spec.has(CommandFlag.NO_AUTH)) {
            // AUTH / HELLO ... AUTH carry passwords: kept out of the slow log and MONITOR
            // (Redis redacts the arguments instead)
            return;
        }
        ServerConfig cfg = server.config();
        long threshold = cfg.slowlogLogSlowerThan();
        long micros = nanos / 1000;
        if (threshold >= 0 && micros >= threshold && !spec.has(CommandFlag.SKIP_SLOWLOG)) {
            server.slowlog().push(argv, micros, System.currentTimeMillis() / 1000, ctx.client(), cfg.slowlogMaxLen());
        }
        CommandListener l = listener;
        if (l != null && !spec.has(CommandFlag.ADMIN) && !spec.has(CommandFlag.SKIP_MONITOR)) {
            java.time.Instant now = java.time.Instant.now();
            l.executed(ctx, argv, now.getEpochSecond() * 1_000_000 + now.getNano() / 1000);
        }
    }

    /** Counts a command refused before running: its error code, and a rejected call if it is known. */
    private void rejected(byte[][] argv, Reply reply) {
        if (!(reply instanceof Reply.ErrorReply e)) {
            return;
        }
        server.countError(e);
        if (argv.length > 0) {
            CommandSpec spec = table.lookup(argv[0]);
            if (spec != null && !spec.subcommands().isEmpty() && argv.length >= 2) {
                CommandSpec sub = spec.subcommands().get(new String(argv[1], StandardCharsets.UTF_8).toLowerCase(java.util.Locale.ROOT));
                spec = sub == null ? spec : sub;
            }
            if (spec != null) {
                spec.stats().recordRejected();
            }
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
