package io.redjar.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** protected-mode and client-query-buffer-limit, the two limits that refuse a client outright. */
class ConnectionLimitsTest {

    @Test
    void protectedModeRefusesOnlyNonLoopbackPeersWithoutPassword() throws Exception {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 5000);
        InetSocketAddress loopback6 = new InetSocketAddress(InetAddress.getByName("::1"), 5000);
        InetSocketAddress remote = new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 1, 2, 3}), 5000);
        assertFalse(RedJarServer.protectedModeDenies(true, null, loopback));
        assertFalse(RedJarServer.protectedModeDenies(true, "", loopback6));
        assertTrue(RedJarServer.protectedModeDenies(true, null, remote));
        assertTrue(RedJarServer.protectedModeDenies(true, "", remote));
        assertFalse(RedJarServer.protectedModeDenies(true, "secret", remote), "a password lifts protected mode");
        assertFalse(RedJarServer.protectedModeDenies(false, null, remote), "protected-mode no");
        assertTrue(RedJarServer.DENIED.startsWith("-DENIED Redis is running in protected mode"));
        assertTrue(RedJarServer.DENIED.endsWith("\r\n"));
    }

    @Test
    void protectedModeIsAnOption() throws Exception {
        assertFalse(ServerOptions.parseArgs("--protected-mode", "no").protectedMode());
        assertTrue(ServerOptions.defaults().protectedMode());
    }

    @Test
    void aCommandLargerThanTheQueryBufferLimitClosesTheClientWithoutReply() {
        RespDecoder d = new RespDecoder(RespDecoder.DEFAULT_MAX_BULK_LEN, 100, () -> false);
        List<Object> out = new ArrayList<>();
        // two 60-byte arguments: each is fine, together they pass the 100-byte limit
        ByteBuf in = Unpooled.copiedBuffer("*3\r\n$3\r\nSET\r\n$60\r\n" + "k".repeat(60) + "\r\n$60\r\n", StandardCharsets.US_ASCII);
        d.decode(in, out);
        assertEquals(1, out.size(), "one message: " + out);
        assertInstanceOf(RespDecoder.QueryBufferLimit.class, out.get(0));
        // a command under the limit still decodes
        out.clear();
        RespDecoder ok = new RespDecoder(RespDecoder.DEFAULT_MAX_BULK_LEN, 100, () -> false);
        ok.decode(Unpooled.copiedBuffer("*2\r\n$3\r\nGET\r\n$60\r\n" + "k".repeat(60) + "\r\n", StandardCharsets.US_ASCII), out);
        assertEquals(1, out.size());
        assertInstanceOf(byte[][].class, out.get(0));
    }
}
