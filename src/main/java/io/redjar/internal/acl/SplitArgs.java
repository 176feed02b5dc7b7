package io.redjar.internal.acl;

import java.util.ArrayList;
import java.util.List;

/**
 * Redis's {@code sdssplitargs}, as the ACL code needs it: words separated by white space, with
 * double quotes (and their {@code \x..} and backslash escapes) and single quotes. Used for the
 * rules inside a selector {@code (...)} and for the lines of an ACL file.
 *
 * <p><b>Thread-safety:</b> stateless.
 */
final class SplitArgs {
    private SplitArgs() {
    }

    /** @return the words of {@code line}, or null for unbalanced quotes */
    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (true) {
            while (i < n && Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            if (i >= n) {
                return out;
            }
            StringBuilder cur = new StringBuilder();
            boolean inq = false;
            boolean insq = false;
            boolean done = false;
            while (!done) {
                if (inq) {
                    if (i >= n) {
                        return null;
                    }
                    char c = line.charAt(i);
                    if (c == '\\' && i + 3 < n && line.charAt(i + 1) == 'x' && hex(line.charAt(i + 2)) >= 0
                        && hex(line.charAt(i + 3)) >= 0) {
                        cur.append((char) (hex(line.charAt(i + 2)) * 16 + hex(line.charAt(i + 3))));
                        i += 3;
                    } else if (c == '\\' && i + 1 < n) {
                        i++;
                        char e = line.charAt(i);
                        cur.append(switch (e) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> (char) 7;
                            default -> e;
                        });
                    } else if (c == '"') {
                        if (i + 1 < n && !Character.isWhitespace(line.charAt(i + 1))) {
                            return null;
                        }
                        done = true;
                    } else {
                        cur.append(c);
                    }
                } else if (insq) {
                    if (i >= n) {
                        return null;
                    }
                    char c = line.charAt(i);
                    if (c == '\\' && i + 1 < n && line.charAt(i + 1) == '\'') {
                        i++;
                        cur.append('\'');
                    } else if (c == '\'') {
                        if (i + 1 < n && !Character.isWhitespace(line.charAt(i + 1))) {
                            return null;
                        }
                        done = true;
                    } else {
                        cur.append(c);
                    }
                } else {
                    if (i >= n) {
                        done = true;
                        break;
                    }
                    char c = line.charAt(i);
                    if (Character.isWhitespace(c)) {
                        done = true;
                    } else if (c == '"') {
                        inq = true;
                    } else if (c == '\'') {
                        insq = true;
                    } else {
                        cur.append(c);
                    }
                }
                if (i < n) {
                    i++;
                }
            }
            out.add(cur.toString());
        }
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }
}
