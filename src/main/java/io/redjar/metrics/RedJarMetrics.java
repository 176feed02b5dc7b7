package io.redjar.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.redjar.Store;
import io.redjar.internal.Engine;
import io.redjar.internal.Internals;
import io.redjar.internal.command.ExecContext;
import io.redjar.internal.command.InfoCommand;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A Micrometer {@link MeterBinder} for a {@link Store}: the figures Redis's INFO reports, under
 * Micrometer names, so a Prometheus scrape (or any registry) shows what {@code redis_exporter}
 * would show for a redis-server. Micrometer is an optional dependency of RedJar: add
 * {@code io.micrometer:micrometer-core} to use this class.
 *
 * <pre>{@code
 * Store store = Store.open();
 * RedJarMetrics metrics = new RedJarMetrics(store);
 * metrics.bindTo(registry);             // e.g. Spring Boot's MeterRegistry, or a PrometheusMeterRegistry
 * ...
 * metrics.close();                      // stops the refresh of per-command meters
 * }</pre>
 *
 * <h2>Meters</h2>
 * <table>
 *   <caption>Meters and their INFO fields</caption>
 *   <tr><th>meter</th><th>type</th><th>INFO field</th></tr>
 *   <tr><td>{@code redjar.commands.processed}</td><td>counter</td><td>{@code total_commands_processed}</td></tr>
 *   <tr><td>{@code redjar.keyspace.hits}, {@code redjar.keyspace.misses}</td><td>counters</td><td>{@code keyspace_hits}, {@code keyspace_misses}</td></tr>
 *   <tr><td>{@code redjar.keys.evicted}, {@code redjar.keys.expired}</td><td>counters</td><td>{@code evicted_keys}, {@code expired_keys}</td></tr>
 *   <tr><td>{@code redjar.errors}</td><td>counter</td><td>{@code total_error_replies}</td></tr>
 *   <tr><td>{@code redjar.connections.received}</td><td>counter</td><td>{@code total_connections_received}</td></tr>
 *   <tr><td>{@code redjar.memory.used}, {@code redjar.memory.rss}, {@code redjar.memory.max} (bytes)</td><td>gauges</td><td>{@code used_memory}, {@code used_memory_rss}, {@code maxmemory}</td></tr>
 *   <tr><td>{@code redjar.clients.connected}, {@code redjar.clients.blocked}</td><td>gauges</td><td>{@code connected_clients}, {@code blocked_clients}</td></tr>
 *   <tr><td>{@code redjar.keys} (tag {@code db}), {@code redjar.keys.expiring} (tag {@code db})</td><td>gauges</td><td>{@code dbN:keys=..,expires=..}</td></tr>
 *   <tr><td>{@code redjar.command.calls}, {@code redjar.command.time} (seconds) (tag {@code command})</td><td>counters</td><td>{@code cmdstat_*:calls=..,usec=..}</td></tr>
 *   <tr><td>{@code redjar.command.failed}, {@code redjar.command.rejected} (tag {@code command})</td><td>counters</td><td>{@code cmdstat_*:failed_calls=..,rejected_calls=..}</td></tr>
 *   <tr><td>{@code redjar.command.latency} (seconds, tags {@code command}, {@code quantile})</td><td>gauge</td><td>{@code latency_percentiles_usec_*}</td></tr>
 * </table>
 * Per-command meters exist for the commands that have run (a command's first call adds them, at
 * the next refresh: every 10 seconds, or {@link #refresh()}), so an idle store does not export
 * hundreds of zero series. Over RESP the connection figures are the server's; for an embedded
 * store without the RESP module they stay 0.
 *
 * <p>Each read takes one INFO rendering, cached for 500 ms so that one scrape reads it once. The
 * rendering is not a command: it is not counted in the figures above.
 *
 * <p><b>Thread-safety:</b> thread-safe.
 */
public final class RedJarMetrics implements MeterBinder, AutoCloseable {
    /** How long one INFO rendering serves reads. */
    private static final long CACHE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final byte[][] INFO_ALL = {b("INFO"), b("all")};

    private final Store store;
    private final Tags tags;
    private final Set<String> boundCommands = ConcurrentHashMap.newKeySet();
    private final Set<String> boundDbs = ConcurrentHashMap.newKeySet();
    private volatile MeterRegistry registry;
    private volatile ScheduledExecutorService refresher;
    private volatile Snapshot snapshot;

    /** @param store the store to report on */
    public RedJarMetrics(Store store) {
        this(store, Tags.empty());
    }

    /**
     * @param store the store to report on
     * @param tags  tags added to every meter (e.g. the store's name when an application has several)
     */
    public RedJarMetrics(Store store, Iterable<Tag> tags) {
        this.store = Objects.requireNonNull(store, "store");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
    }

    @Override
    public void bindTo(MeterRegistry r) {
        this.registry = Objects.requireNonNull(r, "registry");
        counter(r, "redjar.commands.processed", "total_commands_processed", "Commands processed");
        counter(r, "redjar.keyspace.hits", "keyspace_hits", "Successful lookups of keys");
        counter(r, "redjar.keyspace.misses", "keyspace_misses", "Failed lookups of keys");
        counter(r, "redjar.keys.evicted", "evicted_keys", "Keys evicted because of maxmemory");
        counter(r, "redjar.keys.expired", "expired_keys", "Keys deleted by expiry");
        counter(r, "redjar.errors", "total_error_replies", "Error replies");
        counter(r, "redjar.connections.received", "total_connections_received", "Connections accepted");
        gauge(r, "redjar.memory.used", "used_memory", "bytes", "Memory used by the data set (Redis's used_memory)");
        gauge(r, "redjar.memory.rss", "used_memory_rss", "bytes", "Resident set size of the process");
        gauge(r, "redjar.memory.max", "maxmemory", "bytes", "maxmemory (0: no limit)");
        gauge(r, "redjar.clients.connected", "connected_clients", null, "Connected clients");
        gauge(r, "redjar.clients.blocked", "blocked_clients", null, "Clients blocked on keys");
        refresh();
        if (refresher == null) {
            ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(t -> {
                Thread th = new Thread(t, "redjar-metrics");
                th.setDaemon(true);
                return th;
            });
            s.scheduleWithFixedDelay(() -> {
                try {
                    refresh();
                } catch (RuntimeException e) {
                    // a closed store: nothing to report any more
                }
            }, 10, 10, TimeUnit.SECONDS);
            refresher = s;
        }
    }

    /**
     * Adds the meters of commands that have run and of databases that have keys since the last
     * refresh (done every 10 seconds once bound).
     */
    public void refresh() {
        MeterRegistry r = registry;
        if (r == null) {
            return;
        }
        Snapshot s = read(true);
        for (String cmd : s.commands.keySet()) {
            if (boundCommands.add(cmd)) {
                Tags t = tags.and("command", cmd);
                FunctionCounter.builder("redjar.command.calls", this, m -> m.commandField(cmd, "calls"))
                    .tags(t).description("Calls of the command").register(r);
                FunctionCounter.builder("redjar.command.time", this, m -> m.commandField(cmd, "usec") / 1e6)
                    .tags(t).baseUnit("seconds").description("Time spent in the command").register(r);
                FunctionCounter.builder("redjar.command.failed", this, m -> m.commandField(cmd, "failed_calls"))
                    .tags(t).description("Calls that failed while running").register(r);
                FunctionCounter.builder("redjar.command.rejected", this, m -> m.commandField(cmd, "rejected_calls"))
                    .tags(t).description("Calls rejected before running").register(r);
            }
        }
        for (Map.Entry<String, Map<String, Double>> e : s.latencies.entrySet()) {
            String cmd = e.getKey();
            for (String q : e.getValue().keySet()) {
                if (boundCommands.add(cmd + "/" + q)) {
                    Gauge.builder("redjar.command.latency", this, m -> m.latency(cmd, q) / 1e6)
                        .tags(tags.and("command", cmd, "quantile", q.substring(1)))
                        .baseUnit("seconds").description("Latency percentile of the command").register(r);
                }
            }
        }
        for (String db : s.dbs.keySet()) {
            if (boundDbs.add(db)) {
                Gauge.builder("redjar.keys", this, m -> m.dbField(db, "keys"))
                    .tags(tags.and("db", db)).description("Keys in the database").register(r);
                Gauge.builder("redjar.keys.expiring", this, m -> m.dbField(db, "expires"))
                    .tags(tags.and("db", db)).description("Keys with a TTL in the database").register(r);
            }
        }
    }

    /** Stops the periodic refresh (the meters stay registered, reading 0 once the store is closed). */
    @Override
    public void close() {
        ScheduledExecutorService s = refresher;
        if (s != null) {
            s.shutdownNow();
        }
    }

    private void counter(MeterRegistry r, String name, String field, String description) {
        FunctionCounter.builder(name, this, m -> m.field(field)).tags(tags).description(description).register(r);
    }

    private void gauge(MeterRegistry r, String name, String field, String unit, String description) {
        Gauge.Builder<RedJarMetrics> g = Gauge.builder(name, this, m -> m.field(field)).tags(tags).description(description);
        if (unit != null) {
            g.baseUnit(unit);
        }
        g.register(r);
    }

    private double field(String name) {
        Double v = read().fields.get(name);
        return v == null ? 0 : v;
    }

    private double commandField(String cmd, String name) {
        Map<String, Double> m = read().commands.get(cmd);
        Double v = m == null ? null : m.get(name);
        return v == null ? 0 : v;
    }

    private double latency(String cmd, String q) {
        Map<String, Double> m = read().latencies.get(cmd);
        Double v = m == null ? null : m.get(q);
        return v == null ? 0 : v;
    }

    private double dbField(String db, String name) {
        Map<String, Double> m = read().dbs.get(db);
        Double v = m == null ? null : m.get(name);
        return v == null ? 0 : v;
    }

    /** The parsed INFO figures of one moment. */
    private record Snapshot(long nanos, Map<String, Double> fields, Map<String, Map<String, Double>> commands,
                            Map<String, Map<String, Double>> latencies, Map<String, Map<String, Double>> dbs) {
    }

    private Snapshot read() {
        return read(false);
    }

    private Snapshot read(boolean fresh) {
        Snapshot s = snapshot;
        long now = System.nanoTime();
        if (!fresh && s != null && now - s.nanos < CACHE_NANOS) {
            return s;
        }
        String text;
        try {
            Engine engine = Internals.engine(store);
            text = InfoCommand.info(new ExecContext(engine, 0), INFO_ALL);
        } catch (RuntimeException e) {
            text = ""; // a closed store
        }
        s = parse(now, text);
        snapshot = s;
        return s;
    }

    /** Parses INFO's text: {@code name:value} lines, and the {@code a=1,b=2} values of the per-command and per-db ones. */
    static Snapshot parse(long nanos, String text) {
        Map<String, Double> fields = new HashMap<>();
        Map<String, Map<String, Double>> commands = new HashMap<>();
        Map<String, Map<String, Double>> latencies = new HashMap<>();
        Map<String, Map<String, Double>> dbs = new HashMap<>();
        for (String line : text.split("\r\n")) {
            int colon = line.indexOf(':');
            if (line.isEmpty() || line.charAt(0) == '#' || colon < 0) {
                continue;
            }
            String name = line.substring(0, colon);
            String value = line.substring(colon + 1);
            if (name.startsWith("cmdstat_")) {
                commands.put(name.substring("cmdstat_".length()), pairs(value));
            } else if (name.startsWith("latency_percentiles_usec_")) {
                latencies.put(name.substring("latency_percentiles_usec_".length()), pairs(value));
            } else if (name.startsWith("db") && value.startsWith("keys=")) {
                dbs.put(name.substring(2), pairs(value));
            } else {
                try {
                    fields.put(name, Double.parseDouble(value));
                } catch (NumberFormatException notANumber) {
                    // text fields (versions, policies) are not meters
                }
            }
        }
        return new Snapshot(nanos, fields, commands, latencies, dbs);
    }

    private static Map<String, Double> pairs(String value) {
        Map<String, Double> m = new HashMap<>();
        for (String kv : value.split(",")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                try {
                    m.put(kv.substring(0, eq), Double.parseDouble(kv.substring(eq + 1)));
                } catch (NumberFormatException ignored) {
                    // not a number
                }
            }
        }
        return m;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
