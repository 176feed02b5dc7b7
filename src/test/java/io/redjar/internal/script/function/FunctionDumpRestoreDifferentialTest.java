package io.redjar.internal.script.function;

import io.redjar.Reply;
import io.redjar.Session;
import io.redjar.Store;
import io.redjar.testing.ReplyAssert;
import io.redjar.testing.RequiresRedis;
import io.redjar.testing.RespClient;
import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * FUNCTION DUMP payloads moved between redis-server and RedJar both ways: redis-server's payload
 * restores into RedJar (every policy), after which RedJar's DUMP is byte for byte redis-server's
 * (RedJar keeps the payload's library order) and FUNCTION LIST WITHCODE and FCALL agree; RedJar's
 * payload restores into redis-server with the same result. Libraries are seeded: code sizes from
 * a few bytes (verbatim strings) to kilobytes (LZF-compressed), one to five libraries.
 */
@RequiresRedis
class FunctionDumpRestoreDifferentialTest {

    static String library(Random r, int n) {
        StringBuilder sb = new StringBuilder("#!lua name=lib" + n + "\n");
        int fns = 1 + r.nextInt(3);
        for (int f = 0; f < fns; f++) {
            sb.append("redis.register_function('f").append(n).append('_').append(f)
                .append("', function(keys, args) return ").append(r.nextInt(1000)).append(" end)\n");
        }
        int padding = r.nextInt(4) == 0 ? r.nextInt(4000) : r.nextInt(40);
        sb.append("-- ");
        for (int i = 0; i < padding; i++) {
            sb.append((char) ('a' + (r.nextBoolean() ? i % 7 : r.nextInt(26))));
        }
        return sb.append('\n').toString();
    }

    private static byte[] bulk(Reply r) {
        return ((Reply.Bulk) r).value();
    }

    @Test
    void payloadsMoveBothWays(RespClient redis) {
        Seeds.run("FunctionDumpRestoreDifferentialTest", r -> {
            for (int round = 0; round < 20; round++) {
                redis.call("FUNCTION", "FLUSH");
                int libs = 1 + r.nextInt(5);
                List<String> codes = new ArrayList<>();
                for (int n = 0; n < libs; n++) {
                    codes.add(library(r, n));
                    assertEquals(Reply.bulk("lib" + n), redis.call("FUNCTION", "LOAD", codes.get(n)));
                }
                byte[] theirs = bulk(redis.call("FUNCTION", "DUMP"));
                try (Store store = Store.open()) {
                    Session s = store.newSession();
                    s.protocol(3);
                    String policy = new String[] {"APPEND", "REPLACE", "FLUSH"}[r.nextInt(3)];
                    assertEquals(Reply.OK, s.execute("FUNCTION".getBytes(), "RESTORE".getBytes(), theirs, policy.getBytes()));
                    assertArrayEquals(theirs, bulk(s.execute("FUNCTION", "DUMP")), "RedJar's DUMP after restoring redis-server's");
                    // functions inside a library are listed in Redis's hash order
                    ReplyAssert.assertSameReply("FUNCTION LIST WITHCODE", redis.call("FUNCTION", "LIST", "WITHCODE"),
                        s.execute("FUNCTION", "LIST", "WITHCODE"), io.redjar.testing.ReplyComparator.UNORDERED_DEEP);
                    ReplyAssert.assertSameReply("FCALL f0_0", redis.call("FCALL", "f0_0", "0"), s.execute("FCALL", "f0_0", "0"));
                    // which library collides first follows Redis's hash order: compare the error's shape
                    String again = redis.call("FUNCTION".getBytes(), "RESTORE".getBytes(), theirs).toString();
                    String ours0 = s.execute("FUNCTION".getBytes(), "RESTORE".getBytes(), theirs).toString();
                    assertEquals(again.replaceAll("lib[0-9]+", "lib?"), ours0.replaceAll("lib[0-9]+", "lib?"), "RESTORE again (APPEND)");

                    // the other way: RedJar's payload into a flushed redis-server
                    byte[] ours = bulk(s.execute("FUNCTION", "DUMP"));
                    redis.call("FUNCTION", "FLUSH");
                    assertEquals(Reply.OK, redis.call("FUNCTION".getBytes(), "RESTORE".getBytes(), ours));
                    assertArrayEquals(ours, bulk(redis.call("FUNCTION", "DUMP")), "redis-server's DUMP after restoring RedJar's");
                }
            }
        });
    }

    @Test
    void loadedLibrariesDumpAsRedisDoes(RespClient redis) {
        // one library loaded independently on each side: the payloads are equal byte for byte
        Seeds.run("FunctionDumpRestoreDifferentialTest.loaded", r -> {
            for (int round = 0; round < 20; round++) {
                String code = library(r, round);
                redis.call("FUNCTION", "FLUSH");
                redis.call("FUNCTION", "LOAD", code);
                try (Store store = Store.open()) {
                    Session s = store.newSession();
                    s.execute("FUNCTION", "LOAD", code);
                    assertArrayEquals(bulk(redis.call("FUNCTION", "DUMP")), bulk(s.execute("FUNCTION", "DUMP")));
                }
            }
        });
    }
}
