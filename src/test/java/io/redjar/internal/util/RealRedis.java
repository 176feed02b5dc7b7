package io.redjar.internal.util;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Test helper: a private, throw-away {@code redis-server} process (the reference implementation)
 * and a minimal RESP2 client for it, used to check RedJar's utilities against real Redis.
 *
 * <p>The server binary is {@code $REDIS_SERVER} or {@code /usr/bin/redis-server}. When it is
 * missing the calling test is skipped with a loud message on stderr, except when the environment
 * variable {@code CI} is {@code true}: then the test fails, so a CI image without Redis cannot
 * silently skip the comparison tests.
 */
final class RealRedis implements AutoCloseable {
    /** An error reply ({@code -ERR ...}). */
    record Error(String message) {
    }

    private final Process process;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Path dir;

    private RealRedis(Process process, Socket socket, Path dir) throws IOException {
        this.process = process;
        this.socket = socket;
        this.dir = dir;
        this.in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
    }

    /** @return the path of the reference server binary (it may not exist). */
    static String binary() {
        String env = System.getenv("REDIS_SERVER");
        return env != null && !env.isEmpty() ? env : "/usr/bin/redis-server";
    }

    /**
     * Starts a server, or skips (fails on CI) the current test when none is installed.
     *
     * @param extraArgs extra command-line configuration, e.g. {@code "--cluster-enabled", "yes"}
     * @return a connected client owning the server process
     */
    static RealRedis startOrSkip(String... extraArgs) {
        String bin = binary();
        if (!new File(bin).canExecute()) {
            String msg = "!!!!! " + bin + " not found: SKIPPING comparison against real Redis 7.0 !!!!!";
            System.err.println(msg);
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(msg + " (CI=true, so this is an error)");
            }
            Assumptions.abort(msg);
        }
        try {
            return start(bin, extraArgs);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("could not start " + bin, e);
        }
    }

    private static RealRedis start(String bin, String... extraArgs) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("redjar-real-redis");
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port;
            try (ServerSocket ss = new ServerSocket(0)) {
                port = ss.getLocalPort();
            }
            List<String> cmd = new ArrayList<>(List.of(bin, "--port", Integer.toString(port),
                    "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no",
                    "--dir", dir.toString(), "--logfile", ""));
            cmd.addAll(List.of(extraArgs));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("server.log").toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline && p.isAlive()) {
                try {
                    Socket s = new Socket("127.0.0.1", port);
                    s.setTcpNoDelay(true);
                    s.setSoTimeout(60_000);
                    RealRedis r = new RealRedis(p, s, dir);
                    if ("PONG".equals(r.call("PING"))) {
                        String version = r.version();
                        System.err.println("[RealRedis] started " + bin + " " + version + " on port " + port);
                        return r;
                    }
                    s.close();
                } catch (IOException e) {
                    last = e;
                    Thread.sleep(20);
                }
            }
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        throw new IOException("redis-server did not come up", last);
    }

    private String version() {
        Object info = call("INFO", "server");
        String s = info instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : String.valueOf(info);
        for (String line : s.split("\r\n")) {
            if (line.startsWith("redis_version:")) {
                return line.substring("redis_version:".length());
            }
        }
        return "?";
    }

    /**
     * Sends one command and reads its reply.
     *
     * @param args the command and its arguments; each a {@code String} (ISO-8859-1) or {@code byte[]}
     * @return {@code String} for simple strings, {@code Long}, {@code byte[]} for bulk strings,
     *         {@code null}, {@code List<Object>} or {@link Error}
     */
    Object call(Object... args) {
        send(args);
        return readReplyUnchecked();
    }

    /**
     * Sends many commands at once and reads all replies (pipelining).
     *
     * @param commands the commands
     * @return the replies, in order
     */
    List<Object> pipeline(List<Object[]> commands) {
        List<Object> replies = new ArrayList<>(commands.size());
        int batch = 512;
        for (int i = 0; i < commands.size(); i += batch) {
            int end = Math.min(commands.size(), i + batch);
            for (int j = i; j < end; j++) {
                write(commands.get(j));
            }
            flush();
            for (int j = i; j < end; j++) {
                replies.add(readReplyUnchecked());
            }
        }
        return replies;
    }

    /** Reads a bulk reply as an ISO-8859-1 string (errors as {@code "-ERR..."}). */
    static String str(Object reply) {
        if (reply instanceof byte[] b) {
            return new String(b, StandardCharsets.ISO_8859_1);
        }
        if (reply instanceof Error e) {
            return "-" + e.message();
        }
        return String.valueOf(reply);
    }

    private void send(Object... args) {
        write(args);
        flush();
    }

    private void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private void write(Object[] args) {
        try {
            out.write(('*' + Integer.toString(args.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (Object a : args) {
                byte[] b = a instanceof byte[] bytes ? bytes : a.toString().getBytes(StandardCharsets.ISO_8859_1);
                out.write(('$' + Integer.toString(b.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(b);
                out.write('\r');
                out.write('\n');
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private Object readReplyUnchecked() {
        try {
            return readReply();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private Object readReply() throws IOException {
        int type = in.read();
        String line = readLine();
        switch (type) {
            case '+':
                return line;
            case '-':
                return new Error(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                byte[] b = in.readNBytes(n);
                if (b.length != n || in.read() != '\r' || in.read() != '\n') {
                    throw new IOException("truncated bulk");
                }
                return b;
            }
            case '*': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                List<Object> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    list.add(readReply());
                }
                return list;
            }
            default:
                throw new IOException("bad reply type " + type);
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            b.write(c);
        }
        if (in.read() != '\n') {
            throw new IOException("bad line ending");
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // best effort
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var files = Files.walk(dir)) {
            files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }
}
