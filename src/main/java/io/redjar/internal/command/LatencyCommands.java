package io.redjar.internal.command;

import io.redjar.RedJarException;
import io.redjar.Reply;
import io.redjar.internal.server.CommandStats;
import io.redjar.internal.server.LatencyMonitor;
import io.redjar.internal.server.ServerConfig;
import io.redjar.internal.server.ServerState;
import org.HdrHistogram.AtomicHistogram;
import org.HdrHistogram.HistogramIterationValue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.redjar.internal.command.CommandFlag.ADMIN;
import static io.redjar.internal.command.CommandFlag.LOADING;
import static io.redjar.internal.command.CommandFlag.NOSCRIPT;
import static io.redjar.internal.command.CommandFlag.STALE;

/**
 * LATENCY LATEST / HISTORY / RESET / GRAPH / DOCTOR / HISTOGRAM / HELP (Redis 7.0's
 * {@code latency.c}), over the {@link LatencyMonitor} (events {@code command},
 * {@code fast-command}, {@code expire-cycle}, sampled when {@code latency-monitor-threshold} is
 * reached) and the per-command histograms of {@link CommandStats}. The replies, the GRAPH
 * rendering (a four-row sparkline, 80 columns, labelled with each sample's age) and the DOCTOR
 * report follow Redis's; DOCTOR only gives the advice that applies to the events RedJar has.
 *
 * <p><b>Thread-safety:</b> stateless.
 */
public final class LatencyCommands {
    private static final String G = "server";
    private static final int GRAPH_COLS = 80;
    private static final int GRAPH_ROWS = 4;
    private static final String CHARSET_FILL = "_o#";

    private LatencyCommands() {
    }

    public static void register(CommandTable t) {
        String[] tips = {"nondeterministic_output", "request_policy:all_nodes", "response_policy:special"};
        t.add("latency", -2).doc(G, "A container for latency diagnostics commands").handler((c, a) -> {
            throw new IllegalStateException("container command");
        });
        t.addSub("latency", "latest", 2).flags(ADMIN, NOSCRIPT, LOADING, STALE).tips(tips)
            .doc(G, "Return the latest latency samples for all events")
            .handler((c, a) -> {
                List<Reply> out = new ArrayList<>();
                for (LatencyMonitor.Latest l : monitor(c).latest()) {
                    out.add(Reply.array(Reply.bulk(l.event()), Reply.integer(l.time()), Reply.integer(l.latencyMs()),
                        Reply.integer(l.maxMs())));
                }
                return Reply.array(out);
            });
        t.addSub("latency", "history", 3).flags(ADMIN, NOSCRIPT, LOADING, STALE).tips(tips)
            .doc(G, "Return timestamp-latency samples for the event")
            .handler((c, a) -> {
                List<Reply> out = new ArrayList<>();
                for (LatencyMonitor.Sample s : monitor(c).history(str(a[2]))) {
                    out.add(Reply.array(Reply.integer(s.time()), Reply.integer(s.latencyMs())));
                }
                return Reply.array(out);
            });
        t.addSub("latency", "reset", -2).flags(ADMIN, NOSCRIPT, LOADING, STALE)
            .tips("request_policy:all_nodes", "response_policy:all_succeeded")
            .doc(G, "Reset latency data for one or more events")
            .handler((c, a) -> {
                List<String> names = new ArrayList<>();
                for (int i = 2; i < a.length; i++) {
                    names.add(str(a[i]));
                }
                return Reply.integer(monitor(c).reset(names));
            });
        t.addSub("latency", "graph", 3).flags(ADMIN, NOSCRIPT, LOADING, STALE).tips(tips)
            .doc(G, "Return a latency graph for the event")
            .handler((c, a) -> {
                String event = str(a[2]);
                List<LatencyMonitor.Sample> samples = monitor(c).history(event);
                if (samples.isEmpty()) {
                    throw new RedJarException("ERR No samples available for event '" + event + "'");
                }
                return new Reply.Verbatim("txt", graph(event, samples, monitor(c).max(event), System.currentTimeMillis() / 1000));
            });
        t.addSub("latency", "doctor", 2).flags(ADMIN, NOSCRIPT, LOADING, STALE).tips(tips)
            .doc(G, "Return a human readable latency analysis report")
            .handler((c, a) -> new Reply.Verbatim("txt", doctor(c.engine().server(), System.currentTimeMillis() / 1000)));
        t.addSub("latency", "histogram", -2).flags(ADMIN, NOSCRIPT, LOADING, STALE).tips(tips)
            .doc(G, "Return the cumulative distribution of latencies of a subset of commands or all commands")
            .handler((c, a) -> histogram(c, a));
        t.addSub("latency", "help", 2).flags(LOADING, STALE)
            .doc(G, "Show helpful text about the different subcommands")
            .handler((c, a) -> KeyCommands.help("LATENCY",
                "DOCTOR",
                "    Return a human readable latency analysis report.",
                "GRAPH <event>",
                "    Return an ASCII latency graph for the <event> class.",
                "HISTORY <event>",
                "    Return time-latency samples for the <event> class.",
                "LATEST",
                "    Return the latest latency samples for all events.",
                "RESET [<event> ...]",
                "    Reset latency data of one or more <event> classes.",
                "    (default: reset all data for all event classes)",
                "HISTOGRAM [COMMAND ...]",
                "    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
                "    If no commands are specified then all histograms are replied."));
    }

