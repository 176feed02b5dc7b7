package io.redjar.resp;

import io.redjar.Store;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SHUTDOWN on the server: the refusals (ABORT with nothing in progress, SAVE without persistence,
 * bad options, inside MULTI), a successful SHUTDOWN NOSAVE (no reply, the connection closes, the
 * listener is gone, the owner's action runs), and the command-line server's exit status: 0 after
 * SHUTDOWN and after SIGTERM, as redis-server.
 */
class ShutdownTest {

    @Test
    void refusalsThenShutdownNosave(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        try (Store store = Store.builder().dataDir(dir).open()) {
            // a directory where the dump should go: SHUTDOWN SAVE cannot save, so it fails
            java.nio.file.Files.createDirectory(dir.resolve("dump.rdb"));
            RedJarServer server = RedJarServer.start(store, 0);
            CountDownLatch done = new CountDownLatch(1);
            server.onShutdown(done::countDown);
            int port = server.port();
            try (RawConn c = new RawConn(port)) {
                c.send("SHUTDOWN ABORT\r\n");
                assertEquals("-ERR No shutdown in progress.\r\n", c.readReplyString());
                c.send("SHUTDOWN SAVE NOSAVE\r\n");
                assertEquals("-ERR syntax error\r\n", c.readReplyString());
                c.send("SHUTDOWN NOW ABORT\r\n");
                assertEquals("-ERR syntax error\r\n", c.readReplyString());
                c.send("SHUTDOWN SAVE\r\n");
                assertEquals("-ERR Errors trying to SHUTDOWN. Check logs.\r\n", c.readReplyString());
                c.send("MULTI\r\nSHUTDOWN NOSAVE\r\nEXEC\r\n");
                assertEquals("+OK\r\n", c.readReplyString());
                assertEquals("-ERR Command not allowed inside a transaction\r\n", c.readReplyString());
                assertEquals("-EXECABORT Transaction discarded because of previous errors.\r\n", c.readReplyString());
                c.send("SET k v\r\n");
                assertEquals("+OK\r\n", c.readReplyString());
                c.send("SHUTDOWN NOSAVE\r\n");
                assertEquals(-1, c.socket.getInputStream().read(), "SHUTDOWN has no reply: the connection closes");
            }
            assertTrue(done.await(10, TimeUnit.SECONDS), "the owner's shutdown action ran");
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
            assertEquals("v", store.strings().get("k"), "a server started on a store leaves it open");
        }
    }

    @Test
    void embeddedStoreRefuses() {
        try (Store store = Store.open()) {
            assertEquals("ERR SHUTDOWN needs a server: this store is embedded (close the Store instead)",
                ((io.redjar.Reply.ErrorReply) store.execute("SHUTDOWN")).message());
        }
    }

    @Test
    void commandLineServerExitsZeroOnShutdownAndSigterm() throws Exception {
        assertEquals(0, runMain(port -> {
            try (RawConn c = new RawConn(port)) {
                c.send("SHUTDOWN\r\n");
                c.socket.getInputStream().read();
            }
        }));
        assertEquals(0, runMain(port -> { }), "SIGTERM");
        // SIGTERM while a script that wrote loops forever: the script is stopped, the server exits
        assertEquals(0, runMain(port -> {
            RawConn c = new RawConn(port);
            c.send("*3\r\n$4\r\nEVAL\r\n$45\r\nredis.call('set', 'w', '1') while true do end\r\n$1\r\n0\r\n");
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }), "SIGTERM during an unkillable script");
    }

    @Test
    void sigtermSavesAsShutdownOnSigtermSays() throws Exception {
        Path dir = java.nio.file.Files.createTempDirectory("redjar-sigterm");
        Action write = port -> {
            try (RawConn c = new RawConn(port)) {
                c.send("SET k v\r\n");
                c.socket.getInputStream().read();
            }
        };
        // default: no save points, nothing saved
        assertEquals(0, runMain(write, "--dir", dir.toString()), "SIGTERM, default");
        assertTrue(!java.nio.file.Files.exists(dir.resolve("dump.rdb")), "no save points: no snapshot");
        // shutdown-on-sigterm save: the final snapshot is written before the process exits 0
        assertEquals(0, runMain(write, "--dir", dir.toString(), "--shutdown-on-sigterm", "save"), "SIGTERM, save");
        assertTrue(java.nio.file.Files.size(dir.resolve("dump.rdb")) > 0, "shutdown-on-sigterm save: a snapshot");
        java.nio.file.Files.delete(dir.resolve("dump.rdb"));
        // save points configured but shutdown-on-sigterm nosave: nothing saved
        assertEquals(0, runMain(write, "--dir", dir.toString(), "--save", "3600 1", "--shutdown-on-sigterm", "nosave"), "SIGTERM, nosave");
        assertTrue(!java.nio.file.Files.exists(dir.resolve("dump.rdb")), "shutdown-on-sigterm nosave: no snapshot");
    }

    interface Action {
        void run(int port) throws IOException;
    }

    /** Starts {@link Main} in a child JVM, runs {@code action}, then SIGTERMs it if still alive; @return its exit status */
    private static int runMain(Action action, String... extra) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--port", Integer.toString(port)));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(new java.io.File("target/shutdown-test-server.log"))).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    break;
                } catch (ConnectException e) {
                    if (System.nanoTime() > deadline || !p.isAlive()) {
                        throw new AssertionError("server did not start", e);
                    }
                    Thread.sleep(50);
                }
            }
            action.run(port);
            if (!p.waitFor(2, TimeUnit.SECONDS)) {
                p.destroy(); // SIGTERM
            }
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "server did not exit");
            return p.exitValue();
        } finally {
            p.destroyForcibly();
        }
    }
}
