package io.oomresponder.note;

import org.jfree.chart.JFreeChart;
import org.jfree.data.time.TimeSeriesCollection;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;

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
    void thirtyReplicasKeepTheLegendShort() {
        JFreeChart chart = MemoryChart.chart(HostileNotes.oversized(), SampleDiagnoses.leak().figures());
        assertThat(((TimeSeriesCollection) chart.getXYPlot().getDataset(0)).getSeriesCount()).isEqualTo(30);
        assertThat(chart.getXYPlot().getLegendItems().getItemCount()).isLessThanOrEqualTo(4);
    }

    @Test
    void chartWithoutProjectionOrLimitStillDraws() {
        var bundle = SampleDiagnoses.bundle("other-apperror.json");
        byte[] png = MemoryChart.png(bundle, null);
        assertThat(png.length).isGreaterThan(1000);
    }
}
