package io.redjar.internal.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Redis's latency monitor ({@code latency.c}): for each event class ({@code command},
 * {@code fast-command}, {@code expire-cycle}), a ring of the last 160 samples, at most one per
 * second (a second's sample keeps the highest latency seen in it), plus the all-time maximum.
 * A sample is only added when {@code latency-monitor-threshold} is set and the latency reaches it;
 * the caller checks that ({@link ServerConfig#latencyMonitorThreshold()}).
 *
 * <p><b>Thread-safety:</b> thread-safe; methods synchronize on the monitor (samples are rare: only
 * latencies above the threshold reach it).
 */
public final class LatencyMonitor {
    /** Samples kept per event (Redis's {@code LATENCY_TS_LEN}). */
    public static final int SAMPLES = 160;

    /** One sample: when (unix seconds) and how long (milliseconds). */
    public record Sample(long time, long latencyMs) {
    }

    /** What LATENCY LATEST reports of one event. */
    public record Latest(String event, long time, long latencyMs, long maxMs) {
    }

    private static final class Series {
        final long[] time = new long[SAMPLES];
        final long[] latency = new long[SAMPLES];
        int idx;
        long max;
    }

    private final Map<String, Series> events = new LinkedHashMap<>();

    /** Adds a sample of {@code latencyMs} to {@code event} at {@code unixSeconds}. */
    public synchronized void add(String event, long latencyMs, long unixSeconds) {
        Series s = events.computeIfAbsent(event, e -> new Series());
        if (latencyMs > s.max) {
            s.max = latencyMs;
        }
        int prev = (s.idx + SAMPLES - 1) % SAMPLES;
        if (s.time[prev] == unixSeconds) {
            if (latencyMs > s.latency[prev]) {
                s.latency[prev] = latencyMs;
            }
            return;
        }
        s.time[s.idx] = unixSeconds;
        s.latency[s.idx] = latencyMs;
        s.idx = (s.idx + 1) % SAMPLES;
    }

    /** @return LATENCY LATEST: every event with its latest sample and all-time maximum */
    public synchronized List<Latest> latest() {
        List<Latest> out = new ArrayList<>();
        for (Map.Entry<String, Series> e : events.entrySet()) {
            Series s = e.getValue();
            int last = (s.idx + SAMPLES - 1) % SAMPLES;
            out.add(new Latest(e.getKey(), s.time[last], s.latency[last], s.max));
        }
        return out;
    }

    /** @return LATENCY HISTORY: the event's samples, oldest first (empty for an unknown event) */
    public synchronized List<Sample> history(String event) {
        Series s = events.get(event);
        List<Sample> out = new ArrayList<>();
        if (s == null) {
            return out;
        }
        for (int j = 0; j < SAMPLES; j++) {
            int i = (s.idx + j) % SAMPLES;
            if (s.time[i] != 0) {
                out.add(new Sample(s.time[i], s.latency[i]));
            }
        }
        return out;
    }

    /** @return the all-time maximum of {@code event}, or -1 if it has no samples */
    public synchronized long max(String event) {
        Series s = events.get(event);
        return s == null ? -1 : s.max;
    }

    /** @return the event names with samples */
    public synchronized List<String> events() {
        return new ArrayList<>(events.keySet());
    }

    /** LATENCY RESET: forgets {@code names} (every event when empty); @return how many existed */
    public synchronized int reset(List<String> names) {
        if (names.isEmpty()) {
            int n = events.size();
            events.clear();
            return n;
        }
        int n = 0;
        for (String name : names) {
            if (events.remove(name) != null) {
                n++;
            }
        }
        return n;
    }
}
