package io.oomresponder.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Azurite (npm {@code azurite}, from {@code <project>/node_modules/.bin/azurite}) for tests:
 * Blob, Queue and Table services in memory, on free loopback ports, started once per JVM on the
 * first test class that asks and stopped when the test run ends.
 *
 * <pre>{@code
 * @ExtendWith(AzuriteExtension.class)
 * class MyTest {
 *     @BeforeAll static void start(AzuriteExtension.Azurite azurite) { ... azurite.connectionString() ... }
 *     @Test void works(AzuriteExtension.Azurite azurite) { ... }
 * }
 * }</pre>
 * Test classes share the one Azurite: give each class its own table or queue names. A missing
 * {@code node_modules} fails the class with "run scripts/prerequisites".
 */
public final class AzuriteExtension implements BeforeAllCallback, ParameterResolver {

    /** Azurite's well-known development account (public; not a secret). */
    public static final String ACCOUNT = "devstoreaccount1";
    public static final String ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /** How long Azurite may take to open its ports (about 3 s on an idle machine; this one is shared). */
    static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    private static final int START_ATTEMPTS = 3;
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(AzuriteExtension.class);

    /**
     * A running Azurite.
     *
     * @param connectionString devstoreaccount1 with explicit BlobEndpoint, QueueEndpoint and TableEndpoint
     * @param blobEndpoint     e.g. http://127.0.0.1:41234/devstoreaccount1
     * @param queueEndpoint    e.g. http://127.0.0.1:41235/devstoreaccount1
     * @param tableEndpoint    e.g. http://127.0.0.1:41236/devstoreaccount1
     */
    public record Azurite(String connectionString, String blobEndpoint, String queueEndpoint, String tableEndpoint) {
    }

    /**
     * A second Azurite, Blob service only, over HTTPS with {@code --oauth basic}: it accepts Entra-style
     * bearer tokens (checking issuer, audience and expiry, not the signature) and so issues user
     * delegation keys, which Azurite refuses to shared-key clients. Its certificate is the simulator's
     * loopback one ({@code classpath:simulator/fake-azure.pem}).
     *
     * @param blobEndpoint e.g. https://127.0.0.1:41237/devstoreaccount1
     */
    public record OAuthBlob(String blobEndpoint) {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        azurite(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Azurite.class || parameter.getParameter().getType() == OAuthBlob.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (parameter.getParameter().getType() == OAuthBlob.class) {
            return context.getRoot().getStore(NAMESPACE)
                    .getOrComputeIfAbsent(OAuthBlob.class.getName(), k -> AzuriteProcess.startOAuthBlob(projectDir()), AzuriteProcess.class)
                    .oauthBlob;
        }
        return azurite(context);
    }

    /** The JVM's Azurite, started on first use; stopped when the root context closes (end of the run). */
    private static Azurite azurite(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(AzuriteProcess.class, k -> AzuriteProcess.start(projectDir()), AzuriteProcess.class)
                .azurite;
    }

    static Path projectDir() {
        String basedir = System.getProperty("basedir");
        return Path.of(basedir != null ? basedir : System.getProperty("user.dir")).toAbsolutePath();
    }

    /** One Azurite process; closing it stops it and waits for it to exit. */
    static final class AzuriteProcess implements AutoCloseable {

        private final Process process;
        private final Azurite azurite;
        private OAuthBlob oauthBlob;
        private final Path workDir;
        private final Thread shutdownHook;

        private AzuriteProcess(Process process, Azurite azurite, Path workDir) {
            this.process = process;
            this.azurite = azurite;
            this.workDir = workDir;
            // Backstop for runs that end without closing the root context (a killed fork still leaks it).
            this.shutdownHook = new Thread(this::stop, "azurite-stop");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }

        static AzuriteProcess start(Path projectDir) {
            Path executable = projectDir.resolve("node_modules/.bin/azurite");
            if (!Files.isExecutable(executable)) {
                throw new ExtensionConfigurationException("Azurite is not installed: " + executable
                        + " is missing. Run scripts/prerequisites (npm ci) in " + projectDir + " first.");
            }
            IllegalStateException last = null;
            for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
                try {
                    return startOnce(executable);
                } catch (IllegalStateException e) {
                    last = e;
                    // Only a port that another process took between our probe and Azurite's bind is worth another try.
                    if (e.getMessage() == null || !e.getMessage().contains("EADDRINUSE")) {
                        throw e;
                    }
                }
            }
            throw last;
        }

