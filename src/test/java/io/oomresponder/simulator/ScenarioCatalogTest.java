package io.oomresponder.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.oomresponder.SharedFiles;
import io.oomresponder.diagnosis.Diagnosis;
import io.oomresponder.diagnosis.RestartCountReading;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.MetricSeries;
import io.oomresponder.intake.AlertSignal;
import io.oomresponder.json.Json;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScenarioCatalogTest {

    /** Seeds per scenario for the alert checks. */
    private static final int SEEDS = 12;
    /** Seeds per scenario for schema validation (the validator is slow on week-long series). */
    private static final int SCHEMA_SEEDS = 2;

    @Test
    void sameSeedGivesTheSameIncident() {
        for (Scenario s : ScenarioCatalog.scenarios()) {
            SimulatedIncident a = ScenarioCatalog.generate(s.scenarioName(), 42);
            SimulatedIncident b = ScenarioCatalog.generate(s.scenarioName(), 42);
            assertThat(Json.mapper().valueToTree(a.truth()).equals(Json.mapper().valueToTree(b.truth()))).as(s.scenarioName()).isTrue();
            assertThat(a.alertPayload()).as(s.scenarioName()).isEqualTo(b.alertPayload());
        }
    }

    @Test
    void differentSeedsGiveDifferentIncidents() {
        JsonNode a = Json.mapper().valueToTree(ScenarioCatalog.generate("leak/classic", 1).truth());
        JsonNode b = Json.mapper().valueToTree(ScenarioCatalog.generate("leak/classic", 2).truth());
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void everyScenarioHasItsAgreedLabel() {
        assertThat(ScenarioCatalog.names()).contains("leak/classic", "leak/gc-wiggle", "leak/many-replicas", "leak/slow",
                "buffer/unbounded", "peak/spike", "peak/ramp", "peak/plateau", "startup/heavy", "job/periodic",
                "scale/too-few-replicas", "other/apperror", "other/probe", "other/backoff", "other/exit137-no-oom",
                "healthy", "nodata/metrics-missing");
        assertThat(ScenarioCatalog.scenario("buffer/unbounded").label())
                .isEqualTo(new Label(Diagnosis.Verdict.LEAK_SUSPECTED, Diagnosis.Cause.UNBOUNDED_BUFFERING));
        assertThat(ScenarioCatalog.scenario("scale/too-few-replicas").label())
                .isEqualTo(new Label(Diagnosis.Verdict.PEAK_DEMAND, Diagnosis.Cause.TOO_FEW_REPLICAS));
        assertThat(ScenarioCatalog.scenario("job/periodic").label().cause()).isEqualTo(Diagnosis.Cause.STARTUP_OR_BACKGROUND_JOB);
        assertThat(ScenarioCatalog.scenario("healthy").label()).isEqualTo(new Label(Diagnosis.Verdict.OTHER_CRASH_CAUSE, null));
        assertThat(ScenarioCatalog.scenario("nodata/metrics-missing").label())
                .isEqualTo(new Label(Diagnosis.Verdict.INSUFFICIENT_EVIDENCE, null));
        for (Scenario s : ScenarioCatalog.scenarios()) {
            if (s.family().equals("other")) {
                assertThat(s.label()).isEqualTo(new Label(Diagnosis.Verdict.OTHER_CRASH_CAUSE, Diagnosis.Cause.NON_MEMORY_CRASH));
            }
        }
    }

    @Test
    void unknownScenarioNamesTheValidOnes() {
        assertThatThrownBy(() -> ScenarioCatalog.generate("leak/nope", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("leak/nope").hasMessageContaining("leak/classic").hasMessageContaining("healthy");
    }

    @Test
    void everyGeneratedBundleValidatesAgainstTheSharedSchema() {
        for (Scenario s : ScenarioCatalog.scenarios()) {
            for (long seed = 1; seed <= SCHEMA_SEEDS; seed++) {
                JsonNode tree = Json.mapper().valueToTree(ScenarioCatalog.generate(s, seed, ScenarioOverrides.NONE).truth());
                assertThat(SharedFiles.schemaErrors(tree)).as("%s seed %d", s.scenarioName(), seed).isEmpty();
            }
        }
    }

    @Test
    void bundleAppCarriesTheExtrasAndConsumptionLimits() {
        for (Scenario s : ScenarioCatalog.scenarios()) {
            EvidenceBundle b = ScenarioCatalog.generate(s, 5, ScenarioOverrides.NONE).truth();
            assertThat(b.app().location()).isNotBlank();
            assertThat(b.app().environmentId()).contains("/providers/Microsoft.App/managedEnvironments/");
            assertThat(b.app().workspaceId()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
            assertThat(b.app().revisions()).isNotEmpty().anyMatch(r -> r.name().equals(b.app().latestRevision()));
            var c = b.app().containers().get(0);
            assertThat(c.memoryBytes()).isEqualTo(Math.round(c.cpu() * 2 * (1L << 30)));
            assertThat(c.memory()).isEqualTo((c.cpu() * 2 == Math.rint(c.cpu() * 2) ? String.valueOf((long) (c.cpu() * 2)) : String.valueOf(c.cpu() * 2)) + "Gi");
            assertThat(b.replicas()).allSatisfy(r -> assertThat(r.name()).matches(java.util.regex.Pattern.quote(r.revision()) + "-[a-z0-9]{9}-[a-z0-9]{5}"));
        }
    }

    @Test
    void alertPayloadIsTheCommonSchemaOfTheBundleAlert() {
        for (Scenario s : ScenarioCatalog.scenarios()) {
            for (long seed = 1; seed <= SEEDS; seed++) {
                SimulatedIncident incident = ScenarioCatalog.generate(s, seed, ScenarioOverrides.NONE);
                String what = s.scenarioName() + " seed " + seed;
                EvidenceBundle bundle = incident.truth();
                AlertSignal alert = bundle.alert();
                JsonNode essentials = incident.alertPayload().path("data").path("essentials");
                assertThat(incident.alertPayload().path("schemaId").asText()).isEqualTo("azureMonitorCommonAlertSchema");
                assertThat(essentials.path("alertId").asText()).as(what).isEqualTo(alert.id());
                assertThat(essentials.path("alertRule").asText()).as(what).isEqualTo(alert.rule());
                assertThat(essentials.path("monitorCondition").asText()).isEqualTo("Fired");
                assertThat(alert.condition()).isEqualTo(AlertSignal.Condition.Fired);
                assertThat(Instant.parse(essentials.path("firedDateTime").asText())).as(what).isEqualTo(alert.firedAt());
                assertThat(alert.firedAt()).as(what).isAfter(bundle.window().start()).isBefore(bundle.window().end());
                String target = essentials.path("alertTargetIDs").get(0).asText();
                assertThat(target).as(what).isEqualTo(target.toLowerCase(Locale.ROOT));
                assertThat(alert.targetResourceId()).isEqualTo(bundle.app().resourceId());
                JsonNode criterion = incident.alertPayload().path("data").path("alertContext").path("condition").path("allOf").get(0);
                if (alert.signal() == AlertSignal.Signal.OOMKilledLog) {
                    assertThat(essentials.path("monitoringService").asText()).isEqualTo("Log Alerts V2");
                    // Scoped to the workspace its environment's logs go to: the workspace is the target, the app only a name.
                    assertThat(target).as(what).contains("/providers/microsoft.operationalinsights/workspaces/");
                    assertThat(criterion.path("dimensions").get(0).path("name").asText()).as(what).startsWith("ContainerAppName");
                    assertThat(criterion.path("dimensions").get(0).path("value").asText()).as(what).isEqualTo(bundle.app().name());
                    assertThat(essentials.path("configurationItems").toString()).as(what).doesNotContain("/containerapps/");
                    assertThat(bundle.systemLogs()).as(what).anyMatch(e -> e.message().contains("OOMKilled")
                            && !e.time().isAfter(alert.firedAt()) && e.time().isAfter(alert.firedAt().minus(Duration.ofMinutes(10))));
                } else {
                    assertThat(essentials.path("monitoringService").asText()).isEqualTo("Platform");
                    assertThat(target).isEqualTo(bundle.app().resourceId().toLowerCase(Locale.ROOT));
                    assertThat(criterion.path("metricName").asText()).isEqualTo(alert.signal().name());
                    assertThat(criterion.path("metricNamespace").asText()).isEqualTo("Microsoft.App/containerApps");
                    assertThat(criterion.path("threshold").isTextual()).isTrue();
                }
                if (alert.signal() == AlertSignal.Signal.RestartCount) {
                    assertRestartBeforeFiring(bundle, alert, what);
                }
            }
        }
    }

    /** The replica the RestartCount alert names restarted in the five minutes before it fired. */
    private static void assertRestartBeforeFiring(EvidenceBundle bundle, AlertSignal alert, String what) {
        String pod = alert.dimensions().get("podName");
        assertThat(pod).as(what).isNotNull();
        if (bundle.metrics().isEmpty()) {
            return;
        }
        MetricSeries restarts = bundle.series("RestartCount").stream().filter(m -> pod.equals(m.podName())
                && "Maximum".equals(m.aggregation())).findFirst().orElseThrow();
        // Read as the product reads it (a running counter or per-bucket counts, by seed): a restart
        // in the six minutes before the alert.
        double[] values = new double[restarts.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = restarts.value(i);
        }
        double[] perSample = RestartCountReading.restartsPerSample(values);
        boolean restartedBefore = false;
        for (int i = 0; i < perSample.length; i++) {
            Instant t = restarts.time(i);
            restartedBefore |= perSample[i] > 0 && !t.isAfter(alert.firedAt()) && t.isAfter(alert.firedAt().minus(Duration.ofMinutes(6)));
        }
        assertThat(restartedBefore).as(what).isTrue();
    }

    @Test
    void aWeekOfThirtyReplicasIsGeneratedWithEveryMinuteOfEveryReplica() {
        // How long it takes is bench scale's figure (it generates this bundle), not a test's.
        ScenarioOverrides week = new ScenarioOverrides(Duration.ofHours(168), 30);
        SimulatedIncident incident = ScenarioCatalog.generate("leak/classic", 7, week);
        EvidenceBundle b = incident.truth();
        assertThat(b.window().length()).isEqualTo(Duration.ofHours(168));
        assertThat(b.replicas()).hasSize(30);
        assertThat(b.series("WorkingSetBytes").get(0).points()).hasSize(168 * 60);
    }
}
