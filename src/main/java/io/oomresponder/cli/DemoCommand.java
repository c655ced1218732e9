package io.oomresponder.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oomresponder.delivery.azuredevops.AzureDevOpsConfig;
import io.oomresponder.delivery.eventgrid.EventGridConfig;
import io.oomresponder.delivery.file.FileConfig;
import io.oomresponder.delivery.jira.JiraConfig;
import io.oomresponder.delivery.pagerduty.PagerDutyConfig;
import io.oomresponder.delivery.servicenow.ServiceNowConfig;
import io.oomresponder.delivery.teams.TeamsConfig;
import io.oomresponder.delivery.webhook.WebhookConfig;
import io.oomresponder.note.AdaptiveCard;
import io.oomresponder.evidence.EvidenceBundleFile;
import io.oomresponder.evidence.azure.AzureEvidenceSource;
import io.oomresponder.intake.AlertIntake;
import io.oomresponder.intake.IntakeResult;
import io.oomresponder.intake.QueuedAlert;
import io.oomresponder.json.Json;
import io.oomresponder.pipeline.AlertRun;
import io.oomresponder.pipeline.Progress;
import io.oomresponder.pipeline.Responder;
import io.oomresponder.config.Settings;
import io.oomresponder.simulator.ScenarioCatalog;
import io.oomresponder.simulator.SimulatedIncident;
import io.oomresponder.simulator.azure.FakeAzure;
import io.oomresponder.store.InMemoryIncidentStore;
import io.oomresponder.store.IncidentPolicy;
import io.oomresponder.store.IncidentStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * {@code demo}: starts the built-in Azure simulator with one scenario, sends the scenario's alert
 * through the production path (intake → queue → pipeline → file sink) with the real Azure SDK
 * clients, prints the note and writes every artefact into the output folder.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs the whole pipeline against the built-in Azure simulator and prints the note.",
                "Writes alert.json, bundle.json, diagnosis.json, card.json, note.md, note.txt, chart.png and timings.json."})
final class DemoCommand implements Callable<Integer> {

    /** The simulated world's "now": a little after the alert fired, as when a real alert is handled. */
    private static final Duration HANDLED_AFTER_FIRING = Duration.ofMinutes(6);

    /** Sinks a developer's shell may configure; the demo turns them off. */
    private static final List<String> DELIVERY_SETTINGS = List.of(TeamsConfig.WEBHOOK_URL, AzureDevOpsConfig.ORG_URL,
            JiraConfig.URL, ServiceNowConfig.URL, PagerDutyConfig.ROUTING_KEY, WebhookConfig.URL, EventGridConfig.ENDPOINT);

    @Option(names = "--scenario", defaultValue = "leak/classic", paramLabel = "NAME",
            description = "Scenario to simulate (default: ${DEFAULT-VALUE}); 'list' lists them.")
    String scenario;

    @Option(names = "--seed", defaultValue = "7", description = "Seed of the scenario's parameters (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--latency-ms", defaultValue = "0", paramLabel = "MS",
            description = "Latency the simulator adds to every Azure response (default: ${DEFAULT-VALUE}).")
    int latencyMs;

    @Option(names = "--out", defaultValue = "demo-out", paramLabel = "DIR", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintStream err = System.err;
        if ("list".equals(scenario)) {
            System.out.print(ScenarioCatalog.listing());
            return 0;
        }
        if (!ScenarioCatalog.names().contains(scenario)) {
            throw CommandFailure.usage(DidYouMean.unknownScenario(scenario));
        }
        if (latencyMs < 0) {
            throw CommandFailure.usage("--latency-ms must be 0 or more");
        }
        long started = System.nanoTime();
        Progress progress = (stage, detail) -> err.printf("[%-9s] %s%n", stage, detail);

        SimulatedIncident incident = ScenarioCatalog.generate(scenario, seed);
        Files.createDirectories(out);
        Instant now = incident.truth().alert().firedAt().plus(HANDLED_AFTER_FIRING);
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);

