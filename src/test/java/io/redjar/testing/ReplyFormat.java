package io.redjar.testing;

import io.redjar.Reply;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Renders {@link Reply} values and command lines as readable, unambiguous one-line text for
 * failure messages and reproducible scripts.
 *
 * <p>Reply notation (each form is distinct, so two replies render the same only if they are equal
 * under {@link ReplyComparator#EXACT}, apart from the two null flavours):
 * <ul>
 *   <li>bulk string: {@code "abc"} (non-printable bytes as {@code \xHH}, quotes and backslashes escaped)</li>
 *   <li>simple string: {@code +OK}; error: {@code -ERR message}; integer: {@code :42};
 *       double: {@code ,1.5} / {@code ,inf} / {@code ,nan}; boolean: {@code #t} / {@code #f}</li>
 *   <li>verbatim string: {@code =txt:"text"}</li>
 *   <li>null: {@code (nil)}; the RESP2 null-array flavour: {@code (nil-array)}</li>
 *   <li>array: {@code *[a, b]}; map: {@code %{k: v, k2: v2}}; set: {@code ~{a, b}};
 *       push: {@code >[a, b]}</li>
 * </ul>
 *
 * <p>Command notation follows {@code redis-cli}: an argument made only of safe characters is
 * written as is, any other one double-quoted with {@code \xHH}, {@code \n}, {@code \r}, {@code \t},
 * {@code \"} and {@code \\} escapes, so a rendered command can be pasted into {@code redis-cli}.
 */
public final class ReplyFormat {

    private ReplyFormat() {
    }

    /** @return the one-line rendering of {@code reply} ({@code null} renders as {@code <java null>}). */
    public static String reply(Reply reply) {
        StringBuilder sb = new StringBuilder();
        append(sb, reply);
        return sb.toString();
    }

    /** @return {@code argv} rendered as a {@code redis-cli} command line. */
    public static String command(byte[][] argv) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < argv.length; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(argument(argv[i]));
        }
        return sb.toString();
    }

    /** @return one argument in {@code redis-cli} notation: bare when safe, else quoted and escaped. */
    public static String argument(byte[] arg) {
        boolean bare = arg.length > 0;
        for (byte b : arg) {
            int c = b & 0xff;
            boolean safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '-' || c == '.' || c == ':' || c == '+' || c == '/' || c == '*';
            if (!safe) {
                bare = false;
                break;
            }
        }
        return bare ? new String(arg, StandardCharsets.US_ASCII) : quote(arg);
    }

    /** @return {@code bytes} double-quoted, with quotes, backslashes and non-printable bytes escaped. */
    public static String quote(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length + 2).append('"');
        for (byte b : bytes) {
            int c = b & 0xff;
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c >= 0x20 && c < 0x7f) {
                        sb.append((char) c);
                    } else {
                        sb.append(String.format("\\x%02x", c));
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** @return {@code text} quoted as by {@link #quote(byte[])}, over its UTF-8 bytes. */
    public static String quote(String text) {
        return quote(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void append(StringBuilder sb, Reply reply) {
        if (reply == null) {
            sb.append("<java null>");
            return;
        }
        if (reply instanceof Reply.Bulk b) {
            sb.append(quote(b.value()));
        } else if (reply instanceof Reply.SimpleString s) {
            sb.append('+').append(escapeLine(s.value()));
        } else if (reply instanceof Reply.ErrorReply e) {
            sb.append('-').append(escapeLine(e.message()));
        } else if (reply instanceof Reply.IntegerReply i) {
            sb.append(':').append(i.value());
        } else if (reply instanceof Reply.DoubleReply d) {
            sb.append(',').append(formatDouble(d.value()));
        } else if (reply instanceof Reply.Bool b) {
            sb.append(b.value() ? "#t" : "#f");
        } else if (reply instanceof Reply.Verbatim v) {
            sb.append('=').append(v.format()).append(':').append(quote(v.text()));
        } else if (reply instanceof Reply.Null n) {
            sb.append(n.array() ? "(nil-array)" : "(nil)");
        } else if (reply instanceof Reply.ArrayReply a) {
            list(sb, "*[", a.elements(), "]");
        } else if (reply instanceof Reply.SetReply s) {
            list(sb, "~{", s.elements(), "}");
        } else if (reply instanceof Reply.Push p) {
            list(sb, ">[", p.elements(), "]");
        } else if (reply instanceof Reply.Map m) {
            sb.append("%{");
            List<Reply> flat = m.flat();
            for (int i = 0; i < flat.size(); i += 2) {
                if (i > 0) {
                    sb.append(", ");
                }
                append(sb, flat.get(i));
                sb.append(": ");
                append(sb, flat.get(i + 1));
            }
            sb.append('}');
        } else {
            throw new IllegalArgumentException("unknown reply type: " + reply.getClass());
        }
    }

    private static void list(StringBuilder sb, String open, List<Reply> elements, String close) {
        sb.append(open);
        for (int i = 0; i < elements.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            append(sb, elements.get(i));
        }
        sb.append(close);
    }

    /** Doubles as RESP3 spells the special values; finite values in Java's shortest round-trip form. */
    static String formatDouble(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        return Double.toString(d);
    }

    /** Escapes control characters in simple strings and errors, which are text lines on the wire. */
    private static String escapeLine(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                if (sb == null) {
                    sb = new StringBuilder(s.length() + 8).append(s, 0, i);
                }
                sb.append(String.format("\\x%02x", (int) c));
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
    }
}
