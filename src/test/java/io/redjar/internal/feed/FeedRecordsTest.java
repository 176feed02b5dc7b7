package io.redjar.internal.feed;

import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The record format: random binary commands round-trip; any flipped byte is caught. */
class FeedRecordsTest {
    private static byte[][] argv(Random r) {
        byte[][] a = new byte[1 + r.nextInt(6)][];
        for (int i = 0; i < a.length; i++) {
            a[i] = new byte[r.nextInt(4) == 0 ? 0 : r.nextInt(r.nextBoolean() ? 20 : 3000)];
            r.nextBytes(a[i]);
        }
        return a;
    }

    /** @return the records in {@code b[0..len)}, stopping at the first invalid one */
    private static List<FeedRecord> parse(byte[] b, int len) {
        List<FeedRecord> out = new ArrayList<>();
        int pos = 0;
        while (pos + FeedRecords.HEADER <= len) {
            int l = FeedRecords.getInt(b, pos);
            if (l < FeedRecords.FIXED || l > len - pos - FeedRecords.HEADER) {
                break;
            }
            byte[] p = Arrays.copyOfRange(b, pos + FeedRecords.HEADER, pos + FeedRecords.HEADER + l);
            if (!FeedRecords.crcMatches(p, l, FeedRecords.getInt(b, pos + 4))) {
                break;
            }
            FeedRecord r = FeedRecords.decode(p, l);
            if (r == null) {
                break;
            }
            out.add(r);
            pos += FeedRecords.HEADER + l;
        }
        return out;
    }

    @Test
    void recordsRoundTripAndCorruptionIsDetected() {
        Seeds.run("feed records", r -> {
            for (int round = 0; round < 50; round++) {
                FeedRecords.Sink sink = new FeedRecords.Sink();
                List<byte[][]> cmds = new ArrayList<>();
                int n = 1 + r.nextInt(8);
                long first = 1 + r.nextInt(1_000_000);
                for (int i = 0; i < n; i++) {
                    byte[][] a = argv(r);
                    cmds.add(a);
                    sink.record(first + i, r.nextInt(16), n, i, a);
                }
                byte[] bytes = Arrays.copyOf(sink.array(), sink.length());
                List<FeedRecord> back = parse(bytes, bytes.length);
                assertEquals(n, back.size());
                for (int i = 0; i < n; i++) {
                    FeedRecord rec = back.get(i);
                    assertEquals(first + i, rec.offset());
                    assertEquals(first, rec.batchFirst());
                    assertEquals(first + n - 1, rec.batchLast());
                    assertEquals(cmds.get(i).length, rec.argv().length);
                    for (int j = 0; j < rec.argv().length; j++) {
                        assertArrayEquals(cmds.get(i)[j], rec.argv()[j]);
                    }
                }
                // one flipped bit anywhere: the records before it survive, the damaged one does not
                int at = r.nextInt(bytes.length);
                bytes[at] ^= (byte) (1 << r.nextInt(8));
                List<FeedRecord> damaged = parse(bytes, bytes.length);
                assertTrue(damaged.size() < n, "damage at byte " + at + " not detected");
                for (int i = 0; i < damaged.size(); i++) {
                    assertNotNull(damaged.get(i));
                    assertEquals(first + i, damaged.get(i).offset());
                }
                // a torn tail: every prefix parses to whole records only
                int cut = r.nextInt(sink.length());
                List<FeedRecord> torn = parse(Arrays.copyOf(sink.array(), cut), cut);
                assertFalse(torn.size() == n && cut < sink.length());
            }
        });
    }
}
