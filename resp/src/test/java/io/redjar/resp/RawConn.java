package io.redjar.resp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A raw TCP connection for byte-exact protocol tests. */
final class RawConn implements AutoCloseable {
    final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawConn(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    void send(byte[] b) throws IOException {
        out.write(b);
        out.flush();
    }

    void send(String s) throws IOException {
        send(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Reads one complete RESP reply (any type) and returns its raw bytes. */
    byte[] readReply() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        readOne(buf);
        return buf.toByteArray();
    }

    String readReplyString() throws IOException {
        return new String(readReply(), StandardCharsets.ISO_8859_1);
    }

    private String line(ByteArrayOutputStream buf) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("EOF after " + buf);
            }
            buf.write(c);
            if (c == '\n' && sb.length() > 0 && sb.charAt(sb.length() - 1) == '\r') {
                return sb.substring(0, sb.length() - 1);
            }
            sb.append((char) c);
        }
    }

    private void readOne(ByteArrayOutputStream buf) throws IOException {
        String l = line(buf);
        char t = l.charAt(0);
        switch (t) {
            case '+', '-', ':', '_', ',', '#', '(' -> {
            }
            case '$', '=', '!' -> {
                int n = Integer.parseInt(l.substring(1));
                if (n >= 0) {
                    buf.write(in.readNBytes(n + 2));
                }
            }
            case '*', '~', '>' -> {
                int n = Integer.parseInt(l.substring(1));
                for (int i = 0; i < n; i++) {
                    readOne(buf);
                }
            }
            case '%', '|' -> {
                int n = Integer.parseInt(l.substring(1));
                for (int i = 0; i < 2 * n; i++) {
                    readOne(buf);
                }
            }
            default -> throw new IOException("bad reply type: " + l);
        }
    }

    /** @return true when the server closed the connection (within {@code ms}). */
    boolean closedWithin(int ms) throws IOException {
        socket.setSoTimeout(ms);
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** Waits up to 5 s until {@code n} clients of {@code store} are blocked, and asserts it. */
    static void waitBlocked(io.redjar.Store store, int n) throws InterruptedException {
        long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (io.redjar.internal.Internals.engine(store).blocking().blocked() < n && System.nanoTime() < end) {
            Thread.sleep(1);
        }
        org.junit.jupiter.api.Assertions.assertEquals(n, io.redjar.internal.Internals.engine(store).blocking().blocked(), "clients blocked");
    }

    /** @return {@code args} as one RESP command (an array of bulk strings, UTF-8) */
    static String cmd(String... args) {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString();
    }

    /** Sends {@code args} on {@code c} and @return its reply's raw text */
    static String call(RawConn c, String... args) throws IOException {
        c.send(cmd(args));
        return c.readReplyString();
    }

    /**
     * Sends PING on {@code c} until it answers {@code busy} (a script has passed
     * {@code busy-reply-threshold}); before that every answer must be PONG. Fails after 20 s.
     */
    static void awaitBusy(RawConn c, String busy) throws IOException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        while (true) {
            String r = call(c, "PING");
            if (r.equals(busy)) {
                return;
            }
            org.junit.jupiter.api.Assertions.assertEquals("+PONG\r\n", r, "before the threshold");
            org.junit.jupiter.api.Assertions.assertTrue(System.nanoTime() < deadline, "the script never became busy");
        }
    }
}
