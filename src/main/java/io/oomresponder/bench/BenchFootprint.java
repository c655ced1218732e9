package io.oomresponder.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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

/**
 * {@code bench footprint}: a fresh {@code serve} process (in-memory queue and store) takes N alerts
 * for a fleet of simulated apps over HTTP, paced so the queue never overflows; after each
 * checkpoint the used heap after a full GC is read with {@code jcmd}. Also prints the shaded jar's
 * size. The heap figures must stay flat for a responder that runs for months.
 */
@Command(name = "footprint", mixinStandardHelpOptions = true,
        description = "Heap after GC of a fresh 'serve' at alert-count checkpoints (default 1k, 5k and 10k) against the simulator, and once settled; the jar's size.")
public final class BenchFootprint implements Callable<Integer> {

    /** Alerts sent but not yet finished, at most: far below the in-memory queue's capacity. */
    static final int MAX_OUTSTANDING = 200;
    /** No alert finished for this long ends the run with the reason instead of waiting for ever. */
    static final Duration STALL = Duration.ofMinutes(2);
    /** The target: heap after GC at each checkpoint under load, in MB (what a storm may hold: the bound on evidence kept for sharing, 32 MB, and the rest). */
    static final double TARGET_HEAP_UNDER_LOAD_MB = 64;
    /** Firing times of an app's alerts cycle over this many 30-second steps (half an hour). */
    static final int FIRING_STEPS = 60;

    @Option(names = "--alerts", defaultValue = "10000", description = "Alerts in all (default ${DEFAULT-VALUE}).")
    int alerts;

    @Option(names = "--checkpoints", split = ",", defaultValue = "1000,5000,10000",
            description = "Alert counts after which the heap is measured (default ${DEFAULT-VALUE}).")
    int[] checkpoints;

    @Option(names = "--apps", defaultValue = "20", description = "Simulated apps the alerts are spread over (default ${DEFAULT-VALUE}).")
    int apps;

    @Option(names = "--resend-every", defaultValue = "5",
            description = "Every Nth alert is a redelivery of an earlier one, as at-least-once delivery does (default ${DEFAULT-VALUE}).")
    int resendEvery;

    @Option(names = "--lookback", defaultValue = "PT1H", description = "EVIDENCE_LOOKBACK of the serve process (default ${DEFAULT-VALUE}).")
    String lookback;

    @Option(names = "--settle-s", defaultValue = "130",
            description = "After the last alert, wait this long (past the 2-minute evidence reuse), send one more alert and measure again; 0 skips (default ${DEFAULT-VALUE}).")
    int settleSeconds;

    @Option(names = "--jar", paramLabel = "JAR", description = "The jar to start (default: this one).")
    Path jar;

    @Option(names = "--jvm-options", defaultValue = "", paramLabel = "OPTS", description = "JVM options of the serve process.")
    String jvmOptions;

