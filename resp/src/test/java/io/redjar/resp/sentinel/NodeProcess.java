package io.redjar.resp.sentinel;

import io.redjar.Reply;
import io.redjar.resp.Main;
import io.redjar.testing.RedisServerProcess;
import io.redjar.testing.RespClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * One node of a test topology run as a real child process on a loopback port: RedJar's server
 * ({@link Main} in a child JVM, so it can be SIGKILLed like any server), a {@code redis-server},
 * or a {@code redis-server --sentinel} with a generated configuration file. Each has its own
 * temporary directory and log file ({@link #log()}), removed by {@link #close()} unless the test
 * failed and kept it ({@link #keep}).
 *
 * <p><b>Thread-safety:</b> not thread-safe; one test thread drives a topology.
 */
final class NodeProcess implements AutoCloseable {
    static final String HOST = "127.0.0.1";

    private final String name;
    private final Process process;
    private final int port;
    private final Path dir;
    private final Path log;
    private boolean keep;

    private NodeProcess(String name, Process process, int port, Path dir, Path log) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.dir = dir;
        this.log = log;
    }

    /** Starts RedJar's server in a child JVM with {@code args} after {@code --port}. */
    static NodeProcess redjar(String name, String... args) {
        int port = freePort();
        Path dir = tempDir(name);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-Xmx256m", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
            "--port", Integer.toString(port), "--bind", HOST, "--dir", dir.toString(), "--save", ""));
        cmd.addAll(List.of(args));
        return launch(name, cmd, port, dir);
    }

    /** Starts a real {@code redis-server} with {@code args} after the test defaults. */
    static NodeProcess redis(String name, String... args) {
        int port = freePort();
        Path dir = tempDir(name);
        List<String> cmd = new ArrayList<>(List.of(executable().toString(), "--port", Integer.toString(port),
            "--bind", HOST, "--save", "", "--appendonly", "no", "--protected-mode", "no", "--dir", dir.toString(),
            "--logfile", ""));
        cmd.addAll(List.of(args));
        return launch(name, cmd, port, dir);
    }

    /**
     * Starts a real Sentinel monitoring {@code master} under the name {@code mymaster} with
     * {@code quorum}, {@code down-after-milliseconds} and {@code failover-timeout} as given.
     */
    static NodeProcess sentinel(String name, int masterPort, int quorum, int downAfterMs, int failoverTimeoutMs) {
        int port = freePort();
        Path dir = tempDir(name);
        Path conf = dir.resolve("sentinel.conf");
        String text = "port " + port + "\nbind " + HOST + "\ndir " + dir + "\nprotected-mode no\n"
            + "sentinel monitor mymaster " + HOST + " " + masterPort + " " + quorum + "\n"
            + "sentinel down-after-milliseconds mymaster " + downAfterMs + "\n"
            + "sentinel failover-timeout mymaster " + failoverTimeoutMs + "\n"
            + "sentinel parallel-syncs mymaster 1\n";
        try {
            Files.writeString(conf, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return launch(name, List.of(executable().toString(), conf.toString(), "--sentinel"), port, dir);
    }

    private static Path executable() {
        return RedisServerProcess.locate().orElseThrow(() -> new IllegalStateException("redis-server not found"));
    }

    private static NodeProcess launch(String name, List<String> cmd, int port, Path dir) {
        Path log = dir.resolve(name + ".log");
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
        NodeProcess node = new NodeProcess(name, p, port, dir, log);
        try {
            await(Duration.ofSeconds(30), () -> {
                if (!p.isAlive()) {
                    throw new IllegalStateException(name + " exited: " + node.output());
                }
                try (RespClient c = new RespClient(HOST, port, false, Duration.ofMillis(500))) {
                    return c.call("PING").equals(Reply.PONG);
                } catch (UncheckedIOException e) {
                    return false;
                }
            }, name + " answers PING");
        } catch (RuntimeException | AssertionError e) {
            node.close();
            throw e;
        }
        return node;
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    Path log() {
        return log;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** @return a new connection (RESP2, 5 s timeout); the caller closes it */
    RespClient client() {
        return new RespClient(HOST, port, false, Duration.ofSeconds(5));
    }

    /** Sends one command on a fresh connection. */
    Reply call(String... argv) {
        try (RespClient c = client()) {
            return c.call(argv);
        }
    }

    /** SIGKILL, as a crashed server. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Keeps the directory and log after {@link #close()} (for a failed test). */
    void keep() {
        keep = true;
    }

    String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        if (!keep) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    @Override
    public String toString() {
        return name + "@" + port;
    }

    /** Polls {@code condition} every 50 ms until it holds, or fails after {@code timeout}. */
    static void await(Duration timeout, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting until " + what);
            }
            try {
                Thread.sleep(50); // bounded by the deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what, e);
            }
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path tempDir(String name) {
        try {
            return Files.createTempDirectory("redjar-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
