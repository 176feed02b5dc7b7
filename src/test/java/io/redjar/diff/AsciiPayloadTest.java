package io.redjar.diff;

import io.redjar.Reply;
import io.redjar.Store;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link KeyEventSamples#ASCII_PAYLOAD} is a valid DUMP payload that survives the samples' step
 * format (no spaces, split on spaces, sent as UTF-8): else the RESTORE samples would compare two
 * refusals and prove nothing.
 */
class AsciiPayloadTest {
    @Test
    void payloadRestoresThroughTheStepFormat() {
        String p = KeyEventSamples.ASCII_PAYLOAD;
        assertTrue(p.indexOf(' ') < 0);
        try (Store s = Store.open()) {
            assertEquals(Reply.OK, s.execute(("RESTORE k 0 " + p).split(" ")));
            Reply v = s.execute("GET", "k");
            assertTrue(((Reply.Bulk) v).asString().startsWith("v"), v.toString());
            assertEquals(p, new String(((Reply.Bulk) s.execute("DUMP", "k")).value(), java.nio.charset.StandardCharsets.ISO_8859_1));
        }
    }
}
