package io.redjar;

import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Transactions under concurrency: WATCH-based transfers between accounts from several threads
 * (sessions with WATCH/MULTI/EXEC and typed {@link Store#watch} mixed) keep the total constant and
 * never lose a committed transfer; and a reader never observes half of an EXEC (MGET, which locks
 * only its keys' shards, sees all or none of a transaction's writes). Bounded; a deadlock fails
 * through {@link ConcurrencyTest#concurrently}'s deadline.
 */
class TransactionsConcurrencyTest {
    private static final int ACCOUNTS = 8;
    private static final long START = 1000;

    @Test
    void watchedTransfersKeepTheTotal() {
        Seeds.run("TransactionsConcurrencyTest.transfers", rnd -> {
            long seed = rnd.nextLong();
            try (Store store = Store.builder().shards(4).open()) {
                for (int i = 0; i < ACCOUNTS; i++) {
                    store.strings().set(acct(i), Long.toString(START));
                }
                AtomicLong committed = new AtomicLong();
                AtomicLong failedExecs = new AtomicLong();
                ConcurrencyTest.concurrently(4, t -> {
                    Random r = new Random(seed + t);
                    Session s = store.newSession();
                    for (int n = 0; n < 300; n++) {
                        int from = r.nextInt(ACCOUNTS);
                        int to = (from + 1 + r.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
                        long amount = 1 + r.nextInt(20);
                        if (t % 2 == 0) {
                            while (true) {
                                s.execute("WATCH", acct(from), acct(to));
                                long a = Long.parseLong(((Reply.Bulk) s.execute("GET", acct(from))).asString());
                                s.execute("MULTI");
                                s.execute("SET", acct(from), Long.toString(a - amount));
                                s.execute("INCRBY", acct(to), Long.toString(amount));
                                Reply r2 = s.execute("EXEC");
                                if (r2 instanceof Reply.ArrayReply) {
                                    break;
                                }
                                failedExecs.incrementAndGet();
                            }
                        } else {
                            store.watch(List.of(b(acct(from)), b(acct(to))), tx -> {
                                long a = Long.parseLong(tx.strings().get(acct(from)));
                                long c = Long.parseLong(tx.strings().get(acct(to)));
                                return w -> {
                                    w.strings().set(acct(from), Long.toString(a - amount));
                                    w.strings().set(acct(to), Long.toString(c + amount));
                                };
                            });
                        }
                        committed.incrementAndGet();
                    }
                });
                long total = 0;
                for (int i = 0; i < ACCOUNTS; i++) {
                    total += Long.parseLong(store.strings().get(acct(i)));
                }
                assertEquals(ACCOUNTS * START, total, "total after " + committed + " transfers ("
                    + failedExecs + " EXECs failed and were retried)");
                assertEquals(1200, committed.get());
            }
        });
    }

    @Test
    void readerNeverSeesHalfAnExec() {
        try (Store store = Store.builder().shards(8).open()) {
            String[] keys = new String[16];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = "iso:" + i;
                store.strings().set(keys[i], "0");
            }
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicLong reads = new AtomicLong();
            List<String> torn = new ArrayList<>();
            ConcurrencyTest.concurrently(3, t -> {
                if (t == 0) {
                    Session s = store.newSession();
                    for (int v = 1; v <= 400; v++) {
                        s.execute("MULTI");
                        for (String k : keys) {
                            s.execute("SET", k, Integer.toString(v));
                        }
                        s.execute("EXEC");
                    }
                    writing.set(false);
                } else if (t == 1) {
                    for (int v = 401; writing.get() || v < 420; v++) {
                        int value = v;
                        store.multi(tx -> {
                            for (String k : keys) {
                                tx.strings().set(k, Integer.toString(value));
                            }
                        });
                    }
                } else {
                    Session s = store.newSession();
                    String[] mget = new String[keys.length + 1];
                    mget[0] = "MGET";
                    System.arraycopy(keys, 0, mget, 1, keys.length);
                    while (writing.get()) {
                        List<Reply> vals = ((Reply.ArrayReply) s.execute(mget)).elements();
                        reads.incrementAndGet();
                        for (Reply v : vals) {
                            if (!v.equals(vals.get(0))) {
                                synchronized (torn) {
                                    if (torn.size() < 3) {
                                        torn.add(vals.toString());
                                    }
                                }
                                break;
                            }
                        }
                    }
                }
            });
            assertTrue(reads.get() > 0);
            assertEquals(List.of(), torn, "MGET saw half a transaction");
        }
    }

    private static String acct(int i) {
        return "acct:{" + i + "}";
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
