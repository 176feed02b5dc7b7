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
 * the same instant on two connections may run in either order), and TLS: {@code tls-port} with
 * {@code tls-cert-file}, {@code tls-key-file}, {@code tls-ca-cert-file} and the other {@code tls-*}
 * settings of Redis 7.0 (docs/tls.md). Plain and TLS ports listen side by side; {@code port 0}
 * given as a directive with a {@code tls-port} means TLS only, as in Redis (from Java: {@link
 * #plain(boolean)}); without TLS, port 0 means any free port.
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
    /** -1: no TLS listener; 0: any free port. */
    private int tlsPort = -1;
    private boolean plain = true;
    /** {@code port 0} given as a directive: with a TLS port, no plain listener (Redis's meaning). */
    private boolean portZeroDirective;
    private final java.util.Map<String, String> tls = new java.util.LinkedHashMap<>();

    /** The {@code tls-*} settings besides {@code tls-port}, as Redis 7.0 names them. */
    static final java.util.Set<String> TLS_SETTINGS = java.util.Set.of("tls-cert-file", "tls-key-file",
        "tls-key-file-pass", "tls-client-cert-file", "tls-client-key-file", "tls-client-key-file-pass",
        "tls-dh-params-file", "tls-ca-cert-file", "tls-ca-cert-dir", "tls-protocols", "tls-ciphers",
        "tls-ciphersuites", "tls-auth-clients", "tls-prefer-server-ciphers", "tls-session-caching",
        "tls-session-cache-size", "tls-session-cache-timeout", "tls-replication", "tls-cluster");

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

    /**
     * Listens for TLS connections on {@code p} as well ({@code tls-port}; 0: any free port; see
     * {@link RedJarServer#tlsPort()}); needs {@code tls-cert-file} and {@code tls-key-file}.
     */
    public ServerOptions tlsPort(int p) {
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException("tls-port must be between 0 and 65535, got " + p);
        }
        this.tlsPort = p;
        return this;
    }

    /** @return the TLS port asked for: -1 for none, 0 for any free port */
    public int tlsPort() {
        return tlsPort;
    }

    /** Whether to listen for plain (non-TLS) connections on {@link #port()} (default true). */
    public ServerOptions plain(boolean on) {
        this.plain = on;
        return this;
    }

    /** @return whether a plain listener is started: not when {@code port 0} came with a TLS port */
    public boolean plain() {
        return plain && !(portZeroDirective && tlsPort >= 0);
    }

    /** {@code tls-cert-file}: the server's certificate chain (PEM). */
    public ServerOptions tlsCertFile(Path pem) {
        return tls("tls-cert-file", pem.toString());
    }

    /** {@code tls-key-file}: the server's private key (PEM, PKCS#8; encrypted with {@code tls-key-file-pass}). */
    public ServerOptions tlsKeyFile(Path pem) {
        return tls("tls-key-file", pem.toString());
    }

    /** {@code tls-ca-cert-file}: the CA certificates (PEM) client certificates must chain to. */
    public ServerOptions tlsCaCertFile(Path pem) {
        return tls("tls-ca-cert-file", pem.toString());
    }

    /** {@code tls-auth-clients}: {@code yes} (the default), {@code no} or {@code optional}. */
    public ServerOptions tlsAuthClients(String mode) {
        return tls("tls-auth-clients", mode);
    }

    /** Sets one of the {@code tls-*} settings (every one but {@code tls-port}) by its Redis name. */
    public ServerOptions tls(String name, String value) {
        String n = name.toLowerCase(Locale.ROOT);
        if (!TLS_SETTINGS.contains(n)) {
            throw new IllegalArgumentException("Bad directive or wrong number of arguments: " + name);
        }
        String v = value;
        switch (n) {
            case "tls-auth-clients" -> {
                v = value.toLowerCase(Locale.ROOT);
                if (!v.equals("yes") && !v.equals("no") && !v.equals("optional")) {
                    throw new IllegalArgumentException("argument(s) must be one of the following: no, yes, optional");
                }
            }
            case "tls-prefer-server-ciphers", "tls-session-caching", "tls-replication", "tls-cluster" ->
                v = parseYesNo(n, value) ? "yes" : "no";
            case "tls-session-cache-size", "tls-session-cache-timeout" -> {
                if (Integer.parseInt(value) < 0) {
                    throw new IllegalArgumentException(n + " must not be negative, got " + value);
                }
            }
            default -> { }
        }
        tls.put(n, v);
        return this;
    }

    /** @return the {@code tls-*} settings given (besides {@code tls-port}), name to value, in order */
    public java.util.Map<String, String> tlsConfig() {
        return java.util.Collections.unmodifiableMap(tls);
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
            case "port" -> {
                port(Integer.parseInt(value));
                portZeroDirective = port == 0;
            }
            case "tls-port" -> {
                int p = Integer.parseInt(value);
                if (p == 0) {
                    tlsPort = -1;
                } else {
                    tlsPort(p);
                }
            }
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
            // the admin settings (SIGTERM/SIGINT handling, DEBUG, the slow log and latency monitor)
            case "shutdown-on-sigterm", "shutdown-on-sigint", "shutdown-timeout", "enable-debug-command",
                 "slowlog-log-slower-than", "slowlog-max-len", "latency-monitor-threshold", "daemonize" ->
                store.put(name.toLowerCase(Locale.ROOT), value);
            default -> {
                if (name.toLowerCase(Locale.ROOT).startsWith("tls-")) {
                    tls(name, value);
                    break;
                }
                // any other store setting (what CONFIG REWRITE may write), else Redis's error
                if (!io.redjar.Store.isSetting(name)) {
                    throw new IllegalArgumentException("Bad directive or wrong number of arguments: " + name);
                }
                store.put(name.toLowerCase(Locale.ROOT), value);
            }
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

    private Path configFile;

    /** @return the configuration file read by {@link #loadConfig}, or null (CONFIG REWRITE writes it) */
    public Path configFile() {
        return configFile;
    }

    /** Reads a redis.conf-style file: one "name value" per line, # comments. */
    public ServerOptions loadConfig(Path file) throws IOException {
        this.configFile = file.toAbsolutePath();
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
