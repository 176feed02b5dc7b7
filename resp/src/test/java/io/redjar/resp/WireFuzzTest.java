package io.redjar.resp;

import io.redjar.internal.Internals;
import io.redjar.Reply;
import io.redjar.Store;
import io.redjar.fuzz.ChildJvm;
import io.redjar.fuzz.CommandFuzzer;
import io.redjar.internal.command.CommandTable;
import io.redjar.testing.RespClient;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command fuzzer over the wire: a RESP server in a child JVM ({@link WireFuzzServerMain}, which
 * checks its keyspace's integrity every 200 ms), a few connections sending commands generated from
 * the command table ({@link CommandFuzzer}; the first one speaks RESP3) plus, now and then, raw protocol garbage on a
 * connection of its own, while a well-behaved client keeps doing SET/GET and must be answered
 * correctly and promptly throughout. At the end the server must answer PING and pass a final
 * integrity check. {@code -Dredjar.fuzz.seed} and {@code -Dredjar.fuzz.wire.commands} (total over
 * all fuzzing connections) as in docs/hardening.md.
 */
class WireFuzzTest {
    static final int CONNECTIONS = 3;
    static final long CI_COMMANDS = 100_000;
    /** Generous: the build machine is shared and often heavily loaded; a stall names the commands in flight. */
    static final Duration GOOD_CLIENT_LIMIT = Duration.ofSeconds(10);

    private final AtomicReference<String> failure = new AtomicReference<>();
    private final AtomicLong destructive = new AtomicLong();
    private final AtomicInteger destructiveInFlight = new AtomicInteger();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong errorReplies = new AtomicLong();
    private final AtomicLong garbageSent = new AtomicLong();
    private final AtomicLong blockedTimeouts = new AtomicLong();
    /** Per fuzzing connection: the command it is waiting on and since when (for stall reports). */
    private final java.util.concurrent.ConcurrentHashMap<String, String> inFlight = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.ConcurrentHashMap<String, Long> inFlightSince = new java.util.concurrent.ConcurrentHashMap<>();
    /** Fuzz commands that took over a second: command and milliseconds. */
    private final java.util.concurrent.ConcurrentLinkedQueue<String> slowCommands = new java.util.concurrent.ConcurrentLinkedQueue<>();

    @Test
    void fuzzOverTheWire() throws Exception {
        String seedProp = System.getProperty("redjar.fuzz.seed");
        long seed = seedProp == null || seedProp.isBlank() ? io.redjar.testing.Seeds.seed() : Long.parseLong(seedProp.trim());
        String countProp = System.getProperty("redjar.fuzz.wire.commands");
        long total = countProp == null || countProp.isBlank() ? CI_COMMANDS : Long.parseLong(countProp.trim());
        System.out.println("WireFuzzTest: seed " + seed + ", " + total + " commands over " + CONNECTIONS
            + " connections (replay: -Dredjar.fuzz.seed=" + seed + " -Dredjar.fuzz.wire.commands=" + total
            + "; interleaving across connections is not deterministic)");
        System.out.println("WireFuzzTest: excluded: " + CommandFuzzer.WIRE_EXCLUDED_WHY);
        System.out.println("WireFuzzTest: skipped input classes (-Dredjar.fuzz.skip): " + CommandFuzzer.SKIP);

        CountDownLatch listening = new CountDownLatch(1);
        AtomicInteger port = new AtomicInteger();
        ChildJvm.Child server = ChildJvm.start(WireFuzzServerMain.class.getName(), List.of("-Xmx1g"), List.of(), 200,
            line -> {
                if (line.startsWith("PORT ")) {
                    port.set(Integer.parseInt(line.substring(5).trim()));
                    listening.countDown();
                }
            });
        try {
            assertTrue(listening.await(60, TimeUnit.SECONDS), () -> "server did not start\n" + server.tail());
            CommandTable table;
            try (Store local = Store.builder().dataDir(io.redjar.fuzz.FuzzDirs.temp()).open()) {
                table = Internals.engine(local).dispatcher().table();
            }
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> fuzzers = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < CONNECTIONS; i++) {
                long connSeed = seed * 31 + i;
                long count = total / CONNECTIONS;
                boolean resp3 = i == 0;
                Thread t = new Thread(() -> fuzz(table, connSeed, count, port.get(), stop, resp3), "wire-fuzzer-" + i);
                fuzzers.add(t);
                t.start();
            }
            long[] good = goodClient(port.get(), fuzzers, stop);
            for (Thread t : fuzzers) {
                t.join(60_000);
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            if (!slowCommands.isEmpty()) {
                System.out.println("WireFuzzTest: fuzz commands that took over a second: " + slowCommands);
            }
            System.out.printf("WireFuzzTest: %d commands in %.1f s (%.0f/s), %d error replies, %d garbage frames, "
                    + "%d blocked calls abandoned; good client: %d SET/GET pairs, slowest %d ms%n", sent.get(), secs,
                sent.get() / secs, errorReplies.get(), garbageSent.get(), blockedTimeouts.get(), good[0], good[1]);
            assertNull(failure.get(), () -> failure.get() + "\n---- server output (tail) ----\n" + server.tail());
            try (RespClient c = new RespClient("127.0.0.1", port.get(), false)) {
                assertEquals("+PONG", String.valueOf(c.call("PING")));
            }
            // the server's STOP also checks that no blocked waiter outlived its connection
            OutputStream stdin = server.process().getOutputStream();
            stdin.write("STOP\n".getBytes(StandardCharsets.US_ASCII));
            stdin.flush();
            ChildJvm.Result r = server.await(Duration.ofSeconds(60));
            assertEquals(0, r.exitCode(), r::describe);
            assertTrue(r.tail().contains("STOPPED OK"), r::describe);
        } finally {
            server.process().destroyForcibly();
        }
    }

    private void fail(String message) {
        failure.compareAndSet(null, message);
    }

    private static boolean isDestructive(byte[][] argv) {
        String n = new String(argv[0], StandardCharsets.ISO_8859_1).toLowerCase();
        return n.equals("flushall") || n.equals("flushdb") || n.equals("swapdb");
    }

    private void fuzz(CommandTable table, long seed, long count, int port, AtomicBoolean stop, boolean resp3) {
        Random r = new Random(seed);
        CommandFuzzer gen = new CommandFuzzer(table, new Random(seed + 1), CommandFuzzer.WIRE_EXCLUDED);
        ArrayDeque<String> history = new ArrayDeque<>();
        RespClient c = null;
        try {
            // the first connection speaks RESP3 from the start (the others may switch with HELLO 3)
            c = new RespClient("127.0.0.1", port, resp3, Duration.ofSeconds(30));
            for (long i = 0; i < count && !stop.get() && failure.get() == null; i++) {
                if (r.nextInt(400) == 0) {
                    garbage(r, port);
                }
                byte[][] argv = gen.next();
                String line = CommandFuzzer.format(argv);
                if (history.size() == 50) {
                    history.removeFirst();
                }
                history.addLast(line);
                sent.incrementAndGet();
                if (CommandFuzzer.isBlocking(table, argv)) {
                    try (RespClient b = new RespClient("127.0.0.1", port, false, Duration.ofMillis(200))) {
                        check(line, b.call(argv), history);
                    } catch (UncheckedIOException timedOut) {
                        blockedTimeouts.incrementAndGet(); // closing the connection must drop the waiter
                    }
                    continue;
                }
                boolean d = isDestructive(argv);
                if (d) {
                    destructiveInFlight.incrementAndGet();
                    destructive.incrementAndGet();
                }
                Reply reply;
                String me = Thread.currentThread().getName();
                long t0 = System.nanoTime();
                inFlight.put(me, line);
                inFlightSince.put(me, t0);
                try {
                    reply = c.call(argv);
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    if (ms > 1000 && slowCommands.size() < 20) {
                        slowCommands.add(ms + " ms: " + line);
                    }
                } catch (UncheckedIOException e) {
                    fail("connection failed on " + line + ": " + e + "\nlast commands:\n  " + String.join("\n  ", history));
                    return;
                } finally {
                    if (d) {
                        destructiveInFlight.decrementAndGet();
                    }
                }
                check(line, reply, history);
                if (!reply.isError()) {
                    gen.accepted(argv);
                }
            }
        } catch (RuntimeException e) {
            fail("fuzzer connection failed: " + e + "\nlast commands:\n  " + String.join("\n  ", history));
        } finally {
            if (c != null) {
                c.close();
            }
        }
    }

    private void check(String line, Reply reply, ArrayDeque<String> history) {
        if (reply instanceof Reply.ErrorReply e) {
            errorReplies.incrementAndGet();
            String m = e.message();
            if (m.contains("Exception") || m.contains("java.") || m.contains("io.redjar.") || m.contains("\tat ")) {
                fail("error reply leaks Java: " + m + " <- " + line + "\nlast commands:\n  " + String.join("\n  ", history));
            }
        }
    }

    /** Raw protocol garbage on a connection of its own: random bytes and hostile-but-framed requests. */
    private void garbage(Random r, int port) {
        String[] framed = {"*-1\r\n", "*0\r\n", "*1\r\n$-1\r\n", "*2147483647\r\n", "*1\r\n$2147483647\r\n",
            "*1\r\n$-2\r\n", "*3\r\n$3\r\nSET\r\n$1\r\na\r\n", "$5\r\nhello\r\n", ":1\r\n", "*1\r\n*1\r\n$4\r\nPING\r\n",
            "PING\r\n", "SET a \"b\r\n", "\"unterminated", "*1\r\n$4\r\nPINGXX\r\n", "*99999999999999999999\r\n",
            "*1\r\n$0\r\n\r\n", "\r\n\r\n\r\n", "*2\r\n$4\r\nECHO\r\n$3\r\nab"};
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(200);
            OutputStream out = s.getOutputStream();
            for (int k = 0; k < 1 + r.nextInt(5); k++) {
                byte[] junk;
                if (r.nextBoolean()) {
                    junk = framed[r.nextInt(framed.length)].getBytes(StandardCharsets.ISO_8859_1);
                } else {
                    junk = new byte[1 + r.nextInt(200)];
                    r.nextBytes(junk);
                }
                out.write(junk);
                garbageSent.incrementAndGet();
            }
            out.flush();
            try {
                s.getInputStream().read(new byte[4096]);
            } catch (IOException ignored) {
                // a timeout or a close: both fine
            }
        } catch (IOException e) {
            // the server may close a garbage connection at any point
        }
    }

    private String inFlightNow() {
        StringBuilder b = new StringBuilder();
        long now = System.nanoTime();
        inFlight.forEach((conn, cmd) -> b.append("\n  ").append(conn).append(" (")
            .append((now - inFlightSince.getOrDefault(conn, now)) / 1_000_000).append(" ms): ").append(cmd));
        return b.toString();
    }

    /** SET/GET until the fuzzers are done; returns {pairs, slowest ms}. */
    private long[] goodClient(int port, List<Thread> fuzzers, AtomicBoolean stop) {
        long pairs = 0;
        long slowest = 0;
        try (RespClient c = new RespClient("127.0.0.1", port, false, GOOD_CLIENT_LIMIT.plusSeconds(5))) {
            while (fuzzers.stream().anyMatch(Thread::isAlive)) {
                if (failure.get() != null) {
                    stop.set(true);
                    break;
                }
                String key = "good:" + (pairs % 100);
                String value = "v" + pairs;
                long d0 = destructive.get();
                boolean busy0 = destructiveInFlight.get() > 0;
                long t0 = System.nanoTime();
                Reply set = c.call("SET", key, value);
                Reply get = c.call("GET", key);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                slowest = Math.max(slowest, ms);
                boolean flushed = busy0 || destructiveInFlight.get() > 0 || destructive.get() != d0;
                if (!"+OK".equals(String.valueOf(set))) {
                    fail("good client: SET " + key + " answered " + set);
                } else if (!(get instanceof Reply.Bulk b && b.asString().equals(value)) && !(flushed && get instanceof Reply.Null)) {
                    fail("good client: GET " + key + " answered " + get + ", expected " + value);
                } else if (ms > GOOD_CLIENT_LIMIT.toMillis()) {
                    fail("good client: a SET/GET pair took " + ms + " ms; fuzz commands over a second so far: "
                        + slowCommands + "; in flight now: " + inFlightNow());
                }
                pairs++;
            }
        } catch (RuntimeException e) {
            fail("good client failed: " + e);
            stop.set(true);
        }
        return new long[] {pairs, slowest};
    }
}
