package io.redjar.testing;

import io.redjar.Reply;
import org.opentest4j.AssertionFailedError;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Runs the same command sequence against a reference target (the real server) and a candidate
 * (RedJar), comparing every pair of replies with the step's {@link ReplyComparator}, and stops at
 * the first mismatch.
 *
 * <p>The failure ({@link AssertionFailedError}) names the step and command, shows both replies and
 * their first difference, lists the last {@link #history(int) 20} commands with the reference's
 * replies as a {@code redis-cli} script, and gives the seed with the property that replays it
 * ({@code -Dredjar.seed=...}). The whole script up to the failure is also written to
 * {@code target/differential-failures/} when a {@code target} directory exists.
 *
 * <p>A candidate that throws is reported the same way (as a mismatch whose cause is the
 * exception). Each target gets its own copy of the arguments, so a candidate that keeps or mutates
 * argument arrays cannot disturb the run. Both targets must start from the same (usually empty)
 * state; the runner does not reset them.
 *
 * <pre>{@code
 * long seed = DifferentialRunner.seedOr(42);         // -Dredjar.seed=... overrides
 * new DifferentialRunner(redis, session::execute)
 *         .run(new StringCommandGenerator(seed), 2000);
 * }</pre>
 *
 * <p><b>Thread-safety:</b> not thread-safe.
 */
public final class DifferentialRunner {

    /** System property that fixes the seed: {@code -Dredjar.seed=123}. */
    public static final String SEED_PROPERTY = "redjar.seed";
    /** Default number of commands listed in a failure. */
    public static final int DEFAULT_HISTORY = 20;

    private final Function<byte[][], Reply> reference;
    private final Function<byte[][], Reply> candidate;
    private String referenceLabel = "redis";
    private String candidateLabel = "redjar";
    private int history = DEFAULT_HISTORY;
    private OptionalLong seed = OptionalLong.empty();
    private Path failureDir = Paths.get("target", "differential-failures");

    /**
     * @param reference the target whose replies are right (usually {@code redisClient::call})
     * @param candidate the target under test (e.g. {@code session::execute})
     */
    public DifferentialRunner(Function<byte[][], Reply> reference, Function<byte[][], Reply> candidate) {
        this.reference = Objects.requireNonNull(reference, "reference");
        this.candidate = Objects.requireNonNull(candidate, "candidate");
    }

    /** Uses a real server connection as the reference. */
    public DifferentialRunner(RespClient reference, Function<byte[][], Reply> candidate) {
        this(args -> reference.call(args), candidate);
    }

    /**
     * The seed to use: {@code -Dredjar.seed} when set, else {@code fallback}. Use a fixed fallback
     * for a reproducible CI run.
     */
    public static long seedOr(long fallback) {
        return propertySeed().orElse(fallback);
    }

    /** The seed to use: {@code -Dredjar.seed} when set, else a fresh random one (more coverage per run). */
    public static long randomSeed() {
        return propertySeed().orElseGet(() -> Seeds.inCi() ? Seeds.CI_SEED : ThreadLocalRandom.current().nextLong());
    }

    private static OptionalLong propertySeed() {
        String s = System.getProperty(SEED_PROPERTY);
        if (s == null || s.isBlank()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(s.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + SEED_PROPERTY + "=" + s + " is not a long", e);
        }
    }

    /** Names the two targets in messages (default {@code redis} and {@code redjar}). */
    public DifferentialRunner labels(String referenceLabel, String candidateLabel) {
        this.referenceLabel = Objects.requireNonNull(referenceLabel);
        this.candidateLabel = Objects.requireNonNull(candidateLabel);
        return this;
    }

    /** Records the seed that produced the commands, so failures print it. */
    public DifferentialRunner seed(long seed) {
        this.seed = OptionalLong.of(seed);
        return this;
    }

    /** How many trailing commands a failure lists (default 20). */
    public DifferentialRunner history(int commands) {
        if (commands < 1) {
            throw new IllegalArgumentException("history < 1");
        }
        this.history = commands;
        return this;
    }

    /** Where failure scripts are written ({@code null}: nowhere); default {@code target/differential-failures}. */
    public DifferentialRunner failureDirectory(Path dir) {
        this.failureDir = dir;
        return this;
    }

    /** Runs {@code count} steps from {@code generator}, recording its seed. */
    public void run(CommandGenerator generator, int count) {
        seed(generator.seed());
        List<Step> steps = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            steps.add(generator.next());
        }
        run(steps);
    }

    /** Runs plain commands, compared exactly. */
    public void runCommands(List<byte[][]> commands) {
        List<Step> steps = new ArrayList<>(commands.size());
        for (byte[][] c : commands) {
            steps.add(Step.of(c));
        }
        run(steps);
    }

    /**
     * Runs {@code steps} in order.
     *
     * @throws AssertionFailedError at the first mismatch, or when a target throws
     */
    public void run(List<Step> steps) {
        List<Reply> referenceReplies = new ArrayList<>(steps.size());
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            Reply expected;
            try {
                expected = reference.apply(copy(step.argv()));
            } catch (RuntimeException e) {
                throw fail(steps, referenceReplies, i, referenceLabel + " threw " + e, e, null, null);
            }
            referenceReplies.add(expected);
            Reply actual;
            try {
                actual = candidate.apply(copy(step.argv()));
            } catch (RuntimeException | StackOverflowError e) {
                throw fail(steps, referenceReplies, i,
                        ReplyAssert.message(ReplyAssert.stepContext(i, step.argv()), referenceLabel,
                                ReplyFormat.reply(expected), candidateLabel, "threw " + e, candidateLabel + " threw"),
                        e, ReplyFormat.reply(expected), "threw " + e);
            }
            Optional<String> d;
            try {
                d = step.comparator().difference(expected, actual);
            } catch (RuntimeException e) {
                d = Optional.of("the comparator threw " + e);
            }
            if (d.isPresent()) {
                String e = ReplyFormat.reply(expected);
                String a = ReplyFormat.reply(actual);
                throw fail(steps, referenceReplies, i,
                        ReplyAssert.message(ReplyAssert.stepContext(i, step.argv()), referenceLabel, e,
                                candidateLabel, a, d.get()), null, e, a);
            }
        }
    }

    private AssertionFailedError fail(List<Step> steps, List<Reply> replies, int failed, String detail,
                                      Throwable cause, String expected, String actual) {
        String seedText = seed.isPresent()
                ? "seed=" + seed.getAsLong() + " (replay with -D" + SEED_PROPERTY + "=" + seed.getAsLong() + ")"
                : "seed=none (commands not generated from a seed)";
        StringBuilder sb = new StringBuilder();
        sb.append("Differential mismatch at step ").append(failed).append(" of ").append(steps.size())
                .append(" between ").append(referenceLabel).append(" and ").append(candidateLabel)
                .append("; ").append(seedText).append('\n');
        sb.append(detail).append('\n');
        int from = Math.max(0, failed - history + 1);
        sb.append("last ").append(failed - from + 1).append(" commands");
        if (from > 0) {
            sb.append(" (").append(from).append(" earlier ones omitted; the seed replays them all)");
        }
        sb.append(", with ").append(referenceLabel).append("'s replies:\n");
        script(sb, steps, replies, from, failed);
        Path file = writeScript(steps, replies, failed);
        if (file != null) {
            sb.append("full script: ").append(file.toAbsolutePath()).append('\n');
        }
        AssertionFailedError err = expected == null
                ? new AssertionFailedError(sb.toString(), cause)
                : new AssertionFailedError(sb.toString(), expected, actual, cause);
        return err;
    }

    private void script(StringBuilder sb, List<Step> steps, List<Reply> replies, int from, int to) {
        int width = Integer.toString(to).length();
        int commandWidth = 0;
        for (int i = from; i <= to; i++) {
            commandWidth = Math.max(commandWidth, Math.min(60, ReplyFormat.command(steps.get(i).argv()).length()));
        }
        for (int i = from; i <= to; i++) {
            String n = Integer.toString(i);
            String command = ReplyFormat.command(steps.get(i).argv());
            sb.append("  ").append(" ".repeat(width - n.length())).append(n).append("  ").append(command);
            if (i < replies.size()) {
                sb.append(" ".repeat(Math.max(0, commandWidth - command.length()))).append("  # ")
                        .append(abbreviate(ReplyFormat.reply(replies.get(i)), 100));
            }
            if (i == to) {
                sb.append("    <-- mismatch");
            }
            sb.append('\n');
        }
    }

    private Path writeScript(List<Step> steps, List<Reply> replies, int failed) {
        if (failureDir == null || failureDir.getParent() == null || !Files.isDirectory(failureDir.getParent())) {
            return null;
        }
        try {
            Files.createDirectories(failureDir);
            String name = (seed.isPresent() ? "seed-" + seed.getAsLong() : "unseeded-" + System.currentTimeMillis())
                    + "-step-" + failed + ".redis";
            StringBuilder sb = new StringBuilder();
            script(sb, steps, replies, 0, failed);
            Path f = failureDir.resolve(name);
            Files.writeString(f, sb, StandardCharsets.UTF_8);
            return f;
        } catch (IOException e) {
            return null;
        }
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    private static byte[][] copy(byte[][] argv) {
        byte[][] c = new byte[argv.length][];
        for (int i = 0; i < argv.length; i++) {
            c[i] = argv[i].clone();
        }
        return c;
    }
}
