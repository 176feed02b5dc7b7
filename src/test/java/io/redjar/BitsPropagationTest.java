package io.redjar;

import io.redjar.testing.PropagationLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What SETBIT, BITOP and BITFIELD hand to the {@link PropagationSink} and add to the dirty count,
 * as Redis 7.0's {@code bitops.c}: the command as given, only when it changed something; one
 * dirty per changed BITFIELD operation; nothing for a read or an unchanged bit.
 */
class BitsPropagationTest {
    private final PropagationLog log = new PropagationLog();
    private Store store;
    private Session s;

    @BeforeEach
    void open() {
        store = Store.builder().activeExpire(false).propagationSink(log).open();
        s = store.newSession();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private List<List<String>> drain(String... argv) {
        return log.drain(s, argv);
    }

    private long dirty() {
        String info = ((Reply.Verbatim) s.execute("INFO", "persistence")).text();
        Matcher m = Pattern.compile("rdb_changes_since_last_save:(\\d+)").matcher(info);
        m.find();
        return Long.parseLong(m.group(1));
    }

    @Test
    void setbitPropagatesItselfOnlyWhenTheValueChanges() {
        long d0 = dirty();
        assertEquals(List.of(List.of("SETBIT", "k", "7", "1")), drain("SETBIT", "k", "7", "1"));
        assertEquals(List.of(), drain("SETBIT", "k", "7", "1"));
        assertEquals(List.of(List.of("SETBIT", "k", "20", "0")), drain("SETBIT", "k", "20", "0")); // grows
        assertEquals(List.of(), drain("GETBIT", "k", "7"));
        assertEquals(d0 + 2, dirty());
    }

    @Test
    void bitopPropagatesItselfWhenItStoresOrDeletes() {
        drain("SET", "a", "x");
        long d0 = dirty();
        assertEquals(List.of(List.of("BITOP", "not", "d", "a")), drain("BITOP", "not", "d", "a"));
        assertEquals(List.of(List.of("BITOP", "AND", "d", "none")), drain("BITOP", "AND", "d", "none"));
        assertEquals(List.of(), drain("BITOP", "AND", "d", "none"));
        assertEquals(d0 + 2, dirty());
    }

    @Test
    void bitfieldCountsEachChangedOperation() {
        long d0 = dirty();
        assertEquals(List.of(List.of("BITFIELD", "f", "SET", "u8", "0", "1", "GET", "u8", "0", "INCRBY", "u8", "#1", "2")),
            drain("BITFIELD", "f", "SET", "u8", "0", "1", "GET", "u8", "0", "INCRBY", "u8", "#1", "2"));
        assertEquals(d0 + 2, dirty());
        assertEquals(List.of(), drain("BITFIELD", "f", "SET", "u8", "0", "1", "INCRBY", "u8", "8", "0"));
        assertEquals(List.of(), drain("BITFIELD", "f", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "255"));
        assertEquals(List.of(), drain("BITFIELD_RO", "f", "GET", "u8", "0"));
        assertEquals(d0 + 2, dirty());
    }
}
