package io.redjar.internal.types;

import io.redjar.internal.Internals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redjar.PropagationSink;
import io.redjar.Reply;
import io.redjar.Session;
import io.redjar.Store;
import io.redjar.internal.keyspace.EntryDescriptor;
import io.redjar.internal.keyspace.Keyspace;
import io.redjar.internal.keyspace.Shard;
import io.redjar.internal.memory.NativeMemory;
import io.redjar.internal.structure.Quicklist;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What the differential test cannot see: native memory returning to its baseline, the structure's
 * validity after every kind of write, the fill a list keeps from its creation, and propagation.
 */
class ListOpsTest {

    private static long used(Store store) {
        Keyspace ks = Internals.engine(store).keyspace();
        long total = 0;
        for (int i = 0; i < ks.shardCount(); i++) {
            total += ks.shard(i).allocator().usedBytes();
        }
        return total;
    }

    /** @return the quicklist root of a list key (0 when missing) */
    private static long root(Store store, String key) {
        Keyspace ks = Internals.engine(store).keyspace();
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        Shard s = ks.shardOf(k);
        s.lock();
        try {
            int slot = ks.lookup(s, 0, k, Keyspace.hash(k), ks.now(), false);
            return slot < 0 ? 0 : NativeMemory.getLong(EntryDescriptor.valueAddress(s.table(0).entry(slot)));
        } finally {
            s.unlock();
        }
    }

    private static String str(Object o) {
        return o.toString();
    }

