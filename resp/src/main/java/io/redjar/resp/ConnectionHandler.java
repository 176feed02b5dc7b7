package io.redjar.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.redjar.ErrorPrefix;
import io.redjar.Reply;
import io.redjar.spi.Connection;
import io.redjar.spi.Peer;
import io.redjar.spi.Result;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One connection: hands decoded commands to its {@link Connection} (the core's side of the
 * client, through {@code io.redjar.spi}) and writes the results, in order, batched per read
 * (pipelining). Every command, the connection commands included, is the core's business; this
 * class only keeps transport state: the pending output, a blocked command's place in the
 * pipeline, closing. It is also the connection's {@link Peer} (addresses, MONITOR lines,
 * CLIENT KILL).
 *
 * <p><b>Thread-safety:</b> one instance per channel, confined to its event loop, except the
 * {@link Peer} methods, which any thread may call.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter implements Peer {
    private final RedJarServer server;
    private volatile Channel channel;
    private Connection conn;
    private ByteBuf pending;
    private boolean closing;
    /** A blocking command's pending reply: while set, later commands wait in {@link #queued}. */
    private java.util.concurrent.CompletableFuture<Reply> blocked;
    private final java.util.ArrayDeque<Object> queued = new java.util.ArrayDeque<>();
    /** True while this connection runs a command: what it sends itself joins its replies. */
    private boolean executing;
    /** Bytes given to {@link #send} and not yet written to the socket (pub/sub output limit). */
    private final java.util.concurrent.atomic.AtomicLong sentPending = new java.util.concurrent.atomic.AtomicLong();
    /** Frames sent from other threads, waiting for the event loop (see {@link #drainOutbox}). */
    private final java.util.concurrent.ConcurrentLinkedQueue<byte[]> outbox = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicBoolean outboxScheduled = new java.util.concurrent.atomic.AtomicBoolean();

    ConnectionHandler(RedJarServer server) {
        this.server = server;
    }

    boolean authRequired() {
        // before the connection is registered, treat the client as unauthenticated if a password is set
        return conn == null ? server.requirepass() != null : conn.authRequired();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        channel = ctx.channel();
        if (server.deniedByProtectedMode(ctx.channel().remoteAddress())) {
            closing = true;
            ctx.writeAndFlush(ctx.alloc().buffer().writeBytes(RedJarServer.DENIED.getBytes(StandardCharsets.US_ASCII)))
                .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        conn = server.register(this);
        if (conn == null) {
            closing = true;
            ctx.writeAndFlush(ctx.alloc().buffer().writeBytes(("-" + ErrorPrefix.ERR.line("max number of clients reached") + "\r\n").getBytes(StandardCharsets.US_ASCII)))
                .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        blocked = null; // the core cancels the blocked command: it will take no element
        queued.clear();
        if (conn != null) {
            server.unregister(this, conn);
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
            reply(ctx, Reply.error(ErrorPrefix.ERR, e.message()), true);
            closeAfterFlush(ctx);
            return;
        }
        byte[][] argv = (byte[][]) msg;
        try {
            execute(ctx, argv);
        } catch (RuntimeException ex) {
            reply(ctx, Reply.error(ErrorPrefix.ERR, String.valueOf(ex)), false);
        }
    }

    /**
     * A blocking command is waiting: stop reading (the socket's backlog stays in the kernel),
     * flush what is already answered, and resume when its reply arrives.
     */
    private void waitFor(ChannelHandlerContext ctx, java.util.concurrent.CompletableFuture<Reply> f) {
        waitFor(ctx, f, null);
    }

    /**
     * As {@link #waitFor(ChannelHandlerContext, java.util.concurrent.CompletableFuture)}; with
     * {@code again} set (a command CLIENT PAUSE postponed), that command is submitted again first.
     */
    private void waitFor(ChannelHandlerContext ctx, java.util.concurrent.CompletableFuture<Reply> f, byte[][] again) {
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
            if (again != null) {
                queued.addFirst(again);
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
        if (pending == null) {
            pending = ctx.alloc().ioBuffer(256);
        }
        RespEncoder.encode(r, conn == null ? 2 : conn.protocol(), pending);
        if (pending.readableBytes() > 64 * 1024) {
            flush(ctx);
        }
    }

    private static String lower(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
    }

    private void execute(ChannelHandlerContext ctx, byte[][] argv) {
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
            return;
        }
        takeOutbox();
        Result res;
        executing = true;
        try {
            res = conn.execute(argv);
        } finally {
            executing = false;
        }
        if (res.retry() != null) {
            waitFor(ctx, res.retry().handle((x, ex) -> (Reply) null), argv);
            return;
        }
        if (res.later() != null) {
            waitFor(ctx, res.later());
            return;
        }
        if (res.replies().isEmpty()) {
            return;
        }
        for (Reply r : res.replies()) {
            reply(ctx, r, false);
        }
        if (res.close()) {
            closeAfterFlush(ctx);
        } else if (res.flush()) {
            flush(ctx);
        }
    }

    // ------------------------------------------------------------------ Peer (any thread)

    static String addr(SocketAddress a) {
        if (a instanceof InetSocketAddress i) {
            String host = i.getAddress() != null ? i.getAddress().getHostAddress() : i.getHostString();
            return host + ":" + i.getPort();
        }
        return String.valueOf(a);
    }

    @Override
    public String address() {
        Channel ch = channel;
        return ch == null ? "" : addr(ch.remoteAddress());
    }

    @Override
    public String localAddress() {
        Channel ch = channel;
        return ch == null ? "" : addr(ch.localAddress());
    }

    @Override
    public void send(byte[] resp) {
        Channel ch = channel;
        if (ch == null) {
            return;
        }
        if (ch.eventLoop().inEventLoop() && executing) {
            // sent to itself while running a command (PUBLISH to its own channel): after the
            // replies before it, before its own reply, as in Redis's single output buffer
            if (pending == null) {
                pending = ch.alloc().ioBuffer(256);
            }
            pending.writeBytes(resp);
            return;
        }
        sentPending.addAndGet(resp.length);
        outbox.add(resp);
        if (outboxScheduled.compareAndSet(false, true)) {
            ch.eventLoop().execute(this::drainOutbox);
        }
    }

    /**
     * Moves what other threads sent into the output, behind what is already there. Runs as an
     * event-loop task, and before each command: a message published before a command arrives
     * precedes that command's reply, as in Redis.
     */
    private void drainOutbox() {
        outboxScheduled.set(false);
        Channel ch = channel;
        if (ch == null || outbox.isEmpty()) {
            return;
        }
        ByteBuf b = pending != null ? pending : ch.alloc().ioBuffer(256);
        pending = null;
        long n = 0;
        byte[] m;
        while ((m = outbox.poll()) != null) {
            b.writeBytes(m);
            n += m.length;
        }
        long written = n;
        ch.writeAndFlush(b).addListener(f -> sentPending.addAndGet(-written));
    }

    /** Before a command: what others sent so far goes first (into the batched output). */
    private void takeOutbox() {
        if (outbox.isEmpty()) {
            return;
        }
        if (pending == null) {
            pending = channel.alloc().ioBuffer(256);
        }
        byte[] m;
        while ((m = outbox.poll()) != null) {
            pending.writeBytes(m);
            sentPending.addAndGet(-m.length);
        }
    }

    @Override
    public long queuedBytes() {
        return sentPending.get();
    }

    /**
     * Closes this connection: when it kills itself only after this reply is flushed; from another
     * connection now, waiting briefly (bounded, so two loops killing each other cannot deadlock)
     * so that, as in Redis, it is gone by the time the killer sees the reply.
     */
    @Override
    public void close(boolean afterReply) {
        Channel ch = channel;
        if (ch == null) {
            return;
        }
        if (afterReply) {
            ch.eventLoop().execute(ch::close);
        } else if (ch.eventLoop().inEventLoop()) {
            ch.close();
        } else {
            ch.close().awaitUninterruptibly(200);
        }
    }

    /** Closes the channel (server shutdown). */
    void closeChannel() {
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }
}
