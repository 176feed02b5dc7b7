package io.redjar;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Store.open() in a JVM without the export Agrona needs fails with one clear message. */
class JvmFlagsTest {
    private static final String FLAG = "--add-exports java.base/jdk.internal.misc=ALL-UNNAMED";

    /** Runs NoAddExportsMain in a child JVM with {@code jvmArgs}; returns {exit status, output}. */
    private static Object[] child(List<String> jvmArgs) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        assertTrue(Files.isExecutable(java), "no java at " + java);
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.addAll(jvmArgs);
        // the child runs store code: same bounds-checked mode as this JVM
        cmd.add("-Dredjar.memory.checked=" + Boolean.getBoolean("redjar.memory.checked"));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(NoAddExportsMain.class.getName());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        // nothing may sneak the flag in through the environment
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("_JAVA_OPTIONS");
        Process p = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(out);
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
        return new Object[] {p.exitValue(), out.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void openFailsWithoutTheFlagNamingIt() throws Exception {
        Object[] r = child(List.of());
        String out = (String) r[1];
        assertEquals(3, r[0], "expected IllegalStateException; child said:\n" + out);
        assertTrue(out.startsWith("ISE: "), out);
        assertTrue(out.contains(FLAG), "message must name the flag: " + out);
        assertEquals(FLAG, Store.REQUIRED_JVM_FLAGS);
    }

    @Test
    void openWorksWithTheFlag() throws Exception {
        Object[] r = child(List.of("--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"));
        assertEquals(0, r[0], "child said:\n" + r[1]);
        assertTrue(((String) r[1]).contains("OPENED v"), (String) r[1]);
    }
}
