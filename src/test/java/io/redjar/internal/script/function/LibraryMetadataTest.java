package io.redjar.internal.script.function;

import io.redjar.RedJarException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shebang parser's cases beyond the differential test: quoting, NULs, the body's newline. */
class LibraryMetadataTest {
    private static LibraryMetadata parse(String s) {
        return LibraryMetadata.parse(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void bodyKeepsTheNewline() {
        LibraryMetadata md = parse("#!lua name=mylib\nreturn 1");
        assertEquals("lua", md.engine());
        assertEquals("mylib", md.name());
        assertEquals("\nreturn 1", new String(md.body(), StandardCharsets.ISO_8859_1));
    }

    @Test
    void quotedAndTabbedParts() {
        assertEquals("a b", parse("#!lua \"name=a b\"\n").name());
        assertEquals("x", parse("#!lua\tNaMe=x\n").name());
        assertEquals("x", parse("#!lua name=\"x\"\n").name(), "a quote inside a word opens quoting, as sdssplitargs does");
    }

    @Test
    void errors() {
        assertEquals("ERR Missing library metadata", assertThrows(RedJarException.class, () -> parse("#")).getMessage());
        assertEquals("ERR Invalid library metadata", assertThrows(RedJarException.class, () -> parse("#!lua name=a\0\n")).getMessage(),
            "a NUL ends the C string before the newline");
        assertEquals("ERR Invalid library metadata", assertThrows(RedJarException.class, () -> parse("#!lua 'x\n")).getMessage());
        assertEquals("ERR Library name was not given", assertThrows(RedJarException.class, () -> parse("#!lua\n")).getMessage());
    }

    @Test
    void names() {
        assertTrue(LibraryMetadata.validName("a_B9"));
        assertFalse(LibraryMetadata.validName(""));
        assertFalse(LibraryMetadata.validName("a.b"));
        assertFalse(LibraryMetadata.validName("é"));
    }
}
