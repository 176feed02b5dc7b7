package io.redjar.internal.server;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Redis 7.0's query buffer sizing rules as CLIENT LIST reports them (tests/unit/querybuf.tcl). */
class QueryBufferTest {
    @Test
    void aSmallCommandLeaves16KibAllocated() {
        QueryBuffer q = new QueryBuffer();
        assertEquals(0, q.free(0), "nothing read yet");
        q.read(40);
        long total = q.free(0);
        assertTrue(total >= 16384 && total < 32768, "PROTO_IOBUF_LEN after a read: " + total);
        assertEquals(total - 26, q.free(26), "the running command's bytes are in use");
    }

    @Test
    void anIdleClientLosesItsBuffer() {
        QueryBuffer q = new QueryBuffer();
        q.read(40);
        q.cron(2);
        assertTrue(q.free(0) > 0, "idle 2 s: kept");
        q.cron(3);
        assertEquals(0, q.free(0), "idle more than 2 s: freed");
    }

    @Test
    void aBigBufferShrinksToTheRecentPeak() {
        QueryBuffer q = new QueryBuffer();
        q.read(400_030);
        assertEquals(400_030, q.free(0), "a big argument is read whole");
        q.cron(0);
        assertEquals(400_030, q.free(0), "the peak of this round still needs it");
        q.read(120);
        q.cron(0);
        assertEquals(120, q.free(0), "twice the recent peak and over 32 KiB: shrunk to the peak");
        q.cron(0);
        assertEquals(120, q.free(0), "under 4 KiB free: left alone");
    }
}
