package io.redjar.testing;

import io.redjar.Reply;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link RespClient} against a real server: every RESP3 type Redis 7.0 can send, RESP2 mode, pipelining. */
@RequiresRedis
class RespClientTest {

    private static Reply b(String s) {
        return Reply.bulk(s);
    }

    @Test
    void helloSwitchesToResp3(RespClient redis) {
        assertTrue(redis.resp3());
        Reply.Map hello = assertInstanceOf(Reply.Map.class, redis.hello());
        int i = hello.flat().indexOf(b("proto"));
        assertEquals(Reply.integer(3), hello.flat().get(i + 1));
        assertEquals(Reply.PONG, redis.call("PING"));
    }

    @Test
    void everyDebugProtocolType(RespClient redis) {
        assertEquals(b("Hello World"), redis.call("DEBUG", "PROTOCOL", "string"));
        assertEquals(Reply.integer(12345), redis.call("DEBUG", "PROTOCOL", "integer"));
        assertEquals(new Reply.DoubleReply(3.141), redis.call("DEBUG", "PROTOCOL", "double"));
        assertEquals(b("1234567999999999999999999999999999999"), redis.call("DEBUG", "PROTOCOL", "bignum"));
        assertSame(Reply.NULL, redis.call("DEBUG", "PROTOCOL", "null"));
        assertEquals(Reply.array(Reply.ZERO, Reply.ONE, Reply.integer(2)), redis.call("DEBUG", "PROTOCOL", "array"));
        assertEquals(new Reply.SetReply(List.of(Reply.ZERO, Reply.ONE, Reply.integer(2))), redis.call("DEBUG", "PROTOCOL", "set"));
        assertEquals(new Reply.Map(List.of(Reply.ZERO, new Reply.Bool(false), Reply.ONE, new Reply.Bool(true),
                Reply.integer(2), new Reply.Bool(false))), redis.call("DEBUG", "PROTOCOL", "map"));
        assertEquals(b("Some real reply following the attribute"), redis.call("DEBUG", "PROTOCOL", "attrib"));
        assertEquals(new Reply.Verbatim("txt", "This is a verbatim\nstring"), redis.call("DEBUG", "PROTOCOL", "verbatim"));
        assertEquals(new Reply.Bool(true), redis.call("DEBUG", "PROTOCOL", "true"));
        assertEquals(new Reply.Bool(false), redis.call("DEBUG", "PROTOCOL", "false"));
    }

    @Test
    void pushComesFirstThenTheReply(RespClient redis) {
        Reply push = redis.call("DEBUG", "PROTOCOL", "push");
        assertEquals(new Reply.Push(List.of(b("server-cpu-usage"), Reply.integer(42))), push);
        assertEquals(b("Some real reply following the push reply"), redis.read());
        assertEquals(Reply.PONG, redis.call("PING"), "the connection stays in step");
    }

    @Test
    void ordinaryCommandsAndErrors(RespClient redis) {
        assertEquals(Reply.OK, redis.call("SET", "k", "v"));
        assertEquals(b("v"), redis.call("GET", "k"));
        assertSame(Reply.NULL, redis.call("GET", "missing"));
        assertEquals(Reply.array(b("v"), Reply.NULL), redis.call("MGET", "k", "missing"));
        assertEquals(Reply.error("ERR value is not an integer or out of range"), redis.call("INCR", "k"));
        assertEquals(Reply.error("ERR unknown command 'NOSUCH', with args beginning with: 'x' "), redis.call("NOSUCH", "x"));
        assertEquals(new Reply.DoubleReply(1.5), redis.call("ZINCRBY", "z", "1.5", "m"));
        assertEquals(new Reply.Map(List.of()), redis.call("HGETALL", "h"));
        assertEquals(new Reply.Map(List.of(b("f"), b("1"))), hsetThenGetAll(redis));
        assertInstanceOf(Reply.SetReply.class, redis.call("SMEMBERS", "nosuchset"));
    }

    @Test
    void binarySafe(RespClient redis) {
        byte[] key = {'k', 0, '\r', '\n'};
        byte[] value = new byte[256];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) i;
        }
        assertEquals(Reply.OK, redis.call("SET".getBytes(), key, value));
        assertEquals(new Reply.Bulk(value), redis.call("GET".getBytes(), key));
    }

    @Test
    void resp2Mode(RedisServerProcess server) {
        try (RespClient c = server.connect(false)) {
            assertNull(c.hello());
            assertSame(Reply.NULL_ARRAY, c.call("BLPOP", "nolist", "0.01"));
            assertSame(Reply.NULL, c.call("GET", "missing"));
            assertEquals(b("1.5"), c.call("ZINCRBY", "z", "1.5", "m"), "RESP2 sends doubles as bulk strings");
            assertEquals(Reply.array(b("f"), b("1")), hsetThenGetAll(c));
        }
    }

    private static Reply hsetThenGetAll(RespClient c) {
        c.call("HSET", "h", "f", "1");
        return c.call("HGETALL", "h");
    }

    @Test
    void pipelineKeepsOrder(RespClient redis) {
        List<byte[][]> cmds = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            cmds.add(Step.argv("INCR", "counter"));
        }
        List<Reply> replies = redis.pipeline(cmds);
        assertEquals(2500, replies.size());
        for (int i = 0; i < replies.size(); i++) {
            assertEquals(Reply.integer(i + 1), replies.get(i));
        }
    }

    @Test
    void connectionFailureIsReported(RedisServerProcess server) {
        RespClient c = server.connect();
        c.close();
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> c.call("PING"));
        assertTrue(e.getMessage().contains("PING"), e.getMessage());
    }
}
