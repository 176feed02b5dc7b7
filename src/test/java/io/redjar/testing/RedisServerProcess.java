package io.redjar.testing;

import io.redjar.Reply;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} child process on a free loopback port, for differential tests.
 *
 * <p>{@link #start()} finds the executable ({@link #locate()}), picks a free port on 127.0.0.1,
 * starts the server with persistence off, protected mode off and {@code DEBUG} enabled, in a fresh
 * temporary directory, and returns once it answers {@code PING} (or fails within
 * {@link #DEFAULT_START_TIMEOUT} with the server's output in the message). If the port was taken
 * between choosing and binding, it retries with another one.
 *
 * <p>{@link #close()} terminates the server (SIGTERM, then SIGKILL after a grace period) and
 * deletes its directory. A JVM shutdown hook kills every server still running, so an aborted test
 * run leaves no orphans (short of the JVM itself being SIGKILLed).
 *
 * <p><b>Thread-safety:</b> safe; {@link #close()} is idempotent.
 */
public final class RedisServerProcess implements AutoCloseable {

    /** Environment variable naming the {@code redis-server} executable to use. */
    public static final String ENV_REDIS_SERVER = "REDIS_SERVER";
    /** How long {@link #start()} waits for the first {@code PING} answer. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(10);
    /** Fallback locations, tried after {@code PATH}. */
    public static final List<String> FALLBACK_LOCATIONS = List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server");

    private static final String HOST = "127.0.0.1";
    private static final int PORT_ATTEMPTS = 5;
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final Set<RedisServerProcess> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (RedisServerProcess p : LIVE) {
                p.close();
            }
        }, "redis-server-reaper"));
    }

    private final Path executable;
    private final Process process;
    private final int port;
    private final Path dir;
    private final Path log;

    private RedisServerProcess(Path executable, Process process, int port, Path dir, Path log) {
        this.executable = executable;
        this.process = process;
        this.port = port;
        this.dir = dir;
        this.log = log;
    }

    // ---- locating -------------------------------------------------------------------------

    /**
     * Finds {@code redis-server}: {@code $REDIS_SERVER}, then each {@code PATH} entry, then
     * {@link #FALLBACK_LOCATIONS}.
     *
     * @return the executable, or empty if there is none
     * @throws IllegalStateException if {@code REDIS_SERVER} is set but names no executable file (a
     *                               misconfiguration is reported, never silently replaced)
     */
    public static Optional<Path> locate() {
        return locate(System.getenv(), FALLBACK_LOCATIONS);
    }

    /** {@link #locate()} over an explicit environment and fallback list; pure apart from file checks. */
    public static Optional<Path> locate(Map<String, String> env, List<String> fallbacks) {
        String explicit = env.get(ENV_REDIS_SERVER);
        if (explicit != null && !explicit.isBlank()) {
            Path p = Paths.get(explicit);
            if (isExecutableFile(p)) {
                return Optional.of(p);
            }
            throw new IllegalStateException(ENV_REDIS_SERVER + "=" + explicit + " is not an executable file");
        }
        String path = env.get("PATH");
        if (path != null) {
            for (String entry : path.split(File.pathSeparator)) {
                if (entry.isEmpty()) {
                    continue;
                }
                Path p = Paths.get(entry, "redis-server");
                if (isExecutableFile(p)) {
                    return Optional.of(p);
                }
            }
        }
        for (String f : fallbacks) {
            Path p = Paths.get(f);
            if (isExecutableFile(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static boolean isExecutableFile(Path p) {
        return Files.isRegularFile(p) && Files.isExecutable(p);
    }

    // ---- starting -------------------------------------------------------------------------

    /**
     * Starts a server using the located executable.
     *
     * @throws IllegalStateException if no {@code redis-server} is found, or it does not start
     */
    public static RedisServerProcess start() {
        Path exe = locate().orElseThrow(() -> new IllegalStateException(
                "redis-server not found (set " + ENV_REDIS_SERVER + ", put it on PATH, or install it)"));
        return start(exe, DEFAULT_START_TIMEOUT, List.of());
    }

    /**
     * Starts {@code executable} and waits up to {@code timeout} for it to answer {@code PING}.
     *
     * @param extraArgs further {@code --name value} arguments appended to the defaults
     * @throws IllegalStateException if it exits or stays silent; the message includes its output
     */
    public static RedisServerProcess start(Path executable, Duration timeout, List<String> extraArgs) {
        IllegalStateException last = null;
        for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
            int port = freePort();
            Path dir;
            try {
                dir = Files.createTempDirectory("redjar-redis-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a directory for redis-server", e);
            }
            Path log = dir.resolve("redis-server.log");
            List<String> cmd = new ArrayList<>(List.of(executable.toString(),
                    "--port", Integer.toString(port),
                    "--bind", HOST,
                    "--save", "",
                    "--appendonly", "no",
                    "--daemonize", "no",
                    "--protected-mode", "no",
                    "--enable-debug-command", "yes",
                    "--logfile", "",
                    "--dir", dir.toString()));
            cmd.addAll(extraArgs);
            Process proc;
            try {
                proc = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE).start();
            } catch (IOException e) {
                deleteTree(dir);
                throw new UncheckedIOException("cannot run " + executable + ": " + e.getMessage(), e);
            }
            RedisServerProcess server = new RedisServerProcess(executable, proc, port, dir, log);
            LIVE.add(server);
            try {
                server.awaitPing(timeout);
                return server;
            } catch (IllegalStateException e) {
                String out = server.output();
                server.close();
                if (!out.contains("Address already in use")) {
                    throw e;
                }
                last = e; // lost the race for the port: try another one
            }
        }
        throw last;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on " + HOST, e);
        }
    }

    /** Bounded polling until PING answers PONG; fails early if the process exits. */
    private void awaitPing(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastProblem = "no attempt made";
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with status " + process.exitValue()
                        + " before answering PING on port " + port + "; its output:\n" + output());
            }
            try (RespClient c = new RespClient(HOST, port, false, Duration.ofMillis(500))) {
                Reply r = c.call("PING");
                if (r.equals(Reply.PONG)) {
                    return;
                }
                lastProblem = "PING answered " + ReplyFormat.reply(r);
            } catch (UncheckedIOException e) {
                lastProblem = e.getMessage();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("redis-server did not answer PING on port " + port + " within "
                        + timeout.toMillis() + " ms (last problem: " + lastProblem + "); its output:\n" + output());
            }
            try {
                Thread.sleep(20); // bounded by the deadline above
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for redis-server", e);
            }
        }
    }

    // ---- using ----------------------------------------------------------------------------

    /** @return the loopback address it listens on, {@code 127.0.0.1} */
    public String host() {
        return HOST;
    }

    /** @return the port it listens on */
    public int port() {
        return port;
    }

    /** @return the executable it was started from */
    public Path executable() {
        return executable;
    }

    /** @return whether the process is still running */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** @return the process id */
    public long pid() {
        return process.pid();
    }

    /** @return a new RESP3 connection ({@code HELLO 3} sent); the caller closes it */
    public RespClient connect() {
        return new RespClient(HOST, port, true);
    }

    /** @return a new connection, RESP3 if {@code resp3}, else RESP2; the caller closes it */
    public RespClient connect(boolean resp3) {
        return new RespClient(HOST, port, resp3);
    }

    /** @return everything the server has written to stdout/stderr so far (its log), at most the last 16 KiB */
    public String output() {
        try {
            byte[] all = Files.readAllBytes(log);
            int from = Math.max(0, all.length - 16 * 1024);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(output unavailable: " + e.getMessage() + ")";
        }
    }

    /**
     * Stops the server: SIGTERM, then SIGKILL if it is still running after a grace period; then
     * deletes its directory. Idempotent.
     */
    @Override
    public void close() {
        if (!LIVE.remove(this)) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly); // e.g. a BGSAVE child
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        deleteTree(dir);
    }

    @Override
    public String toString() {
        return "redis-server[pid " + process.pid() + ", " + HOST + ":" + port + "]";
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // best effort: it is a temporary directory
        }
    }
}