    @Test
    void memoryReturnsToBaselineAfterDelAndFlushall() {
        try (Store store = Store.builder().shards(8).open()) {
            Session s = store.newSession();
            s.execute("SET", "warm", "x");
            s.execute("DEL", "warm");
            long base = used(store);
            Random r = new Random(7);
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < 3000; i++) {
                    String k = "l" + r.nextInt(40);
                    String v = r.nextInt(10) == 0 ? "v".repeat(r.nextInt(3000)) : Integer.toString(r.nextInt(50));
                    switch (r.nextInt(9)) {
                        case 0, 1, 2 -> s.execute("RPUSH", k, v, v + "x");
                        case 3 -> s.execute("LPUSH", k, v);
                        case 4 -> s.execute("LINSERT", k, "BEFORE", Integer.toString(r.nextInt(50)), v);
                        case 5 -> s.execute("LMOVE", k, "l" + r.nextInt(40), "LEFT", "RIGHT");
                        case 6 -> s.execute("COPY", k, "l" + r.nextInt(40), "REPLACE");
                        case 7 -> s.execute("RENAME", k, "l" + r.nextInt(40));
                        default -> s.execute("LREM", k, "0", Integer.toString(r.nextInt(50)));
                    }
                }
                for (int i = 0; i < 40; i++) {
                    long ql = root(store, "l" + i);
                    if (ql != 0) {
                        Quicklist.validate(ql);
                    }
                }
                assertTrue(used(store) > base);
                if (round == 0) {
                    for (int i = 0; i < 40; i++) {
                        s.execute("DEL", "l" + i);
                    }
                } else {
                    s.execute("FLUSHALL");
                }
                assertEquals(base, used(store), "round " + round);
            }
            // emptied by pops and trims: the key and all its blocks go
            s.execute("RPUSH", "p", "a", "b", "c");
            s.execute("LPOP", "p", "2");
            s.execute("RPOP", "p");
            s.execute("RPUSH", "t", "a", "b");
            s.execute("LTRIM", "t", "5", "6");
            s.execute("RPUSH", "m", "a");
            s.execute("LMPOP", "1", "m", "LEFT");
            s.execute("RPUSH", "r", "a", "a");
            s.execute("LREM", "r", "0", "a");
            assertEquals(Reply.ZERO, s.execute("EXISTS", "p", "t", "m", "r"));
            assertEquals(base, used(store));
        }
    }

    @Test
    void aListKeepsTheFillItWasCreatedWith() {
        try (Store store = Store.open()) {
            Session s = store.newSession();
            s.execute("CONFIG", "SET", "list-max-listpack-size", "2");
            s.execute("RPUSH", "a", "1", "2", "3", "4", "5");
            s.execute("CONFIG", "SET", "list-max-listpack-size", "-2");
            s.execute("RPUSH", "a", "6", "7");
            s.execute("RPUSH", "b", "1", "2", "3", "4", "5", "6", "7");
            assertEquals(4, Quicklist.nodes(root(store, "a")));
            assertEquals(1, Quicklist.nodes(root(store, "b")));
            s.execute("COPY", "a", "c");
            assertEquals(4, Quicklist.nodes(root(store, "c")));
            assertEquals(Reply.bulk("quicklist"), s.execute("OBJECT", "ENCODING", "c"));
            // a middle insert into full 2-entry nodes splits
            s.execute("LINSERT", "a", "AFTER", "3", "x");
            Quicklist.validate(root(store, "a"));
            assertEquals(str(List.of("1", "2", "3", "x", "4", "5", "6", "7")), str(strings(s.execute("LRANGE", "a", "0", "-1"))));
        }
    }

    private static List<String> strings(Reply r) {
        List<String> out = new ArrayList<>();
        for (Reply e : ((Reply.ArrayReply) r).elements()) {
            out.add(new String(((Reply.Bulk) e).value(), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void sameKeyRotationKeepsTheKeyAndItsTtl() {
        try (Store store = Store.open()) {
            Session s = store.newSession();
            s.execute("RPUSH", "k", "only");
            s.execute("EXPIRE", "k", "1000");
            assertEquals(Reply.bulk("only"), s.execute("RPOPLPUSH", "k", "k"));
            assertEquals(Reply.bulk("only"), s.execute("LMOVE", "k", "k", "LEFT", "RIGHT"));
            assertTrue(((Reply.IntegerReply) s.execute("TTL", "k")).value() > 0);
            // WRONGTYPE destination: nothing is popped
            s.execute("SET", "str", "x");
            assertTrue(s.execute("LMOVE", "k", "str", "LEFT", "LEFT").isError());
            assertEquals(Reply.ONE, s.execute("LLEN", "k"));
        }
    }

    static final class Recorder implements PropagationSink {
        final List<List<String>> log = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void propagate(int db, byte[][] argv) {
            List<String> a = new ArrayList<>();
            for (byte[] b : argv) {
                a.add(new String(b, StandardCharsets.ISO_8859_1));
            }
            log.add(a);
        }

        List<List<String>> drain() {
            List<List<String>> out = new ArrayList<>(log);
            log.clear();
            return out;
        }
    }

    @Test
    void propagation() {
        Recorder rec = new Recorder();
        try (Store store = Store.builder().propagationSink(rec).shards(4).open()) {
            Session s = store.newSession();
            s.execute("RPUSH", "a", "1", "2", "3", "4", "5");
            assertEquals(List.of(List.of("RPUSH", "a", "1", "2", "3", "4", "5")), rec.drain());
            s.execute("LPUSHX", "nokey", "1");
            s.execute("LPOP", "nokey");
            s.execute("LPOP", "a", "0");
            s.execute("LTRIM", "a", "0", "-1");
            s.execute("LREM", "a", "0", "zz");
            s.execute("LINSERT", "a", "BEFORE", "zz", "x");
            s.execute("LMPOP", "1", "nokey", "LEFT");
            s.execute("RPOPLPUSH", "nokey", "a");
            assertEquals(List.of(), rec.drain(), "no-ops propagate nothing");
            s.execute("LPOP", "a", "2");
            s.execute("RPOP", "a");
            s.execute("LMPOP", "2", "nokey", "a", "RIGHT", "COUNT", "10");
            assertEquals(List.of(List.of("LPOP", "a", "2"), List.of("RPOP", "a"), List.of("RPOP", "a", "2")), rec.drain());
            s.execute("RPUSH", "b", "1", "2", "3", "4");
            rec.drain();
            s.execute("LMOVE", "b", "c", "left", "Right");
            s.execute("RPOPLPUSH", "b", "c");
            s.execute("LTRIM", "b", "-1", "10");
            s.execute("LSET", "c", "-1", "z");
            s.execute("LINSERT", "c", "after", "z", "y");
            s.execute("LREM", "c", "-1", "y");
            assertEquals(List.of(List.of("LMOVE", "b", "c", "LEFT", "RIGHT"), List.of("RPOPLPUSH", "b", "c"),
                List.of("LTRIM", "b", "-1", "10"), List.of("LSET", "c", "-1", "z"),
                List.of("LINSERT", "c", "AFTER", "z", "y"), List.of("LREM", "c", "-1", "y")), rec.drain());
        }
    }
}
