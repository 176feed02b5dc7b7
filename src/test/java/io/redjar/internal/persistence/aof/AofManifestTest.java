package io.redjar.internal.persistence.aof;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The manifest's format, Redis 7.0's parse rules and quoting, and its atomic write. */
class AofManifestTest {
    @TempDir
    Path dir;

    private static AofManifest parse(String s) {
        return AofManifest.parse(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void formatsAsRedisDoes() {
        AofManifest m = new AofManifest(
            new AofManifest.Entry("appendonly.aof.2.base.rdb", 2, AofManifest.Type.BASE),
            List.of(new AofManifest.Entry("appendonly.aof.1.base.rdb", 1, AofManifest.Type.HISTORY)),
            List.of(new AofManifest.Entry("appendonly.aof.3.incr.aof", 3, AofManifest.Type.INCR),
                new AofManifest.Entry("appendonly.aof.4.incr.aof", 4, AofManifest.Type.INCR)));
        assertEquals("file appendonly.aof.2.base.rdb seq 2 type b\n"
            + "file appendonly.aof.1.base.rdb seq 1 type h\n"
            + "file appendonly.aof.3.incr.aof seq 3 type i\n"
            + "file appendonly.aof.4.incr.aof seq 4 type i\n", m.format());
        assertEquals(m, AofManifest.parse(m.format().getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void namesThatNeedItAreQuotedAndParsedBack() {
        AofManifest m = new AofManifest(new AofManifest.Entry("my file\t\"x\".1.base.aof", 1, AofManifest.Type.BASE),
            List.of(), List.of(new AofManifest.Entry("caf\u00e9.1.incr.aof", 1, AofManifest.Type.INCR)));
        assertEquals("file \"my file\\t\\\"x\\\".1.base.aof\" seq 1 type b\n"
            + "file \"caf\\xc3\\xa9.1.incr.aof\" seq 1 type i\n", m.format());
        assertEquals(m, AofManifest.parse(m.format().getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void parsesCommentsUnknownKeysAndAnyKeyOrder() {
        AofManifest m = parse("# a comment\nseq 1 type b file b.aof\nfile i.aof seq 1 type i future x\n");
        assertEquals(new AofManifest.Entry("b.aof", 1, AofManifest.Type.BASE), m.base());
        assertEquals(List.of(new AofManifest.Entry("i.aof", 1, AofManifest.Type.INCR)), m.incrs());
        assertNull(parse("file i.aof seq 7 type i\n").base());
    }

    @Test
    void rejectsWhatRedisRejects() {
        String[] bad = {
            "",                                                        // empty
            "\n",                                                      // blank line
            "file a seq 1 type b",                                     // no newline at the end
            "file a seq 1\n",                                          // < 6 args
            "file a seq 1 type\n",                                     // odd
            "file a/b seq 1 type b\n",                                 // a path
            "file a seq 0 type b\n",                                   // seq 0
            "file a seq 1 type x\n",                                   // unknown type
            "file a seq 1 type b\nfile b seq 2 type b\n",              // two bases
            "file a seq 2 type i\nfile b seq 2 type i\n",              // non-monotonic
            "file \"a seq 1 type b\n",                                 // unbalanced quotes
            "file " + "x".repeat(1100) + " seq 1 type b\n",            // too long
        };
        for (String s : bad) {
            assertThrows(AofFormatException.class, () -> parse(s), s);
        }
    }

    @Test
    void writeIsAtomicAndLeavesNoTempFile() throws Exception {
        AofManifest m = new AofManifest(new AofManifest.Entry("x.1.base.aof", 1, AofManifest.Type.BASE), List.of(),
            List.of(new AofManifest.Entry("x.1.incr.aof", 1, AofManifest.Type.INCR)));
        Files.writeString(dir.resolve("x.manifest"), "old garbage");
        m.write(dir, "x");
        assertEquals(m, AofManifest.read(dir.resolve("x.manifest")));
        assertFalse(Files.exists(dir.resolve("temp-x.manifest")));
        assertTrue(AofManifest.needsRepr("a b"));
        assertFalse(AofManifest.needsRepr("appendonly.aof.1.incr.aof"));
    }
}
