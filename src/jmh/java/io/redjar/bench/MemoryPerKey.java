package io.redjar.bench;

import io.redjar.internal.Internals;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.redjar.Store;
import io.redjar.Strings;
import io.redjar.internal.keyspace.Keyspace;
import io.redjar.internal.keyspace.Shard;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory per key after loading {@code key:0 .. key:(n-1)} with 32-byte values (n = 1M by default)
 * into RedJar, a {@code ConcurrentHashMap<String, byte[]>}, a bounded Caffeine cache, and a real
 * {@code redis-server}, printed as one table.
 *
 * <ul>
 *   <li>RedJar: native bytes in entry blocks (the slab allocator's used bytes) plus the heap delta
 *       (the key tables' {@code long[]} slot arrays live on the heap). {@code store.usedMemory()}
 *       and the allocator's reserved bytes are printed too.</li>
 *   <li>Heap deltas: {@link MemoryMXBean} heap used, after {@code System.gc()} (repeated until it
 *       settles), before and after the load. Keys are generated inside the load loop, so only what
 *       the structure retains counts.</li>
 *   <li>Redis: {@code INFO memory} {@code used_memory} after the load minus the same on the empty
 *       server, both read on a fresh connection after the loading connection is closed. The
 *       server is started on a free port with {@code --save '' --appendonly no} and loaded with
 *       pipelined {@code SET}s of exactly the same keys and value lengths.</li>
 * </ul>
 *
 * <pre>
 * java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -Xmx2g \
 *      -cp target/benchmarks.jar io.redjar.bench.MemoryPerKey [keys] [--redis=/usr/bin/redis-server | --no-redis]
 * </pre>
 */
public final class MemoryPerKey {
    private static final MemoryMXBean MEM = ManagementFactory.getMemoryMXBean();

    private MemoryPerKey() {
    }

    /** One row of the result table. */
    record Row(String what, long bytes, String note) {
    }

    public static void main(String[] args) throws Exception {
        int n = Workload.KEYS;
        String redis = "/usr/bin/redis-server";
        for (String a : args) {
            if (a.startsWith("--redis=")) {
                redis = a.substring("--redis=".length());
            } else if (a.equals("--no-redis")) {
                redis = null;
            } else {
                n = Integer.parseInt(a.replace("_", ""));
            }
        }
        System.out.printf(Locale.ROOT, "Memory per key: %,d keys key:0..key:%d, %d-byte values; JVM %s, max heap %,d MB%n%n",
            n, n - 1, Workload.VALUE_LEN, System.getProperty("java.vm.version"), Runtime.getRuntime().maxMemory() >> 20);

        List<Row> rows = new ArrayList<>();
        long redjarTotal = redjar(n, rows);
        long chm = chm(n, rows);
        caffeine(n, rows);
        long redisUsed = -1;
        if (redis != null) {
            redisUsed = redis(redis, n, rows);
        }

        System.out.printf(Locale.ROOT, "%-52s %16s %10s  %s%n", "measure", "bytes", "B/key", "note");
        for (Row r : rows) {
            if (r.bytes < 0) {
                System.out.printf(Locale.ROOT, "%-52s %16s %10s  %s%n", r.what, "n/a", "n/a", r.note);
            } else {
                System.out.printf(Locale.ROOT, "%-52s %,16d %10.1f  %s%n", r.what, r.bytes, (double) r.bytes / n, r.note);
            }
        }
        System.out.println();
        double perKey = (double) redjarTotal / n;
        System.out.printf(Locale.ROOT, "RedJar total %.1f B/key (goal <= 60: %s); vs CHM %.2fx", perKey,
            perKey <= 60 ? "MET" : "MISSED by " + String.format(Locale.ROOT, "%.1f", perKey - 60), (double) redjarTotal / chm);
        if (redisUsed > 0) {
            System.out.printf(Locale.ROOT, "; vs Redis %.2fx", (double) redjarTotal / redisUsed);
        }
        System.out.println();
    }

    // ---- RedJar ----------------------------------------------------------------------------

    private static long redjar(int n, List<Row> rows) {
        long before = settledHeap();
        Store store = Store.open();
        Strings strings = store.strings();
        SplittableRandom rnd = new SplittableRandom(1);
        byte[] value = new byte[Workload.VALUE_LEN];
        for (int i = 0; i < n; i++) {
            fill(value, rnd);
            strings.set(Workload.key(i).getBytes(StandardCharsets.US_ASCII), value);
        }
        long after = settledHeap();
        if (store.keys().dbSize() != n) {
            throw new IllegalStateException("RedJar holds " + store.keys().dbSize() + " keys, expected " + n);
        }
        Keyspace ks = Internals.engine(store).keyspace();
        long entries = 0;
        long tables = 0;
        for (int i = 0; i < ks.shardCount(); i++) {
            Shard s = ks.shard(i);
            s.lock();
            try {
                entries += s.allocator().usedBytes();
                for (int db = 0; db < ks.databases(); db++) {
                    tables += s.table(db).tableBytes();
                }
            } finally {
                s.unlock();
            }
        }
        long used = store.usedMemory();
        long reserved = ks.reservedMemory();
        long heap = after - before;
        rows.add(new Row("RedJar off-heap: entry blocks (allocator used)", entries,
            ks.shardCount() + " shards x " + ks.databases() + " dbs"));
        rows.add(new Row("RedJar off-heap: reserved (1 MiB slab pages)", reserved, "allocator reservedBytes"));
        rows.add(new Row("RedJar key tables (int refs + byte tags, heap)", tables, "part of the heap delta"));
        rows.add(new Row("RedJar store.usedMemory()", used, "= entry blocks + key tables"));
        rows.add(new Row("RedJar heap delta", heap, String.format(Locale.ROOT, "%.1f MB (goal < 64 MB: %s)",
            heap / 1048576.0, heap < 64L << 20 ? "MET" : "MISSED")));
        long total = entries + heap;
        rows.add(new Row("RedJar TOTAL = entry blocks + heap delta", total, "goal <= 60 B/key"));
        rows.add(new Row("RedJar reserved + heap delta", reserved + heap, "what the process really holds"));
        store.close();
        return total;
    }

    // ---- Java maps -------------------------------------------------------------------------

    private static long chm(int n, List<Row> rows) {
        long before = settledHeap();
        ConcurrentHashMap<String, byte[]> map = new ConcurrentHashMap<>();
        SplittableRandom rnd = new SplittableRandom(1);
        for (int i = 0; i < n; i++) {
            byte[] v = new byte[Workload.VALUE_LEN];
            fill(v, rnd);
            map.put(Workload.key(i), v);
        }
        long heap = settledHeap() - before;
        if (map.size() != n) {
            throw new IllegalStateException("CHM size " + map.size());
        }
        rows.add(new Row("ConcurrentHashMap<String,byte[]> heap delta", heap, "String key + byte[32] + node + table"));
        map.clear();
        return heap;
    }

    private static long caffeine(int n, List<Row> rows) {
        long before = settledHeap();
        Cache<String, byte[]> cache = Caffeine.newBuilder().maximumSize(2_000_000).build();
        SplittableRandom rnd = new SplittableRandom(1);
        for (int i = 0; i < n; i++) {
            byte[] v = new byte[Workload.VALUE_LEN];
            fill(v, rnd);
            cache.put(Workload.key(i), v);
        }
        cache.cleanUp();
        long heap = settledHeap() - before;
        if (cache.estimatedSize() != n) {
            throw new IllegalStateException("Caffeine size " + cache.estimatedSize());
        }
        rows.add(new Row("Caffeine(maximumSize 2M) heap delta", heap, "for reference"));
        cache.invalidateAll();
        cache.cleanUp();
        return heap;
    }

    private static void fill(byte[] v, SplittableRandom rnd) {
        for (int i = 0; i < v.length; i++) {
            v[i] = (byte) ('a' + rnd.nextInt(26));
        }
    }

    /** @return heap used after full collections, once two readings in a row agree within 1 MB */
    static long settledHeap() {
        long last = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            long used = MEM.getHeapMemoryUsage().getUsed();
            if (Math.abs(used - last) < 1 << 20) {
                return Math.min(used, last);
            }
            last = used;
        }
        return last;
    }

    // ---- Redis -----------------------------------------------------------------------------

    private static long redis(String server, int n, List<Row> rows) throws Exception {
        if (!new File(server).canExecute()) {
            rows.add(new Row("Redis used_memory delta", -1, server + " not found; pass --redis=PATH"));
            return -1;
        }
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Process p = new ProcessBuilder(server, "--port", Integer.toString(port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--daemonize", "no", "--logfile", "")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
        try {
            waitForRedis(port, p);
            String version = infoField(port, "server", "redis_version");
            Thread.sleep(500);
            long empty = Long.parseLong(infoField(port, "memory", "used_memory"));
            loadRedis(port, n);
            Thread.sleep(1500); // let serverCron settle client buffers
            long loaded = Long.parseLong(infoField(port, "memory", "used_memory"));
            long keys = Long.parseLong(infoField(port, "keyspace", "db0").replaceAll("keys=(\\d+).*", "$1"));
            if (keys != n) {
                throw new IllegalStateException("Redis holds " + keys + " keys, expected " + n);
            }
            String rss = infoField(port, "memory", "used_memory_rss");
            String alloc = infoField(port, "memory", "mem_allocator");
            rows.add(new Row("Redis " + version + " used_memory delta", loaded - empty,
                String.format(Locale.ROOT, "empty %,d -> loaded %,d; %s; rss %,d", empty, loaded, alloc, Long.parseLong(rss))));
            return loaded - empty;
        } finally {
            p.destroy();
            p.waitFor();
        }
    }

    private static void waitForRedis(int port, Process p) throws Exception {
        for (int i = 0; i < 100; i++) {
            if (!p.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + p.exitValue());
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("redis-server did not start on port " + port);
    }

    /** Pipelines n SETs on one connection: a writer thread sends, this thread counts replies. */
    private static void loadRedis(int port, int n) throws Exception {
        try (Socket sock = new Socket("127.0.0.1", port)) {
            sock.setTcpNoDelay(true);
            OutputStream out = new BufferedOutputStream(sock.getOutputStream(), 1 << 16);
            Throwable[] failed = new Throwable[1];
            Thread writer = new Thread(() -> {
                try {
                    SplittableRandom rnd = new SplittableRandom(1);
                    byte[] value = new byte[Workload.VALUE_LEN];
                    byte[] valueHeader = ("\r\n$" + Workload.VALUE_LEN + "\r\n").getBytes(StandardCharsets.US_ASCII);
                    for (int i = 0; i < n; i++) {
                        fill(value, rnd);
                        byte[] key = Workload.key(i).getBytes(StandardCharsets.US_ASCII);
                        out.write(("*3\r\n$3\r\nSET\r\n$" + key.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(key);
                        out.write(valueHeader);
                        out.write(value);
                        out.write('\r');
                        out.write('\n');
                    }
                    out.flush();
                } catch (Throwable t) {
                    failed[0] = t;
                }
            }, "redis-loader");
            writer.start();
            InputStream in = new BufferedInputStream(sock.getInputStream(), 1 << 16);
            for (int i = 0; i < n; i++) {
                String line = readLine(in);
                if (!line.equals("+OK")) {
                    throw new IllegalStateException("SET reply " + i + ": " + line);
                }
            }
            writer.join();
            if (failed[0] != null) {
                throw new IllegalStateException("loader failed", failed[0]);
            }
        }
    }

    /** Sends INFO {@code section} on a fresh connection and returns {@code field}'s value. */
    private static String infoField(int port, String section, String field) throws IOException {
        try (Socket sock = new Socket("127.0.0.1", port)) {
            OutputStream out = sock.getOutputStream();
            out.write(("*2\r\n$4\r\nINFO\r\n$" + section.length() + "\r\n" + section + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = new BufferedInputStream(sock.getInputStream());
            String head = readLine(in);
            if (!head.startsWith("$")) {
                throw new IOException("INFO reply: " + head);
            }
            int len = Integer.parseInt(head.substring(1));
            byte[] body = in.readNBytes(len);
            String text = new String(body, StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("(?m)^" + Pattern.quote(field) + ":(.*?)\\r?$").matcher(text);
            if (!m.find()) {
                throw new IOException("INFO " + section + " has no " + field);
            }
            return m.group(1).trim();
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder(16);
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c == '\r') {
                if (in.read() != '\n') {
                    throw new IOException("bad line ending");
                }
                return sb.toString();
            }
            sb.append((char) c);
        }
    }
}
