package io.redjar.internal.persistence.aof;

import io.redjar.internal.util.SplitArgs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Redis 7.0's multi-part append-only file manifest ({@code appenddirname/<appendfilename>.manifest}):
 * one line per file, {@code file <name> seq <n> type b|h|i}, the base first, then history files,
 * then the incremental files in ascending sequence.
 *
 * <p><b>Format rules</b> (Redis's {@code aofLoadManifestFromFile} / {@code aofInfoFormat}): lines
 * starting with {@code #} are comments; every other line is split like {@code sdssplitargs} and
 * holds key/value pairs ({@code argc >= 6}, even; unknown keys ignored for forward
 * compatibility); the name must be a plain file name; at most one base; incr sequences strictly
 * ascending; an empty manifest is an error. A name that needs it (spaces, quotes, control bytes)
 * is written quoted as {@code sdscatrepr} does.
 *
 * <p>File names: {@code <appendfilename>.<seq>.base.rdb} (RDB preamble) or {@code .base.aof},
 * {@code <appendfilename>.<seq>.incr.aof}.
 *
 * <p>{@link #write} is atomic: a temp file ({@code temp-<appendfilename>.manifest}) written and
 * forced, renamed over the manifest, then the directory forced.
 *
 * <p><b>Thread-safety:</b> immutable value; {@link #write} may be called from any thread but
 * callers serialise writes of one directory.
 */
public final class AofManifest {
    /** A file's role. */
    public enum Type {
        BASE('b'), HISTORY('h'), INCR('i');

        final char code;

        Type(char code) {
            this.code = code;
        }

        static Type of(char c) {
            for (Type t : values()) {
                if (t.code == c) {
                    return t;
                }
            }
            return null;
        }
    }

    /** One line: a file, its sequence and role. */
    public record Entry(String name, long seq, Type type) {
    }

    private final Entry base;
    private final List<Entry> history;
    private final List<Entry> incrs;

    public AofManifest(Entry base, List<Entry> history, List<Entry> incrs) {
        this.base = base;
        this.history = List.copyOf(history);
        this.incrs = List.copyOf(incrs);
    }

    /** @return the base file, or null */
    public Entry base() {
        return base;
    }

    /** @return the history files (written by an older rewrite, to delete) */
    public List<Entry> history() {
        return history;
    }

    /** @return the incremental files in ascending sequence */
    public List<Entry> incrs() {
        return incrs;
    }

    /** @return the last incremental file (the one appended to), or null */
    public Entry lastIncr() {
        return incrs.isEmpty() ? null : incrs.get(incrs.size() - 1);
    }

    /** @return the manifest's file name for {@code appendfilename} */
    public static String fileName(String appendFilename) {
        return appendFilename + ".manifest";
    }

    /** @return the base file's name: {@code <appendfilename>.<seq>.base.rdb|aof} */
    public static String baseName(String appendFilename, long seq, boolean rdb) {
        return appendFilename + "." + seq + ".base" + (rdb ? ".rdb" : ".aof");
    }

    /** @return an incremental file's name: {@code <appendfilename>.<seq>.incr.aof} */
    public static String incrName(String appendFilename, long seq) {
        return appendFilename + "." + seq + ".incr.aof";
    }

    /** @return the manifest as Redis writes it */
    public String format() {
        StringBuilder sb = new StringBuilder();
        if (base != null) {
            line(sb, base);
        }
        for (Entry e : history) {
            line(sb, e);
        }
        for (Entry e : incrs) {
            line(sb, e);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, Entry e) {
        sb.append("file ").append(needsRepr(e.name()) ? repr(e.name()) : e.name())
            .append(" seq ").append(e.seq()).append(" type ").append(e.type().code).append('\n');
    }

    /** Redis's {@code sdsneedsrepr}. */
    static boolean needsRepr(String s) {
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c == '\\' || c == '"' || c == '\n' || c == '\r' || c == '\t' || c == 7 || c == '\b'
                || c < 32 || c > 126 || c == ' ') {
                return true;
            }
        }
        return false;
    }

    /** Redis's {@code sdscatrepr}: double-quoted, C escapes, other non-printables as {@code \xHH}. */
    static String repr(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 7 -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                default -> {
                    if (c >= 32 && c <= 126) {
                        sb.append((char) c);
                    } else {
                        sb.append(String.format("\\x%02x", c));
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /**
     * Parses a manifest's text with Redis's rules.
     *
     * @throws AofFormatException naming the line on a malformed manifest
     */
    public static AofManifest parse(byte[] text) {
        Entry base = null;
        List<Entry> history = new ArrayList<>();
        List<Entry> incrs = new ArrayList<>();
        long maxSeq = 0;
        int lineNo = 0;
        int p = 0;
        while (p < text.length) {
            int nl = p;
            while (nl < text.length && text[nl] != '\n') {
                nl++;
            }
            lineNo++;
            if (text[p] == '#') {
                p = nl + 1;
                continue;
            }
            if (nl == text.length) {
                throw bad(lineNo, "The AOF manifest file contains too long line"); // Redis: no newline
            }
            if (nl - p > 1024) {
                throw bad(lineNo, "The AOF manifest file contains too long line");
            }
            String line = new String(text, p, nl - p, StandardCharsets.ISO_8859_1).strip();
            p = nl + 1;
            if (line.isEmpty()) {
                throw bad(lineNo, "Invalid AOF manifest file format");
            }
            List<byte[]> argv = SplitArgs.split(line.getBytes(StandardCharsets.ISO_8859_1));
            if (argv == null || argv.size() < 6 || argv.size() % 2 != 0) {
                throw bad(lineNo, "Invalid AOF manifest file format");
            }
            String name = null;
            long seq = 0;
            char type = 0;
            for (int i = 0; i < argv.size(); i += 2) {
                String k = new String(argv.get(i), StandardCharsets.UTF_8);
                byte[] v = argv.get(i + 1);
                if (k.equalsIgnoreCase("file")) {
                    name = new String(v, StandardCharsets.UTF_8);
                    if (name.contains("/") || name.isEmpty()) {
                        throw bad(lineNo, "File can't be a path, just a filename");
                    }
                } else if (k.equalsIgnoreCase("seq")) {
                    seq = atoll(v);
                } else if (k.equalsIgnoreCase("type")) {
                    type = v.length == 0 ? 0 : (char) (v[0] & 0xff);
                }
            }
            if (name == null || seq == 0 || type == 0) {
                throw bad(lineNo, "Invalid AOF manifest file format");
            }
            Type t = Type.of(type);
            if (t == null) {
                throw bad(lineNo, "Unknown AOF file type");
            }
            Entry e = new Entry(name, seq, t);
            switch (t) {
                case BASE -> {
                    if (base != null) {
                        throw bad(lineNo, "Found duplicate base file information");
                    }
                    base = e;
                }
                case HISTORY -> history.add(e);
                case INCR -> {
                    if (seq <= maxSeq) {
                        throw bad(lineNo, "Found a non-monotonic sequence number");
                    }
                    incrs.add(e);
                    maxSeq = seq;
                }
            }
        }
        if (lineNo == 0) {
            throw new AofFormatException("Found an empty AOF manifest");
        }
        return new AofManifest(base, history, incrs);
    }

    /** C's {@code atoll}: leading digits (with a sign), 0 when none. */
    private static long atoll(byte[] v) {
        int i = 0;
        boolean neg = false;
        if (i < v.length && (v[i] == '-' || v[i] == '+')) {
            neg = v[i] == '-';
            i++;
        }
        long r = 0;
        while (i < v.length && v[i] >= '0' && v[i] <= '9' && r < Long.MAX_VALUE / 10) {
            r = r * 10 + (v[i++] - '0');
        }
        return neg ? -r : r;
    }

    private static AofFormatException bad(int line, String why) {
        return new AofFormatException(why + " (manifest line " + line + ")");
    }

    /** Reads and parses {@code file}. */
    public static AofManifest read(Path file) throws IOException {
        return parse(Files.readAllBytes(file));
    }

    /**
     * Writes this manifest as {@code dir/<appendfilename>.manifest} atomically: temp file, force,
     * rename, force the directory.
     */
    public void write(Path dir, String appendFilename) throws IOException {
        Path tmp = dir.resolve("temp-" + fileName(appendFilename));
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(format().getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        Files.move(tmp, dir.resolve(fileName(appendFilename)), StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(dir);
    }

    /** Forces a directory's entries (a rename or a new file) to disk, where the platform allows. */
    static void forceDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("win")) {
                throw e;
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AofManifest m && java.util.Objects.equals(base, m.base) && history.equals(m.history)
            && incrs.equals(m.incrs);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(base, history, incrs);
    }

    @Override
    public String toString() {
        return format();
    }
}
