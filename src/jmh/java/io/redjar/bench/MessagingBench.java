package io.redjar.bench;

import io.redjar.MessageListener;
import io.redjar.Reply;
import io.redjar.Store;
import io.redjar.Subscription;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The messaging benchmarks of issue 11 (bench/run-messaging-bench.sh runs them against RedJar's
 * RESP server, redis-server and an in-process store, in one run, and prints the ratios). One
 * scenario per JVM, one result line on stdout: {@code <scenario> <target> <value> <unit>}.
 *
 * <ul>
 *   <li>{@code fanout}: {@code SUBSCRIBERS} subscribers on one channel, one publisher sends
 *       {@code MESSAGES} 32-byte messages (pipelined {@code PIPELINE} at a time); the clock stops
 *       when every subscriber has every message. Result: messages delivered per second
 *       (messages x subscribers / elapsed).</li>
 *   <li>{@code xadd}: {@code XADD s * f <16 bytes>} from {@code CLIENTS} connections, pipelined.
 *       Result: entries added per second.</li>
 *   <li>{@code xgroup}: a stream pre-filled with {@code ENTRIES} entries and a group; {@code CLIENTS}
 *       consumers loop {@code XREADGROUP ... COUNT 100 STREAMS s >} then {@code XACK} the ids they
 *       got, until the stream is consumed. Result: entries read and acknowledged per second.</li>
 * </ul>
 *
 * <p>Over RESP every target is driven by this same minimal client (raw sockets, a small RESP
 * parser; subscribers are read by one selector thread that counts bytes, since every message frame
 * has the same length), so client costs are equal on both sides. In-process, the same workload
 * goes through {@code Store.pubsub()} and {@code Store.execute}.
 *
 * <pre>
 * java -cp target/benchmarks.jar io.redjar.bench.MessagingBench fanout port:6379
 * java -cp target/benchmarks.jar io.redjar.bench.MessagingBench xgroup inproc
 * </pre>
 * Each scenario runs twice in the JVM and reports the second pass: the first warms up this client
 * and, over RESP, the server (JIT), the same for both servers.
 * Parameters are system properties ({@code -DMESSAGES=...}), defaults in {@link #prop}.
 */
public final class MessagingBench {
    private static final byte[] CHANNEL = "bench".getBytes(StandardCharsets.US_ASCII);

    private MessagingBench() {
    }

    static int prop(String name, int dflt) {
        return Integer.getInteger(name, dflt);
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: MessagingBench fanout|xadd|xgroup inproc|port:N");
            System.exit(2);
        }
        String scenario = args[0];
        String target = args[1];
        double value;
        String unit;
        // a first, unmeasured pass warms up both JVMs (the client's and RedJar's); redis-server
        // gets the same pass, so each side then runs the measured one in the same state
        value = 0;
        for (int pass = 0; pass < 2; pass++) {
            boolean inproc = target.equals("inproc");
            value = switch (scenario) {
                case "fanout" -> inproc ? fanoutInProcess() : fanoutResp(port(target));
                case "xadd" -> inproc ? xaddInProcess() : xaddResp(port(target));
                case "xgroup" -> inproc ? xgroupInProcess() : xgroupResp(port(target));
                default -> throw new IllegalArgumentException("unknown scenario " + scenario);
            };
        }
        unit = scenario.equals("fanout") ? "deliveries/s" : "entries/s";
        System.out.printf(Locale.ROOT, "%s %s %.0f %s%n", scenario, target, value, unit);
        System.exit(0);
    }

    private static int port(String target) {
        if (!target.startsWith("port:")) {
            throw new IllegalArgumentException("target is inproc or port:N, not " + target);
        }
        return Integer.parseInt(target.substring(5));
    }

    private static byte[] payload(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) 'x');
        return b;
    }

    private static byte[][] argv(Object... parts) {
        byte[][] out = new byte[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            out[i] = parts[i] instanceof byte[] b ? b : parts[i].toString().getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    // ---------------------------------------------------------------- fan-out

    private static double fanoutResp(int port) throws Exception {
        int subscribers = prop("SUBSCRIBERS", 100);
        int messages = prop("MESSAGES", 20_000);
        int pipeline = prop("PIPELINE", 32);
        byte[] msg = payload(32);
        long frame = frameLength(msg.length);
        List<SocketChannel> subs = new ArrayList<>();
        Selector selector = Selector.open();
        for (int i = 0; i < subscribers; i++) {
            SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
            ch.socket().setTcpNoDelay(true);
            ByteBuffer cmd = ByteBuffer.wrap(encode(argv("SUBSCRIBE", CHANNEL)));
            while (cmd.hasRemaining()) {
                ch.write(cmd);
            }
            // the confirmation: *3 $9 subscribe $5 bench :1
            String confirm = "*3\r\n$9\r\nsubscribe\r\n$" + CHANNEL.length + "\r\nbench\r\n:1\r\n";
            ByteBuffer in = ByteBuffer.allocate(confirm.length());
            while (in.hasRemaining()) {
                if (ch.read(in) < 0) {
                    throw new EOFException("subscriber closed");
                }
            }
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_READ, new long[1]);
            subs.add(ch);
        }
        long expected = frame * messages;
        CountDownLatch done = new CountDownLatch(1);
        AtomicLong finishedAt = new AtomicLong();
        Thread reader = new Thread(() -> {
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 16);
            int complete = 0;
            try {
                while (complete < subscribers) {
                    selector.select();
                    Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                    while (it.hasNext()) {
                        SelectionKey k = it.next();
                        it.remove();
                        long[] got = (long[]) k.attachment();
                        int n;
                        while ((n = ((SocketChannel) k.channel()).read(buf.clear())) > 0) {
                            got[0] += n;
                        }
                        if (n < 0) {
                            throw new EOFException("a subscriber was disconnected after " + got[0] / frame + " messages");
                        }
                        if (got[0] >= expected && k.isValid()) {
                            k.cancel();
                            complete++;
                        }
                    }
                }
                finishedAt.set(System.nanoTime());
            } catch (IOException e) {
                e.printStackTrace();
            } finally {
                done.countDown();
            }
        }, "subscribers");
        reader.start();
        try (Conn pub = new Conn(port)) {
            byte[] cmd = encode(argv("PUBLISH", CHANNEL, msg));
            long t0 = System.nanoTime();
            for (int sent = 0; sent < messages; ) {
                int batch = Math.min(pipeline, messages - sent);
                for (int i = 0; i < batch; i++) {
                    pub.out.write(cmd);
                }
                pub.out.flush();
                for (int i = 0; i < batch; i++) {
                    Object r = pub.read();
                    if (!(r instanceof Long n) || n != subscribers) {
                        throw new IllegalStateException("PUBLISH answered " + show(r));
                    }
                }
                sent += batch;
            }
            if (!done.await(10, TimeUnit.MINUTES) || finishedAt.get() == 0) {
                throw new IllegalStateException("subscribers did not receive every message");
            }
            double secs = (finishedAt.get() - t0) / 1e9;
            for (SocketChannel ch : subs) {
                ch.close();
            }
            return (double) messages * subscribers / secs;
        }
    }

    /** The length of one {@code message} push frame for the benchmark channel. */
    private static long frameLength(int payload) {
        String head = "*3\r\n$7\r\nmessage\r\n$" + CHANNEL.length + "\r\nbench\r\n$" + payload + "\r\n";
        return head.length() + payload + 2;
    }

    private static double fanoutInProcess() throws Exception {
        int subscribers = prop("SUBSCRIBERS", 100);
        int messages = prop("MESSAGES", 20_000);
        byte[] msg = payload(32);
        try (Store store = Store.open()) {
            CountDownLatch done = new CountDownLatch(subscribers);
            List<Subscription> subs = new ArrayList<>();
            for (int i = 0; i < subscribers; i++) {
                long[] got = new long[1];
                MessageListener l = m -> {
                    if (++got[0] == messages) {
                        done.countDown();
                    }
                };
                subs.add(store.pubsub().subscribe(l, CHANNEL));
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < messages; i++) {
                store.pubsub().publish(CHANNEL, msg);
            }
            if (!done.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("listeners did not receive every message");
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            subs.forEach(Subscription::close);
            return (double) messages * subscribers / secs;
        }
    }

    // ---------------------------------------------------------------- XADD

    private static double xaddResp(int port) throws Exception {
        int clients = prop("CLIENTS", 4);
        int entries = prop("ENTRIES", 400_000);
        int pipeline = prop("PIPELINE", 16);
        try (Conn c = new Conn(port)) {
            c.call(argv("DEL", "s"));
        }
        byte[] cmd = encode(argv("XADD", "s", "*", "f", payload(16)));
        int per = entries / clients;
        Thread[] ts = new Thread[clients];
        Exception[] failure = new Exception[1];
        long t0 = System.nanoTime();
        for (int t = 0; t < clients; t++) {
            ts[t] = new Thread(() -> {
                try (Conn c = new Conn(port)) {
                    for (int sent = 0; sent < per; ) {
                        int batch = Math.min(pipeline, per - sent);
                        for (int i = 0; i < batch; i++) {
                            c.out.write(cmd);
                        }
                        c.out.flush();
                        for (int i = 0; i < batch; i++) {
                            if (!(c.read() instanceof byte[])) {
                                throw new IllegalStateException("XADD did not answer an id");
                            }
                        }
                        sent += batch;
                    }
                } catch (Exception e) {
                    failure[0] = e;
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        if (failure[0] != null) {
            throw failure[0];
        }
        try (Conn c = new Conn(port)) {
            Object len = c.call(argv("XLEN", "s"));
            if (!(len instanceof Long l) || l != (long) per * clients) {
                throw new IllegalStateException("XLEN answered " + show(len));
            }
        }
        return (double) per * clients / secs;
    }

    private static double xaddInProcess() throws Exception {
        int clients = prop("CLIENTS", 4);
        int entries = prop("ENTRIES", 400_000);
        int per = entries / clients;
        byte[][] cmd = argv("XADD", "s", "*", "f", payload(16));
        try (Store store = Store.open()) {
            Thread[] ts = new Thread[clients];
            long t0 = System.nanoTime();
            for (int t = 0; t < clients; t++) {
                ts[t] = new Thread(() -> {
                    for (int i = 0; i < per; i++) {
                        if (store.execute(cmd) instanceof Reply.ErrorReply e) {
                            throw new IllegalStateException(e.message());
                        }
                    }
                });
                ts[t].start();
            }
            for (Thread t : ts) {
                t.join();
            }
            return (double) per * clients / ((System.nanoTime() - t0) / 1e9);
        }
    }

    // ---------------------------------------------------------------- XREADGROUP + XACK

    private static double xgroupResp(int port) throws Exception {
        int clients = prop("CLIENTS", 4);
        int entries = prop("ENTRIES", 400_000);
        try (Conn c = new Conn(port)) {
            c.call(argv("DEL", "s"));
            byte[] add = encode(argv("XADD", "s", "*", "f", payload(16)));
            for (int sent = 0; sent < entries; sent += 100) {
                for (int i = 0; i < 100; i++) {
                    c.out.write(add);
                }
                c.out.flush();
                for (int i = 0; i < 100; i++) {
                    c.read();
                }
            }
            Object ok = c.call(argv("XGROUP", "CREATE", "s", "g", "0"));
            if (!"OK".equals(ok)) {
                throw new IllegalStateException("XGROUP CREATE answered " + show(ok));
            }
        }
        return consume(clients, entries, t -> {
            Conn c;
            try {
                c = new Conn(port);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return new Caller() {
                @Override
                public Object call(byte[][] argv) throws IOException {
                    return c.call(argv);
                }

                @Override
                public void close() throws IOException {
                    c.close();
                }
            };
        });
    }

    private static double xgroupInProcess() throws Exception {
        int clients = prop("CLIENTS", 4);
        int entries = prop("ENTRIES", 400_000);
        byte[][] add = argv("XADD", "s", "*", "f", payload(16));
        try (Store store = Store.open()) {
            for (int i = 0; i < entries; i++) {
                store.execute(add);
            }
            store.execute("XGROUP", "CREATE", "s", "g", "0");
            return consume(clients, entries, t -> new Caller() {
                @Override
                public Object call(byte[][] argv) {
                    return plain(store.execute(argv));
                }

                @Override
                public void close() {
                }
            });
        }
    }

    /** One consumer's way to run a command: a connection or the store; replies in {@link Conn#read}'s shapes. */
    interface Caller extends AutoCloseable {
        Object call(byte[][] argv) throws IOException;

        @Override
        void close() throws IOException;
    }

    /** An in-process reply in {@link Conn#read}'s shapes (errors thrown). */
    private static Object plain(Reply r) {
        if (r instanceof Reply.ErrorReply e) {
            throw new IllegalStateException("error reply: " + e.message());
        } else if (r instanceof Reply.IntegerReply i) {
            return i.value();
        } else if (r instanceof Reply.Bulk b) {
            return b.value();
        } else if (r instanceof Reply.SimpleString st) {
            return st.value();
        } else if (r instanceof Reply.ArrayReply a) {
            List<Object> l = new ArrayList<>();
            for (Reply x : a.elements()) {
                l.add(plain(x));
            }
            return l;
        }
        return null;
    }

    /**
     * {@code clients} consumers of group g on stream s loop XREADGROUP COUNT 100 then XACK until
     * the stream is consumed. @return entries read and acknowledged per second
     */
    private static double consume(int clients, int entries, java.util.function.IntFunction<Caller> callers) throws Exception {
        AtomicLong acked = new AtomicLong();
        Thread[] ts = new Thread[clients];
        Exception[] failure = new Exception[1];
        long t0 = System.nanoTime();
        for (int t = 0; t < clients; t++) {
            String consumer = "c" + t;
            int id = t;
            ts[t] = new Thread(() -> {
                try (Caller c = callers.apply(id)) {
                    while (true) {
                        Object r = c.call(argv("XREADGROUP", "GROUP", "g", consumer, "COUNT", "100", "STREAMS", "s", ">"));
                        List<byte[]> ids = idsOf(r);
                        if (ids.isEmpty()) {
                            return;
                        }
                        byte[][] ack = new byte[3 + ids.size()][];
                        ack[0] = bytes("XACK");
                        ack[1] = bytes("s");
                        ack[2] = bytes("g");
                        for (int i = 0; i < ids.size(); i++) {
                            ack[3 + i] = ids.get(i);
                        }
                        Object n = c.call(ack);
                        if (!(n instanceof Long l) || l != ids.size()) {
                            throw new IllegalStateException("XACK answered " + show(n));
                        }
                        acked.addAndGet(ids.size());
                    }
                } catch (Exception e) {
                    failure[0] = e;
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        if (failure[0] != null) {
            throw failure[0];
        }
        if (acked.get() != entries) {
            throw new IllegalStateException("acknowledged " + acked.get() + " of " + entries);
        }
        return entries / secs;
    }

    /** The entry ids of an XREADGROUP reply for one stream. */
    private static List<byte[]> idsOf(Object reply) {
        List<byte[]> ids = new ArrayList<>();
        if (reply == null) {
            return ids;
        }
        List<?> streams = elements(reply);
        if (streams.isEmpty()) {
            return ids;
        }
        List<?> stream = elements(streams.get(0));
        for (Object entry : elements(stream.get(1))) {
            Object id = elements(entry).get(0);
            ids.add((byte[]) id);
        }
        return ids;
    }

    private static List<?> elements(Object o) {
        if (o instanceof List<?> l) {
            return l;
        }
        throw new IllegalStateException("expected an array, got " + show(o));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String show(Object o) {
        return o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(o);
    }

    // ---------------------------------------------------------------- minimal RESP client

    static byte[] encode(byte[][] argv) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(("*" + argv.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : argv) {
            out.writeBytes(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(a);
            out.writeBytes(new byte[] {'\r', '\n'});
        }
        return out.toByteArray();
    }

    /** One connection: blocking writes, a RESP2 reader (bulk = byte[], integer = Long, array = List, status = String). */
    static final class Conn implements AutoCloseable {
        final Socket socket;
        final OutputStream out;
        final InputStream in;

        Conn(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setTcpNoDelay(true);
            out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
            in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        }

        Object call(byte[][] argv) throws IOException {
            out.write(encode(argv));
            out.flush();
            return read();
        }

        Object read() throws IOException {
            int type = in.read();
            String line = line();
            switch (type) {
                case '+':
                    return line;
                case '-':
                    throw new IOException("error reply: " + line);
                case ':':
                    return Long.parseLong(line);
                case '$': {
                    int n = Integer.parseInt(line);
                    if (n < 0) {
                        return null;
                    }
                    byte[] b = in.readNBytes(n);
                    in.skipNBytes(2);
                    return b;
                }
                case '*': {
                    int n = Integer.parseInt(line);
                    if (n < 0) {
                        return null;
                    }
                    List<Object> l = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        l.add(read());
                    }
                    return l;
                }
                case -1:
                    throw new EOFException("connection closed");
                default:
                    throw new IOException("unexpected reply type " + (char) type);
            }
        }

        private String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            int c;
            while ((c = in.read()) != '\r') {
                if (c < 0) {
                    throw new EOFException("connection closed");
                }
                sb.append((char) c);
            }
            in.read();
            return sb.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
