package io.redjar.diff;

import io.redjar.Reply;
import io.redjar.Session;
import io.redjar.Store;
import io.redjar.testing.DifferentialRunner;
import io.redjar.testing.RequiresRedis;
import io.redjar.testing.RespClient;
import io.redjar.testing.Seeds;
import io.redjar.testing.Step;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PFADD / PFCOUNT / PFMERGE / PFDEBUG sequences sent to a real redis-server and to RedJar: the
 * replies and the raw HLL bytes (GET after each write) must be identical, in sparse and dense
 * form, with {@code hll-sparse-max-bytes} varied, and on corrupted values (random byte flips of a
 * real HLL written with SET: the same error or the same answer on both).
 */
@RequiresRedis
class HllDifferentialTest {
    private static final String[] KEYS = {"h0", "h1", "h2", "h3"};

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void randomSequences(long seed, RespClient redis) {
        long s = DifferentialRunner.seedOr(seed);
        Random r = new Random(s);
        List<byte[][]> cmds = new ArrayList<>();
        cmds.add(argv("FLUSHALL"));
        long maxBytes = r.nextBoolean() ? 3000 : 20 + r.nextInt(400);
        cmds.add(argv("CONFIG", "SET", "hll-sparse-max-bytes", Long.toString(maxBytes)));
        int universe = 50 + r.nextInt(r.nextBoolean() ? 200 : 20000);
        for (int i = 0; i < 400; i++) {
            String k = KEYS[r.nextInt(KEYS.length)];
            int op = r.nextInt(100);
            if (op < 55) {
                int n = r.nextInt(10) == 0 ? 200 + r.nextInt(800) : r.nextInt(6);
                List<String> a = new ArrayList<>(List.of("PFADD", k));
                for (int j = 0; j < n; j++) {
                    a.add("e" + r.nextInt(universe));
                }
                cmds.add(argv(a.toArray(new String[0])));
                cmds.add(argv("GET", k));
            } else if (op < 70) {
                cmds.add(argv("PFCOUNT", k));
                cmds.add(argv("GET", k));
            } else if (op < 78) {
                cmds.add(argv("PFCOUNT", k, KEYS[r.nextInt(KEYS.length)], KEYS[r.nextInt(KEYS.length)]));
            } else if (op < 88) {
                cmds.add(argv("PFMERGE", k, KEYS[r.nextInt(KEYS.length)], KEYS[r.nextInt(KEYS.length)]));
                cmds.add(argv("GET", k));
            } else if (op < 92) {
                cmds.add(argv("PFDEBUG", "ENCODING", k));
                cmds.add(argv("PFDEBUG", "DECODE", k));
            } else if (op < 94) {
                cmds.add(argv("PFDEBUG", "TODENSE", k));
                cmds.add(argv("GET", k));
            } else if (op < 95) {
                cmds.add(argv("PFDEBUG", "GETREG", k));
            } else if (op < 97) {
                cmds.add(argv("DEL", k));
            } else {
                cmds.add(argv("CONFIG", "SET", "hll-sparse-max-bytes", Long.toString(r.nextInt(3500))));
            }
        }
        cmds.add(argv("CONFIG", "SET", "hll-sparse-max-bytes", "3000"));
        try (Store store = Store.open()) {
            Session session = store.newSession();
            new DifferentialRunner(redis, session::execute).seed(s).runCommands(cmds);
        }
    }

    @Test
    void corruptedValues(RespClient redis) {
        Seeds.run("hll corrupted values", random -> {
            try (Store store = Store.open()) {
                Session session = store.newSession();
                DifferentialRunner diff = new DifferentialRunner(redis, session::execute).seed(random.nextLong());
                diff.runCommands(List.of(argv("FLUSHALL"), argv("CONFIG", "SET", "hll-sparse-max-bytes", "3000")));
                for (int round = 0; round < 150; round++) {
                    redis.call("DEL", "src");
                    List<String> a = new ArrayList<>(List.of("PFADD", "src"));
                    int n = random.nextInt(4) == 0 ? 3000 : 1 + random.nextInt(60);
                    for (int j = 0; j < n; j++) {
                        a.add("x" + random.nextInt(1_000_000));
                    }
                    redis.call(a.toArray(new String[0]));
                    Reply v = redis.call("GET", "src");
                    byte[] original = ((Reply.Bulk) v).value();
                    byte[] bytes = original.clone();
                    int flips = 1 + random.nextInt(4);
                    for (int f = 0; f < flips; f++) {
                        int at = random.nextInt(4) == 0 ? random.nextInt(Math.min(16, bytes.length)) : random.nextInt(bytes.length);
                        bytes[at] ^= (byte) (1 << random.nextInt(8));
                    }
                    if (random.nextInt(5) == 0) {
                        bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
                    }
                    List<Step> steps = new ArrayList<>();
                    steps.add(Step.of(new byte[][] {b("SET"), b("src"), original}));
                    steps.add(Step.of(new byte[][] {b("SET"), b("c"), bytes}));
                    steps.add(Step.of(argv("PFCOUNT", "c")));
                    steps.add(Step.of(argv("GET", "c")));
                    steps.add(Step.of(argv("PFCOUNT", "c", "src")));
                    steps.add(Step.of(argv("PFADD", "c", "a" + round, "b", "c", "d")));
                    steps.add(Step.of(argv("GET", "c")));
                    steps.add(Step.of(argv("PFDEBUG", "ENCODING", "c")));
                    steps.add(Step.of(argv("PFMERGE", "m", "c")));
                    steps.add(Step.of(argv("GET", "m")));
                    steps.add(Step.of(argv("PFDEBUG", "TODENSE", "c")));
                    steps.add(Step.of(argv("GET", "c")));
                    diff.run(steps);
                }
            }
        });
    }

