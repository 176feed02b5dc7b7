package io.redjar.internal.server;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The MONITOR clients of one store and the lines they are fed: Redis's
 * {@code +1700000000.123456 [0 127.0.0.1:12345] "SET" "k" "v"} with {@code sdscatrepr} quoting.
 * The dispatcher feeds it only while there is a monitor ({@code active} callback), so a store
 * without monitors pays nothing.
 *
 * <p><b>Thread-safety:</b> thread-safe; {@link #feed} may run on any thread, concurrently.
 */
public final class MonitorFeed {
    private final Set<ClientState> monitors = ConcurrentHashMap.newKeySet();
    private final Consumer<Boolean> active;

    /** @param active told true when the first monitor arrives and false when the last one leaves */
    public MonitorFeed(Consumer<Boolean> active) {
        this.active = active;
    }

    /** Makes {@code c} (a network client) a monitor. */
    public synchronized void add(ClientState c) {
        c.monitor(true);
        if (monitors.add(c) && monitors.size() == 1) {
            active.accept(true);
        }
    }

    /** Stops feeding {@code c}. Idempotent. */
    public synchronized void remove(ClientState c) {
        c.monitor(false);
        if (monitors.remove(c) && monitors.isEmpty()) {
            active.accept(false);
        }
    }

    /** Stops feeding every monitor (store or server shutdown). */
    public synchronized void clear() {
        for (ClientState c : monitors) {
            c.monitor(false);
        }
        if (!monitors.isEmpty()) {
            monitors.clear();
            active.accept(false);
        }
    }

    /** Sends one executed command to every monitor. */
    public void feed(int db, String addr, byte[][] argv, long epochMicros) {
        if (monitors.isEmpty()) {
            return;
        }
        byte[] line = line(db, addr, argv, epochMicros).getBytes(StandardCharsets.ISO_8859_1);
        for (ClientState m : monitors) {
            if (m.peer() != null) {
                m.peer().send(line);
            }
        }
    }

    /** Redis's MONITOR line, CRLF-terminated; {@code addr} null for an embedded session, {@code lua} for a script's command. */
    public static String line(int db, String addr, byte[][] argv, long epochMicros) {
        StringBuilder sb = new StringBuilder(64).append('+').append(epochMicros / 1_000_000).append('.');
        String us = Long.toString(epochMicros % 1_000_000);
        sb.append("000000", us.length(), 6).append(us).append(" [").append(db).append(' ')
            .append(addr == null || addr.isEmpty() ? "embedded" : addr).append(']');
        for (byte[] a : argv) {
            sb.append(' ');
            repr(sb, a);
        }
        return sb.append("\r\n").toString();
    }

    /** Redis's {@code sdscatrepr}: quoted, with C escapes; bytes kept as ISO-8859-1 chars. */
    static void repr(StringBuilder sb, byte[] a) {
        sb.append('"');
        for (byte x : a) {
            int c = x & 0xFF;
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 7 -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                default -> {
                    if (c >= 0x20 && c < 0x7f) {
                        sb.append((char) c);
                    } else {
                        sb.append(String.format("\\x%02x", c));
                    }
                }
            }
        }
        sb.append('"');
    }
}
