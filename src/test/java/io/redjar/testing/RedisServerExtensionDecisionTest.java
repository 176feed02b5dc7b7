package io.redjar.testing;

import io.redjar.testing.RedisServerExtension.Action;
import io.redjar.testing.RedisServerExtension.Decision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The run/skip/fail rule of {@link RedisServerExtension} and {@link RedisServerProcess#locate}, without a server. */
class RedisServerExtensionDecisionTest {

    private static final Optional<Path> FOUND = Optional.of(Path.of("/usr/bin/redis-server"));

    @Test
    void runsWhenFoundRegardlessOfCi() {
        assertEquals(Action.RUN, RedisServerExtension.decide(FOUND, Map.of()).action());
        assertEquals(Action.RUN, RedisServerExtension.decide(FOUND, Map.of("CI", "true")).action());
    }

    @Test
    void failsOnCiWhenMissing() {
        Decision d = RedisServerExtension.decide(Optional.empty(), Map.of("CI", "true"));
        assertEquals(Action.FAIL, d.action());
        assertTrue(d.message().startsWith("redis-server not found; .ci/run must install it"), d.message());
        assertEquals(Action.FAIL, RedisServerExtension.decide(Optional.empty(), Map.of("CI", "TRUE")).action());
    }

    @Test
    void skipsLoudlyElsewhere() {
        for (Map<String, String> env : List.of(Map.<String, String>of(), Map.of("CI", "false"), Map.of("CI", ""),
                Map.of("CI", "1"))) {
            Decision d = RedisServerExtension.decide(Optional.empty(), env);
            assertEquals(Action.SKIP, d.action(), env.toString());
            assertTrue(d.message().contains("*** DIFFERENTIAL TESTS SKIPPED: redis-server not found ***"), d.message());
        }
        String banner = RedisServerExtension.banner(RedisServerExtension.decide(Optional.empty(), Map.of()));
        assertTrue(banner.contains("\n" + RedisServerExtension.SKIP_BANNER + "\n"), banner);
    }

    @Test
    void enforceFailsSkipsOrRuns() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(err, true, StandardCharsets.UTF_8);

        RedisServerExtension.enforce(RedisServerExtension.decide(FOUND, Map.of("CI", "true")), ps);
        assertEquals("", err.toString(StandardCharsets.UTF_8));

        ExtensionConfigurationException fail = assertThrows(ExtensionConfigurationException.class,
                () -> RedisServerExtension.enforce(RedisServerExtension.decide(Optional.empty(), Map.of("CI", "true")), ps));
        assertTrue(fail.getMessage().startsWith(RedisServerExtension.CI_MISSING_MESSAGE), fail.getMessage());
        assertEquals("", err.toString(StandardCharsets.UTF_8));

        TestAbortedException skip = assertThrows(TestAbortedException.class,
                () -> RedisServerExtension.enforce(RedisServerExtension.decide(Optional.empty(), Map.of()), ps));
        assertTrue(skip.getMessage().contains(RedisServerExtension.SKIP_BANNER), skip.getMessage());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains(RedisServerExtension.SKIP_BANNER), err.toString());
    }

    @Test
    void locatePrefersEnvThenPathThenFallbacks(@TempDir Path tmp) throws IOException {
        Path envExe = executable(tmp.resolve("env/redis-server"));
        Path pathExe = executable(tmp.resolve("bin2/redis-server"));
        Path fallback = executable(tmp.resolve("fallback/redis-server"));
        Files.createDirectories(tmp.resolve("bin1"));
        String path = tmp.resolve("bin1") + java.io.File.pathSeparator + tmp.resolve("bin2");
        List<String> fallbacks = List.of(tmp.resolve("nope/redis-server").toString(), fallback.toString());

        assertEquals(Optional.of(envExe), RedisServerProcess.locate(
                Map.of("REDIS_SERVER", envExe.toString(), "PATH", path), fallbacks));
        assertEquals(Optional.of(pathExe), RedisServerProcess.locate(Map.of("PATH", path), fallbacks));
        assertEquals(Optional.of(fallback), RedisServerProcess.locate(Map.of("PATH", tmp.resolve("bin1").toString()), fallbacks));
        assertEquals(Optional.empty(), RedisServerProcess.locate(Map.of(), List.of()));
    }

    @Test
    void locateRejectsABadExplicitSetting(@TempDir Path tmp) throws IOException {
        Path notExecutable = Files.writeString(tmp.resolve("redis-server"), "");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RedisServerProcess.locate(
                Map.of("REDIS_SERVER", notExecutable.toString()), List.of()));
        assertTrue(e.getMessage().contains("REDIS_SERVER"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> RedisServerProcess.locate(
                Map.of("REDIS_SERVER", tmp.resolve("missing").toString()), List.of()));
    }

    @Test
    void locateSkipsNonExecutablesOnPath(@TempDir Path tmp) throws IOException {
        Files.createDirectories(tmp.resolve("a"));
        Files.writeString(tmp.resolve("a/redis-server"), "");
        Path good = executable(tmp.resolve("b/redis-server"));
        assertEquals(Optional.of(good), RedisServerProcess.locate(
                Map.of("PATH", tmp.resolve("a") + java.io.File.pathSeparator + tmp.resolve("b")), List.of()));
    }

    private static Path executable(Path p) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, "#!/bin/sh\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }
}
