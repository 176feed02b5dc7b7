package io.redjar.internal.server;

import org.agrona.UnsafeApi;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process-level memory figures INFO memory and MEMORY STATS report next to the keyspace's own:
 * the resident set size, the machine's memory, and the JVM's heap, non-heap and direct buffers.
 *
 * <p>Design: {@link #rss()} is Redis's {@code zmalloc_get_rss}: on Linux the second field of
 * {@code /proc/self/statm} (resident pages) times the page size. Where that file does not exist
 * (macOS, Windows) it falls back to an estimate from what the JVM can see, documented in
 * {@code docs/memory.md}: committed heap + committed non-heap + direct buffers + the native bytes the
 * caller reserved (the slab pages), which is what the process has asked the system for rather than
 * what is resident. Each call reads the file again (INFO is not a hot path).
 *
 * <p><b>Thread-safety:</b> stateless; safe from any thread.
 */
public final class ProcessMemory {
    private static final Path STATM = Path.of("/proc/self/statm");

    private ProcessMemory() {
    }

    /**
     * @param nativeReserved native bytes the store reserved itself (used by the fallback only)
     * @return the process's resident set size in bytes
     */
    public static long rss(long nativeReserved) {
        long fromProc = procRss();
        return fromProc >= 0 ? fromProc : estimate(nativeReserved);
    }

    /** @return whether {@link #rss} reads the real figure from {@code /proc} */
    public static boolean rssFromProc() {
        return procRss() >= 0;
    }

    /** @return {@code /proc/self/statm}'s resident pages in bytes, or -1 where unavailable */
    static long procRss() {
        try {
            String s = Files.readString(STATM, StandardCharsets.US_ASCII);
            return parseStatm(s, UnsafeApi.pageSize());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** @return the resident field (the second) of a statm line times {@code pageSize}, or -1 */
    static long parseStatm(String statm, long pageSize) {
        String[] f = statm.trim().split("\\s+");
        if (f.length < 2) {
            return -1;
        }
        try {
            return Math.multiplyExact(Long.parseLong(f[1]), pageSize);
        } catch (NumberFormatException | ArithmeticException e) {
            return -1;
        }
    }

    private static long estimate(long nativeReserved) {
        return heapCommitted() + nonHeapCommitted() + directBytes() + nativeReserved;
    }

    /** @return the physical memory of the machine (Redis's {@code total_system_memory}), 0 if unknown */
    public static long totalSystemMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return 0;
    }

    /** @return bytes of heap in use */
    public static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** @return bytes of heap committed by the JVM */
    public static long heapCommitted() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
    }

    /** @return the heap's limit ({@code -Xmx}), or -1 when undefined */
    public static long heapMax() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
    }

    /** @return bytes committed outside the heap (metaspace, code cache, ...) */
    public static long nonHeapCommitted() {
        long n = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.NON_HEAP) {
                n += p.getUsage().getCommitted();
            }
        }
        return n;
    }

    /** @return bytes held by direct and mapped NIO buffers (network buffers, AOF I/O) */
    public static long directBytes() {
        long n = 0;
        for (java.lang.management.BufferPoolMXBean b
            : ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class)) {
            n += Math.max(0, b.getMemoryUsed());
        }
        return n;
    }
}
