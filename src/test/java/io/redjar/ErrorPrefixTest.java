package io.redjar;

import io.redjar.testing.SourceDependencies;
import io.redjar.testing.SourceDependencies.Source;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** {@link ErrorPrefix}: lines, parsing, the exception and reply factories, and no literal non-ERR prefixes left. */
class ErrorPrefixTest {

    @Test
    void linesAndParsing() {
        assertEquals("NOAUTH Authentication required.", ErrorPrefix.NOAUTH.line("Authentication required."));
        assertSame(ErrorPrefix.WRONGTYPE, ErrorPrefix.of(WrongTypeException.MESSAGE));
        assertSame(ErrorPrefix.ERR, ErrorPrefix.of("ERR"));
        assertNull(ErrorPrefix.of("NOTACODE x"));
        assertNull(ErrorPrefix.of("err lower case"));
        for (ErrorPrefix p : ErrorPrefix.values()) {
            assertSame(p, ErrorPrefix.of(p.line("x")), p.name());
        }
    }

    @Test
    void exceptionsAndRepliesCarryThePrefix() {
        RedJarException e = new RedJarException(ErrorPrefix.BUSYKEY, "Target key name already exists.");
        assertEquals("BUSYKEY Target key name already exists.", e.getMessage());
        assertEquals("BUSYKEY", e.errorCode());
        assertSame(ErrorPrefix.BUSYKEY, e.prefix());
        assertEquals(new Reply.ErrorReply("BUSYKEY Target key name already exists."), e.toReply());
        Reply.ErrorReply r = Reply.error(ErrorPrefix.NOPROTO, "unsupported protocol version");
        assertEquals("NOPROTO unsupported protocol version", r.message());
        assertSame(ErrorPrefix.NOPROTO, r.prefix());
        assertNull(new RedJarException("CUSTOM thing").prefix());
        assertEquals("ERR syntax error", SyntaxException.MESSAGE);
        assertEquals("ERR value is not an integer or out of range", NotIntegerException.MESSAGE);
    }

    @Test
    void embeddedRepliesUseThePrefixes() {
        try (Store store = Store.open()) {
            assertEquals(ErrorPrefix.NOPROTO, ((Reply.ErrorReply) store.execute("HELLO", "4")).prefix());
            assertEquals(ErrorPrefix.WRONGPASS, ((Reply.ErrorReply) store.execute("AUTH", "nobody", "x")).prefix());
            store.execute("SET", "s", "v");
            assertEquals(ErrorPrefix.WRONGTYPE, ((Reply.ErrorReply) store.execute("LPUSH", "s", "x")).prefix());
        }
    }

    /** Error codes other than ERR come from the enum: no {@code "WRONGTYPE ..."}-style literal in src/main/java. */
    @Test
    void noLiteralNonErrPrefixes() {
        StringBuilder names = new StringBuilder();
        for (ErrorPrefix p : ErrorPrefix.values()) {
            if (p != ErrorPrefix.ERR) {
                names.append(names.length() == 0 ? "" : "|").append(p.name());
            }
        }
        Pattern literal = Pattern.compile("\"-?(" + names + ") ");
        List<String> found = new ArrayList<>();
        for (Path p : List.of(Path.of("src/main/java"))) {
            for (Source s : SourceDependencies.scan(p)) {
                String text = readRaw(s.path());
                Matcher m = literal.matcher(text);
                while (m.find()) {
                    found.add(s.path() + ": " + m.group());
                }
            }
        }
        assertEquals(List.of(), found);
        assertEquals(1, literal.matcher("x = \"WRONGTYPE Operation\";").results().count(), "the check can fail");
    }

    private static String readRaw(Path p) {
        try {
            // comments are allowed to quote error lines; strip them, keep strings
            return java.nio.file.Files.readString(p).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
