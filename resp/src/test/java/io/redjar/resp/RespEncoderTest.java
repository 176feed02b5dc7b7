package io.redjar.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.redjar.Reply;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RespEncoderTest {
    private static String enc(Reply r, int proto) {
        ByteBuf b = Unpooled.buffer();
        RespEncoder.encode(r, proto, b);
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    private static void both(Reply r, String resp2, String resp3) {
        assertEquals(resp2, enc(r, 2), "RESP2 " + r);
        assertEquals(resp3, enc(r, 3), "RESP3 " + r);
    }

    @Test
    void scalars() {
        both(Reply.OK, "+OK\r\n", "+OK\r\n");
        both(Reply.error("ERR bad\r\nthing"), "-ERR bad  thing\r\n", "-ERR bad  thing\r\n");
        both(Reply.integer(-42), ":-42\r\n", ":-42\r\n");
        both(Reply.integer(Long.MIN_VALUE), ":-9223372036854775808\r\n", ":-9223372036854775808\r\n");
        both(Reply.bulk("h\r\ni"), "$4\r\nh\r\ni\r\n", "$4\r\nh\r\ni\r\n");
        both(Reply.bulk(new byte[0]), "$0\r\n\r\n", "$0\r\n\r\n");
        both(Reply.NULL, "$-1\r\n", "_\r\n");
        both(Reply.NULL_ARRAY, "*-1\r\n", "_\r\n");
        both(new Reply.Bool(true), ":1\r\n", "#t\r\n");
        both(new Reply.Bool(false), ":0\r\n", "#f\r\n");
        both(new Reply.Verbatim("txt", "a\nb"), "$3\r\na\nb\r\n", "=7\r\ntxt:a\nb\r\n");
    }

    @Test
    void doublesUsePercent17g() {
        both(new Reply.DoubleReply(1.5), "$3\r\n1.5\r\n", ",1.5\r\n");
        both(new Reply.DoubleReply(0.1), "$19\r\n0.10000000000000001\r\n", ",0.10000000000000001\r\n");
        both(new Reply.DoubleReply(Double.POSITIVE_INFINITY), "$3\r\ninf\r\n", ",inf\r\n");
        both(new Reply.DoubleReply(Double.NEGATIVE_INFINITY), "$4\r\n-inf\r\n", ",-inf\r\n");
        assertEquals("3", io.redjar.internal.util.Numbers.formatDouble17g(3.0));
        assertEquals("-0", io.redjar.internal.util.Numbers.formatDouble17g(-0.0));
        assertEquals("1e+20", io.redjar.internal.util.Numbers.formatDouble17g(1e20));
        assertEquals("1.0000000000000001e-05", io.redjar.internal.util.Numbers.formatDouble17g(1e-5));
        assertEquals("0.0001", io.redjar.internal.util.Numbers.formatDouble17g(1e-4));
        assertEquals("12345678901234568", io.redjar.internal.util.Numbers.formatDouble17g(12345678901234567.0));
        assertEquals("1.2345678901234568e+17", io.redjar.internal.util.Numbers.formatDouble17g(123456789012345678.0));
        assertEquals("3.1415926535897931", io.redjar.internal.util.Numbers.formatDouble17g(Math.PI));
        assertEquals("4.9406564584124654e-324", io.redjar.internal.util.Numbers.formatDouble17g(Double.MIN_VALUE));
        assertEquals("1.7976931348623157e+308", io.redjar.internal.util.Numbers.formatDouble17g(Double.MAX_VALUE));
    }

    @Test
    void aggregatesDowngradeInResp2() {
        Reply map = new Reply.Map(List.of(Reply.bulk("a"), Reply.integer(1), Reply.bulk("b"), Reply.NULL));
        both(map, "*4\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n$-1\r\n", "%2\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n_\r\n");
        both(new Reply.SetReply(List.of(Reply.bulk("x"))), "*1\r\n$1\r\nx\r\n", "~1\r\n$1\r\nx\r\n");
        both(new Reply.Push(List.of(Reply.bulk("m"))), "*1\r\n$1\r\nm\r\n", ">1\r\n$1\r\nm\r\n");
        both(Reply.EMPTY_ARRAY, "*0\r\n", "*0\r\n");
        both(Reply.array(Reply.array(Reply.integer(1)), new Reply.Bool(true)), "*2\r\n*1\r\n:1\r\n:1\r\n", "*2\r\n*1\r\n:1\r\n#t\r\n");
    }

    @Test
    void deeplyNestedRepliesDoNotOverflowTheStack() {
        // a Lua script returning a self-referencing table nests ~8000 arrays (Redis's
        // "reached lua stack limit"); encode far deeper than that, with maps and sets inside
        int depth = 200_000;
        Reply r = Reply.error("ERR reached lua stack limit");
        for (int i = 0; i < depth; i++) {
            r = i % 3 == 0 ? Reply.array(r) : i % 3 == 1 ? new Reply.SetReply(java.util.List.of(r))
                : new Reply.Map(java.util.List.of(Reply.bulk("k"), r));
        }
        String v3 = enc(r, 3);
        String v2 = enc(r, 2);
        org.junit.jupiter.api.Assertions.assertTrue(v3.startsWith("~1\r\n*1\r\n%1\r\n$1\r\nk\r\n~1\r\n"), v3.substring(0, 40));
        org.junit.jupiter.api.Assertions.assertTrue(v2.startsWith("*1\r\n*1\r\n*2\r\n$1\r\nk\r\n*1\r\n"), v2.substring(0, 40));
        org.junit.jupiter.api.Assertions.assertTrue(v3.endsWith("-ERR reached lua stack limit\r\n"));
        Reply shallow = Reply.array(Reply.array(Reply.ONE, Reply.bulk("x")), new Reply.Map(java.util.List.of(Reply.bulk("a"), Reply.NULL)));
        both(shallow, "*2\r\n*2\r\n:1\r\n$1\r\nx\r\n*2\r\n$1\r\na\r\n$-1\r\n", "*2\r\n*2\r\n:1\r\n$1\r\nx\r\n%1\r\n$1\r\na\r\n_\r\n");
    }
}
