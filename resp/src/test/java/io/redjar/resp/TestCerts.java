package io.redjar.resp;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.Principal;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Certificates for the TLS tests, made in the test with BouncyCastle (test scope only): a CA, a
 * server certificate for {@code localhost} / {@code 127.0.0.1} and a client certificate signed
 * by it, written as PEM files (certificates, PKCS#8 keys) as redis-server's and redis-cli's
 * options take them. In Java rather than by running openssl or keytool: the same on every
 * machine, nothing to install, and fast (EC P-256 keys).
 *
 * <p><b>Thread-safety:</b> not thread-safe; one per test class.
 */
final class TestCerts {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** One CA and what it signed. */
    record Authority(Path caCert, Path serverCert, Path serverKey, Path clientCert, Path clientKey,
                     X509Certificate ca, X509Certificate client, PrivateKey clientPrivateKey) {
        /** A JDK client context trusting this CA, presenting this CA's client certificate when {@code withClientCert}. */
        SSLContext clientContext(boolean withClientCert) throws Exception {
            return TestCerts.clientContext(ca, withClientCert ? client : null, withClientCert ? clientPrivateKey : null);
        }
    }

    private TestCerts() {
    }

    /** Makes a CA named {@code name} with a server and a client certificate, as PEM files in {@code dir}. */
    static Authority authority(Path dir, String name) throws Exception {
        Files.createDirectories(dir);
        KeyPair caKeys = keys();
        X500Name caName = new X500Name("CN=" + name);
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder cb = new JcaX509v3CertificateBuilder(caName, serial(), notBefore(), notAfter(), caName, caKeys.getPublic())
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
            .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
            .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(caKeys.getPublic()));
        X509Certificate ca = sign(cb, caKeys.getPrivate());

        KeyPair serverKeys = keys();
        X509v3CertificateBuilder sb = leaf(ext, ca, caName, "localhost", serverKeys)
            .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}))
            .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        X509Certificate server = sign(sb, caKeys.getPrivate());

        KeyPair clientKeys = keys();
        X509v3CertificateBuilder clb = leaf(ext, ca, caName, "redjar-test-client", clientKeys)
            .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        X509Certificate client = sign(clb, caKeys.getPrivate());

        Path caFile = pem(dir.resolve("ca.crt"), "CERTIFICATE", ca.getEncoded());
        Path serverCert = pem(dir.resolve("server.crt"), "CERTIFICATE", server.getEncoded());
        Path serverKey = pem(dir.resolve("server.key"), "PRIVATE KEY", serverKeys.getPrivate().getEncoded());
        Path clientCert = pem(dir.resolve("client.crt"), "CERTIFICATE", client.getEncoded());
        Path clientKey = pem(dir.resolve("client.key"), "PRIVATE KEY", clientKeys.getPrivate().getEncoded());
        return new Authority(caFile, serverCert, serverKey, clientCert, clientKey, ca, client, clientKeys.getPrivate());
    }

    private static X509v3CertificateBuilder leaf(JcaX509ExtensionUtils ext, X509Certificate ca, X500Name issuer, String cn,
                                                 KeyPair keys) throws Exception {
        return new JcaX509v3CertificateBuilder(issuer, serial(), notBefore(), notAfter(), new X500Name("CN=" + cn), keys.getPublic())
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
            .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
            .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()))
            .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca));
    }

    static SSLContext clientContext(X509Certificate trusted, X509Certificate cert, PrivateKey key) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", trusted);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (cert != null) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("client", key, "x".toCharArray(), new Certificate[] {cert});
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, "x".toCharArray());
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : new javax.net.ssl.KeyManager[] {new AlwaysPresent((X509ExtendedKeyManager) kmf.getKeyManagers()[0])},
            tmf.getTrustManagers(), null);
        return ctx;
    }

    /**
     * Presents the client certificate whatever CAs the server asks for (as redis-cli and OpenSSL do);
     * the JDK's own key manager would send none when the server names another CA, which would test
     * nothing about the server's checks.
     */
    private static final class AlwaysPresent extends X509ExtendedKeyManager {
        private final X509ExtendedKeyManager km;

        AlwaysPresent(X509ExtendedKeyManager km) {
            this.km = km;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {"client"};
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return "client";
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return "client";
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return km.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return km.getPrivateKey(alias);
        }
    }

    private static KeyPair keys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey issuerKey) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }

    private static Date notBefore() {
        return new Date(System.currentTimeMillis() - 3_600_000L);
    }

    private static Date notAfter() {
        return new Date(System.currentTimeMillis() + 24 * 3_600_000L);
    }

    private static Path pem(Path file, String type, byte[] der) throws Exception {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
        return file;
    }
}
