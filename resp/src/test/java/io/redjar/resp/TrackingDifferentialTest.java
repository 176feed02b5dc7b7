package io.redjar.resp;

import io.redjar.testing.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Client-side caching against a real redis-server, byte for byte, over three connections (0: the
 * tracking client, 1: the redirection client, 2: a writer), in RESP2 and RESP3: after each step
 * every connection's output (replies and pushed invalidations) is read until it is quiet and
 * compared. Scenarios: redirection to a subscribed client, default mode (one invalidation per
 * remembered key, MGET, FLUSHDB's null list), BCAST with prefixes (one batch per prefix, prefix
 * overlap errors, NOLOOP), OPTIN with CLIENT CACHING, own writes (NOLOOP, MULTI/EXEC), option
 * errors, GETREDIR / TRACKINGINFO / CLIENT INFO flags, INFO's tracking fields, RESET, and a
 * redirection broken by QUIT. The redirection client's id differs between the servers: it is
 * written {@code {id1}} in the steps and {@code ID1} in the output. Skipped loudly without
 * redis-server, failed if CI=true.
 */
class TrackingDifferentialTest {
    private static RedisServerProcess redis;
    private static RedJarServer redjar;

    @BeforeAll
    static void start() throws IOException {
        DifferentialWireTest.requireTool("redis-server");
        Path exe = RedisServerProcess.locate().orElseThrow();
        redis = RedisServerProcess.start(exe, RedisServerProcess.DEFAULT_START_TIMEOUT, List.of());
        redjar = RedJarServer.start(ServerOptions.defaults().port(0));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {redjar, redis}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    private record Step(int conn, String... argv) {
    }

    private static Step s(int conn, String... argv) {
        return new Step(conn, argv);
    }

    private static final List<Step> SCRIPT = List.of(
        s(1, "SUBSCRIBE", "__redis__:invalidate"),
        s(0, "CLIENT", "TRACKING", "ON", "REDIRECT", "{id1}"),
        s(0, "CLIENT", "GETREDIR"),
        s(0, "CLIENT", "TRACKINGINFO"),
        s(0, "CLIENT", "INFO"),
        s(2, "MSET", "a", "1", "b", "2"),
        s(0, "MGET", "a", "b", "c"),
        s(2, "SET", "a", "x"),
        s(2, "INCR", "c"),
        s(2, "SET", "a", "y"),
        s(0, "GET", "b"),
        s(0, "HGET", "h", "f"),
        s(2, "INFO"),
        s(2, "FLUSHDB"),
        s(2, "INFO"),
        s(0, "CLIENT", "TRACKING", "OFF"),
        s(0, "CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "p:", "PREFIX", "q:"),
        s(0, "CLIENT", "TRACKINGINFO"),
        s(0, "CLIENT", "INFO"),
        s(2, "MSET", "p:2", "1", "p:1", "1", "q:1", "1", "r:1", "1"),
        s(2, "INFO"),
        s(0, "CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "p"),
        s(0, "CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "x", "PREFIX", "xy"),
        s(0, "CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "r:", "NOLOOP"),
        s(0, "SET", "r:own", "1"),
        s(2, "SET", "r:other", "1"),
        s(0, "MSET", "r:own", "2", "r:x", "1"),
        s(0, "CLIENT", "TRACKING", "ON", "OPTIN"),
        s(0, "CLIENT", "TRACKING", "OFF"),
        s(0, "CLIENT", "TRACKING", "ON", "OPTIN", "REDIRECT", "{id1}"),
        s(0, "GET", "a"),
        s(0, "CLIENT", "CACHING", "YES"),
        s(0, "CLIENT", "TRACKINGINFO"),
        s(0, "GET", "b"),
        s(0, "CLIENT", "TRACKINGINFO"),
        s(2, "MSET", "a", "1", "b", "1"),
        s(0, "CLIENT", "CACHING", "NO"),
        s(0, "CLIENT", "CACHING", "MAYBE"),
        s(0, "CLIENT", "TRACKING", "ON", "OPTOUT"),
        s(0, "CLIENT", "TRACKING", "ON", "BCAST"),
        s(0, "CLIENT", "TRACKING", "ON", "PREFIX", "x"),
        s(0, "CLIENT", "TRACKING", "ON", "OPTIN", "OPTOUT"),
        s(0, "CLIENT", "TRACKING", "ON", "REDIRECT", "999999"),
        s(0, "CLIENT", "TRACKING", "ON", "REDIRECT", "nan"),
        s(0, "CLIENT", "TRACKING", "MAYBE"),
        s(0, "CLIENT", "TRACKING", "OFF"),
        s(0, "CLIENT", "CACHING", "YES"),
        s(0, "CLIENT", "GETREDIR"),
        s(0, "CLIENT", "TRACKING", "ON", "NOLOOP"),
        s(0, "GET", "z"),
        s(0, "SET", "z", "1"),
        s(2, "SET", "z", "2"),
        s(0, "CLIENT", "TRACKING", "OFF"),
        s(0, "CLIENT", "TRACKING", "ON"),
        s(0, "GET", "m"),
        s(0, "MULTI"),
        s(0, "SET", "m", "1"),
        s(0, "GET", "m"),
        s(0, "EXEC"),
        s(0, "GET", "m"),
        s(0, "DEL", "m"),
        s(0, "GET", "m"),
        s(0, "CLIENT", "TRACKING", "OFF"),
        s(0, "CLIENT", "TRACKING", "ON", "OPTOUT", "REDIRECT", "{id1}"),
        s(0, "CLIENT", "CACHING", "NO"),
        s(0, "MULTI"),
        s(0, "GET", "o1"),
        s(0, "GET", "o2"),
        s(0, "EXEC"),
        s(0, "GET", "o3"),
        s(2, "MSET", "o1", "1", "o2", "1", "o3", "1"),
        s(0, "CLIENT", "TRACKING", "OFF"),
        s(0, "CLIENT", "TRACKING", "ON", "REDIRECT", "{id1}"),
        s(0, "EVAL", "return redis.call('get', KEYS[1])", "2", "e1", "e2"),
        s(0, "EVAL", "return redis.call('set', KEYS[1], 'x')", "1", "e3"),
        s(2, "MSET", "e2", "1", "e1", "1", "e3", "1"),
        s(0, "EVAL_RO", "return redis.call('get', KEYS[1])", "1", "e4"),
        s(0, "SET", "e4", "1"),
        s(0, "SUBSCRIBE", "x"),
        s(0, "UNSUBSCRIBE"),
        s(0, "CLIENT", "TRACKING", "OFF"),
        s(0, "CLIENT", "TRACKING", "ON", "BCAST", "REDIRECT", "{id1}", "PREFIX", "bc"),
        s(2, "SET", "bc1", "1"),
        s(2, "DEL", "bc1", "bc2"),
        s(0, "CLIENT", "TRACKING", "OFF"),
        s(0, "CLIENT", "TRACKING", "ON", "BCAST", "REDIRECT", "{id1}", "NOLOOP"),
        s(0, "SET", "nl1", "1"),
        s(0, "EVAL", "return redis.call('set', KEYS[1], '1')", "1", "nl2"),
        s(0, "MULTI"),
        s(0, "SET", "nl3", "1"),
        s(0, "EXEC"),
        s(2, "SET", "nl4", "1"),
        s(0, "CLIENT", "TRACKING", "OFF"),
        s(2, "FLUSHALL"),
        s(0, "RESET"),
        s(0, "CLIENT", "TRACKINGINFO"),
        s(2, "INFO"),
        s(0, "HELLO", "3"),
        s(0, "CLIENT", "TRACKING", "ON", "REDIRECT", "{id1}"),
        s(0, "GET", "k9"),
        s(1, "QUIT"),
        s(2, "SET", "k9", "1"),
        s(0, "CLIENT", "TRACKINGINFO"),
        s(0, "CLIENT", "INFO"),
        s(0, "CLIENT", "TRACKING", "OFF"),
        s(2, "INFO"));

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void sameFramesAsRedis(int protocol) throws Exception {
        List<String> expected = run(redis.port(), protocol);
        List<String> actual = run(redjar.port(), protocol);
        java.nio.file.Files.write(Path.of("target", "tracking-diff-redis-resp" + protocol + ".txt"), expected);
        java.nio.file.Files.write(Path.of("target", "tracking-diff-redjar-resp" + protocol + ".txt"), actual);
        assertTrue(String.join("\n", expected).contains("invalidate"), "the script produces invalidations");
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            assertEquals(expected.get(i), actual.get(i), "step " + i);
        }
        assertEquals(expected.size(), actual.size());
    }

    private static List<String> run(int port, int protocol) throws Exception {
        List<String> out = new ArrayList<>();
        RawConn[] conns = new RawConn[3];
        boolean[] inMulti = new boolean[3];
        boolean[] closed = new boolean[3];
        try {
            for (int i = 0; i < conns.length; i++) {
                conns[i] = new RawConn(port);
                conns[i].socket.setSoTimeout(10_000);
                if (protocol == 3) {
                    send(conns[i], "HELLO", "3");
                    conns[i].readReply(); // server name and version differ
                }
            }
            send(conns[2], "FLUSHALL");
            conns[2].readReply();
            send(conns[1], "CLIENT", "ID");
            String idReply = conns[1].readReplyString();
            String id1 = idReply.substring(1, idReply.length() - 2);
            for (Step st : SCRIPT) {
                int me = st.conn();
                String[] argv = st.argv().clone();
                for (int i = 0; i < argv.length; i++) {
                    argv[i] = argv[i].replace("{id1}", id1);
                }
                send(conns[me], argv);
                String name = argv[0].toUpperCase(java.util.Locale.ROOT);
                if (name.equals("EXEC") || name.equals("DISCARD") || name.equals("RESET")) {
                    inMulti[me] = false;
                }
                StringBuilder sb = new StringBuilder(String.join(" ", st.argv())).append(" ->");
                String[] results = new String[conns.length];
                for (int k = 0; k < conns.length; k++) {
                    int i = (me + k) % conns.length;
                    String got;
                    if (closed[i]) {
                        got = "<closed>";
                    } else if (i == me && name.equals("MULTI")) {
                        got = conns[i].readReplyString();
                        inMulti[i] = got.equals("+OK\r\n");
                    } else if (inMulti[i]) {
                        got = i == me ? conns[i].readReplyString() : "";
                    } else if (i == me && name.equals("QUIT")) {
                        got = conns[i].readReplyString();
                        closed[i] = true;
                    } else {
                        got = untilSync(conns[i]);
                        closed[i] = got.endsWith("<eof>");
                    }
                    if (i == me && name.equals("INFO")) {
                        StringBuilder keep = new StringBuilder();
                        for (String l : got.split("\r\n")) {
                            if (l.startsWith("tracking_")) {
                                keep.append(l).append('|');
                            }
                        }
                        got = keep.toString();
                    } else if (i == me && name.equals("CLIENT") && argv[1].equalsIgnoreCase("info")) {
                        got = got.replaceAll("(?s).*( flags=\\S+ ).*( redir=\\S+ ).*", "$1$2");
                    } else if (i == me && name.equals("HELLO")) {
                        got = "<hello>";
                    }
                    if (i == 0 && (name.equals("CLIENT") || got.contains("tracking-redir-broken"))) {
                        // only where the redirection id appears (small integers are common elsewhere)
                        got = got.replace(":" + id1 + "\r\n", ":ID1\r\n").replace("redir=" + id1, "redir=ID1");
                    }
                    results[i] = got;
                }
                for (int i = 0; i < conns.length; i++) {
                    sb.append(" [").append(i).append("] ").append(results[i].replace("\r\n", "\\r\\n"));
                }
                out.add(sb.toString());
            }
        } finally {
            for (RawConn c : conns) {
                if (c != null) {
                    c.close();
                }
            }
        }
        return out;
    }


    private static void send(RawConn c, String... argv) throws IOException {
        c.send(ConnectionCommandsDifferentialTest.frame(argv));
    }

    /** Everything the connection receives before the reply to a {@code PING sync~} sent now. */
    private static String untilSync(RawConn c) throws IOException {
        return PubSubDifferentialTest.untilSync(c);
    }
}
