package io.redjar.resp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Settings for a {@link RedJarServer}, named after redis.conf: {@code port} (0 = pick a free one),
 * {@code bind} (default 127.0.0.1, i.e. protected mode), {@code requirepass}, {@code databases},
 * {@code maxclients}, {@code proto-max-bulk-len}, {@code io-threads} (event-loop threads running
 * connections; default twice the cores, Redis's default is 1: with 1, commands of different
 * connections run in the order their bytes arrived, as in Redis; with more, two commands sent at
 * the same instant on two connections may run in either order).
 *
 * <p><b>Thread-safety:</b> a mutable builder; do not share while configuring.
 */
public final class ServerOptions {
    private int port = 6379;
    private String bind = "127.0.0.1";
    private String requirepass;
    private int databases = 16;
    private int maxclients = 10000;
    private long protoMaxBulkLen = RespDecoder.DEFAULT_MAX_BULK_LEN;
    private boolean epoll = true;
    private boolean protectedMode = true;
    private long queryBufferLimit = RespDecoder.DEFAULT_QUERY_BUFFER_LIMIT;
    private int ioThreads;

    public static ServerOptions defaults() {
        return new ServerOptions();
    }

    public ServerOptions port(int p) {
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, got " + p);
        }
        this.port = p;
        return this;
    }

    public ServerOptions bind(String address) {
        this.bind = address;
        return this;
    }

    /** The password for the default user; null or empty for none. */
    public ServerOptions requirepass(String password) {
        this.requirepass = password == null || password.isEmpty() ? null : password;
        return this;
    }

    /**
     * Redis's {@code protected-mode} (default on): while no password is set, connections from
     * anywhere but the loopback interface are refused with Redis's {@code -DENIED} message.
     */
    public ServerOptions protectedMode(boolean on) {
        this.protectedMode = on;
        return this;
    }

    public boolean protectedMode() {
        return protectedMode;
    }

    /** Redis's {@code client-query-buffer-limit}: the most bytes one command may hold. */
    public ServerOptions queryBufferLimit(long bytes) {
        if (bytes < 1024 * 1024) {
            throw new IllegalArgumentException("client-query-buffer-limit must be at least 1mb, got " + bytes);
        }
        this.queryBufferLimit = bytes;
        return this;
    }

    public long queryBufferLimit() {
        return queryBufferLimit;
    }

    public ServerOptions databases(int n) {
        this.databases = n;
        return this;
    }

    public ServerOptions maxclients(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("maxclients must be at least 1, got " + n);
        }
        this.maxclients = n;
        return this;
    }

    public ServerOptions protoMaxBulkLen(long n) {
        if (n < 1024 * 1024) {
            throw new IllegalArgumentException("proto-max-bulk-len must be at least 1mb, got " + n);
        }
        this.protoMaxBulkLen = n;
        return this;
    }

    /**
     * {@code io-threads}: how many event-loop threads run the connections (each connection stays on
     * one); 0, the default, means twice the available processors.
     */
    public ServerOptions ioThreads(int n) {
        if (n < 0 || n > 128) {
            throw new IllegalArgumentException("io-threads must be between 1 and 128 (0: the default), got " + n);
        }
        this.ioThreads = n;
        return this;
    }

    /** @return {@code io-threads}; 0 for the default (twice the available processors) */
    public int ioThreads() {
        return ioThreads;
    }

    /** Whether to use the native epoll transport when available (default true). */
    public ServerOptions epoll(boolean on) {
        this.epoll = on;
        return this;
    }

    public int port() {
        return port;
    }

    public String bind() {
        return bind;
    }

    public String requirepass() {
        return requirepass;
    }

    public int databases() {
        return databases;
    }

    public int maxclients() {
        return maxclients;
    }

    public long protoMaxBulkLen() {
        return protoMaxBulkLen;
    }

    public boolean epoll() {
        return epoll;
    }

    private boolean loadInBackground;

    /**
     * Whether the server listens while the persisted data set loads, answering {@code -LOADING}
     * meanwhile (redis-server's behaviour; the command-line server does it). Default off: a
     * server started from Java has its data loaded when {@code start} returns.
     */
    public ServerOptions loadInBackground(boolean on) {
        this.loadInBackground = on;
        return this;
    }

    /** @return whether the data set loads while the server listens */
    public boolean loadInBackground() {
        return loadInBackground;
    }

    /** Store settings given as options (persistence, {@code hz}...), applied when the server opens its store. */
    private final java.util.Map<String, String> store = new java.util.LinkedHashMap<>();

    /** @return the store settings given (name to value, in order) */
    public java.util.Map<String, String> storeConfig() {
        return java.util.Collections.unmodifiableMap(store);
    }

    /** Applies one redis.conf-style directive; unknown names fail. */
    public ServerOptions set(String name, String value) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "port" -> port(Integer.parseInt(value));
            case "bind" -> bind(value.split("\\s+")[0]);
            case "requirepass" -> requirepass(value);
            case "databases" -> databases(Integer.parseInt(value));
            case "maxclients" -> maxclients(Integer.parseInt(value));
            case "io-threads" -> ioThreads(Integer.parseInt(value));
            case "proto-max-bulk-len" -> protoMaxBulkLen(parseMemory(value));
            case "protected-mode" -> protectedMode(parseYesNo(name, value));
            case "client-query-buffer-limit" -> queryBufferLimit(parseMemory(value));
            case "dir", "dbfilename", "save", "rdbcompression", "rdbchecksum", "stop-writes-on-bgsave-error",
                 "appendonly", "appendfilename", "appenddirname", "appendfsync", "auto-aof-rewrite-percentage",
                 "auto-aof-rewrite-min-size", "aof-load-truncated", "aof-use-rdb-preamble", "aof-timestamp-enabled",
                 "aof-rewrite-incremental-fsync", "rdb-save-incremental-fsync", "sanitize-dump-payload",
                 "notify-keyspace-events", "maxmemory", "maxmemory-policy", "busy-reply-threshold", "lua-time-limit",
                 "aclfile", "acllog-max-len", "acl-pubsub-default" ->
                store.put(name.toLowerCase(Locale.ROOT), value);
            default -> throw new IllegalArgumentException("Bad directive or wrong number of arguments: " + name);
        }
        return this;
    }

    /** Redis's memtoll: 1k, 1kb, 1m, 1mb, 1g, 1gb. */
    static long parseMemory(String v) {
        long n = io.redjar.spi.Wire.parseMemory(v);
        if (n < 0) {
            throw new IllegalArgumentException("argument must be a memory value: " + v);
        }
        return n;
    }

    private static boolean parseYesNo(String name, String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "yes" -> true;
            case "no" -> false;
            default -> throw new IllegalArgumentException(name + " must be yes or no, got " + v);
        };
    }

    /**
     * Parses redis-server style arguments: an optional config file first, then {@code --name value}
     * pairs that override it.
     */
    public static ServerOptions parseArgs(String... args) throws IOException {
        ServerOptions o = new ServerOptions();
        int i = 0;
        if (args.length > 0 && !args[0].startsWith("--")) {
            o.loadConfig(Path.of(args[0]));
            i = 1;
        }
        for (; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + args[i] + "'");
            }
            String name = args[i].substring(2);
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option --" + name + " needs a value");
            }
            o.set(name, args[++i]);
        }
        return o;
    }

    /** Reads a redis.conf-style file: one "name value" per line, # comments. */
    public ServerOptions loadConfig(Path file) throws IOException {
        int lineNo = 0;
        for (String raw : Files.readAllLines(file)) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            List<String> words = new ArrayList<>(List.of(line.split("\\s+", 2)));
            String value = words.size() > 1 ? unquote(words.get(1).strip()) : "";
            try {
                set(words.get(0), value);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": " + e.getMessage(), e);
            }
        }
        return this;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }
}
