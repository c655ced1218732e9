package io.oomresponder.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oomresponder.intake.AlertSamples;
import io.oomresponder.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code replay --payload} on every alert sample of src/test/resources/contracts, adapted to a container app and answered by the simulator. */
class ReplayCommandTest {

    @Test
    void everyContractSampleAdaptedToAContainerAppReplaysIntoANote(@TempDir Path tmp) throws Exception {
        Map<String, ObjectNode> samples = new LinkedHashMap<>();
        samples.put("metric-resolved", AlertSamples.containerAppMetric("alert-common-schema-full-metric-resolved.json", "WorkingSetBytes"));
        samples.put("metric-static", AlertSamples.containerAppMetric("alert-context-metric-static-threshold.json", "RestartCount"));
        samples.put("metric-dynamic", AlertSamples.containerAppMetric("alert-context-metric-dynamic-threshold.json", "MemoryPercentage"));
        samples.put("log-v2", AlertSamples.containerAppLogV2());
        samples.put("log-legacy", AlertSamples.containerAppLegacyLog());

        for (var e : samples.entrySet()) {
            Path payload = tmp.resolve(e.getKey() + ".json");
            Files.write(payload, Json.mapper().writeValueAsBytes(e.getValue()));
            Path saved = tmp.resolve(e.getKey() + "-bundle.json");

            Captured run = capture(() -> Main.run("replay", "--payload", payload.toString(), "--simulate", "leak/classic",
                    "--save-evidence", saved.toString(), "--output", "text"));

            assertThat(run.exit).as(e.getKey() + ": " + run.err).isZero();
            assertThat(run.out).as(e.getKey()).contains("[REPLAY]").contains("verdict LEAK_SUSPECTED");
            assertThat(run.err).as(e.getKey()).contains("dry run: nothing sent");
            assertThat(saved).as(e.getKey()).exists();
        }
    }

    @Test
    void aSimulatedReplayIsAboutTheAskedAppThroughout() {
        String app = "/subscriptions/3af27f80-3f99-4221-ac28-404b162a01de/resourceGroups/rg-shop/providers/Microsoft.App/containerApps/checkout-api";
        String scenarioApp = io.oomresponder.simulator.ScenarioCatalog.generate("leak/classic", 7).truth().app().name();

        Captured run = capture(() -> Main.run("replay", "--app", app, "--at", "2026-03-02T04:00:00Z", "--simulate", "leak/classic",
                "--output", "text"));

        assertThat(run.exit).as(run.err).isZero();
        assertThat(scenarioApp).isNotEqualTo("checkout-api");
        assertThat(run.out).contains("checkout-api").doesNotContain(scenarioApp);
        assertThat(run.out).containsPattern("revision checkout-api--[a-z0-9]+");
        assertThat(run.out).as("the commands name the asked app's revision").containsPattern("\\$ az containerapp[^\\n]*--name checkout-api");
    }

    @Test
    void anAlertIdIsReadFromTheAlertsManagementApiAndReplayed() {
        String id = "/subscriptions/3af27f80-3f99-4221-ac28-404b162a01de/providers/Microsoft.AlertsManagement/alerts/ef192851-7a8c-fc1e-b38f-18b975c81f24";

        Captured run = capture(() -> Main.run("replay", "--alert-id", id, "--simulate", "peak/spike"));

        assertThat(run.exit).as(run.err).isZero();
        assertThat(run.err).contains("read from the Alerts Management API");
        assertThat(run.out).contains("verdict PEAK_DEMAND");
    }

    @Test
    void aMalformedAlertIdIsRefusedBeforeAnyCall() {
        Captured run = capture(() -> Main.run("replay", "--alert-id", "/subscriptions/x'|/alerts/1", "--simulate", "peak/spike"));

        assertThat(run.exit).isEqualTo(2);
        assertThat(run.err).contains("not an Azure Monitor alert id");
    }

    @Test
    void aPayloadThatIsNotAnAlertIsAUsageErrorWithAReason(@TempDir Path tmp) throws Exception {
        Path payload = tmp.resolve("bad.json");
        Files.writeString(payload, "{\"schemaId\": \"azureMonitorCommonAlertSchema\"}");

        Captured run = capture(() -> Main.run("replay", "--payload", payload.toString(), "--simulate", "leak/classic"));

        assertThat(run.exit).isEqualTo(2);
        assertThat(run.err).contains("replay:").doesNotContain("Exception");
    }

    private record Captured(int exit, String out, String err) {
    }

    private static synchronized Captured capture(java.util.function.IntSupplier command) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int exit = command.getAsInt();
            return new Captured(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
