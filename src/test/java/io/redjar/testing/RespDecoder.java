package io.redjar.testing;

import io.redjar.Reply;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A blocking decoder of RESP2 and RESP3 replies from an {@link InputStream}, producing
 * {@link Reply} values. It buffers internally, so the stream may be a raw socket stream; it works
 * just as well over a byte array ({@link #decode(byte[])}), which is how it is unit-tested.
 *
 * <p>Type mapping:
 * <table>
 *   <caption>RESP type to Reply</caption>
 *   <tr><th>wire</th><th>Reply</th></tr>
 *   <tr><td>{@code +} simple string</td><td>{@link Reply.SimpleString}</td></tr>
 *   <tr><td>{@code -} error, {@code !} blob error</td><td>{@link Reply.ErrorReply} (message without the dash)</td></tr>
 *   <tr><td>{@code :} integer</td><td>{@link Reply.IntegerReply}</td></tr>
 *   <tr><td>{@code ,} double ({@code inf}, {@code -inf}, {@code nan} included)</td><td>{@link Reply.DoubleReply}</td></tr>
 *   <tr><td>{@code #t} / {@code #f}</td><td>{@link Reply.Bool}</td></tr>
 *   <tr><td>{@code $} bulk string, also streamed ({@code $?} with {@code ;} chunks)</td><td>{@link Reply.Bulk}</td></tr>
 *   <tr><td>{@code $-1} (RESP2 null bulk)</td><td>{@link Reply#NULL}</td></tr>
 *   <tr><td>{@code _} (RESP3 null, which Redis sends for null bulk <em>and</em> null array)</td><td>{@link Reply#NULL}</td></tr>
 *   <tr><td>{@code *-1} (RESP2 null array)</td><td>{@link Reply#NULL_ARRAY}</td></tr>
 *   <tr><td>{@code =} verbatim string</td><td>{@link Reply.Verbatim} (format = the 3 bytes before the colon)</td></tr>
 *   <tr><td>{@code *} array, {@code %} map, {@code ~} set, {@code >} push (also streamed, {@code ?} ... {@code .})</td>
 *       <td>{@link Reply.ArrayReply}, {@link Reply.Map}, {@link Reply.SetReply}, {@link Reply.Push}</td></tr>
 *   <tr><td>{@code (} big number</td><td>{@link Reply.Bulk} holding the decimal digits (with a leading {@code -}
 *       if negative). {@link Reply} has no big-number type; Redis 7.0 sends one only for
 *       {@code DEBUG PROTOCOL bignum}.</td></tr>
 *   <tr><td>{@code |} attribute</td><td>skipped: the attribute map is read and dropped, and the reply that
 *       follows it is returned</td></tr>
 * </table>
 *
 * <p>Malformed input raises {@link ProtocolException}; a stream that ends mid-reply or before one
 * raises {@link EOFException}.
 *
 * <p><b>Thread-safety:</b> not thread-safe; one reader at a time.
 */
public final class RespDecoder {

    /** Largest bulk string accepted (Redis' own {@code proto-max-bulk-len} default). */
    public static final int MAX_BULK_LENGTH = 512 * 1024 * 1024;
    /** Longest simple-string, error or header line accepted. */
    public static final int MAX_LINE_LENGTH = 1024 * 1024;

    private static final Pattern DOUBLE = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Pattern BIG_NUMBER = Pattern.compile("-?\\d+");

    private final InputStream in;
    private final byte[] buf = new byte[16 * 1024];
    private int pos;
    private int limit;

    /** Raised for bytes that are not valid RESP. */
    public static final class ProtocolException extends IOException {
        private static final long serialVersionUID = 1L;

        /** @param message what was wrong */
        public ProtocolException(String message) {
            super(message);
        }
    }

    /** @param in the stream to decode; it need not be buffered */
    public RespDecoder(InputStream in) {
        this.in = Objects.requireNonNull(in, "in");
    }

    /**
     * Decodes exactly one reply from {@code bytes}.
     *
     * @throws ProtocolException if the bytes are malformed or hold more than one reply
     * @throws EOFException      if they hold an incomplete reply
     */
    public static Reply decode(byte[] bytes) throws IOException {
        RespDecoder d = new RespDecoder(new ByteArrayInputStream(bytes));
        Reply r = d.read();
        if (d.hasBuffered() || d.in.available() > 0) {
            throw new ProtocolException("trailing bytes after the reply " + ReplyFormat.reply(r));
        }
        return r;
    }

    /** Decodes every reply in {@code bytes}, in order. */
    public static List<Reply> decodeAll(byte[] bytes) throws IOException {
        RespDecoder d = new RespDecoder(new ByteArrayInputStream(bytes));
        List<Reply> out = new ArrayList<>();
        while (d.hasBuffered() || d.fill()) {
            out.add(d.read());
        }
        return out;
    }

    /**
     * Blocks until one complete reply has been read and returns it.
     *
     * @throws EOFException      if the stream ends first
     * @throws ProtocolException if the bytes are not valid RESP
     */
    public Reply read() throws IOException {
        Object v = readValue(false);
        return (Reply) v;
    }

    private boolean hasBuffered() {
        return pos < limit;
    }

    /** Marker for the {@code .} that ends a streamed aggregate. */
    private static final Object END = new Object();

    private Object readValue(boolean endAllowed) throws IOException {
        int type = readByte();
        switch (type) {
            case '+':
                return new Reply.SimpleString(readLineString());
            case '-':
                return new Reply.ErrorReply(readLineString());
            case ':':
                return Reply.integer(parseLong(readLineString(), "integer"));
            case ',':
                return new Reply.DoubleReply(parseDouble(readLineString()));
            case '#': {
                String s = readLineString();
                if (s.equals("t")) {
                    return new Reply.Bool(true);
                }
                if (s.equals("f")) {
                    return new Reply.Bool(false);
                }
                throw new ProtocolException("bad boolean '#" + s + "'");
            }
            case '_': {
                String s = readLineString();
                if (!s.isEmpty()) {
                    throw new ProtocolException("bad null '_" + s + "'");
                }
                return Reply.NULL;
            }
            case '$': {
                String header = readLineString();
                if (header.equals("?")) {
                    return new Reply.Bulk(readStreamedString());
                }
                long len = parseLong(header, "bulk length");
                if (len == -1) {
                    return Reply.NULL;
                }
                return new Reply.Bulk(readBlob(len));
            }
            case '!':
                return new Reply.ErrorReply(new String(readBlob(parseLong(readLineString(), "blob error length")),
                        StandardCharsets.UTF_8));
            case '=': {
                byte[] blob = readBlob(parseLong(readLineString(), "verbatim length"));
                if (blob.length < 4 || blob[3] != ':') {
                    throw new ProtocolException("verbatim string without a 3-byte format: " + ReplyFormat.quote(blob));
                }
                return new Reply.Verbatim(new String(blob, 0, 3, StandardCharsets.UTF_8),
                        new String(blob, 4, blob.length - 4, StandardCharsets.UTF_8));
            }
            case '(': {
                String digits = readLineString();
                if (!BIG_NUMBER.matcher(digits).matches()) {
                    throw new ProtocolException("bad big number '(" + digits + "'");
                }
                return new Reply.Bulk(digits.getBytes(StandardCharsets.US_ASCII));
            }
            case '*': {
                String header = readLineString();
                if (header.equals("-1")) {
                    return Reply.NULL_ARRAY;
                }
                return new Reply.ArrayReply(readElements(header, 1));
            }
            case '%':
                return new Reply.Map(readElements(readLineString(), 2));
            case '~':
                return new Reply.SetReply(readElements(readLineString(), 1));
            case '>':
                return new Reply.Push(readElements(readLineString(), 1));
            case '|':
                readElements(readLineString(), 2); // attributes: read and dropped
                return readValue(endAllowed);
            case '.':
                if (endAllowed) {
                    String s = readLineString();
                    if (!s.isEmpty()) {
                        throw new ProtocolException("bad end-of-aggregate '." + s + "'");
                    }
                    return END;
                }
                throw new ProtocolException("'.' outside a streamed aggregate");
            default:
                throw new ProtocolException("unknown RESP type byte " + describeByte(type));
        }
    }

    /** Reads {@code count * per} elements, or a streamed aggregate when the header is {@code ?}. */
    private List<Reply> readElements(String header, int per) throws IOException {
        List<Reply> out = new ArrayList<>();
        if (header.equals("?")) {
            while (true) {
                Object v = readValue(out.size() % per == 0);
                if (v == END) {
                    return out;
                }
                out.add((Reply) v);
            }
        }
        long count = parseLong(header, "aggregate length");
        if (count < 0 || count > Integer.MAX_VALUE / 2) {
            throw new ProtocolException("bad aggregate length " + count);
        }
        long n = count * per;
        for (long i = 0; i < n; i++) {
            out.add((Reply) readValue(false));
        }
        return out;
    }

    private byte[] readStreamedString() throws IOException {
        java.io.ByteArrayOutputStream acc = new java.io.ByteArrayOutputStream();
        while (true) {
            int t = readByte();
            if (t != ';') {
                throw new ProtocolException("expected ';' chunk in streamed string, got " + describeByte(t));
            }
            long len = parseLong(readLineString(), "chunk length");
            if (len == 0) {
                return acc.toByteArray();
            }
            if (acc.size() + len > MAX_BULK_LENGTH) {
                throw new ProtocolException("streamed string longer than " + MAX_BULK_LENGTH);
            }
            acc.writeBytes(readBlob(len));
        }
    }

    private byte[] readBlob(long len) throws IOException {
        if (len < 0 || len > MAX_BULK_LENGTH) {
            throw new ProtocolException("bad string length " + len);
        }
        byte[] out = new byte[(int) len];
        int off = 0;
        while (off < out.length) {
            if (pos == limit && !fill()) {
                throw new EOFException("stream ended inside a " + len + "-byte string");
            }
            int n = Math.min(limit - pos, out.length - off);
            System.arraycopy(buf, pos, out, off, n);
            pos += n;
            off += n;
        }
        if (readByte() != '\r' || readByte() != '\n') {
            throw new ProtocolException("string of length " + len + " not followed by CRLF");
        }
        return out;
    }

    private String readLineString() throws IOException {
        byte[] line = new byte[64];
        int n = 0;
        while (true) {
            int b = readByte();
            if (b == '\r') {
                int lf = readByte();
                if (lf != '\n') {
                    throw new ProtocolException("CR not followed by LF");
                }
                return new String(line, 0, n, StandardCharsets.UTF_8);
            }
            if (b == '\n') {
                throw new ProtocolException("bare LF in a line");
            }
            if (n == line.length) {
                if (n >= MAX_LINE_LENGTH) {
                    throw new ProtocolException("line longer than " + MAX_LINE_LENGTH + " bytes");
                }
                line = Arrays.copyOf(line, n * 2);
            }
            line[n++] = (byte) b;
        }
    }

    private int readByte() throws IOException {
        if (pos == limit && !fill()) {
            throw new EOFException("stream ended before a complete reply");
        }
        return buf[pos++] & 0xff;
    }

    private boolean fill() throws IOException {
        while (true) {
            int n = in.read(buf, 0, buf.length);
            if (n < 0) {
                return false;
            }
            if (n > 0) {
                pos = 0;
                limit = n;
                return true;
            }
        }
    }

    private static long parseLong(String s, String what) throws ProtocolException {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new ProtocolException("bad " + what + " '" + s + "'");
        }
    }

    private static double parseDouble(String s) throws ProtocolException {
        switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "inf":
            case "+inf":
                return Double.POSITIVE_INFINITY;
            case "-inf":
                return Double.NEGATIVE_INFINITY;
            case "nan":
            case "-nan":
                return Double.NaN;
            default:
                if (!DOUBLE.matcher(s).matches()) {
                    throw new ProtocolException("bad double '," + s + "'");
                }
                return Double.parseDouble(s);
        }
    }

    private static String describeByte(int b) {
        return b >= 0x20 && b < 0x7f ? "'" + (char) b + "'" : String.format("0x%02x", b);
    }
}
