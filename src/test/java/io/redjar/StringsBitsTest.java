package io.redjar;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The typed bitmap handle methods ({@link Strings#setBit}, {@link Strings#getBit}, {@link Strings#bitCount}) against their commands. */
class StringsBitsTest {

    @Test
    void setGetCountAgreeWithTheCommands() {
        try (Store store = Store.open()) {
            Strings str = store.strings();
            Session s = store.newSession();
            assertFalse(str.setBit("k", 7, true));
            assertTrue(str.setBit("k", 7, true));
            assertEquals(Reply.integer(1), s.execute("GETBIT", "k", "7"));
            assertTrue(str.getBit("k", 7));
            assertFalse(str.getBit("k", 6));
            assertFalse(str.getBit("missing", 4294967295L));
            str.set("n", "12345");
            assertEquals(s.execute("BITCOUNT", "n"), Reply.integer(str.bitCount("n")));
            assertEquals(0, str.bitCount("missing"));
            assertEquals(new Reply.Bulk(new byte[] {1}), s.execute("GET", "k"));
            RedJarException e = assertThrows(RedJarException.class, () -> str.setBit("k", 4294967296L, true));
            assertEquals("ERR bit offset is not an integer or out of range", e.getMessage());
            assertThrows(RedJarException.class, () -> str.getBit("k", -1));
            s.execute("LPUSH", "l", "a");
            assertThrows(WrongTypeException.class, () -> str.setBit("l", 0, true));
        }
    }
}