        try (FakeAzure azure = FakeAzure.start(List.of(incident.truth()), 0, clock)) {
            if (latencyMs > 0) {
                azure.faults().latency(Duration.ofMillis(latencyMs));
            }
            // A scenario whose metrics source failed is served as Azure refusing the metrics (403
            // AuthorizationFailed: the identity lacks the role), so the collector meets a real
            // refusal and records its own gaps, with Azure's code, instead of the scenario's text.
            if (incident.truth().gaps().stream().anyMatch(g -> "metrics".equals(g.source()))) {
                azure.faults().failAlways(io.oomresponder.simulator.azure.FakeEndpoint.METRICS,
                        io.oomresponder.simulator.azure.Fault.status(403));
            }
            progress.stage("simulator", "scenario " + scenario + " (seed " + seed + ") served at " + azure.baseUrl()
                    + (latencyMs > 0 ? " with " + latencyMs + " ms latency" : ""));

            Map<String, String> values = new HashMap<>(azure.clientSettings());
            values.put("ALLOWED_SUBSCRIPTIONS", incident.truth().app().subscriptionId());
            // The demo delivers to the file sink only, whatever sinks the shell's environment configures.
            for (String sink : DELIVERY_SETTINGS) {
                values.put(sink, "");
            }
            values.put(FileConfig.DIRECTORY, out.resolve("delivered").toString());
            Settings settings = Settings.fromEnvironment().with(values);

            DemoFiles files = new DemoFiles(out);
            var store = new InMemoryIncidentStore(IncidentPolicy.ofDefaults(), IncidentStore.DEFAULT_CLAIM_LEASE);
            AzureEvidenceSource evidence = AzureEvidenceSource.fromSettings(settings, clock);
            // A running responder has its clients ready; the demo starts one, so it readies them first.
            long warmUpMs = evidence.warmUp(List.of(incident.truth().app().subscriptionId()));
            progress.stage("evidence", "Azure SDK clients ready in " + warmUpMs + " ms");
            try (Responder responder = Responder.with(settings, evidence, store, clock)) {

                byte[] payload = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(incident.alertPayload());
                Files.write(out.resolve("alert.json"), payload);
                IntakeResult accepted = AlertIntake.fromSettings(settings).accept(payload, Map.of("Content-Type", "application/json"));
                if (!(accepted instanceof IntakeResult.Accepted a)) {
                    err.println("intake did not accept the scenario's alert: " + accepted);
                    return 1;
                }
                BlockingQueue<QueuedAlert> queue = new LinkedBlockingQueue<>(a.alerts());
                progress.stage("intake", "accepted " + a.alerts().get(0).dedupeKey() + " → queue 'alerts'");

                QueuedAlert message = queue.take();
                AlertRun run = responder.run(message, progress);
                if (run.note() == null) {
                    err.println("no note was produced: " + run.outcome());
                    return 1;
                }
                long totalMs = (System.nanoTime() - started) / 1_000_000;
                files.writeAll(run, warmUpMs, totalMs);
                String chartCheck = checkChartLink(run.note());
                Files.writeString(out.resolve("chart-link.txt"), chartCheck + "\n");
                System.out.println(run.note().text());
                progress.stage("chart", chartCheck);
                progress.stage("done", "files in " + out.toAbsolutePath().normalize() + " (total " + totalMs + " ms)");
                return 0;
            }
        }
    }

    /**
     * Fetches the card's chart link as Teams would (no credentials, only the SAS), while the
     * simulator still serves it, and says whether it returns the chart.
     */
    static String checkChartLink(io.oomresponder.note.RenderedNote note) {
        String url = null;
        for (var element : note.card().path("body")) {
            if ("chart".equals(element.path("id").asText())) {
                url = element.path("url").asText(null);
            }
        }
        if (url == null) {
            return "the card has no chart image (chart links are off or the upload failed)";
        }
        try {
            var ssl = io.oomresponder.simulator.azure.SimulatorCertificate.clientContext();
            var http = java.net.http.HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(10)).build();
            var response = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).timeout(Duration.ofSeconds(20)).GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            boolean same = java.util.Arrays.equals(response.body(), note.chartPng());
            return "the card's image link (read-only user-delegation SAS) answers " + response.statusCode() + " "
                    + response.headers().firstValue("Content-Type").orElse("") + ", " + response.body().length + " bytes"
                    + (same ? ", the same PNG as chart.png" : ", NOT the chart");
        } catch (Exception e) {
            return "the card's image link could not be fetched: " + e.getClass().getSimpleName();
        }
    }

    /** The demo's output folder. */
    private record DemoFiles(Path dir) {

        void writeAll(AlertRun run, long warmUpMs, long totalMs) throws IOException {
            Json.mapper().writerWithDefaultPrettyPrinter().writeValue(dir.resolve("card.json").toFile(), AdaptiveCard.teamsMessage(run.note().card()));
            Files.writeString(dir.resolve("note.md"), run.note().markdown());
            // What the demo prints: the README's sample note is generated from it (ReadmeSampleNoteTest).
            Files.writeString(dir.resolve("note.txt"), run.note().text() + "\n");
            if (run.note().chartPng() != null) {
                Files.write(dir.resolve("chart.png"), run.note().chartPng());
            }
            EvidenceBundleFile.write(run.bundle(), dir.resolve("bundle.json"));
            Json.mapper().writerWithDefaultPrettyPrinter().writeValue(dir.resolve("diagnosis.json").toFile(), run.diagnosis());
            ObjectNode timings = Json.mapper().createObjectNode();
            timings.put("gatherMs", run.timings().gatherMs());
            timings.put("calls", run.timings().calls());
            timings.put("sumOfCallMs", run.timings().sumOfCallMs());
            timings.put("diagnoseMs", run.diagnoseMs());
            timings.put("warmUpMs", warmUpMs);
            timings.put("totalMs", totalMs);
            Json.mapper().writerWithDefaultPrettyPrinter().writeValue(dir.resolve("timings.json").toFile(), timings);
        }
    }
}
