package io.oomresponder.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import io.oomresponder.SharedFiles;
import io.oomresponder.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EvidenceBundleFileTest {

    /** 3 and 3.0 are the same sample. */
    private static final java.util.Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) ->
            a.isNumber() && b.isNumber() ? Double.compare(a.doubleValue(), b.doubleValue()) : (a.equals(b) ? 0 : 1);

    @Test
    void sharedExamplesReadAndWriteBackTheSameFields(@TempDir Path tmp) throws Exception {
        for (String name : new String[]{"leak-classic.json", "other-apperror.json", "peak-spike.json"}) {
            Path source = SharedFiles.example(name);
            EvidenceBundle bundle = EvidenceBundleFile.read(source);
            Path copy = tmp.resolve(name);
            EvidenceBundleFile.write(bundle, copy);

            JsonNode original = Json.mapper().readTree(source.toFile());
            JsonNode written = Json.mapper().readTree(copy.toFile());
            for (String field : new String[]{"metrics", "systemLogs", "consoleLogs", "replicas"}) {
                assertThat(written.get(field).equals(NUMBERS_BY_VALUE, original.get(field))).as(name + " " + field).isTrue();
            }
            assertThat(written.at("/app/containers/0/memoryBytes")).isEqualTo(original.at("/app/containers/0/memoryBytes"));
            assertThat(written.at("/alert/firedAt")).isEqualTo(original.at("/alert/firedAt"));
            assertThat(SharedFiles.schemaErrors(written)).as(name).isEmpty();
        }
    }

    @Test
    void missingSamplesStayNullAndWholeNumbersStayIntegers() throws Exception {
        String json = "[[\"2026-10-12T00:55:00Z\",null],[\"2026-10-12T00:56:00Z\",663877252],[\"2026-10-12T00:57:00Z\",0.25]]";
        MetricPoint[] points = Json.mapper().readValue(json, MetricPoint[].class);
        assertThat(points[0].value()).isNull();
        assertThat(points[1].value()).isEqualTo(663877252.0);
        assertThat(Json.mapper().writeValueAsString(points)).isEqualTo(json);
    }

    @Test
    void aStreamedPartThatCannotBeReadIsToldAfterTheVersionAndTheShape(@TempDir Path tmp) throws Exception {
        String badLogs = "\"consoleLogs\":[{\"time\":\"2026-01-01T00:00:00Z\",\"message\":{\"nested\":1}}]";
        String example = java.nio.file.Files.readString(SharedFiles.example("leak-classic.json"));
        Path v2 = tmp.resolve("v2.json");
        // The logs come first, the version last: the version is still the error told.
        java.nio.file.Files.writeString(v2, "{" + badLogs + "," + example.strip().substring(1).replaceFirst("\"schemaVersion\"\\s*:\\s*1", "\"schemaVersion\": 2"));
        Path v1 = tmp.resolve("v1.json");
        java.nio.file.Files.writeString(v1, "{" + badLogs + "," + example.strip().substring(1));
        Path foreign = tmp.resolve("foreign.json");
        java.nio.file.Files.writeString(foreign, "{" + badLogs + ",\"other\":1}");

        assertThatThrownBy(() -> EvidenceBundleFile.read(v2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has schemaVersion 2");
        assertThatThrownBy(() -> EvidenceBundleFile.read(v1)).isInstanceOf(java.io.UncheckedIOException.class)
                .hasMessageContaining("consoleLogs");
        assertThat(EvidenceBundleFile.readIfBundle(foreign)).isNull();
    }

    @Test
    void aNullSeriesOrLogLineIsNamedNotAnNpe(@TempDir Path tmp) throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode bundle =
                (com.fasterxml.jackson.databind.node.ObjectNode) Json.mapper().readTree(SharedFiles.example("leak-classic.json").toFile());
        ((com.fasterxml.jackson.databind.node.ArrayNode) bundle.get("metrics")).insertNull(2);
        Path file = tmp.resolve("null-series.json");
        Json.mapper().writeValue(file.toFile(), bundle);

        assertThatThrownBy(() -> EvidenceBundleFile.read(file)).isInstanceOf(java.io.UncheckedIOException.class)
                .hasMessageContaining("metrics: entry 2 is null");
    }
}
