package io.redjar;

import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The same logic as a Lua script ({@code EVALSHA}) on one store and as a {@link Store#atomically}
 * lambda on another, over a seeded random sequence of calls: every call returns the same value
 * and the stores end with the same contents (the lambda is a drop-in for the script).
 */
class AtomicallyMatchesScriptTest {
    private static final String SCRIPT = "local n = redis.call('INCR', KEYS[1])\n"
        + "redis.call('HSET', KEYS[2], 'last', n)\n"
        + "redis.call('LPUSH', KEYS[3], n)\n"
        + "redis.call('LTRIM', KEYS[3], 0, 2)\n"
        + "redis.call('ZADD', KEYS[4], n, ARGV[1])\n"
        + "return n\n";

    @Test
    void sameRepliesSameState() {
        Seeds.run("AtomicallyMatchesScriptTest", rnd -> {
            try (Store lua = Store.open(); Store java = Store.open()) {
                Session s = lua.newSession();
                String sha = ((Reply.Bulk) s.execute("SCRIPT", "LOAD", SCRIPT)).asString();
                Random r = new Random(rnd.nextLong());
                for (int i = 0; i < 500; i++) {
                    int u = r.nextInt(7);
                    List<String> k = List.of("count:" + u, "meta:" + u, "recent:" + u, "board");
                    String user = "user" + u;
                    Reply viaLua = s.execute("EVALSHA", sha, "4", k.get(0), k.get(1), k.get(2), k.get(3), user);
                    long viaJava = java.atomicallyResult(k, ctx -> {
                        long n = ctx.strings().incr(k.get(0));
                        ctx.hashes().hset(k.get(1), "last", Long.toString(n));
                        ctx.lists().lpush(k.get(2), Long.toString(n));
                        ctx.lists().ltrim(k.get(2), 0, 2);
                        ctx.sortedSets().zadd(k.get(3), n, user);
                        return n;
                    });
                    assertEquals(new Reply.IntegerReply(viaJava), viaLua, "call " + i);
                }
                for (int u = 0; u < 7; u++) {
                    for (String[] read : new String[][] {{"GET", "count:" + u}, {"HGETALL", "meta:" + u},
                        {"LRANGE", "recent:" + u, "0", "-1"}}) {
                        assertEquals(lua.execute(read), java.execute(read), String.join(" ", read));
                    }
                }
                String[] board = {"ZRANGE", "board", "0", "-1", "WITHSCORES"};
                assertEquals(lua.execute(board), java.execute(board));
                assertEquals(lua.execute("DBSIZE"), java.execute("DBSIZE"));
            }
        });
    }
}
