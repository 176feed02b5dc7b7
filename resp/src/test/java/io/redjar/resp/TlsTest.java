package io.redjar.resp;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS on the RESP server, with a CA and certificates made in the test ({@link TestCerts}):
 * redis-cli {@code --tls}, Jedis and Lettuce over TLS, client certificates required, optional and
 * off, a client trusting another CA refused, a client certificate from another CA refused,
 * plain and TLS ports side by side on one store, TLS only with {@code port 0}, CONFIG GET/SET of
 * the {@code tls-*} settings (a bad certificate refused as Redis, a new one loaded).
 */
class TlsTest {
    @TempDir
    static Path dir;
    private static TestCerts.Authority ca;
    private static TestCerts.Authority other;

    @BeforeAll
    static void certificates() throws Exception {
        ca = TestCerts.authority(dir.resolve("ca"), "RedJar Test CA");
        other = TestCerts.authority(dir.resolve("other"), "Some Other CA");
    }

    private static ServerOptions tlsOptions(String authClients) {
        return ServerOptions.defaults().port(0).tlsPort(0).tlsCertFile(ca.serverCert()).tlsKeyFile(ca.serverKey())
            .tlsCaCertFile(ca.caCert()).tlsAuthClients(authClients);
    }

    private static Jedis jedis(int port, SSLContext ctx) {
        return new Jedis(new HostAndPort("127.0.0.1", port), DefaultJedisClientConfig.builder()
            .ssl(true).sslSocketFactory(ctx.getSocketFactory()).timeoutMillis(5000).build());
    }

