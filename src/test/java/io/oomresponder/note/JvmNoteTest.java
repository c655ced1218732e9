package io.oomresponder.note;

import io.oomresponder.diagnosis.Diagnoser;
import io.oomresponder.diagnosis.Diagnosis;
import io.oomresponder.diagnosis.DecisionStep;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.simulator.ScenarioCatalog;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.Marker;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.Layer;
import org.jfree.data.time.TimeSeriesCollection;
import org.junit.jupiter.api.Test;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The note of a Java app: the JVM's facts and the heap on the chart, next to the container limit. */
class JvmNoteTest {

    private static final double MIB = 1024d * 1024;

    private static Map<String, String> facts(NoteContent n) {
        return n.facts().stream().collect(Collectors.toMap(NoteContent.Fact::label, NoteContent.Fact::value));
    }

    private static DecisionStep jvm(Diagnosis d) {
        return d.steps().stream().filter(s -> s.node().equals("JVM")).findFirst().orElseThrow();
    }

    @Test
    void theHeapFactsStateTheJvmNodesNumbers() {
        EvidenceBundle b = ScenarioCatalog.generate("jvm/heap-leak", 4).truth();
        Diagnosis d = new Diagnoser().diagnose(b);
        Map<String, Object> n = jvm(d).numbers();

        Map<String, String> facts = facts(NoteContent.of(b, d, NoteContext.newIncident()));

        double used = ((Number) n.get("heapUsedPeakBytes")).doubleValue();
        double limit = ((Number) n.get("heapLimitBytes")).doubleValue();
        double container = ((Number) n.get("containerLimitBytes")).doubleValue();
        assertThat(facts.get("Heap (JVM)")).isEqualTo(Quantities.bytes(used) + " peak used of a " + Quantities.bytes(limit)
                + " heap limit; heap limit = " + Quantities.percent(limit / container) + " of the container's " + Quantities.bytes(container));
        assertThat(facts.get("Heap after GC")).startsWith(Quantities.bytes(((Number) n.get("heapFloorStartBytes")).doubleValue()) + " → "
                + Quantities.bytes(((Number) n.get("heapFloorEndBytes")).doubleValue()));
        assertThat(facts).doesNotContainKeys("Outside the heap", "JVM vs container", "Java OutOfMemoryError");
        // A note without Java metrics has no JVM facts.
        EvidenceBundle plain = ScenarioCatalog.generate("leak/classic", 4).truth();
        assertThat(facts(NoteContent.of(plain, new Diagnoser().diagnose(plain), NoteContext.newIncident())))
                .doesNotContainKeys("Heap (JVM)", "Heap after GC");
    }

    @Test
    void eachJavaCaseHasItsFact() {
        for (String[] c : List.of(new String[]{"jvm/off-heap", "Outside the heap"}, new String[]{"jvm/heap-past-container", "JVM vs container"},
                new String[]{"jvm/out-of-memory-error", "Java OutOfMemoryError"})) {
            EvidenceBundle b = ScenarioCatalog.generate(c[0], 5).truth();
            Map<String, String> facts = facts(NoteContent.of(b, new Diagnoser().diagnose(b), NoteContext.newIncident()));
            assertThat(facts).as(c[0]).containsKey(c[1]).containsKey("Heap (JVM)");
        }
        EvidenceBundle b = ScenarioCatalog.generate("jvm/out-of-memory-error", 5).truth();
        assertThat(facts(NoteContent.of(b, new Diagnoser().diagnose(b), NoteContext.newIncident())).get("Java OutOfMemoryError"))
                .contains("Java heap space");
    }

    @Test
    void theChartShowsHeapUsedHeapLimitAndContainerLimitTogether() {
        EvidenceBundle b = ScenarioCatalog.generate("jvm/heap-leak", 4).truth();
        Diagnosis d = new Diagnoser().diagnose(b);
        double heapLimit = ((Number) jvm(d).numbers().get("heapLimitBytes")).doubleValue();

        JFreeChart chart = MemoryChart.chart(b, d.figures());

        XYPlot plot = chart.getXYPlot();
        TimeSeriesCollection heap = (TimeSeriesCollection) plot.getDataset(MemoryChart.HEAP_DATASET);
        assertThat(heap.getSeriesCount()).isEqualTo(1);
        assertThat(heap.getSeries(0).getKey().toString()).startsWith("heap used (JVM");
        assertThat(heap.getSeries(0).getItemCount()).isGreaterThan(100);
        @SuppressWarnings("unchecked")
        Collection<Marker> markers = plot.getRangeMarkers(Layer.FOREGROUND);
        List<String> labels = markers.stream().map(Marker::getLabel).toList();
        assertThat(labels).anySatisfy(l -> assertThat(l).startsWith("heap limit "));
        assertThat(labels).anySatisfy(l -> assertThat(l).startsWith("limit "));
        double unit = plot.getRangeAxis().getLabel().contains("GiB") ? 1024 * MIB : MIB;
        assertThat(markers.stream().map(m -> ((ValueMarker) m).getValue()).toList())
                .anySatisfy(v -> assertThat(v).isCloseTo(heapLimit / unit, org.assertj.core.data.Offset.offset(0.01)));
        // Without Java metrics there is no heap line.
        EvidenceBundle plain = ScenarioCatalog.generate("leak/classic", 4).truth();
        assertThat(MemoryChart.chart(plain, new Diagnoser().diagnose(plain).figures()).getXYPlot().getDataset(MemoryChart.HEAP_DATASET)).isNull();
    }
}
