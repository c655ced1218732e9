package io.oomresponder.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Azurite ({@code node_modules/.bin/azurite}, npm) for {@code bench faults}: Queue and Table in memory
 * on free loopback ports, stopped on close. The tests have their own (AzuriteExtension).
 */
public final class LocalAzurite implements AutoCloseable {

    /** Azurite's well-known development account (public; not a secret). */
    private static final String ACCOUNT = "devstoreaccount1";
    private static final String ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private final Process process;
    private final String connectionString;

    private LocalAzurite(Process process, String connectionString) {
        this.process = process;
        this.connectionString = connectionString;
    }

    static LocalAzurite start(Path executable, Duration timeout) throws IOException, InterruptedException {
        if (!Files.isExecutable(executable)) {
            throw new IllegalStateException("no Azurite at " + executable + ": run scripts/prerequisites, or pass --storage CONNECTION_STRING");
        }
        int[] ports = {freePort(), freePort(), freePort()};
        Path dir = Files.createTempDirectory("bench-azurite-");
        Process p = new ProcessBuilder(List.of(executable.toString(),
                "--blobHost", "127.0.0.1", "--blobPort", Integer.toString(ports[0]),
                "--queueHost", "127.0.0.1", "--queuePort", Integer.toString(ports[1]),
                "--tableHost", "127.0.0.1", "--tablePort", Integer.toString(ports[2]),
                "--inMemoryPersistence", "--silent", "--skipApiVersionCheck", "--disableTelemetry"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("azurite.log").toFile()).start();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int port : ports) {
            while (!open(port)) {
                if (System.nanoTime() > deadline || !p.isAlive()) {
                    p.destroyForcibly();
                    throw new IllegalStateException("Azurite did not start; see " + dir.resolve("azurite.log"));
                }
                Thread.sleep(50); // polling a child process's port: nothing to wait on instead
            }
        }
        String base = "http://127.0.0.1:";
        return new LocalAzurite(p, "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + ACCOUNT_KEY
                + ";BlobEndpoint=" + base + ports[0] + "/" + ACCOUNT + ";QueueEndpoint=" + base + ports[1] + "/" + ACCOUNT
                + ";TableEndpoint=" + base + ports[2] + "/" + ACCOUNT + ";");
    }

    String connectionString() {
        return connectionString;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean open(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        ChildServe.stop(process);
    }
}
