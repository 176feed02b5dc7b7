package app;

import io.redjar.resp.junit.RedJarPort;
import io.redjar.resp.junit.RedJarTest;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The JUnit extension as the README shows it: a RedJar server per test class. */
@RedJarTest
class AppTest {
    @Test
    void pingsTheExtensionsServer(@RedJarPort int port) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals("+PONG\r\n", new String(s.getInputStream().readNBytes(7), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void appRuns() throws Exception {
        App.main(new String[0]);
    }
}
