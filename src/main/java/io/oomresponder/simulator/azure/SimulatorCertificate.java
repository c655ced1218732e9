package io.oomresponder.simulator.azure;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/**
 * The simulator's pre-generated, self-signed loopback certificate ({@code simulator/fake-azure.p12}
 * and {@code .pem} on the classpath; SAN ip:127.0.0.1, dns:localhost). Its private key is public,
 * so it must never be trusted for anything but 127.0.0.1: see {@code simulator/README.md}.
 */
public final class SimulatorCertificate {

    /** Classpath location of the PEM certificate clients trust in simulator mode. */
    public static final String PEM_RESOURCE = "simulator/fake-azure.pem";
    private static final String P12_RESOURCE = "simulator/fake-azure.p12";
    private static final char[] P12_PASSWORD = "changeit".toCharArray();

    private SimulatorCertificate() {
    }

    /** The server-side TLS context holding the key pair. */
    public static SSLContext serverContext() {
        try (InputStream in = resource(P12_RESOURCE)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, P12_PASSWORD);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, P12_PASSWORD);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(kmf.getKeyManagers(), null, null);
            return ssl;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the simulator certificate", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the simulator certificate: " + e.getMessage(), e);
        }
    }

    /**
     * A client TLS context that trusts exactly this certificate: for JDK HTTP clients that read
     * from the simulator as a browser would (the demo's chart link check, tests).
     */
    public static SSLContext clientContext() {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("simulator", java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(pem().getBytes(StandardCharsets.US_ASCII))));
            javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return ssl;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the simulator certificate", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the simulator certificate: " + e.getMessage(), e);
        }
    }

    /** The certificate in PEM form, for clients that trust it. */
    public static String pem() {
        try (InputStream in = resource(PEM_RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the simulator certificate", e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = SimulatorCertificate.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("simulator certificate " + name + " is missing from the classpath");
        }
        return in;
    }
}
