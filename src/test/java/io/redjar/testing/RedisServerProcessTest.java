package io.redjar.testing;

import io.redjar.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Starting, configuring and stopping real {@code redis-server} processes. */
@RequiresRedis
class RedisServerProcessTest {

    @Test
    void startsConfiguredAndStopsCleanly(RedisServerProcess shared) {
        RedisServerProcess server = RedisServerProcess.start(shared.executable(), RedisServerProcess.DEFAULT_START_TIMEOUT, List.of());
        long pid = server.pid();
        try (RespClient c = server.connect()) {
            assertTrue(server.isAlive());
            assertNotEquals(shared.port(), server.port());
            assertEquals(Reply.PONG, c.call("PING"));
            assertEquals(new Reply.Map(List.of(Reply.bulk("save"), Reply.bulk(""))), c.call("CONFIG", "GET", "save"));
            assertEquals(new Reply.Map(List.of(Reply.bulk("appendonly"), Reply.bulk("no"))), c.call("CONFIG", "GET", "appendonly"));
            assertEquals(new Reply.Map(List.of(Reply.bulk("protected-mode"), Reply.bulk("no"))),
                    c.call("CONFIG", "GET", "protected-mode"));
            assertEquals(new Reply.Map(List.of(Reply.bulk("bind"), Reply.bulk("127.0.0.1"))), c.call("CONFIG", "GET", "bind"));
            assertEquals(Reply.OK, c.call("DEBUG", "SLEEP", "0"), "DEBUG is enabled");
            assertTrue(server.output().contains("Ready to accept connections"), server.output());
        } finally {
            server.close();
        }
        assertFalse(server.isAlive());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        server.close(); // idempotent
    }

    @Test
    void aServerThatCannotStartFailsWithItsOutput(RedisServerProcess shared) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RedisServerProcess.start(
                shared.executable(), RedisServerProcess.DEFAULT_START_TIMEOUT, List.of("--no-such-directive", "1")));
        assertTrue(e.getMessage().contains("exited with status"), e.getMessage());
        assertTrue(e.getMessage().contains("no-such-directive"), "the message includes the server's output: " + e.getMessage());
    }

    @Test
    void aSilentServerTimesOutAndIsKilled(@TempDir Path tmp) throws IOException {
        Path fake = tmp.resolve("fake-redis-server");
        Path pidFile = tmp.resolve("pid");
        Files.writeString(fake, "#!/bin/sh\necho \"fake server starting $$\"\necho $$ > " + pidFile + "\nexec sleep 60\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        long t0 = System.nanoTime();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RedisServerProcess.start(fake, Duration.ofMillis(500), List.of()));
        assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0) < 8, "bounded wait");
        assertTrue(e.getMessage().contains("did not answer PING"), e.getMessage());
        assertTrue(e.getMessage().contains("fake server starting"), e.getMessage());
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the silent process was killed");
    }

    /** Entry point of a child JVM that starts a server and exits without closing it. */
    public static final class LeakyMain {
        public static void main(String[] args) {
            RedisServerProcess s = RedisServerProcess.start(Path.of(args[0]), RedisServerProcess.DEFAULT_START_TIMEOUT, List.of());
            System.out.println("PID " + s.pid());
            System.exit(0); // no close(): the shutdown hook must reap it
        }
    }

    @Test
    void shutdownHookLeavesNoOrphans(RedisServerProcess shared) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                LeakyMain.class.getName(), shared.executable().toString()).redirectErrorStream(true).start();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child JVM finished");
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), out);
        Optional<String> line = out.lines().filter(l -> l.startsWith("PID ")).findFirst();
        assertTrue(line.isPresent(), out);
        long pid = Long.parseLong(line.get().substring(4).trim());
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isPresent()) {
            h.get().onExit().get(10, TimeUnit.SECONDS); // fails with a timeout if it survived
        }
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "redis-server " + pid + " was orphaned");
    }
}
