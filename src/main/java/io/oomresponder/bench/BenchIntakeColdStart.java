package io.oomresponder.bench;

import io.oomresponder.host.WorkerInvocation;
import com.sun.net.httpserver.HttpServer;
import io.oomresponder.json.Json;
import io.oomresponder.simulator.ScenarioCatalog;
import io.oomresponder.simulator.SimulatedIncident;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code bench intake-cold-start}: the time from a cold process to AlertWebhook's first 202, started
 * the way the Functions host's Java worker runs it ({@link WorkerInvocation}: load the function class,
 * construct it, invoke the {@code @FunctionName} method), not through {@code serve}; printed next to
 * the action group's 10-second budget. A bare JVM start (the same class given no arguments) is
 * measured too, so the app's own share is visible.
 *
 * <p>The queue write goes to a loopback stand-in for the Storage queue service that checks the Shared
 * Key header and answers 201 at once: the figure is the app's start path, not Storage latency.
 */
@Command(name = "intake-cold-start", mixinStandardHelpOptions = true,
        description = "Fresh-JVM time to AlertWebhook's first 202, invoked as the Java worker invokes it, next to the action group's 10 s budget.")
public final class BenchIntakeColdStart implements Callable<Integer> {

    /** How long an action group waits for the answer (Learn, action groups troubleshooting). */
    static final long BUDGET_MS = 10_000;

    @Option(names = "--runs", defaultValue = "5", description = "Fresh processes (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--jar", paramLabel = "JAR", description = "The jar to start (default: this one).")
    Path jar;

    @Option(names = "--jvm-options", paramLabel = "OPTS", defaultValue = "",
            description = "JVM options for the started processes, space-separated (the Functions Java worker passes its own).")
    String jvmOptions;

    @Override
    public Integer call() throws Exception {
        Path theJar = jar != null ? jar : BenchColdStart.runningJar();
        if (theJar == null || !Files.isRegularFile(theJar) || runs < 1) {
            System.err.println("no jar to start: pass --jar target/oom-responder.jar (and --runs 1 or more)");
            return 2;
        }
        List<String> opts = jvmOptions.isBlank() ? List.of() : List.of(jvmOptions.trim().split("\\s+"));
        SimulatedIncident incident = ScenarioCatalog.generate("leak/classic", 7);
        Path body = Files.createTempFile("oom-bench-alert", ".json");
        body.toFile().deleteOnExit();
        Files.write(body, Json.mapper().writeValueAsBytes(incident.alertPayload()));

        AtomicInteger puts = new AtomicInteger();
        HttpServer queue = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        queue.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            boolean put = ex.getRequestMethod().equals("POST") && ex.getRequestURI().getPath().endsWith("/alerts/messages")
                    && auth != null && auth.startsWith("SharedKey ");
            if (put) {
                puts.incrementAndGet();
            }
            ex.sendResponseHeaders(put ? 201 : 400, -1);
            ex.close();
        });
        queue.start();
        byte[] key = new byte[64];
        new SecureRandom().nextBytes(key);
        String connection = "DefaultEndpointsProtocol=http;AccountName=benchaccount;AccountKey=" + Base64.getEncoder().encodeToString(key)
                + ";QueueEndpoint=http://127.0.0.1:" + queue.getAddress().getPort() + "/benchaccount";
        try {
            System.out.printf(Locale.ROOT, "intake cold start of %s with JVM options [%s], %d runs, %d cores, load average %.1f%n",
                    BenchColdStart.jarLabel(theJar), String.join(" ", opts), runs, java.lang.Runtime.getRuntime().availableProcessors(),
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            long[] bare = new long[runs];
            long[] answered = new long[runs];
            for (int r = 0; r < runs; r++) {
                bare[r] = run(theJar, opts, List.of(), connection, incident, false);
                answered[r] = run(theJar, opts, List.of("io.oomresponder.functions.AlertWebhook", body.toString()), connection, incident, true);
            }
            long median = BenchColdStart.median(answered);
            System.out.printf(Locale.ROOT, "JVM start to exit, no function (bare start): median %d ms %s%n", BenchColdStart.median(bare), Arrays.toString(bare));
            System.out.printf(Locale.ROOT, "process start to AlertWebhook's first 202 (worker-style invocation, queue write included): median %d ms (min %d, max %d) %s%n",
                    median, Arrays.stream(answered).min().orElse(0), Arrays.stream(answered).max().orElse(0), Arrays.toString(answered));
            System.out.printf(Locale.ROOT, "action group budget %d ms: the median uses %d%% of it, %d ms to spare; the Functions host's and the Java worker's own start "
                    + "(not measured here) come on top when no always-ready instance is warm%n", BUDGET_MS, median * 100 / BUDGET_MS, BUDGET_MS - median);
            System.out.printf(Locale.ROOT, "queue stand-in took %d Put Message request(s)%n", puts.get());
            return puts.get() == runs ? 0 : 1;
        } finally {
            queue.stop(0);
        }
    }

    /** Milliseconds from starting the process to its {@code status=202} line (or to its exit when {@code expect202} is false). */
    private static long run(Path jar, List<String> opts, List<String> args, String connection, SimulatedIncident incident, boolean expect202) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ChildServe.javaBinary());
        cmd.addAll(opts);
        cmd.addAll(List.of("-cp", jar.toString(), WorkerInvocation.class.getName()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("AzureWebJobsStorage", connection);
        pb.environment().put("FUNCTIONS_WORKER_RUNTIME", "java");
        pb.environment().put("ALLOWED_SUBSCRIPTIONS", incident.truth().app().subscriptionId());
        long t0 = System.nanoTime();
        Process p = pb.start();
        long at = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("status=")) {
                    at = (System.nanoTime() - t0) / 1_000_000;
                    if (!line.equals("status=202")) {
                        throw new IllegalStateException("AlertWebhook answered " + line);
                    }
                }
            }
        }
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("the invocation did not finish within 2 minutes");
        }
        if (!expect202) {
            return (System.nanoTime() - t0) / 1_000_000;
        }
        if (at < 0) {
            throw new IllegalStateException("no answer (exit " + p.exitValue() + ")");
        }
        return at;
    }
}
