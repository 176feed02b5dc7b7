package io.redjar;

import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link HyperLogLogs} handle against PFADD / PFCOUNT / PFMERGE: the same elements through
 * the handle and through {@code execute} give the same replies and byte-identical values.
 */
class HyperLogLogsHandleTest {

    @Test
    void agreesWithTheCommands() {
        long seed = Seeds.seed();
        System.out.println("HyperLogLogsHandleTest seed=" + seed);
        Random r = new Random(seed);
        try (Store store = Store.open()) {
            HyperLogLogs hll = store.hyperLogLogs();
            for (int round = 0; round < 400; round++) {
                int k = r.nextInt(3);
                String[] elements = new String[r.nextInt(20)];
                for (int i = 0; i < elements.length; i++) {
                    elements[i] = "e" + r.nextInt(r.nextBoolean() ? 50 : 100_000);
                }
                String[] argv = new String[elements.length + 2];
                argv[0] = "PFADD";
                argv[1] = "c" + k;
                System.arraycopy(elements, 0, argv, 2, elements.length);
                Reply expected = store.execute(argv);
                assertEquals(expected, Reply.integer(hll.add("h" + k, elements) ? 1 : 0), "seed=" + seed);
                assertEquals(store.execute("PFCOUNT", "c" + k), Reply.integer(hll.count("h" + k)), "seed=" + seed);
                assertEquals(store.execute("GET", "c" + k), store.execute("GET", "h" + k), "seed=" + seed);
                if (r.nextInt(10) == 0) {
                    assertEquals(store.execute("PFCOUNT", "c0", "c1", "c2"), Reply.integer(hll.count("h0", "h1", "h2")));
                    store.execute("PFMERGE", "cm", "c0", "c1");
                    hll.merge("hm", "h0", "h1");
                    assertEquals(store.execute("GET", "cm"), store.execute("GET", "hm"), "seed=" + seed);
                }
            }
        }
    }

    @Test
    void countsAndErrors() {
        try (Store store = Store.open()) {
            HyperLogLogs hll = store.hyperLogLogs();
            assertTrue(hll.add("a", "x", "y", "z"));
            assertFalse(hll.add("a", "x"));
            assertTrue(hll.add("empty"));
            assertEquals(0, hll.count("empty"));
            assertEquals(3, hll.count("a"));
            assertTrue(hll.add("b".getBytes(), "z".getBytes(), "w".getBytes()));
            assertEquals(4, hll.count("a", "b"));
            assertEquals(4, hll.count("a".getBytes(), "b".getBytes(), "missing".getBytes()));
            hll.merge("m", "a", "b");
            assertEquals(4, hll.count("m"));
            assertEquals(0, hll.count("missing"));
            store.strings().set("s", "not an hll");
            RedJarException e = assertThrows(RedJarException.class, () -> hll.count("s"));
            assertEquals("WRONGTYPE Key is not a valid HyperLogLog string value.", e.getMessage());
            store.execute("RPUSH", "l", "x");
            assertThrows(WrongTypeException.class, () -> hll.add("l", "x"));
            assertThrows(NullPointerException.class, () -> hll.add("a", (String) null));
            assertThrows(NullPointerException.class, () -> hll.merge(null, "a"));
        }
    }
}