    /** One command over a raw TLS socket: its reply's first line (or the failure's class and message). */
    private static String rawTls(SSLContext ctx, int port, String... args) {
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            s.startHandshake();
            OutputStream out = s.getOutputStream();
            StringBuilder cmd = new StringBuilder("*" + args.length + "\r\n");
            for (String a : args) {
                cmd.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
            }
            out.write(cmd.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
                line.write(b);
            }
            return b == -1 ? "failed: the server closed the connection after " + line.size() + " bytes"
                : line.toString(StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "failed: " + e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    private static String cli(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("redis-cli"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("redis-cli hung");
        }
        return out.strip();
    }

    @Test
    void redisCliOverTls() throws Exception {
        DifferentialWireTest.requireTool("redis-cli");
        try (RedJarServer server = RedJarServer.start(tlsOptions("yes"))) {
            String port = Integer.toString(server.tlsPort());
            String cacert = ca.caCert().toString();
            assertEquals("PONG", cli("--tls", "--cacert", cacert, "--cert", ca.clientCert().toString(),
                "--key", ca.clientKey().toString(), "-p", port, "ping"));
            assertEquals("OK", cli("--tls", "--cacert", cacert, "--cert", ca.clientCert().toString(),
                "--key", ca.clientKey().toString(), "-p", port, "set", "via", "tls"));
            // no client certificate while tls-auth-clients is yes: the handshake fails
            assertNotEquals("PONG", cli("--tls", "--cacert", cacert, "-p", port, "ping"));
            // redis-cli trusting another CA refuses the server
            String refused = cli("--tls", "--cacert", other.caCert().toString(), "--cert", ca.clientCert().toString(),
                "--key", ca.clientKey().toString(), "-p", port, "ping");
            assertTrue(refused.contains("certificate verify failed"), refused);
            // plain port beside it, same store
            assertEquals("tls", cli("-p", Integer.toString(server.port()), "get", "via"));
        }
        try (RedJarServer server = RedJarServer.start(tlsOptions("no"))) {
            assertEquals("PONG", cli("--tls", "--cacert", ca.caCert().toString(), "-p", Integer.toString(server.tlsPort()), "ping"));
        }
    }

    @Test
    void jedisOverTlsWithClientCertificates() throws Exception {
        try (RedJarServer server = RedJarServer.start(tlsOptions("yes"))) {
            try (Jedis j = jedis(server.tlsPort(), ca.clientContext(true))) {
                assertEquals("OK", j.set("k", "v"));
                assertEquals("v", j.get("k"));
                assertEquals(Map.of("tls-auth-clients", "yes"), j.configGet("tls-auth-clients"));
                assertEquals(Map.of("tls-port", Integer.toString(server.tlsPort())), j.configGet("tls-port"));
            }
            // client certificate required: none sent, refused
            assertTrue(rawTls(ca.clientContext(false), server.tlsPort(), "PING").startsWith("failed"),
                "a client without a certificate must be refused");
            // a client certificate signed by another CA: refused
            SSLContext foreignClient = TestCerts.clientContext(ca.ca(), other.client(), other.clientPrivateKey());
            assertTrue(rawTls(foreignClient, server.tlsPort(), "PING").startsWith("failed"),
                "a client certificate from another CA must be refused");
            // a client trusting only another CA refuses the server's certificate
            assertTrue(rawTls(other.clientContext(true), server.tlsPort(), "PING").startsWith("failed"));
            assertThrows(Exception.class, () -> {
                try (Jedis j = jedis(server.tlsPort(), other.clientContext(true))) {
                    j.ping();
                }
            });
            // TLS clients and the plain port see one store
            try (Jedis plain = new Jedis("127.0.0.1", server.port())) {
                assertEquals("v", plain.get("k"));
            }
        }
    }

    @Test
    void optionalAndOffClientAuthentication() throws Exception {
        try (RedJarServer server = RedJarServer.start(tlsOptions("optional"))) {
            assertEquals("+PONG", rawTls(ca.clientContext(false), server.tlsPort(), "PING"));
            assertEquals("+PONG", rawTls(ca.clientContext(true), server.tlsPort(), "PING"));
            // optional still checks a certificate that is sent
            SSLContext foreignClient = TestCerts.clientContext(ca.ca(), other.client(), other.clientPrivateKey());
            assertTrue(rawTls(foreignClient, server.tlsPort(), "PING").startsWith("failed"));
        }
        try (RedJarServer server = RedJarServer.start(tlsOptions("no"))) {
            assertEquals("+PONG", rawTls(ca.clientContext(false), server.tlsPort(), "PING"));
        }
    }

    @Test
    void caCertDirTrustsEveryCertificateFileInIt() throws Exception {
        // the CA's directory also holds keys and the server's own files: what is not a certificate is skipped
        ServerOptions o = ServerOptions.defaults().port(0).tlsPort(0).tlsCertFile(ca.serverCert()).tlsKeyFile(ca.serverKey())
            .tls("tls-ca-cert-dir", ca.caCert().getParent().toString());
        try (RedJarServer server = RedJarServer.start(o)) {
            assertEquals("+PONG", rawTls(ca.clientContext(true), server.tlsPort(), "PING"));
            SSLContext foreignClient = TestCerts.clientContext(ca.ca(), other.client(), other.clientPrivateKey());
            assertTrue(rawTls(foreignClient, server.tlsPort(), "PING").startsWith("failed"));
        }
    }

    @Test
    void lettuceOverTls() throws Exception {
        try (RedJarServer server = RedJarServer.start(tlsOptions("yes"))) {
            RedisClient client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(server.tlsPort())
                .withSsl(true).withTimeout(Duration.ofSeconds(10)).build());
            client.setOptions(ClientOptions.builder().sslOptions(SslOptions.builder().jdkSslProvider()
                .trustManager(ca.caCert().toFile())
                .keyManager(ca.clientCert().toFile(), ca.clientKey().toFile(), null).build()).build());
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                assertEquals("OK", c.sync().set("lettuce", "tls"));
                assertEquals("tls", c.sync().get("lettuce"));
                assertEquals(1L, c.sync().incr("n"));
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(5));
            }
        }
    }

    @Test
    void portZeroDirectiveWithTlsPortListensForTlsOnly() throws Exception {
        int tlsPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            tlsPort = probe.getLocalPort();
        }
        ServerOptions o = ServerOptions.parseArgs("--port", "0", "--tls-port", Integer.toString(tlsPort),
            "--tls-cert-file", ca.serverCert().toString(), "--tls-key-file", ca.serverKey().toString(),
            "--tls-ca-cert-file", ca.caCert().toString(), "--tls-auth-clients", "optional");
        assertFalse(o.plain());
        try (RedJarServer server = RedJarServer.start(o)) {
            assertEquals(0, server.port());
            assertEquals(tlsPort, server.tlsPort());
            assertEquals("rediss://127.0.0.1:" + tlsPort, server.uri());
            try (Jedis j = jedis(tlsPort, ca.clientContext(false))) {
                assertEquals(Map.of("port", "0"), j.configGet("port"));
                assertEquals(Map.of("tls-port", Integer.toString(tlsPort)), j.configGet("tls-port"));
            }
        }
        // without a tls-port, port 0 keeps meaning "any free port"
        assertTrue(ServerOptions.parseArgs("--port", "0").plain());
        // tls-port 0 is Redis's "no TLS"
        assertEquals(-1, ServerOptions.parseArgs("--tls-port", "0").tlsPort());
    }

    @Test
    void configSetOfTlsSettingsReloadsOrRefusesAsRedis() throws Exception {
        try (RedJarServer server = RedJarServer.start(tlsOptions("no"))) {
            try (Jedis j = jedis(server.tlsPort(), ca.clientContext(false))) {
                assertEquals(Map.of("tls-cert-file", ca.serverCert().toString()), j.configGet("tls-cert-file"));
                Map<String, String> all = j.configGet("tls-*");
                for (String name : List.of("tls-key-file", "tls-key-file-pass", "tls-ca-cert-dir", "tls-protocols", "tls-ciphers",
                    "tls-ciphersuites", "tls-prefer-server-ciphers", "tls-session-caching", "tls-session-cache-size",
                    "tls-session-cache-timeout", "tls-replication", "tls-cluster", "tls-dh-params-file")) {
                    assertTrue(all.containsKey(name), name + " in " + all);
                }
                assertEquals("20480", all.get("tls-session-cache-size"));
                assertEquals("no", all.get("tls-prefer-server-ciphers"));
                // a file that cannot be loaded: Redis's error, and the settings stay
                JedisDataException e = assertThrows(JedisDataException.class,
                    () -> j.configSet("tls-cert-file", dir.resolve("missing.crt").toString()));
                assertEquals("ERR CONFIG SET failed (possibly related to argument 'tls-cert-file') - Unable to update TLS "
                    + "configuration. Check server logs.", e.getMessage());
                assertEquals(ca.serverCert().toString(), j.configGet("tls-cert-file").get("tls-cert-file"));
                e = assertThrows(JedisDataException.class, () -> j.configSet("tls-protocols", "TLSv9"));
                assertTrue(e.getMessage().endsWith("Unable to update TLS configuration. Check server logs."), e.getMessage());
                e = assertThrows(JedisDataException.class, () -> j.configSet("tls-auth-clients", "maybe"));
                assertEquals("ERR CONFIG SET failed (possibly related to argument 'tls-auth-clients') - argument(s) must be one "
                    + "of the following: no, yes, optional", e.getMessage());
                e = assertThrows(JedisDataException.class, () -> j.configSet("tls-port", "1234"));
                assertTrue(e.getMessage().contains("can't set immutable config"), e.getMessage());
                // the other CA's server certificate, both files at once: new connections get it
                assertEquals("OK", j.configSet("tls-cert-file", other.serverCert().toString(),
                    "tls-key-file", other.serverKey().toString()));
            }
            assertEquals("+PONG", rawTls(other.clientContext(false), server.tlsPort(), "PING"));
            assertTrue(rawTls(ca.clientContext(false), server.tlsPort(), "PING").startsWith("failed"));
        }
    }

    @Test
    void protocolsAndCiphers() throws Exception {
        ServerOptions o = tlsOptions("no").tls("tls-protocols", "TLSv1.3").tls("tls-ciphersuites", "TLS_AES_256_GCM_SHA384");
        try (RedJarServer server = RedJarServer.start(o)) {
            SSLContext ctx = ca.clientContext(false);
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", server.tlsPort())) {
                s.startHandshake();
                assertEquals("TLSv1.3", s.getSession().getProtocol());
                assertEquals("TLS_AES_256_GCM_SHA384", s.getSession().getCipherSuite());
            }
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", server.tlsPort())) {
                s.setEnabledProtocols(new String[] {"TLSv1.2"});
                assertThrows(IOException.class, s::startHandshake, "TLS 1.2 is off");
            }
        }
        // OpenSSL names in tls-ciphers map to the JDK's; unknown ones are refused with the reason
        assertEquals("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            ServerTls.ciphers("ECDHE-ECDSA-AES128-GCM-SHA256", null).get(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerTls.ciphers("NO-SUCH-CIPHER", null));
        assertTrue(e.getMessage().contains("NO-SUCH-CIPHER"), e.getMessage());
        assertEquals(List.of("TLSv1.2", "TLSv1.3"), List.of(ServerTls.protocols(null)));
        assertEquals(List.of("TLSv1.3"), List.of(ServerTls.protocols("tlsv1.3")));
        // client authentication without a CA: Redis's reason, and no server
        IllegalArgumentException noCa = assertThrows(IllegalArgumentException.class, () -> RedJarServer.start(
            ServerOptions.defaults().port(0).tlsPort(0).tlsCertFile(ca.serverCert()).tlsKeyFile(ca.serverKey())));
        assertTrue(noCa.getMessage().startsWith("Either tls-ca-cert-file or tls-ca-cert-dir must be specified"), noCa.getMessage());
    }
}
