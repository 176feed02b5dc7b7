package io.redjar.fuzz;

import io.redjar.internal.Internals;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Runs the command fuzzer ({@link FuzzMain}) in child JVMs: a few fixed seeds, one of them with
 * helper threads on the same store (plus a fresh random seed with {@code -Dredjar.fuzz.fresh=true}:
 * new seeds find new bugs, which belongs in {@code bench/fuzz.sh}, not in a CI gate that must not
 * flake), or exactly one given run with {@code -Dredjar.fuzz.seed=N} and {@code -Dredjar.fuzz.commands=M}
 * (see docs/hardening.md). A JVM crash, an escaped exception, a broken invariant or a hang fails
 * the test with the child's output: its seed, its last 50 commands and the problem.
 */
class CommandFuzzTest {
    /** Commands per CI run (each of the seeds below). */
    static final long CI_COMMANDS = 400_000;
    static final long[] FIXED_SEEDS = {1L, 42L, 20261202L};
    /** The seed of the run with helper threads (it found the blocked-cancel race in CI). */
    static final long THREADED_SEED = 1577722811042683079L;

    @Test
    void fuzz() throws Exception {
        String seedProp = System.getProperty("redjar.fuzz.seed");
        String countProp = System.getProperty("redjar.fuzz.commands");
        long count = countProp == null || countProp.isBlank() ? CI_COMMANDS : Long.parseLong(countProp.trim());
        String threads = System.getProperty("redjar.fuzz.threads");
        if (seedProp != null && !seedProp.isBlank()) {
            if (threads == null) {
                runChild(Long.parseLong(seedProp.trim()), count);
            } else {
                runChild(Long.parseLong(seedProp.trim()), count, "-Dredjar.fuzz.threads=" + threads);
            }
            return;
        }
        for (long seed : FIXED_SEEDS) {
            runChild(seed, count);
        }
        // one seed also runs two helper threads on the same store (not reproducible command for
        // command, but it reaches the locking between shards and the blocking/cancel races)
        String threadFlag = threads == null ? "-Dredjar.fuzz.threads=3" : "-Dredjar.fuzz.threads=" + threads;
        runChild(THREADED_SEED, count, threadFlag);
        if (Boolean.getBoolean("redjar.fuzz.fresh")) {
            runChild(new Random().nextLong(), count, threadFlag);
        }
    }

    /** The generator draws from the command table: every command and subcommand shows up. */
    @Test
    void generatorCoversTheWholeTable() {
        try (io.redjar.Store store = io.redjar.Store.builder().dataDir(FuzzDirs.temp()).open()) {
            io.redjar.internal.command.CommandTable table = Internals.engine(store).dispatcher().table();
            CommandFuzzer gen = new CommandFuzzer(table, new Random(1), java.util.Set.of());
            java.util.Set<String> seen = new java.util.TreeSet<>();
            for (int i = 0; i < 100_000; i++) {
                byte[][] argv = gen.next();
                io.redjar.internal.command.CommandSpec spec = table.lookup(argv[0]);
                if (spec != null && !spec.subcommands().isEmpty() && argv.length > 1) {
                    io.redjar.internal.command.CommandSpec sub = spec.subcommands().get(
                        new String(argv[1], java.nio.charset.StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT));
                    spec = sub == null ? spec : sub;
                }
                if (spec != null) {
                    seen.add(spec.fullName());
                }
            }
            java.util.Set<String> missing = new java.util.TreeSet<>(gen.commandNames());
            missing.removeAll(seen);
            org.junit.jupiter.api.Assertions.assertTrue(missing.isEmpty(), "never generated: " + missing);
        }
    }

    static void runChild(long seed, long commands, String... jvmFlags) throws Exception {
        System.out.println("CommandFuzzTest: skipped input classes (-Dredjar.fuzz.skip): " + CommandFuzzer.SKIP);
        System.out.println("CommandFuzzTest: seed " + seed + ", " + commands + " commands (replay: mvn -B -pl :redjar test "
            + "-Dtest=CommandFuzzTest -Dredjar.fuzz.seed=" + seed + " -Dredjar.fuzz.commands=" + commands + ")");
        Duration timeout = Duration.ofSeconds(Math.max(300, commands / 200));
        List<String> flags = new java.util.ArrayList<>(List.of("-Xmx1g", "-XX:+UseSerialGC"));
        flags.addAll(List.of(jvmFlags));
        ChildJvm.Result r = ChildJvm.run(FuzzMain.class.getName(), flags,
            List.of(Long.toString(seed), Long.toString(commands), "1000"), timeout, 150);
        
        if (r.exitCode() != 0 && r.exitCode() != 1 && r.exitCode() != 3 && !r.timedOut()) {
            // a JVM crash prints no history: replay the same seed printing each command first
            System.out.println("CommandFuzzTest: the child died (exit " + r.exitCode() + "); replaying seed " + seed
                + " with every command traced");
            ChildJvm.Result traced = ChildJvm.run(FuzzMain.class.getName(), flags,
                List.of(Long.toString(seed), Long.toString(commands), "1000", "trace"), timeout, 60);
            r = new ChildJvm.Result(r.exitCode(), false, r.tail() + "\n---- replay with every command traced "
                + "(the last one is the culprit) ----\n" + traced.tail(), r.commandLine());
        }
        ChildJvm.Result result = r;
        assertEquals(0, result.exitCode(), () -> "command fuzzer failed, seed " + seed + " (replay: mvn -B -pl :redjar test "
            + "-Dtest=CommandFuzzTest -Dredjar.fuzz.seed=" + seed + " -Dredjar.fuzz.commands=" + commands + ")\n"
            + result.describe());
    }
}
