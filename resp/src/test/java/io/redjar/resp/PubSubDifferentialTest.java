package io.redjar.resp;

import io.redjar.testing.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pub/sub against a real redis-server, byte for byte, over three connections, in RESP2 and RESP3:
 * after each step every connection's output (replies and pushed frames) is read until it is
 * quiet and compared. Covers (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE confirmations (one frame per
 * channel, the nil-channel reply), message / pmessage / smessage frames, the RESP2
 * subscribed-mode refusals and PING, PUBSUB introspection and its errors, RESET, PUBLISH inside
 * MULTI/EXEC, publishing to oneself (RESP3), QUIT and INFO's pubsub counters; and keyspace
 * notifications ({@code notify-keyspace-events}: classes, K/E, masking, CONFIG GET's canonical
 * form and its error, another database). Where Redis's order
 * is its hash table's (PUBSUB CHANNELS), lines are compared sorted. Skipped loudly without
 * redis-server, failed if CI=true.
 */
class PubSubDifferentialTest {
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

    /** One step: connection index, command, and how to compare (exact, sorted lines, INFO pubsub lines). */
    private record Step(int conn, String mode, String... argv) {
    }

    private static Step s(int conn, String... argv) {
        return new Step(conn, "exact", argv);
    }

    private static Step sorted(int conn, String... argv) {
        return new Step(conn, "sorted", argv);
    }

    private static final List<Step> SCRIPT = List.of(
        s(0, "SUBSCRIBE", "ch1", "ch2"),
        s(0, "SUBSCRIBE", "ch1"),
        s(2, "CLIENT", "LIST", "TYPE", "pubsub"),
        s(2, "CLIENT", "LIST", "TYPE", "normal"),
        s(2, "CLIENT", "KILL", "TYPE", "master"),
        s(0, "GET", "k"),
        s(0, "CLIENT", "LIST"),
        s(0, "PING"),
        s(0, "PING", "hi"),
        s(1, "PSUBSCRIBE", "news.*", "h?llo"),
        s(2, "PUBLISH", "ch1", "m1"),
        s(2, "PUBLISH", "news.x", "m2"),
        s(2, "PUBLISH", "hello", "m3"),
        s(2, "PUBLISH", "nobody", "m4"),
        s(2, "PUBLISH", "ch2", ""),
        s(2, "PUBSUB", "NUMSUB", "ch1", "ch2", "ch3"),
        s(2, "PUBSUB", "NUMSUB"),
        s(2, "PUBSUB", "NUMPAT"),
        sorted(2, "PUBSUB", "CHANNELS"),
        sorted(2, "PUBSUB", "CHANNELS", "ch*"),
        s(2, "PUBSUB", "CHANNELS", "a", "b"),
        s(2, "PUBSUB", "HELP"),
        s(2, "PUBSUB", "FOO"),
        s(2, "PUBSUB", "NUMPAT", "x"),
        s(2, "PUBSUB"),
        new Step(2, "info", "INFO", "stats"),
        s(0, "UNSUBSCRIBE", "ch1", "nope"),
        s(0, "UNSUBSCRIBE"),
        s(0, "UNSUBSCRIBE"),
        s(0, "PUNSUBSCRIBE"),
        s(0, "SUNSUBSCRIBE"),
        s(0, "GET", "k"),
        s(0, "PING"),
        s(1, "PUNSUBSCRIBE", "news.*"),
        s(1, "SET", "k", "v"),
        s(1, "MULTI"),
        s(1, "RESET"),
        s(1, "PING"),
        s(2, "PUBLISH", "hello", "x"),
        s(0, "SSUBSCRIBE", "s1", "s2"),
        s(2, "SPUBLISH", "s1", "hi"),
        s(2, "PUBLISH", "s1", "not-shard"),
        sorted(2, "PUBSUB", "SHARDCHANNELS"),
        s(2, "PUBSUB", "SHARDCHANNELS", "s1"),
        s(2, "PUBSUB", "SHARDNUMSUB", "s1", "zz"),
        s(0, "SUNSUBSCRIBE", "s1"),
        s(0, "SUBSCRIBE", "ch3"),
        s(0, "SUNSUBSCRIBE"),
        s(0, "PSUBSCRIBE", "*3"),
        s(2, "MULTI"),
        s(2, "PUBLISH", "ch3", "in-multi"),
        s(2, "SPUBLISH", "s9", "x"),
        s(2, "EXEC"),
        s(0, "PUBLISH", "ch3", "self"),
        new Step(2, "info", "INFO", "stats"),
        s(2, "SUBSCRIBE"),
        s(2, "PUBLISH", "a"),
        s(2, "SPUBLISH", "a", "b", "c"),
        s(0, "PUNSUBSCRIBE", "*3", "x*"),
        s(0, "QUIT"),
        s(2, "PUBSUB", "NUMSUB", "ch3"),
        s(2, "PUBSUB", "NUMPAT"));

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void sameFramesAsRedis(int protocol) throws Exception {
        List<String> expected = run(redis.port(), protocol);
        List<String> actual = run(redjar.port(), protocol);
        java.nio.file.Files.write(Path.of("target", "pubsub-diff-redis-resp" + protocol + ".txt"), expected);
        java.nio.file.Files.write(Path.of("target", "pubsub-diff-redjar-resp" + protocol + ".txt"), actual);
        assertTrue(String.join("\n", expected).contains("$7\\r\\nmessage"), "the script delivers messages");
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            assertEquals(expected.get(i), actual.get(i), "step " + i);
        }
        assertEquals(expected.size(), actual.size());
    }

    private static final String SYNC = "sync~";

    private static final List<Step> NOTIFICATIONS = List.of(
        s(2, "CONFIG", "SET", "notify-keyspace-events", "KEA"),
        s(2, "CONFIG", "GET", "notify-keyspace-events"),
        s(0, "PSUBSCRIBE", "*"),
        s(2, "SET", "foo", "bar"),
        s(2, "APPEND", "foo", "x"),
        s(2, "INCR", "n"),
        s(2, "EXPIRE", "foo", "100"),
        s(2, "PERSIST", "foo"),
        s(2, "RENAME", "foo", "foo2"),
        s(2, "DEL", "foo2", "n", "nothing"),
        s(2, "RPUSH", "l", "a", "b"),
        s(2, "LPOP", "l"),
        s(2, "RPOP", "l"),
        s(2, "HSET", "h", "f", "v"),
        s(2, "HDEL", "h", "f"),
        s(2, "SADD", "s", "a", "b"),
        s(2, "SREM", "s", "a"),
        s(2, "ZADD", "z", "1", "a"),
        s(2, "ZINCRBY", "z", "2", "a"),
        s(2, "ZREM", "z", "a"),
        s(2, "CONFIG", "SET", "notify-keyspace-events", "Kl"),
        s(2, "CONFIG", "GET", "notify-keyspace-events"),
        s(2, "SET", "quiet", "1"),
        s(2, "LPUSH", "l2", "x"),
        s(2, "CONFIG", "SET", "notify-keyspace-events", "En$"),
        s(2, "CONFIG", "GET", "notify-keyspace-events"),
        s(2, "SET", "fresh", "1"),
        s(2, "SET", "fresh", "2"),
        s(1, "SELECT", "3"),
        s(1, "SET", "in3", "v"),
        s(2, "CONFIG", "SET", "notify-keyspace-events", "gs$lhzxetdnKEm"),
        s(2, "CONFIG", "GET", "notify-keyspace-events"),
        s(2, "CONFIG", "SET", "notify-keyspace-events", "KEQ"),
        s(2, "CONFIG", "SET", "notify-keyspace-events", ""),
        s(2, "CONFIG", "GET", "notify-keyspace-events"),
        s(2, "SET", "off", "1"),
        s(0, "PUNSUBSCRIBE"));

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void keyspaceNotificationsAsRedis(int protocol) throws Exception {
        List<String> expected = run(redis.port(), protocol, NOTIFICATIONS);
        List<String> actual = run(redjar.port(), protocol, NOTIFICATIONS);
        java.nio.file.Files.write(Path.of("target", "keyspace-notify-diff-redjar-resp" + protocol + ".txt"), actual);
        assertTrue(String.join("\n", expected).contains("__keyspace@0__:foo"), "the script sees notifications");
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            assertEquals(expected.get(i), actual.get(i), "step " + i);
        }
        assertEquals(expected.size(), actual.size());
    }

    private static List<String> run(int port, int protocol) throws Exception {
        return run(port, protocol, SCRIPT);
    }

    private static List<String> run(int port, int protocol, List<Step> script) throws Exception {
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
            send(conns[2], "CONFIG", "SET", "notify-keyspace-events", "");
            conns[2].readReply();
            for (Step st : script) {
                int me = st.conn();
                send(conns[me], st.argv());
                String name = st.argv()[0].toUpperCase(java.util.Locale.ROOT);
                if (name.equals("EXEC") || name.equals("DISCARD") || name.equals("RESET")) {
                    inMulti[me] = false;
                }
                StringBuilder sb = new StringBuilder(String.join(" ", st.argv())).append(" ->");
                String[] results = new String[conns.length];
                // the stepping connection first: once its reply is in, the command has run, so
                // every frame it sent to the others precedes their sync replies
                for (int k = 0; k < conns.length; k++) {
                    int i = (me + k) % conns.length;
                    String got;
                    if (closed[i]) {
                        got = "<closed>";
                    } else if (i == me && name.equals("MULTI")) {
                        got = conns[i].readReplyString(); // a PING after it would be queued
                        inMulti[i] = got.equals("+OK\r\n");
                    } else if (inMulti[i]) {
                        // in MULTI: the step's own reply only (a PING would be queued)
                        got = i == me ? conns[i].readReplyString() : "";
                    } else {
                        got = untilSync(conns[i]);
                        closed[i] = got.endsWith("<eof>");
                    }
                    if (st.mode().equals("sorted")) {
                        String[] lines = got.split("\r\n");
                        Arrays.sort(lines);
                        got = String.join("|", lines);
                    } else if (st.mode().equals("info") && i == me) {
                        StringBuilder keep = new StringBuilder();
                        for (String l : got.split("\r\n")) {
                            if (l.startsWith("pubsub")) {
                                keep.append(l).append('|');
                            }
                        }
                        got = keep.toString();
                    } else if (name.equals("CLIENT") && i == me) {
                        got = got.replaceAll("(?s).*(flags=\\S+ db=\\d+ sub=\\d+ psub=\\d+ ssub=\\d+).*", "$1");
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

    /**
     * Everything the connection receives before the reply to a {@code PING sync~} sent now: in
     * Redis every frame queued for the client before that PING precedes its reply.
     * {@code <eof>} when the server closed it.
     */
    static String untilSync(RawConn c) throws IOException {
        StringBuilder sb = new StringBuilder();
        try {
            send(c, "PING", SYNC);
        } catch (IOException e) {
            return "<eof>";
        }
        while (true) {
            String r;
            try {
                r = c.readReplyString();
            } catch (IOException e) {
                return sb.append("<eof>").toString();
            }
            if (r.equals("$5\r\n" + SYNC + "\r\n") || r.equals("*2\r\n$4\r\npong\r\n$5\r\n" + SYNC + "\r\n")) {
                return sb.toString();
            }
            sb.append(r);
        }
    }
}