    @Test
    void handWrittenEdgeCases(RespClient redis) {
        try (Store store = Store.open()) {
            Session session = store.newSession();
            new DifferentialRunner(redis, session::execute).runCommands(List.of(
                argv("FLUSHALL"),
                argv("PFADD", "h"),
                argv("GET", "h"),
                argv("PFADD", "h"),
                argv("PFCOUNT", "h"),
                argv("PFCOUNT", "nokey"),
                argv("PFCOUNT", "nokey", "h"),
                argv("SET", "s", "hello"),
                argv("PFADD", "s", "a"),
                argv("PFCOUNT", "s"),
                argv("PFMERGE", "s", "h"),
                argv("PFMERGE", "h", "s"),
                argv("LPUSH", "l", "a"),
                argv("PFADD", "l", "a"),
                argv("PFCOUNT", "l"),
                argv("PFDEBUG", "GETREG", "nokey"),
                argv("PFDEBUG", "NOPE", "h"),
                argv("PFDEBUG", "DECODE", "h"),
                argv("PFDEBUG", "ENCODING", "h"),
                argv("PFDEBUG", "TODENSE", "h"),
                argv("PFDEBUG", "TODENSE", "h"),
                argv("PFDEBUG", "DECODE", "h"),
                argv("PFDEBUG", "ENCODING", "h"),
                argv("PFDEBUG", "GETREG"),
                argv("PFADD", "h", "a", "b", "c"),
                argv("GET", "h"),
                argv("PFCOUNT", "h"),
                argv("GET", "h"),
                argv("DUMP", "h"),
                argv("PFADD", "sp", "a", "b", "c", "d", "e", "f", "g"),
                argv("DUMP", "sp"),
                argv("OBJECT", "ENCODING", "sp"),
                argv("EXPIRE", "sp", "1000"),
                argv("PFADD", "sp", "z1", "z2"),
                argv("TTL", "sp"),
                argv("PFDEBUG", "TODENSE", "sp"),
                argv("TTL", "sp"),
                argv("DUMP", "sp"),
                argv("PFMERGE", "dst"),
                argv("GET", "dst"),
                argv("PFMERGE", "dst2", "h", "nokey"),
                argv("GET", "dst2"),
                argv("OBJECT", "ENCODING", "dst2"),
                argv("CONFIG", "GET", "hll-sparse-max-bytes"),
                argv("CONFIG", "SET", "hll-sparse-max-bytes", "1k"),
                argv("CONFIG", "GET", "hll-sparse-max-bytes"),
                argv("CONFIG", "SET", "hll-sparse-max-bytes", "-1"),
                argv("CONFIG", "SET", "hll-sparse-max-bytes", "3000"),
                argv("SET", "short", "HYLL"),
                argv("PFCOUNT", "short"),
                argv("SETRANGE", "dense", "0", "HYLL"),
                argv("SETRANGE", "dense", "12303", "x"),
                argv("PFCOUNT", "dense"),
                argv("GET", "dense"),
                argv("SETRANGE", "dense", "4", "\u0002"),
                argv("PFCOUNT", "dense"),
                argv("COMMAND", "INFO", "pfadd", "pfcount", "pfmerge", "pfdebug"),
                argv("FLUSHALL")));
        }
    }

    @Test
    void redisDumpsRestoreIntoRedJar(RespClient redis) {
        try (Store store = Store.open()) {
            Session session = store.newSession();
            redis.call("FLUSHALL");
            List<String> a = new ArrayList<>(List.of("PFADD", "src"));
            for (int j = 0; j < 5000; j++) {
                a.add("m" + j);
            }
            redis.call("PFADD", "small", "a", "b", "c");
            redis.call(a.toArray(new String[0]));
            byte[] dense = ((Reply.Bulk) redis.call("DUMP", "src")).value();
            byte[] sparse = ((Reply.Bulk) redis.call("DUMP", "small")).value();
            new DifferentialRunner(redis, session::execute).runCommands(List.of(
                new byte[][] {b("RESTORE"), b("d"), b("0"), dense},
                new byte[][] {b("RESTORE"), b("s"), b("0"), sparse},
                argv("PFCOUNT", "d"),
                argv("PFCOUNT", "s"),
                argv("PFCOUNT", "d", "s"),
                argv("PFADD", "s", "x", "y"),
                argv("PFMERGE", "d", "s"),
                argv("GET", "d"),
                argv("GET", "s"),
                argv("PFDEBUG", "ENCODING", "d"),
                argv("FLUSHALL")));
        }
    }

    @Test
    void largeCardinalitiesMatch(RespClient redis) {
        try (Store store = Store.open()) {
            Session session = store.newSession();
            List<byte[][]> cmds = new ArrayList<>();
            cmds.add(argv("FLUSHALL"));
            for (int batch = 0; batch < 40; batch++) {
                List<String> a = new ArrayList<>(List.of("PFADD", "big"));
                for (int j = 0; j < 2500; j++) {
                    a.add(Integer.toString(batch * 2500 + j));
                }
                cmds.add(argv(a.toArray(new String[0])));
                cmds.add(argv("PFCOUNT", "big"));
            }
            cmds.add(argv("GET", "big"));
            cmds.add(argv("FLUSHALL"));
            new DifferentialRunner(redis, session::execute).runCommands(cmds);
            assertTrue(cmds.size() > 80);
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[][] argv(String... parts) {
        byte[][] out = new byte[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            out[i] = parts[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        return out;
    }
}
