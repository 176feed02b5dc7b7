package io.redjar.internal;

import io.redjar.ErrorPrefix;
import io.redjar.Reply;
import io.redjar.internal.blocking.Waiter;
import io.redjar.internal.command.CommandFlag;
import io.redjar.internal.command.CommandSpec;
import io.redjar.internal.command.Dispatcher;
import io.redjar.internal.command.ExecContext;
import io.redjar.internal.server.ClientState;
import io.redjar.internal.server.ServerConfig;
import io.redjar.internal.server.ServerHooks;
import io.redjar.spi.Connection;
import io.redjar.spi.FrontEnd;
import io.redjar.spi.Peer;
import io.redjar.spi.Result;
import io.redjar.spi.Transport;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * The engine's side of {@link FrontEnd}: network connections as {@link ClientState}s in the
 * engine's client registry, each with its own {@link ExecContext}; every command, connection
 * commands included, goes through the dispatcher, behind the authentication gate (Redis 7.0's
 * order: unknown command and arity errors first, then {@code NOAUTH} for commands without the
 * {@code no-auth} flag). Reply suppression (CLIENT REPLY) is applied here, after the command ran.
 *
 * <p><b>Thread-safety:</b> the front end is thread-safe; each {@link Connection} is confined to
 * its connection's thread.
 */
final class EngineFrontEnd implements FrontEnd {
    private static final Reply NOAUTH = Reply.error(ErrorPrefix.NOAUTH, "Authentication required.");

    private final Engine engine;
    private volatile Transport transport;

    EngineFrontEnd(Engine engine) {
        this.engine = engine;
    }

    private ServerConfig config() {
        return engine.server().config();
    }

    @Override
    public Connection connect(Peer peer) {
        ClientState cs = engine.clients().connect(peer, !engine.access().defaultNeedsAuth());
        if (cs == null) {
            return null;
        }
        ExecContext ctx = new ExecContext(engine, 0);
        ctx.client(cs);
        return new NetworkConnection(cs, ctx);
    }

    @Override
    public synchronized void attach(Transport t) {
        this.transport = t;
        engine.server().hooks(new ServerHooks() {
            @Override
            public int tcpPort() {
                return t.port();
            }

            @Override
            public int connectedClients() {
                return engine.clients().connectedClients();
            }

            @Override
            public long totalConnectionsReceived() {
                return engine.clients().totalConnectionsReceived();
            }

            @Override
            public long rejectedConnections() {
                return engine.clients().rejectedConnections();
            }

            @Override
            public String multiplexingApi() {
                return t.multiplexingApi();
            }

            @Override
            public boolean shutdown() {
                return t.shutdown();
            }
        });
    }

    @Override
    public synchronized void detach(Transport t) {
        if (transport == t) {
            // the server is stopping (SHUTDOWN, SIGTERM, close): a running script, even one that
            // wrote, stops too, else it would keep every shard lock and the shutdown would wait forever
            engine.killScriptForShutdown();
            transport = null;
            engine.server().hooks(null);
            engine.monitors().clear();
        }
    }

    @Override
    public String config(String name) {
        return config().get(name);
    }

    @Override
    public void configFile(java.nio.file.Path file) {
        config().configFile(file);
    }

    @Override
    public void onConfigApply(String name, java.util.function.Consumer<String> apply) {
        config().onApply(name, apply);
    }

    @Override
    public void initialConfig(String name, String value) {
        config().initial(name, value);
    }

    @Override
    public void configApplier(String prefix, java.util.function.Consumer<java.util.Map<String, String>> applier) {
        config().applier(prefix, applier);
    }

    @Override
    public int connectedClients() {
        return engine.clients().connectedClients();
    }

