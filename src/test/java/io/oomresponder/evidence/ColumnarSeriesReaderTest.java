package io.oomresponder.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oomresponder.SharedFiles;
import io.oomresponder.diagnosis.Diagnoser;
import io.oomresponder.json.Json;
import io.oomresponder.simulator.ScenarioCatalog;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ColumnarSeriesReaderTest {

    /**
     * The reader before the columns: each point through the tree into a {@link MetricPoint}, the series
     * from the list. It stands here as the reference the streaming reader must agree with.
     */
    private static EvidenceBundle readThroughPointObjects(String json) throws IOException {
        ObjectNode root = (ObjectNode) Json.mapper().readTree(json);
        ArrayNode metrics = (ArrayNode) root.remove("metrics");
        EvidenceBundle rest = Json.mapper().treeToValue(root, EvidenceBundle.class);
        List<MetricSeries> series = new ArrayList<>();
        for (JsonNode m : metrics) {
            List<MetricPoint> points = new ArrayList<>();
            for (JsonNode p : m.path("points")) {
                points.add(Json.mapper().treeToValue(p, MetricPoint.class));
            }
            @SuppressWarnings("unchecked")
            Map<String, String> dims = Json.mapper().treeToValue(m.path("dimensions"), Map.class);
            series.add(new MetricSeries(m.path("name").asText(), m.path("aggregation").asText(null), m.path("unit").asText(null), dims, points));
        }
        return new EvidenceBundle(rest.schemaVersion(), rest.alert(), rest.window(), rest.app(), rest.replicas(), series,
                rest.systemLogs(), rest.consoleLogs(), rest.gaps());
    }

    @Test
    void streamingReaderGivesTheSameBundleAndDiagnosisAsPointObjectsOnEveryScenario() throws IOException {
        Diagnoser diagnoser = new Diagnoser();
        for (String scenario : ScenarioCatalog.names()) {
            EvidenceBundle generated = ScenarioCatalog.generate(scenario, 11).truth();
            String json = Json.mapper().writeValueAsString(generated);

            EvidenceBundle columnar = Json.mapper().readValue(json, EvidenceBundle.class);
            EvidenceBundle reference = readThroughPointObjects(json);

            assertThat(columnar.metrics()).as(scenario).isEqualTo(reference.metrics());
            assertThat(diagnoser.diagnose(columnar)).as(scenario).isEqualTo(diagnoser.diagnose(reference));
        }
    }

    @Test
    void streamingReaderGivesTheSameDiagnosisAsPointObjectsOnTheLabelledExamples() throws IOException {
        Diagnoser diagnoser = new Diagnoser();
        for (String example : List.of("leak-classic.json", "peak-spike.json", "other-apperror.json")) {
            String json = java.nio.file.Files.readString(SharedFiles.example(example));
            EvidenceBundle columnar = Json.mapper().readValue(json, EvidenceBundle.class);
            EvidenceBundle reference = readThroughPointObjects(json);
            assertThat(columnar.metrics()).as(example).isEqualTo(reference.metrics());
            assertThat(diagnoser.diagnose(columnar)).as(example).isEqualTo(diagnoser.diagnose(reference));
        }
    }

    @Test
    void gapsStayGapsAndObjectShapedOrIrregularPointsStillRead() throws IOException {
        String json = """
                {"name":"WorkingSetBytes","aggregation":"Maximum","unit":"Bytes","dimensions":{"podName":"p1"},
                 "points":[["2026-01-01T00:00:00Z",100],["2026-01-01T00:01:00Z",null],
                           {"time":"2026-01-01T00:03:00+00:00","value":2.5},["2026-01-01T00:04:00.250Z",7,"extra"]]}
                """;
        MetricSeries s = Json.mapper().readValue(json, MetricSeries.class);

        assertThat(s.size()).isEqualTo(4);
        assertThat(s.podName()).isEqualTo("p1");
        assertThat(s.value(0)).isEqualTo(100);
        assertThat(s.hasValue(1)).isFalse();
        assertThat(s.points().get(1).value()).isNull();
        assertThat(s.time(2)).isEqualTo(Instant.parse("2026-01-01T00:03:00Z"));
        assertThat(s.value(2)).isEqualTo(2.5);
        assertThat(s.time(3)).isEqualTo(Instant.parse("2026-01-01T00:04:00Z"));
        assertThat(Json.mapper().readValue(Json.mapper().writeValueAsString(s), MetricSeries.class)).isEqualTo(s);
    }

    @Test
    void evenlySpacedSamplesKeepNoPerSampleTimes() throws IOException {
        EvidenceBundle bundle = ScenarioCatalog.generate("leak/classic", 5).truth();
        EvidenceBundle read = Json.mapper().readValue(Json.mapper().writeValueAsString(bundle), EvidenceBundle.class);
        MetricSeries ws = read.series("WorkingSetBytes").get(0);

        assertThat(ws.size()).isGreaterThan(100);
        assertThat(ws.columnBytes()).isEqualTo(8L * ws.size());
    }

    @Test
    void fastInstantPathAgreesWithInstantParse() {
        Random rnd = new Random(20261130);
        for (int i = 0; i < 20_000; i++) {
            long second = rnd.nextLong(-2_000_000_000L, 8_000_000_000L);
            String text = Instant.ofEpochSecond(second).toString();
            if (text.length() >= 20 && text.charAt(4) == '-') {
                assertThat(IsoInstants.epochSecondOrMin(text)).as(text).isEqualTo(second);
            }
        }
        assertThat(IsoInstants.epochSecondOrMin("2026-11-30T12:00:00.5Z")).isEqualTo(Instant.parse("2026-11-30T12:00:00Z").getEpochSecond());
        assertThat(IsoInstants.epochSecondOrMin("2026-02-30T12:00:00Z")).isEqualTo(Long.MIN_VALUE);
        assertThat(IsoInstants.epochSecondOrMin("2026-11-30T12:00:00+01:00")).isEqualTo(Long.MIN_VALUE);
        assertThat(IsoInstants.epochSecondOrMin("2026-11-30 12:00:00Z")).isEqualTo(Long.MIN_VALUE);
    }
}
