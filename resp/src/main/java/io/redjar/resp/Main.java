package io.redjar.resp;

import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar redjar-server.jar [redis.conf] [--port N] [--bind ADDR] [--requirepass PW]
 * [--databases N] [--maxclients N]}: runs a server until SIGTERM/SIGINT.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        ServerOptions options;
        try {
            options = ServerOptions.parseArgs(args);
        } catch (IllegalArgumentException e) {
            System.err.println("*** FATAL CONFIG FILE ERROR *** " + e.getMessage());
            System.exit(1);
            return;
        }
        RedJarServer server = RedJarServer.start(options);
        CountDownLatch stopped = new CountDownLatch(1);
        long pid = ProcessHandle.current().pid();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println(pid + ":M Received shutdown signal, shutting down RedJar " + RedJarServer.VERSION);
            server.close();
            System.out.println(pid + ":M RedJar is now ready to exit, bye bye...");
            stopped.countDown();
        }, "redjar-shutdown"));
        System.out.println(pid + ":M RedJar " + RedJarServer.VERSION + " (Redis 7.0 protocol) started, pid=" + pid
            + ", bind=" + options.bind() + ", port=" + server.port() + ", transport=" + (server.usesEpoll() ? "epoll" : "nio")
            + ", databases=" + options.databases() + ", ready to accept connections");
        stopped.await();
    }
}
