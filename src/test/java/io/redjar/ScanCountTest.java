package io.redjar;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * COUNT bounds the entries a scan step visits (fields, members), not the reply's items: on a
 * 530-field hashtable Redis 7.0.15 answers {@code HSCAN h 0 COUNT 400} with about 400 fields (800
 * reply items) and {@code COUNT 1000} with all of them and cursor 0.
 */
class ScanCountTest {

    @Test
    void hscanCountCountsFields() {
        try (Store store = Store.open()) {
            for (int i = 1; i <= 530; i++) {
                store.execute("HSET", "h", "f" + i, "v");
            }
            Reply.ArrayReply step = (Reply.ArrayReply) store.execute("HSCAN", "h", "0", "COUNT", "400");
            int items = ((Reply.ArrayReply) step.elements().get(1)).elements().size();
            assertTrue(items >= 800, "at least 400 fields (800 items), got " + items);
            Reply.ArrayReply all = (Reply.ArrayReply) store.execute("HSCAN", "h", "0", "COUNT", "1000");
            assertTrue(all.elements().get(0).equals(Reply.bulk("0")), "COUNT 1000 covers 530 fields in one step");
            assertTrue(((Reply.ArrayReply) all.elements().get(1)).elements().size() == 1060);
        }
    }
}
