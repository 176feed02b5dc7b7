package io.redjar.bench;

import io.redjar.AtomicContext;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The 5-command script of the script benchmarks (issue 9), and the same logic as Java: count an
 * event for a user, remember it in a hash, keep the last 10 in a list, rank the user by count.
 * Users rotate over {@link #USERS} key groups so every structure stays small.
 *
 * <pre>
 * local n = redis.call('INCR', KEYS[1])
 * redis.call('HSET', KEYS[2], 'last', n)
 * redis.call('LPUSH', KEYS[3], n)
 * redis.call('LTRIM', KEYS[3], 0, 9)
 * redis.call('ZADD', KEYS[4], n, ARGV[1])
 * return n
 * </pre>
 */
final class ScriptWorkload {
    static final int USERS = 1000;

    static final String SCRIPT = "local n = redis.call('INCR', KEYS[1])\n"
        + "redis.call('HSET', KEYS[2], 'last', n)\n"
        + "redis.call('LPUSH', KEYS[3], n)\n"
        + "redis.call('LTRIM', KEYS[3], 0, 9)\n"
        + "redis.call('ZADD', KEYS[4], n, ARGV[1])\n"
        + "return n\n";

    /** Per user: the four keys, as Strings (typed calls) and as bytes (EVALSHA argv). */
    final List<List<String>> keys;
    final String[] users;

    ScriptWorkload(String prefix) {
        users = new String[USERS];
        @SuppressWarnings("unchecked")
        List<String>[] k = new List[USERS];
        for (int u = 0; u < USERS; u++) {
            users[u] = "user" + u;
            k[u] = List.of(prefix + "count:" + u, prefix + "meta:" + u, prefix + "recent:" + u, prefix + "board");
        }
        keys = List.of(k);
    }

    /** @return the argv of {@code EVALSHA sha 4 k1 k2 k3 k4 user} for user {@code u} */
    byte[][] evalshaArgv(String sha, int u) {
        List<String> k = keys.get(u);
        return new byte[][] {b("EVALSHA"), b(sha), b("4"), b(k.get(0)), b(k.get(1)), b(k.get(2)), b(k.get(3)), b(users[u])};
    }

    /** The script's logic as typed calls (inside {@code Store.atomically} or {@code Store.multi}). */
    static long javaLogic(AtomicContext ctx, List<String> k, String user) {
        long n = ctx.strings().incr(k.get(0));
        String s = Long.toString(n);
        ctx.hashes().hset(k.get(1), "last", s);
        ctx.lists().lpush(k.get(2), s);
        ctx.lists().ltrim(k.get(2), 0, 9);
        ctx.sortedSets().zadd(k.get(3), n, user);
        return n;
    }

    /** The same on a {@link io.redjar.Store} (for {@code Store.multi}). */
    static long javaLogic(io.redjar.Store tx, List<String> k, String user) {
        long n = tx.strings().incr(k.get(0));
        String s = Long.toString(n);
        tx.hashes().hset(k.get(1), "last", s);
        tx.lists().lpush(k.get(2), s);
        tx.lists().ltrim(k.get(2), 0, 9);
        tx.sortedSets().zadd(k.get(3), n, user);
        return n;
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
