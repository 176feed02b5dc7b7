package io.redjar;

import io.redjar.internal.Internals;
import io.redjar.internal.keyspace.KeyEvent;
import io.redjar.internal.keyspace.Keyspace;
import io.redjar.internal.keyspace.KeyspaceListener;
import io.redjar.internal.propagation.Effect;
import io.redjar.internal.propagation.EffectBatch;
import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one-path proof under concurrency: many threads write the same keys, half through the typed
 * handles and half through {@code execute}; every write carries a unique operation id. A
 * {@link KeyspaceListener} must see every modification exactly once, with the event Redis names
 * for it, and per key in exactly the order of the propagated stream (the bus's effects, whose
 * arguments carry the same ids), which is itself in strictly increasing offset order.
 */
class OnePathConcurrencyTest {
    private static final int THREADS = 6;
    private static final int OPS = 1500;
    private static final String[] STRINGS = {"s1", "s2"};
    private static final String[] LISTS = {"l1", "l2"};
    private static final String[] HASHES = {"h1"};
    private static final String[] SETS = {"t1"};
    private static final String[] ZSETS = {"z1"};

    /** The op id the current thread is running, read by the listener (called on that thread). */
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    @Test
    void typedAndTextualWritersSeeOneSignalPerChangeInStreamOrder() {
        Seeds.run("OnePathConcurrencyTest", this::run);
    }

    private void run(Random master) throws Exception {
        long seed = master.nextLong();
        try (Store store = Store.builder().shards(4).open()) {
            Keyspace ks = Internals.engine(store).keyspace();
            Map<String, List<String>> signalled = new ConcurrentHashMap<>();
            Map<String, List<String>> newKeys = new ConcurrentHashMap<>();
            List<String> bad = java.util.Collections.synchronizedList(new ArrayList<>());
            ks.events().add((db, key, event) -> {
                String k = new String(key, StandardCharsets.UTF_8);
                if (event == KeyEvent.NEW) {
                    newKeys.computeIfAbsent(k, x -> java.util.Collections.synchronizedList(new ArrayList<>())).add("new");
                    return;
                }
                String op = CURRENT.get();
                if (op == null) {
                    bad.add("signal outside any operation: " + event + " " + k);
                    return;
                }
                signalled.computeIfAbsent(k, x -> java.util.Collections.synchronizedList(new ArrayList<>()))
                    .add(op + " " + event.name().toLowerCase(java.util.Locale.ROOT));
            });
            Map<String, List<String>> streamed = new HashMap<>();
            long[] lastOffset = {0};
            ks.propagation().addConsumer((EffectBatch batch) -> {
                // consumers are called one at a time, in offset order
                for (Effect e : batch) {
                    if (e.offset() <= lastOffset[0]) {
                        bad.add("offset " + e.offset() + " after " + lastOffset[0]);
                    }
                    lastOffset[0] = e.offset();
                    String cmd = new String(e.argv()[0], StandardCharsets.UTF_8).toLowerCase(java.util.Locale.ROOT);
                    String k = new String(e.argv()[1], StandardCharsets.UTF_8);
                    String op = null;
                    for (byte[] a : e.argv()) {
                        String s = new String(a, StandardCharsets.UTF_8);
                        if (s.startsWith("op:")) {
                            op = s;
                        }
                    }
                    streamed.computeIfAbsent(k, x -> new ArrayList<>()).add(op + " " + cmd);
                }
            });

            CyclicBarrier start = new CyclicBarrier(THREADS);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                boolean typed = t % 2 == 0;
                Random r = new Random(seed + t);
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < OPS; i++) {
                        String op = "op:" + thread + ":" + i;
                        CURRENT.set(op);
                        try {
                            write(store, typed, r.nextInt(7), r, op);
                        } finally {
                            CURRENT.remove();
                        }
                    }
                    return OPS;
                }));
            }
            int total = 0;
            for (Future<Integer> f : done) {
                total += f.get(120, TimeUnit.SECONDS);
            }
            pool.shutdown();
            ks.propagation().drain();

            assertTrue(bad.isEmpty(), () -> "seed " + seed + ": " + bad.subList(0, Math.min(5, bad.size())));
            int signals = signalled.values().stream().mapToInt(List::size).sum();
            assertEquals(total, signals, "seed " + seed + ": one signal per modification");
            for (Map.Entry<String, List<String>> e : signalled.entrySet()) {
                String key = e.getKey();
                List<String> fromStream = new ArrayList<>();
                for (String s : streamed.getOrDefault(key, List.of())) {
                    fromStream.add(s.substring(0, s.indexOf(' ')) + " " + eventOf(s.substring(s.indexOf(' ') + 1)));
                }
                assertEquals(fromStream, e.getValue(), "seed " + seed + ": key " + key + " signals in stream order");
                assertEquals(List.of("new"), newKeys.get(key), "seed " + seed + ": key " + key + " created once");
            }
            assertEquals(signalled.keySet(), streamed.keySet());
        }
    }

    /** The key event Redis names for each command this test sends. */
    private static String eventOf(String command) {
        return switch (command) {
            case "set", "append", "lpush", "rpush", "hset", "sadd", "zadd" -> command;
            default -> "unexpected " + command;
        };
    }

    private static String pick(Random r, String[] keys) {
        return keys[r.nextInt(keys.length)];
    }

    /** One write that always modifies its key exactly once (unique values, fields and members). */
    private static void write(Store store, boolean typed, int kind, Random r, String op) {
        switch (kind) {
            case 0 -> {
                String k = pick(r, STRINGS);
                if (typed) {
                    store.strings().set(k, op);
                } else {
                    store.execute("SET", k, op);
                }
            }
            case 1 -> {
                String k = pick(r, STRINGS);
                if (typed) {
                    store.strings().append(k, op);
                } else {
                    store.execute("APPEND", k, op);
                }
            }
            case 2, 3 -> {
                String k = pick(r, LISTS);
                boolean left = kind == 2;
                if (typed) {
                    if (left) {
                        store.lists().lpush(k, op);
                    } else {
                        store.lists().rpush(k, op);
                    }
                } else {
                    store.execute(left ? "LPUSH" : "RPUSH", k, op);
                }
            }
            case 4 -> {
                String k = pick(r, HASHES);
                if (typed) {
                    store.hashes().hset(k, op, "v");
                } else {
                    store.execute("HSET", k, op, "v");
                }
            }
            case 5 -> {
                String k = pick(r, SETS);
                if (typed) {
                    store.sets().sadd(k, op);
                } else {
                    store.execute("SADD", k, op);
                }
            }
            default -> {
                String k = pick(r, ZSETS);
                if (typed) {
                    store.sortedSets().zadd(k, r.nextInt(100), op);
                } else {
                    store.execute("ZADD", k, Integer.toString(r.nextInt(100)), op);
                }
            }
        }
    }
}
