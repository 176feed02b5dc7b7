package io.redjar.bench;

import redis.clients.jedis.Jedis;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A throw-away {@code redis-server} for the collection benchmarks: started on a free loopback port
 * with {@code --save '' --appendonly no}, stopped by {@link #close()}.
 *
 * <p>The binary is {@code $REDJAR_BENCH_REDIS} (inherited by JMH's forked JVMs), default
 * {@code /usr/bin/redis-server}. When it is missing, {@link #start()} fails with a message that says
 * how to skip the Redis trials ({@code -p impl=redjar,model}).
 */
final class RedisServer implements AutoCloseable {
    final Process process;
    final int port;

    private RedisServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** @return the configured binary path */
    static String binary() {
        String env = System.getenv("REDJAR_BENCH_REDIS");
        return env == null || env.isEmpty() ? "/usr/bin/redis-server" : env;
    }

    /** @return whether the configured binary exists and is executable */
    static boolean available() {
        return new File(binary()).canExecute();
    }

    static RedisServer start() throws Exception {
        String bin = binary();
        if (!new File(bin).canExecute()) {
            throw new IllegalStateException("SKIPPING Redis: " + bin + " not found or not executable. Set REDJAR_BENCH_REDIS=/path/to/redis-server,"
                + " or run without Redis: -p impl=redjar,model");
        }
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Process p = new ProcessBuilder(bin, "--port", Integer.toString(port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--daemonize", "no", "--logfile", "")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
        for (int i = 0; i < 200; i++) {
            if (!p.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + p.exitValue());
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return new RedisServer(p, port);
            } catch (IOException notYet) {
                Thread.sleep(25);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("redis-server did not start on port " + port);
    }

    Jedis client() {
        Jedis j = new Jedis("127.0.0.1", port, 60_000);
        j.connect();
        return j;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
