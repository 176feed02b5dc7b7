package io.redjar.diff;

import io.redjar.ManualClock;
import io.redjar.Reply;
import io.redjar.Session;
import io.redjar.Store;
import io.redjar.internal.keyspace.KeyEvent;
import io.redjar.internal.keyspace.KeyspaceListener;
import io.redjar.testing.CommandGenerator;
import io.redjar.testing.HashCommandGenerator;
import io.redjar.testing.KeyCommandGenerator;
import io.redjar.testing.RedisServerProcess;
import io.redjar.testing.RequiresRedis;
import io.redjar.testing.RespClient;
import io.redjar.testing.Seeds;
import io.redjar.testing.SetCommandGenerator;
import io.redjar.testing.Step;
import io.redjar.testing.ZSetCommandGenerator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every sample of {@link KeyEventSamples} (at least one per write command) run against
 * redis-server with {@code notify-keyspace-events KEAn} and a subscriber on
 * {@code __keyevent@*__:*}, and against a RedJar store with a {@link KeyspaceListener}: the
 * {@code (db, event, key)} sequences must be equal, and so must each step's error-or-not outcome
 * (so both sides took the same path). The {@code n} class adds Redis's {@code new} events, which
 * RedJar reports from the keyspace itself. Active expiry is off on both sides, so expired keys are
 * reclaimed (and reported) exactly where a sample touches them.
 */
@RequiresRedis
class KeyspaceEventsDifferentialTest {
    private static final String END = "__keyevent@0__:__end_of_sample__";

