package io.redjar.resp;

import io.redjar.internal.Internals;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.redjar.Reply;
import io.redjar.internal.command.CommandFlag;
import io.redjar.internal.command.CommandSpec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One connection: runs decoded commands through its {@link io.redjar.Session} and writes the
 * replies, in order, batched per read (pipelining). Only the commands that are about the
 * connection itself are handled here (HELLO, AUTH, CLIENT, RESET, QUIT, MONITOR); everything
 * else is the core's business. The core has table rows for these too (COMMAND lists them; embedded
 * sessions run them); here they are counted through {@code Dispatcher.account}.
 *
 * <p><b>Thread-safety:</b> one instance per channel, confined to its event loop.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {
    private final RedJarServer server;
    private ClientState client;
    private ByteBuf pending;
    private boolean closing;
    /** A blocking command's pending reply: while set, later commands wait in {@link #queued}. */
    private java.util.concurrent.CompletableFuture<Reply> blocked;
    private final java.util.ArrayDeque<Object> queued = new java.util.ArrayDeque<>();

    ConnectionHandler(RedJarServer server) {
        this.server = server;
    }

    boolean authRequired() {
        return server.requirepass() != null && (client == null || !client.authenticated);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (server.deniedByProtectedMode(ctx.channel().remoteAddress())) {
            closing = true;
            ctx.writeAndFlush(ctx.alloc().buffer().writeBytes(RedJarServer.DENIED.getBytes(StandardCharsets.US_ASCII)))
                .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        client = server.register(ctx.channel());
        if (client == null) {
            closing = true;
            ctx.writeAndFlush(ctx.alloc().buffer().writeBytes("-ERR max number of clients reached\r\n".getBytes(StandardCharsets.US_ASCII)))
                .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (blocked != null) {
            blocked.cancel(false); // unblocks the command: it will take no element
            blocked = null;
        }
        queued.clear();
        if (client != null) {
            server.unregister(client);
        }
        if (pending != null) {
            pending.release();
            pending = null;
        }
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing) {
            return;
        }
        if (blocked != null) {
            // pipelined behind a blocked command: replies must stay in order
            queued.addLast(msg);
            return;
        }
        process(ctx, msg);
    }

    private void process(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof RespDecoder.QueryBufferLimit) {
            closing = true;
            ctx.close(); // Redis closes such a client without a reply
            return;
        }
        if (msg instanceof RespDecoder.ProtocolError e) {
            reply(ctx, Reply.error("ERR " + e.message()), true);
            closeAfterFlush(ctx);
            return;
        }
        byte[][] argv = (byte[][]) msg;
        client.lastInteractionMillis = System.currentTimeMillis();
        Reply r;
        try {
            r = execute(ctx, argv);
        } catch (RuntimeException ex) {
            r = Reply.error("ERR " + ex);
        }
        if (r != null) {
            reply(ctx, r, false);
        }
    }

    /**
     * A blocking command is waiting: stop reading (the socket's backlog stays in the kernel),
     * flush what is already answered, and resume when its reply arrives.
     */
    private void waitFor(ChannelHandlerContext ctx, java.util.concurrent.CompletableFuture<Reply> f) {
        blocked = f;
        ctx.channel().config().setAutoRead(false);
        flush(ctx);
        f.whenComplete((r, ex) -> ctx.executor().execute(() -> {
            if (blocked != f || closing) {
                return;
            }
            blocked = null;
            if (r != null) {
                reply(ctx, r, false);
            }
            while (blocked == null && !closing && !queued.isEmpty()) {
                process(ctx, queued.pollFirst());
            }
            flush(ctx);
            if (blocked == null && !closing) {
                ctx.channel().config().setAutoRead(true);
                ctx.read();
            }
        }));
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flush(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private void flush(ChannelHandlerContext ctx) {
        if (pending != null && pending.isReadable()) {
            ByteBuf b = pending;
            pending = null;
            ctx.writeAndFlush(b);
        }
    }

    private void closeAfterFlush(ChannelHandlerContext ctx) {
        closing = true;
        ByteBuf b = pending != null ? pending : ctx.alloc().buffer(0);
        pending = null;
        ctx.writeAndFlush(b).addListener(ChannelFutureListener.CLOSE);
    }

    private void reply(ChannelHandlerContext ctx, Reply r, boolean force) {
        if (!force) {
            if (client.skipNext) {
                client.skipNext = false;
                return;
            }
            if (client.replyMode == ClientState.ReplyMode.OFF) {
                return;
            }
        }
        if (pending == null) {
            pending = ctx.alloc().ioBuffer(256);
        }
        RespEncoder.encode(r, client.session.protocol(), pending);
        if (pending.readableBytes() > 64 * 1024) {
            flush(ctx);
        }
    }

    private static String lower(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
    }

    /** Returned by {@link #connectionCommand} for commands that are not the connection layer's. */
    private static final Reply NOT_MINE = new Reply.SimpleString("not a connection command");

    private Reply execute(ChannelHandlerContext ctx, byte[][] argv) {
        String name = argv[0].length <= 8 ? lower(argv[0]) : "";
        if (name.equals("post") || name.equals("host:")) {
            // Redis 7.0's processCommand, before anything else (arity, AUTH, MULTI): an HTTP
            // request line or header, i.e. cross-protocol scripting. Log, drop this read's
            // unsent replies and close without a reply.
            server.securityWarning();
            closing = true;
            if (pending != null) {
                pending.release();
                pending = null;
            }
            ctx.close();
            return null;
        }
        client.lastCommand = name.equals("client") && argv.length > 1 && argv[1].length <= 16
            ? "client|" + lower(argv[1]) : (argv[0].length <= 32 ? lower(argv[0]) : "?");
        long start = System.nanoTime();
        Reply own = connectionCommand(ctx, name, argv);
        if (own != NOT_MINE) {
            // count it like the core's commands (INFO commandstats, SLOWLOG, MONITOR)
            Object spec = Internals.engine(server.store()).dispatcher().resolve(argv);
            if (spec instanceof CommandSpec s) {
                Internals.engine(server.store()).dispatcher().account(s, Internals.context(client.session), argv, System.nanoTime() - start, own);
            }
            return own;
        }
        if (authRequired()) {
            Object resolved = Internals.engine(server.store()).dispatcher().resolve(argv);
            if (resolved instanceof Reply err) {
                return err;
            }
            if (!((CommandSpec) resolved).has(CommandFlag.NO_AUTH)) {
                return noauth();
            }
        }
        java.util.concurrent.CompletableFuture<Reply> f = client.session.executeAsync(argv);
        if (f.isDone()) {
            return f.join();
        }
        waitFor(ctx, f);
        return null;
    }

    /** Runs HELLO, AUTH, QUIT, RESET, CLIENT and MONITOR here; anything else is {@link #NOT_MINE}. */
    private Reply connectionCommand(ChannelHandlerContext ctx, String name, byte[][] argv) {
        switch (name) {
            case "hello":
                return hello(argv);
            case "auth":
                if (argv.length < 2) {
                    return arity("auth");
                }
                return auth(argv);
            case "quit":
                reply(ctx, Reply.OK, true);
                closeAfterFlush(ctx);
                return null;
            case "reset":
                if (argv.length != 1) {
                    return arity("reset");
                }
                return reset();
            case "client":
                if (argv.length < 2) {
                    return arity("client");
                }
                if (authRequired()) {
                    return noauth();
                }
                return server.clientCommand(client, argv);
            case "monitor":
                if (argv.length != 1) {
                    return arity("monitor");
                }
                if (authRequired()) {
                    return noauth();
                }
                // attach first (a command answered after our +OK must be seen), then write the +OK
                // in this event-loop task: fed lines are queued as later tasks, so they follow it
                server.addMonitor(client);
                reply(ctx, Reply.OK, false);
                flush(ctx);
                return null;
            default:
                return NOT_MINE;
        }
    }

    private static Reply noauth() {
        return Reply.error("NOAUTH Authentication required.");
    }

    static Reply arity(String cmd) {
        return Reply.error("ERR wrong number of arguments for '" + cmd + "' command");
    }

    private Reply reset() {
        Internals.context(client.session).db(0);
        client.session.protocol(2);
        client.name = null;
        client.replyMode = ClientState.ReplyMode.ON;
        client.skipNext = false;
        client.noEvict = false;
        client.noTouch = false;
        client.authenticated = server.requirepass() == null;
        server.removeMonitor(client);
        return new Reply.SimpleString("RESET");
    }

    private Reply auth(byte[][] argv) {
        if (argv.length > 3) {
            return Reply.error("ERR syntax error");
        }
        String pass = new String(argv[argv.length - 1], StandardCharsets.UTF_8);
        String user = argv.length == 3 ? new String(argv[1], StandardCharsets.UTF_8) : "default";
        if (argv.length == 2 && server.requirepass() == null) {
            return Reply.error("ERR AUTH <password> called without any password configured for the default user. "
                + "Are you sure your configuration is correct?");
        }
        if (!checkPassword(user, pass)) {
            return wrongpass();
        }
        client.authenticated = true;
        return Reply.OK;
    }

    private boolean checkPassword(String user, String pass) {
        if (!user.equals("default")) {
            return false;
        }
        String required = server.requirepass();
        return required == null || java.security.MessageDigest.isEqual(
            required.getBytes(StandardCharsets.UTF_8), pass.getBytes(StandardCharsets.UTF_8));
    }

    private static Reply wrongpass() {
        return Reply.error("WRONGPASS invalid username-password pair or user is disabled.");
    }

    private Reply hello(byte[][] argv) {
        int ver = client.session.protocol();
        int i = 1;
        if (argv.length >= 2) {
            long v;
            try {
                v = Long.parseLong(new String(argv[1], StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                return Reply.error("ERR Protocol version is not an integer or out of range");
            }
            if (v < 2 || v > 3) {
                return Reply.error("NOPROTO unsupported protocol version");
            }
            ver = (int) v;
            i = 2;
        }
        String user = null;
        String pass = null;
        byte[] setname = null;
        for (; i < argv.length; i++) {
            int more = argv.length - i - 1;
            if (more >= 2 && lower(argv[i]).equals("auth")) {
                user = new String(argv[i + 1], StandardCharsets.UTF_8);
                pass = new String(argv[i + 2], StandardCharsets.UTF_8);
                i += 2;
            } else if (more >= 1 && lower(argv[i]).equals("setname")) {
                setname = argv[i + 1];
                i += 1;
            } else {
                return Reply.error("ERR Syntax error in HELLO option '" + new String(argv[i], StandardCharsets.UTF_8) + "'");
            }
        }
        if (user != null) {
            if (!checkPassword(user, pass)) {
                return wrongpass();
            }
            client.authenticated = true;
        }
        if (authRequired()) {
            return Reply.error("NOAUTH HELLO must be called with the client already authenticated, otherwise the "
                + "HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP "
                + "protocol version at the same time");
        }
        if (setname != null) {
            Reply err = ClientCommands.validateName(setname);
            if (err != null) {
                return err;
            }
            client.name = setname.length == 0 ? null : new String(setname, StandardCharsets.UTF_8);
        }
        client.session.protocol(ver);
        return io.redjar.internal.command.ConnectionCommands.helloReply(ver, client.id);
    }
}
