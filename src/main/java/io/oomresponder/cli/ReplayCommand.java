package io.oomresponder.cli;

import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.EvidenceBundleFile;
import io.oomresponder.evidence.EvidenceGap;
import io.oomresponder.evidence.EvidenceSource;
import io.oomresponder.evidence.SavedBundleEvidenceSource;
import io.oomresponder.evidence.azure.AzureAlerts;
import io.oomresponder.evidence.azure.AzureClients;
import io.oomresponder.evidence.azure.AzureEvidenceSource;
import io.oomresponder.evidence.azure.AzureSignIn;
import io.oomresponder.intake.AlertIntake;
import io.oomresponder.intake.AlertSignal;
import io.oomresponder.intake.ContainerAppId;
import io.oomresponder.intake.IntakeResult;
import io.oomresponder.json.Json;
import io.oomresponder.pipeline.AlertRun;
import io.oomresponder.pipeline.Progress;
import io.oomresponder.pipeline.Responder;
import io.oomresponder.config.Settings;
import io.oomresponder.pipeline.SinkRoutes;
import io.oomresponder.simulator.Retargeting;
import io.oomresponder.simulator.azure.EnvironmentLogs;
import io.oomresponder.intake.AppByName;
import io.oomresponder.pipeline.ResponseOutcome;
import io.oomresponder.simulator.ScenarioCatalog;
import io.oomresponder.simulator.azure.FakeAzure;
import io.oomresponder.store.IncidentPolicy;
import io.oomresponder.store.IncidentStore;
import io.oomresponder.store.InMemoryIncidentStore;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code replay}: runs a past alert through today's code, on the evidence of the alert's own
 * window (never "now"), and prints the note. A dry run unless {@code --deliver}; nothing is
 * recorded in the incident store.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Replays a past alert: gathers the evidence of its own window and prints the note.",
                "Dry run by default; --deliver sends the note (marked as a replay) to the configured sinks."})