    @Override
    public Integer call() throws Exception {
        Path theJar = jar != null ? jar : BenchColdStart.runningJar();
        if (theJar == null || !Files.isRegularFile(theJar) || alerts < 1 || apps < 1) {
            System.err.println("need --jar (when not run from the jar), --alerts and --apps of at least 1");
            return 2;
        }
        System.out.println("shaded jar: " + BenchColdStart.jarLabel(theJar));
        List<String> opts = jvmOptions.isBlank() ? List.of() : List.of(jvmOptions.trim().split("\\s+"));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        int[] marks = Arrays.stream(checkpoints).filter(c -> c > 0 && c <= alerts).sorted().toArray();
        List<String> rows = new ArrayList<>();
        long t0 = System.nanoTime();
        try (SimulatedFleet fleet = SimulatedFleet.start(apps, 3000, SimulatedFleet.STORM_SCENARIOS, null)) {
            Map<String, String> env = new HashMap<>(fleet.settingValues());
            env.put("EVIDENCE_LOOKBACK", lookback);
            // The storm measures whole pipelines: the per-app intake limit (20 a minute by default) would
            // answer most of them without work.
            int rateLimit = alerts + 1;
            env.put("INTAKE_APP_RATE_LIMIT", String.valueOf(rateLimit));
            // serve refuses to start without a destination for its notes; stdout is discarded by ChildServe.
            env.put("NOTE_FILE_DIR", "-");
            try (ChildServe child = ChildServe.start(theJar, opts, env, 2)) {
                int port = child.awaitListening(Duration.ofMinutes(2));
                URI alertsUri = URI.create("http://127.0.0.1:" + port + "/api/alerts");
                long baseline = child.usedHeapAfterGc();
                long mostUnderLoad = 0;
                long settled = -1;
                rows.add(String.format(Locale.ROOT, "%8d %14.1f %10s", 0, baseline / 1048576.0, "-"));
                int next = 0;
                int non202 = 0;
                for (int k = 0; k < alerts; k++) {
                    if (k - child.finished() >= MAX_OUTSTANDING) {
                        child.awaitFinished(k - MAX_OUTSTANDING + 1, STALL);
                    }
                    int app = k % apps;
                    int round = k / apps;
                    boolean resend = resendEvery > 0 && round > 0 && k % resendEvery == 0;
                    int n = resend ? round - 1 : round;
                    byte[] payload = fleet.payload(app, n, Duration.ofSeconds(30L * (n % FIRING_STEPS)));
                    HttpResponse<Void> r = http.send(HttpRequest.newBuilder(alertsUri).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(payload)).build(), HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() != 202) {
                        non202++;
                    }
                    if (next < marks.length && k + 1 == marks[next]) {
                        long sent = k + 1 - non202;
                        child.awaitFinished(sent, STALL);
                        long used = child.usedHeapAfterGc();
                        mostUnderLoad = Math.max(mostUnderLoad, used);
                        rows.add(String.format(Locale.ROOT, "%8d %14.1f %10.0f", k + 1, used / 1048576.0,
                                (System.nanoTime() - t0) / 1e9));
                        System.err.printf(Locale.ROOT, "  after %d alerts: %.1f MB used after GC%n", k + 1, used / 1048576.0);
                        next++;
                    }
                }
                if (settleSeconds > 0) {
                    // Evidence is held for sharing for 2 minutes after each gather; once that has passed, one more
                    // alert prunes it, and what remains is what the process keeps for good.
                    Thread.sleep(settleSeconds * 1000L);
                    long before = child.finished();
                    http.send(HttpRequest.newBuilder(alertsUri).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(fleet.payload(0, alerts + 1, Duration.ZERO))).build(),
                            HttpResponse.BodyHandlers.discarding());
                    child.awaitFinished(before + 1, STALL);
                    long used = child.usedHeapAfterGc();
                    settled = used;
                    rows.add(String.format(Locale.ROOT, "%8s %14.1f %10.0f", "settled", used / 1048576.0, (System.nanoTime() - t0) / 1e9));
                    System.err.printf(Locale.ROOT, "  settled (%d s later, one more alert): %.1f MB used after GC%n", settleSeconds, used / 1048576.0);
                }
                System.out.printf(Locale.ROOT, "serve (in-memory queue and store, EVIDENCE_LOOKBACK %s, INTAKE_APP_RATE_LIMIT %d, JVM options [%s]), %d alerts over %d simulated apps, every %s alert a redelivery; answers other than 202: %d; rate-limited at intake: %d%n",
                        lookback, rateLimit, String.join(" ", opts), alerts, apps, resendEvery > 0 ? ordinal(resendEvery) : "no", non202,
                        child.rateLimited());
                System.out.printf("%8s %14s %10s%n", "alerts", "heapAfterGcMB", "elapsedS");
                rows.forEach(System.out::println);
                boolean met = mostUnderLoad / 1048576.0 <= TARGET_HEAP_UNDER_LOAD_MB;
                System.out.printf(Locale.ROOT, "heap after GC under load: at most %.1f MB (target <= %.0f MB: %s); %.1f MB at start%s%n",
                        mostUnderLoad / 1048576.0, TARGET_HEAP_UNDER_LOAD_MB, met ? "met" : "MISSED", baseline / 1048576.0,
                        settled < 0 ? "" : String.format(Locale.ROOT, ", %.1f MB settled", settled / 1048576.0));
                if (child.errorSummary() != null) {
                    System.out.println(child.errorSummary());
                }
                return met ? 0 : 1;
            }
        }
    }

    private static String ordinal(int n) {
        return n + (n == 1 ? "st" : n == 2 ? "nd" : n == 3 ? "rd" : "th");
    }
}
