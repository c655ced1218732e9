package io.oomresponder.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.oomresponder.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's first command, as a test: the demo runs the whole pipeline and writes every file. */
class DemoCommandTest {

    @Test
    void demoDiagnosesTheDefaultLeakAndWritesEveryArtefact(@TempDir Path out) throws Exception {
        int exit = Main.run("demo", "--out", out.toString());

        assertThat(exit).isZero();
        for (String f : new String[]{"alert.json", "bundle.json", "diagnosis.json", "card.json", "note.md", "note.txt", "chart.png", "timings.json"}) {
            assertThat(out.resolve(f)).as(f).exists().isNotEmptyFile();
        }
        JsonNode diagnosis = Json.mapper().readTree(out.resolve("diagnosis.json").toFile());
        assertThat(diagnosis.get("verdict").asText()).isEqualTo("LEAK_SUSPECTED");
        JsonNode timings = Json.mapper().readTree(out.resolve("timings.json").toFile());
        assertThat(timings.get("calls").asInt()).isPositive();
        assertThat(timings.get("sumOfCallMs").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(Files.size(out.resolve("card.json"))).isLessThan(28 * 1024);
        byte[] png = Files.readAllBytes(out.resolve("chart.png"));
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        assertThat(Files.readString(out.resolve("note.md"))).containsIgnoringCase("leak");
        // The card shows the chart from the simulator's blob storage, and the link served the same PNG.
        JsonNode card = Json.mapper().readTree(out.resolve("card.json").toFile()).at("/attachments/0/content/body");
        String image = null;
        for (JsonNode e : card) {
            if ("chart".equals(e.path("id").asText())) {
                image = e.path("url").asText();
            }
        }
        assertThat(image).as("the card's chart image").isNotNull().contains("/simcharts/charts/").contains("sp=r").contains("skoid=").contains("sig=");
        assertThat(Files.readString(out.resolve("chart-link.txt"))).contains("answers 200 image/png").contains("the same PNG as chart.png");
    }

    @Test
    void aScenarioWithoutMetricsMeetsAzureRefusingThemAndSaysWhichRoleIsMissing(@TempDir Path out) throws Exception {
        int exit = Main.run("demo", "--scenario", "nodata/metrics-missing", "--out", out.toString());

        assertThat(exit).isZero();
        JsonNode bundle = Json.mapper().readTree(out.resolve("bundle.json").toFile());
        JsonNode gaps = bundle.get("gaps");
        // The metrics API refuses every call: one gap per container-metrics group, and one per queue a
        // scale rule names (its backlog is read through the same metrics API; this seed's app has one).
        long queueRules = java.util.stream.StreamSupport.stream(bundle.get("app").get("scale").get("rules").spliterator(), false)
                .filter(r -> r.get("type").asText().startsWith("azure-")).count();
        assertThat(queueRules).as("the scenario's queue rule at this seed").isEqualTo(1);
        assertThat(gaps).as("every gap is Azure's refusal").isNotEmpty()
                .allSatisfy(g -> assertThat(g.get("code").asText()).isEqualTo("AuthorizationFailed"));
        assertThat(gaps).filteredOn(g -> g.get("detail").asText().startsWith("metrics ")).as("one gap per metrics group").hasSize(4);
        assertThat(gaps).filteredOn(g -> g.get("detail").asText().startsWith("queue backlog ")).as("one gap per queue rule").hasSize((int) queueRules);
        assertThat(gaps).hasSize(4 + (int) queueRules);
        assertThat(Json.mapper().readTree(out.resolve("diagnosis.json").toFile()).get("verdict").asText()).isEqualTo("INSUFFICIENT_EVIDENCE");
        assertThat(Files.readString(out.resolve("note.md"))).contains("HTTP 403 AuthorizationFailed").contains("Monitoring Reader");
    }

    @Test
    void anUnknownScenarioIsAUsageError(@TempDir Path out) {
        assertThat(Main.run("demo", "--scenario", "nope", "--out", out.toString())).isEqualTo(2);
    }
}
