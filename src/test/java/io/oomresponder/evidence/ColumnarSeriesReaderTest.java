package io.oomresponder.evidence;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oomresponder.SharedFiles;
import io.oomresponder.diagnosis.Diagnoser;
import io.oomresponder.json.Json;
import io.oomresponder.simulator.ScenarioCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ColumnarSeriesReaderTest {

    /** Console lines read by data binding itself, as before their streaming reader: the reference. */
    @JsonDeserialize(using = JsonDeserializer.None.class)
    private abstract static class DataBound {
    }

    private static final ObjectMapper DATA_BINDING = Json.mapper().copy().addMixIn(ConsoleLine.class, DataBound.class);

    /**
     * The reader before the columns: each point through the tree into a {@link MetricPoint}, the series
     * from the list. It stands here as the reference the streaming reader must agree with.
     */
    private static EvidenceBundle readThroughPointObjects(String json) throws IOException {
        ObjectNode root = (ObjectNode) Json.mapper().readTree(json);
        ArrayNode metrics = (ArrayNode) root.remove("metrics");
        EvidenceBundle rest = DATA_BINDING.treeToValue(root, EvidenceBundle.class);
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
    void streamingReaderGivesTheSameBundleAndDiagnosisAsPointObjectsOnEveryScenario(@TempDir Path tmp) throws IOException {
        Diagnoser diagnoser = new Diagnoser();
        for (String scenario : ScenarioCatalog.names()) {
            EvidenceBundle generated = ScenarioCatalog.generate(scenario, 11).truth();
            String json = Json.mapper().writeValueAsString(generated);

            EvidenceBundle columnar = Json.mapper().readValue(json, EvidenceBundle.class);
            EvidenceBundle reference = readThroughPointObjects(json);

            assertThat(columnar.metrics()).as(scenario).isEqualTo(reference.metrics());
            assertThat(columnar).as(scenario).isEqualTo(reference);
            assertThat(diagnoser.diagnose(columnar)).as(scenario).isEqualTo(diagnoser.diagnose(reference));
            Path file = tmp.resolve(scenario.replace('/', '-') + ".json");
            Files.writeString(file, json);
            assertThat(EvidenceBundleFile.read(file)).as(scenario + " from a file").isEqualTo(reference);
        }
    }

    @Test
    void streamingReaderGivesTheSameDiagnosisAsPointObjectsOnTheLabelledExamples() throws IOException {
        Diagnoser diagnoser = new Diagnoser();
        for (String example : List.of("leak-classic.json", "peak-spike.json", "other-apperror.json")) {
            String json = Files.readString(SharedFiles.example(example));
            EvidenceBundle columnar = EvidenceBundleFile.read(SharedFiles.example(example));
            EvidenceBundle reference = readThroughPointObjects(json);
            assertThat(columnar.metrics()).as(example).isEqualTo(reference.metrics());
            assertThat(columnar).as(example).isEqualTo(reference);
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
        for (String edge : List.of("0000-01-01T00:00:00Z", "0000-02-29T23:59:59Z", "2024-02-29T00:00:00Z", "1970-01-01T00:00:00Z",
                "9999-12-31T23:59:59Z", "2100-02-28T12:00:00Z")) {
            assertThat(IsoInstants.epochSecondOrMin(edge)).as(edge).isEqualTo(Instant.parse(edge).getEpochSecond());
        }
        for (String wrong : List.of("2023-02-29T00:00:00Z", "2100-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z",
                "2026-01-00T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:60:00Z", "2026-01-01T00:00:60Z", "2026-0a-01T00:00:00Z",
                "2026-01-01T00:00:0/Z", "2026-01-01T00:00:0:Z")) {
            assertThat(IsoInstants.epochSecondOrMin(wrong)).as(wrong).isEqualTo(Long.MIN_VALUE);
        }
        assertThat(IsoInstants.epochSecondOrMin("2026-11-30T12:00:00+01:00")).isEqualTo(Long.MIN_VALUE);
        assertThat(IsoInstants.epochSecondOrMin("2026-11-30 12:00:00Z")).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void fastInstantPathKeepsTheFractionAsInstantParseDoes() {
        Random rnd = new Random(11);
        for (int i = 0; i < 20_000; i++) {
            Instant second = Instant.ofEpochSecond(rnd.nextLong(0, 4_000_000_000L));
            // Every fraction length from none to nine digits, as Log Analytics and our writer vary it.
            int digits = rnd.nextInt(10);
            String fraction = String.format("%09d", rnd.nextInt(1_000_000_000)).substring(0, digits);
            String text = second.toString().substring(0, 19) + (digits == 0 ? "" : "." + fraction) + "Z";
            char[] padded = ("xx" + text + "yy").toCharArray();
            assertThat(IsoInstants.instantOrNull(padded, 2, text.length())).as(text).isEqualTo(Instant.parse(text));
        }
        assertThat(IsoInstants.instantOrNull("2026-11-30T12:00:00.Z".toCharArray(), 0, 21)).isNull();
        assertThat(IsoInstants.instantOrNull("2026-11-30T12:00:00.1234567890Z".toCharArray(), 0, 30)).isNull();
        assertThat(IsoInstants.instantOrNull("2026-11-30T12:00:00+00:00".toCharArray(), 0, 25)).isNull();
        assertThat(IsoInstants.instantOrNull("2026-11-30T12:00:00.5Z".toCharArray(), 0, 22)).isEqualTo(Instant.parse("2026-11-30T12:00:00.500Z"));
    }

    @Test
    void shortDecimalPathGivesTheSameDoubleAsParseDouble() {
        Random rnd = new Random(7);
        for (int i = 0; i < 50_000; i++) {
            int fraction = rnd.nextInt(1, 8);
            long whole = rnd.nextLong(0, (long) Math.pow(10, rnd.nextInt(1, 16 - fraction)));
            long frac = rnd.nextLong(0, (long) Math.pow(10, fraction));
            String text = (rnd.nextBoolean() ? "-" : "") + whole + "." + String.format("%0" + fraction + "d", frac);
            double fast = MetricSeries.Reader.shortDecimal(text.toCharArray(), 0, text.length());
            if (text.replace("-", "").replace(".", "").length() > 15) {
                assertThat(fast).as(text).isNaN();
            } else {
                assertThat(Double.doubleToRawLongBits(fast)).as(text).isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(text)));
            }
        }
        for (String other : List.of("1e5", "1.5E-3", "0.1234567890123456", "12345678901234567.5")) {
            assertThat(MetricSeries.Reader.shortDecimal(other.toCharArray(), 0, other.length())).as(other).isNaN();
        }
    }

    @Test
    void consoleLinesReadAsDataBindingReadThem() throws IOException {
        String json = """
                [{"time":"2026-01-01T00:00:00.123Z","revision":"r","replica":"p","container":"app","stream":"stdout",
                  "message":"java.lang.OutOfMemoryError","extra":{"nested":[1,2]}},
                 {"time":"2026-01-01T00:00:01+00:00","message":42},
                 {"time":null,"replica":true},
                 {"time":1767225600}]
                """;
        List<ConsoleLine> streamed = Json.mapper().readValue(json, new TypeReference<>() { });
        List<ConsoleLine> reference = DATA_BINDING.readValue(json, new TypeReference<>() { });

        assertThat(streamed).isEqualTo(reference);
        assertThat(streamed.get(1).message()).isEqualTo("42");
        assertThatThrownBy(() -> Json.mapper().readValue("{\"message\":{\"a\":1}}", ConsoleLine.class))
                .isInstanceOf(MismatchedInputException.class);
        assertThatThrownBy(() -> DATA_BINDING.readValue("{\"message\":{\"a\":1}}", ConsoleLine.class))
                .isInstanceOf(MismatchedInputException.class);
    }
}
