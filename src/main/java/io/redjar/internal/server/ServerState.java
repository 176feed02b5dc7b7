package io.redjar.internal.server;

import io.redjar.Reply;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server-level state of one store that the introspection commands (INFO, CONFIG, SLOWLOG,
 * COMMAND, DEBUG) read and write: settings, error counters, the slow log, start time, and the
 * network facts a RESP server supplies through {@link ServerHooks}.
 *
 * <p><b>Thread-safety:</b> thread-safe.
 */
public final class ServerState {
    /** RedJar's version, reported by INFO. */
    public static final String VERSION = io.redjar.spi.Wire.VERSION;
    /** The Redis version whose behaviour RedJar follows, reported as INFO's redis_version. */
    public static final String REDIS_VERSION = "7.0.15";
    private static final int MAX_ERROR_CODES = 128;

    private final ServerConfig config = new ServerConfig();
    private final SlowLog slowlog = new SlowLog();
    private final LatencyMonitor latency = new LatencyMonitor();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final LongAdder totalErrors = new LongAdder();
    private final AtomicLong peakMemory = new AtomicLong();
    private volatile long startupMemory;
    private final long startMillis = System.currentTimeMillis();
    private final String runId;
    private volatile ServerHooks hooks;
    private volatile PersistenceHooks persistence;

    /** @return the persistence hooks (INFO persistence, SHUTDOWN, DEBUG RELOAD), or null */
    public PersistenceHooks persistence() {
        return persistence;
    }

    /** Installs the persistence hooks. */
    public void persistence(PersistenceHooks p) {
        this.persistence = p;
    }

    public ServerState() {
        StringBuilder sb = new StringBuilder(40);
        for (int i = 0; i < 40; i++) {
            sb.append(Character.forDigit(ThreadLocalRandom.current().nextInt(16), 16));
        }
        runId = sb.toString();
    }

    public ServerConfig config() {
        return config;
    }

    public SlowLog slowlog() {
        return slowlog;
    }

    /** @return the network facts, or null when embedded */
    public ServerHooks hooks() {
        return hooks;
    }

    /** Installs (or with null removes) the RESP server's hooks. */
    public void hooks(ServerHooks h) {
        this.hooks = h;
    }

    public long startMillis() {
        return startMillis;
    }

    public String runId() {
        return runId;
    }

    /** Remembers the highest used_memory seen (by INFO). */
    public long peakMemory(long now) {
        return peakMemory.accumulateAndGet(now, Math::max);
    }

    /** Records used_memory as it was once the store was built (Redis's {@code initial_memory_usage}). */
    public void startupMemory(long bytes) {
        this.startupMemory = bytes;
    }

    /** @return used_memory when the store was built (INFO's used_memory_startup) */
    public long startupMemory() {
        return startupMemory;
    }

    /** Counts an error reply under its code ({@code ERR}, {@code WRONGTYPE}, ...), as INFO errorstats. */
    public void countError(Reply.ErrorReply e) {
        totalErrors.increment();
        String code = e.code();
        LongAdder a = errors.get(code);
        if (a == null) {
            if (errors.size() >= MAX_ERROR_CODES) {
                return;
            }
            a = errors.computeIfAbsent(code, k -> new LongAdder());
        }
        a.increment();
    }

    /** @return error counts by code, sorted */
    public Map<String, Long> errorCounts() {
        Map<String, Long> out = new TreeMap<>();
        errors.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public long totalErrorReplies() {
        return totalErrors.sum();
    }

    /** CONFIG RESETSTAT's part here: error counters and the memory peak. */
    public void resetStats() {
        errors.clear();
        totalErrors.reset();
        peakMemory.set(0);
    }

    /** @return the latency monitor (LATENCY LATEST / HISTORY / RESET / GRAPH / DOCTOR) */
    public LatencyMonitor latency() {
        return latency;
    }

    /**
     * Offers one measured latency to the latency monitor: added as a sample of {@code event} when
     * {@code latency-monitor-threshold} is set and {@code nanos} reaches it (Redis's
     * {@code latencyAddSampleIfNeeded}).
     */
    public void latencySample(String event, long nanos) {
        long threshold = config.latencyMonitorThreshold();
        if (threshold > 0) {
            long ms = nanos / 1_000_000;
            if (ms >= threshold) {
                latency.add(event, ms, System.currentTimeMillis() / 1000);
            }
        }
    }
}
