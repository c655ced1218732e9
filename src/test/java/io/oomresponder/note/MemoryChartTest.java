package io.oomresponder.note;

import org.jfree.chart.JFreeChart;
import org.jfree.data.time.TimeSeriesCollection;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MemoryChartTest {

    @Test
    void leakChartIs700PxWideWithOneLinePerReplicaRestartsAndADashedProjection() throws Exception {
        var bundle = SampleDiagnoses.bundle("leak-classic.json");
        JFreeChart chart = MemoryChart.chart(bundle, SampleDiagnoses.leak().figures());

        TimeSeriesCollection replicas = (TimeSeriesCollection) chart.getXYPlot().getDataset(0);
        TimeSeriesCollection marks = (TimeSeriesCollection) chart.getXYPlot().getDataset(1);
        TimeSeriesCollection projection = (TimeSeriesCollection) chart.getXYPlot().getDataset(2);
        assertThat(replicas.getSeriesCount()).isEqualTo(3);
        assertThat(marks.getSeries("restart").getItemCount()).isEqualTo(20);
        assertThat(projection.getSeries(0).getItemCount()).isGreaterThanOrEqualTo(2);
        assertThat(chart.getXYPlot().getRangeMarkers(org.jfree.chart.ui.Layer.FOREGROUND)).hasSize(1);
        // the time axis reaches past the window towards the projected OOM
        assertThat(chart.getXYPlot().getDomainAxis().getUpperBound()).isGreaterThan(bundle.window().end().toEpochMilli());

        byte[] png = MemoryChart.png(bundle, SampleDiagnoses.leak().figures());
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image.getWidth()).isEqualTo(MemoryChart.WIDTH_PX);
        assertThat(image.getHeight()).isEqualTo(MemoryChart.HEIGHT_PX);
        Files.createDirectories(Path.of("target", "notes"));
        Files.write(Path.of("target", "notes", "leak-chart.png"), png);
    }

    @Test
    void thirtyReplicasAreSummarisedAsABandWithTheWorstReplicaAndALegendThatSaysSo() {
        var bundle = HostileNotes.oversized();
        JFreeChart chart = MemoryChart.chart(bundle, SampleDiagnoses.leak().figures());

        assertThat(MemoryChart.drawn(bundle, null).summarised()).isTrue();
        TimeSeriesCollection lines = (TimeSeriesCollection) chart.getXYPlot().getDataset(0);
        assertThat(lines.getSeriesCount()).as("only the worst replica is a line").isEqualTo(1);
        assertThat(lines.getSeriesKey(0).toString()).startsWith("worst replica");
        var band = (org.jfree.data.xy.YIntervalSeriesCollection) chart.getXYPlot().getDataset(MemoryChart.BAND_DATASET);
        assertThat(band.getSeriesKey(0).toString()).contains("median of 30 replicas");
        for (int i = 0; i < band.getItemCount(0); i++) {
            assertThat(band.getStartYValue(0, i)).isLessThanOrEqualTo(band.getYValue(0, i));
            assertThat(band.getYValue(0, i)).isLessThanOrEqualTo(band.getEndYValue(0, i));
        }
        // The band's maximum is the highest sample of any replica, which is the worst replica's peak.
        double bandMax = 0;
        for (int i = 0; i < band.getItemCount(0); i++) {
            bandMax = Math.max(bandMax, band.getEndYValue(0, i));
        }
        assertThat(lines.getSeries(0).getMaxY()).isEqualTo(bandMax);
        var legend = new java.util.ArrayList<String>();
        var items = chart.getXYPlot().getLegendItems();
        for (int i = 0; i < items.getItemCount(); i++) {
            legend.add(items.get(i).getLabel());
        }
        assertThat(legend).hasSizeLessThanOrEqualTo(5).anyMatch(l -> l.contains("median of 30"));
    }

    @Test
    void theTimeAxisStartsWhereTheDataStartsNotAtTheWindowStart() {
        var bundle = SampleDiagnoses.bundle("leak-classic.json");
        var lateStart = bundle.window().start().plus(bundle.window().length().multipliedBy(4).dividedBy(5));
        var late = new io.oomresponder.evidence.EvidenceBundle(bundle.schemaVersion(), bundle.alert(), bundle.window(), bundle.app(),
                bundle.replicas(), bundle.metrics().stream().map(s -> new io.oomresponder.evidence.MetricSeries(s.name(), s.aggregation(),
                        s.unit(), s.dimensions(), s.points().stream().filter(p -> !p.time().isBefore(lateStart)).toList())).toList(),
                List.of(), List.of(), List.of());

        JFreeChart chart = MemoryChart.chart(late, null);

        double lower = chart.getXYPlot().getDomainAxis().getLowerBound();
        assertThat(lower).isGreaterThan(bundle.window().start().plus(bundle.window().length().multipliedBy(3).dividedBy(4)).toEpochMilli());
        assertThat(lower).isLessThanOrEqualTo(lateStart.toEpochMilli());
    }

    @Test
    void withoutWorkingSetSamplesThePlotSaysNoDataInWords() {
        var bundle = SampleDiagnoses.bundle("leak-classic.json");
        var empty = new io.oomresponder.evidence.EvidenceBundle(bundle.schemaVersion(), bundle.alert(), bundle.window(), bundle.app(),
                bundle.replicas(), List.of(), bundle.systemLogs(), List.of(), List.of());

        JFreeChart chart = MemoryChart.chart(empty, null);

        assertThat(chart.getXYPlot().getAnnotations()).anyMatch(a -> a instanceof org.jfree.chart.annotations.XYTextAnnotation t
                && t.getText().equals(MemoryChart.NO_DATA_LABEL));
        assertThat(MemoryChart.drawn(empty, null).hasData()).isFalse();
    }

    @Test
    void chartWithoutProjectionOrLimitStillDraws() {
        var bundle = SampleDiagnoses.bundle("other-apperror.json");
        byte[] png = MemoryChart.png(bundle, null);
        assertThat(png.length).isGreaterThan(1000);
    }
}
