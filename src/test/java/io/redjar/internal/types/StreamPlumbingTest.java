package io.redjar.internal.types;

import io.redjar.ManualClock;
import io.redjar.Reply;
import io.redjar.Store;
import io.redjar.internal.Internals;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stream as a key among others: TYPE, OBJECT ENCODING, COPY (deep, also across databases),
 * RENAME, MOVE, DEL, SCAN TYPE, MEMORY USAGE, expiry by the store's clock, each followed by the
 * keyspace integrity check (every native block owned exactly once, nothing leaked).
 */
class StreamPlumbingTest {

    private static void check(Store store) {
        Internals.engine(store).keyspace().verifyIntegrity();
    }

    @Test
    void aStreamIsAKeyLikeAnyOther() {
        ManualClock clock = new ManualClock(1_000_000);
        try (Store store = Store.builder().clock(clock).open()) {
            for (int i = 1; i <= 250; i++) {
                store.execute("XADD", "s", i + "-0", "f", "v" + i, "g", Integer.toString(i));
            }
            store.execute("XDEL", "s", "5-0", "6-0");
            check(store);
            assertEquals(new Reply.SimpleString("stream"), store.execute("TYPE", "s"));
            assertEquals(Reply.bulk("stream"), store.execute("OBJECT", "ENCODING", "s"));
            Reply usage = store.execute("MEMORY", "USAGE", "s");
            assertTrue(usage instanceof Reply.IntegerReply u && u.value() > 250 * 6, "memory usage " + usage);
            assertEquals(Reply.integer(1), store.execute("COPY", "s", "c"));
            assertEquals(Reply.integer(1), store.execute("COPY", "s", "c9", "DB", "9"));
            store.execute("XADD", "c", "999-0", "only", "copy");
            assertEquals(Reply.integer(248), store.execute("XLEN", "s"), "the copy is deep");
            assertEquals(Reply.integer(249), store.execute("XLEN", "c"));
            check(store);
            assertEquals(Reply.OK, store.execute("RENAME", "c", "r"));
            assertEquals(Reply.integer(1), store.execute("MOVE", "r", "3"));
            check(store);
            Reply scan = store.execute("SCAN", "0", "TYPE", "stream", "COUNT", "1000");
            assertEquals(Reply.array(Reply.bulk("0"), Reply.array(Reply.bulk("s"))), scan);
            assertEquals(Reply.integer(1), store.execute("PEXPIRE", "s", "10"));
            clock.advance(Duration.ofMillis(10));
            assertEquals(Reply.integer(0), store.execute("EXISTS", "s"));
            check(store);
            io.redjar.Session db3 = store.newSession();
            db3.execute("SELECT", "3");
            assertEquals(Reply.integer(1), db3.execute("DEL", "r"));
            check(store);
        }
    }
}
