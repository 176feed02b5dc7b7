package io.redjar.resp;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.redjar.ErrorPrefix;
import io.redjar.Store;
import io.redjar.spi.Connection;
import io.redjar.spi.FrontEnd;
import io.redjar.spi.Transport;
import io.redjar.spi.Wire;

import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A RESP2/RESP3 server in front of a {@link Store}.
 *
 * <pre>{@code
 * try (RedJarServer server = RedJarServer.start(ServerOptions.defaults().port(0))) {
 *     int port = server.port();    // redis-cli -p port ping
 * }
 * }</pre>
 *
 * <p>The server is transport only: each connection is opened on the store's
 * {@link io.redjar.spi.FrontEnd} ({@code store.frontEnd()}), which runs every command, the
 * connection commands (HELLO, AUTH, CLIENT, RESET, QUIT, MONITOR) included; commands run on the
 * connection's event loop thread and their replies are written in order, batched per read
 * (pipelining).
 *
 * <p>As Redis 7.0, a connection that sends a command named {@code POST} or {@code Host:} (any
 * case, at any point of the connection, as an inline or a RESP command) is taken for an HTTP
 * request (cross-protocol scripting): it is closed without a reply, and the server logs Redis's
 * {@code Possible SECURITY ATTACK detected...} warning at most once a minute.
 *
 * <p>With {@link ServerOptions#tlsPort(int)} it also listens for TLS connections (Netty on the
 * JDK's TLS provider; settings as Redis 7.0's {@code tls-*}, see {@link ServerTls} and
 * docs/tls.md), beside the plain port or, with {@code port 0} in a configuration, instead of it.
 *
 * <p>Logging goes through {@link System.Logger} (by default {@code java.util.logging}), under the
 * name {@code io.redjar.resp.RedJarServer}.
 *
 * <p><b>Thread-safety:</b> thread-safe; {@link #close()} is idempotent.
 */
public final class RedJarServer implements AutoCloseable {
    /** The version HELLO and the start line report. */
    public static final String VERSION = Wire.VERSION;

    private final Store store;
    private final boolean ownsStore;
    private final ServerOptions options;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    /**
     * The plain listener, or null when only TLS listens ({@code port 0} with a {@code tls-port});
     * replaced by CONFIG SET port/bind ({@link #rebind}).
     */
    private volatile Channel serverChannel;
    /** The TLS listener, or null without {@code tls-port}. */
    private final Channel tlsChannel;
    /** The TLS settings in force: built at start, rebuilt by CONFIG SET of a {@code tls-*} setting. */
    private volatile ServerTls tls;
    private final boolean epoll;
    private final Set<ConnectionHandler> connections = ConcurrentHashMap.newKeySet();
    private final FrontEnd frontEnd;
    private final Transport transport;
    private volatile boolean closed;
    private volatile Runnable onShutdown = () -> { };
    /** When {@link #securityWarning()} last logged, in seconds; Long.MIN_VALUE for never. */
    private final AtomicLong securityWarningLogged = new AtomicLong(Long.MIN_VALUE);

    /** The server's log: {@link System.Logger} named {@code io.redjar.resp.RedJarServer}. */
    static final System.Logger LOG = System.getLogger(RedJarServer.class.getName());

    /** The warning Redis 7.0 logs when a client sends {@code POST} or {@code Host:} (its exact text). */
    static final String SECURITY_ATTACK = "Possible SECURITY ATTACK detected. It looks like somebody is sending "
        + "POST or Host: commands to Redis. This is likely due to an attacker attempting to use Cross Protocol "
        + "Scripting to compromise your Redis instance. Connection aborted.";

    private RedJarServer(Store store, boolean ownsStore, ServerOptions options) throws InterruptedException {
        this.store = store;
        this.ownsStore = ownsStore;
        this.options = options;
        this.epoll = options.epoll() && Epoll.isAvailable();
        this.frontEnd = store.frontEnd();
        frontEnd.initialConfig("bind", options.bind());
        frontEnd.initialConfig("maxclients", Integer.toString(options.maxclients()));
        frontEnd.initialConfig("proto-max-bulk-len", Long.toString(options.protoMaxBulkLen()));
        frontEnd.initialConfig("protected-mode", options.protectedMode() ? "yes" : "no");
        frontEnd.initialConfig("client-query-buffer-limit", Long.toString(options.queryBufferLimit()));
        if (options.requirepass() != null) {
            frontEnd.initialConfig("requirepass", options.requirepass());
        }
        for (java.util.Map.Entry<String, String> e : options.tlsConfig().entrySet()) {
            frontEnd.initialConfig(e.getKey(), e.getValue());
        }
        if (options.tlsPort() >= 0) {
            tls = ServerTls.build(tlsSettings());
        } else if (!options.plain()) {
            throw new IllegalArgumentException("Configured to not listen anywhere (no port and no tls-port)");
        }
        Class<? extends ServerChannel> channelType;
        int ioThreads = options.ioThreads() > 0 ? options.ioThreads() : 2 * Runtime.getRuntime().availableProcessors();
        frontEnd.initialConfig("io-threads", Integer.toString(ioThreads));
        if (epoll) {
            boss = new EpollEventLoopGroup(1);
            workers = new EpollEventLoopGroup(ioThreads);
            channelType = EpollServerSocketChannel.class;
        } else {
            boss = new NioEventLoopGroup(1);
            workers = new NioEventLoopGroup(ioThreads);
            channelType = NioServerSocketChannel.class;
        }
        ServerBootstrap b = new ServerBootstrap()
            .group(boss, workers)
            .channel(channelType)
            .option(ChannelOption.SO_BACKLOG, 511)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.SO_KEEPALIVE, true);
        Channel plainListener = null;
        Channel tlsListener = null;
        try {
            if (options.plain()) {
                plainListener = b.clone().childHandler(initializer(false))
                    .bind(new InetSocketAddress(options.bind(), options.port())).sync().channel();
            }
            if (options.tlsPort() >= 0) {
                tlsListener = b.clone().childHandler(initializer(true))
                    .bind(new InetSocketAddress(options.bind(), options.tlsPort())).sync().channel();
            }
        } catch (RuntimeException | InterruptedException e) {
            if (plainListener != null) {
                plainListener.close().syncUninterruptibly();
            }
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        serverChannel = plainListener;
        tlsChannel = tlsListener;
        if (tlsChannel != null) {
            frontEnd.initialConfig("tls-port", Integer.toString(tlsPort()));
        }
        // CONFIG SET of a tls-* setting re-loads the certificates, or fails as Redis's applyTlsCfg
        frontEnd.configApplier("tls-", settings -> {
            if (tlsChannel == null || closed) {
                return;
            }
            try {
                tls = ServerTls.build(settings);
            } catch (IllegalArgumentException e) {
                LOG.log(System.Logger.Level.WARNING, e.getMessage());
                throw new IllegalArgumentException(ServerTls.UNABLE, e);
            }
        });
        frontEnd.initialConfig("port", Integer.toString(port()));
        transport = new Transport() {
            @Override
            public int port() {
                return RedJarServer.this.port();
            }

            @Override
            public String multiplexingApi() {
                return epoll ? "epoll" : "nio";
            }

            @Override
            public boolean shutdown() {
                Thread t = new Thread(RedJarServer.this::shutdownRequested, "redjar-shutdown");
                t.setDaemon(false);
                t.start();
                return true;
            }
        };
        frontEnd.attach(transport);
        if (options.configFile() != null) {
            frontEnd.configFile(options.configFile()); // CONFIG REWRITE writes it
        }
        this.bootstrap = b;
        // CONFIG SET port / bind re-bind the listener, as Redis 7.0's changeListenPort / updateBind
        frontEnd.onConfigApply("port", v -> rebind(frontEnd.config("bind"), Integer.parseInt(v), "Unable to listen on this port"));
        frontEnd.onConfigApply("bind", v -> rebind(v, port(), "Failed to bind to specified addresses."));
    }

    /** The listener's bootstrap, kept for {@link #rebind}. */
    private ServerBootstrap bootstrap;

    /**
     * Listens on {@code port} at {@code bind} (its first address; a leading {@code -} marks an
     * optional one, as in redis.conf) instead of the current listener: the new one is bound first,
     * so on failure nothing changes; connections already open stay.
     *
     * @throws IllegalArgumentException with {@code why} when the new address cannot be bound
     */
    private synchronized void rebind(String bind, int port, String why) {
        if (closed) {
            return;
        }
        String host = bind == null || bind.isBlank() ? "0.0.0.0" : bind.trim().split("\\s+")[0];
        if (host.startsWith("-")) {
            host = host.substring(1);
        }
        if (host.equals("*")) {
            host = "0.0.0.0";
        }
        Channel next;
        try {
            next = bootstrap.clone().childHandler(initializer(false)).bind(new InetSocketAddress(host, port))
                .syncUninterruptibly().channel();
        } catch (Exception e) { // Netty rethrows the BindException unchecked
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            LOG.log(System.Logger.Level.WARNING, "Could not create server TCP listening socket " + host + ":" + port + ": " + msg);
            throw new IllegalArgumentException(why + (why.endsWith(".") ? "" : ": " + msg), e);
        }
        Channel old = serverChannel;
        serverChannel = next;
        if (old != null) {
            old.close().syncUninterruptibly();
        }
    }

    private ChannelInitializer<SocketChannel> initializer(boolean secure) {
        return new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                if (secure) {
                    ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
                }
                ConnectionHandler handler = new ConnectionHandler(RedJarServer.this);
                ch.pipeline().addLast("resp-decoder", new RespDecoder(Long.parseLong(frontEnd.config("proto-max-bulk-len")),
                    Long.parseLong(frontEnd.config("client-query-buffer-limit")), handler::authRequired));
                ch.pipeline().addLast("resp-connection", handler);
            }
        };
    }

    /** Every {@code tls-*} setting as CONFIG GET shows it. */
    private java.util.Map<String, String> tlsSettings() {
        java.util.Map<String, String> m = new java.util.HashMap<>();
        for (String name : ServerOptions.TLS_SETTINGS) {
            String v = frontEnd.config(name);
            m.put(name, v == null ? "" : v);
        }
        return m;
    }

    /** Starts a server with its own store (closed with the server). */
    public static RedJarServer start(ServerOptions options) {
        Store.Builder builder = Store.builder().databases(options.databases());
        options.storeConfig().forEach(builder::config);
        java.util.concurrent.CompletableFuture<Throwable> loadFailed = new java.util.concurrent.CompletableFuture<>();
        if (options.loadInBackground()) {
            builder.loadInBackground(loadFailed::complete);
        }
        Store store = builder.open();
        try {
            RedJarServer server = new RedJarServer(store, true, options);
            loadFailed.thenAccept(server::loadFailed);
            return server;
        } catch (InterruptedException e) {
            store.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding", e);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** Serves an existing store on {@code port} (0: any free port) at 127.0.0.1; the store stays open on close. */
    public static RedJarServer start(Store store, int port) {
        return start(store, ServerOptions.defaults().port(port).databases(store.databases()));
    }

    /** Serves an existing store with {@code options} ({@code databases} is the store's); the store stays open on close. */
    public static RedJarServer start(Store store, ServerOptions options) {
        try {
            return new RedJarServer(store, false, options);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding", e);
        }
    }

    /**
     * @return the port the server listens on for plain connections (the real one when started with
     *         port 0); 0 when only TLS listens
     */
    public int port() {
        return serverChannel == null ? 0 : ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** @return the port the server listens on for TLS connections (the real one when asked for 0); 0 without TLS */
    public int tlsPort() {
        return tlsChannel == null ? 0 : ((InetSocketAddress) tlsChannel.localAddress()).getPort();
    }

    /** @return the address the server listens on (the plain listener's; the TLS one's when only TLS listens) */
    public InetSocketAddress address() {
        return (InetSocketAddress) (serverChannel != null ? serverChannel : tlsChannel).localAddress();
    }

    /** @return {@code redis://host:port} ({@code rediss://host:tls-port} when only TLS listens) */
    public String uri() {
        if (serverChannel == null) {
            return "rediss://" + address().getAddress().getHostAddress() + ":" + tlsPort();
        }
        return "redis://" + address().getAddress().getHostAddress() + ":" + port();
    }

    /** @return the store served */
    public Store store() {
        return store;
    }

    /** @return the options the server was started with */
    public ServerOptions options() {
        return options;
    }

    /** @return whether the native epoll transport is in use */
    public boolean usesEpoll() {
        return epoll;
    }

    /** @return the number of connected clients */
    public int connectedClients() {
        return frontEnd.connectedClients();
    }

    /** @return the password clients must AUTH with (CONFIG SET requirepass changes it), or null */
    String requirepass() {
        String p = frontEnd.config("requirepass");
        return p == null || p.isEmpty() ? null : p;
    }

    /** Redis 7.0's protected-mode refusal, sent before closing. */
    static final String DENIED = "-" + ErrorPrefix.DENIED.name() + " Redis is running in protected mode because protected mode is enabled and no "
        + "password is set for the default user. In this mode connections are only accepted from the loopback interface. "
        + "If you want to connect from external computers to Redis you may adopt one of the following solutions: "
        + "1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface "
        + "by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly "
        + "accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you "
        + "can just disable the protected mode by editing the Redis configuration file, and setting the protected mode "
        + "option to 'no', and then restarting the server. 3) If you started the server manually just for testing, "
        + "restart it with the '--protected-mode no' option. 4) Set up an authentication password for the default user. "
        + "NOTE: You only need to do one of the above things in order for the server to start accepting connections "
        + "from the outside.\r\n";

    /** @return whether protected mode refuses a client connecting from {@code remote} */
    boolean deniedByProtectedMode(java.net.SocketAddress remote) {
        return protectedModeDenies("yes".equals(frontEnd.config("protected-mode")), requirepass(), remote);
    }

    /** The protected-mode rule: on, no password, and not a loopback peer. */
    static boolean protectedModeDenies(boolean protectedMode, String requirepass, java.net.SocketAddress remote) {
        if (!protectedMode || (requirepass != null && !requirepass.isEmpty())) {
            return false;
        }
        return !(remote instanceof InetSocketAddress a) || a.getAddress() == null || !a.getAddress().isLoopbackAddress();
    }

    /** @return the new connection, or null when maxclients is reached */
    Connection register(ConnectionHandler handler) {
        Connection c = frontEnd.connect(handler);
        if (c != null) {
            connections.add(handler);
        }
        return c;
    }

    /**
     * A client sent {@code POST} or {@code Host:} as a command: logs {@link #SECURITY_ATTACK} at
     * {@code WARNING}, at most once a minute per server (as Redis's {@code securityWarningCommand},
     * so that an attack cannot flood the log). The caller closes the connection.
     */
    void securityWarning() {
        long now = System.currentTimeMillis() / 1000;
        long last = securityWarningLogged.get();
        if ((last == Long.MIN_VALUE || Math.abs(now - last) > 60) && securityWarningLogged.compareAndSet(last, now)) {
            LOG.log(System.Logger.Level.WARNING, SECURITY_ATTACK);
        }
    }

    void unregister(ConnectionHandler handler, Connection c) {
        connections.remove(handler);
        c.disconnected();
    }

    /**
     * What to do once a client's SHUTDOWN has closed the server (default: nothing more). The
     * command-line server ({@link Main}) ends the process here, as redis-server does; a server
     * embedded in an application or a test only closes.
     */
    public RedJarServer onShutdown(Runnable action) {
        this.onShutdown = java.util.Objects.requireNonNull(action, "action");
        return this;
    }

    private volatile Runnable onLoadFailure = () -> { };

    /**
     * What to do when loading the data set in the background fails (after the server has closed):
     * the command-line server exits with status 1, as redis-server does.
     */
    public RedJarServer onLoadFailure(Runnable action) {
        this.onLoadFailure = java.util.Objects.requireNonNull(action, "action");
        if (loadFailedAlready) {
            action.run();
        }
        return this;
    }

    private volatile boolean loadFailedAlready;

    private void loadFailed(Throwable e) {
        LOG.log(System.Logger.Level.ERROR, "Fatal error loading the DB: " + e.getMessage() + ". Exiting.");
        close();
        loadFailedAlready = true;
        onLoadFailure.run();
    }

    private final java.util.concurrent.atomic.AtomicBoolean signalled = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * SIGTERM or SIGINT (Redis 7.0's {@code sigShutdownHandler} and {@code prepareForShutdown}):
     * shuts down as a SHUTDOWN with the flags of {@code shutdown-on-sigterm} /
     * {@code shutdown-on-sigint} ({@code default}: save when save points are configured;
     * {@code save}, {@code nosave}, {@code now}, {@code force}), so the final save, the append-only
     * file's flush and {@link #onShutdown} happen as for the command. When the save fails without
     * {@code force} the server keeps running, as Redis does, and a later signal tries again; a
     * SIGINT while a shutdown is already under way ends the process at once (Redis's "You insist").
     *
     * @param signal {@code TERM} or {@code INT}
     * @return whether the shutdown started
     */
    public boolean signalShutdown(String signal) {
        boolean interrupt = signal.equals("INT");
        if (!signalled.compareAndSet(false, true)) {
            if (interrupt) {
                LOG.log(System.Logger.Level.WARNING, "You insist... exiting now.");
                Runtime.getRuntime().halt(1);
            }
            return false;
        }
        LOG.log(System.Logger.Level.WARNING, "Received SIG" + signal + " scheduling shutdown...");
        String mode = frontEnd.config(interrupt ? "shutdown-on-sigint" : "shutdown-on-sigterm");
        java.util.List<String> argv = new java.util.ArrayList<>();
        argv.add("SHUTDOWN");
        if (mode != null && !mode.isBlank() && !mode.equals("default")) {
            argv.addAll(java.util.Arrays.asList(mode.trim().split("\\s+")));
        }
        io.redjar.Reply r;
        try {
            r = store.execute(argv.toArray(new String[0]));
        } catch (RuntimeException e) {
            r = io.redjar.Reply.error(String.valueOf(e.getMessage()));
        }
        if (r instanceof io.redjar.Reply.ErrorReply e && e.message().startsWith("BUSY")) {
            // a script that wrote loops forever, holding every lock: the signal still stops the
            // server (closing stops the script; the store's close saves per its save points)
            Thread t = new Thread(this::shutdownRequested, "redjar-shutdown");
            t.start();
            return true;
        }
        if (r instanceof io.redjar.Reply.ErrorReply e) {
            LOG.log(System.Logger.Level.WARNING, "SIG" + signal + " received but errors trying to shut down the server, check the logs for more information: "
                + e.message());
            signalled.set(false);
            return false;
        }
        return true;
    }

    /** A client's SHUTDOWN, on its own thread: log as Redis does, close, then {@link #onShutdown}. */
    private void shutdownRequested() {
        LOG.log(System.Logger.Level.WARNING, "User requested shutdown...");
        close();
        LOG.log(System.Logger.Level.WARNING, "RedJar is now ready to exit, bye bye...");
        onShutdown.run();
    }

    /** Stops accepting, closes every connection, and closes the store if the server opened it. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        frontEnd.detach(transport);
        try {
            if (serverChannel != null) {
                serverChannel.close().syncUninterruptibly();
            }
            if (tlsChannel != null) {
                tlsChannel.close().syncUninterruptibly();
            }
            for (ConnectionHandler c : connections) {
                c.closeChannel();
            }
        } finally {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            if (ownsStore) {
                store.close();
            }
        }
    }
}
