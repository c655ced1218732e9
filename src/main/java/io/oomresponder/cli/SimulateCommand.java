package io.oomresponder.cli;

import io.oomresponder.evidence.EvidenceBundleFile;
import io.oomresponder.json.Json;
import io.oomresponder.simulator.Scenario;
import io.oomresponder.simulator.ScenarioCatalog;
import io.oomresponder.simulator.ScenarioOverrides;
import io.oomresponder.simulator.SimulatedIncident;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code simulate}: writes evidence bundles straight from the scenario model, one
 * ({@code --scenario NAME --seed N --out FILE}) or a labelled corpus ({@code --corpus DIR --count N}).
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Writes simulated evidence bundles from the scenario model.",
                "  simulate --scenario list",
                "  simulate --scenario leak/classic --seed 7 --out bundle.json",
                "  simulate --corpus corpus/ --count 300 --seed 1"})
final class SimulateCommand implements Callable<Integer> {

    /** Corpus progress is reported every this many bundles. */
    private static final int PROGRESS_EVERY = 25;

    @Spec
    CommandSpec spec;

    @Option(names = "--scenario", paramLabel = "NAME", description = "Scenario name (family/variant), or 'list' to list them.")
    String scenario;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed; the same seed gives the same bundle (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "FILE", description = "Bundle file to write (with --scenario).")
    Path out;

    @Option(names = "--alert-out", paramLabel = "FILE", description = "Also write the Azure Monitor alert payload that fired (with --scenario).")
    Path alertOut;

    @Option(names = "--corpus", paramLabel = "DIR", description = "Write a labelled corpus into DIR (bundles plus labels.json).")
    Path corpus;

    @Option(names = "--count", paramLabel = "N", defaultValue = "300", description = "Bundles in the corpus, spread evenly over the families (default ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--window", paramLabel = "DURATION", description = "Override the window length, ISO-8601 (e.g. PT168H); default: seeded 3h..12h.")
    String window;

    @Option(names = "--replicas", paramLabel = "N", description = "Override the replica count (1..300); default: seeded per family.")
    Integer replicas;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if ("list".equalsIgnoreCase(scenario)) {
            out.println(ScenarioCatalog.listing());
            out.flush();
            return 0;
        }
        ScenarioOverrides overrides;
        try {
            overrides = new ScenarioOverrides(window == null ? null : Duration.parse(window), replicas);
        } catch (DateTimeParseException | IllegalArgumentException e) {
            return usage(err, "invalid override: " + e.getMessage());
        }
        if (corpus != null) {
            if (scenario != null || this.out != null) {
                return usage(err, "--corpus writes every family; do not combine it with --scenario or --out");
            }
            if (count < 1) {
                return usage(err, "--count must be at least 1, was " + count);
            }
            writeCorpus(overrides, err);
            return 0;
        }
        if (scenario == null || this.out == null) {
            return usage(err, "give --scenario NAME --out FILE, --corpus DIR, or --scenario list");
        }
        if (Scenario.byName(scenario).isEmpty()) {
            return usage(err, DidYouMean.unknownScenario(scenario));
        }
        SimulatedIncident incident = ScenarioCatalog.generate(scenario, seed, overrides);
        EvidenceBundleFile.write(incident.truth(), this.out);
        if (alertOut != null) {
            writeJson(alertOut, incident.alertPayload(), true);
        }
        out.println("wrote " + this.out + " (" + incident.scenario() + ", seed " + seed + ", expected "
                + incident.label().verdict() + (incident.label().cause() == null ? "" : " / " + incident.label().cause()) + ")");
        out.flush();
        return 0;
    }

    private void writeCorpus(ScenarioOverrides overrides, PrintWriter err) {
        List<List<Scenario>> families = families();
        Map<String, Object> labels = new LinkedHashMap<>();
        long started = System.nanoTime();
        for (int i = 0; i < count; i++) {
            List<Scenario> family = families.get(i % families.size());
            Scenario s = family.get((i / families.size()) % family.size());
            long bundleSeed = seed + i;
            String file = String.format(Locale.ROOT, "%04d-%s-s%d.json", i + 1, s.scenarioName().replace('/', '-'), bundleSeed);
            SimulatedIncident incident = ScenarioCatalog.generate(s, bundleSeed, overrides);
            // Compact JSON: a corpus is read by tools, and pretty printing triples its size and write time.
            writeJson(corpus.resolve(file), incident.truth(), false);
            Map<String, Object> label = new LinkedHashMap<>();
            label.put("scenario", s.scenarioName());
            label.put("verdict", incident.label().verdict().name());
            label.put("cause", incident.label().cause() == null ? null : incident.label().cause().name());
            labels.put(file, label);
            if ((i + 1) % PROGRESS_EVERY == 0 || i + 1 == count) {
                err.printf(Locale.ROOT, "simulate: %d/%d bundles written to %s (%.1f s)%n", i + 1, count, corpus,
                        (System.nanoTime() - started) / 1e9);
                err.flush();
            }
        }
        writeJson(corpus.resolve("labels.json"), labels, true);
    }

    /** Scenarios grouped by family, in catalog order, so a corpus spreads evenly over families. */
    private static List<List<Scenario>> families() {
        Map<String, List<Scenario>> byFamily = new LinkedHashMap<>();
        for (Scenario s : ScenarioCatalog.scenarios()) {
            byFamily.computeIfAbsent(s.family(), f -> new ArrayList<>()).add(s);
        }
        return List.copyOf(byFamily.values());
    }

    private static void writeJson(Path file, Object value, boolean pretty) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            (pretty ? Json.mapper().writerWithDefaultPrettyPrinter() : Json.mapper().writer()).writeValue(file.toFile(), value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private int usage(PrintWriter err, String message) {
        err.println("oom-responder simulate: " + message + " (oom-responder simulate --help lists the options)");
        err.flush();
        return 2;
    }
}
