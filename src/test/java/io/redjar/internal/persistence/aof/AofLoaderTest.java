package io.redjar.internal.persistence.aof;

import io.redjar.AppendFsync;
import io.redjar.RedJarException;
import io.redjar.Store;
import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Loading rules: a truncated tail repaired (and the bytes dropped) or refused per
 * {@code aof-load-truncated}, an incomplete MULTI reverted, corruption named by file and offset,
 * bit flips in the framing detected or repaired but never loaded as something else.
 */
class AofLoaderTest {
    @TempDir
    Path dir;

    private Path incr() {
        return dir.resolve("appendonlydir").resolve("appendonly.aof.1.incr.aof");
    }

    /** Writes {@code n} SETs (k0..k{n-1}) through a store and closes it. */
    private void writeSets(int n) {
        try (Store s = AofTestSupport.open(dir, AppendFsync.ALWAYS)) {
            for (int i = 0; i < n; i++) {
                s.execute("SET", "k" + i, "v" + i);
            }
        }
    }

    private Store reopen(boolean loadTruncated) {
        return AofTestSupport.open(dir, AppendFsync.ALWAYS, "aof-load-truncated", loadTruncated ? "yes" : "no");
    }

    @Test
    void truncatedTailIsCutBackToTheLastCompleteCommand() throws Exception {
        writeSets(10);
        byte[] full = Files.readAllBytes(incr());
        int cut = 7;
        Files.write(incr(), java.util.Arrays.copyOf(full, full.length - cut));
        try (Store s = reopen(true)) {
            assertEquals(9, AofTestSupport.contents(s, 1).size());
            assertEquals("v8", AofTestSupport.text(s.execute("GET", "k8")));
        }
        // the file was cut back to a whole command: it now loads cleanly even with the setting off
        long lastCommand = "*3\r\n$3\r\nSET\r\n$2\r\nk9\r\n$2\r\nv9\r\n".length();
        assertEquals(full.length - lastCommand, Files.size(incr()));
        try (Store s = reopen(false)) {
            assertEquals(9, AofTestSupport.contents(s, 1).size());
        }
    }

    @Test
    void truncatedTailIsRefusedWhenTheSettingIsOff() throws Exception {
        writeSets(5);
        byte[] full = Files.readAllBytes(incr());
        Files.write(incr(), java.util.Arrays.copyOf(full, full.length - 3));
        RedJarException ex = assertThrows(RedJarException.class, () -> reopen(false).close());
        assertTrue(ex.getMessage().contains("appendonly.aof.1.incr.aof"), ex.getMessage());
        assertTrue(ex.getMessage().contains("Unexpected end of file"), ex.getMessage());
        assertEquals(full.length - 3, Files.size(incr()), "refusing must not touch the file");
    }

    @Test
    void incompleteMultiIsReverted() throws Exception {
        writeSets(3);
        String tx = "*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n";
        long before = Files.size(incr());
        Files.write(incr(), tx.getBytes(StandardCharsets.US_ASCII), java.nio.file.StandardOpenOption.APPEND);
        try (Store s = reopen(true)) {
            SortedMap<String, String> c = AofTestSupport.contents(s, 1);
            assertEquals(3, c.size(), c.toString());
        }
        assertEquals(before, Files.size(incr()));
        // a complete MULTI/EXEC is applied
        Files.write(incr(), (tx + "*1\r\n$4\r\nEXEC\r\n").getBytes(StandardCharsets.US_ASCII), java.nio.file.StandardOpenOption.APPEND);
        try (Store s = reopen(false)) {
            assertEquals(5, AofTestSupport.contents(s, 1).size());
        }
    }

    @Test
    void corruptionInTheMiddleNamesFileAndOffset() throws Exception {
        writeSets(5);
        byte[] b = Files.readAllBytes(incr());
        int at = indexOf(b, "*3\r\n$3\r\nSET\r\n$2\r\nk2".getBytes(StandardCharsets.US_ASCII));
        b[at] = '?';
        Files.write(incr(), b);
        RedJarException ex = assertThrows(RedJarException.class, () -> reopen(true).close());
        assertTrue(ex.getMessage().contains("appendonly.aof.1.incr.aof at offset " + at), ex.getMessage());
    }

    @Test
    void truncatedNonLastFileIsAnError() throws Exception {
        try (Store s = AofTestSupport.open(dir, AppendFsync.ALWAYS)) {
            s.execute("SET", "a", "1");
            s.execute("BGREWRITEAOF");
            AofRoundTripTest.aof(s).rewriteNow();
            s.execute("SET", "b", "2");
        }
        Path d = dir.resolve("appendonlydir");
        // hand-made manifest: base, a truncated incr 1, then incr 2
        Files.writeString(d.resolve("appendonly.aof.1.incr.aof"), "*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$1");
        Files.writeString(d.resolve("appendonly.aof.manifest"), "file appendonly.aof.2.base.aof seq 2 type b\n"
            + "file appendonly.aof.1.incr.aof seq 1 type i\nfile appendonly.aof.2.incr.aof seq 2 type i\n");
        RedJarException ex = assertThrows(RedJarException.class, () -> reopen(true).close());
        assertTrue(ex.getMessage().contains("not the last file"), ex.getMessage());
    }

    /**
     * Every single-bit flip in the framing bytes ({@code *}, {@code $}, digits, CR, LF) of a
     * small file: the load fails naming the file, or succeeds with the contents of some prefix of
     * the commands (a flip that makes the tail look truncated is repaired). Never other data.
     * (A flip inside a value's bytes cannot be detected: Redis's AOF format has no checksum.)
     */
    @Test
    void framingBitFlipsAreDetectedOrRepairedNeverLoadedWrong() throws Exception {
        int n = 6;
        writeSets(n);
        byte[] orig = Files.readAllBytes(incr());
        List<SortedMap<String, String>> prefixes = new ArrayList<>();
        for (int p = 0; p <= n; p++) {
            try (Store m = Store.open()) {
                for (int i = 0; i < p; i++) {
                    m.execute("SET", "k" + i, "v" + i);
                }
                prefixes.add(AofTestSupport.contents(m, 1));
            }
        }
        List<Integer> framing = new ArrayList<>();
        boolean inBulk = false;
        for (int i = 0; i < orig.length; i++) {
            byte c = orig[i];
            if (c == '*' || c == '$' || c == '\r' || c == '\n' || (c >= '0' && c <= '9' && i > 0 && (orig[i - 1] == '*' || orig[i - 1] == '$'))) {
                framing.add(i);
            }
        }
        Seeds.run("aof framing bit flips", r -> {
            int tried = 0;
            for (int k = 0; k < 60; k++) {
                int at = framing.get(r.nextInt(framing.size()));
                int bit = r.nextInt(8);
                byte[] b = orig.clone();
                b[at] ^= (byte) (1 << bit);
                Files.write(incr(), b);
                try (Store s = reopen(true)) {
                    SortedMap<String, String> c = AofTestSupport.contents(s, 1);
                    assertTrue(prefixes.contains(c), "flip at " + at + " bit " + bit + " loaded " + c);
                } catch (RedJarException e) {
                    assertTrue(e.getMessage().contains("appendonly.aof.1.incr.aof"), e.getMessage());
                }
                tried++;
            }
            assertEquals(60, tried);
        });
    }

    private static int indexOf(byte[] b, byte[] p) {
        outer:
        for (int i = 0; i + p.length <= b.length; i++) {
            for (int j = 0; j < p.length; j++) {
                if (b[i + j] != p[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
