package io.redjar.internal.script.function;

import io.redjar.Reply;
import io.redjar.Session;
import io.redjar.Store;
import io.redjar.testing.RedisServerProcess;
import io.redjar.testing.ReplyComparator;
import io.redjar.testing.RequiresRedis;
import io.redjar.testing.RespClient;
import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Seeded random sequences of library changes and calls, compared with redis-server on RESP2 and
 * RESP3: FUNCTION LOAD with and without REPLACE of libraries drawn from a small pool (so names
 * collide: same library, same function in another library, function names differing only in
 * case, libraries that fail to load), DELETE, FLUSH, RESTORE of payloads DUMPed earlier in the
 * sequence under every policy, FCALL / FCALL_RO, LIST and STATS. Where Redis's answer depends on
 * its hash order (which of several colliding names an error names, the order of functions in
 * LIST) the comparison ignores that order only. A library never holds two functions whose names
 * differ only in case: redis-server 7.0.15 crashes when such a library is replaced or deleted.
 */
@RequiresRedis
class FunctionsRandomDifferentialTest {
    private static final String[] LIBS = {"a", "b", "c", "A"};
    private static final String[] FUNCTIONS = {"f", "g", "h", "F", "k"};

    /** Errors naming one of several colliding libraries or functions: compared without the name. */
    static final ReplyComparator COLLISIONS = (e, a) -> {
        if (e instanceof Reply.ErrorReply ee && a instanceof Reply.ErrorReply ae) {
            String x = ee.message().replaceAll("^ERR (Function|Library) '?\\w+'? already exists$", "ERR $1 ? already exists");
            String y = ae.message().replaceAll("^ERR (Function|Library) '?\\w+'? already exists$", "ERR $1 ? already exists");
            return x.equals(y) ? Optional.empty() : Optional.of("expected " + ee + " but was " + ae);
        }
        return ReplyComparator.UNORDERED_DEEP.difference(e, a);
    };

    static String library(Random r) {
        String name = LIBS[r.nextInt(LIBS.length)];
        StringBuilder sb = new StringBuilder("#!lua name=" + name + "\n");
        int n = r.nextInt(4); // 0: "No functions registered"
        java.util.Set<String> used = new java.util.HashSet<>();
        for (int i = 0; i < n; i++) {
            String f = FUNCTIONS[r.nextInt(FUNCTIONS.length)];
            if (!used.add(f.toLowerCase(java.util.Locale.ROOT))) {
                // redis-server 7.0.15 asserts (and dies) when a library holding 'f' and 'F' is
                // replaced or deleted: its function index is case-insensitive, the library's not
                continue;
            }
            int value = r.nextInt(100);
            switch (r.nextInt(3)) {
                case 0 -> sb.append("redis.register_function('").append(f).append("', function(keys, args) return ").append(value).append(" end)\n");
                case 1 -> sb.append("redis.register_function{function_name='").append(f).append("', callback=function(keys, args) return ")
                    .append(value).append(" end, flags={'no-writes'}, description='d").append(value).append("'}\n");
                default -> sb.append("redis.register_function{function_name='").append(f).append("', callback=function(keys, args) ")
                    .append("return redis.call('incrby', keys[1], ").append(value).append(") end}\n");
            }
        }
        if (r.nextInt(10) == 0) {
            sb.append("error('load failed')\n");
        }
        return sb.toString();
    }