        /** Azurite's Blob service over HTTPS with OAuth (see {@link OAuthBlob}). */
        static AzuriteProcess startOAuthBlob(Path projectDir) {
            Path executable = projectDir.resolve("node_modules/.bin/azurite-blob");
            if (!Files.isExecutable(executable)) {
                throw new ExtensionConfigurationException("Azurite is not installed: " + executable
                        + " is missing. Run scripts/prerequisites (npm ci) in " + projectDir + " first.");
            }
            int port = freePorts(1)[0];
            Path workDir;
            Path pfx;
            try {
                workDir = Files.createTempDirectory("azurite-oauth-");
                pfx = workDir.resolve("fake-azure.p12");
                try (var in = AzuriteExtension.class.getClassLoader().getResourceAsStream("simulator/fake-azure.p12")) {
                    Files.copy(java.util.Objects.requireNonNull(in, "simulator/fake-azure.p12 on the classpath"), pfx);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Path log = workDir.resolve("azurite.log");
            List<String> command = List.of(executable.toString(), "--blobHost", "127.0.0.1", "--blobPort", Integer.toString(port),
                    "--inMemoryPersistence", "--silent", "--skipApiVersionCheck", "--disableTelemetry",
                    "--oauth", "basic", "--cert", pfx.toString(), "--pwd", "changeit");
            Process process;
            try {
                process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            } catch (IOException e) {
                throw new IllegalStateException("could not start " + executable + ": " + e.getMessage(), e);
            }
            awaitPorts(process, log, System.nanoTime(), port);
            AzuriteProcess started = new AzuriteProcess(process, null, workDir);
            started.oauthBlob = new OAuthBlob("https://127.0.0.1:" + port + "/" + ACCOUNT);
            return started;
        }

        private static AzuriteProcess startOnce(Path executable) {
            int[] ports = freePorts(3);
            Path workDir;
            try {
                workDir = Files.createTempDirectory("azurite-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Path log = workDir.resolve("azurite.log");
            List<String> command = new ArrayList<>(List.of(executable.toString(),
                    "--blobHost", "127.0.0.1", "--blobPort", Integer.toString(ports[0]),
                    "--queueHost", "127.0.0.1", "--queuePort", Integer.toString(ports[1]),
                    "--tableHost", "127.0.0.1", "--tablePort", Integer.toString(ports[2]),
                    "--inMemoryPersistence", "--silent", "--skipApiVersionCheck", "--disableTelemetry"));
            Process process;
            long started = System.nanoTime();
            try {
                process = new ProcessBuilder(command).directory(workDir.toFile())
                        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            } catch (IOException e) {
                throw new IllegalStateException("could not start " + executable + ": " + e.getMessage(), e);
            }
            awaitPorts(process, log, started, ports);
            String base = "http://127.0.0.1:";
            Azurite azurite = new Azurite(
                    "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + ACCOUNT_KEY
                            + ";BlobEndpoint=" + base + ports[0] + "/" + ACCOUNT
                            + ";QueueEndpoint=" + base + ports[1] + "/" + ACCOUNT
                            + ";TableEndpoint=" + base + ports[2] + "/" + ACCOUNT + ";",
                    base + ports[0] + "/" + ACCOUNT, base + ports[1] + "/" + ACCOUNT, base + ports[2] + "/" + ACCOUNT);
            System.err.printf("Azurite pid %d ready in %d ms (table %s)%n", process.pid(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), azurite.tableEndpoint());
            return new AzuriteProcess(process, azurite, workDir);
        }

        /** Waits until Azurite listens on every port; stops it and throws when it exits or times out. */
        private static void awaitPorts(Process process, Path log, long startedNanos, int... ports) {
            long deadline = startedNanos + STARTUP_TIMEOUT.toNanos();
            while (!java.util.Arrays.stream(ports).allMatch(AzuriteProcess::listening)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    String output = tail(log);
                    destroy(process);
                    throw new IllegalStateException("Azurite did not start on ports " + java.util.Arrays.toString(ports)
                            + (process.isAlive() ? " within " + STARTUP_TIMEOUT.toSeconds() + " s" : " (exit " + process.exitValue() + ")")
                            + ": " + output);
                }
                try {
                    Thread.sleep(50); // polling a child process's port: there is nothing to wait on instead
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    destroy(process);
                    throw new IllegalStateException("interrupted while starting Azurite", e);
                }
            }
        }

        @Override
        public void close() {
            stop();
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running or has run: nothing to remove.
            }
        }

        private synchronized void stop() {
            if (process.isAlive()) {
                destroy(process);
            }
            try (var files = Files.walk(workDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException ignored) {
                // A temp directory left behind is harmless.
            }
        }

        /** SIGTERM, wait for the PID (Azurite takes over a second to exit), then SIGKILL. */
        private static void destroy(Process process) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            try {
                if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }

        private static boolean listening(int port) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        private static int[] freePorts(int count) {
            List<ServerSocket> sockets = new ArrayList<>();
            try {
                int[] ports = new int[count];
                for (int i = 0; i < count; i++) {
                    ServerSocket s = new ServerSocket();
                    s.setReuseAddress(true);
                    s.bind(new InetSocketAddress("127.0.0.1", 0));
                    sockets.add(s);
                    ports[i] = s.getLocalPort();
                }
                return ports;
            } catch (IOException e) {
                throw new UncheckedIOException("no free loopback port", e);
            } finally {
                for (ServerSocket s : sockets) {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // closing a probe socket
                    }
                }
            }
        }

        private static String tail(Path log) {
            try {
                String text = Files.readString(log);
                return text.length() > 2000 ? text.substring(text.length() - 2000) : text;
            } catch (IOException e) {
                return "(no output)";
            }
        }
    }
}
