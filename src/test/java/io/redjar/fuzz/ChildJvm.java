package io.redjar.fuzz;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class of the test classpath in a child JVM (this JVM's {@code java}, classpath and
 * the flags the tests use), so that a crash there (SIGSEGV, exit 134) fails a test instead of
 * killing the build. Echoes the child's output and keeps its tail for the failure message.
 */
public final class ChildJvm {
    /** What the child did. */
    public record Result(int exitCode, boolean timedOut, String tail, String commandLine) {
        /** @return a failure message: exit code, the command line, and the child's last lines */
        public String describe() {
            return (timedOut ? "child JVM timed out" : "child JVM exited with " + exitCode
                + (exitCode == 134 ? " (SIGABRT: a JVM crash, see hs_err_pid*.log)" : exitCode == 139 ? " (SIGSEGV)" : ""))
                + "\ncommand: " + commandLine + "\n---- child output (tail) ----\n" + tail;
        }
    }

    private ChildJvm() {
    }

    /**
     * @param mainClass the class to run
     * @param jvmArgs   extra JVM flags
     * @param args      program arguments
     * @param timeout   killed after this long
     * @param tailLines how many of the child's last lines to keep
     */
    public static Result run(String mainClass, List<String> jvmArgs, List<String> args, Duration timeout, int tailLines)
        throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        cmd.add("--add-exports");
        cmd.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        String checked = System.getProperty("redjar.memory.checked");
        if (checked != null) {
            cmd.add("-Dredjar.memory.checked=" + checked);
        }
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith("redjar.fuzz.")) {
                cmd.add("-D" + name + "=" + System.getProperty(name));
            }
        }
        cmd.add("-XX:ErrorFile=target/hs_err_child_pid%p.log");
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Process p = pb.start();
        ArrayDeque<String> tail = new ArrayDeque<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (!line.startsWith("> ")) {
                        System.out.println("  [child] " + line);
                    }
                    synchronized (tail) {
                        if (tail.size() == tailLines) {
                            tail.removeFirst();
                        }
                        tail.addLast(line);
                    }
                }
            } catch (IOException e) {
                // the child went away
            }
        }, "child-jvm-output");
        reader.setDaemon(true);
        reader.start();
        boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!done) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        reader.join(5000);
        String commandLine = String.join(" ", cmd).replace(System.getProperty("java.class.path"), "<test classpath>");
        synchronized (tail) {
            return new Result(done ? p.exitValue() : -1, !done, String.join("\n", tail), commandLine);
        }
    }
}
