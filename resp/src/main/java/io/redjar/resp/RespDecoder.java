package io.redjar.resp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Decodes client requests into commands ({@code byte[][]}), exactly as Redis 7.0's
 * {@code processMultibulkBuffer} / {@code processInlineBuffer} do, as an explicit state machine that
 * resumes wherever the previous read stopped (frames may be split at any byte).
 *
 * <p>Emits {@code byte[][]} for each command and, on a protocol violation, one {@link ProtocolError}
 * after which it discards all further input (the connection handler replies and closes, like Redis).
 * Empty commands ({@code *0}, {@code *-1}, blank inline lines) are skipped silently, like Redis.
 *
 * <p>Bulk payloads are copied straight into a byte array of the announced length (grown
 * geometrically above {@value #PREALLOC_LIMIT} bytes so a bare header cannot make us allocate
 * 512MB), so large arguments cost linear time however they are fragmented.
 *
 * <p><b>Thread-safety:</b> one instance per channel (Netty confines it to the channel's event loop).
 */
public final class RespDecoder extends ByteToMessageDecoder {
    /** Redis's PROTO_INLINE_MAX_SIZE. */
    public static final int INLINE_MAX_SIZE = 64 * 1024;
    /** Redis's default proto-max-bulk-len. */
    public static final long DEFAULT_MAX_BULK_LEN = 512L * 1024 * 1024;
    static final int PREALLOC_LIMIT = 1 << 20;

    /** A protocol violation: the message without the leading "ERR " (e.g. "Protocol error: ..."). */
    public record ProtocolError(String message) {
    }

    /**
     * The command being read would exceed {@code client-query-buffer-limit}: Redis closes such a
     * client without a reply.
     */
    public record QueryBufferLimit() {
    }

    /** Redis's default {@code client-query-buffer-limit}: 1 GB. */
    public static final long DEFAULT_QUERY_BUFFER_LIMIT = 1024L * 1024 * 1024;

    private enum State { IDLE, BULK_HEADER, BULK_DATA, BULK_CRLF, FAILED }

    private final long maxBulkLen;
    private final long queryBufferLimit;
    private final BooleanSupplier authRequired;
    /** Bytes of the current multibulk command announced so far. */
    private long pending;

    private State state = State.IDLE;
    private int remainingArgs;
    private List<byte[]> args;
    private byte[] bulk;
    private int bulkLen;
    private int bulkFilled;
    private int crlfToSkip;

    public RespDecoder() {
        this(DEFAULT_MAX_BULK_LEN, () -> false);
    }

    /**
     * @param maxBulkLen   proto-max-bulk-len
     * @param authRequired whether the connection still has to authenticate (Redis then caps
     *                     multibulk length at 10 and bulk length at 16384)
     */
    public RespDecoder(long maxBulkLen, BooleanSupplier authRequired) {
        this(maxBulkLen, DEFAULT_QUERY_BUFFER_LIMIT, authRequired);
    }

    /**
     * @param queryBufferLimit client-query-buffer-limit: the most bytes one command may hold
     */
    public RespDecoder(long maxBulkLen, long queryBufferLimit, BooleanSupplier authRequired) {
        this.maxBulkLen = maxBulkLen;
        this.queryBufferLimit = queryBufferLimit;
        this.authRequired = authRequired;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        decode(in, out);
    }

    /** The decoding loop, usable without a channel (tests): consumes what it can from {@code in}. */
    public void decode(ByteBuf in, List<Object> out) {
        while (true) {
            switch (state) {
                case FAILED -> {
                    in.skipBytes(in.readableBytes());
                    return;
                }
                case IDLE -> {
                    if (!in.isReadable()) {
                        return;
                    }
                    boolean progressed = in.getByte(in.readerIndex()) == '*' ? multibulkHeader(in, out) : inline(in, out);
                    if (!progressed) {
                        return;
                    }
                }
                case BULK_HEADER -> {
                    if (!bulkHeader(in, out)) {
                        return;
                    }
                }
                case BULK_DATA -> {
                    int n = Math.min(in.readableBytes(), bulkLen - bulkFilled);
                    if (n > 0) {
                        if (bulkFilled + n > bulk.length) {
                            long want = Math.max((long) bulk.length * 2, bulkFilled + n);
                            bulk = java.util.Arrays.copyOf(bulk, (int) Math.min(want, bulkLen));
                        }
                        in.readBytes(bulk, bulkFilled, n);
                        bulkFilled += n;
                    }
                    if (bulkFilled < bulkLen) {
                        return;
                    }
                    args.add(bulk);
                    bulk = null;
                    crlfToSkip = 2;
                    state = State.BULK_CRLF;
                }
                case BULK_CRLF -> {
                    // Redis skips the two bytes after the payload without checking them.
                    int n = Math.min(crlfToSkip, in.readableBytes());
                    in.skipBytes(n);
                    crlfToSkip -= n;
                    if (crlfToSkip > 0) {
                        return;
                    }
                    if (--remainingArgs == 0) {
                        out.add(args.toArray(new byte[0][]));
                        args = null;
                        state = State.IDLE;
                    } else {
                        state = State.BULK_HEADER;
                    }
                }
                default -> throw new IllegalStateException(state.name());
            }
        }
    }

    private void fail(String message, List<Object> out) {
        state = State.FAILED;
        args = null;
        bulk = null;
        out.add(new ProtocolError(message));
    }

    /** @return the index of the first '\r' at or after readerIndex+from, or -1. */
    private static int indexOfCr(ByteBuf in, int from) {
        return in.indexOf(in.readerIndex() + from, in.writerIndex(), (byte) '\r');
    }

    /** Reads "*<n>\r\n"; returns false when more bytes are needed. */
    private boolean multibulkHeader(ByteBuf in, List<Object> out) {
        int cr = indexOfCr(in, 0);
        if (cr < 0) {
            if (in.readableBytes() > INLINE_MAX_SIZE) {
                fail("Protocol error: too big mbulk count string", out);
                return true;
            }
            return false;
        }
        if (cr + 1 >= in.writerIndex()) {
            return false; // the '\n' has not arrived yet
        }
        long n = parseLong(in, in.readerIndex() + 1, cr);
        if (n == Long.MIN_VALUE || n > Integer.MAX_VALUE) {
            fail("Protocol error: invalid multibulk length", out);
            return true;
        }
        if (n > 10 && authRequired.getAsBoolean()) {
            fail("Protocol error: unauthenticated multibulk length", out);
            return true;
        }
        in.readerIndex(cr + 2);
        if (n <= 0) {
            return true; // empty command: ignored
        }
        remainingArgs = (int) n;
        pending = 0;
        args = new ArrayList<>((int) Math.min(n, 1024));
        state = State.BULK_HEADER;
        return true;
    }

    /** Reads "$<len>\r\n"; returns false when more bytes are needed. */
    private boolean bulkHeader(ByteBuf in, List<Object> out) {
        int cr = indexOfCr(in, 0);
        if (cr < 0) {
            if (in.readableBytes() > INLINE_MAX_SIZE) {
                fail("Protocol error: too big bulk count string", out);
                return true;
            }
            return false;
        }
        if (cr + 1 >= in.writerIndex()) {
            return false;
        }
        byte first = in.getByte(in.readerIndex());
        if (first != '$') {
            fail("Protocol error: expected '$', got '" + (char) (first & 0xFF) + "'", out);
            return true;
        }
        long len = parseLong(in, in.readerIndex() + 1, cr);
        if (len == Long.MIN_VALUE || len < 0 || len > maxBulkLen || len > Integer.MAX_VALUE - 8) {
            fail("Protocol error: invalid bulk length", out);
            return true;
        }
        if (len > 16384 && authRequired.getAsBoolean()) {
            fail("Protocol error: unauthenticated bulk length", out);
            return true;
        }
        pending += len;
        if (pending > queryBufferLimit) {
            state = State.FAILED;
            args = null;
            bulk = null;
            out.add(new QueryBufferLimit());
            return true;
        }
        in.readerIndex(cr + 2);
        bulkLen = (int) len;
        bulkFilled = 0;
        bulk = new byte[Math.min(bulkLen, PREALLOC_LIMIT)];
        state = State.BULK_DATA;
        return true;
    }

    /** Reads one inline command line; returns false when more bytes are needed. */
    private boolean inline(ByteBuf in, List<Object> out) {
        int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
        if (lf < 0) {
            if (in.readableBytes() > INLINE_MAX_SIZE) {
                fail("Protocol error: too big inline request", out);
                return true;
            }
            return false;
        }
        int end = lf;
        if (end > in.readerIndex() && in.getByte(end - 1) == '\r') {
            end--;
        }
        byte[] line = new byte[end - in.readerIndex()];
        in.getBytes(in.readerIndex(), line);
        in.readerIndex(lf + 1);
        List<byte[]> words = io.redjar.spi.Wire.splitArgs(line);
        if (words == null) {
            fail("Protocol error: unbalanced quotes in request", out);
            return true;
        }
        if (!words.isEmpty()) {
            out.add(words.toArray(new byte[0][]));
        }
        return true;
    }

    /**
     * Redis's {@code string2ll} over in[from, to): optional '-', no '+', no leading zeros, no
     * spaces, fits in a long.
     *
     * @return the value, or Long.MIN_VALUE when it is not a valid number
     */
    static long parseLong(ByteBuf in, int from, int to) {
        int len = to - from;
        if (len <= 0 || len > 20) {
            return Long.MIN_VALUE;
        }
        int i = from;
        boolean neg = false;
        if (in.getByte(i) == '-') {
            neg = true;
            i++;
            if (i == to) {
                return Long.MIN_VALUE;
            }
        }
        byte d0 = in.getByte(i);
        if (d0 == '0') {
            return (len == 1) ? 0 : Long.MIN_VALUE;
        }
        long v = 0;
        for (; i < to; i++) {
            int d = in.getByte(i) - '0';
            if (d < 0 || d > 9) {
                return Long.MIN_VALUE;
            }
            if (v > (Long.MAX_VALUE - d) / 10) {
                return Long.MIN_VALUE; // overflow (LLONG_MIN itself is never a valid length anyway)
            }
            v = v * 10 + d;
        }
        return neg ? -v : v;
    }
}
