package io.oomresponder.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.oomresponder.SharedFiles;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.EvidenceBundleFile;
import io.oomresponder.json.Json;
import io.oomresponder.simulator.ScenarioCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class SimulateCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void writesOneBundleForAScenarioAndSeed(@TempDir Path dir) {
        Path file = dir.resolve("b.json");
        Path alert = dir.resolve("alert.json");
        assertThat(run("simulate", "--scenario", "peak/spike", "--seed", "9", "--out", file.toString(), "--alert-out", alert.toString())).isZero();
        EvidenceBundle bundle = EvidenceBundleFile.read(file);
        assertThat(bundle.app().name()).isEqualTo(ScenarioCatalog.generate("peak/spike", 9).truth().app().name());
        assertThat(SharedFiles.schemaErrors(SharedFiles.readJson(file))).isEmpty();
        assertThat(SharedFiles.readJson(alert).path("data").path("essentials").path("alertId").asText()).isEqualTo(bundle.alert().id());
    }

    @Test
    void writesACorpusSpreadOverAllFamiliesWithLabels(@TempDir Path dir) throws IOException {
        Path corpus = dir.resolve("corpus");
        assertThat(run("simulate", "--corpus", corpus.toString(), "--count", "20", "--seed", "100")).isZero();
        JsonNode labels = SharedFiles.readJson(corpus.resolve("labels.json"));
        try (Stream<Path> files = Files.list(corpus)) {
            assertThat(files.filter(f -> !f.getFileName().toString().equals("labels.json"))).hasSize(20);
        }
        assertThat(labels.size()).isEqualTo(20);
        assertThat(labels.has("0001-leak-classic-s100.json")).isTrue();
        Set<String> families = new HashSet<>();
        labels.fields().forEachRemaining(e -> {
            assertThat(Files.exists(corpus.resolve(e.getKey()))).isTrue();
            assertThat(e.getValue().path("verdict").asText()).isNotBlank();
            assertThat(e.getValue().has("cause")).isTrue();
            families.add(e.getValue().path("scenario").asText().split("/")[0]);
        });
        assertThat(families).containsExactlyInAnyOrder("leak", "buffer", "peak", "startup", "job", "scale", "other", "early",
                "sidecar", "healthy", "nodata", "jvm");
        assertThat(labels.path("0010-healthy-s109.json").path("cause").isNull()).isTrue();
        assertThat(err.toString()).contains("20/20 bundles written");
        JsonNode bundle = SharedFiles.readJson(corpus.resolve("0001-leak-classic-s100.json"));
        assertThat(SharedFiles.schemaErrors(bundle)).isEmpty();
        assertThat(Json.mapper().treeToValue(bundle, EvidenceBundle.class).metrics()).isNotEmpty();
    }

    @Test
    void listsScenariosOneLineEach() {
        assertThat(run("simulate", "--scenario", "list")).isZero();
        assertThat(out.toString().lines()).hasSize(ScenarioCatalog.names().size())
                .anyMatch(l -> l.startsWith("leak/classic") && l.length() > "leak/classic".length() + 10);
    }

    @Test
    void unknownScenarioIsAUsageErrorListingTheValidNames(@TempDir Path dir) {
        assertThat(run("simulate", "--scenario", "leak/nope", "--out", dir.resolve("x.json").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("unknown scenario 'leak/nope'").contains("peak/plateau").contains("nodata/metrics-missing");
        assertThat(dir.resolve("x.json")).doesNotExist();
    }

    @Test
    void missingOutputIsAUsageError() {
        assertThat(run("simulate", "--scenario", "healthy")).isEqualTo(2);
        assertThat(err.toString()).contains("--out");
    }
}
