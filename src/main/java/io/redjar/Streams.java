package io.redjar;

import io.redjar.internal.util.Preconditions;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stream commands on one database, typed: appending ({@code XADD}), reading ({@code XRANGE},
 * {@code XLEN}) and the consumer-group protocol ({@code XGROUP CREATE}, {@code XREADGROUP},
 * {@code XACK}, {@code XAUTOCLAIM}, {@code XPENDING}). Keys, groups, consumers, fields and values
 * are UTF-8 strings; ids are Redis's {@code ms-seq} strings.
 *
 * <pre>{@code
 * Streams s = store.streams();
 * String id = s.add("orders", Map.of("item", "book", "qty", "1"));
 * s.createGroup("orders", "billing", "0", true);
 * List<Streams.Entry> batch = s.readGroup("orders", "billing", "worker-1", 10, Duration.ZERO);
 * for (Streams.Entry e : batch) {
 *     bill(e.fields());
 *     s.ack("orders", "billing", e.id());
 * }
 * }</pre>
 *
 * For a worker loop with at-least-once delivery and recovery of entries left pending by dead
 * consumers, see {@link StreamWorker}.
 *
 * <p>Each method runs the command through the store's command path (the same parsing, errors,
 * propagation, statistics and keyspace events as {@link Store#execute}); Redis's errors come back
 * as {@link RedJarException} (for example {@code NOGROUP ...} when the group does not exist,
 * {@link WrongTypeException} when the key holds another type).
 *
 * <p><b>Thread-safety:</b> thread-safe; each call is one atomic command. A blocking
 * {@link #readGroup} blocks the calling thread only.
 */
public final class Streams {
    private final io.redjar.internal.Engine engine;
    private final int dbIndex;

    Streams(io.redjar.internal.Engine engine, int db) {
        this.engine = engine;
        this.dbIndex = db;
    }

    /** Runs one command on this handle's database (as {@link Database#execute(String...)}). */
    private Reply execute(String... argv) {
        return new Session(engine, dbIndex).execute(argv);
    }

    /** One stream entry: its id and its fields in order ({@code null} for an entry deleted while pending). */
    public record Entry(String id, Map<String, String> fields) {
    }

    /** XAUTOCLAIM's answer: the cursor to continue from ({@code 0-0} when done), the claimed entries, the ids dropped as deleted. */
    public record AutoClaim(String cursor, List<Entry> claimed, List<String> deleted) {
    }

    /** XPENDING's summary: the count, the smallest and largest pending ids (null when none), and per consumer its count. */
    public record Pending(long count, String min, String max, Map<String, Long> consumers) {
    }

    private Reply run(String... argv) {
        Reply r = execute(argv);
        if (r instanceof Reply.ErrorReply e) {
            String m = e.message();
            throw e.prefix() == ErrorPrefix.WRONGTYPE ? new WrongTypeException() : new RedJarException(m);
        }
        return r;
    }

    private static String str(Reply r) {
        return r instanceof Reply.Bulk b ? new String(b.value(), StandardCharsets.UTF_8) : null;
    }

    private static List<Reply> elements(Reply r) {
        if (r instanceof Reply.ArrayReply a) {
            return a.elements();
        }
        if (r instanceof Reply.Map m) {
            return m.flat();
        }
        return List.of();
    }

    private static Entry entry(Reply r) {
        List<Reply> pair = elements(r);
        if (!(pair.get(1) instanceof Reply.ArrayReply)) {
            return new Entry(str(pair.get(0)), null);
        }
        List<Reply> fv = elements(pair.get(1));
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i + 1 < fv.size(); i += 2) {
            fields.put(str(fv.get(i)), str(fv.get(i + 1)));
        }
        return new Entry(str(pair.get(0)), Collections.unmodifiableMap(fields));
    }

    private static List<Entry> entries(Reply r) {
        List<Entry> out = new ArrayList<>();
        for (Reply e : elements(r)) {
            out.add(entry(e));
        }
        return out;
    }

    private static String[] argv(List<String> a) {
        return a.toArray(new String[0]);
    }

    /** XADD key * field value ...: @return the new entry's id */
    public String add(String key, Map<String, String> fields) {
        return add(key, "*", fields);
    }

    /** XADD key id field value ...: @return the new entry's id */
    public String add(String key, String id, Map<String, String> fields) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(id, "id");
        Preconditions.noNullEntries(Preconditions.notNull(fields, "fields"), "fields");
        List<String> a = new ArrayList<>(List.of("XADD", key, id));
        fields.forEach((f, v) -> {
            a.add(f);
            a.add(v);
        });
        return str(run(argv(a)));
    }

    /** XLEN key. */
    public long length(String key) {
        Preconditions.notNull(key, "key");
        return ((Reply.IntegerReply) run("XLEN", key)).value();
    }

    /** XRANGE key start end [COUNT count] ({@code count} 0: all). */
    public List<Entry> range(String key, String start, String end, long count) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(start, "start");
        Preconditions.notNull(end, "end");
        return entries(count > 0 ? run("XRANGE", key, start, end, "COUNT", Long.toString(count)) : run("XRANGE", key, start, end));
    }

    /**
     * XGROUP CREATE key group startId [MKSTREAM].
     *
     * @return false when the group already exists (Redis's BUSYGROUP), true when created
     */
    public boolean createGroup(String key, String group, String startId, boolean mkstream) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(group, "group");
        Preconditions.notNull(startId, "startId");
        Reply r = mkstream ? execute("XGROUP", "CREATE", key, group, startId, "MKSTREAM")
            : execute("XGROUP", "CREATE", key, group, startId);
        if (r instanceof Reply.ErrorReply e && e.prefix() == ErrorPrefix.BUSYGROUP) {
            return false;
        }
        if (r instanceof Reply.ErrorReply e) {
            throw e.prefix() == ErrorPrefix.WRONGTYPE ? new WrongTypeException() : new RedJarException(e.message());
        }
        return true;
    }

    /**
     * XREADGROUP GROUP group consumer COUNT count [BLOCK ms] STREAMS key &gt;: entries never
     * delivered to the group, now pending for {@code consumer}.
     *
     * @param block null or negative: do not wait; {@link Duration#ZERO}: wait forever; else wait
     *              at most that long for new entries
     * @return the entries (empty when none came)
     */
    public List<Entry> readGroup(String key, String group, String consumer, long count, Duration block) {
        return readGroup(key, group, consumer, count, block, ">");
    }

    /**
     * XREADGROUP with an explicit id: {@code ">"} for new entries, or an id to re-read the
     * consumer's own pending entries after it (history; deleted ones come with null fields).
     */
    public List<Entry> readGroup(String key, String group, String consumer, long count, Duration block, String id) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(group, "group");
        Preconditions.notNull(consumer, "consumer");
        Preconditions.notNull(id, "id");
        List<String> a = new ArrayList<>(List.of("XREADGROUP", "GROUP", group, consumer, "COUNT", Long.toString(count)));
        if (block != null && !block.isNegative()) {
            a.add("BLOCK");
            a.add(Long.toString(block.toMillis()));
        }
        a.addAll(List.of("STREAMS", key, id));
        Reply r = run(argv(a));
        List<Reply> streams = elements(r);
        if (streams.isEmpty()) {
            return List.of();
        }
        // RESP2 shape: [[key, entries]]; a map under RESP3: [key, entries]
        Reply first = streams.get(0);
        return entries(first instanceof Reply.ArrayReply ? elements(first).get(1) : streams.get(1));
    }

    /** XACK key group id ...: @return how many of the ids were pending and are now acknowledged */
    public long ack(String key, String group, String... ids) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(group, "group");
        Preconditions.noNullElements(ids, "ids");
        List<String> a = new ArrayList<>(List.of("XACK", key, group));
        a.addAll(List.of(ids));
        return ((Reply.IntegerReply) run(argv(a))).value();
    }

    /**
     * XAUTOCLAIM key group consumer minIdle start COUNT count: moves to {@code consumer} the
     * pending entries idle at least {@code minIdle}, scanning from {@code start}.
     */
    public AutoClaim autoClaim(String key, String group, String consumer, Duration minIdle, String start, long count) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(group, "group");
        Preconditions.notNull(consumer, "consumer");
        Preconditions.notNull(minIdle, "minIdle");
        Preconditions.notNull(start, "start");
        List<Reply> r = elements(run("XAUTOCLAIM", key, group, consumer, Long.toString(minIdle.toMillis()), start,
            "COUNT", Long.toString(count)));
        List<String> deleted = new ArrayList<>();
        for (Reply d : elements(r.get(2))) {
            deleted.add(str(d));
        }
        return new AutoClaim(str(r.get(0)), entries(r.get(1)), deleted);
    }

    /** XPENDING key group (the summary form). */
    public Pending pending(String key, String group) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(group, "group");
        List<Reply> r = elements(run("XPENDING", key, group));
        Map<String, Long> consumers = new LinkedHashMap<>();
        for (Reply c : elements(r.get(3))) {
            List<Reply> pair = elements(c);
            consumers.put(str(pair.get(0)), Long.parseLong(str(pair.get(1))));
        }
        return new Pending(((Reply.IntegerReply) r.get(0)).value(), str(r.get(1)), str(r.get(2)),
            Collections.unmodifiableMap(consumers));
    }
}
