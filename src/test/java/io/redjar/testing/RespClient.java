package io.redjar.testing;

import io.redjar.Reply;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal blocking RESP client for tests: one socket, one command at a time (or a pipelined
 * batch), replies decoded into {@link Reply} by {@link RespDecoder}.
 *
 * <p>By default it speaks RESP3: right after connecting it sends {@code HELLO 3}, so the server
 * answers with RESP3 types (maps, sets, doubles, booleans, {@code _} nulls), which is what RedJar's
 * in-process {@link Reply} values mirror. Pass {@code resp3 = false} to stay on RESP2 (no
 * {@code HELLO} is sent).
 *
 * <p>Every reply, errors included, is returned as a value; only I/O failures throw, as
 * {@link UncheckedIOException} naming the command and the server. A socket read timeout (10 s by
 * default) keeps a wedged server from hanging a test. Out-of-band RESP3 pushes are not filtered:
 * {@link #call} returns whatever reply comes next, which is what pub/sub tests want.
 *
 * <p><b>Thread-safety:</b> not thread-safe; use one client per thread.
 */
public final class RespClient implements AutoCloseable {

    /** Connect and read timeout used when none is given. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final String host;
    private final int port;
    private final boolean resp3;
    private final Socket socket;
    private final OutputStream out;
    private final RespDecoder decoder;
    private final Reply hello;

    /** Connects with RESP3 ({@code HELLO 3}) and the default timeout. */
    public RespClient(String host, int port) {
        this(host, port, true, DEFAULT_TIMEOUT);
    }

    /** Connects with the default timeout; {@code resp3 = false} stays on RESP2. */
    public RespClient(String host, int port, boolean resp3) {
        this(host, port, resp3, DEFAULT_TIMEOUT);
    }

    /**
     * Connects to {@code host:port}.
     *
     * @param resp3   whether to switch to RESP3 with {@code HELLO 3}
     * @param timeout connect timeout and socket read timeout
     * @throws UncheckedIOException if the connection fails or the server refuses {@code HELLO 3}
     */
    public RespClient(String host, int port, boolean resp3, Duration timeout) {
        this.host = host;
        this.port = port;
        this.resp3 = resp3;
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.setSoTimeout(Math.toIntExact(timeout.toMillis()));
            s.connect(new InetSocketAddress(host, port), Math.toIntExact(timeout.toMillis()));
            this.socket = s;
            this.out = new BufferedOutputStream(s.getOutputStream(), 16 * 1024);
            this.decoder = new RespDecoder(s.getInputStream());
        } catch (IOException e) {
            closeQuietly(s);
            throw new UncheckedIOException("cannot connect to " + host + ":" + port + ": " + e.getMessage(), e);
        }
        if (resp3) {
            Reply r;
            try {
                r = call("HELLO", "3");
            } catch (RuntimeException e) {
                closeQuietly(s);
                throw e;
            }
            if (r.isError()) {
                closeQuietly(s);
                throw new UncheckedIOException(new IOException(
                        "server at " + host + ":" + port + " refused HELLO 3: " + ReplyFormat.reply(r)));
            }
            this.hello = r;
        } else {
            this.hello = null;
        }
    }

    /** @return whether this connection speaks RESP3 */
    public boolean resp3() {
        return resp3;
    }

    /** @return the server's answer to {@code HELLO 3} (a map), or {@code null} on RESP2 */
    public Reply hello() {
        return hello;
    }

    /** @return {@code host:port} of the server */
    public String address() {
        return host + ":" + port;
    }

    /** Sends one command and returns its reply (errors are replies, not exceptions). */
    public Reply call(byte[]... argv) {
        send(argv);
        flush(argv);
        return read(argv);
    }

    /** Sends one command given as UTF-8 strings and returns its reply. */
    public Reply call(String... argv) {
        return call(toBytes(argv));
    }

    /**
     * Sends all {@code commands} before reading any reply (in batches of at most 1,000, so no
     * buffer can fill up on either side) and returns the replies in order.
     */
    public List<Reply> pipeline(List<byte[][]> commands) {
        List<Reply> replies = new ArrayList<>(commands.size());
        final int batch = 1000;
        for (int from = 0; from < commands.size(); from += batch) {
            int to = Math.min(commands.size(), from + batch);
            for (int i = from; i < to; i++) {
                send(commands.get(i));
            }
            flush(commands.get(from));
            for (int i = from; i < to; i++) {
                replies.add(read(commands.get(i)));
            }
        }
        return replies;
    }

    /** Reads the next reply without sending anything (e.g. further pushes after SUBSCRIBE). */
    public Reply read() {
        return read(null);
    }

    /** @return {@code argv} encoded as a RESP array of bulk strings, exactly as sent. */
    public static byte[] encode(byte[]... argv) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            writeCommand(b, argv);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    /** @return the strings as UTF-8 byte arrays. */
    public static byte[][] toBytes(String... argv) {
        byte[][] out = new byte[argv.length][];
        for (int i = 0; i < argv.length; i++) {
            out[i] = argv[i].getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    @Override
    public String toString() {
        return "RespClient[" + address() + (resp3 ? ", RESP3]" : ", RESP2]");
    }

    private void send(byte[][] argv) {
        if (argv.length == 0) {
            throw new IllegalArgumentException("empty command");
        }
        try {
            writeCommand(out, argv);
        } catch (IOException e) {
            throw failure("sending", argv, e);
        }
    }

    private void flush(byte[][] argv) {
        try {
            out.flush();
        } catch (IOException e) {
            throw failure("sending", argv, e);
        }
    }

    private Reply read(byte[][] argv) {
        try {
            return decoder.read();
        } catch (IOException e) {
            throw failure("reading the reply to", argv, e);
        }
    }

    private UncheckedIOException failure(String doing, byte[][] argv, IOException e) {
        String what = argv == null ? "the next reply" : ReplyFormat.command(argv);
        return new UncheckedIOException(doing + " " + what + " on " + address() + ": " + e, e);
    }

    private static void writeCommand(OutputStream o, byte[][] argv) throws IOException {
        header(o, '*', argv.length);
        for (byte[] a : argv) {
            header(o, '$', a.length);
            o.write(a);
            o.write('\r');
            o.write('\n');
        }
    }

    private static void header(OutputStream o, char type, int n) throws IOException {
        o.write(type);
        o.write(Integer.toString(n).getBytes(StandardCharsets.US_ASCII));
        o.write('\r');
        o.write('\n');
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing: nothing useful to do
        }
    }
}
