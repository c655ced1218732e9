package io.oomresponder.bench;

import io.oomresponder.diagnosis.Diagnoser;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.simulator.ScenarioCatalog;
import io.oomresponder.simulator.ScenarioOverrides;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench scale}: what a big bundle costs next to a small one, in fresh JVMs as a person runs
 * {@code diagnose}: wall time, CPU time and peak RSS (VmHWM, read from /proc while the child runs) of
 * a one-incident bundle, a 7-day × 30-replica bundle and a bundle of about 570 MB under
 * {@code -Xmx512m}; then the storm footprint. Ratios are printed next to the small bundle because a
 * shared 2-core machine moves absolute figures a lot.
 */
@Command(name = "scale", mixinStandardHelpOptions = true,
        description = "Cold 'diagnose' of a small, a 7-day x 30-replica and a ~570 MB bundle (time, CPU, peak RSS, ratios), restart matching, then the storm footprint (--storm-alerts 0 skips it).")
public final class BenchScale implements Callable<Integer> {

    @Option(names = "--runs", defaultValue = "3", description = "Cold runs of the small and the 7-day bundle (default ${DEFAULT-VALUE}; medians).")
    int runs;

    @Option(names = "--huge-replicas", defaultValue = "256",
            description = "Replicas of the 7-day bundle meant to weigh about 570 MB (default ${DEFAULT-VALUE}; 0 skips it).")
    int hugeReplicas;

    @Option(names = "--huge-heap", defaultValue = "512m", description = "-Xmx of the huge bundle's diagnose (default ${DEFAULT-VALUE}).")
    String hugeHeap;

    @Option(names = "--storm-alerts", defaultValue = "2000", description = "Alerts of the storm footprint run (default ${DEFAULT-VALUE}; 0 skips it).")
    int stormAlerts;

    @Option(names = "--restarts", split = ",", defaultValue = "300,3000",
            description = "Restart counts of the restart-matching measure (default ${DEFAULT-VALUE}; the last over the first is the scale).")
    int[] restarts;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where the bundles are written (default: a temporary folder, removed after).")
    Path dir;

    @Option(names = "--jar", paramLabel = "JAR", description = "The jar to start (default: this one).")
    Path jar;

    @Option(names = "--jvm-options", paramLabel = "OPTS", defaultValue = "",
            description = "JVM options of every diagnose, space-separated (e.g. \"-XX:TieredStopAtLevel=1\"); default: none, as `java -jar` runs.")
    String jvmOptions;

    /** One cold process: wall and CPU seconds, peak resident set, exit code. */
    record ColdRun(double wallS, double cpuS, long peakRssKb, int exit) {
    }

    @Override
    public Integer call() throws Exception {
        Path theJar = jar != null ? jar : BenchColdStart.runningJar();
        if (theJar == null || !Files.isRegularFile(theJar)) {
            System.err.println("need --jar when not run from the shaded jar");
            return 2;
        }
        Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("oom-bench-scale");
        try {
            Path small = work.resolve("small.json");
            Path week = work.resolve("week-30.json");
            simulate(theJar, small, "leak/classic", null, null);
            simulate(theJar, week, "leak/many-replicas", "P7D", 30);

            List<String> opts = jvmOptions.isBlank() ? List.of() : List.of(jvmOptions.trim().split("\\s+"));
            ColdRun s = median(theJar, small, opts);
            ColdRun w = median(theJar, week, opts);
            System.out.printf(Locale.ROOT, "cold diagnose, medians of %d fresh JVMs (%s, JVM options [%s])%n", runs, theJar.getFileName(),
                    String.join(" ", opts));
            System.out.printf(Locale.ROOT, "%-34s %9s %8s %8s %8s %10s%n", "bundle", "size MB", "wall s", "cpu s", "RSS MB", "vs small");
            row("small (leak/classic)", small, s, null);
            row("7 days x 30 replicas", week, w, s);
            System.out.printf(Locale.ROOT, "targets: 7-day bundle wall <= 2.0x small (%.2fx), peak RSS <= 400 MB (%.0f MB)%n",
                    w.wallS / s.wallS, w.peakRssKb / 1024.0);

            if (hugeReplicas > 0) {
                Path huge = work.resolve("week-" + hugeReplicas + ".json");
                simulate(theJar, huge, "leak/many-replicas", "P7D", hugeReplicas);
                List<String> hugeOpts = new ArrayList<>(opts);
                hugeOpts.add("-Xmx" + hugeHeap);
                ColdRun h = cold(theJar, huge, hugeOpts);
                row("7 days x " + hugeReplicas + " replicas, -Xmx" + hugeHeap, huge, h, s);
                System.out.printf(Locale.ROOT, "huge bundle under -Xmx%s: %s%n", hugeHeap,
                        h.exit == 0 ? "diagnosed" : "FAILED (exit " + h.exit + ")");
                Files.deleteIfExists(huge);
            }

            if (restarts.length >= 2) {
                restartMatching();
            }

            if (stormAlerts > 0) {
                System.out.printf(Locale.ROOT, "%nstorm footprint (target: heap after GC under load <= %.0f MB)%n", BenchFootprint.TARGET_HEAP_UNDER_LOAD_MB);
                BenchFootprint storm = new BenchFootprint();
                storm.alerts = stormAlerts;
                storm.checkpoints = new int[] {stormAlerts / 2, stormAlerts};
                storm.apps = 20;
                storm.resendEvery = 5;
                storm.lookback = "PT1H";
                storm.settleSeconds = 0;
                storm.jar = theJar;
                storm.jvmOptions = "";
                storm.call();
            }
            return 0;
        } finally {
            if (dir == null) {
                try (var files = Files.list(work)) {
                    for (Path p : files.toList()) {
                        Files.deleteIfExists(p);
                    }
                }
                Files.deleteIfExists(work);
            }
        }
    }

