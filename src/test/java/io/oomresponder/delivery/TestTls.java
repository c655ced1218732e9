package io.oomresponder.delivery;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for 127.0.0.1 (SAN ip:127.0.0.1, which reactor-netty checks),
 * generated once per build with the JDK's keytool under target/test-tls. Azure SDK key
 * credentials refuse plain http, so SDK-based sinks are tested over HTTPS.
 */
public final class TestTls {

    private static final char[] PASSWORD = "changeit".toCharArray();
    private static final Path DIR = Path.of("target", "test-tls");
    private static final Path KEYSTORE = DIR.resolve("loopback.p12");
    private static final Path PEM = DIR.resolve("loopback.pem");

    private TestTls() {
    }

    public static synchronized SSLContext serverContext() {
        try {
            ensureCertificate();
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(KEYSTORE)) {
                ks.load(in, PASSWORD);
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, PASSWORD);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(kmf.getKeyManagers(), null, null);
            return ssl;
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up test TLS", e);
        }
    }

    public static synchronized X509Certificate certificate() {
        try {
            ensureCertificate();
            try (InputStream in = Files.newInputStream(PEM)) {
                return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot read test certificate", e);
        }
    }

    private static void ensureCertificate() throws Exception {
        if (Files.exists(KEYSTORE) && Files.exists(PEM)) {
            return;
        }
        Files.createDirectories(DIR);
        Files.deleteIfExists(KEYSTORE);
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(List.of(keytool, "-genkeypair", "-alias", "loopback", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "3650", "-storetype", "PKCS12", "-keystore", KEYSTORE.toString(),
                "-storepass", "changeit", "-keypass", "changeit"));
        run(List.of(keytool, "-exportcert", "-rfc", "-alias", "loopback", "-keystore", KEYSTORE.toString(), "-storepass", "changeit",
                "-file", PEM.toString()));
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + out);
        }
    }
}
