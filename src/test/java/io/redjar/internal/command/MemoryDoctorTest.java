package io.redjar.internal.command;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MEMORY DOCTOR's rules (Redis 7.0's {@code getMemoryDoctorReport}) on figures given outright: each
 * check fires exactly at Redis's thresholds, the reports come in Redis's order, and an "empty"
 * instance hides every other finding.
 */
class MemoryDoctorTest {
    private static final long MB = 1024 * 1024;
    private static final String HEALTHY =
        "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n";
    private static final String ISSUES = "Sam, I detected a few issues in this Redis instance memory implants:\n\n";
    private static final String BYE = "I'm here to keep you safe, Sam. I want to help you.\n";

    /** 100 MB used, no peak, allocator exact, RSS 10% above. */
    private static MemoryFigures healthy() {
        return MemoryFigures.of(100 * MB, 100 * MB, 100 * MB, 100 * MB, 110 * MB, 0);
    }

    @Test
    void healthyInstance() {
        assertEquals(HEALTHY, MemoryCommands.doctor(healthy(), 1));
    }

    @Test
    void emptyInstanceHidesEverything() {
        MemoryFigures f = MemoryFigures.of(5 * MB - 1, 100 * MB, 1, 100 * MB, 1000 * MB, 5000);
        assertTrue(MemoryCommands.doctor(f, 1).startsWith("Hi Sam, this instance is empty or is using very little memory"));
        // exactly 5 MB is no longer "empty"
        MemoryFigures five = MemoryFigures.of(5 * MB, 5 * MB, 5 * MB, 5 * MB, 5 * MB, 0);
        assertEquals(HEALTHY, MemoryCommands.doctor(five, 1));
    }

    @Test
    void peakAbove150Percent() {
        assertEquals(HEALTHY, MemoryCommands.doctor(MemoryFigures.of(100 * MB, 150 * MB, 100 * MB, 100 * MB, 100 * MB, 0), 1));
        String r = MemoryCommands.doctor(MemoryFigures.of(100 * MB, 151 * MB, 100 * MB, 100 * MB, 100 * MB, 0), 1);
        assertTrue(r.startsWith(ISSUES + " * Peak memory: In the past this instance used more than 150%"), r);
        assertTrue(r.endsWith(".\n\n" + BYE), r);
    }

    @Test
    void highTotalRssNeedsRatioAndTenMegabytes() {
        // ratio 1.5 but only 5 MB over: no finding for the total; the process overhead check
        // (rss / allocator resident > 1.1 and > 10 MB) does not fire either
        assertEquals(HEALTHY, MemoryCommands.doctor(MemoryFigures.of(10 * MB, 10 * MB, 10 * MB, 10 * MB, 15 * MB, 0), 1));
        String r = MemoryCommands.doctor(MemoryFigures.of(100 * MB, 100 * MB, 100 * MB, 100 * MB, 150 * MB, 0), 1);
        assertTrue(r.contains(" * High total RSS: "), r);
        assertTrue(r.contains("Note: The currently used allocator is \"redjar-slab\".\n\n"), r);
        assertTrue(r.contains(" * High process RSS overhead: "), r);
        assertTrue(r.indexOf("High total RSS") < r.indexOf("High process RSS overhead"), r);
    }

    @Test
    void allocatorFragmentation() {
        String r = MemoryCommands.doctor(MemoryFigures.of(100 * MB, 100 * MB, 100 * MB, 120 * MB, 121 * MB, 0), 1);
        assertTrue(r.contains(" * High allocator fragmentation: "), r);
        assertFalse(r.contains("High total RSS"), r);
        assertEquals(HEALTHY, MemoryCommands.doctor(MemoryFigures.of(100 * MB, 100 * MB, 100 * MB, 110 * MB, 110 * MB, 0), 1));
    }

    @Test
    void manyScripts() {
        assertEquals(HEALTHY, MemoryCommands.doctor(MemoryFigures.of(100 * MB, 100 * MB, 100 * MB, 100 * MB, 100 * MB, 1000), 1));
        String r = MemoryCommands.doctor(MemoryFigures.of(100 * MB, 100 * MB, 100 * MB, 100 * MB, 100 * MB, 1001), 1);
        assertEquals(ISSUES + " * Many scripts: There seem to be many cached scripts in this instance (more than 1000). "
            + "This may be because scripts are generated and `EVAL`ed, instead of being parameterized (with KEYS and "
            + "ARGV), `SCRIPT LOAD`ed and `EVALSHA`ed. Unless `SCRIPT FLUSH` is called periodically, the scripts' caches "
            + "may end up consuming most of your memory.\n\n" + BYE, r);
    }

    @Test
    void figuresFollowRedisFormulas() {
        MemoryFigures f = MemoryFigures.of(200, 400, 100, 150, 600, 0);
        assertEquals(1.5, f.allocatorFragRatio());
        assertEquals(50, f.allocatorFragBytes());
        assertEquals(3.0, f.fragmentationRatio());
        assertEquals(400, f.fragmentationBytes());
        assertEquals(4.0, f.rssOverheadRatio());
        assertEquals(450, f.rssOverheadBytes());
        assertEquals(50.0, f.peakPercentage());
    }
}
