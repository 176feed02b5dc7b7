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

    /** A scripted redis-cli session over every collection family; the expected output is redis-server 7.0.15's. */
    @Test
    void scriptedCollectionSession(@RedJarPort int port) throws Exception {
        DifferentialWireTest.requireTool("redis-cli");
        String script = "HSET user name ada age 36\nHGET user name\nHGETALL user\nHINCRBYFLOAT user age 0.5\n"
            + "RPUSH q a b c\nLRANGE q 0 -1\nLPOS q c\nLMPOP 1 q RIGHT COUNT 2\n"
            + "SADD nums 3 1 2\nSMEMBERS nums\nSINTERCARD 1 nums\n"
            + "ZADD board 10 ann 20 bob 15 cat\nZRANGE board 0 -1 WITHSCORES\nZRANGE board +inf 12 BYSCORE REV LIMIT 0 1\n"
            + "ZRANK board cat\nZPOPMIN board\nSORT nums DESC\nBLPOP q 1\nBZPOPMIN nothing 0.01\nTYPE board\n";
        String expected = "2\nada\nname\nada\nage\n36\n36.5\n"
            + "3\na\nb\nc\n2\nq\nc\nb\n"
            + "3\n1\n2\n3\n3\n"
            + "3\nann\n10\ncat\n15\nbob\n20\nbob\n"
            + "1\nann\n10\n3\n2\n1\nq\na\n\nzset\n";
        assertEquals(expected, cli(port, script));
        // RESP3: redis-cli prints a map entry as "field value", a nested pair flattened, a double plainly
        String resp3 = "HSET h a 1\nHGETALL h\nSADD s 1\nSMEMBERS s\nZADD z 1.5 m\nZRANGE z 0 -1 WITHSCORES\nZSCORE z m\n";
        assertEquals("1\na 1\n1\n1\n1\nm\n1.5\n1.5\n", cli(port, resp3, "-3"));
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
