package io.redjar.internal.server;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The latency monitor's sample rules (Redis's latency.c): one sample per second, 160 kept, max kept, reset counts. */
class LatencyMonitorTest {

    @Test
    void oneSamplePerSecondKeepsTheHighest() {
        LatencyMonitor m = new LatencyMonitor();
        m.add("command", 5, 100);
        m.add("command", 9, 100);
        m.add("command", 3, 100);
        m.add("command", 4, 101);
        assertEquals(List.of(new LatencyMonitor.Sample(100, 9), new LatencyMonitor.Sample(101, 4)), m.history("command"));
        assertEquals(List.of(new LatencyMonitor.Latest("command", 101, 4, 9)), m.latest());
        assertEquals(9, m.max("command"));
    }

    @Test
    void ringKeepsTheLast160OldestFirst() {
        LatencyMonitor m = new LatencyMonitor();
        for (int i = 1; i <= 200; i++) {
            m.add("expire-cycle", i, 1000 + i);
        }
        List<LatencyMonitor.Sample> h = m.history("expire-cycle");
        assertEquals(LatencyMonitor.SAMPLES, h.size());
        assertEquals(new LatencyMonitor.Sample(1041, 41), h.get(0));
        assertEquals(new LatencyMonitor.Sample(1200, 200), h.get(159));
        assertEquals(200, m.max("expire-cycle"));
    }

    @Test
    void resetCountsWhatExisted() {
        LatencyMonitor m = new LatencyMonitor();
        m.add("command", 5, 100);
        m.add("fast-command", 5, 100);
        assertEquals(0, m.reset(List.of("nosuch")));
        assertEquals(1, m.reset(List.of("command", "nosuch")));
        assertEquals(1, m.reset(List.of()));
        assertTrue(m.latest().isEmpty());
        assertTrue(m.history("command").isEmpty());
        assertEquals(-1, m.max("command"));
    }
}
