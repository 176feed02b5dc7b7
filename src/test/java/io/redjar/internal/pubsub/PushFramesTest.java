package io.redjar.internal.pubsub;

import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class PushFramesTest {

    /** The frame as Redis writes it, spelled out with strings: the reference. */
    private static byte[] reference(int protocol, Kind kind, byte[] pattern, byte[] channel, byte[] message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(((protocol == 3 ? ">" : "*") + (pattern == null ? 3 : 4) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        bulk(out, kind.messageWord.getBytes(StandardCharsets.US_ASCII));
        if (pattern != null) {
            bulk(out, pattern);
        }
        bulk(out, channel);
        bulk(out, message);
        return out.toByteArray();
    }

    private static void bulk(ByteArrayOutputStream out, byte[] b) {
        out.writeBytes(("$" + b.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(b);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void framesEqualTheReferenceForEveryKindProtocolAndLengthBoundary() {
        int[] lengths = {0, 1, 9, 10, 99, 100, 999, 1000, 12345};
        for (Kind kind : Kind.values()) {
            for (int protocol : new int[] {2, 3}) {
                for (int lc : lengths) {
                    for (int lm : lengths) {
                        byte[] ch = new byte[lc];
                        byte[] msg = new byte[lm];
                        java.util.Arrays.fill(ch, (byte) 'c');
                        java.util.Arrays.fill(msg, (byte) 0);
                        byte[] pat = kind == Kind.PATTERN ? "p*".getBytes(StandardCharsets.US_ASCII) : null;
                        assertArrayEquals(reference(protocol, kind, pat, ch, msg), PushFrames.message(protocol, kind, pat, ch, msg),
                            kind + " RESP" + protocol + " channel " + lc + " message " + lm);
                    }
                }
            }
        }
    }

    @Test
    void randomBinaryFrames() {
        long seed = Seeds.seed();
        Random r = new Random(seed);
        for (int i = 0; i < 2000; i++) {
            byte[] ch = new byte[r.nextInt(300)];
            byte[] msg = new byte[r.nextInt(3000)];
            r.nextBytes(ch);
            r.nextBytes(msg);
            byte[] pat = r.nextBoolean() ? new byte[r.nextInt(20)] : null;
            if (pat != null) {
                r.nextBytes(pat);
            }
            Kind kind = pat != null ? Kind.PATTERN : (r.nextBoolean() ? Kind.CHANNEL : Kind.SHARD);
            int protocol = r.nextBoolean() ? 2 : 3;
            assertArrayEquals(reference(protocol, kind, pat, ch, msg), PushFrames.message(protocol, kind, pat, ch, msg), "seed " + seed);
        }
    }
}
