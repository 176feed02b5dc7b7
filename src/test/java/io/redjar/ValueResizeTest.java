package io.redjar;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * APPEND and SETRANGE grow a value in place when the entry stays in its size class. When the
 * value's length varint gains a byte (127 -> 128, 16383 -> 16384) the key and value shift by one;
 * every byte must survive.
 */
class ValueResizeTest {

    @Test
    void appendAcrossVarintBoundariesKeepsEveryByte() {
        ManualClock clock = new ManualClock(1_000_000_000L);
        try (Store store = Store.builder().shards(1).clock(clock).activeExpire(false).open()) {
            long baseline = store.usedMemory();
            for (int boundary : new int[] {128, 16384}) {
                for (int keyLen = 0; keyLen <= 24; keyLen++) {
                    for (int grow = 1; grow <= 9; grow++) {
                        for (boolean ttl : new boolean[] {false, true}) {
                            String key = "k".repeat(keyLen);
                            String before = text(boundary - 1, 'a');
                            String suffix = text(grow, 'Z');
                            String what = "boundary " + boundary + " key " + keyLen + " grow " + grow + " ttl " + ttl;
                            if (ttl) {
                                store.execute("SET", key, before, "PX", "50000");
                            } else {
                                store.execute("SET", key, before);
                            }
                            assertEquals(Reply.integer(before.length() + grow), store.execute("APPEND", key, suffix), what);
                            assertEquals(before + suffix, store.strings().get(key), what);
                            assertEquals(ttl ? 50000 : -1, store.keys().pttl(key), what);
                            assertEquals(1, store.keys().del(key));
                        }
                    }
                }
            }
            assertEquals(baseline, store.usedMemory(), "memory after deleting everything");
        }
    }

    @Test
    void setRangeAcrossVarintBoundariesKeepsEveryByte() {
        try (Store store = Store.builder().shards(1).activeExpire(false).open()) {
            for (int boundary : new int[] {128, 16384}) {
                for (int keyLen = 1; keyLen <= 24; keyLen++) {
                    for (int grow = 1; grow <= 9; grow++) {
                        String key = "s".repeat(keyLen);
                        String before = text(boundary - 1, 'a');
                        store.strings().set(key, before);
                        String patch = text(grow + 1, 'Q');
                        long len = store.strings().setrange(key, before.length() - 1, patch);
                        String want = before.substring(0, before.length() - 1) + patch;
                        assertEquals(want.length(), len);
                        assertEquals(want, store.strings().get(key), "boundary " + boundary + " key " + keyLen + " grow " + grow);
                    }
                }
            }
        }
    }

    @Test
    void appendToLargeValuesKeepsEveryByte() {
        try (Store store = Store.builder().shards(1).activeExpire(false).open()) {
            long baseline = store.usedMemory();
            StringBuilder want = new StringBuilder(text(60_000, 'a'));
            store.strings().set("big", want.toString());
            store.strings().set("big", want.toString(), Duration.ofHours(1));
            for (int i = 0; i < 40; i++) {
                String chunk = text(1 + i * 997 % 5000, (char) ('A' + i % 26));
                want.append(chunk);
                assertEquals(want.length(), store.strings().append("big", chunk));
            }
            assertEquals(want.toString(), store.strings().get("big"));
            store.keys().del("big");
            assertEquals(baseline, store.usedMemory());
        }
    }

    /** Distinct bytes, so a shifted or clobbered byte shows. */
    static String text(int len, char first) {
        StringBuilder sb = new StringBuilder(len);
        for (int i = 0; i < len; i++) {
            sb.append((char) (first + (i % 23)));
        }
        return sb.toString();
    }
}