final class ReplayCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--payload", paramLabel = "FILE", description = "A saved alert payload (common alert schema or Event Grid envelope).")
        Path payload;

        @Option(names = "--evidence", paramLabel = "FILE", description = "Replay from a saved evidence bundle, without Azure.")
        Path evidence;

        @Option(names = "--alert-id", paramLabel = "ID",
                description = "An Azure Monitor alert id, read from the Alerts Management API (/subscriptions/<guid>/providers/Microsoft.AlertsManagement/alerts/<guid>).")
        String alertId;

        @ArgGroup(exclusive = false)
        AppAt appAt;
    }

    static final class AppAt {
        @Option(names = "--app", required = true, paramLabel = "RESOURCE_ID", description = "The container app's ARM id.")
        String app;

        @Option(names = "--at", required = true, paramLabel = "TIME", description = "When to look, ISO-8601 UTC (e.g. 2026-10-12T12:04:50Z).")
        String at;
    }

    @Option(names = "--deliver", description = "Send the note to the configured sinks (marked as a replay).")
    boolean deliver;

    @Option(names = "--dry-run", description = "Print the note and deliver nothing (the default).")
    boolean dryRun;

    @Option(names = "--save-evidence", paramLabel = "FILE", description = "Write the gathered evidence bundle here.")
    Path saveEvidence;

    @Option(names = "--output", defaultValue = "text", paramLabel = "FORMAT", description = "text, markdown or json (default: ${DEFAULT-VALUE}).")
    Format output;

    @Option(names = "--simulate", paramLabel = "SCENARIO",
            description = "Answer from the built-in Azure simulator, playing SCENARIO for the alert's app and time, instead of Azure.")
    String simulate;

    @Option(names = "--seed", defaultValue = "7", description = "Seed of the simulated scenario (default: ${DEFAULT-VALUE}).")
    long seed;

    enum Format { text, markdown, json }

    @Override
    public Integer call() throws Exception {
        PrintStream err = System.err;
        if (deliver && dryRun) {
            throw CommandFailure.usage("--deliver and --dry-run contradict each other");
        }
        if (simulate != null && !ScenarioCatalog.names().contains(simulate)) {
            throw CommandFailure.usage(DidYouMean.unknownScenario(simulate));
        }
        Progress progress = (stage, detail) -> err.printf("[%-9s] %s%n", stage, detail);
        Settings settings = Settings.fromEnvironment();
        if (deliver && SinkRoutes.fromSettings(settings, Clock.systemUTC()).all().isEmpty()) {
            throw CommandFailure.usage("--deliver, but no sink is configured: set one of " + SINK_SETTINGS
                    + " (README, Configuration); without --deliver the note is only printed");
        }

        EvidenceBundle saved = null;
        AlertSignal alert;
        try {
            if (source.evidence != null) {
                SavedBundleEvidenceSource bundleSource = new SavedBundleEvidenceSource(inputFile("--evidence", source.evidence, "evidence bundle"));
                try {
                    saved = bundleSource.gather(null);
                } catch (UncheckedIOException e) {
                    throw new IllegalArgumentException(FailureLine.describe(e));
                }
                alert = saved.alert();
            } else if (source.alertId != null) {
                alert = null; // read from Azure (or the simulator) below, once the clients exist
            } else if (source.payload != null) {
                // With --simulate the payload's own subscription is in scope; otherwise ALLOWED_SUBSCRIPTIONS decides.
                Path payload = inputFile("--payload", source.payload, "alert payload");
                if (io.oomresponder.evidence.EvidenceBundleFile.isBundleShaped(payload)) {
                    throw new IllegalArgumentException("--payload " + payload + ": this is an evidence bundle, not an alert payload: use --evidence " + payload);
                }
                alert = parsePayload(Files.readAllBytes(payload), settings, simulate == null ? null : "*");
            } else {
                alert = appAt(source.appAt);
            }
        } catch (IllegalArgumentException e) {
            throw CommandFailure.usage(e.getMessage());
        }
        FakeAzure azure = null;
        try {
            Clock clock = Clock.systemUTC();
            EvidenceSource evidence;
            if (source.alertId != null) {
                if (simulate != null) {
                    // The simulator knows one alert: the scenario's, under the id asked for.
                    EvidenceBundle truth = withAlertId(ScenarioCatalog.generate(simulate, seed).truth(), source.alertId);
                    clock = Clock.fixed(truth.alert().firedAt().plus(Duration.ofMinutes(6)), ZoneOffset.UTC);
                    azure = FakeAzure.start(List.of(truth), 0, clock);
                    progress.stage("simulator", simulate + " (seed " + seed + ") at " + azure.baseUrl());
                    settings = settings.with(azure.clientSettings());
                }
                AzureClients clients = AzureClients.from(settings);
                try {
                    alert = new AzureAlerts(clients).get(source.alertId);
                } catch (IllegalArgumentException e) {
                    throw CommandFailure.usage(e.getMessage());
                } catch (RuntimeException e) {
                    throw CommandFailure.runtime(AzureSignIn.failure(e, "arm")
                            .orElseGet(() -> "cannot read the alert from Azure's Alerts Management API: " + FailureLine.describe(e)));
                }
                progress.stage("alert", "read from the Alerts Management API");
                evidence = new AzureEvidenceSource(clients, settings, clock);
            } else if (saved != null) {
                evidence = new SavedBundleEvidenceSource(source.evidence);
            } else {
                if (simulate != null) {
                    SimulatedPlace place = SimulatedPlace.of(alert);
                    EvidenceBundle scenario = ScenarioCatalog.generate(simulate, seed).truth();
                    EvidenceBundle truth = place.environmentId() == null
                            ? Retargeting.retarget(scenario, place.appId(), alert.firedAt())
                            : Retargeting.retarget(scenario, place.appId(), alert.firedAt(), place.environmentId());
                    clock = Clock.fixed(alert.firedAt().plus(Duration.ofMinutes(6)), ZoneOffset.UTC);
                    azure = FakeAzure.start(List.of(truth), 0, clock);
                    place.shipLogs(azure, truth);
                    progress.stage("simulator", simulate + " (seed " + seed + ") for " + place.appId() + " at " + azure.baseUrl());
                    Map<String, String> values = new HashMap<>(azure.clientSettings());
                    values.put("ALLOWED_SUBSCRIPTIONS", ContainerAppId.parse(place.appId()).subscriptionId());
                    settings = settings.with(values);
                }
                evidence = AzureEvidenceSource.fromSettings(settings, clock);
            }
            progress.stage("alert", alert.condition() + " " + alert.signal() + " for " + alert.targetResourceId() + " at " + alert.firedAt());
            IncidentStore store = new InMemoryIncidentStore(IncidentPolicy.ofDefaults(), IncidentStore.DEFAULT_CLAIM_LEASE);
            try (Responder responder = Responder.with(settings, evidence, store, clock)) {
                AlertRun run = responder.replay(alert, saved, deliver, progress);
                if (run.outcome().status() == ResponseOutcome.Status.UNRESOLVED) {
                    // The note says which apps were considered and why none was taken; the exit code says it is not a diagnosis.
                    System.out.println(output == Format.markdown ? run.note().markdown() : run.note().text());
                    System.out.flush();
                    throw CommandFailure.runtime("the log alert's app could not be found: " + run.outcome().detail());
                }
                switch (output) {
                    case markdown -> System.out.println(run.note().markdown());
                    case json -> System.out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(Map.of(
                            "diagnosis", run.diagnosis(), "title", run.note().title(), "markdown", run.note().markdown(),
                            "delivered", run.receipts(), "parked", run.parked(), "gaps", run.bundle().gaps())));
                    default -> System.out.println(run.note().text());
                }
                System.out.flush();
                if (!deliver) {
                    progress.stage("delivery", "dry run: nothing sent (use --deliver to send)");
                }
                // After the note is printed: a bundle that cannot be written must not cost the user the note.
                if (saveEvidence != null) {
                    try {
                        EvidenceBundleFile.write(run.bundle(), saveEvidence);
                    } catch (UncheckedIOException e) {
                        throw CommandFailure.runtime(FailureLine.describe(e));
                    }
                    progress.stage("evidence", "saved to " + saveEvidence);
                }
                if (saved == null && nothingFromAzure(run.bundle())) {
                    // The note above says "not enough evidence"; the exit code must not say all went well.
                    String why = run.bundle().gaps().stream().map(EvidenceGap::detail).filter(AzureSignIn::isSignInGap).findFirst()
                            .orElse(run.bundle().gaps().isEmpty() ? "no data" : run.bundle().gaps().get(0).detail());
                    throw CommandFailure.runtime("no evidence came from Azure, every source failed: " + why);
                }
                if (!run.parked().isEmpty()) {
                    // The store of a one-shot replay lives in memory and dies with this process: nothing retries the note.
                    throw CommandFailure.runtime("the note was not delivered to " + String.join(", ", run.parked())
                            + "; nothing will retry it (a one-shot replay keeps no store), run the replay again to resend");
                }
                return 0;
            }
        } finally {
            if (azure != null) {
                azure.close();
            }
        }
    }

    /**
     * Where a simulated replay puts the scenario: the alert's app, or (for a log alert that names its
     * app only by name) an app of that name in the subscription and group of the workspace or
     * environment the alert names, in an environment whose diagnostic settings send its logs to that
     * workspace, so the replay resolves the app as the worker does in Azure.
     */
    private record SimulatedPlace(String appId, String environmentId, String workspaceId) {

        static SimulatedPlace of(AlertSignal alert) {
            if (!AppByName.needsResolution(alert)) {
                // The scenario keeps its own environment.
                return new SimulatedPlace(alert.targetResourceId(), null, null);
            }
            String target = alert.targetResourceId();
            String[] p = target.split("/");
            String name = AppByName.appName(alert).orElseThrow();
            boolean environment = target.toLowerCase(java.util.Locale.ROOT).contains("/microsoft.app/managedenvironments/");
            String env = environment ? target : "/subscriptions/" + p[2] + "/resourceGroups/" + p[4] + "/providers/Microsoft.App/managedEnvironments/"
                    + AppByName.environmentName(alert).orElse(name + "-env");
            String app = "/subscriptions/" + p[2] + "/resourceGroups/" + p[4] + "/providers/Microsoft.App/containerApps/" + name;
            return new SimulatedPlace(app, env, environment ? null : target);
        }

        /** Points the environment's diagnostic settings at the alert's workspace (when the alert names one). */
        void shipLogs(FakeAzure azure, EvidenceBundle truth) {
            if (workspaceId == null) {
                return;
            }
            String customerId = azure.world().app(truth.app().resourceId()).orElseThrow().app().workspaceId();
            azure.world().setEnvironmentLogs(environmentId, new EnvironmentLogs(EnvironmentLogs.AZURE_MONITOR, List.of(
                    new EnvironmentLogs.DiagnosticSetting("send-to-alert-workspace", workspaceId, customerId, true, true, true))));
        }
    }

    /** The settings that each turn a sink on (see {@link io.oomresponder.delivery.Sinks}). */
    private static final String SINK_SETTINGS = io.oomresponder.delivery.Sinks.switchesInWords();

    /** Not one fact reached the bundle: no container, replica, metric or log line, and gaps instead. */
    static boolean nothingFromAzure(EvidenceBundle bundle) {
        return !bundle.gaps().isEmpty() && bundle.app().containers().isEmpty() && bundle.replicas().isEmpty()
                && bundle.metrics().isEmpty() && bundle.systemLogs().isEmpty() && bundle.consoleLogs().isEmpty();
    }

    /** A file an option names, or the usage error saying why it cannot be read as one. */
    private static Path inputFile(String option, Path file, String what) {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(option + " " + file + " is a folder; give one " + what + " file");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(option + " " + file + ": no such file");
        }
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException(option + " " + file + ": permission denied");
        }
        return file;
    }

    private static EvidenceBundle withAlertId(EvidenceBundle truth, String alertId) {
        AlertSignal a = truth.alert();
        return truth.withAlert(new AlertSignal(alertId, a.rule(), a.signal(), a.condition(), a.firedAt(), a.resolvedAt(),
                a.targetResourceId(), null, a.severity(), a.metricValue(), a.threshold(), a.query(), a.dimensions(), a.windowStart(), a.windowEnd()));
    }

    private static AlertSignal parsePayload(byte[] body, Settings settings, String allowSubscriptions) {
        Settings scoped = allowSubscriptions == null ? settings : settings.with(Map.of("ALLOWED_SUBSCRIPTIONS", allowSubscriptions));
        IntakeResult result = AlertIntake.fromSettings(scoped).accept(body, Map.of());
        if (result instanceof IntakeResult.Accepted a) {
            return a.alerts().get(0).alert();
        }
        if (result instanceof IntakeResult.Rejected r) {
            throw new IllegalArgumentException("the payload is not a usable alert: " + r.error() + (r.field() == null ? "" : " (" + r.field() + ")"));
        }
        if (result instanceof IntakeResult.Ignored i) {
            throw new IllegalArgumentException("nothing to replay: " + i.reason());
        }
        throw new IllegalArgumentException("the payload is an Event Grid handshake, not an alert");
    }

    private static AlertSignal appAt(AppAt appAt) {
        ContainerAppId id = ContainerAppId.parse(appAt.app);
        Instant at;
        try {
            at = Instant.parse(appAt.at);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--at must be an ISO-8601 UTC time such as 2026-10-12T12:04:50Z, was '" + appAt.at + "'");
        }
        String resourceId = id.toString();
        return new AlertSignal("replay:" + resourceId + "@" + at, "replay", AlertSignal.Signal.Other, AlertSignal.Condition.Fired,
                at, null, resourceId, null, null, null, null, null, Map.of(), null, null);
    }
}
