package io.redjar.internal.util;

import java.util.ArrayList;
import java.util.List;

/**
 * Redis's {@code sdssplitargs}: how redis-cli, inline commands and a FUNCTION library's
 * {@code #!lua name=...} line are split into arguments. Used by the RESP module's inline-command
 * decoder (through {@code io.redjar.spi.Wire#splitArgs}) and by the function library metadata parser.
 *
 * <p><b>Thread-safety:</b> stateless.
 */
public final class SplitArgs {
    private SplitArgs() {
    }

    private static boolean isSpace(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0B || c == '\f';
    }

    private static int hex(int c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /**
     * Splits {@code line} into arguments as Redis's {@code sdssplitargs} does (spaces separate;
     * double quotes with {@code \\n \\r \\t \\b \\a \\xHH} escapes; single quotes with {@code \\'}).
     *
     * @return the arguments, or null on unbalanced quotes (or a closing quote not followed by a space)
     */
    public static List<byte[]> split(byte[] line) {
        List<byte[]> out = new ArrayList<>();
        int p = 0;
        int n = line.length;
        java.io.ByteArrayOutputStream cur = new java.io.ByteArrayOutputStream();
        while (true) {
            while (p < n && isSpace(line[p] & 0xFF)) {
                p++;
            }
            if (p >= n) {
                return out;
            }
            boolean inq = false;
            boolean insq = false;
            boolean done = false;
            cur.reset();
            while (!done) {
                int c = p < n ? line[p] & 0xFF : 0;
                boolean atEnd = p >= n;
                if (inq) {
                    if (atEnd) {
                        return null;
                    }
                    if (c == '\\' && p + 3 < n && line[p + 1] == 'x' && hex(line[p + 2] & 0xFF) >= 0 && hex(line[p + 3] & 0xFF) >= 0) {
                        cur.write(hex(line[p + 2] & 0xFF) * 16 + hex(line[p + 3] & 0xFF));
                        p += 3;
                    } else if (c == '\\' && p + 1 < n) {
                        p++;
                        int e = line[p] & 0xFF;
                        cur.write(switch (e) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> 7;
                            default -> e;
                        });
                    } else if (c == '"') {
                        if (p + 1 < n && !isSpace(line[p + 1] & 0xFF)) {
                            return null;
                        }
                        done = true;
                    } else {
                        cur.write(c);
                    }
                } else if (insq) {
                    if (atEnd) {
                        return null;
                    }
                    if (c == '\\' && p + 1 < n && line[p + 1] == '\'') {
                        p++;
                        cur.write('\'');
                    } else if (c == '\'') {
                        if (p + 1 < n && !isSpace(line[p + 1] & 0xFF)) {
                            return null;
                        }
                        done = true;
                    } else {
                        cur.write(c);
                    }
                } else {
                    if (atEnd) {
                        done = true;
                    } else {
                        switch (c) {
                            case ' ', '\n', '\r', '\t', 0 -> done = true;
                            case '"' -> inq = true;
                            case '\'' -> insq = true;
                            default -> cur.write(c);
                        }
                    }
                }
                if (p < n) {
                    p++;
                }
            }
            out.add(cur.toByteArray());
        }
    }
}
