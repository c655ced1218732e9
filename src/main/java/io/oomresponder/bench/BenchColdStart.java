package io.oomresponder.bench;

import com.sun.net.httpserver.HttpServer;
import io.oomresponder.evidence.EvidenceBundleFile;
import io.oomresponder.simulator.ScenarioCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bench cold-start}: fresh JVMs, timed from process start. {@code diagnose} on one bundle
 * (start to exit), and {@code serve} with its first alert (start to listening, to the 202, to the
 * note at a loopback webhook sink or, when no sink is wired, to the worker's DELIVERED log line),
 * against the fake Azure in this process. Medians of several runs, since one run on a shared
 * machine says little.
 */
@Command(name = "cold-start", mixinStandardHelpOptions = true,
        description = "Fresh-JVM timings: 'diagnose' on one bundle, and 'serve' up to its first 202 and first note (medians).")
public final class BenchColdStart implements Callable<Integer> {

    private static final String WEBHOOK_SECRET = "bench-webhook-secret-0123456789";
    private static final Duration FIRST_NOTE_TIMEOUT = Duration.ofMinutes(3);

    @Option(names = "--runs", defaultValue = "5", description = "Runs of each (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--jar", paramLabel = "JAR", description = "The jar to start (default: this one).")
    Path jar;

    @Option(names = "--jvm-options", paramLabel = "OPTS", defaultValue = "",
            description = "JVM options for the started processes, space-separated (e.g. \"-XX:TieredStopAtLevel=1\").")
    String jvmOptions;

    @Option(names = "--only", paramLabel = "WHAT", description = "diagnose or serve (default: both).")
    String only;

    @Option(names = "--evidence", paramLabel = "FILE", description = "Bundle for diagnose (default: the leak/classic seed 7 bundle, generated).")
    Path evidence;

    @Override
    public Integer call() throws Exception {
        Path theJar = jar != null ? jar : runningJar();
        if (theJar == null || !Files.isRegularFile(theJar)) {
            System.err.println("no jar to start: pass --jar target/oom-responder.jar");
            return 2;
        }
        List<String> opts = jvmOptions.isBlank() ? List.of() : List.of(jvmOptions.trim().split("\\s+"));
        System.out.printf(Locale.ROOT, "cold start of %s with JVM options [%s], %d runs each, %d cores, load average %.1f%n",
                jarLabel(theJar), String.join(" ", opts), runs, java.lang.Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        if (only == null || only.equals("diagnose")) {
            diagnose(theJar, opts);
        }
        if (only == null || only.equals("serve")) {
            serve(theJar, opts);
        }
        return 0;
    }

    private void diagnose(Path theJar, List<String> opts) throws Exception {
        Path bundle = evidence;
        if (bundle == null) {
            bundle = Files.createTempFile("oom-bench-bundle", ".json");
            bundle.toFile().deleteOnExit();
            EvidenceBundleFile.write(ScenarioCatalog.generate("leak/classic", 7).truth(), bundle);
        }
        long[] ms = new long[runs];
        for (int r = 0; r < runs; r++) {
            List<String> cmd = new ArrayList<>();
            cmd.add(ChildServe.javaBinary());
            cmd.addAll(opts);
            cmd.addAll(List.of("-jar", theJar.toString(), "diagnose", "--evidence", bundle.toString(), "--output", "json"));
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("diagnose failed (exit " + (p.isAlive() ? "timeout" : p.exitValue()) + ")");
            }
            ms[r] = (System.nanoTime() - t0) / 1_000_000;
        }
        System.out.printf(Locale.ROOT, "diagnose, one %d KB bundle, start to exit: median %d ms (min %d, max %d) %s%n",
                Files.size(bundle) / 1024, median(ms), min(ms), max(ms), Arrays.toString(ms));
    }

    private void serve(Path theJar, List<String> opts) throws Exception {
        long[] listen = new long[runs];
        long[] accepted = new long[runs];
        long[] note = new long[runs];
        long[] logged = new long[runs];
        boolean viaSink = false;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int r = 0; r < runs; r++) {
            AtomicLong hookAt = new AtomicLong();
            HttpServer hook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            hook.createContext("/hook", ex -> {
                ex.getRequestBody().readAllBytes();
                hookAt.compareAndSet(0, System.nanoTime());
                ex.sendResponseHeaders(200, -1);
                ex.close();
            });
            hook.start();
            try (SimulatedFleet fleet = SimulatedFleet.start(1, 7, List.of("leak/classic"), null)) {
                Map<String, String> env = new HashMap<>(fleet.settingValues());
                env.put("WEBHOOK_URL", "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook");
                env.put("WEBHOOK_SECRET", WEBHOOK_SECRET);
                try (ChildServe child = ChildServe.start(theJar, opts, env, 2)) {
                    int port = child.awaitListening(Duration.ofMinutes(2));
                    HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/alerts"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(fleet.originalPayload(0))).build();
                    HttpResponse<String> answer = http.send(post, HttpResponse.BodyHandlers.ofString());
                    long acceptedAt = System.nanoTime();
                    if (answer.statusCode() != 202) {
                        throw new IllegalStateException("serve answered " + answer.statusCode() + ": " + answer.body());
                    }
                    long deadline = System.nanoTime() + FIRST_NOTE_TIMEOUT.toNanos();
                    while (child.firstDeliveredAtNanos() == 0 && System.nanoTime() < deadline) {
                        Thread.sleep(5);
                    }
                    // The sink's arrival is the note; without a configured sink the worker's log line is the end.
                    Thread.sleep(50);
                    long noteAt = hookAt.get() != 0 ? hookAt.get() : child.firstDeliveredAtNanos();
                    viaSink |= hookAt.get() != 0;
                    if (noteAt == 0) {
                        throw new IllegalStateException("no note within " + FIRST_NOTE_TIMEOUT + "; serve's errors: " + child.errorLines());
                    }
                    listen[r] = (child.listeningAtNanos() - child.startedNanos()) / 1_000_000;
                    accepted[r] = (acceptedAt - child.startedNanos()) / 1_000_000;
                    note[r] = (noteAt - child.startedNanos()) / 1_000_000;
                    logged[r] = child.firstDeliveredAtNanos() == 0 ? -1 : (child.firstDeliveredAtNanos() - child.startedNanos()) / 1_000_000;
                }
            } finally {
                hook.stop(0);
            }
        }
        System.out.printf(Locale.ROOT, "serve, from process start: listening median %d ms %s%n", median(listen), Arrays.toString(listen));
        System.out.printf(Locale.ROOT, "serve, from process start: first alert answered 202, median %d ms %s%n", median(accepted), Arrays.toString(accepted));
        System.out.printf(Locale.ROOT, "serve, from process start: first note %s, median %d ms %s%n",
                viaSink ? "at the webhook sink" : "delivered (worker log; no sink wired)", median(note), Arrays.toString(note));
        System.out.printf(Locale.ROOT, "serve, from process start: first alert finished (worker's DELIVERED log line), median %d ms %s%n",
                median(logged), Arrays.toString(logged));
    }

    /**
     * A jar as the benches print it: its file name and size, not its folder, so a recorded run
     * (docs/bench) says nothing about the machine's paths.
     */
    static String jarLabel(Path jar) throws java.io.IOException {
        long bytes = Files.size(jar);
        return String.format(Locale.ROOT, "%s, %.1f MB (%d bytes)", jar.getFileName(), bytes / 1048576.0, bytes);
    }

    /** The jar this class was loaded from, or null when running from classes. */
    static Path runningJar() {
        try {
            Path p = Path.of(BenchColdStart.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(p) ? p : null;
        } catch (Exception e) {
            return null;
        }
    }

    static long median(long[] v) {
        long[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }

    private static long min(long[] v) {
        return Arrays.stream(v).min().orElse(0);
    }

    private static long max(long[] v) {
        return Arrays.stream(v).max().orElse(0);
    }
}
