package io.redjar.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RespDecoderTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Feeds {@code chunks} one after another into one decoder, keeping unread bytes like Netty's cumulation. */
    private static List<Object> feed(RespDecoder d, byte[]... chunks) {
        List<Object> out = new ArrayList<>();
        ByteBuf cum = Unpooled.buffer();
        for (byte[] c : chunks) {
            cum.writeBytes(c);
            d.decode(cum, out);
            cum.discardReadBytes();
        }
        return out;
    }

    private static List<Object> decode(String s) {
        return feed(new RespDecoder(), b(s));
    }

    private static String render(List<Object> out) {
        StringBuilder sb = new StringBuilder();
        for (Object o : out) {
            if (o instanceof byte[][] argv) {
                sb.append('[');
                for (byte[] a : argv) {
                    sb.append('<').append(new String(a, StandardCharsets.ISO_8859_1)).append('>');
                }
                sb.append(']');
            } else {
                sb.append(o);
            }
        }
        return sb.toString();
    }

    @Test
    void multibulkAndInline() {
        assertEquals("[<SET><k><v>][<GET><k>]", render(decode("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n")));
        assertEquals("[<PING>][<ECHO><a b><c>]", render(decode("PING\r\nECHO \"a b\" c\n")));
        assertEquals("[<ECHO><aAb\n>]", render(decode("ECHO \"a\\x41b\\n\"\r\n")));
        assertEquals("[<ECHO><it's>]", render(decode("ECHO 'it\\'s'\r\n")));
        assertEquals("[<ECHO><>]", render(decode("*2\r\n$4\r\nECHO\r\n$0\r\n\r\n")));
    }

    @Test
    void emptyCommandsAreSkipped() {
        assertEquals("[<PING>]", render(decode("\r\n*0\r\n*-1\r\n   \r\nPING\r\n")));
    }

    @Test
    void protocolErrorsMatchRedis() {
        assertEquals("ProtocolError[message=Protocol error: invalid multibulk length]", render(decode("*3000000000\r\n")));
        assertEquals("ProtocolError[message=Protocol error: invalid multibulk length]", render(decode("*a\r\n")));
        assertEquals("ProtocolError[message=Protocol error: invalid multibulk length]", render(decode("*01\r\n")));
        assertEquals("ProtocolError[message=Protocol error: invalid multibulk length]", render(decode("*+1\r\n")));
        assertEquals("ProtocolError[message=Protocol error: expected '$', got 'x']", render(decode("*1\r\nx\r\n")));
        assertEquals("ProtocolError[message=Protocol error: invalid bulk length]", render(decode("*1\r\n$-1\r\n")));
        assertEquals("ProtocolError[message=Protocol error: invalid bulk length]", render(decode("*1\r\n$536870913\r\n")));
        assertEquals("ProtocolError[message=Protocol error: unbalanced quotes in request]", render(decode("set \"a b\r\n")));
        assertEquals("ProtocolError[message=Protocol error: unbalanced quotes in request]", render(decode("ECHO \"a\"b\r\n")));
        // everything after the error is discarded
        assertEquals("[<PING>]ProtocolError[message=Protocol error: invalid bulk length]",
            render(decode("PING\r\n*1\r\n$x\r\nPING\r\n")));
    }

    @Test
    void limitsWithoutNewline() {
        String big = "x".repeat(RespDecoder.INLINE_MAX_SIZE + 1);
        assertEquals("ProtocolError[message=Protocol error: too big inline request]", render(decode(big)));
        assertEquals("ProtocolError[message=Protocol error: too big mbulk count string]", render(decode("*" + big)));
        assertEquals("ProtocolError[message=Protocol error: too big bulk count string]", render(decode("*1\r\n$" + big)));
    }

    @Test
    void unauthenticatedLimits() {
        assertEquals("ProtocolError[message=Protocol error: unauthenticated multibulk length]",
            render(feed(new RespDecoder(RespDecoder.DEFAULT_MAX_BULK_LEN, () -> true), b("*11\r\n"))));
        assertEquals("ProtocolError[message=Protocol error: unauthenticated bulk length]",
            render(feed(new RespDecoder(RespDecoder.DEFAULT_MAX_BULK_LEN, () -> true), b("*1\r\n$16385\r\n"))));
    }

    private static final String STREAM =
        "*3\r\n$3\r\nSET\r\n$5\r\nkey:1\r\n$12\r\nhello\r\nworld\r\n"
            + "PING\r\n"
            + "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n"
            + "  ECHO   \"q \\x41 \\\"\"  'x y'  \n"
            + "*0\r\n\r\n"
            + "*1\r\n$4\r\nQUIT\r\n";

    @Test
    void splitAtEveryByteBoundaryGivesTheSameCommands() {
        byte[] all = b(STREAM);
        String expected = render(decode(STREAM));
        assertEquals("[<SET><key:1><hello\r\nworld>][<PING>][<ECHO><>][<ECHO><q A \"><x y>][<QUIT>]", expected);
        for (int i = 0; i <= all.length; i++) {
            for (int j = i; j <= all.length; j++) {
                byte[] a = java.util.Arrays.copyOfRange(all, 0, i);
                byte[] m = java.util.Arrays.copyOfRange(all, i, j);
                byte[] z = java.util.Arrays.copyOfRange(all, j, all.length);
                assertEquals(expected, render(feed(new RespDecoder(), a, m, z)), "split at " + i + "," + j);
            }
        }
        // one byte at a time
        byte[][] singles = new byte[all.length][];
        for (int i = 0; i < all.length; i++) {
            singles[i] = new byte[] {all[i]};
        }
        assertEquals(expected, render(feed(new RespDecoder(), singles)));
    }

    @Test
    void largeBulkInSmallChunksIsExact() {
        int len = 3 * RespDecoder.PREALLOC_LIMIT + 12345;
        byte[] payload = new byte[len];
        new Random(1).nextBytes(payload);
        byte[] header = b("*2\r\n$3\r\nSET\r\n$" + len + "\r\n");
        RespDecoder d = new RespDecoder();
        List<Object> out = new ArrayList<>();
        ByteBuf cum = Unpooled.buffer();
        cum.writeBytes(header);
        d.decode(cum, out);
        for (int off = 0; off < len; off += 1000) {
            cum.discardReadBytes();
            cum.writeBytes(payload, off, Math.min(1000, len - off));
            d.decode(cum, out);
        }
        cum.writeBytes(b("\r\n"));
        d.decode(cum, out);
        assertEquals(1, out.size());
        assertArrayEquals(payload, ((byte[][]) out.get(0))[1]);
    }

    @Test
    void randomAndMutatedInputNeverThrows() {
        Random rnd = new Random(42);
        byte[] valid = b(STREAM);
        byte[] alphabet = b("*$\r\n0123456789-+ \"'\\xabcPING");
        for (int iter = 0; iter < 20000; iter++) {
            byte[] in;
            if (iter % 2 == 0) {
                in = valid.clone();
                int muts = 1 + rnd.nextInt(4);
                for (int k = 0; k < muts; k++) {
                    in[rnd.nextInt(in.length)] = rnd.nextBoolean() ? (byte) rnd.nextInt(256) : alphabet[rnd.nextInt(alphabet.length)];
                }
            } else {
                in = new byte[rnd.nextInt(200)];
                for (int k = 0; k < in.length; k++) {
                    in[k] = alphabet[rnd.nextInt(alphabet.length)];
                }
            }
            int cut = in.length == 0 ? 0 : rnd.nextInt(in.length);
            List<Object> out = feed(new RespDecoder(), java.util.Arrays.copyOf(in, cut), java.util.Arrays.copyOfRange(in, cut, in.length));
            for (Object o : out) {
                assertTrue(o instanceof byte[][] || o instanceof RespDecoder.ProtocolError, String.valueOf(o));
            }
            for (int k = 0; k < out.size() - 1; k++) {
                assertInstanceOf(byte[][].class, out.get(k), "a protocol error is the last thing emitted");
            }
        }
    }
}
