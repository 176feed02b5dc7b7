package io.redjar.diff;

import io.redjar.Reply;
import io.redjar.Session;
import io.redjar.Store;
import io.redjar.testing.DifferentialRunner;
import io.redjar.testing.RequiresRedis;
import io.redjar.testing.RespClient;
import io.redjar.testing.Step;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LATENCY and the latency settings compared with redis-server where the replies do not depend on
 * timing (errors, HELP, unknown events, HISTOGRAM of unknown or uncalled commands, the
 * percentile setting's validation), and the parts that do depend on timing checked by shape:
 * HISTOGRAM counts every call, a command over {@code latency-monitor-threshold} becomes a
 * {@code command} event in LATEST, HISTORY and GRAPH, and RESET forgets it.
 */
@RequiresRedis
class LatencyCommandsDifferentialTest {

    static List<Step> steps() {
        List<Step> s = new ArrayList<>();
        s.add(Step.of("LATENCY"));
        s.add(Step.of("LATENCY", "foo"));
        s.add(Step.of("LATENCY", "HELP"));
        s.add(Step.of("LATENCY", "HISTORY"));
        s.add(Step.of("LATENCY", "LATEST", "x"));
        s.add(Step.of("LATENCY", "DOCTOR", "x"));
        s.add(Step.of("LATENCY", "HISTORY", "nosuch-event"));
        s.add(Step.of("LATENCY", "GRAPH", "nosuch-event"));
        s.add(Step.of("LATENCY", "RESET", "nosuch-event", "other"));
        s.add(Step.of("CONFIG", "RESETSTAT"));
        s.add(Step.of("LATENCY", "HISTOGRAM", "nosuch", "zadd"));
        s.add(Step.of("CONFIG", "SET", "latency-tracking-info-percentiles", "50 x"));
        s.add(Step.of("CONFIG", "SET", "latency-tracking-info-percentiles", "50 101"));
        s.add(Step.of("CONFIG", "SET", "latency-tracking-info-percentiles", "-1"));
        s.add(Step.of("CONFIG", "SET", "latency-tracking-info-percentiles", "50 99.9 0"));
        s.add(Step.of("CONFIG", "GET", "latency-tracking-info-percentiles"));
        s.add(Step.of("CONFIG", "SET", "latency-tracking-info-percentiles", "50 99 99.9"));
        s.add(Step.of("CONFIG", "SET", "latency-monitor-threshold", "-1"));
        s.add(Step.of("CONFIG", "GET", "latency-monitor-threshold"));
        s.add(Step.of("CONFIG", "GET", "latency-tracking"));
        s.add(Step.of("COMMAND", "INFO", "latency|histogram", "latency|reset").unordered());
        return s;
    }

    @Test
    void againstRedis(RespClient redis) {
        try (Store store = Store.open()) {
            Session session = store.newSession();
            session.protocol(3);
            new DifferentialRunner(redis, session::execute).run(steps());
        }
    }

    @Test
    void histogramCountsCallsAndTheMonitorRecordsSlowCommands() {
        try (Store store = Store.open()) {
            store.execute("CONFIG", "RESETSTAT");
            store.execute("SET", "a", "1");
            store.execute("SET", "b", "1");
            store.execute("GET", "a");
            List<Reply> h = ((Reply.Map) store.execute("LATENCY", "HISTOGRAM", "set", "get")).flat();
            assertEquals(4, h.size());
            assertEquals(Reply.bulk("set"), h.get(0));
            List<Reply> set = ((Reply.Map) h.get(1)).flat();
            assertEquals(List.of(Reply.bulk("calls"), Reply.integer(2)), set.subList(0, 2));
            assertEquals(Reply.bulk("histogram_usec"), set.get(2));
            List<Reply> buckets = ((Reply.Map) set.get(3)).flat();
            assertEquals(Reply.integer(2), buckets.get(buckets.size() - 1), "the last bucket is cumulative: every call");
            String info = ((Reply.Verbatim) store.execute("INFO", "latencystats")).text();
            assertTrue(info.contains("latency_percentiles_usec_set:p50="), info);

            store.execute("CONFIG", "SET", "latency-monitor-threshold", "1");
            store.execute("DEBUG", "SLEEP", "0.02");
            List<Reply> latest = ((Reply.ArrayReply) store.execute("LATENCY", "LATEST")).elements();
            assertEquals(1, latest.size());
            List<Reply> ev = ((Reply.ArrayReply) latest.get(0)).elements();
            assertEquals(Reply.bulk("command"), ev.get(0));
            assertTrue(((Reply.IntegerReply) ev.get(2)).value() >= 20, ev.toString());
            assertEquals(1, ((Reply.ArrayReply) store.execute("LATENCY", "HISTORY", "command")).elements().size());
            String graph = ((Reply.Verbatim) store.execute("LATENCY", "GRAPH", "command")).text();
            assertTrue(graph.startsWith("command - high "), graph);
            assertTrue(graph.contains("\n" + "-".repeat(80) + "\n"), graph);
            String doctor = ((Reply.Verbatim) store.execute("LATENCY", "DOCTOR")).text();
            assertTrue(doctor.contains("1. command: 1 latency spikes"), doctor);
            assertEquals(Reply.integer(1), store.execute("LATENCY", "RESET"));
            assertEquals(0, ((Reply.ArrayReply) store.execute("LATENCY", "LATEST")).elements().size());
        }
    }
}
