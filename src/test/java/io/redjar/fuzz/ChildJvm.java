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
import java.util.function.Consumer;

/**
 * Runs a main class of the test classpath in a child JVM (this JVM's {@code java}, classpath and
 * the flags the tests use, plus any {@code -Dredjar.memory.checked} and {@code -Dredjar.fuzz.*}
 * given to this JVM), so that a crash there (SIGSEGV, exit 134) fails a test instead of killing
 * the build. Echoes the child's output and keeps its tail for the failure message.
 */
public final class ChildJvm {
    /** What the child did. */
    public record Result(int exitCode, boolean timedOut, String tail, String commandLine) {
        /** @return a failure message: exit code, the command line, and the child's last lines */
        public String describe() {
            return (timedOut ? "child JVM timed out" : "child JVM exited with " + exitCode
                + (exitCode == 134 ? " (SIGABRT: a JVM crash, see target/hs_err_child_pid*.log)"
                : exitCode == 139 ? " (SIGSEGV)" : exitCode == 3 ? " (a hang)" : ""))
                + "\ncommand: " + commandLine + "\n---- child output (tail) ----\n" + tail;
        }
    }

    /** A running child: its process and its output so far. */
    public static final class Child {
        private final Process process;
        private final ArrayDeque<String> tail = new ArrayDeque<>();
        private final int tailLines;
        private final Thread reader;
        private final String commandLine;

        Child(List<String> cmd, int tailLines, Consumer<String> onLine) throws IOException {
            this.tailLines = tailLines;
            this.commandLine = String.join(" ", cmd).replace(System.getProperty("java.class.path"), "<test classpath>");
            this.process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            this.reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        if (!line.startsWith("> ")) {
                            System.out.println("  [child] " + line);
                        }
                        synchronized (tail) {
                            if (tail.size() == this.tailLines) {
                                tail.removeFirst();
                            }
                            tail.addLast(line);
                        }
                        if (onLine != null) {
                            onLine.accept(line);
                        }
                    }
                } catch (IOException e) {
                    // the child went away
                }
            }, "child-jvm-output");
            reader.setDaemon(true);
            reader.start();
        }

        /** @return the child process (write to its stdin, check it is alive) */
        public Process process() {
            return process;
        }

        /** @return its last lines of output */
        public String tail() {
            synchronized (tail) {
                return String.join("\n", tail);
            }
        }

        /** Waits for the child to exit (kills it after {@code timeout}). */
        public Result await(Duration timeout) throws InterruptedException {
            boolean done = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            reader.join(5000);
            return new Result(done ? process.exitValue() : -1, !done, tail(), commandLine);
        }
    }

    private ChildJvm() {
    }

    /** @return the command line that runs {@code mainClass} in a child JVM */
    public static List<String> command(String mainClass, List<String> jvmArgs, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        cmd.add("--add-exports");
        cmd.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        if (Runtime.version().feature() >= 24) {
            // as the test JVM (the parent pom's jdk24-plus profile): no native-access warning from Netty's epoll
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        if (System.getProperty("io.netty.noUnsafe") != null) {
            cmd.add("-Dio.netty.noUnsafe=" + System.getProperty("io.netty.noUnsafe"));
        }
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
        return cmd;
    }

    /** Starts a child; {@code onLine} (may be null) sees each line of its output. */
    public static Child start(String mainClass, List<String> jvmArgs, List<String> args, int tailLines,
                              Consumer<String> onLine) throws IOException {
        return new Child(command(mainClass, jvmArgs, args), tailLines, onLine);
    }

    /**
     * Runs a child to completion.
     *
     * @param timeout   killed after this long
     * @param tailLines how many of the child's last lines to keep
     */
    public static Result run(String mainClass, List<String> jvmArgs, List<String> args, Duration timeout, int tailLines)
        throws IOException, InterruptedException {
        return start(mainClass, jvmArgs, args, tailLines, null).await(timeout);
    }
}
