package io.redjar;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** ZMPOP and BZMPOP through the typed handle. */
class SortedSetsMultiPopTest {

    @Test
    void zmpopAndBzmpop() throws Exception {
        try (Store store = Store.open()) {
            SortedSets z = store.sortedSets();
            assertNull(z.zmpop(SortedSets.End.MIN, 1, "a", "b"));
            z.zadd("b", Map.of("x", 1.0, "y", 2.0, "w", 3.0));
            assertEquals(new SortedSets.MultiPopped("b", List.of(new SortedSets.ScoredMember("w", 3), new SortedSets.ScoredMember("y", 2))),
                z.zmpop(SortedSets.End.MAX, 2, "a", "b"));
            assertEquals("x", z.bzmpop(Duration.ZERO, SortedSets.End.MIN, 5, "a", "b").members().get(0).member());
            assertNull(z.bzmpop(Duration.ofMillis(20), SortedSets.End.MIN, 1, "a", "b"), "times out");
            CompletableFuture<SortedSets.MultiPopped> f = z.bzmpopAsync(Duration.ZERO, SortedSets.End.MIN, 1, "q");
            assertFalse(f.isDone());
            z.zadd("q", 5, "m");
            assertEquals(new SortedSets.MultiPopped("q", List.of(new SortedSets.ScoredMember("m", 5))), f.get(5, TimeUnit.SECONDS));
            assertEquals("ERR count should be greater than 0",
                assertThrows(RedJarException.class, () -> z.zmpop(SortedSets.End.MIN, 0, "q")).getMessage());
        }
    }
}
