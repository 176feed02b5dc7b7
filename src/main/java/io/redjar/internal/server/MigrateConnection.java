package io.redjar.internal.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * A connection MIGRATE keeps to a target server: Redis's {@code connBlockingConnect},
 * {@code connSyncWrite} and {@code connSyncReadLine}, each bounded by the command's timeout, on a
 * non-blocking {@link SocketChannel} and a {@link Selector} (a plain blocking socket cannot time
 * out a write, and a MIGRATE must never hang its thread on a target that stopped reading).
 *
 * <p><b>Thread-safety:</b> not thread-safe; {@link MigrateSockets} hands a connection to one
 * MIGRATE at a time.
 */
public final class MigrateConnection implements AutoCloseable {
    /** Redis reads each reply line into a 1024-byte buffer. */
    private static final int MAX_LINE = 1024;

    private final SocketChannel channel;
    private final Selector selector;
    private final ByteBuffer in = ByteBuffer.allocate(16 * 1024);
    /** The database the target has selected on this connection; -1 when unknown. */
    private long lastDb = -1;
    /** When it was last used, in seconds (Redis's {@code last_use_time}). */
    long lastUseSeconds;
    /** Whether the last failed operation failed by its timeout (Redis: {@code errno == ETIMEDOUT}). */
    private boolean timedOut;

    private MigrateConnection(SocketChannel channel, Selector selector) {
        this.channel = channel;
        this.selector = selector;
        in.flip();
    }

    /**
     * Connects within {@code timeoutMs}.
     *
     * @throws IOException on failure or timeout
     */
    public static MigrateConnection connect(String host, int port, long timeoutMs) throws IOException {
        SocketChannel ch = SocketChannel.open();
        Selector sel = null;
        try {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            sel = Selector.open();
            if (!ch.connect(new InetSocketAddress(host, port))) {
                SelectionKey k = ch.register(sel, SelectionKey.OP_CONNECT);
                long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
                while (!ch.finishConnect()) {
                    long left = (deadline - System.nanoTime()) / 1_000_000L;
                    if (left <= 0) {
                        throw new IOException("connect timed out");
                    }
                    sel.select(left);
                    sel.selectedKeys().clear();
                }
                k.cancel();
                sel.selectNow();
            }
            return new MigrateConnection(ch, sel);
        } catch (IOException | RuntimeException e) {
            ch.close();
            if (sel != null) {
                sel.close();
            }
            throw e instanceof IOException io ? io : new IOException(e);
        }
    }

    /** @return the database selected on the target through this connection; -1 when unknown */
    public long lastDb() {
        return lastDb;
    }

    /** Records the database selected on the target; -1 forces a SELECT next time. */
    public void lastDb(long db) {
        this.lastDb = db;
    }

    /** @return whether the last failure was a timeout */
    public boolean timedOut() {
        return timedOut;
    }

    /**
     * Writes all of {@code data}, waiting at most {@code timeoutMs} for each chunk to go out.
     *
     * @return false on an error or a timeout
     */
    public boolean write(byte[] data, long timeoutMs) {
        timedOut = false;
        ByteBuffer b = ByteBuffer.wrap(data);
        try {
            SelectionKey k = channel.register(selector, SelectionKey.OP_WRITE);
            try {
                while (b.hasRemaining()) {
                    if (channel.write(b) == 0) {
                        if (selector.select(timeoutMs) == 0) {
                            timedOut = true;
                            return false;
                        }
                        selector.selectedKeys().clear();
                    }
                }
            } finally {
                k.interestOps(0);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Reads one line (without its CR LF), waiting at most {@code timeoutMs} for more bytes each time.
     *
     * @return the line, or null on an error, a timeout or a closed connection
     */
    public String readLine(long timeoutMs) {
        timedOut = false;
        StringBuilder line = new StringBuilder();
        try {
            SelectionKey k = channel.register(selector, SelectionKey.OP_READ);
            try {
                while (true) {
                    while (in.hasRemaining()) {
                        byte c = in.get();
                        if (c == '\n') {
                            int n = line.length();
                            if (n > 0 && line.charAt(n - 1) == '\r') {
                                line.setLength(n - 1);
                            }
                            return line.toString();
                        }
                        if (line.length() < MAX_LINE) {
                            line.append((char) (c & 0xFF));
                        }
                    }
                    in.clear();
                    int r = channel.read(in);
                    in.flip();
                    if (r < 0) {
                        return null;
                    }
                    if (r == 0) {
                        if (selector.select(timeoutMs) == 0) {
                            timedOut = true;
                            return null;
                        }
                        selector.selectedKeys().clear();
                    }
                }
            } finally {
                k.interestOps(0);
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
