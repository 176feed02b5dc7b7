package io.redjar.internal.persistence.aof;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A growable byte buffer that encodes commands as RESP arrays of bulk strings, the append-only
 * file's format ({@code *<argc>\r\n$<len>\r\n<bytes>\r\n...}).
 *
 * Also the command encoding of the change feed's records ({@code io.redjar.internal.feed}).
 *
 * <p><b>Thread-safety:</b> not thread-safe; owned by one writer (under its lock).
 */
public final class RespEncoding {
    private static final byte[] CRLF = {'\r', '\n'};
    private byte[] buf;
    private int len;

    public RespEncoding(int initial) {
        buf = new byte[Math.max(64, initial)];
    }

    /** Appends one command. */
    public void command(byte[]... argv) {
        header('*', argv.length);
        for (byte[] a : argv) {
            header('$', a.length);
            put(a, 0, a.length);
            put(CRLF, 0, 2);
        }
    }

    private void header(char type, long n) {
        ensure(24);
        buf[len++] = (byte) type;
        String s = Long.toString(n);
        for (int i = 0; i < s.length(); i++) {
            buf[len++] = (byte) s.charAt(i);
        }
        buf[len++] = '\r';
        buf[len++] = '\n';
    }

    private void put(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
    }

    private void ensure(int more) {
        long need = (long) len + more;
        if (need > buf.length) {
            if (need > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("append-only file buffer over 2 GiB");
            }
            buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(need, (long) buf.length * 2)));
        }
    }

    /** @return the bytes encoded so far */
    public int length() {
        return len;
    }

    /** @return a buffer over the encoded bytes (valid until the next change) */
    public ByteBuffer view() {
        return ByteBuffer.wrap(buf, 0, len);
    }

    /** Copies the encoded bytes into {@code dst} at {@code at}. */
    public void copyTo(byte[] dst, int at) {
        System.arraycopy(buf, 0, dst, at, len);
    }

    /** @return a copy of the encoded bytes */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    public void clear() {
        len = 0;
        if (buf.length > 1 << 20) {
            buf = new byte[64 * 1024]; // don't keep a huge buffer after a burst
        }
    }
}
