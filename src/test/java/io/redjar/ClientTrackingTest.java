package io.redjar;

import io.redjar.spi.Connection;
import io.redjar.spi.FrontEnd;
import io.redjar.testing.MemoryPeer;
import io.redjar.spi.Result;
import io.redjar.testing.Seeds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Client-side caching (CLIENT TRACKING) in the core, through {@code io.redjar.spi} connections
 * with in-memory peers: what each connection is sent (frames pushed through its peer) and
 * answered (its results), for default and BCAST mode, redirection, OPTIN/OPTOUT, NOLOOP, flushes,
 * the table limit, MULTI and scripts, the errors, INFO and CLIENT LIST; and a concurrent test:
 * writers on many threads, each remembered key invalidated exactly once per client.
 */
class ClientTrackingTest {
    private Store store;
    private FrontEnd fe;

    private record Client(Connection conn, MemoryPeer peer, long id) {
        /** Runs a command; a reply that comes later (a script on the script thread) is waited for. */
        Result run(String... a) {
            Result r = conn.execute(argv(a));
            if (r.later() != null) {
                Reply later = r.later().join();
                return later == null ? Result.none() : Result.reply(later);
            }
            return r;
        }

        Reply reply(String... a) {
            return run(a).reply();
        }
    }

    private static byte[][] argv(String... a) {
        byte[][] out = new byte[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    private Client connect() {
        MemoryPeer p = new MemoryPeer();
        Connection c = fe.connect(p);
        return new Client(c, p, c.id());
    }

    private static Reply push(String... keys) {
        List<Reply> ks = new ArrayList<>();
        for (String k : keys) {
            ks.add(Reply.bulk(k));
        }
        return new Reply.Push(List.of(Reply.bulk("invalidate"), new Reply.ArrayReply(ks)));
    }

    private static String pushBytes(String... keys) {
        StringBuilder sb = new StringBuilder(">2\r\n$10\r\ninvalidate\r\n*" + keys.length + "\r\n");
        for (String k : keys) {
            sb.append('$').append(k.length()).append("\r\n").append(k).append("\r\n");
        }
        return sb.toString();
    }

    private static String messageBytes(String... keys) {
        StringBuilder sb = new StringBuilder("*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n*" + keys.length + "\r\n");
        for (String k : keys) {
            sb.append('$').append(k.length()).append("\r\n").append(k).append("\r\n");
        }
        return sb.toString();
    }

    @BeforeEach
    void open() {
        store = Store.open();
        fe = store.frontEnd();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void defaultModeResp3InvalidatesEachRememberedKeyOnce() {
        Client r = connect();
        Client w = connect();
        r.run("HELLO", "3");
        assertEquals(Reply.OK, r.reply("CLIENT", "TRACKING", "ON"));
        w.run("MSET", "a", "1", "b", "2");
        r.run("GET", "a");
        r.run("STRLEN", "c");
        w.run("SET", "b", "x"); // b was not read
        w.run("SET", "a", "x");
        w.run("SET", "a", "y"); // forgotten after the first invalidation
        w.run("DEL", "c");      // nothing to delete: not a modification
        w.run("SET", "c", "z");
        assertEquals(List.of(pushBytes("a"), pushBytes("c")), r.peer.take());
    }

    @Test
    void ownWritesAreInvalidatedAfterTheReplyUnlessNoloop() {
        Client r = connect();
        r.run("HELLO", "3");
        r.run("CLIENT", "TRACKING", "ON");
        r.run("HSET", "h", "f", "1");
        r.run("HGET", "h", "f");
        Result res = r.run("HDEL", "h", "f");
        assertEquals(List.of(Reply.integer(1), push("h")), res.replies(), "the reply, then the invalidation");
        assertEquals(List.of(), r.peer.take());

        // MULTI: one push after EXEC's reply
        r.run("SET", "k", "1");
        r.run("GET", "k");
        r.run("MULTI");
        r.run("INCR", "k");
        r.run("GET", "k");
        Result exec = r.run("EXEC");
        assertEquals(2, exec.replies().size());
        assertEquals(push("k"), exec.replies().get(1));

        r.run("CLIENT", "TRACKING", "OFF");
        r.run("CLIENT", "TRACKING", "ON", "NOLOOP");
        r.run("GET", "k");
        assertEquals(List.of(Reply.OK), r.run("SET", "k", "2").replies(), "NOLOOP: no push for its own write");
    }

    @Test
    void flushSendsTheNullKeyListToEveryTrackingClient() {
        Client r = connect();
        Client b = connect();
        Client w = connect();
        r.run("HELLO", "3");
        b.run("HELLO", "3");
        r.run("CLIENT", "TRACKING", "ON");
        b.run("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "zz");
        r.run("GET", "k");
        assertEquals(Reply.integer(1), infoField(w, "tracking_total_keys"));
        w.run("FLUSHALL");
        assertEquals(List.of(">2\r\n$10\r\ninvalidate\r\n_\r\n"), r.peer.take());
        assertEquals(List.of(">2\r\n$10\r\ninvalidate\r\n_\r\n"), b.peer.take(), "BCAST clients too, as Redis");
        assertEquals(Reply.integer(0), infoField(w, "tracking_total_keys"));
        // the flushing client itself: after its reply
        Result own = r.run("FLUSHDB");
        assertEquals(List.of(Reply.OK, new Reply.Push(List.of(Reply.bulk("invalidate"), Reply.NULL))), own.replies());
        // SWAPDB invalidates nothing (Redis 7.0)
        r.run("GET", "k");
        w.run("SWAPDB", "0", "1");
        assertEquals(List.of(), r.peer.take());
    }

    @Test
    void resp2RedirectionToASubscribedClient() {
        Client r = connect();
        Client sub = connect();
        Client w = connect();
        sub.run("SUBSCRIBE", "__redis__:invalidate");
        assertEquals(Reply.OK, r.reply("CLIENT", "TRACKING", "ON", "REDIRECT", Long.toString(sub.id)));
        r.run("MGET", "a", "b");
        w.run("SET", "a", "1");
        w.run("SET", "b", "1");
        assertEquals(List.of(messageBytes("a"), messageBytes("b")), sub.peer.take());
        assertEquals(Reply.integer(sub.id), r.reply("CLIENT", "GETREDIR"));
        // a RESP2 client in pub/sub mode on any channel gets them; one not subscribed gets nothing
        sub.run("UNSUBSCRIBE");
        r.run("GET", "a");
        w.run("SET", "a", "2");
        assertEquals(List.of(), sub.peer.take());
        assertEquals(List.of(), r.peer.take(), "RESP2 without redirection: nothing");
    }

    @Test
    void brokenRedirectionIsReportedToResp3Clients() {
        Client r = connect();
        Client target = connect();
        Client w = connect();
        r.run("HELLO", "3");
        r.run("CLIENT", "TRACKING", "ON", "REDIRECT", Long.toString(target.id));
        r.run("GET", "k");
        assertTrue(target.run("QUIT").close());
        w.run("SET", "k", "1");
        assertEquals(List.of(">2\r\n$21\r\ntracking-redir-broken\r\n:" + target.id + "\r\n"), r.peer.take());
        Reply info = r.reply("CLIENT", "TRACKINGINFO");
        assertEquals(new Reply.Map(List.of(Reply.bulk("flags"), new Reply.SetReply(List.of(Reply.bulk("on"), Reply.bulk("broken_redirect"))),
            Reply.bulk("redirect"), Reply.integer(target.id), Reply.bulk("prefixes"), new Reply.ArrayReply(List.of()))), info);
        String line = ((Reply.Verbatim) r.reply("CLIENT", "INFO")).text();
        assertTrue(line.contains(" flags=tR ") && line.contains(" redir=" + target.id + " "), line);
        assertEquals(Reply.error("ERR The client ID you want redirect to does not exist"),
            r.reply("CLIENT", "TRACKING", "ON", "REDIRECT", Long.toString(target.id)));
    }

    @Test
    void bcastPrefixesBatchPerCommandAndNoloopFiltersOwnKeys() {
        Client r = connect();
        Client w = connect();
        r.run("HELLO", "3");
        assertEquals(Reply.OK, r.reply("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "a:", "PREFIX", "b:"));
        w.run("MSET", "a:2", "1", "a:1", "1", "c:1", "1", "b:1", "1");
        assertEquals(List.of(pushBytes("a:1", "a:2"), pushBytes("b:1")), r.peer.take(), "one batch per prefix, keys in order");
        w.run("MULTI");
        w.run("INCR", "a:1");
        w.run("INCR", "a:1");
        w.run("EXEC");
        assertEquals(List.of(pushBytes("a:1")), r.peer.take(), "one batch for the whole transaction");
        assertEquals(Reply.OK, r.reply("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "c:"));
        assertEquals(Reply.integer(3), infoField(w, "tracking_total_prefixes"));
        String line = ((Reply.Verbatim) r.reply("CLIENT", "INFO")).text();
        assertTrue(line.contains(" flags=tB "), line);

        Client n = connect();
        n.run("HELLO", "3");
        n.run("CLIENT", "TRACKING", "ON", "BCAST", "NOLOOP");
        Result own = n.run("SET", "x", "1");
        assertEquals(List.of(Reply.OK), own.replies(), "NOLOOP: its own write is not sent back");
        w.run("SET", "y", "1");
        assertEquals(List.of(pushBytes("y")), n.peer.take());
        // without NOLOOP, a BCAST client's own write comes after its reply
        Result mine = r.run("SET", "c:9", "1");
        assertEquals(List.of(Reply.OK, push("c:9")), mine.replies());
    }

    @Test
    void optinAndOptoutFollowClientCaching() {
        Client r = connect();
        Client w = connect();
        r.run("HELLO", "3");
        r.run("CLIENT", "TRACKING", "ON", "OPTIN");
        r.run("GET", "a");
        r.run("CLIENT", "CACHING", "YES");
        r.run("GET", "b");
        r.run("GET", "c"); // CACHING YES lasted one command
        w.run("MSET", "a", "1", "b", "1", "c", "1");
        assertEquals(List.of(pushBytes("b")), r.peer.take());
        // inside MULTI the flag lasts the transaction
        r.run("CLIENT", "CACHING", "YES");
        r.run("MULTI");
        r.run("GET", "a");
        r.run("GET", "c");
        r.run("EXEC");
        w.run("MSET", "a", "2", "c", "2");
        assertEquals(List.of(pushBytes("a"), pushBytes("c")), r.peer.take());

        r.run("CLIENT", "TRACKING", "OFF");
        r.run("CLIENT", "TRACKING", "ON", "OPTOUT");
        r.run("CLIENT", "CACHING", "NO");
        r.run("GET", "a");
        r.run("GET", "b");
        w.run("MSET", "a", "3", "b", "3");
        assertEquals(List.of(pushBytes("b")), r.peer.take());
    }

    @Test
    void errorsAsRedis() {
        Client r = connect();
        assertEquals(Reply.error("ERR syntax error"), r.reply("CLIENT", "TRACKING", "MAYBE"));
        assertEquals(Reply.error("ERR syntax error"), r.reply("CLIENT", "TRACKING", "ON", "FOO"));
        assertEquals(Reply.error("ERR syntax error"), r.reply("CLIENT", "TRACKING", "ON", "PREFIX"));
        assertEquals(Reply.error("ERR PREFIX option requires BCAST mode to be enabled"), r.reply("CLIENT", "TRACKING", "ON", "PREFIX", "a"));
        assertEquals(Reply.error("ERR OPTIN and OPTOUT are not compatible with BCAST"), r.reply("CLIENT", "TRACKING", "ON", "BCAST", "OPTIN"));
        assertEquals(Reply.error("ERR You can't specify both OPTIN mode and OPTOUT mode"), r.reply("CLIENT", "TRACKING", "ON", "OPTIN", "OPTOUT"));
        assertEquals(Reply.error("ERR The client ID you want redirect to does not exist"), r.reply("CLIENT", "TRACKING", "ON", "REDIRECT", "999"));
        assertEquals(Reply.error("ERR value is not an integer or out of range"), r.reply("CLIENT", "TRACKING", "ON", "REDIRECT", "x"));
        assertEquals(Reply.error("ERR A client can only redirect to a single other client"),
            r.reply("CLIENT", "TRACKING", "ON", "REDIRECT", Long.toString(r.id), "REDIRECT", Long.toString(r.id)));
        assertEquals(Reply.error("ERR Prefix 'FOOBAR' overlaps with another provided prefix 'FOO'. Prefixes for a single client must not overlap."),
            r.reply("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "FOOBAR", "PREFIX", "FOO"));
        assertEquals(Reply.error("ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled"),
            r.reply("CLIENT", "CACHING", "YES"));
        r.run("CLIENT", "TRACKING", "ON", "OPTIN");
        assertEquals(Reply.error("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode."), r.reply("CLIENT", "CACHING", "NO"));
        assertEquals(Reply.error("ERR syntax error"), r.reply("CLIENT", "CACHING", "MAYBE"));
        assertEquals(Reply.error("ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode."),
            r.reply("CLIENT", "TRACKING", "ON", "OPTOUT"));
        assertEquals(Reply.error("ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode."),
            r.reply("CLIENT", "TRACKING", "ON", "BCAST"));
        r.run("CLIENT", "TRACKING", "OFF");
        r.run("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "FOO");
        assertEquals(Reply.error("ERR Prefix 'FO' overlaps with an existing prefix 'FOO'. Prefixes for a single client must not overlap."),
            r.reply("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "FO"));
        assertEquals(Reply.integer(0), r.reply("CLIENT", "GETREDIR"));
        assertEquals(new Reply.SimpleString("RESET"), r.reply("RESET"));
        assertEquals(Reply.integer(-1), r.reply("CLIENT", "GETREDIR"), "RESET turns tracking off");
        assertEquals(Reply.integer(0), infoField(r, "tracking_total_prefixes"));
        assertEquals(Reply.integer(0), infoField(r, "tracking_clients"));
    }

    @Test
    void tableLimitEvictsWithInvalidations() {
        Client r = connect();
        Client w = connect();
        r.run("HELLO", "3");
        r.run("CLIENT", "TRACKING", "ON");
        for (int i = 0; i < 250; i++) {
            r.run("GET", "key" + i);
        }
        assertEquals(Reply.integer(250), infoField(w, "tracking_total_keys"));
        w.run("CONFIG", "SET", "tracking-table-max-keys", "1");
        w.run("PING"); // the limit is enforced before each command (and on the tick)
        w.run("PING");
        w.run("PING");
        assertEquals(Reply.integer(1), infoField(w, "tracking_total_keys"));
        assertEquals(249, r.peer.take().size(), "exactly the keys over the limit");
        assertEquals(Reply.bulk("1"), ((Reply.Map) w.reply("CONFIG", "GET", "tracking-table-max-keys")).flat().get(1));
    }

    @Test
    void scriptsRememberTheirDeclaredKeysWhenTheyRead() {
        Client r = connect();
        Client w = connect();
        r.run("HELLO", "3");
        r.run("CLIENT", "TRACKING", "ON");
        r.run("EVAL", "redis.call('set', 'k3', 'bar')", "2", "k1", "k2");
        w.run("MSET", "k1", "1", "k2", "1");
        assertEquals(List.of(), r.peer.take(), "a script without reads remembers nothing");
        r.run("EVAL", "redis.call('get', 'k3')", "2", "k1", "k2");
        w.run("MSET", "k2", "2", "k1", "2");
        assertEquals(List.of(pushBytes("k2"), pushBytes("k1")), r.peer.take());
        r.run("EVAL_RO", "redis.call('ping')", "2", "k1", "k2");
        w.run("MSET", "k2", "2", "k1", "2");
        assertEquals(List.of(), r.peer.take(), "EVAL_RO itself is not a read");
    }

    @Test
    void lazyExpiryByTheClientsOwnRead() {
        store.close();
        ManualClock clock = new ManualClock(1_000_000L);
        store = Store.builder().clock(clock).activeExpire(false).open();
        fe = store.frontEnd();
        Client r = connect();
        r.run("HELLO", "3");
        r.run("CLIENT", "TRACKING", "ON");
        r.run("SET", "fresh", "1", "PX", "100");
        r.run("SET", "seen", "1", "PX", "100");
        r.run("MSET", "x", "1");
        r.run("GET", "seen");
        clock.advance(java.time.Duration.ofMillis(200));
        // "fresh" was never read: its lazy expiry by this read is no change to a cached value
        assertEquals(List.of(Reply.NULL), r.run("GET", "fresh").replies());
        // "seen" was read: its lazy expiry inside MGET is sent after MGET's whole reply
        Result mget = r.run("MGET", "x", "seen");
        assertEquals(List.of(new Reply.ArrayReply(List.of(Reply.bulk("1"), Reply.NULL)), push("seen")), mget.replies());
        assertEquals(List.of(), r.peer.take());
    }

    @Test
    void disconnectTurnsTrackingOff() {
        Client r = connect();
        Client w = connect();
        r.run("CLIENT", "TRACKING", "ON", "BCAST");
        assertEquals(Reply.integer(1), infoField(w, "tracking_clients"));
        r.conn.disconnected();
        assertEquals(Reply.integer(0), infoField(w, "tracking_clients"));
        assertEquals(Reply.integer(0), infoField(w, "tracking_total_prefixes"));
        w.run("SET", "a", "1");
        assertEquals(List.of(), r.peer.take());
    }

    /**
     * Writers on many threads modify keys two RESP3 clients remembered: each client gets exactly
     * one invalidation per remembered key that was written, whatever the interleaving, and the
     * table ends empty.
     */
    @Test
    void concurrentWritersInvalidateEachKeyOncePerClient() {
        Seeds.run("concurrent tracking", (Random rnd) -> {
            Client a = connect();
            Client b = connect();
            a.run("HELLO", "3");
            b.run("HELLO", "3");
            a.run("CLIENT", "TRACKING", "ON");
            b.run("CLIENT", "TRACKING", "ON");
            int keys = 200;
            for (int i = 0; i < keys; i++) {
                a.run("GET", "k" + i);
                if (i % 2 == 0) {
                    b.run("GET", "k" + i);
                }
            }
            int threads = 4;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch go = new CountDownLatch(1);
            long[] seeds = new long[threads];
            for (int t = 0; t < threads; t++) {
                seeds[t] = rnd.nextLong();
            }
            for (int t = 0; t < threads; t++) {
                long s = seeds[t];
                pool.execute(() -> {
                    Client wr = connect();
                    Random r = new Random(s);
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < keys * 2; i++) {
                        wr.run("INCR", "k" + r.nextInt(keys));
                    }
                    for (int i = 0; i < keys; i++) {
                        wr.run("SET", "k" + i, "x"); // every key written at least once
                    }
                });
            }
            go.countDown();
            pool.shutdown();
            assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
            assertEquals(keys, count(a.peer.take(), keys));
            assertEquals(keys / 2, count(b.peer.take(), keys));
            assertEquals(Reply.integer(0), infoField(a, "tracking_total_keys"));
            assertEquals(Reply.integer(0), infoField(a, "tracking_total_items"));
        });
    }

    /** @return how many distinct keys the frames invalidate, failing on a key invalidated twice */
    private static int count(List<String> frames, int keys) {
        boolean[] seen = new boolean[keys];
        int n = 0;
        Pattern p = Pattern.compile("\\$\\d+\\r\\nk(\\d+)\\r\\n");
        for (String f : frames) {
            Matcher m = p.matcher(f);
            while (m.find()) {
                int k = Integer.parseInt(m.group(1));
                assertFalse(seen[k], "k" + k + " invalidated twice");
                seen[k] = true;
                n++;
            }
        }
        return n;
    }

    private static Reply infoField(Client c, String field) {
        Reply r = c.reply("INFO");
        String info = r instanceof Reply.Verbatim v ? v.text() : ((Reply.Bulk) r).asString();
        for (String line : info.split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return Reply.integer(Long.parseLong(line.substring(field.length() + 1)));
            }
        }
        throw new AssertionError("no " + field + " in INFO");
    }
}
