package io.redjar;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A command's reply, shaped like RESP3's types so that the RESP module can encode it for either
 * protocol version without knowing anything about the command that produced it.
 *
 * <p>RESP2 downgrades are fixed by the type, exactly as Redis 7 does them: a {@link Map} is sent as
 * a flat array of 2n elements, a {@link SetReply} as an array, a {@link Bool} as the integer 1 or 0,
 * a {@link DoubleReply} as a bulk string formatted with {@code %.17g}, and the two {@link Null}
 * flavours as {@code $-1} (null bulk) and {@code *-1} (null array).
 *
 * <p>Replies are immutable values with structural equality ({@code byte[]} contents compared), so
 * tests can compare them directly.
 *
 * <p><b>Thread-safety:</b> immutable; safe to share, provided callers do not modify the arrays
 * returned by {@link Bulk#value()}.
 */
public sealed interface Reply {

    /** {@code +OK}. */
    SimpleString OK = new SimpleString("OK");
    /** {@code +PONG}. */
    SimpleString PONG = new SimpleString("PONG");
    /** {@code +QUEUED}. */
    SimpleString QUEUED = new SimpleString("QUEUED");
    /** Null bulk string ({@code $-1} in RESP2, {@code _} in RESP3). */
    Null NULL = new Null(false);
    /** Null array ({@code *-1} in RESP2, {@code _} in RESP3). */
    Null NULL_ARRAY = new Null(true);
    /** The integer 0. */
    IntegerReply ZERO = new IntegerReply(0);
    /** The integer 1. */
    IntegerReply ONE = new IntegerReply(1);
    /** The empty array. */
    ArrayReply EMPTY_ARRAY = new ArrayReply(List.of());

    /**
     * @return {@code true} for an error reply.
     *
     * <p>Deliberately not a default method: an interface with default methods is initialized
     * whenever a class implementing it is, and this interface's own initializer creates
     * {@link SimpleString}, {@link Null}, {@link IntegerReply} and {@link ArrayReply} instances. With
     * a default method, two threads making their first replies at once (one initializing
     * {@code Reply}, the other e.g. {@code SimpleString}) waited for each other forever: a
     * class-initialization deadlock of the whole store, found by the command fuzzer.
     */
    boolean isError();

    /** RESP {@code +...}: a short status line. */
    record SimpleString(String value) implements Reply {
        @Override
        public boolean isError() {
            return false;
        }

        public SimpleString {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toString() {
            return "+" + value;
        }
    }

    /**
     * RESP {@code -...}: an error. {@code message} is the full line without the dash, starting
     * with the error code, e.g. {@code "WRONGTYPE Operation against a key holding the wrong kind of value"}.
     */
    record ErrorReply(String message) implements Reply {
        @Override
        public boolean isError() {
            return true;
        }

        public ErrorReply {
            Objects.requireNonNull(message, "message");
        }

        /** @return the error code as a {@link ErrorPrefix}, or null for a code outside that list */
        public ErrorPrefix prefix() {
            return ErrorPrefix.of(message);
        }

        /** @return the error code: the first word of the message, e.g. {@code ERR} or {@code WRONGTYPE}. */
        public String code() {
            int sp = message.indexOf(' ');
            return sp < 0 ? message : message.substring(0, sp);
        }

        @Override
        public String toString() {
            return "-" + message;
        }
    }

    /** RESP {@code :...}: a signed 64-bit integer. */
    record IntegerReply(long value) implements Reply {
        @Override
        public boolean isError() {
            return false;
        }

        @Override
        public String toString() {
            return ":" + value;
        }
    }

    /** RESP3 {@code ,...}: a double; sent as a bulk string in RESP2. */
    record DoubleReply(double value) implements Reply {
        @Override
        public boolean isError() {
            return false;
        }

        @Override
        public String toString() {
            return "," + value;
        }
    }

    /** RESP3 {@code #t}/{@code #f}; sent as {@code :1}/{@code :0} in RESP2. */
    record Bool(boolean value) implements Reply {
        @Override
        public boolean isError() {
            return false;
        }

        @Override
        public String toString() {
            return value ? "#t" : "#f";
        }
    }

    /** RESP {@code $...}: a binary-safe string. */
    record Bulk(byte[] value) implements Reply {
        @Override
        public boolean isError() {
            return false;
        }

        public Bulk {
            Objects.requireNonNull(value, "value");
        }

        /** @return the bytes decoded as UTF-8. */
        public String asString() {
            return new String(value, StandardCharsets.UTF_8);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bulk b && Arrays.equals(value, b.value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "$" + Printable.of(value);
        }
    }

    /** RESP3 {@code =...}: a verbatim string with a three-letter format ({@code txt}, {@code mkd}). */
    record Verbatim(String format, String text) implements Reply {
        @Override
        public boolean isError() {
            return false;
        }

        @Override
        public String toString() {
            return "=" + format + ":" + text;
        }
    }

    /** The null reply; {@code array} selects the RESP2 rendering ({@code *-1} vs {@code $-1}). */
    record Null(boolean array) implements Reply {
        @Override
        public boolean isError() {
            return false;
        }

        @Override
        public String toString() {
            return array ? "*-1" : "$-1";
        }
    }

    /** RESP {@code *...}: an ordered list of replies. */
    record ArrayReply(List<Reply> elements) implements Reply {
        @Override
        public boolean isError() {
            return false;
        }

        public ArrayReply {
            elements = List.copyOf(elements);
        }

        @Override
        public String toString() {
            return elements.toString();
        }
    }

    /** RESP3 {@code %...}: key/value pairs, kept in order as {@code [k1, v1, k2, v2, ...]}. */
    record Map(List<Reply> flat) implements Reply {
        @Override
        public boolean isError() {
            return false;
        }

        public Map {
            if ((flat.size() & 1) != 0) {
                throw new IllegalArgumentException("map needs an even number of elements");
            }
            flat = List.copyOf(flat);
        }

        /** @return the number of pairs. */
        public int size() {
            return flat.size() / 2;
        }

        @Override
        public String toString() {
            return "%" + flat;
        }
    }

    /** RESP3 {@code ~...}: an unordered collection; an array in RESP2. */
    record SetReply(List<Reply> elements) implements Reply {
        @Override
        public boolean isError() {
            return false;
        }

        public SetReply {
            elements = List.copyOf(elements);
        }

        @Override
        public String toString() {
            return "~" + elements;
        }
    }

    /** RESP3 {@code >...}: an out-of-band push message (pub/sub, invalidation). */
    record Push(List<Reply> elements) implements Reply {
        @Override
        public boolean isError() {
            return false;
        }

        public Push {
            elements = List.copyOf(elements);
        }

        @Override
        public String toString() {
            return ">" + elements;
        }
    }

    // ---- factories -------------------------------------------------------------------------

    /** @return a bulk reply over {@code value} (not copied), or the null bulk if it is null. */
    static Reply bulk(byte[] value) {
        return value == null ? NULL : new Bulk(value);
    }

    /** @return a bulk reply holding {@code value} in UTF-8. */
    static Bulk bulk(String value) {
        return new Bulk(value.getBytes(StandardCharsets.UTF_8));
    }

    /** @return an integer reply. */
    static IntegerReply integer(long value) {
        return value == 0 ? ZERO : value == 1 ? ONE : new IntegerReply(value);
    }

    /** @return an error reply with the full message, e.g. {@code "ERR syntax error"}. */
    static ErrorReply error(String message) {
        return new ErrorReply(message);
    }

    /** @return an error reply {@code "-CODE message"}, e.g. {@code error(ErrorPrefix.NOAUTH, "Authentication required.")}. */
    static ErrorReply error(ErrorPrefix prefix, String message) {
        return new ErrorReply(prefix.line(message));
    }

    /** @return an array reply. */
    static ArrayReply array(List<Reply> elements) {
        return elements.isEmpty() ? EMPTY_ARRAY : new ArrayReply(elements);
    }

    /** @return an array reply. */
    static ArrayReply array(Reply... elements) {
        return array(List.of(elements));
    }

    /** Renders bytes for {@code toString()}: printable ASCII as is, the rest escaped. */
    final class Printable {
        private Printable() {
        }

        static String of(byte[] b) {
            StringBuilder sb = new StringBuilder(b.length + 2).append('"');
            for (byte x : b) {
                int c = x & 0xff;
                if (c == '"' || c == '\\') {
                    sb.append('\\').append((char) c);
                } else if (c >= 0x20 && c < 0x7f) {
                    sb.append((char) c);
                } else {
                    sb.append(String.format("\\x%02x", c));
                }
            }
            return sb.append('"').toString();
        }
    }
}
