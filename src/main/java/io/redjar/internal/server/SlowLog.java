package io.redjar.internal.server;

import io.redjar.Reply;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Redis's slow log: the newest {@code slowlog-max-len} commands that took at least
 * {@code slowlog-log-slower-than} microseconds, with argv truncated as Redis does it (at most 32
 * arguments, each at most 128 bytes).
 *
 * <p><b>Thread-safety:</b> thread-safe (synchronized; only slow commands get here).
 */
public final class SlowLog {
    static final int MAX_ARGC = 32;
    static final int MAX_STRING = 128;

    private record Entry(long id, long time, long micros, byte[][] argv, String peer, String name) {
    }

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long nextId;

    /** Adds an entry, trimming to {@code maxLen}. */
    public synchronized void push(byte[][] argv, long micros, long epochSeconds, ConnectionInfo client, int maxLen) {
        int argc = Math.min(argv.length, MAX_ARGC);
        byte[][] kept = new byte[argc][];
        for (int i = 0; i < argc; i++) {
            if (argc != argv.length && i == argc - 1) {
                kept[i] = ("... (" + (argv.length - argc + 1) + " more arguments)").getBytes(StandardCharsets.US_ASCII);
            } else if (argv[i].length > MAX_STRING) {
                byte[] head = java.util.Arrays.copyOf(argv[i], MAX_STRING);
                byte[] tail = ("... (" + (argv[i].length - MAX_STRING) + " more bytes)").getBytes(StandardCharsets.US_ASCII);
                byte[] b = java.util.Arrays.copyOf(head, MAX_STRING + tail.length);
                System.arraycopy(tail, 0, b, MAX_STRING, tail.length);
                kept[i] = b;
            } else {
                kept[i] = argv[i].clone();
            }
        }
        String peer = client == null ? "" : client.addr();
        String name = client == null || client.name() == null ? "" : client.name();
        entries.addFirst(new Entry(nextId++, epochSeconds, micros, kept, peer, name));
        while (entries.size() > maxLen) {
            entries.removeLast();
        }
    }

    public synchronized int size() {
        return entries.size();
    }

    public synchronized void reset() {
        entries.clear();
    }

    /** @return the newest {@code count} entries (all if negative) in SLOWLOG GET's shape */
    public synchronized Reply get(long count) {
        List<Reply> out = new ArrayList<>();
        Iterator<Entry> it = entries.iterator();
        while (it.hasNext() && (count < 0 || out.size() < count)) {
            Entry e = it.next();
            List<Reply> args = new ArrayList<>(e.argv.length);
            for (byte[] b : e.argv) {
                args.add(new Reply.Bulk(b));
            }
            out.add(Reply.array(Reply.integer(e.id), Reply.integer(e.time), Reply.integer(e.micros),
                Reply.array(args), Reply.bulk(e.peer), Reply.bulk(e.name)));
        }
        return Reply.array(out);
    }
}
