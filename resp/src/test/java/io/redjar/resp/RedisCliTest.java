package io.redjar.resp;

import io.redjar.resp.junit.RedJarPort;
import io.redjar.resp.junit.RedJarTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Drives RedJar with the real redis-cli; skipped loudly without it, failed if CI=true. */
@RedJarTest
class RedisCliTest {

    private static String cli(int port, String stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("redis-cli hung");
        }
        return out;
    }

    @Test
    void pingAndScriptedSession(@RedJarPort int port) throws Exception {
        DifferentialWireTest.requireTool("redis-cli");
        assertEquals("PONG\n", cli(port, null, "ping"));
        String script = "SET greeting hello\nGET greeting\nINCR visits\nINCRBY visits 9\nMSET a 1 b 2\nMGET a b nope\n"
            + "EXPIRE a 100\nTYPE a\nDEL a b\nEXISTS a\nGET nope\n";
        assertEquals("OK\nhello\n1\n10\nOK\n1\n2\n\n1\nstring\n2\n0\n\n", cli(port, script));
        assertEquals("ERR unknown command 'FOO', with args beginning with:", cli(port, null, "FOO").strip());
        String hello = cli(port, null, "-3", "HELLO", "3");
        org.junit.jupiter.api.Assertions.assertTrue(hello.contains("proto 3\n"), hello);
    }

    @Test
    void pipeModeMassInsert(@RedJarPort int port) throws Exception {
        DifferentialWireTest.requireTool("redis-cli");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 10000; i++) {
            String k = "mass:" + i;
            sb.append("*3\r\n$3\r\nSET\r\n$").append(k.length()).append("\r\n").append(k).append("\r\n$1\r\nx\r\n");
        }
        String out = cli(port, sb.toString(), "--pipe");
        assertEquals(true, out.contains("errors: 0, replies: 10000"), out);
        assertEquals("10000\n", cli(port, null, "dbsize"));
    }
}
