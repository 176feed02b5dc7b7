package io.redjar.internal.server;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The RSS reader: statm parsing, and on Linux a figure that grows when the process touches memory. */
class ProcessMemoryTest {

    @Test
    void parsesTheResidentField() {
        assertEquals(25L * 4096, ProcessMemory.parseStatm("1000 25 10 3 0 50 0\n", 4096));
        assertEquals(-1, ProcessMemory.parseStatm("1000", 4096));
        assertEquals(-1, ProcessMemory.parseStatm("a b c", 4096));
        assertEquals(-1, ProcessMemory.parseStatm("1 " + Long.MAX_VALUE, 4096));
    }

    @Test
    void realRssOnLinux() {
        if (!Files.exists(Path.of("/proc/self/statm"))) {
            System.out.println("ProcessMemoryTest: no /proc/self/statm, fallback estimate only");
            assertTrue(ProcessMemory.rss(0) > 0);
            return;
        }
        assertTrue(ProcessMemory.rssFromProc());
        long before = ProcessMemory.rss(0);
        assertTrue(before > ProcessMemory.heapUsed() / 4, "rss " + before); // the heap in use is (mostly) resident
        long bytes = 64L << 20;
        long a = io.redjar.internal.memory.NativeMemory.allocate(bytes);
        try {
            for (long p = 0; p < bytes; p += 4096) {
                io.redjar.internal.memory.NativeMemory.putInt(a + p, 1);
            }
            long after = ProcessMemory.rss(0);
            assertTrue(after - before > bytes / 2, "touched 64 MB, rss grew by " + (after - before));
        } finally {
            io.redjar.internal.memory.NativeMemory.free(a);
        }
        assertTrue(ProcessMemory.totalSystemMemory() > 0);
    }
}