    private static LatencyMonitor monitor(ExecContext c) {
        return c.engine().server().latency();
    }

    private static String str(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    // ---- HISTOGRAM -----------------------------------------------------------------------

    private static Reply histogram(ExecContext c, byte[][] a) {
        CommandTable table = c.engine().table();
        Map<String, CommandSpec> picked = new LinkedHashMap<>();
        if (a.length == 2) {
            for (CommandSpec s : table.all()) {
                addWithSubcommands(picked, s);
            }
        } else {
            for (int i = 2; i < a.length; i++) {
                String name = str(a[i]).toLowerCase(Locale.ROOT);
                int bar = name.indexOf('|');
                CommandSpec s = table.lookup(bar < 0 ? name : name.substring(0, bar));
                if (s == null) {
                    continue; // Redis skips names it does not know
                }
                if (bar < 0) {
                    addWithSubcommands(picked, s);
                } else {
                    CommandSpec sub = s.subcommands() == null ? null : s.subcommands().get(name.substring(bar + 1));
                    if (sub != null) {
                        picked.put(sub.fullName(), sub);
                    }
                }
            }
        }
        List<Reply> out = new ArrayList<>();
        for (CommandSpec s : picked.values()) {
            AtomicHistogram h = s.stats().histogram();
            if (h == null) {
                continue;
            }
            out.add(Reply.bulk(s.fullName()));
            out.add(cdf(h));
        }
        return new Reply.Map(out);
    }

    private static void addWithSubcommands(Map<String, CommandSpec> picked, CommandSpec s) {
        if (s.subcommands() != null && !s.subcommands().isEmpty()) {
            for (CommandSpec sub : s.subcommands().values()) {
                picked.put(sub.fullName(), sub);
            }
        } else {
            picked.put(s.fullName(), s);
        }
    }

    /**
     * One command's cumulative distribution as Redis's {@code fillCommandCDF} gives it: the call
     * count, then for each power-of-two bucket from 1024 ns where the cumulative count grew, the
     * bucket's highest value in microseconds and the cumulative count.
     */
    private static Reply cdf(AtomicHistogram live) {
        // a snapshot: HdrHistogram's iterators throw ConcurrentModificationException when other
        // threads record into the histogram while it is walked
        org.HdrHistogram.Histogram h = new org.HdrHistogram.Histogram(live.getLowestDiscernibleValue(),
            live.getHighestTrackableValue(), live.getNumberOfSignificantValueDigits());
        h.add(live);
        List<Reply> buckets = new ArrayList<>();
        long previous = 0;
        for (HistogramIterationValue v : h.logarithmicBucketValues(1024, 2)) {
            long cumulative = v.getTotalCountToThisValue();
            if (cumulative > previous) {
                buckets.add(Reply.integer(h.highestEquivalentValue(v.getValueIteratedTo()) / 1000));
                buckets.add(Reply.integer(cumulative));
            }
            previous = cumulative;
        }
        return new Reply.Map(List.of(Reply.bulk("calls"), Reply.integer(h.getTotalCount()),
            Reply.bulk("histogram_usec"), new Reply.Map(buckets)));
    }

    // ---- GRAPH ---------------------------------------------------------------------------

    /** Redis's latency graph: a title, a rule, and a sparkline of the samples with their ages. */
    static String graph(String event, List<LatencyMonitor.Sample> samples, long allTimeMax, long nowSec) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        long[] values = new long[samples.size()];
        String[] labels = new String[samples.size()];
        for (int i = 0; i < values.length; i++) {
            LatencyMonitor.Sample s = samples.get(i);
            values[i] = s.latencyMs();
            min = Math.min(min, values[i]);
            max = Math.max(max, values[i]);
            long elapsed = nowSec - s.time();
            labels[i] = elapsed < 60 ? elapsed + "s" : elapsed < 3600 ? elapsed / 60 + "m"
                : elapsed < 86400 ? elapsed / 3600 + "h" : elapsed / 86400 + "d";
        }
        StringBuilder sb = new StringBuilder();
        sb.append(event).append(" - high ").append(max).append(" ms, low ").append(min)
            .append(" ms (all time high ").append(allTimeMax).append(" ms)\n");
        sb.append("-".repeat(GRAPH_COLS)).append('\n');
        for (int from = 0; from < values.length; from += GRAPH_COLS) {
            if (from != 0) {
                sb.append('\n');
            }
            sparkline(sb, values, labels, from, Math.min(GRAPH_COLS, values.length - from), min, max);
        }
        return sb.toString();
    }

