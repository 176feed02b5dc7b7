package io.redjar.hitratio;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal pipelining RESP2 client for the hit-ratio driver: commands are buffered by
 * {@link #send}, written by {@link #flush}, and their replies read back in order by
 * {@link #read} (which keeps only what the driver needs: the kind of reply and, for bulk strings
 * and errors, the text).
 *
 * <p>Design note: the same tiny client drives RedJar and redis-server, so client costs are equal on
 * both sides; it allocates nothing per GET reply except when the caller asks for the text.
 *
 * <p>Thread-safety: none; one thread per instance.
 */
final class RespPipe implements AutoCloseable {
    /** The kinds of reply the driver tells apart. */
    enum Kind { STATUS, ERROR, INTEGER, BULK, NULL, ARRAY }

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private Kind kind;
    private String text;
    private long integer;

    RespPipe(String host, int port) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), 10_000);
        socket.setSoTimeout(120_000);
        out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
        in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
    }

    /** Buffers one command. */
    void send(byte[]... argv) throws IOException {
        out.write('*');
        writeNumber(argv.length);
        for (byte[] a : argv) {
            out.write('$');
            writeNumber(a.length);
            out.write(a);
            out.write('\r');
            out.write('\n');
        }
    }

    /** Buffers one command given as strings. */
    void send(String... argv) throws IOException {
        byte[][] b = new byte[argv.length][];
        for (int i = 0; i < argv.length; i++) {
            b[i] = argv[i].getBytes(StandardCharsets.UTF_8);
        }
        send(b);
    }

    void flush() throws IOException {
        out.flush();
    }

    /**
     * Reads the next reply (an array's elements are skipped).
     *
     * @param keepText whether to keep a bulk string's or status's text ({@link #text})
     * @return its kind
     */
    Kind read(boolean keepText) throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("connection closed");
        }
        String line = readLine();
        text = null;
        switch (type) {
            case '+' -> {
                kind = Kind.STATUS;
                text = line;
            }
            case '-' -> {
                kind = Kind.ERROR;
                text = line;
            }
            case ':' -> {
                kind = Kind.INTEGER;
                integer = Long.parseLong(line);
            }
            case '$' -> {
                int len = Integer.parseInt(line);
                if (len < 0) {
                    kind = Kind.NULL;
                } else {
                    kind = Kind.BULK;
                    if (keepText) {
                        text = new String(in.readNBytes(len), StandardCharsets.UTF_8);
                    } else {
                        in.skipNBytes(len);
                    }
                    readLine();
                }
            }
            case '*' -> {
                int n = Integer.parseInt(line);
                kind = n < 0 ? Kind.NULL : Kind.ARRAY;
                for (int i = 0; i < n; i++) {
                    read(false);
                }
                kind = n < 0 ? Kind.NULL : Kind.ARRAY;
                integer = n;
            }
            default -> throw new IOException("unexpected reply type '" + (char) type + "'");
        }
        return kind;
    }

    /** @return the text of the last status, error or kept bulk reply */
    String text() {
        return text;
    }

    /** @return the last integer reply (or array length) */
    long integer() {
        return integer;
    }

    /** Sends one command and returns its reply's text (status, error or bulk) or integer as text. */
    String call(String... argv) throws IOException {
        send(argv);
        flush();
        Kind k = read(true);
        return switch (k) {
            case INTEGER -> Long.toString(integer);
            case NULL -> null;
            case ARRAY -> "(array " + integer + ")";
            case ERROR -> "-" + text;
            default -> text;
        };
    }

    private String readLine() throws IOException {
        StringBuilder sb = new StringBuilder(16);
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("connection closed in a reply line");
            }
            if (c == '\r') {
                in.read();
                return sb.toString();
            }
            sb.append((char) c);
        }
    }

    private void writeNumber(int n) throws IOException {
        out.write(Integer.toString(n).getBytes(StandardCharsets.US_ASCII));
        out.write('\r');
        out.write('\n');
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
