package io.oomresponder.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import io.oomresponder.SharedFiles;
import io.oomresponder.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

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
}
