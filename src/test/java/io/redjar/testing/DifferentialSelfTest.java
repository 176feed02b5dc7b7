package io.redjar.testing;

import io.redjar.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The harness checked against itself: two fresh {@code redis-server}s fed the same random commands
 * must agree on every reply, and a deliberately wrong target must be caught.
 */
@RequiresRedis
class DifferentialSelfTest {

    private static final int STEPS = 2000;

    private static RedisServerProcess serverA;
    private static RedisServerProcess serverB;
    private static RespClient a;
    private static RespClient b;

    @BeforeAll
    static void startTwoServers(RedisServerProcess shared) {
        serverA = RedisServerProcess.start(shared.executable(), RedisServerProcess.DEFAULT_START_TIMEOUT, List.of());
        serverB = RedisServerProcess.start(shared.executable(), RedisServerProcess.DEFAULT_START_TIMEOUT, List.of());
        a = serverA.connect();
        b = serverB.connect();
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {a, b, serverA, serverB}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    @BeforeEach
    void flush() {
        assertEquals(Reply.OK, a.call("FLUSHALL"));
        assertEquals(Reply.OK, b.call("FLUSHALL"));
    }

    private static DifferentialRunner runner(Function<byte[][], Reply> candidate) {
        return new DifferentialRunner(a, candidate).labels("redis-A", "redis-B");
    }

    @Test
    void twoServersAgreeOnAFixedSeed() {
        runner(b::call).run(new StringCommandGenerator(DifferentialRunner.seedOr(20_240_601L)), STEPS);
        assertEquals(a.call("DBSIZE"), b.call("DBSIZE"));
    }

    @Test
    void twoServersAgreeOnARandomSeed() {
        runner(b::call).run(new StringCommandGenerator(DifferentialRunner.randomSeed()), STEPS);
    }

    @Test
    void aWrongIncrementIsCaught() {
        Function<byte[][], Reply> offByOne = argv -> {
            Reply r = b.call(argv);
            String cmd = new String(argv[0]).toUpperCase();
            return cmd.equals("INCR") && r instanceof Reply.IntegerReply i ? Reply.integer(i.value() + 1) : r;
        };
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> runner(offByOne).failureDirectory(null).run(new StringCommandGenerator(7), STEPS));
        String m = e.getMessage();
        assertTrue(m.contains("seed=7"), m);
        assertTrue(m.matches("(?s).*step \\d+: (?i:incr) k\\d\\n.*"), m);
        assertTrue(m.contains("expected (redis-A): :"), m);
        assertTrue(m.contains("<-- mismatch"), m);
    }

    @Test
    void divergedStateIsCaught() {
        // a key outside the generator's key space: only DBSIZE can notice it
        assertEquals(Reply.OK, b.call("SET", "hidden", "extra"));
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> runner(b::call).failureDirectory(null).run(new StringCommandGenerator(11), STEPS));
        assertTrue(e.getMessage().contains("seed=11"), e.getMessage());
        assertTrue(e.getMessage().matches("(?s).*step \\d+: (?i:dbsize)\\n.*"), e.getMessage());
    }

    @Test
    void aMissingNullIsCaught() {
        Function<byte[][], Reply> emptyForNull = argv -> {
            Reply r = b.call(argv);
            return r instanceof Reply.Null ? Reply.bulk("") : r;
        };
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> runner(emptyForNull).failureDirectory(null).run(new StringCommandGenerator(3), STEPS));
        assertTrue(e.getMessage().contains("(nil)"), e.getMessage());
    }

    @Test
    void errorTextDifferencesAreCaught() {
        Function<byte[][], Reply> vagueErrors = argv -> {
            Reply r = b.call(argv);
            return r instanceof Reply.ErrorReply ? Reply.error("ERR something went wrong") : r;
        };
        assertThrows(AssertionFailedError.class,
                () -> runner(vagueErrors).failureDirectory(null).run(new StringCommandGenerator(5), STEPS));
    }
}