    /**
     * Renders columns {@code from .. from+len} in {@link #GRAPH_ROWS} rows of filled bar
     * characters (each row three steps: {@code _ o #}, with {@code |} below the top of a bar),
     * a blank line, then each column's label written downwards.
     */
    private static void sparkline(StringBuilder sb, long[] values, String[] labels, int from, int len, long min, long max) {
        double relmax = max - min == 0 ? 1 : max - min;
        int steps = CHARSET_FILL.length() * GRAPH_ROWS;
        char[] chars = new char[len];
        for (int row = 0; ; row++) {
            boolean any = false;
            java.util.Arrays.fill(chars, ' ');
            if (row < GRAPH_ROWS) {
                any = true;
                for (int j = 0; j < len; j++) {
                    int step = (int) ((values[from + j] - min) * steps / relmax);
                    step = Math.max(0, Math.min(steps - 1, step));
                    int charIdx = step - (GRAPH_ROWS - row - 1) * CHARSET_FILL.length();
                    if (charIdx >= 0 && charIdx < CHARSET_FILL.length()) {
                        chars[j] = CHARSET_FILL.charAt(charIdx);
                    } else if (charIdx >= CHARSET_FILL.length()) {
                        chars[j] = '|';
                    }
                }
            } else if (row == GRAPH_ROWS) {
                any = true; // the blank line between the bars and the labels
            } else {
                int labelChar = row - GRAPH_ROWS - 1;
                for (int j = 0; j < len; j++) {
                    String label = labels[from + j];
                    if (label.length() > labelChar) {
                        any = true;
                        chars[j] = label.charAt(labelChar);
                    }
                }
            }
            if (!any) {
                return;
            }
            sb.append(chars).append('\n');
        }
    }

    // ---- DOCTOR --------------------------------------------------------------------------

