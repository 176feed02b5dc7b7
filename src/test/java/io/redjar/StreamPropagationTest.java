package io.redjar;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * What the stream commands propagate, as Redis 7.0 does: XADD with the generated ID in place of
 * {@code *} / {@code ms-*}; approximate trimming rewritten to the exact {@code =} form with the
 * resulting length or first ID (LIMIT kept, and ignored when an AOF is replayed); XDEL/XTRIM only
 * when something was removed; XSETID as given.
 */
class StreamPropagationTest {
    private static final long T0 = 1_700_000_000_000L;
    private ManualClock clock;
    private PropagationTest.Recorder sink;
    private Store store;
    private Session s;

    @BeforeEach
    void open() {
        clock = new ManualClock(T0);
        sink = new PropagationTest.Recorder(clock);
        store = Store.builder().clock(clock).activeExpire(false).propagationSink(sink).open();
        s = store.newSession();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void expect(List<List<String>> want, String... command) {
        Reply r = s.execute(command);
        assertFalse(r.isError(), String.join(" ", command) + " -> " + r);
        assertEquals(want, sink.drain(), "propagation of " + String.join(" ", command));
    }

    @Test
    void xaddPropagatesTheGeneratedId() {
        expect(List.of(List.of("XADD", "s", T0 + "-0", "f", "v")), "XADD", "s", "*", "f", "v");
        expect(List.of(List.of("XADD", "s", T0 + "-1", "f", "v")), "xadd", "s", "*", "f", "v");
        expect(List.of(List.of("XADD", "s", T0 + "-2", "f", "v")), "XADD", "s", T0 + "-*", "f", "v");
        expect(List.of(List.of("XADD", "s", "NOMKSTREAM", T0 + "1-5", "f", "v")), "XADD", "s", "NOMKSTREAM", T0 + "1-5", "f", "v");
        expect(List.of(), "XADD", "nokey", "NOMKSTREAM", "*", "f", "v");
    }

    @Test
    void approximateTrimmingPropagatesTheExactResult() {
        for (int i = 1; i <= 250; i++) {
            s.execute("XADD", "s", i + "-0", "f", "v");
        }
        sink.drain();
        // 100 entries per node: ~ removes whole nodes only (1-100, then 101-200)
        expect(List.of(List.of("XTRIM", "s", "MINID", "=", "101-0", "LIMIT", "100")), "XTRIM", "s", "MINID", "~", "150", "LIMIT", "100");
        expect(List.of(List.of("XADD", "s", "MAXLEN", "=", "51", "251-0", "f", "v")), "XADD", "s", "MAXLEN", "~", "10", "251-0", "f", "v");
        expect(List.of(), "XTRIM", "s", "MINID", "~", "230");
        expect(List.of(), "XTRIM", "s", "MAXLEN", "1000");
        expect(List.of(List.of("XTRIM", "s", "MAXLEN", "2")), "XTRIM", "s", "MAXLEN", "2");
        expect(List.of(List.of("XDEL", "s", "250-0", "1-0")), "XDEL", "s", "250-0", "1-0");
        expect(List.of(), "XDEL", "s", "250-0");
        expect(List.of(List.of("XSETID", "s", "300-0", "ENTRIESADDED", "400")), "XSETID", "s", "300-0", "ENTRIESADDED", "400");
    }
}