    @Test
    void everySampleReportsRedisEvents(RespClient redis, RedisServerProcess server) throws Exception {
        List<String> failures = new ArrayList<>();
        int[] samples = {0};
        withNotifications(redis, server, (sub, blocker, pool) -> {
            for (Map.Entry<String, List<List<String>>> e : KeyEventSamples.all().entrySet()) {
                for (List<String> sample : e.getValue()) {
                    samples[0]++;
                    String where = e.getKey() + " sample " + sample;
                    Run theirs = runRedis(redis, blocker, sub, pool, sample);
                    Run ours = runRedJar(sample);
                    if (!theirs.events.equals(ours.events) || !theirs.outcomes.equals(ours.outcomes)) {
                        failures.add(where + "\n  redis:  " + theirs.events + "\n  redjar: " + ours.events
                            + (theirs.outcomes.equals(ours.outcomes) ? ""
                            : "\n  outcomes differ: redis " + theirs.outcomes + " redjar " + ours.outcomes));
                    }
                }
            }
        });
        System.out.println("KeyspaceEventsDifferentialTest: " + samples[0] + " samples compared");
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + samples[0] + " samples differ:\n" + String.join("\n", failures));
        }
    }

    /**
     * Random command sequences from the differential suites' generators (strings and keys with
     * databases, hashes, lists, sets, sorted sets, SORT), run on both sides in chunks; each chunk's
     * events must be equal. The generators keep both data sets equal (no random pops, no expiry by
     * the passage of time), so every event is determined.
     */
    @Test
    void randomSequencesReportRedisEvents(RespClient redis, RedisServerProcess server) throws Exception {
        long master = Seeds.seed();
        Seeds.run("key events of random sequences (rerun with -Dredjar.seed=" + master + ")", master, random ->
            withNotifications(redis, server, (sub, blocker, pool) -> {
                List<java.util.function.LongFunction<CommandGenerator>> generators = List.of(
                    KeyCommandGenerator::new, HashCommandGenerator::new, ListCommandGenerator::new,
                    SetCommandGenerator::new, ZSetCommandGenerator::new, SortCommandGenerator::new,
                    io.redjar.testing.StreamCommandGenerator::new);
                for (java.util.function.LongFunction<CommandGenerator> g : generators) {
                    CommandGenerator gen = g.apply(random.nextLong());
                    compareRandom(redis, sub, gen, 600, 50);
                }
            }));
    }

    private static void compareRandom(RespClient redis, RespClient sub, CommandGenerator gen, int steps, int chunk)
            throws Exception {
        int compared = 0;
        String name = gen.getClass().getSimpleName() + " seed " + gen.seed();
        redis.call("SELECT", "0");
        redis.call("FLUSHALL");
        ManualClock clock = new ManualClock(System.currentTimeMillis());
        List<String> ours = Collections.synchronizedList(new ArrayList<>());
        try (Store store = Store.builder().clock(clock).activeExpire(false).open()) {
            io.redjar.internal.Internals.engine(store).keyspace().events().add((db, key, event) ->
                ours.add(db + " " + event.redisName() + " " + new String(key, StandardCharsets.UTF_8)));
            Session session = store.newSession();
            session.protocol(3);
            List<Step> all = gen.generate(steps);
            for (int from = 0; from < all.size(); from += chunk) {
                List<Step> part = all.subList(from, Math.min(all.size(), from + chunk));
                for (Step step : part) {
                    redis.call(step.argv());
                    session.execute(step.argv());
                }
                List<String> theirs = drain(redis, sub);
                List<String> mine;
                synchronized (ours) {
                    mine = new ArrayList<>(ours);
                    ours.clear();
                }
                compared += theirs.size();
                if (!theirs.equals(mine)) {
                    fail(name + ": steps " + from + ".." + (from + part.size() - 1) + " " + part
                        + "\n  redis:  " + theirs + "\n  redjar: " + mine);
                }
            }
        }
        System.out.println("KeyspaceEventsDifferentialTest: " + name + ": " + steps + " steps, " + compared + " events equal");
        assertTrue(compared > steps / 10, name + ": the sequence produced events (" + compared + ")");
    }

    /** The test's frame: notifications on (KEAn), active expiry off, a subscriber and a blocker connection. */
    private interface Body {
        void run(RespClient sub, RespClient blocker, ExecutorService pool) throws Exception;
    }

    private static void withNotifications(RespClient redis, RedisServerProcess server, Body body) throws Exception {
        Reply old = redis.call("CONFIG", "GET", "notify-keyspace-events");
        assertEquals("OK", redis.call("CONFIG", "SET", "notify-keyspace-events", "KEAn").toString().replace("+", ""),
            "CONFIG SET notify-keyspace-events");
        // keys whose time ran out are reclaimed by access only, as on the RedJar side (activeExpire off)
        assertEquals(false, redis.call("DEBUG", "SET-ACTIVE-EXPIRE", "0").isError(), "DEBUG SET-ACTIVE-EXPIRE 0");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (RespClient sub = new RespClient(server.host(), server.port());
             RespClient blocker = new RespClient(server.host(), server.port())) {
            Reply ack = sub.call("PSUBSCRIBE", "__keyevent@*__:*");
            assertTrue(ack.toString().contains("psubscribe"), "PSUBSCRIBE acknowledged: " + ack);
            body.run(sub, blocker, pool);
        } finally {
            pool.shutdownNow();
            String was = old instanceof Reply.ArrayReply a && a.elements().size() == 2
                ? ((Reply.Bulk) a.elements().get(1)).asString() : "";
            redis.call("CONFIG", "SET", "notify-keyspace-events", was);
            redis.call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
            redis.call("SELECT", "0");
            redis.call("FLUSHALL");
        }
    }

    /** The events and per-step outcomes ({@code ok}/{@code err}) of one sample run. */
    private record Run(List<String> events, List<String> outcomes) {
    }

    private static String[] argv(String step) {
        String[] a = step.split(" ");
        for (int i = 0; i < a.length; i++) {
            if (a[i].equals("<empty>")) {
                a[i] = "";
            }
        }
        return a;
    }

    private static String tail(String[] a) {
        return String.join(" ", java.util.Arrays.copyOfRange(a, 1, a.length));
    }

    private static Run runRedis(RespClient redis, RespClient blocker, RespClient sub, ExecutorService pool,
                                List<String> sample) throws Exception {
        redis.call("SELECT", "0");
        redis.call("FLUSHALL");
        blocker.call("SELECT", "0");
        List<String> outcomes = new ArrayList<>();
        CompletableFuture<Reply> blocked = null;
        for (String step : sample) {
            String[] a = argv(step);
            switch (a[0]) {
                case "@ADVANCE" -> Thread.sleep(Long.parseLong(a[1])); // redis-server has no injectable clock
                case "@BLOCK" -> {
                    String[] cmd = argv(tail(a));
                    blocked = CompletableFuture.supplyAsync(() -> blocker.call(cmd), pool);
                    awaitBlocked(redis);
                }
                case "@AWAIT" -> outcomes.add(outcome(blocked.get(10, TimeUnit.SECONDS)));
                default -> outcomes.add(outcome(redis.call(a)));
            }
        }
        return new Run(drain(redis, sub), outcomes);
    }

    /** Publishes the end marker and returns the events the subscriber received before it. */
    private static List<String> drain(RespClient redis, RespClient sub) {
        redis.call("PUBLISH", END, "x");
        List<String> events = new ArrayList<>();
        while (true) {
            Reply r = sub.read();
            if (!(r instanceof Reply.Push p) || p.elements().size() != 4) {
                throw new AssertionError("unexpected message on the subscriber: " + r);
            }
            String channel = ((Reply.Bulk) p.elements().get(2)).asString();
            if (channel.equals(END)) {
                return events;
            }
            // __keyevent@<db>__:<event>
            int at = channel.indexOf('@');
            int colon = channel.indexOf("__:");
            String db = channel.substring(at + 1, colon);
            String event = channel.substring(colon + 3);
            events.add(db + " " + event + " " + ((Reply.Bulk) p.elements().get(3)).asString());
        }
    }

    /** Waits (bounded) until redis-server reports a blocked client. */
    private static void awaitBlocked(RespClient redis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            String info = redis.call("INFO", "clients").toString();
            if (info.contains("blocked_clients:1")) {
                return;
            }
            Thread.sleep(1);
        }
        throw new AssertionError("the blocking command never blocked on redis-server");
    }

    private static Run runRedJar(List<String> sample) throws Exception {
        ManualClock clock = new ManualClock(System.currentTimeMillis());
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        try (Store store = Store.builder().clock(clock).activeExpire(false).open()) {
            io.redjar.internal.Internals.engine(store).keyspace().events().add(new KeyspaceListener() {
                @Override
                public void modified(int db, byte[] key, KeyEvent event) {
                    events.add(db + " " + event.redisName() + " " + new String(key, StandardCharsets.UTF_8));
                }
            });
            Session session = store.newSession();
            session.protocol(3);
            Session blocker = store.newSession();
            blocker.protocol(3);
            List<String> outcomes = new ArrayList<>();
            CompletableFuture<Reply> blocked = null;
            for (String step : sample) {
                String[] a = argv(step);
                switch (a[0]) {
                    case "@ADVANCE" -> clock.advance(Duration.ofMillis(Long.parseLong(a[1])));
                    case "@BLOCK" -> {
                        blocked = blocker.executeAsync(argv(tail(a)));
                        assertTrue(!blocked.isDone(), "the blocking command blocks on RedJar: " + step);
                    }
                    case "@AWAIT" -> outcomes.add(outcome(blocked.get(10, TimeUnit.SECONDS)));
                    default -> outcomes.add(outcome(session.execute(a)));
                }
            }
            return new Run(new ArrayList<>(events), outcomes);
        }
    }

    private static String outcome(Reply r) {
        return r.isError() ? "err" : "ok";
    }
}
