package io.redjar.resp;

import io.netty.buffer.ByteBuf;
import io.redjar.Reply;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes a {@link Reply} as RESP2 or RESP3 bytes, applying Redis 7's RESP2 downgrades (map → flat
 * array, set/push → array, bool → :1/:0, double → bulk {@code %.17g}, verbatim → bulk, the two nulls
 * → {@code $-1} / {@code *-1}).
 *
 * <p><b>Thread-safety:</b> stateless.
 */
public final class RespEncoder {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[][] SMALL = new byte[256][];

    static {
        for (int i = 0; i < SMALL.length; i++) {
            SMALL[i] = Integer.toString(i).getBytes(StandardCharsets.US_ASCII);
        }
    }

    private RespEncoder() {
    }

    /** Nesting depth beyond which aggregates are encoded with an explicit stack instead of recursion. */
    private static final int RECURSION_LIMIT = 128;

    /** Appends {@code r} encoded for protocol {@code proto} (2 or 3) to {@code out}. */
    public static void encode(Reply r, int proto, ByteBuf out) {
        encode(r, proto, out, 0);
    }

    /**
     * Encodes a deeply nested reply (a script may return thousands of nested arrays, as Redis's
     * {@code reached lua stack limit} test does) without recursion, so no thread's stack overflows.
     */
    private static void encodeDeep(Reply r, int proto, ByteBuf out) {
        java.util.ArrayDeque<java.util.Iterator<Reply>> stack = new java.util.ArrayDeque<>();
        Reply next = r;
        while (next != null) {
            List<Reply> children = aggregateElements(next, proto);
            if (children == null) {
                encode(next, proto, out, 0);
            } else {
                header(next, proto, out);
                stack.push(children.iterator());
            }
            next = null;
            while (!stack.isEmpty()) {
                java.util.Iterator<Reply> it = stack.peek();
                if (it.hasNext()) {
                    next = it.next();
                    break;
                }
                stack.pop();
            }
        }
    }

    /** @return the elements an aggregate reply writes after its header, or null for a scalar */
    private static List<Reply> aggregateElements(Reply r, int proto) {
        if (r instanceof Reply.ArrayReply a) {
            return a.elements();
        } else if (r instanceof Reply.Map m) {
            return m.flat();
        } else if (r instanceof Reply.SetReply s) {
            return s.elements();
        } else if (r instanceof Reply.Push p) {
            return p.elements();
        }
        return null;
    }

    private static void header(Reply r, int proto, ByteBuf out) {
        boolean v3 = proto >= 3;
        char type;
        int count;
        if (r instanceof Reply.ArrayReply a) {
            type = '*';
            count = a.elements().size();
        } else if (r instanceof Reply.Map m) {
            type = v3 ? '%' : '*';
            count = v3 ? m.size() : m.flat().size();
        } else if (r instanceof Reply.SetReply s) {
            type = v3 ? '~' : '*';
            count = s.elements().size();
        } else {
            Reply.Push p = (Reply.Push) r;
            type = v3 ? '>' : '*';
            count = p.elements().size();
        }
        out.writeByte(type);
        number(count, out);
        out.writeBytes(CRLF);
    }

    private static void encode(Reply r, int proto, ByteBuf out, int depth) {
        if (depth >= RECURSION_LIMIT && aggregateElements(r, proto) != null) {
            encodeDeep(r, proto, out);
            return;
        }
        boolean v3 = proto >= 3;
        if (r instanceof Reply.Bulk b) {
            bulk(b.value(), out);
        } else if (r instanceof Reply.SimpleString s) {
            line('+', s.value(), out);
        } else if (r instanceof Reply.IntegerReply i) {
            out.writeByte(':');
            number(i.value(), out);
            out.writeBytes(CRLF);
        } else if (r instanceof Reply.ErrorReply e) {
            line('-', e.message(), out);
        } else if (r instanceof Reply.Null n) {
            if (v3) {
                out.writeByte('_').writeBytes(CRLF);
            } else {
                out.writeByte(n.array() ? '*' : '$').writeByte('-').writeByte('1').writeBytes(CRLF);
            }
        } else if (r instanceof Reply.ArrayReply a) {
            aggregate('*', a.elements(), a.elements().size(), proto, out, depth);
        } else if (r instanceof Reply.Map m) {
            aggregate(v3 ? '%' : '*', m.flat(), v3 ? m.size() : m.flat().size(), proto, out, depth);
        } else if (r instanceof Reply.SetReply s) {
            aggregate(v3 ? '~' : '*', s.elements(), s.elements().size(), proto, out, depth);
        } else if (r instanceof Reply.Push p) {
            aggregate(v3 ? '>' : '*', p.elements(), p.elements().size(), proto, out, depth);
        } else if (r instanceof Reply.Bool b) {
            if (v3) {
                out.writeByte('#').writeByte(b.value() ? 't' : 'f').writeBytes(CRLF);
            } else {
                out.writeByte(':').writeByte(b.value() ? '1' : '0').writeBytes(CRLF);
            }
        } else if (r instanceof Reply.DoubleReply d) {
            String s = io.redjar.spi.Wire.formatDouble(d.value());
            if (v3) {
                line(',', s, out);
            } else {
                bulk(s.getBytes(StandardCharsets.US_ASCII), out);
            }
        } else if (r instanceof Reply.Verbatim v) {
            byte[] text = v.text().getBytes(StandardCharsets.UTF_8);
            if (v3) {
                byte[] fmt = v.format().getBytes(StandardCharsets.US_ASCII);
                out.writeByte('=');
                number(fmt.length + 1 + text.length, out);
                out.writeBytes(CRLF).writeBytes(fmt).writeByte(':').writeBytes(text).writeBytes(CRLF);
            } else {
                bulk(text, out);
            }
        } else {
            throw new IllegalArgumentException("unknown reply type " + r.getClass());
        }
    }

    private static void aggregate(char type, List<Reply> elems, int count, int proto, ByteBuf out, int depth) {
        out.writeByte(type);
        number(count, out);
        out.writeBytes(CRLF);
        for (Reply e : elems) {
            encode(e, proto, out, depth + 1);
        }
    }

    private static void bulk(byte[] v, ByteBuf out) {
        out.writeByte('$');
        number(v.length, out);
        out.writeBytes(CRLF).writeBytes(v).writeBytes(CRLF);
    }

    /** A status or error line; CR/LF would break framing, so they become spaces (as Redis does). */
    private static void line(char type, String s, ByteBuf out) {
        out.writeByte(type);
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\r' || b[i] == '\n') {
                b[i] = ' ';
            }
        }
        out.writeBytes(b).writeBytes(CRLF);
    }

    private static void number(long v, ByteBuf out) {
        if (v >= 0 && v < SMALL.length) {
            out.writeBytes(SMALL[(int) v]);
        } else {
            out.writeCharSequence(Long.toString(v), StandardCharsets.US_ASCII);
        }
    }
}
