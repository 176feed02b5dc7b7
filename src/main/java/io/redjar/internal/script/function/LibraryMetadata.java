package io.redjar.internal.script.function;

import io.redjar.RedJarException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The first line of a library, {@code #!<engine> name=<library>}, parsed as Redis 7.0's
 * {@code functionExtractLibMetaData} does (the line is split like {@code sdssplitargs}; the only
 * option is {@code name=}, case-insensitive, once). The body handed to the engine starts at the
 * newline that ends the first line, so line numbers in compile errors match the payload's.
 *
 * @param engine the engine name as written (looked up case-insensitively)
 * @param name   the library name (not yet validated)
 * @param body   the code after the first line, starting with its newline
 *
 * <p><b>Thread-safety:</b> immutable (callers must not modify {@code body}).
 */
public record LibraryMetadata(String engine, String name, byte[] body) {

    /**
     * Parses the metadata of {@code payload}.
     *
     * @throws RedJarException with Redis's error: {@code ERR Missing library metadata},
     *         {@code ERR Invalid library metadata}, {@code ERR Invalid metadata value given: x},
     *         {@code ERR Invalid metadata value, name argument was given multiple times},
     *         {@code ERR Library name was not given}
     */
    public static LibraryMetadata parse(byte[] payload) {
        // Redis works on a C string here: the payload ends, for this parser, at its first NUL
        int cEnd = 0;
        while (cEnd < payload.length && payload[cEnd] != 0) {
            cEnd++;
        }
        if (cEnd < 2 || payload[0] != '#' || payload[1] != '!') {
            throw new RedJarException("ERR Missing library metadata");
        }
        int nl = -1;
        for (int i = 0; i < cEnd; i++) {
            if (payload[i] == '\n') {
                nl = i;
                break;
            }
        }
        if (nl < 0) {
            throw new RedJarException("ERR Invalid library metadata");
        }
        List<byte[]> parts = io.redjar.internal.util.SplitArgs.split(Arrays.copyOf(payload, nl));
        if (parts == null || parts.isEmpty()) {
            throw new RedJarException("ERR Invalid library metadata");
        }
        byte[] first = parts.get(0);
        String engine = first.length <= 2 ? "" : latin1(Arrays.copyOfRange(first, 2, first.length));
        String name = null;
        for (int i = 1; i < parts.size(); i++) {
            byte[] part = parts.get(i);
            if (part.length >= 5 && latin1(Arrays.copyOf(part, 5)).equalsIgnoreCase("name=")) {
                if (name != null) {
                    throw new RedJarException("ERR Invalid metadata value, name argument was given multiple times");
                }
                name = latin1(Arrays.copyOfRange(part, 5, part.length));
                continue;
            }
            throw new RedJarException("ERR Invalid metadata value given: " + cString(part));
        }
        if (name == null) {
            throw new RedJarException("ERR Library name was not given");
        }
        return new LibraryMetadata(engine, name, Arrays.copyOfRange(payload, nl, payload.length));
    }

    /** Bytes 1:1 as chars (names are checked to be ASCII later; messages keep the raw bytes). */
    static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** An argument as Redis prints it with {@code %s}: up to its first NUL. */
    private static String cString(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }


    /** Redis's {@code functionsVerifyName}: one or more of {@code [a-zA-Z0-9_]}. */
    public static boolean validName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LibraryMetadata m && m.engine.equals(engine) && m.name.equals(name) && Arrays.equals(m.body, body);
    }

    @Override
    public int hashCode() {
        return (engine.hashCode() * 31 + name.hashCode()) * 31 + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "LibraryMetadata[" + engine + ", " + name + ", " + body.length + " bytes]";
    }
}
