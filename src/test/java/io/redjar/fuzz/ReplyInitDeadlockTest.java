package io.redjar.fuzz;

import io.redjar.Reply;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Regression test for a bug the command fuzzer found: the first replies made concurrently by
 * several threads deadlocked the JVM in class initialization ({@code Reply}'s initializer creates
 * {@code SimpleString}s while another thread initializing {@code SimpleString} had to initialize
 * {@code Reply}, because {@code Reply} had a default method). Before the fix the child deadlocked in
 * 18 of 20 runs.
 */
class ReplyInitDeadlockTest {

    @Test
    void replyDeclaresNoDefaultMethods() {
        Method[] defaults = Arrays.stream(Reply.class.getDeclaredMethods()).filter(Method::isDefault).toArray(Method[]::new);
        assertEquals(0, defaults.length, () -> "a default method makes every Reply type's initialization wait for "
            + "Reply's, which creates Reply instances: " + Arrays.toString(defaults));
    }

    @Test
    void concurrentFirstRepliesDoNotDeadlock() throws Exception {
        for (int run = 0; run < 5; run++) {
            ChildJvm.Result r = ChildJvm.run(ReplyInitRaceMain.class.getName(), List.of(), List.of(), Duration.ofSeconds(60), 20);
            assertEquals(0, r.exitCode(), r::describe);
            assertTrue(!r.timedOut(), r::describe);
        }
    }
}
