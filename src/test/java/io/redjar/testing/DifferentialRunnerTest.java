package io.redjar.testing;

import io.redjar.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link DifferentialRunner} with in-memory fake targets, and {@link CommandGenerator} determinism. */
class DifferentialRunnerTest {

    /** A toy GET/SET/INCR store, enough to drive the runner. */
    static final class Toy implements Function<byte[][], Reply> {
        final Map<String, byte[]> data = new HashMap<>();

        @Override
        public Reply apply(byte[][] argv) {
            String cmd = new String(argv[0], StandardCharsets.UTF_8).toUpperCase();
            String key = new String(argv[1], StandardCharsets.UTF_8);
            switch (cmd) {
                case "SET":
                    data.put(key, argv[2]);
                    return Reply.OK;
                case "GET":
                    return Reply.bulk(data.get(key));
                case "INCR": {
                    long v = data.containsKey(key) ? Long.parseLong(new String(data.get(key), StandardCharsets.UTF_8)) + 1 : 1;
                    data.put(key, Long.toString(v).getBytes(StandardCharsets.UTF_8));
                    return Reply.integer(v);
                }
                default:
                    return Reply.error("ERR unknown command");
            }
        }
    }

    private static List<byte[][]> script(int n) {
        List<byte[][]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(i % 3 == 0 ? Step.argv("SET", "k" + (i % 4), Integer.toString(i))
                    : i % 3 == 1 ? Step.argv("INCR", "k" + (i % 4)) : Step.argv("GET", "k" + (i % 4)));
        }
        return out;
    }

    @Test
    void agreeingTargetsPass() {
        new DifferentialRunner(new Toy(), new Toy()).runCommands(script(500));
    }

    @Test
    void firstMismatchStopsTheRunWithAReproducibleReport(@TempDir Path tmp) throws Exception {
        Toy reference = new Toy();
        Toy wrong = new Toy();
        int[] calls = {0};
        Function<byte[][], Reply> candidate = argv -> {
            calls[0]++;
            Reply r = wrong.apply(argv);
            return calls[0] == 38 ? Reply.integer(-999) : r;
        };
        Path dir = tmp.resolve("target").resolve("differential-failures");
        Files.createDirectories(dir.getParent());
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () ->
                new DifferentialRunner(reference, candidate).seed(1234L).failureDirectory(dir).runCommands(script(100)));
        assertEquals(38, calls[0], "stopped at the first mismatch");
        String m = e.getMessage();
        assertTrue(m.contains("Differential mismatch at step 37 of 100"), m);
        assertTrue(m.contains("seed=1234 (replay with -Dredjar.seed=1234)"), m);
        assertTrue(m.contains("step 37: INCR k1"), m);
        assertTrue(m.contains("expected (redis) : :"), m);
        assertTrue(m.contains("actual   (redjar): :-999"), m);
        assertTrue(m.contains("last 20 commands (18 earlier ones omitted"), m);
        assertTrue(m.contains("  18  SET k2 18  # +OK"), m);
        assertFalse(m.contains("  17  "), m);
        assertTrue(m.contains("  37  INCR k1    # :"), m);
        assertTrue(m.contains("<-- mismatch"), m);
        assertEquals(":-999", e.getActual().getValue());
        try (Stream<Path> files = Files.list(dir)) {
            Path f = files.findFirst().orElseThrow();
            assertEquals("seed-1234-step-37.redis", f.getFileName().toString());
            String full = Files.readString(f);
            assertTrue(full.contains("   0  SET k0 0   # +OK"), full);
            assertTrue(m.contains("full script: " + f.toAbsolutePath()), m);
        }
    }

    @Test
    void aThrowingCandidateIsAMismatch() {
        Toy reference = new Toy();
        Function<byte[][], Reply> candidate = argv -> {
            throw new IllegalStateException("boom");
        };
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () ->
                new DifferentialRunner(reference, candidate).failureDirectory(null).runCommands(script(3)));
        assertTrue(e.getMessage().contains("step 0: SET k0 0"), e.getMessage());
        assertTrue(e.getMessage().contains("threw java.lang.IllegalStateException: boom"), e.getMessage());
        assertTrue(e.getMessage().contains("seed=none"), e.getMessage());
        assertInstanceOf(IllegalStateException.class, e.getCause());
    }

    @Test
    void candidateGetsItsOwnArgumentCopies() {
        Function<byte[][], Reply> vandal = argv -> {
            Reply r = Reply.OK;
            argv[1][0] = 'X';
            return r;
        };
        List<byte[][]> cmds = List.of(Step.argv("SET", "k", "v"), Step.argv("SET", "k", "v"));
        new DifferentialRunner(argv -> {
            assertEquals("k", new String(argv[1], StandardCharsets.UTF_8));
            return Reply.OK;
        }, vandal).failureDirectory(null).runCommands(cmds);
        assertEquals("k", new String(cmds.get(1)[1], StandardCharsets.UTF_8));
    }

    @Test
    void stepComparatorIsUsed() {
        List<Step> steps = List.of(Step.of("TTL", "k").compareWith(ReplyComparator.ttl(5)), Step.of("KEYS", "*").unordered());
        int[] n = {0};
        Function<byte[][], Reply> a = argv -> n[0]++ == 0 ? Reply.integer(100) : Reply.array(Reply.bulk("a"), Reply.bulk("b"));
        int[] m = {0};
        Function<byte[][], Reply> b = argv -> m[0]++ == 0 ? Reply.integer(97) : Reply.array(Reply.bulk("b"), Reply.bulk("a"));
        new DifferentialRunner(a, b).failureDirectory(null).run(steps);
    }

    @Test
    void seedProperty() {
        String old = System.getProperty(DifferentialRunner.SEED_PROPERTY);
        try {
            System.clearProperty(DifferentialRunner.SEED_PROPERTY);
            assertEquals(7L, DifferentialRunner.seedOr(7L));
            System.setProperty(DifferentialRunner.SEED_PROPERTY, "-99");
            assertEquals(-99L, DifferentialRunner.seedOr(7L));
            assertEquals(-99L, DifferentialRunner.randomSeed());
            System.setProperty(DifferentialRunner.SEED_PROPERTY, "x");
            assertThrows(IllegalArgumentException.class, () -> DifferentialRunner.seedOr(7L));
        } finally {
            if (old == null) {
                System.clearProperty(DifferentialRunner.SEED_PROPERTY);
            } else {
                System.setProperty(DifferentialRunner.SEED_PROPERTY, old);
            }
        }
    }

    @Test
    void generatorIsDeterministicPerSeedAndCoversItsCommands() {
        List<Step> a = new StringCommandGenerator(42).generate(3000);
        List<Step> b = new StringCommandGenerator(42).generate(3000);
        List<Step> c = new StringCommandGenerator(43).generate(3000);
        assertEquals(render(a), render(b));
        assertFalse(render(a).equals(render(c)));
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (Step s : a) {
            names.add(s.name());
        }
        for (String cmd : List.of("SET", "GET", "GETDEL", "GETSET", "SETNX", "MSET", "MSETNX", "MGET", "APPEND", "STRLEN",
                "GETRANGE", "SETRANGE", "INCR", "DECR", "INCRBY", "DECRBY", "INCRBYFLOAT", "DEL", "EXISTS", "TYPE", "RENAME",
                "RENAMENX", "COPY", "PERSIST", "TTL", "PTTL", "DBSIZE", "LCS")) {
            assertTrue(names.contains(cmd), cmd + " never generated: " + names);
        }
    }

    @Test
    void expiriesAreLongAndTtlsAreTolerant() {
        for (Step s : new StringCommandGenerator(5).generate(5000)) {
            byte[][] argv = s.argv();
            for (int i = 3; i < argv.length - 1; i++) {
                String opt = new String(argv[i], StandardCharsets.UTF_8).toUpperCase();
                String val = new String(argv[i + 1], StandardCharsets.UTF_8);
                if (s.name().equals("SET") && (opt.equals("EX") || opt.equals("PX")) && val.matches("-?\\d+")) {
                    long v = Long.parseLong(val);
                    long seconds = opt.equals("EX") ? v : v / 1000;
                    assertTrue(v <= 0 || seconds >= StringCommandGenerator.MIN_EXPIRE_SECONDS, s.toString());
                }
            }
            if (s.name().equals("TTL") || s.name().equals("PTTL")) {
                assertTrue(s.comparator() != ReplyComparator.EXACT, s.toString());
            }
        }
    }

    private static List<String> render(List<Step> steps) {
        List<String> out = new ArrayList<>();
        for (Step s : steps) {
            out.add(s.toString());
        }
        return out;
    }
}
