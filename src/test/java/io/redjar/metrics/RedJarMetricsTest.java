package io.redjar.metrics;

import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.redjar.Store;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A Prometheus scrape of a store's meters: names, tags and values against what the store did. */
class RedJarMetricsTest {

    @Test
    void prometheusScrapeShowsWhatTheStoreDid() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (Store store = Store.open(); RedJarMetrics metrics = new RedJarMetrics(store, Tags.of("store", "test"))) {
            metrics.bindTo(registry);
            for (int i = 0; i < 10; i++) {
                store.execute("SET", "k" + i, "v");
            }
            store.execute("SET", "t", "v", "EX", "100");
            for (int i = 0; i < 7; i++) {
                store.execute("GET", "k" + i);
            }
            store.execute("GET", "missing");
            store.execute("GET", "missing2");
            store.execute("INCR", "k1"); // an error reply
            store.execute("SELECT", "2");
            metrics.refresh(); // the commands and databases that appeared since bindTo
            String scrape = registry.scrape();
            assertEquals(11, value(scrape, "redjar_keys", "db=\"0\""), scrape);
            assertEquals(1, value(scrape, "redjar_keys_expiring", "db=\"0\""));
            assertEquals(11, value(scrape, "redjar_command_calls_total", "command=\"set\""));
            assertEquals(9, value(scrape, "redjar_command_calls_total", "command=\"get\""));
            assertEquals(1, value(scrape, "redjar_command_failed_total", "command=\"incr\""));
            assertEquals(7, value(scrape, "redjar_keyspace_hits_total", "store=\"test\""));
            assertEquals(2, value(scrape, "redjar_keyspace_misses_total", "store=\"test\""));
            assertTrue(value(scrape, "redjar_commands_processed_total", "store=\"test\"") >= 22);
            assertTrue(value(scrape, "redjar_errors_total", "store=\"test\"") >= 1);
            assertTrue(value(scrape, "redjar_memory_used_bytes", "store=\"test\"") > 0);
            assertTrue(value(scrape, "redjar_command_time_seconds_total", "command=\"set\"") > 0);
            assertTrue(scrape.contains("redjar_command_latency_seconds{command=\"get\",quantile=\"50\",store=\"test\"}"), scrape);
            // scraping renders INFO without counting it as a command
            double processed = value(scrape, "redjar_commands_processed_total", "store=\"test\"");
            store.execute("PING");
            sleepPastCache();
            assertEquals(processed + 1, value(registry.scrape(), "redjar_commands_processed_total", "store=\"test\""));
        }
    }

    private static void sleepPastCache() {
        try {
            Thread.sleep(600); // the binder caches one INFO rendering for 500 ms (not a TTL: real time)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The value of the first sample of {@code metric} whose labels contain {@code label}. */
    private static double value(String scrape, String metric, String label) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(metric) + "\\{([^}]*)\\} (\\S+)$").matcher(scrape);
        while (m.find()) {
            if (m.group(1).contains(label)) {
                return Double.parseDouble(m.group(2));
            }
        }
        throw new AssertionError(metric + "{" + label + "} not in the scrape:\n" + scrape);
    }
}
