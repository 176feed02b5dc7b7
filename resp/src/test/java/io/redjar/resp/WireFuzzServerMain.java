package io.redjar.resp;

import io.redjar.internal.Internals;
import io.redjar.Store;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The server side of {@link WireFuzzTest}, run in a child JVM: a RESP server on a free port that
 * checks its own keyspace ({@code Keyspace.verifyIntegrity}) every 200 ms while the test's clients
 * fuzz it. Prints {@code PORT n} once listening. Reads commands on stdin: {@code CHECK} (check
 * now, answer {@code CHECK OK}) and {@code STOP} (check, close, exit 0). A failed check prints the
 * problem and exits 1 at once.
 */
public final class WireFuzzServerMain {
    private WireFuzzServerMain() {
    }

    public static void main(String[] args) throws Exception {
        // persistence commands (BGREWRITEAOF, CONFIG SET appendonly yes) write into a temp dir
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("redjar-wirefuzz-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (java.util.stream.Stream<java.nio.file.Path> w = java.nio.file.Files.walk(dir)) {
                w.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (java.io.IOException ignored) {
                // best effort
            }
        }));
        Store store = Store.builder().databases(4).shards(4).dataDir(dir).open();
        RedJarServer server = RedJarServer.start(store, 0);
        System.out.println("PORT " + server.port());
        System.out.flush();
        Object lock = new Object();
        long[] checks = new long[1];
        Thread checker = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
                synchronized (lock) {
                    verify(store, checks);
                }
            }
        }, "integrity-checker");
        checker.setDaemon(true);
        checker.start();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.equals("CHECK")) {
                synchronized (lock) {
                    verify(store, checks);
                }
                System.out.println("CHECK OK");
                System.out.flush();
            } else if (line.equals("STOP")) {
                break;
            }
        }
        checker.interrupt();
        // every client has gone: no blocked waiter may be left behind (closing a connection drops its wait)
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (Internals.engine(store).blocking().blocked() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        if (Internals.engine(store).blocking().blocked() != 0) {
            System.out.println("LEAK: " + Internals.engine(store).blocking().blocked() + " blocked waiters left after every client disconnected");
            System.out.flush();
            Runtime.getRuntime().halt(1);
        }
        synchronized (lock) {
            long entries = verify(store, checks);
            System.out.println("STOPPED OK after " + checks[0] + " integrity checks; " + entries + " keys at the end");
        }
        server.close();
        store.close();
        System.out.flush();
        System.exit(0);
    }

    private static long verify(Store store, long[] checks) {
        try {
            long n = Internals.engine(store).keyspace().verifyIntegrity();
            checks[0]++;
            return n;
        } catch (Throwable t) {
            System.out.println("INTEGRITY FAILURE: " + t);
            t.printStackTrace(System.out);
            System.out.flush();
            Runtime.getRuntime().halt(1);
            return -1;
        }
    }
}
