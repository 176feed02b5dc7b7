package io.redjar;

import io.redjar.internal.Internals;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The collection thresholds are settings under Redis's names, at open() and through CONFIG SET. */
class CollectionConfigTest {

    @Test
    void builderAndConfigSetDriveTheLimits() {
        try (Store store = Store.builder().config("hash-max-listpack-entries", "7").config("set-max-intset-entries", "9").open()) {
            assertEquals(7, Internals.engine(store).limits().hashMaxListpackEntries);
            assertEquals(9, Internals.engine(store).limits().setMaxIntsetEntries);
            assertEquals(Reply.OK, store.execute("CONFIG", "SET", "zset-max-listpack-value", "3", "hash-max-ziplist-value", "5"));
            assertEquals(3, Internals.engine(store).limits().zsetMaxListpackValue);
            assertEquals(5, Internals.engine(store).limits().hashMaxListpackValue, "Redis 7 still accepts the ziplist names");
            assertEquals(new Reply.Map(java.util.List.of(Reply.bulk("zset-max-listpack-value"), Reply.bulk("3"))),
                store.execute("CONFIG", "GET", "zset-max-listpack-value"));
        }
    }

    /**
     * CONFIG GET answers the old {@code *-ziplist-*} names under their own name, alone and in a glob
     * (redis-server 7.0.15: {@code CONFIG GET zset-max-*} lists all four names; tools and Redis's
     * own test suite read them back before restoring them).
     */
    @Test
    void configGetAnswersTheZiplistAliases() {
        try (Store store = Store.builder().config("zset-max-listpack-entries", "100").open()) {
            assertEquals(new Reply.Map(java.util.List.of(Reply.bulk("zset-max-ziplist-entries"), Reply.bulk("100"))),
                store.execute("CONFIG", "GET", "ZSET-max-ziplist-entries"));
            assertEquals(new Reply.Map(java.util.List.of(
                    Reply.bulk("zset-max-listpack-entries"), Reply.bulk("100"),
                    Reply.bulk("zset-max-listpack-value"), Reply.bulk("64"),
                    Reply.bulk("zset-max-ziplist-entries"), Reply.bulk("100"),
                    Reply.bulk("zset-max-ziplist-value"), Reply.bulk("64"))),
                store.execute("CONFIG", "GET", "zset-max-*"));
            assertEquals(new Reply.Map(java.util.List.of(Reply.bulk("list-max-ziplist-size"), Reply.bulk("-2"))),
                store.execute("CONFIG", "GET", "list-max-ziplist-size"));
            assertEquals(Reply.OK, store.execute("CONFIG", "SET", "list-max-ziplist-size", "-2"));
        }
    }

    /** Redis 7.0's compiled-in defaults (hashes convert past 512 fields, sorted sets past 128). */
    @Test
    void defaultsAreRedis70s() {
        try (Store store = Store.open()) {
            assertEquals(512, Internals.engine(store).limits().hashMaxListpackEntries);
            assertEquals(64, Internals.engine(store).limits().hashMaxListpackValue);
            assertEquals(512, Internals.engine(store).limits().setMaxIntsetEntries);
            assertEquals(128, Internals.engine(store).limits().zsetMaxListpackEntries);
            assertEquals(64, Internals.engine(store).limits().zsetMaxListpackValue);
            assertEquals(new Reply.Map(java.util.List.of(Reply.bulk("hash-max-listpack-entries"), Reply.bulk("512"))),
                store.execute("CONFIG", "GET", "hash-max-listpack-entries"));
            for (int i = 0; i < 512; i++) {
                store.execute("HSET", "h", "f" + i, "v");
            }
            assertEquals("listpack", store.keys().objectEncoding("h"));
            store.execute("HSET", "h", "one-more", "v");
            assertEquals("hashtable", store.keys().objectEncoding("h"));
        }
    }

    @Test
    void badValuesAreRejectedNamingTheOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> Store.builder().config("hash-max-listpack-entries", "lots").open());
        assertTrue(e.getMessage().contains("hash-max-listpack-entries"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Store.builder().config("no-such-setting", "1").open());
    }
}