    /** Redis's latency report, with the advice that applies to RedJar's events. */
    static String doctor(ServerState server, long nowSec) {
        LatencyMonitor m = server.latency();
        ServerConfig cfg = server.config();
        List<String> events = m.events();
        if (events.isEmpty() && cfg.latencyMonitorThreshold() == 0) {
            return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use "
                + "\"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep "
                + "space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n";
        }
        if (events.isEmpty()) {
            return "Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. "
                + "I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n";
        }
        StringBuilder sb = new StringBuilder(
            "Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n");
        boolean slowlogEnabled = false;
        boolean slowlogTuning = false;
        boolean slowlogInspect = false;
        boolean scheduler = false;
        boolean hz = false;
        boolean largeObjects = false;
        int n = 0;
        for (String event : events) {
            List<LatencyMonitor.Sample> samples = m.history(event);
            if (samples.isEmpty()) {
                continue;
            }
            n++;
            long sum = 0;
            long oldest = Long.MAX_VALUE;
            for (LatencyMonitor.Sample s : samples) {
                sum += s.latencyMs();
                oldest = Math.min(oldest, s.time());
            }
            long avg = sum / samples.size();
            long period = Math.max(1, nowSec - oldest);
            long dev = 0;
            for (LatencyMonitor.Sample s : samples) {
                dev += Math.abs(avg - s.latencyMs());
            }
            long mad = dev / samples.size();
            sb.append(String.format(Locale.ROOT,
                "%d. %s: %d latency spikes (average %dms, mean deviation %dms, period %.2f sec). Worst all time event %dms.",
                n, event, samples.size(), avg, mad, (double) period / samples.size(), m.max(event)));
            switch (event) {
                case "command" -> {
                    long slower = cfg.slowlogLogSlowerThan();
                    if (slower == 0) {
                        slowlogEnabled = true;
                    } else if (slower / 1000 > cfg.latencyMonitorThreshold()) {
                        slowlogTuning = true;
                    }
                    slowlogInspect = true;
                    largeObjects = true;
                }
                case "fast-command" -> scheduler = true;
                case "expire-cycle" -> {
                    hz = true;
                    largeObjects = true;
                }
                default -> {
                }
            }
            sb.append('\n');
        }
        long threshold = cfg.latencyMonitorThreshold();
        boolean advice = slowlogEnabled || slowlogTuning || slowlogInspect || scheduler || hz || largeObjects;
        if (!advice) {
            return sb.append("\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use the "
                + "Redis community to get some help, providing this report in your help request.\n").toString();
        }
        sb.append("\nI have a few advices for you:\n\n");
        if (slowlogEnabled) {
            sb.append("- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log "
                + "Redis feature using the command 'CONFIG SET slowlog-log-slower-than ").append(threshold * 1000)
                .append("'. If the Slow log is disabled Redis is not able to log slow commands execution for you.\n");
        }
        if (slowlogTuning) {
            sb.append("- Your current Slow Log configuration only logs events that are slower than your configured latency "
                + "monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than ").append(threshold * 1000).append("'.\n");
        }
        if (slowlogInspect) {
            sb.append("- Check your Slow Log to understand what are the commands you are running which are too slow to "
                + "execute. Please check https://redis.io/commands/slowlog for more information.\n");
        }
        if (scheduler) {
            sb.append("- The system is slow to execute Redis code paths not containing system calls. This usually means the "
                + "system does not provide Redis CPU time to run for long periods. You should try to:\n"
                + "  1) Lower the system load.\n"
                + "  2) Use a computer / VM just for Redis if you are running other software in the same system.\n"
                + "  3) Check if you have a \"noisy neighbour\" problem.\n"
                + "  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your system.\n");
        }
        if (hz && Long.parseLong(cfg.get("hz")) < 100) {
            sb.append("- In order to make the Redis keys expiring process more incremental, try to set the 'hz' "
                + "configuration parameter to 100 using 'CONFIG SET hz 100'.\n");
        }
        if (largeObjects) {
            sb.append("- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. "
                + "If you have very large objects that are often deleted, expired, or evicted, try to fragment those "
                + "objects into multiple smaller objects.\n");
        }
        return sb.toString();
    }
}
