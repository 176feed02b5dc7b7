package io.redjar.internal.persistence.aof;

import io.redjar.AppendFsync;
import io.redjar.Reply;
import io.redjar.Store;
import io.redjar.testing.Seeds;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Crash test: a child JVM ({@link AofCrashChild}) writes a numbered history under each fsync
 * policy and is killed with SIGKILL at seeded random points; the parent reopens the directory and
 * checks the model: the list {@code h} is exactly {@code 0..n-1} (a prefix of the issued history,
 * no holes, no reordering), {@code last} is {@code n-1} (each MULTI/EXEC entirely in or out), and
 * under {@code always} no acknowledged write is lost ({@code n > every acked i}); under
 * {@code everysec} the acknowledged writes lost were acknowledged within the last 2 s before the
 * kill. The next cycle continues on the same directory (rewrites happen along the way).
 *
 * <p>Cycles per policy: 4 in the normal run; {@code -Dredjar.aof.crashCycles=N} (or the
 * environment variable {@code REDJAR_AOF_CRASH_CYCLES}) for the long run documented in
 * {@code docs/aof.md}.
 */
class AofCrashTest {
    @TempDir
    Path dir;

    private static int cycles() {
        String p = System.getProperty("redjar.aof.crashCycles", System.getenv("REDJAR_AOF_CRASH_CYCLES"));
        return p == null || p.isBlank() ? 4 : Integer.parseInt(p.trim());
    }

    @ParameterizedTest
    @EnumSource(AppendFsync.class)
    void killedChildLosesNoAcknowledgedWrite(AppendFsync fsync) {
        Seeds.run("aof crash " + fsync, r -> {
            long everAcked = -1;
            int n = cycles();
            long totalLost = 0;
            for (int cycle = 0; cycle < n; cycle++) {
                Run run = runChild(fsync, r);
                long recovered;
                try (Store s = AofTestSupport.open(dir, fsync)) {
                    List<String> h = AofTestSupport.strings(s.execute("LRANGE", "h", "0", "-1"));
                    for (int i = 0; i < h.size(); i++) {
                        assertEquals(Integer.toString(i), h.get(i), "cycle " + cycle + ": not a prefix at " + i);
                    }
                    recovered = h.size();
                    Reply last = s.execute("GET", "last");
                    if (recovered > 0) {
                        assertEquals(Long.toString(recovered - 1), AofTestSupport.text(last),
                            "cycle " + cycle + ": a MULTI/EXEC half applied");
                    }
                }
                everAcked = Math.max(everAcked, run.maxAcked);
                long lost = Math.max(0, everAcked + 1 - recovered);
                totalLost += lost;
                if (fsync == AppendFsync.ALWAYS) {
                    assertEquals(0, lost, "cycle " + cycle + ": acknowledged writes lost under always (acked up to "
                        + everAcked + ", recovered " + recovered + ")");
                } else if (fsync == AppendFsync.EVERYSEC) {
                    for (int k = 0; k < run.acks.size(); k++) {
                        long[] a = run.acks.get(k);
                        if (a[0] >= recovered) {
                            assertTrue(a[1] >= run.killedAt - 2000, "cycle " + cycle + ": write " + a[0]
                                + " acknowledged " + (run.killedAt - a[1]) + " ms before the kill was lost");
                        }
                    }
                }
                everAcked = Math.min(everAcked, recovered - 1); // lost-and-allowed writes are reissued
            }
            System.out.println("aof crash " + fsync + ": " + n + " cycles, " + (everAcked + 1)
                + " writes recovered at the end, " + totalLost + " acknowledged writes lost");
        });
    }

    private record Run(long maxAcked, List<long[]> acks, long killedAt) {
    }

    private Run runChild(AppendFsync fsync, Random r) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-exports") || a.startsWith("--add-opens") || a.startsWith("-Dredjar.")) {
                cmd.add(a);
            }
        }
        cmd.add("-Xmx256m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(AofCrashChild.class.getName());
        cmd.add(dir.toString());
        cmd.add(fsync.name());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<long[]> acks = new ArrayList<>();
        long[] max = {-1};
        StringBuilder other = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("ack ")) {
                        String[] f = line.split(" ");
                        if (f.length == 3) { // a line cut by the kill is not an acknowledgement
                            long i = Long.parseLong(f[1]);
                            synchronized (acks) {
                                acks.add(new long[] {i, Long.parseLong(f[2])});
                                max[0] = Math.max(max[0], i);
                            }
                        }
                    } else if (other.length() < 4000) {
                        other.append(line).append('\n');
                    }
                }
            } catch (java.io.IOException ignored) {
                // the child was killed
            }
        });
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!other.toString().contains("ready") && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        if (!p.isAlive() || !other.toString().contains("ready")) {
            p.destroyForcibly();
            fail("child did not start: " + other);
        }
        Thread.sleep(50 + r.nextInt(700)); // a seeded random point in the writes
        long killedAt = System.currentTimeMillis();
        p.destroyForcibly(); // SIGKILL
        p.waitFor(30, TimeUnit.SECONDS);
        reader.join(10_000);
        synchronized (acks) {
            assertTrue(other.indexOf("fail ") < 0 && other.indexOf("Exception") < 0, other.toString());
            return new Run(max[0], new ArrayList<>(acks), killedAt);
        }
    }
}
