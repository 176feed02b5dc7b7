package io.redjar.internal.persistence.aof;

import io.redjar.AppendFsync;
import io.redjar.Reply;
import io.redjar.Session;
import io.redjar.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Streams through the append-only file: the propagated forms (generated IDs, approximate trims
 * rewritten to exact ones with LIMIT kept, as Redis writes them) replay to the same stream.
 */
class AofStreamTest {
    @TempDir
    Path dir;

    @Test
    void approximateTrimsWithLimitReplayExactly() throws Exception {
        Reply range;
        Reply len;
        try (Store a = AofTestSupport.open(dir, AppendFsync.ALWAYS)) {
            Session s = a.newSession();
            for (int i = 1; i <= 450; i++) {
                s.execute("XADD", "s", i + "-0", "f", "v" + i);
            }
            s.execute("XADD", "s", "MAXLEN", "~", "10", "LIMIT", "150", "*", "f", "auto");
            s.execute("XTRIM", "s", "MINID", "~", "400", "LIMIT", "100");
            s.execute("XDEL", "s", "420-0");
            s.execute("XSETID", "s", "999999999999999-0", "ENTRIESADDED", "1000", "MAXDELETEDID", "420-0");
            range = s.execute("XRANGE", "s", "-", "+");
            len = s.execute("XLEN", "s");
        }
        String aof;
        try (var files = Files.list(dir.resolve("appendonlydir"))) {
            Path incr = files.filter(p -> p.toString().endsWith(".incr.aof")).findFirst().orElseThrow();
            aof = Files.readString(incr, StandardCharsets.ISO_8859_1);
        }
        assertTrue(aof.contains("$1\r\n=\r\n$3\r\n351\r\n$5\r\nLIMIT\r\n$3\r\n150\r\n"), "the exact form, LIMIT kept");
        try (Store b = AofTestSupport.open(dir, AppendFsync.ALWAYS)) {
            Session s = b.newSession();
            assertEquals(len, s.execute("XLEN", "s"));
            assertEquals(range, s.execute("XRANGE", "s", "-", "+"));
            assertEquals(Reply.bulk("999999999999999-0"),
                ((Reply.Map) s.execute("XINFO", "STREAM", "s")).flat().get(7));
        }
    }
}
