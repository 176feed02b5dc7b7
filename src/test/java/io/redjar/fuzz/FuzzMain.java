package io.redjar.fuzz;

import io.redjar.internal.Internals;
import io.redjar.ManualClock;
import io.redjar.Reply;
import io.redjar.Session;
import io.redjar.Store;
import io.redjar.internal.command.CommandTable;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The in-process command fuzzer, run in a child JVM by {@link CommandFuzzTest} so that a JVM crash
 * is a failing test rather than a dead build. Arguments: {@code seed commands [batch]}.
 *
 * <p>Each command comes from {@link CommandFuzzer}. A command fails the run if it throws anything
 * (Redis errors are replies, never exceptions) or replies with an error that leaks Java (a class
 * name, "Exception", a stack frame). After every batch it checks: PING answers; the keyspace's
 * integrity ({@code Keyspace.verifyIntegrity}: every structure valid, the blocks reachable from
 * the keyspace add up to each allocator's used bytes); that after the manual clock jumps no key
 * whose expire time has passed is observable and every key whose time has not come still is; that
 * SCAN, KEYS and EXISTS agree and DBSIZE is at least what SCAN sees; and that no blocked waiter is
 * left parked. On failure it prints the seed, the last 50 commands and the problem, and exits 1;
 * a command running over a minute is reported as a hang (exit 3).
 */
public final class FuzzMain {
    static final int DATABASES = 4;
    static final int HISTORY = 50;
    static final long START = 1_700_000_000_000L;

    private final long seed;
    private final Random r;
    private final ManualClock clock = new ManualClock(START);
    private final Store store;
    private final CommandTable table;
    private final CommandFuzzer gen;
    private final Session main;
    private final Session checker;
    private final ArrayDeque<String> history = new ArrayDeque<>();
    private final List<Pending> pending = new ArrayList<>();
    private volatile String current = "";
    private volatile long startedAt = System.nanoTime();
    private long executed;
    private long errors;
    private long blockedCalls;
    private long helperCommands;
    /** OBJECT ENCODING of the small key space at each batch end: what the run covered. */
    private final java.util.TreeMap<String, Integer> encodings = new java.util.TreeMap<>();
    /** Print every command before running it (to find the command a JVM crash leaves no report of). */
    static boolean trace;

    private record Pending(String command, CompletableFuture<Reply> future, long at) {
    }

    /** A broken invariant or a bad reply. */
    static final class Violation extends RuntimeException {
        Violation(String m) {
            super(m);
        }

        Violation(String m, Throwable cause) {
            super(m, cause);
        }
    }

    /** Extra threads fuzzing the same store during each batch ({@code -Dredjar.fuzz.threads}, default 1 = none). */
    private final List<Helper> helpers = new ArrayList<>();
    private final java.util.concurrent.ExecutorService helperPool;

    /**
     * A concurrent fuzzer: its own generator, session and history; runs a batch of commands while
     * the main (deterministic) fuzzer runs its own, and stops before the checks.
     */
    private final class Helper implements java.util.concurrent.Callable<Void> {
        private final int id;
        private final CommandFuzzer hgen;
        private final Session session;
        private final ArrayDeque<String> hhistory = new ArrayDeque<>();
        private final int commands;

        Helper(int id, long hseed, int commands) {
            this.id = id;
            this.hgen = new CommandFuzzer(table, new Random(hseed), Set.of());
            this.session = store.newSession();
            this.commands = commands;
        }

        @Override
        public Void call() {
            for (int i = 0; i < commands; i++) {
                byte[][] argv = hgen.next();
                String line = "[helper " + id + ", db " + session.database() + "] " + CommandFuzzer.format(argv);
                if (hhistory.size() == HISTORY) {
                    hhistory.removeFirst();
                }
                hhistory.addLast(line);
                Reply reply;
                try {
                    if (CommandFuzzer.isBlocking(table, argv)) {
                        CompletableFuture<Reply> f = store.newSession().executeAsync(argv);
                        if (!f.isDone()) {
                            f.cancel(false);
                            continue;
                        }
                        reply = f.join();
                    } else {
                        reply = session.execute(argv);
                    }
                } catch (RuntimeException | Error e) {
                    throw new Violation("exception from " + line + "\nhelper " + id + "'s last commands:\n  "
                        + String.join("\n  ", hhistory), e);
                }
                try {
                    checkReply(line, reply);
                } catch (Violation v) {
                    throw new Violation(v.getMessage() + "\nhelper " + id + "'s last commands:\n  " + String.join("\n  ", hhistory));
                }
                if (!reply.isError()) {
                    hgen.accepted(argv);
                }
            }
            return null;
        }
    }

    /** A fresh directory for the files persistence commands write, deleted when the JVM exits. */
    private static java.nio.file.Path dataDir() {
        try {
            java.nio.file.Path d = java.nio.file.Files.createTempDirectory("redjar-fuzz-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try (java.util.stream.Stream<java.nio.file.Path> w = java.nio.file.Files.walk(d)) {
                    w.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (java.io.IOException ignored) {
                    // best effort
                }
            }));
            return d;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    FuzzMain(long seed) {
        this.seed = seed;
        this.r = new Random(seed);
        this.store = Store.builder().clock(clock).databases(DATABASES).shards(4).activeExpire(false)
            .dataDir(dataDir()).open(); // BGREWRITEAOF, CONFIG SET appendonly yes write files there
        this.table = Internals.engine(store).dispatcher().table();
        this.gen = new CommandFuzzer(table, new Random(seed * 31 + 7), Set.of());
        this.main = store.newSession();
        this.checker = store.newSession();
        int threads = Integer.getInteger("redjar.fuzz.threads", 1);
        this.helperPool = threads > 1 ? java.util.concurrent.Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "fuzz-helper");
            t.setDaemon(true);
            return t;
        }) : null;
        for (int i = 1; i < threads; i++) {
            helpers.add(new Helper(i, seed * 1_000_003L + i, 0));
        }
    }

    public static void main(String[] args) {
        long seed = Long.parseLong(args[0]);
        long commands = Long.parseLong(args[1]);
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        trace = args.length > 3 && args[3].equals("trace");
        System.out.println("redjar-fuzz: seed=" + seed + " commands=" + commands + " batch=" + batch
            + " memory.checked=" + System.getProperty("redjar.memory.checked", "unset")
            + " threads=" + Integer.getInteger("redjar.fuzz.threads", 1));
        FuzzMain f = new FuzzMain(seed);
        System.out.println("redjar-fuzz: " + f.gen.commandNames().size() + " commands/subcommands from the table; "
            + "excluded in-process: none");
        for (String d : CommandFuzzer.DEFUSED) {
            System.out.println("redjar-fuzz: defused: " + d);
        }
        System.out.println("redjar-fuzz: skipped input classes (-Dredjar.fuzz.skip): " + CommandFuzzer.SKIP);
        f.startWatchdog();
        int code = f.run(commands, batch);
        System.out.flush();
        System.exit(code);
    }

    private void startWatchdog() {
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
                long ran = System.nanoTime() - startedAt;
                if (ran > Duration.ofSeconds(60).toNanos()) {
                    synchronized (System.out) {
                        System.out.println("redjar-fuzz: HANG: one step has run for " + ran / 1_000_000 + " ms: " + current);
                        dumpHistory();
                        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
                            System.out.println("thread " + e.getKey().getName());
                            for (StackTraceElement s : e.getValue()) {
                                System.out.println("    at " + s);
                            }
                        }
                        System.out.println("redjar-fuzz: FAILED seed=" + seed);
                        System.out.flush();
                    }
                    Runtime.getRuntime().halt(3);
                }
            }
        }, "fuzz-watchdog");
        t.setDaemon(true);
        t.start();
    }

    int run(long commands, int batch) {
        long t0 = System.nanoTime();
        long checkNanos = 0;
        try {
            List<java.util.concurrent.Future<Void>> running = new ArrayList<>();
            for (long i = 0; i < commands; i++) {
                if (i % batch == 0 && helperPool != null) {
                    running.clear();
                    for (int h = 0; h < helpers.size(); h++) {
                        Helper old = helpers.get(h);
                        Helper next = new Helper(old.id, seed * 1_000_003L + old.id + i, batch);
                        next.hhistory.addAll(old.hhistory);
                        helpers.set(h, next);
                        running.add(helperPool.submit(next));
                    }
                }
                step();
                if ((i + 1) % batch == 0 || i + 1 == commands) {
                    for (java.util.concurrent.Future<Void> f : running) {
                        begin("waiting for the helper threads");
                        try {
                            f.get();
                        } catch (java.util.concurrent.ExecutionException e) {
                            throw e.getCause();
                        }
                        helperCommands += batch;
                    }
                    running.clear();
                    long c0 = System.nanoTime();
                    checkInvariants();
                    checkNanos += System.nanoTime() - c0;
                    if (((i + 1) / batch) % 20 == 0 || i + 1 == commands) {
                        System.out.println("redjar-fuzz: " + (i + 1) + " commands, " + errors + " error replies, "
                            + blockedCalls + " blocked calls, used " + store.usedMemory() + " B, encodings seen " + encodings);
                    }
                }
            }
        } catch (Throwable t) {
            synchronized (System.out) {
                System.out.println("redjar-fuzz: FAILURE after " + executed + " commands (seed=" + seed + "): " + t);
                dumpHistory();
                t.printStackTrace(System.out);
                System.out.println("redjar-fuzz: FAILED seed=" + seed + " (replay: -Dredjar.fuzz.seed=" + seed
                    + " -Dredjar.fuzz.commands=" + (executed + 1) + ")");
            }
            return 1;
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("redjar-fuzz: OK seed=%d: %d commands in %.1f s (%.0f commands/s, %.1f s in checks), "
            + "%d error replies%n", seed, executed, secs, executed / secs, checkNanos / 1e9, errors);
        if (helperPool != null) {
            System.out.printf("redjar-fuzz: and %d commands from %d concurrent helper threads (%.0f commands/s in all)%n",
                helperCommands, helpers.size(), (executed + helperCommands) / secs);
        }
        store.close();
        return 0;
    }

    private void dumpHistory() {
        System.out.println("redjar-fuzz: last " + history.size() + " commands (oldest first):");
        for (String h : history) {
            System.out.println("  " + h);
        }
    }

    private void record(String line) {
        if (history.size() == HISTORY) {
            history.removeFirst();
        }
        history.addLast(line);
    }

    private void step() {
        int p = r.nextInt(1000);
        if (p < 5) {
            long ms = 1 + r.nextInt(2000);
            clock.advance(Duration.ofMillis(ms));
            record("# clock +" + ms + " ms");
            return;
        }
        if (p < 10) {
            record("# active expire cycle");
            begin("active expire cycle");
            store.expireCycle();
            return;
        }
        byte[][] argv = gen.next();
        String line = "[db " + main.database() + "] " + CommandFuzzer.format(argv);
        record(line);
        begin(line);
        executed++;
        if (CommandFuzzer.isBlocking(table, argv)) {
            Session s = store.newSession();
            if (main.database() != 0) {
                s.execute("SELECT", Integer.toString(main.database()));
            }
            CompletableFuture<Reply> f;
            try {
                f = s.executeAsync(argv);
            } catch (RuntimeException e) {
                throw new Violation("exception from " + line, e);
            }
            if (!f.isDone()) {
                blockedCalls++;
                pending.add(new Pending(line, f, executed));
            } else {
                Reply rep = f.join();
                checkReply(line, rep);
                if (!rep.isError()) {
                    gen.accepted(argv);
                }
            }
        } else {
            Reply reply;
            try {
                reply = main.execute(argv);
            } catch (RuntimeException e) {
                throw new Violation("exception from " + line, e);
            }
            checkReply(line, reply);
            if (!reply.isError()) {
                gen.accepted(argv);
            }
        }
        servePending(false);
    }

    private void begin(String what) {
        if (trace) {
            System.out.println("> " + what);
            System.out.flush();
        }
        current = what;
        startedAt = System.nanoTime();
    }

    /** Checks completed waiters; cancels those parked for more than a few commands (or all). */
    private void servePending(boolean all) {
        for (int i = 0; i < pending.size(); i++) {
            Pending w = pending.get(i);
            if (!w.future.isDone() && (all || executed - w.at > 5)) {
                w.future.cancel(false);
                record("# cancelled the wait of " + w.command);
            }
            if (w.future.isDone()) {
                pending.remove(i--);
                if (!w.future.isCancelled()) {
                    Reply rep;
                    try {
                        rep = w.future.join();
                    } catch (RuntimeException e) {
                        throw new Violation("blocked call completed exceptionally: " + w.command, e);
                    }
                    checkReply("(served) " + w.command, rep);
                }
            }
        }
    }

    private synchronized void checkReply(String line, Reply reply) {
        if (reply == null) {
            throw new Violation("null reply to " + line);
        }
        if (reply instanceof Reply.ErrorReply e) {
            errors++;
            String m = e.message();
            if (m.contains("Exception") || m.contains("java.") || m.contains("io.redjar.") || m.contains("\tat ")
                || m.contains("Error:")) {
                throw new Violation("error reply leaks Java: " + m + " <- " + line);
            }
            if (!m.matches("(?s)^[A-Z][A-Z_]*( .*)?$")) {
                throw new Violation("error reply without a Redis error code: " + m + " <- " + line);
            }
        } else if (reply instanceof Reply.ArrayReply a) {
            for (Reply x : a.elements()) {
                checkReply(line, x);
            }
        } else if (reply instanceof Reply.Map m) {
            for (Reply x : m.flat()) {
                checkReply(line, x);
            }
        } else if (reply instanceof Reply.SetReply m) {
            for (Reply x : m.elements()) {
                checkReply(line, x);
            }
        }
    }

    // ---------------------------------------------------------------- invariants

    private Reply check(String... argv) {
        begin("check: " + String.join(" ", argv));
        Reply rep = checker.execute(argv);
        if (rep instanceof Reply.ErrorReply e) {
            throw new Violation("check command " + String.join(" ", argv) + " failed: " + e.message());
        }
        return rep;
    }

    private Reply check(byte[]... argv) {
        begin("check: " + CommandFuzzer.format(argv));
        Reply rep = checker.execute(argv);
        if (rep instanceof Reply.ErrorReply e) {
            throw new Violation("check command " + CommandFuzzer.format(argv) + " failed: " + e.message());
        }
        return rep;
    }

    private static long integer(Reply r) {
        if (r instanceof Reply.IntegerReply i) {
            return i.value();
        }
        throw new Violation("expected an integer reply, got " + r);
    }

    void checkInvariants() {
        servePending(true);
        if (Internals.engine(store).blocking().blocked() != 0) {
            throw new Violation("blocked waiters leaked: " + Internals.engine(store).blocking().blocked()
                + " still parked after every wait was served or cancelled");
        }
        if (!(check("PING") instanceof Reply.SimpleString s && s.value().equals("PONG"))) {
            throw new Violation("PING did not answer PONG");
        }
        begin("verifyIntegrity");
        try {
            Internals.engine(store).keyspace().verifyIntegrity();
        } catch (IllegalStateException e) {
            throw new Violation("integrity check failed: " + e.getMessage(), e);
        }
        // expiry: remember every TTL of the small key space, jump the clock, nothing expired may show
        long[][] expireAt = new long[DATABASES][CommandFuzzer.KEYS.size()];
        for (int db = 0; db < DATABASES; db++) {
            check("SELECT", Integer.toString(db));
            for (int k = 0; k < CommandFuzzer.KEYS.size(); k++) {
                expireAt[db][k] = integer(check(b("PEXPIRETIME"), CommandFuzzer.KEYS.get(k)));
            }
        }
        long jump = jump();
        clock.advance(Duration.ofMillis(jump));
        record("# batch end: clock +" + jump + " ms, now " + clock.millis());
        long now = clock.millis();
        for (int db = 0; db < DATABASES; db++) {
            check("SELECT", Integer.toString(db));
            for (int k = 0; k < CommandFuzzer.KEYS.size(); k++) {
                byte[] key = CommandFuzzer.KEYS.get(k);
                long at = expireAt[db][k];
                boolean shouldExist = at == -1 || at > now;
                String what = "db " + db + " key " + CommandFuzzer.quote(key) + " (expire time " + at + ", now " + now + ")";
                long exists = integer(check(b("EXISTS"), key));
                if (exists == 1) {
                    Reply enc = check(b("OBJECT"), b("ENCODING"), key);
                    encodings.merge(enc instanceof Reply.Bulk eb ? eb.asString() : String.valueOf(enc), 1, Integer::sum);
                }
                if (exists != (shouldExist ? 1 : 0)) {
                    throw new Violation("EXISTS " + exists + " for " + what);
                }
                Reply type = check(b("TYPE"), key);
                boolean none = type instanceof Reply.SimpleString t && t.value().equals("none");
                if (none == shouldExist) {
                    throw new Violation("TYPE " + type + " for " + what);
                }
                long pttl = integer(check(b("PTTL"), key));
                if (!shouldExist && pttl != -2 || shouldExist && at == -1 && pttl != -1
                    || shouldExist && at > 0 && pttl != at - now) {
                    throw new Violation("PTTL " + pttl + " for " + what);
                }
            }
            checkScan(db);
        }
        check("SELECT", "0");
    }

    private long jump() {
        switch (r.nextInt(8)) {
            case 0:
                return 0;
            case 1:
            case 2:
                return 1 + r.nextInt(100);
            case 3:
            case 4:
                return 1 + r.nextInt(10_000);
            case 5:
                return 1 + r.nextInt(3_600_000);
            case 6:
                return 86_400_000L * (1 + r.nextInt(30));
            default:
                return 365L * 86_400_000L * (1 + r.nextInt(20));
        }
    }

    /** SCAN, KEYS and EXISTS agree; DBSIZE counts at least the keys SCAN sees (it also counts expired ones not yet reclaimed). */
    private void checkScan(int db) {
        Set<String> scanned = new HashSet<>();
        String cursor = "0";
        int rounds = 0;
        do {
            Reply rep = check("SCAN", cursor, "COUNT", Integer.toString(1 + r.nextInt(20)));
            List<Reply> parts = ((Reply.ArrayReply) rep).elements();
            cursor = ((Reply.Bulk) parts.get(0)).asString();
            for (Reply k : ((Reply.ArrayReply) parts.get(1)).elements()) {
                scanned.add(hex(((Reply.Bulk) k).value()));
            }
            if (++rounds > 1_000_000) {
                throw new Violation("SCAN never returned cursor 0 in db " + db);
            }
        } while (!cursor.equals("0"));
        Set<String> keys = new HashSet<>();
        for (Reply k : ((Reply.ArrayReply) check("KEYS", "*")).elements()) {
            keys.add(hex(((Reply.Bulk) k).value()));
        }
        if (!keys.equals(scanned)) {
            throw new Violation("db " + db + ": KEYS * sees " + keys.size() + " keys, a full SCAN " + scanned.size());
        }
        long dbsize = integer(check("DBSIZE"));
        if (dbsize < scanned.size()) {
            throw new Violation("db " + db + ": DBSIZE " + dbsize + " < " + scanned.size() + " keys a full SCAN returned");
        }
        for (byte[] key : CommandFuzzer.KEYS) {
            long exists = integer(check(b("EXISTS"), key));
            if ((exists == 1) != scanned.contains(hex(key))) {
                throw new Violation("db " + db + ": EXISTS " + CommandFuzzer.quote(key) + " = " + exists
                    + " but a full SCAN " + (exists == 1 ? "missed" : "returned") + " it");
            }
        }
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 2);
        for (byte x : b) {
            sb.append(String.format("%02x", x & 0xFF));
        }
        return sb.toString();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