    /** Runs {@code count} random commands on both sides, comparing every reply. */
    static void run(Random r, int count, RespClient redis, java.util.function.Function<byte[][], Reply> redjar) {
        List<byte[]> dumps = new ArrayList<>();
        List<String> history = new ArrayList<>();
        exec(redis, redjar, history, ReplyComparator.EXACT, "FUNCTION", "FLUSH");
        exec(redis, redjar, history, ReplyComparator.EXACT, "DEL", "counter");
        for (int i = 0; i < count; i++) {
            int op = r.nextInt(100);
            if (op < 35) {
                if (r.nextBoolean()) {
                    exec(redis, redjar, history, COLLISIONS, "FUNCTION", "LOAD", library(r));
                } else {
                    exec(redis, redjar, history, COLLISIONS, "FUNCTION", "LOAD", "REPLACE", library(r));
                }
            } else if (op < 45) {
                exec(redis, redjar, history, ReplyComparator.EXACT, "FUNCTION", "DELETE", LIBS[r.nextInt(LIBS.length)]);
            } else if (op < 48) {
                exec(redis, redjar, history, ReplyComparator.EXACT, "FUNCTION", "FLUSH");
            } else if (op < 55) {
                // functions inside a library are dumped in the same order as listed: hash order in
                // Redis, registration order here; one-function libraries make equal bytes, so
                // keep the payload redis-server made and restore it on both sides later
                history.add("FUNCTION DUMP");
                dumps.add(((Reply.Bulk) redis.call("FUNCTION", "DUMP")).value());
            } else if (op < 65 && !dumps.isEmpty()) {
                byte[] payload = dumps.get(r.nextInt(dumps.size()));
                String policy = new String[] {"APPEND", "REPLACE", "FLUSH"}[r.nextInt(3)];
                exec(redis, redjar, history, COLLISIONS, "FUNCTION".getBytes(), "RESTORE".getBytes(), payload, policy.getBytes());
            } else if (op < 85) {
                String f = FUNCTIONS[r.nextInt(FUNCTIONS.length)];
                exec(redis, redjar, history, ReplyComparator.EXACT, r.nextInt(4) == 0 ? "FCALL_RO" : "FCALL", f, "1", "counter");
            } else if (op < 95) {
                exec(redis, redjar, history, COLLISIONS, "FUNCTION", "LIST", "WITHCODE");
            } else {
                exec(redis, redjar, history, ReplyComparator.EXACT, "FUNCTION", "STATS");
            }
        }
        exec(redis, redjar, history, COLLISIONS, "FUNCTION", "LIST", "WITHCODE");
        exec(redis, redjar, history, ReplyComparator.EXACT, "GET", "counter");
        System.out.println("FunctionsRandomDifferentialTest: " + history.size() + " commands, replies by kind " + KINDS);
        KINDS.clear();
    }

    /** Reply kinds seen (a test that only ever compares errors would prove little). */
    private static final java.util.Map<String, Integer> KINDS = new java.util.TreeMap<>();

    private static void exec(RespClient redis, java.util.function.Function<byte[][], Reply> redjar, List<String> history,
                             ReplyComparator comparator, String... argv) {
        byte[][] b = new byte[argv.length][];
        for (int i = 0; i < argv.length; i++) {
            b[i] = argv[i].getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        exec(redis, redjar, history, comparator, b);
    }

    private static void exec(RespClient redis, java.util.function.Function<byte[][], Reply> redjar, List<String> history,
                             ReplyComparator comparator, byte[]... argv) {
        StringBuilder line = new StringBuilder();
        for (byte[] a : argv) {
            line.append(line.length() == 0 ? "" : " ").append(new String(a, java.nio.charset.StandardCharsets.ISO_8859_1).replace("\n", "\\n"));
        }
        history.add(line.length() > 160 ? line.substring(0, 160) + "..." : line.toString());
        Reply expected = redis.call(argv);
        Reply actual = redjar.apply(argv);
        String kind = new String(argv[0], java.nio.charset.StandardCharsets.UTF_8) + (argv.length > 1 && new String(argv[0], java.nio.charset.StandardCharsets.UTF_8).equalsIgnoreCase("FUNCTION") ? " " + new String(argv[1], java.nio.charset.StandardCharsets.UTF_8) : "")
            + (expected.isError() ? " error" : " ok");
        KINDS.merge(kind.toUpperCase(java.util.Locale.ROOT), 1, Integer::sum);
        Optional<String> d = comparator.difference(expected, actual);
        if (d.isPresent()) {
            List<String> last = history.subList(Math.max(0, history.size() - 15), history.size());
            throw new AssertionError("step " + history.size() + ": " + d.get() + "\nexpected (redis): " + expected
                + "\nactual (redjar): " + actual + "\nlast commands:\n  " + String.join("\n  ", last));
        }
    }

    @Test
    void resp3(RespClient redis) {
        Seeds.run("FunctionsRandomDifferentialTest.resp3", r -> {
            try (Store store = Store.open()) {
                Session session = store.newSession();
                session.protocol(3);
                run(r, 400, redis, session::execute);
            }
        });
    }

    @Test
    void resp2(RedisServerProcess server) {
        Seeds.run("FunctionsRandomDifferentialTest.resp2", r -> {
            try (Store store = Store.open(); RespClient redis = server.connect(false)) {
                Session session = store.newSession();
                run(r, 400, redis, argv -> Resp2.downgrade(session.execute(argv)));
            }
        });
    }
}