    /** The {@code cmd=} of CLIENT LIST: the command, or {@code container|subcommand}, lower case. */
    private static String commandName(byte[][] argv) {
        if (argv.length == 0) {
            return "NULL";
        }
        if (argv[0].length > 32) {
            return "?";
        }
        String name = new String(argv[0], StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        if (name.equals("client") && argv.length > 1 && argv[1].length <= 16) {
            return "client|" + new String(argv[1], StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        }
        return name;
    }

    private final class NetworkConnection implements Connection {
        private final ClientState client;
        private final ExecContext ctx;
        private volatile Waiter<Reply> blocked;
        private boolean gone;

        NetworkConnection(ClientState client, ExecContext ctx) {
            this.client = client;
            this.ctx = ctx;
        }

        @Override
        public long id() {
            return client.id();
        }

        @Override
        public int protocol() {
            return ctx.protocol();
        }

        @Override
        public boolean authRequired() {
            return !client.authenticated() && engine.access().defaultNeedsAuth();
        }

        @Override
        public Result execute(byte[][] argv) {
            // scripts run on the script thread; while one runs, commands are parked or answered
            // BUSY instead of waiting here, on the event loop, for its locks
            io.redjar.internal.script.ScriptThread st = engine.scriptThread();
            Object resolved = engine.dispatcher().resolve(argv);
            CommandSpec spec = resolved instanceof CommandSpec s ? s : null;
            if (spec != null && !authRequired() && spec.fullName().startsWith("debug") && !debugAllowed()) {
                // Redis 7.0's protected command check (enable-debug-command: no, yes, local)
                return Result.reply(engine.dispatcher().callPath().reject(spec, ctx, Reply.error(ErrorPrefix.ERR,
                    "DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it from a "
                        + "local connection, otherwise you need to set this option in the configuration file, and then restart the server.")));
            }
            if (spec != null && engine.pause().active() && !authRequired()
                && io.redjar.internal.command.PauseRules.holds(engine.pause().type(), spec, argv, ctx)) {
                // Redis's BLOCKED_POSTPONE: held, not refused; submitted again once the pause eases
                client.postponed(true);
                CompletableFuture<Void> until = engine.pause().postpone();
                until.whenComplete((x, ex) -> client.postponed(false));
                return Result.postponed(until);
            }
            io.redjar.internal.command.TxState tx = ctx.txIfAny();
            boolean offload = !authRequired() && (tx == null || !tx.inMulti()
                ? io.redjar.internal.script.ScriptThread.offloads(spec)
                : spec != null && spec.fullName().equals("exec") && queuesScript(tx));
            CompletableFuture<Reply> pending = st.admit(spec, offload, () -> pending(executeNow(argv)));
            if (pending == null) {
                try {
                    return executeDeferringDurability(argv);
                } finally {
                    st.exit();
                }
            }
            // a BUSY refusal is a rejected command (Redis's rejectCommand): counted, and inside
            // MULTI it fails the transaction (a refused EXEC discards it). The connection waits
            // for this future, so touching its transaction state here is safe.
            CompletableFuture<Reply> replied = pending.thenApply(r -> {
                if (io.redjar.internal.script.ScriptThread.isBusyRefusal(r) && spec != null) {
                    return engine.dispatcher().callPath().reject(spec, ctx, (Reply.ErrorReply) r);
                }
                return r;
            });
            if (!engine.tracking().active()) {
                return Result.later(replied);
            }
            // client tracking: own invalidations made on the script thread follow the reply
            CompletableFuture<Reply> out = new CompletableFuture<>();
            replied.whenComplete((r, ex) -> {
                if (ex != null) {
                    out.completeExceptionally(ex);
                } else {
                    out.complete(r);
                }
                java.util.List<Reply> frames = afterLater;
                afterLater = null;
                Peer p = client.peer();
                if (frames != null && p != null) {
                    for (Reply f : frames) {
                        p.send(io.redjar.internal.tracking.PushEncoding.encode(f));
                    }
                }
            });
            return Result.later(out);
        }

        /** Redis's {@code allowProtectedAction} for {@code enable-debug-command}; embedded callers are always allowed. */
        private boolean debugAllowed() {
            String mode = config().get("enable-debug-command");
            if ("yes".equals(mode)) {
                return true;
            }
            if (!"local".equals(mode)) {
                return false;
            }
            Peer p = client.peer();
            String addr = p == null ? "" : p.address();
            return addr.startsWith("127.") || addr.startsWith("0:0:0:0:0:0:0:1") || addr.startsWith("::1") || addr.startsWith("[::1]");
        }

        /** @return whether EXEC would run a script (then EXEC itself runs on the script thread) */
        private boolean queuesScript(io.redjar.internal.command.TxState tx) {
            for (int i = 0; i < tx.queued(); i++) {
                if (io.redjar.internal.script.ScriptThread.offloads(tx.spec(i))) {
                    return true;
                }
            }
            return false;
        }

        /** @return the reply {@code r} asks for, as a future (null: none) */
        private CompletableFuture<Reply> pending(Result r) {
            if (r.later() != null) {
                return r.later();
            }
            if (r.replies().size() > 1 && !r.close()) {
                // a reply followed by invalidation pushes of this client's own keys: the pushes
                // are written once the reply is handed over (see execute)
                afterLater = new java.util.ArrayList<>(r.replies().subList(1, r.replies().size()));
            }
            return CompletableFuture.completedFuture(r.reply());
        }

        /** Push frames to write after the reply of a command run on the script thread. */
        private volatile java.util.List<Reply> afterLater;

        /**
         * {@link #executeNow} on the event loop without waiting there for the call's effects to be
         * durable (under {@code appendfsync always}): the bus's delivery thread writes and syncs
         * them with everything else published meanwhile (group commit) while this loop serves
         * other connections; the reply is sent once they are durable, or Redis's MISCONF error
         * instead if that round failed. The connection sends nothing else before it (the front
         * end holds later replies back), so its reply order is kept.
         */
        private Result executeDeferringDurability(byte[][] argv) {
            io.redjar.internal.propagation.PropagationBus bus = engine.keyspace().propagation();
            if (bus.consumers() == 0) {
                return executeNow(argv); // nothing propagates (one registered meanwhile: delivered here)
            }
            Result res;
            long offset;
            bus.deferDelivery(true);
            try {
                res = executeNow(argv);
            } finally {
                bus.deferDelivery(false);
                offset = bus.takeDeferred();
            }
            if (offset == 0) {
                return res;
            }
            CompletableFuture<String> durable = bus.whenDurable(offset);
            if (res.later() == null && !res.close() && res.replies().size() <= 1) {
                Reply r = res.reply();
                return Result.later(durable.thenApply(why -> why == null || r == null ? r : Reply.error(why)));
            }
            // rarer shapes (several frames, close after, a blocked call that also wrote): wait here
            String why = durable.join();
            return why == null || res.later() != null || res.close() ? res : Result.reply(Reply.error(why));
        }

        /**
         * {@link #executeCore} inside client tracking's scope when any client tracks: the
         * table limit is enforced before the command, this client is the thread's running client
         * (its own invalidations wait for its reply), and after it the held-back invalidations and
         * the BCAST batches are sent, this client's own ones after its reply.
         */
        private Result executeNow(byte[][] argv) {
            io.redjar.internal.tracking.TrackingTable tr = engine.tracking();
            if (!tr.active()) {
                return executeCore(argv);
            }
            java.util.List<Reply> own = new java.util.ArrayList<>(0);
            Result res;
            // set before the command can block: a client serving it on another thread must see it
            boolean mark = client.tracking().on();
            if (mark) {
                client.tracking().awaitingReply(true);
            }
            tr.enter(client);
            try {
                tr.limit();
                res = executeCore(argv);
                tr.afterCommand(client, own);
            } finally {
                tr.exit();
                if (mark && blocked == null) {
                    client.tracking().awaitingReply(false);
                }
            }
            io.redjar.internal.command.TxState tx = ctx.txIfAny();
            if ((tx == null || !tx.inMulti()) && !(argv.length > 0 && new String(argv[0], StandardCharsets.ISO_8859_1).equalsIgnoreCase("client"))) {
                client.tracking().caching(false); // CLIENT CACHING lasts one command (or transaction)
            }
            return own.isEmpty() ? res : withFrames(res, own);
        }

        /** {@code res} followed by push frames for this connection (invalidations of its own keys). */
        private Result withFrames(Result res, java.util.List<Reply> frames) {
            if (res.close()) {
                return res;
            }
            if (res.later() != null) {
                // the reply goes first: complete, then queue the frames behind it
                CompletableFuture<Reply> out = new CompletableFuture<>();
                res.later().whenComplete((r, ex) -> {
                    if (ex != null) {
                        out.completeExceptionally(ex);
                        return;
                    }
                    out.complete(r);
                    Peer p = client.peer();
                    if (p != null) {
                        for (Reply f : frames) {
                            p.send(io.redjar.internal.tracking.PushEncoding.encode(f));
                        }
                    }
                });
                return Result.later(out);
            }
            java.util.List<Reply> all = new java.util.ArrayList<>(res.replies());
            all.addAll(frames);
            return Result.replies(all);
        }

        private Result executeCore(byte[][] argv) {
            client.touched(commandName(argv));
            client.queryBuffer().read(io.redjar.internal.command.ClientCommands.respLength(argv));
            long startNanos = System.nanoTime();
            Dispatcher d = engine.dispatcher();
            Reply r;
            if (authRequired()) {
                Object resolved = d.resolve(argv);
                if (resolved instanceof Reply) {
                    r = d.dispatch(ctx, argv); // the unknown-command or arity error, counted
                } else if (!((CommandSpec) resolved).has(CommandFlag.NO_AUTH)) {
                    r = NOAUTH;
                } else {
                    r = d.run((CommandSpec) resolved, ctx, argv);
                }
            } else {
                r = d.dispatch(ctx, argv);
            }
            Waiter<Reply> w = ctx.takeBlocked();
            long callMicros = w == null ? 0 : (System.nanoTime() - startNanos) / 1000;
            int after = ctx.takeAfter();
            java.util.List<Reply> frames = ctx.takeFrames();
            if (after == ExecContext.AFTER_CLOSE) {
                return Result.replyAndClose(r);
            }
            boolean suppressed = client.takeSuppressed();
            if (w != null) {
                blocked = w;
                java.util.function.Predicate<Reply> unblocker = reply -> engine.blocking().cancel(w, reply == null ? w.timeoutReply() : reply);
                client.unblocker(unblocker);
                client.tracking().awaitingReply(true);
                CompletableFuture<Reply> f = w.future().thenApply(x -> suppressed ? null : x);
                f.whenComplete((x, ex) -> {
                    client.clearUnblocker(unblocker);
                    client.tracking().awaitingReply(false);
                    if (blocked == w) {
                        blocked = null;
                    }
                });
                w.future().thenAccept(x -> {
                    // Redis's updateStatsOnUnblock: the command goes to the slow log now, under
                    // its original arguments (not as the LPOP it is replicated as), timed as its
                    // first call (the wait is not the command's time)
                    ServerConfig cfg = config();
                    long threshold = cfg.slowlogLogSlowerThan();
                    if (threshold >= 0 && callMicros >= threshold) {
                        engine.server().slowlog().push(argv, callMicros, System.currentTimeMillis() / 1000, client,
                            cfg.slowlogMaxLen());
                    }
                    // a blocked command that ends in an error (a destroyed consumer group, a
                    // deleted stream) counts as failed, in errorstats
                    if (x instanceof Reply.ErrorReply e) {
                        engine.server().countError(e);
                        Object spec = d.resolve(argv);
                        if (spec instanceof CommandSpec cs) {
                            cs.stats().recordFailed();
                        }
                    }
                });
                return Result.later(f);
            }
            if (frames != null) {
                return Result.replies(frames); // pushes: sent even under CLIENT REPLY OFF, as in Redis
            }
            if (r == null) {
                return Result.none(); // SHUTDOWN: answered by the connection closing
            }
            if (suppressed && !(r instanceof Reply.Push)) {
                return Result.none();
            }
            return after == ExecContext.AFTER_FLUSH ? Result.replyAndFlush(r) : Result.reply(r);
        }

        @Override
        public void disconnected() {
            if (gone) {
                return;
            }
            gone = true;
            Waiter<Reply> w = blocked;
            if (w != null) {
                blocked = null;
                engine.blocking().cancel(w); // unblocks the command: it takes no element
            }
            io.redjar.internal.command.TxState tx = ctx.txIfAny();
            if (tx != null) {
                tx.discard(); // forget its WATCHed keys
            }
            engine.monitors().remove(client);
            client.tracking().disable(client);
            engine.pubsub().leaveAll(client);
            engine.clients().disconnect(client);
        }
    }
}
