package io.redjar.resp;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.CipherSuiteConverter;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The server side of TLS, built from Redis 7.0's {@code tls-*} settings: certificate and key
 * ({@code tls-cert-file}, {@code tls-key-file}, {@code tls-key-file-pass}), the CAs client
 * certificates must chain to ({@code tls-ca-cert-file}, {@code tls-ca-cert-dir}),
 * {@code tls-auth-clients} (yes, no, optional), {@code tls-protocols}, {@code tls-ciphers} (TLS
 * 1.2 and older; OpenSSL or IANA names, {@code :}-separated), {@code tls-ciphersuites} (TLS 1.3),
 * {@code tls-prefer-server-ciphers} and the session cache settings. It runs on the JDK's TLS
 * provider through Netty (no native OpenSSL).
 *
 * <p>Like Redis's {@code tlsConfigure}, {@link #build} fails (with the reason, for the log) on a
 * missing or unreadable file, a bad protocol or cipher name, or client authentication without a
 * CA; the server then refuses to start, or CONFIG SET fails and the running settings stay.
 * Settings Redis uses only for replication and cluster links ({@code tls-client-*},
 * {@code tls-replication}, {@code tls-cluster}) are kept for CONFIG GET and do nothing; the JDK has
 * no per-server Diffie-Hellman parameters, so {@code tls-dh-params-file} is only checked to be
 * readable.
 *
 * <p><b>Thread-safety:</b> immutable; {@link #newHandler} may be called from any thread.
 */
final class ServerTls {
    /** Redis's message for a TLS configuration that fails to apply (CONFIG SET's error). */
    static final String UNABLE = "Unable to update TLS configuration. Check server logs.";

    private static final Set<String> PROTOCOLS = Set.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

    private final SslContext context;
    private final boolean preferServerCiphers;

    private ServerTls(SslContext context, boolean preferServerCiphers) {
        this.context = context;
        this.preferServerCiphers = preferServerCiphers;
    }

    /** A TLS handler for a newly accepted connection. */
    SslHandler newHandler(ByteBufAllocator alloc) {
        SslHandler h = context.newHandler(alloc);
        if (preferServerCiphers) {
            SSLEngine engine = h.engine();
            SSLParameters p = engine.getSSLParameters();
            p.setUseCipherSuitesOrder(true);
            engine.setSSLParameters(p);
        }
        return h;
    }

    /**
     * @param cfg every {@code tls-*} setting, by name (missing or empty: not set)
     * @throws IllegalArgumentException with the reason when the settings cannot be applied
     */
    static ServerTls build(Map<String, String> cfg) {
        String cert = value(cfg, "tls-cert-file");
        String key = value(cfg, "tls-key-file");
        if (cert == null || key == null) {
            throw new IllegalArgumentException("tls-cert-file and tls-key-file must be set to use TLS");
        }
        String authClients = value(cfg, "tls-auth-clients") == null ? "yes" : value(cfg, "tls-auth-clients").toLowerCase(Locale.ROOT);
        ClientAuth auth = switch (authClients) {
            case "no" -> ClientAuth.NONE;
            case "optional" -> ClientAuth.OPTIONAL;
            default -> ClientAuth.REQUIRE;
        };
        List<X509Certificate> cas = new ArrayList<>();
        String caFile = value(cfg, "tls-ca-cert-file");
        String caDir = value(cfg, "tls-ca-cert-dir");
        if (caFile != null) {
            cas.addAll(certificates(Path.of(caFile), true));
        }
        if (caDir != null) {
            cas.addAll(certificatesIn(Path.of(caDir)));
        }
        if (caFile == null && caDir == null && auth != ClientAuth.NONE) {
            throw new IllegalArgumentException("Either tls-ca-cert-file or tls-ca-cert-dir must be specified when "
                + "tls-cluster, tls-replication or tls-auth-clients are enabled!");
        }
        String dh = value(cfg, "tls-dh-params-file");
        if (dh != null && !Files.isReadable(Path.of(dh))) {
            throw new IllegalArgumentException("Failed to load " + dh + ": not a readable file");
        }
        String pass = value(cfg, "tls-key-file-pass");
        boolean caching = !"no".equalsIgnoreCase(value(cfg, "tls-session-caching"));
        long cacheSize = number(cfg, "tls-session-cache-size", 20480);
        long cacheTimeout = number(cfg, "tls-session-cache-timeout", 300);
        try {
            SslContextBuilder b = SslContextBuilder.forServer(readable(cert), readable(key), pass)
                .sslProvider(SslProvider.JDK)
                .clientAuth(auth)
                .protocols(protocols(value(cfg, "tls-protocols")))
                // the JDK's cache: size 0 and timeout 0 mean unlimited, so "off" is one entry for one second
                .sessionCacheSize(caching ? cacheSize : 1)
                .sessionTimeout(caching ? cacheTimeout : 1);
            if (!cas.isEmpty()) {
                b.trustManager(cas.toArray(new X509Certificate[0]));
            }
            List<String> ciphers = ciphers(value(cfg, "tls-ciphers"), value(cfg, "tls-ciphersuites"));
            if (ciphers != null) {
                b.ciphers(ciphers, IdentityCipherSuiteFilter.INSTANCE);
            }
            return new ServerTls(b.build(), "yes".equalsIgnoreCase(value(cfg, "tls-prefer-server-ciphers")));
        } catch (IOException | RuntimeException e) {
            throw e instanceof IllegalArgumentException iae && iae.getCause() == null ? iae
                : new IllegalArgumentException("Failed to configure TLS: " + e.getMessage(), e);
        }
    }

    private static String value(Map<String, String> cfg, String name) {
        String v = cfg.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    private static long number(Map<String, String> cfg, String name, long dflt) {
        String v = value(cfg, name);
        return v == null ? dflt : Long.parseLong(v);
    }

    private static File readable(String file) {
        if (!Files.isReadable(Path.of(file))) {
            throw new IllegalArgumentException("Failed to load " + file + ": not a readable file");
        }
        return new File(file);
    }

    /** Redis's {@code tls-protocols}: space-separated, any case; default TLSv1.2 and TLSv1.3. */
    static String[] protocols(String spec) {
        if (spec == null) {
            return new String[] {"TLSv1.2", "TLSv1.3"};
        }
        Set<String> out = new LinkedHashSet<>();
        for (String p : spec.trim().split("\\s+")) {
            String found = PROTOCOLS.stream().filter(k -> k.equalsIgnoreCase(p)).findFirst().orElse(null);
            if (found == null) {
                throw new IllegalArgumentException("Invalid tls-protocols specified. Use a combination of 'TLSv1', "
                    + "'TLSv1.1', 'TLSv1.2' and 'TLSv1.3'.");
            }
            out.add(found);
        }
        return out.toArray(new String[0]);
    }

    /**
     * The cipher suites to enable, or null for the JDK's defaults: {@code tls-ciphers} (TLS 1.2 and
     * older; {@code DEFAULT}, or OpenSSL or IANA suite names, separated by {@code :}) plus
     * {@code tls-ciphersuites} (TLS 1.3, IANA names); the one not set keeps the JDK's defaults
     * for its protocol versions.
     */
    static List<String> ciphers(String ciphers, String suites) {
        if (ciphers == null && suites == null) {
            return null;
        }
        SSLContext jdk;
        try {
            jdk = SSLContext.getDefault();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("no TLS in this JDK: " + e.getMessage(), e);
        }
        Set<String> supported = Set.of(jdk.getSupportedSSLParameters().getCipherSuites());
        List<String> defaults = Arrays.asList(jdk.getDefaultSSLParameters().getCipherSuites());
        List<String> out = new ArrayList<>();
        if (ciphers == null) {
            defaults.stream().filter(c -> !isTls13(c)).forEach(out::add);
        } else {
            for (String c : ciphers.trim().split("[:\\s,]+")) {
                if (c.equalsIgnoreCase("DEFAULT")) {
                    defaults.stream().filter(d -> !isTls13(d)).forEach(out::add);
                    continue;
                }
                String name = supported.contains(c) ? c : CipherSuiteConverter.toJava(c, "TLS");
                if (name == null || !supported.contains(name)) {
                    throw new IllegalArgumentException("Failed to configure ciphers: '" + c + "' is not a cipher this "
                        + "JDK supports (OpenSSL or IANA names, ':'-separated; cipher-string keywords other than DEFAULT "
                        + "are not supported)");
                }
                out.add(name);
            }
        }
        if (suites == null) {
            defaults.stream().filter(ServerTls::isTls13).forEach(out::add);
        } else {
            for (String c : suites.trim().split("[:\\s,]+")) {
                if (!supported.contains(c) || !isTls13(c)) {
                    throw new IllegalArgumentException("Failed to configure ciphersuites: '" + c + "' is not a TLS 1.3 "
                        + "cipher suite this JDK supports");
                }
                out.add(c);
            }
        }
        return List.copyOf(new LinkedHashSet<>(out));
    }

    private static boolean isTls13(String suite) {
        return suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_");
    }

    private static List<X509Certificate> certificates(Path file, boolean required) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty() && required) {
                throw new IllegalArgumentException("Failed to load " + file + ": no certificate in it");
            }
            return out;
        } catch (IOException | CertificateException e) {
            if (!required) {
                return List.of();
            }
            throw new IllegalArgumentException("Failed to load " + file + ": " + e.getMessage(), e);
        }
    }

    /** Every certificate in the regular files of {@code dir} (OpenSSL's hashed links included); others are skipped. */
    private static List<X509Certificate> certificatesIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("Failed to load " + dir + ": not a directory");
        }
        List<X509Certificate> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(Files::isRegularFile).sorted().forEach(f -> out.addAll(certificates(f, false)));
        } catch (IOException e) {
            throw new IllegalArgumentException("Failed to load " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }
}
