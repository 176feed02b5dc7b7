package io.redjar.testing;

import io.redjar.Reply;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Feeds every RESP2/RESP3 type to {@link RespDecoder} from byte arrays, valid and malformed. */
class RespDecoderTest {

    private static Reply decode(String wire) throws IOException {
        return RespDecoder.decode(wire.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static Reply.Bulk bulk(String s) {
        return Reply.bulk(s);
    }

    @Test
    void simpleTypes() throws IOException {
        assertEquals(Reply.OK, decode("+OK\r\n"));
        assertEquals(new Reply.SimpleString(""), decode("+\r\n"));
        assertEquals(Reply.error("ERR unknown command 'x'"), decode("-ERR unknown command 'x'\r\n"));
        assertEquals(Reply.integer(0), decode(":0\r\n"));
        assertEquals(Reply.integer(-42), decode(":-42\r\n"));
        assertEquals(Reply.integer(Long.MAX_VALUE), decode(":9223372036854775807\r\n"));
        assertEquals(Reply.integer(Long.MIN_VALUE), decode(":-9223372036854775808\r\n"));
        assertEquals(new Reply.Bool(true), decode("#t\r\n"));
        assertEquals(new Reply.Bool(false), decode("#f\r\n"));
    }

    @Test
    void doubles() throws IOException {
        assertEquals(new Reply.DoubleReply(1.5), decode(",1.5\r\n"));
        assertEquals(new Reply.DoubleReply(-0.25), decode(",-0.25\r\n"));
        assertEquals(new Reply.DoubleReply(3.0), decode(",3\r\n"));
        assertEquals(new Reply.DoubleReply(1e300), decode(",1e+300\r\n"));
        assertEquals(new Reply.DoubleReply(3.0000000000000001e-05), decode(",3.0000000000000001e-05\r\n"));
        assertEquals(new Reply.DoubleReply(Double.POSITIVE_INFINITY), decode(",inf\r\n"));
        assertEquals(new Reply.DoubleReply(Double.NEGATIVE_INFINITY), decode(",-inf\r\n"));
        assertEquals(new Reply.DoubleReply(Double.NaN), decode(",nan\r\n"));
        assertEquals(new Reply.DoubleReply(Double.NaN), decode(",-nan\r\n"));
        assertThrows(RespDecoder.ProtocolException.class, () -> decode(",Infinity\r\n"));
        assertThrows(RespDecoder.ProtocolException.class, () -> decode(",1.5x\r\n"));
        assertThrows(RespDecoder.ProtocolException.class, () -> decode(",\r\n"));
    }

    @Test
    void bulkStrings() throws IOException {
        assertEquals(bulk("hello"), decode("$5\r\nhello\r\n"));
        assertEquals(bulk(""), decode("$0\r\n\r\n"));
        Reply binary = decode("$6\r\na\r\n\u0000\u00ffb\r\n");
        assertArrayEquals(new byte[] {'a', '\r', '\n', 0, (byte) 0xff, 'b'}, ((Reply.Bulk) binary).value());
        assertSame(Reply.NULL, decode("$-1\r\n"));
        assertEquals(bulk("Hello world"), decode("$?\r\n;4\r\nHell\r\n;7\r\no world\r\n;0\r\n"));
    }

    @Test
    void errorsAndVerbatim() throws IOException {
        assertEquals(Reply.error("SYNTAX invalid syntax"), decode("!21\r\nSYNTAX invalid syntax\r\n"));
        assertEquals(new Reply.Verbatim("txt", "Some string"), decode("=15\r\ntxt:Some string\r\n"));
        assertEquals(new Reply.Verbatim("mkd", ""), decode("=4\r\nmkd:\r\n"));
        assertThrows(RespDecoder.ProtocolException.class, () -> decode("=3\r\ntxt\r\n"));
    }

    @Test
    void nulls() throws IOException {
        assertSame(Reply.NULL, decode("_\r\n"), "RESP3 null is the plain NULL");
        assertSame(Reply.NULL, decode("$-1\r\n"));
        assertSame(Reply.NULL_ARRAY, decode("*-1\r\n"));
        assertThrows(RespDecoder.ProtocolException.class, () -> decode("_x\r\n"));
    }

    @Test
    void bigNumberBecomesBulkOfDigits() throws IOException {
        assertEquals(bulk("3492890328409238509324850943850943825024385"),
                decode("(3492890328409238509324850943850943825024385\r\n"));
        assertEquals(bulk("-12"), decode("(-12\r\n"));
        assertThrows(RespDecoder.ProtocolException.class, () -> decode("(12a\r\n"));
    }

    @Test
    void aggregates() throws IOException {
        assertEquals(Reply.EMPTY_ARRAY, decode("*0\r\n"));
        assertEquals(Reply.array(Reply.integer(1), bulk("two"), Reply.NULL,
                        Reply.array(new Reply.Bool(true), new Reply.DoubleReply(2.5))),
                decode("*4\r\n:1\r\n$3\r\ntwo\r\n_\r\n*2\r\n#t\r\n,2.5\r\n"));
        assertEquals(new Reply.Map(List.of(Reply.OK, Reply.integer(1), bulk("k"), new Reply.SetReply(List.of(bulk("a"))))),
                decode("%2\r\n+OK\r\n:1\r\n$1\r\nk\r\n~1\r\n$1\r\na\r\n"));
        assertEquals(new Reply.SetReply(List.of(bulk("x"), Reply.integer(2))), decode("~2\r\n$1\r\nx\r\n:2\r\n"));
        assertEquals(new Reply.Push(List.of(bulk("message"), bulk("ch"), bulk("hi"))),
                decode(">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n"));
        assertEquals(new Reply.Map(List.of()), decode("%0\r\n"));
    }

    @Test
    void streamedAggregates() throws IOException {
        assertEquals(Reply.array(Reply.integer(1), Reply.integer(2)), decode("*?\r\n:1\r\n:2\r\n.\r\n"));
        assertEquals(new Reply.Map(List.of(bulk("a"), Reply.integer(1))), decode("%?\r\n$1\r\na\r\n:1\r\n.\r\n"));
        assertThrows(RespDecoder.ProtocolException.class, () -> decode("%?\r\n$1\r\na\r\n.\r\n"),
                "a map cannot end between a key and its value");
        assertThrows(RespDecoder.ProtocolException.class, () -> decode(".\r\n"));
    }

    @Test
    void attributesAreSkipped() throws IOException {
        String attr = "|1\r\n+key-popularity\r\n%2\r\n$1\r\na\r\n,0.1923\r\n$1\r\nb\r\n,0.0012\r\n";
        assertEquals(Reply.array(Reply.integer(2039123), Reply.integer(9543892)),
                decode(attr + "*2\r\n:2039123\r\n:9543892\r\n"));
        assertEquals(Reply.array(Reply.integer(1), Reply.integer(2)),
                decode("*2\r\n|1\r\n+ttl\r\n:3600\r\n:1\r\n:2\r\n"), "attribute before an element");
    }

    @Test
    void decodesASequence() throws IOException {
        List<Reply> all = RespDecoder.decodeAll("+OK\r\n:1\r\n_\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(List.of(Reply.OK, Reply.ONE, Reply.NULL), all);
        assertThrows(RespDecoder.ProtocolException.class, () -> decode("+OK\r\n+OK\r\n"), "trailing reply");
    }

    @Test
    void malformedInputIsRejected() {
        assertThrows(RespDecoder.ProtocolException.class, () -> decode("?\r\n"));
        assertThrows(RespDecoder.ProtocolException.class, () -> decode(":abc\r\n"));
        assertThrows(RespDecoder.ProtocolException.class, () -> decode("+OK\n"));
        assertThrows(RespDecoder.ProtocolException.class, () -> decode("+OK\rX"));
        assertThrows(RespDecoder.ProtocolException.class, () -> decode("$3\r\nabcd\r\n"));
        assertThrows(RespDecoder.ProtocolException.class, () -> decode("$-2\r\n"));
        assertThrows(RespDecoder.ProtocolException.class, () -> decode("#x\r\n"));
        assertThrows(RespDecoder.ProtocolException.class, () -> decode("*-2\r\n"));
    }

    @Test
    void truncatedInputIsEof() {
        assertThrows(EOFException.class, () -> decode(""));
        assertThrows(EOFException.class, () -> decode("+OK"));
        assertThrows(EOFException.class, () -> decode("$5\r\nhel"));
        assertThrows(EOFException.class, () -> decode("*2\r\n:1\r\n"));
    }

    @Test
    void readsAcrossTinyChunks() throws IOException {
        byte[] wire = "*2\r\n$5\r\nhello\r\n%1\r\n+k\r\n,1.5\r\n".getBytes(StandardCharsets.US_ASCII);
        InputStream oneByteAtATime = new ByteArrayInputStream(wire) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1));
            }
        };
        Reply r = new RespDecoder(oneByteAtATime).read();
        assertEquals(Reply.array(bulk("hello"), new Reply.Map(List.of(new Reply.SimpleString("k"), new Reply.DoubleReply(1.5)))), r);
    }

    @Test
    void largeBulkSpanningBuffers() throws IOException {
        byte[] payload = new byte[100_000];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        byte[] wire = concat(("$" + payload.length + "\r\n").getBytes(StandardCharsets.US_ASCII), payload,
                "\r\n".getBytes(StandardCharsets.US_ASCII));
        Reply r = RespDecoder.decode(wire);
        assertTrue(r instanceof Reply.Bulk b && java.util.Arrays.equals(payload, b.value()));
    }

    @Test
    void encoderRoundTrip() throws IOException {
        byte[] wire = RespClient.encode("SET".getBytes(StandardCharsets.US_ASCII), new byte[] {'k'}, new byte[] {0, '\r', '\n'});
        assertEquals("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\n\u0000\r\n\r\n", new String(wire, StandardCharsets.ISO_8859_1));
        // a command is an array of bulk strings, so the decoder reads it back
        assertEquals(Reply.array(bulk("SET"), bulk("k"), new Reply.Bulk(new byte[] {0, '\r', '\n'})), RespDecoder.decode(wire));
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int off = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }
}
