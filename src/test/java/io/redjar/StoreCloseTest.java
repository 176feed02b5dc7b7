package io.redjar;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A closed store refuses work with one clear exception instead of touching freed memory. */
class StoreCloseTest {

    @Test
    void everyKindOfCommandFailsCleanlyAfterClose() {
        Store store = Store.open();
        store.strings().set("a", "1");
        store.strings().set("{t}b", "2");
        store.close();
        store.close(); // idempotent
        assertEquals("the store is closed", assertThrows(IllegalStateException.class, () -> store.strings().get("a")).getMessage());
        assertThrows(IllegalStateException.class, () -> store.strings().set("a", "2"));
        assertThrows(IllegalStateException.class, () -> store.strings().mget("a", "{t}b"));
        assertThrows(IllegalStateException.class, () -> store.keys().keys("*"));
        assertThrows(IllegalStateException.class, () -> store.keys().dbSize());
        assertThrows(IllegalStateException.class, () -> store.execute("FLUSHALL"));
    }
}
