package io.redjar.resp;

import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar redjar-server.jar [redis.conf] [--port N] [--bind ADDR] [--requirepass PW]
 * [--databases N] [--maxclients N]}: runs a server until SHUTDOWN, SIGTERM or SIGINT (all three
 * exit with status 0, as redis-server does).
 */
public final class Main {
    private Main() {
    }

    /**
     * SIGTERM / SIGINT: a SHUTDOWN with the flags of {@code shutdown-on-sigterm} /
     * {@code shutdown-on-sigint} (see {@link RedJarServer#signalShutdown}); the process then exits
     * with status 0, as redis-server, not the JVM's 143/130. If the final save fails (without
     * {@code force}) the server keeps running, as Redis does.
     */
    private static void shutdownOn(String name, RedJarServer server) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> server.signalShutdown(name));
        } catch (IllegalArgumentException e) {
            // the signal is not available on this platform, or the JVM reserves it: keep the default
        }
    }

    /**
     * JDK 24 and later warn on the first use of {@code sun.misc.Unsafe}'s memory methods (JEP 498),
     * which Netty 4.1 calls for its direct buffers; the jar manifest cannot pass
     * {@code --sun-misc-unsafe-memory-access=allow}, so the server tells Netty not to use Unsafe
     * there ({@code io.netty.noUnsafe}, what Netty 4.2 does by default on such JDKs). Set the
     * property yourself ({@code -Dio.netty.noUnsafe=false --sun-misc-unsafe-memory-access=allow})
     * to keep Unsafe. Must run before any Netty class loads.
     */
    static void nettyWithoutUnsafeOnJdk24() {
        if (Runtime.version().feature() >= 24 && System.getProperty("io.netty.noUnsafe") == null) {
            System.setProperty("io.netty.noUnsafe", "true");
        }
    }

    public static void main(String[] args) throws Exception {
        nettyWithoutUnsafeOnJdk24();
        ServerOptions options;
        try {
            options = ServerOptions.parseArgs(args);
        } catch (IllegalArgumentException e) {
            System.err.println("*** FATAL CONFIG FILE ERROR *** " + e.getMessage());
            System.exit(1);
            return;
        }
        // as redis-server: listen at once, answer -LOADING while the data set loads
        options.loadInBackground(true);
        RedJarServer server;
        try {
            server = RedJarServer.start(options);
        } catch (IllegalArgumentException e) {
            // a TLS setting that cannot be applied, or nothing to listen on: as redis-server, say why and exit 1
            System.err.println("*** FATAL *** " + e.getMessage());
            System.exit(1);
            return;
        }
        // SHUTDOWN ends the process, as redis-server's does; a failed load ends it with status 1
        server.onShutdown(() -> System.exit(0));
        server.onLoadFailure(() -> System.exit(1));
        // SIGTERM and SIGINT are a clean shutdown with status 0 (as redis-server), not the JVM's 143/130
        shutdownOn("TERM", server);
        shutdownOn("INT", server);
        CountDownLatch stopped = new CountDownLatch(1);
        long pid = ProcessHandle.current().pid();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println(pid + ":M Received shutdown signal, shutting down RedJar " + RedJarServer.VERSION);
            server.close();
            System.out.println(pid + ":M RedJar is now ready to exit, bye bye...");
            stopped.countDown();
        }, "redjar-shutdown"));
        System.out.println(pid + ":M RedJar " + RedJarServer.VERSION + " (Redis 7.0 protocol) started, pid=" + pid
            + ", bind=" + options.bind() + ", port=" + server.port() + (server.tlsPort() > 0 ? ", tls-port=" + server.tlsPort() : "")
            + ", transport=" + (server.usesEpoll() ? "epoll" : "nio")
            + ", databases=" + options.databases() + ", ready to accept connections");
        stopped.await();
    }
}