    /**
     * Restart matching: the same 7-day, 10-replica bundle with {@code restarts} OOM kills spread over its
     * replicas, each a rise of the RestartCount counter with its system-log line and console line; the
     * diagnosis timed warm (median of 7). Linear matching grows about as the restart count does.
     */
    private void restartMatching() {
        EvidenceBundle base = ScenarioCatalog.generate("leak/many-replicas", 7, new ScenarioOverrides(Duration.ofDays(7), 10)).truth();
        Diagnoser diagnoser = new Diagnoser();
        double[] ms = new double[restarts.length];
        for (int k = 0; k < restarts.length; k++) {
            EvidenceBundle b = RestartStorm.withRestarts(base, restarts[k]);
            for (int warm = 0; warm < 3; warm++) {
                diagnoser.diagnose(b);
            }
            double[] runs = new double[7];
            for (int r = 0; r < runs.length; r++) {
                long t0 = System.nanoTime();
                diagnoser.diagnose(b);
                runs[r] = (System.nanoTime() - t0) / 1e6;
            }
            java.util.Arrays.sort(runs);
            ms[k] = runs[runs.length / 2];
        }
        System.out.printf(Locale.ROOT, "%nrestart matching (7 days x 10 replicas, warm diagnose, median of 7)%n");
        for (int k = 0; k < restarts.length; k++) {
            System.out.printf(Locale.ROOT, "%6d restarts %9.1f ms %8.2fx%n", restarts[k], ms[k], ms[k] / ms[0]);
        }
        int last = restarts.length - 1;
        System.out.printf(Locale.ROOT, "restarts grew %.0fx, diagnosis time %.2fx (linear: at most about the restart ratio)%n",
                restarts[last] / (double) restarts[0], ms[last] / ms[0]);
    }

    private static void row(String label, Path file, ColdRun r, ColdRun base) throws IOException {
        System.out.printf(Locale.ROOT, "%-34s %9.1f %8.2f %8.2f %8.0f %10s%n", label, Files.size(file) / 1048576.0, r.wallS, r.cpuS,
                r.peakRssKb / 1024.0, base == null ? "1.00x" : String.format(Locale.ROOT, "%.2fx", r.wallS / base.wallS));
    }

    private static void simulate(Path jar, Path out, String scenario, String window, Integer replicas) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-jar", jar.toString(), "simulate", "--scenario", scenario,
                "--seed", "7", "--out", out.toString()));
        if (window != null) {
            cmd.addAll(List.of("--window", window));
        }
        if (replicas != null) {
            cmd.addAll(List.of("--replicas", replicas.toString()));
        }
        System.err.printf(Locale.ROOT, "  writing %s (%s%s)%n", out.getFileName(), scenario,
                window == null ? "" : ", " + window + " x " + replicas + " replicas");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0) {
            throw new IOException("simulate failed for " + out + ": " + said.lines().reduce((a, b) -> b).orElse("(no output)"));
        }
    }

    private ColdRun median(Path jar, Path bundle, List<String> jvmOptions) throws IOException, InterruptedException {
        List<ColdRun> all = new ArrayList<>();
        for (int i = 0; i < Math.max(1, runs); i++) {
            all.add(cold(jar, bundle, jvmOptions));
        }
        all.sort((a, b) -> Double.compare(a.wallS, b.wallS));
        ColdRun mid = all.get(all.size() / 2);
        double cpu = all.stream().mapToDouble(ColdRun::cpuS).sorted().toArray()[all.size() / 2];
        long rss = all.stream().mapToLong(ColdRun::peakRssKb).sorted().toArray()[all.size() / 2];
        return new ColdRun(mid.wallS, cpu, rss, mid.exit);
    }

    /** One fresh {@code diagnose}, its peak RSS polled from /proc (VmHWM only grows, so the last reading is the peak). */
    static ColdRun cold(Path jar, Path bundle, List<String> jvmOptions) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBinary());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", jar.toString(), "diagnose", "--evidence", bundle.toString(), "--output", "json"));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Path status = Path.of("/proc", Long.toString(p.pid()), "status");
        long peak = 0;
        double cpu = 0;
        while (!p.waitFor(10, TimeUnit.MILLISECONDS)) {
            peak = Math.max(peak, vmHwmKb(status));
            cpu = p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L) / 1e9;
        }
        return new ColdRun((System.nanoTime() - t0) / 1e9, cpu, peak, p.exitValue());
    }

    private static long vmHwmKb(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // the process just ended: keep the last reading
        }
        return 0;
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
