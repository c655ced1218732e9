package io.oomresponder.note;

import io.oomresponder.diagnosis.Figures;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.MetricSeries;
import io.oomresponder.evidence.SystemLogEvent;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.time.FixedMillisecond;
import org.jfree.data.time.TimeSeries;
import org.jfree.data.time.TimeSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Polygon;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.SimpleDateFormat;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import java.util.regex.Pattern;

/**
 * The note's chart: working set per replica over the evidence window, the memory limit as a red
 * line, restarts and OOM kills marked, and the leak projection (from {@link Figures}) dashed up to
 * the limit. For a Java app with Container Apps' Java metrics, the heap used of the replica whose
 * heap came closest to its limit is drawn too, with the heap limit as a dashed line, so heap used,
 * heap limit and container limit are seen together. Drawn with JFreeChart, headless, legible at
 * 700 px wide.
 */
public final class MemoryChart {

    /** Width the chart is drawn for (Teams and ticket previews scale it down from here). */
    public static final int WIDTH_PX = 700;
    public static final int HEIGHT_PX = 400;
    /** Above this many replicas they are summarised as a min/median/max band plus the worst replica. */
    public static final int MAX_REPLICAS_IN_LEGEND = 8;
    /** The projection may widen the time axis by at most this fraction of the window. */
    public static final double MAX_PROJECTION_EXTENSION_OF_WINDOW = 0.5;

    private static final Pattern OOM_MESSAGE = Pattern.compile("(?i)(oomkilled|exit code '?137|out of memory)");
    private static final double GIB = 1024d * 1024 * 1024;
    private static final double MIB = 1024d * 1024;
    private static final Color LIMIT_RED = new Color(0xC4, 0x31, 0x4B);
    private static final Color RESTART_ORANGE = new Color(0xE0, 0x8A, 0x00);
    private static final Color PROJECTION_GREY = new Color(0x55, 0x55, 0x55);
    private static final Color WORST_PURPLE = new Color(0x94, 0x67, 0xBD);
    private static final Color BAND_BLUE = new Color(0x1F, 0x77, 0xB4);
    private static final Color BAND_FILL = new Color(0x9E, 0xC5, 0xE8);
    private static final Color HEAP_TEAL = new Color(0x00, 0x7A, 0x6E);
    /** The plot's dataset index of the JVM's heap line. */
    static final int HEAP_DATASET = 4;
    /** The plot's dataset index of the min/median/max band (drawn under the lines). */
    static final int BAND_DATASET = 3;
    /** A replica starting or ending further than this from the data's span is labelled with its times. */
    private static final Duration PARTIAL_SLACK = Duration.ofMinutes(10);
    private static final String MEMORY_PERCENTAGE = "MemoryPercentage";
    /** What the plot says when there is no working-set sample. */
    public static final String NO_DATA_LABEL = "No working-set data for this window";
    private static final Color[] REPLICA_COLOURS = {
            new Color(0x1F, 0x77, 0xB4), new Color(0x2C, 0xA0, 0x2C), new Color(0x94, 0x67, 0xBD), new Color(0x17, 0xBE, 0xCF),
            new Color(0x8C, 0x56, 0x4B), new Color(0xBC, 0xBD, 0x22), new Color(0x7F, 0x7F, 0x7F), new Color(0xE3, 0x77, 0xC2)};

    static {
        // Charts are drawn on servers and in Functions hosts without a display.
        System.setProperty("java.awt.headless", "true");
    }

    private MemoryChart() {
    }

    /** The chart as PNG bytes. */
    public static byte[] png(EvidenceBundle bundle, Figures figures) {
        JFreeChart chart = chart(bundle, figures);
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        try {
            ChartUtils.writeChartAsPNG(out, chart, WIDTH_PX, HEIGHT_PX);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode chart", e);
        }
        return out.toByteArray();
    }

    /**
     * What the chart shows, computed once from the bundle so the chart and the note's facts count
     * the same things: replicas with at least one working-set sample (as the diagnosis counts
     * them), and the span the samples cover.
     *
     * @param replicas   replicas with working-set samples
     * @param summarised true when they are drawn as a min/median/max band plus the worst replica
     * @param dataStart  the first working-set sample, or null without data
     * @param dataEnd    the last working-set sample, or null without data
     * @param peakBytes  the highest sample, or null without data
     */
    public record Drawn(int replicas, boolean summarised, Instant dataStart, Instant dataEnd, Double peakBytes) {
        /** True when there is at least one working-set sample to draw. */
        public boolean hasData() {
            return dataStart != null;
        }
    }

    /** What {@link #chart} draws for this bundle and these figures (which give the limit). */
    public static Drawn drawn(EvidenceBundle bundle, Figures figures) {
        Long limitBytes = limit(bundle, figures);
        java.util.Set<String> replicas = new java.util.LinkedHashSet<>();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        Double peak = null;
        for (MetricSeries s : workingSet(bundle, limitBytes)) {
            double scale = scale(s, limitBytes);
            for (int i = 0; i < s.size(); i++) {
                double v = s.value(i);
                if (Double.isNaN(v)) {
                    continue;
                }
                replicas.add(replicaKey(s));
                first = Math.min(first, s.epochSecond(i));
                last = Math.max(last, s.epochSecond(i));
                peak = peak == null || v * scale > peak ? v * scale : peak;
            }
        }
        return new Drawn(replicas.size(), replicas.size() > MAX_REPLICAS_IN_LEGEND,
                replicas.isEmpty() ? null : Instant.ofEpochSecond(first), replicas.isEmpty() ? null : Instant.ofEpochSecond(last), peak);
    }

    /**
     * The working-set series to draw: WorkingSetBytes; without any sample of it, MemoryPercentage
     * (× the limit, as the diagnosis uses it) when the limit is known.
     */
    static List<MetricSeries> workingSet(EvidenceBundle bundle, Long limitBytes) {
        List<MetricSeries> ws = bundle.series("WorkingSetBytes").stream()
                .filter(MetricSeries::hasAnyValue).toList();
        if (!ws.isEmpty() || limitBytes == null) {
            return ws;
        }
        List<MetricSeries> pct = bundle.series(MEMORY_PERCENTAGE).stream()
                .filter(MetricSeries::hasAnyValue).toList();
        List<MetricSeries> max = pct.stream().filter(s -> "Maximum".equalsIgnoreCase(s.aggregation())).toList();
        return max.isEmpty() ? pct : max;
    }

    private static double scale(MetricSeries s, Long limitBytes) {
        return MEMORY_PERCENTAGE.equals(s.name()) && limitBytes != null ? limitBytes / 100.0 : 1;
    }

    private static Long limit(EvidenceBundle bundle, Figures figures) {
        return figures != null && figures.memoryLimitBytes() != null ? figures.memoryLimitBytes() : bundle.app().memoryLimitBytes();
    }

    /** The chart object (for tests and other sizes). */
    public static JFreeChart chart(EvidenceBundle bundle, Figures figures) {
        Drawn drawn = drawn(bundle, figures);
        Long limitBytes = limit(bundle, figures);
        List<MetricSeries> workingSet = workingSet(bundle, limitBytes);
        boolean fromPercentage = workingSet.stream().anyMatch(s -> MEMORY_PERCENTAGE.equals(s.name()));
        double peak = drawn.peakBytes() == null ? 0 : drawn.peakBytes();
        double unit = Math.max(limitBytes == null ? 0 : limitBytes, peak) >= GIB ? GIB : MIB;
        String unitName = unit == GIB ? "GiB" : "MiB";

        Map<String, TimeSeries> byReplica = new LinkedHashMap<>();
        for (MetricSeries s : workingSet) {
            String key = replicaKey(s);
            double scale = scale(s, limitBytes);
            TimeSeries ts = byReplica.computeIfAbsent(key, k -> new TimeSeries(k));
            for (int i = 0; i < s.size(); i++) {
                double v = s.value(i);
                ts.addOrUpdate(new FixedMillisecond(s.epochSecond(i) * 1000), Double.isNaN(v) ? null : v * scale / unit);
            }
        }

        // Restart markers sit on the replica's line just before the restart; OOM kills at the limit line.
        TimeSeries restarts = new TimeSeries("restart");
        // RestartCount is a running counter per replica (docs/azure-contract.md): a restart is a rise
        // of it; a series that falls holds per-bucket counts instead, where any positive value is one.
        for (MetricSeries s : bundle.series("RestartCount")) {
            TimeSeries ws = byReplica.get(replicaKey(s));
            boolean counter = true;
            double prev = Double.NaN;
            for (int i = 0; i < s.size(); i++) {
                double v = s.value(i);
                if (!Double.isNaN(v)) {
                    counter &= Double.isNaN(prev) || v >= prev;
                    prev = v;
                }
            }
            prev = Double.NaN;
            for (int i = 0; i < s.size(); i++) {
                double v = s.value(i);
                if (Double.isNaN(v)) {
                    continue;
                }
                if (counter ? !Double.isNaN(prev) && v > prev : v > 0) {
                    restarts.addOrUpdate(new FixedMillisecond(s.epochSecond(i) * 1000), valueBefore(ws, s.time(i), limitBytes, unit));
                }
                prev = v;
            }
        }
        TimeSeries oomKills = new TimeSeries("OOM kill (system log)");
        double killLevel = limitBytes != null ? limitBytes / unit : peak / unit;
        for (SystemLogEvent e : bundle.systemLogs()) {
            if (e.time() != null && OOM_MESSAGE.matcher(String.valueOf(e.message()) + " " + e.reason()).find()) {
                oomKills.addOrUpdate(new FixedMillisecond(e.time().toEpochMilli()), killLevel);
            }
        }

        Instant end = bundle.window().end();
        // The axis starts where the data does (a 24-hour window whose replicas exist for the last
        // five hours would squeeze them into a fifth of the chart), with a margin of 3% of the span.
        Instant start = axisStart(bundle, drawn, restarts, oomKills);
        Instant axisEnd = end;
        TimeSeries projection = new TimeSeries("projected growth to limit");
        if (figures != null && figures.projectedOomEarliest() != null && limitBytes != null) {
            axisEnd = addProjection(projection, byReplica, figures, limitBytes / unit, end, Duration.between(start, end));
        }

        TimeSeriesCollection lines = new TimeSeriesCollection(TimeZone.getTimeZone("UTC"));
        YIntervalSeriesCollection band = new YIntervalSeriesCollection();
        String worst = null;
        if (drawn.summarised()) {
            worst = worstReplica(byReplica);
            band.addSeries(band(byReplica, drawn.replicas()));
            TimeSeries w = byReplica.get(worst);
            lines.addSeries(copyNamed(w, "worst replica " + worst.replace("replica ", "") + " (highest peak)"));
        } else {
            for (Map.Entry<String, TimeSeries> e : byReplica.entrySet()) {
                lines.addSeries(copyNamed(e.getValue(), e.getKey() + partialLabel(e.getValue(), drawn, end)));
            }
        }

        JFreeChart chart = org.jfree.chart.ChartFactory.createTimeSeriesChart(
                bundle.app().name() + ": working set " + (drawn.summarised() ? "across replicas" : "per replica"),
                null, "working set (" + unitName + ")", lines, true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        chart.addSubtitle(new TextTitle(subtitle(bundle, limitBytes, drawn)
                + (fromPercentage ? " · from MemoryPercentage × limit (no WorkingSetBytes)" : ""), new Font(Font.SANS_SERIF, Font.PLAIN, 12)));
        chart.getLegend().setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));

        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xDD, 0xDD, 0xDD));
        plot.setRangeGridlinePaint(new Color(0xDD, 0xDD, 0xDD));
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);

        XYLineAndShapeRenderer lineRenderer = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < lines.getSeriesCount(); i++) {
            lineRenderer.setSeriesPaint(i, drawn.summarised() ? WORST_PURPLE : REPLICA_COLOURS[i % REPLICA_COLOURS.length]);
            lineRenderer.setSeriesStroke(i, new BasicStroke(drawn.summarised() ? 2f : 1.6f));
        }
        plot.setRenderer(0, lineRenderer);
        if (drawn.summarised()) {
            DeviationRenderer bandRenderer = new DeviationRenderer(true, false);
            bandRenderer.setSeriesPaint(0, BAND_BLUE);
            bandRenderer.setSeriesFillPaint(0, BAND_FILL);
            bandRenderer.setSeriesStroke(0, new BasicStroke(1.6f));
            bandRenderer.setAlpha(0.35f);
            plot.setDataset(BAND_DATASET, band);
            plot.setRenderer(BAND_DATASET, bandRenderer);
        }

        TimeSeriesCollection marks = new TimeSeriesCollection(TimeZone.getTimeZone("UTC"));
        marks.addSeries(restarts);
        marks.addSeries(oomKills);
        XYLineAndShapeRenderer markRenderer = new XYLineAndShapeRenderer(false, true);
        markRenderer.setSeriesPaint(0, RESTART_ORANGE);
        markRenderer.setSeriesShape(0, triangle(5));
        markRenderer.setSeriesPaint(1, LIMIT_RED);
        markRenderer.setSeriesShape(1, new Ellipse2D.Double(-4, -4, 8, 8));
        markRenderer.setSeriesVisibleInLegend(0, !restarts.isEmpty());
        markRenderer.setSeriesVisibleInLegend(1, !oomKills.isEmpty());
        plot.setDataset(1, marks);
        plot.setRenderer(1, markRenderer);

        TimeSeriesCollection projected = new TimeSeriesCollection(TimeZone.getTimeZone("UTC"));
        projected.addSeries(projection);
        XYLineAndShapeRenderer projectionRenderer = new XYLineAndShapeRenderer(true, false);
        projectionRenderer.setSeriesPaint(0, PROJECTION_GREY);
        projectionRenderer.setSeriesStroke(0, new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{7f, 5f}, 0f));
        projectionRenderer.setSeriesVisibleInLegend(0, !projection.isEmpty());
        plot.setDataset(2, projected);
        plot.setRenderer(2, projectionRenderer);

        JvmHeap heap = JvmHeap.of(bundle);
        if (heap != null) {
            TimeSeriesCollection heapLines = new TimeSeriesCollection(TimeZone.getTimeZone("UTC"));
            TimeSeries used = new TimeSeries("heap used (JVM, " + heap.replica() + ")");
            for (int i = 0; i < heap.used().size(); i++) {
                double v = heap.used().value(i);
                used.addOrUpdate(new FixedMillisecond(heap.used().epochSecond(i) * 1000), Double.isNaN(v) ? null : v / unit);
            }
            heapLines.addSeries(used);
            XYLineAndShapeRenderer heapRenderer = new XYLineAndShapeRenderer(true, false);
            heapRenderer.setSeriesPaint(0, HEAP_TEAL);
            heapRenderer.setSeriesStroke(0, new BasicStroke(1.4f));
            plot.setDataset(HEAP_DATASET, heapLines);
            plot.setRenderer(HEAP_DATASET, heapRenderer);
            if (heap.limitBytes() > 0) {
                plot.addRangeMarker(levelMarker(heap.limitBytes() / unit, "heap limit " + Quantities.bytes((long) heap.limitBytes()), HEAP_TEAL,
                        new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{6f, 4f}, 0f), false), Layer.FOREGROUND);
            }
        }
        if (limitBytes != null) {
            plot.addRangeMarker(levelMarker(limitBytes / unit, "limit " + Quantities.bytes(limitBytes), LIMIT_RED, new BasicStroke(2f), true),
                    Layer.FOREGROUND);
        }
        if (axisEnd.isAfter(end)) {
            ValueMarker now = new ValueMarker(end.toEpochMilli(), new Color(0x99, 0x99, 0x99), new BasicStroke(1f));
            now.setLabel("window end");
            now.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
            now.setLabelBackgroundColor(new Color(255, 255, 255, 0));
            now.setLabelAnchor(RectangleAnchor.TOP_LEFT);
            now.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
            plot.addDomainMarker(now);
        }

        DateAxis time = (DateAxis) plot.getDomainAxis();
        time.setTimeZone(TimeZone.getTimeZone("UTC"));
        SimpleDateFormat format = new SimpleDateFormat(Duration.between(start, axisEnd).compareTo(Duration.ofDays(2)) > 0 ? "MM-dd HH:mm" : "HH:mm", Locale.ROOT);
        format.setTimeZone(TimeZone.getTimeZone("UTC"));
        time.setDateFormatOverride(format);
        time.setLabel("time (UTC)");
        time.setRange(start.toEpochMilli(), axisEnd.toEpochMilli());
        time.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        NumberAxis value = (NumberAxis) plot.getRangeAxis();
        value.setAutoRangeIncludesZero(true);
        double top = Math.max(peak, limitBytes == null ? 0 : limitBytes) / unit;
        double upper = top * 1.12 == 0 ? 1 : top * 1.12;
        value.setRange(0, upper);
        value.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        if (!drawn.hasData()) {
            // An empty plot with no word would read as "memory was zero".
            XYTextAnnotation none = new XYTextAnnotation(NO_DATA_LABEL,
                    (start.toEpochMilli() + axisEnd.toEpochMilli()) / 2.0, upper / 2);
            none.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            none.setPaint(new Color(0x55, 0x55, 0x55));
            plot.addAnnotation(none);
        }
        return chart;
    }

    /**
     * Dashed lines from the growing replica's last sample to the limit at the projected times. A
     * projection beyond the axis cap is drawn to the cap, at the height it reaches there.
     */
    private static Instant addProjection(TimeSeries projection, Map<String, TimeSeries> byReplica, Figures f, double limit,
                                         Instant end, Duration window) {
        Instant cap = end.plusMillis((long) (window.toMillis() * MAX_PROJECTION_EXTENSION_OF_WINDOW));
        // Start from the replica closest to the limit at the end of the window.
        double bestValue = -1;
        long bestTime = 0;
        for (TimeSeries ts : byReplica.values()) {
            for (int i = ts.getItemCount() - 1; i >= 0; i--) {
                Number v = ts.getValue(i);
                if (v != null) {
                    if (v.doubleValue() > bestValue) {
                        bestValue = v.doubleValue();
                        bestTime = ts.getTimePeriod(i).getFirstMillisecond();
                    }
                    break;
                }
            }
        }
        if (bestValue < 0 || bestValue >= limit) {
            return end;
        }
        List<Instant> targets = new ArrayList<>();
        targets.add(f.projectedOomEarliest());
        if (f.projectedOomLatest() != null && !f.projectedOomLatest().equals(f.projectedOomEarliest())) {
            targets.add(f.projectedOomLatest());
        }
        Instant axisEnd = end;
        projection.add(new FixedMillisecond(bestTime), bestValue);
        // start → earliest OOM (at the limit) → latest OOM (along the limit line).
        for (int i = 0; i < targets.size(); i++) {
            Instant target = targets.get(i);
            if (!target.isAfter(Instant.ofEpochMilli(bestTime))) {
                continue;
            }
            double reach = limit;
            Instant drawTo = target;
            if (target.isAfter(cap)) {
                double fraction = (double) (cap.toEpochMilli() - bestTime) / (target.toEpochMilli() - bestTime);
                reach = bestValue + (limit - bestValue) * fraction;
                drawTo = cap;
            }
            projection.addOrUpdate(new FixedMillisecond(drawTo.toEpochMilli() + i), reach);
            if (drawTo.isAfter(axisEnd)) {
                axisEnd = drawTo;
            }
        }
        return axisEnd;
    }

    /**
     * The JVM's heap for the chart: heap used (JvmMemoryTotalUsed, heap, Maximum) of the replica
     * whose heap came closest to its limit, and the heap limit (JvmMemoryTotalLimit, heap). Null
     * without Java metrics. A poolType containing "non" is non-heap; any other containing "heap" is
     * the heap (the reference does not fix the spelling).
     */
    record JvmHeap(String replica, MetricSeries used, double limitBytes) {

        static JvmHeap of(EvidenceBundle bundle) {
            double limit = 0;
            for (MetricSeries s : bundle.series("JvmMemoryTotalLimit")) {
                if (heap(s)) {
                    for (int i = 0; i < s.size(); i++) {
                        double v = s.value(i);
                        if (v == v && v > limit) {
                            limit = v;
                        }
                    }
                }
            }
            MetricSeries best = null;
            double bestPeak = -1;
            for (MetricSeries s : bundle.series("JvmMemoryTotalUsed")) {
                if (!heap(s) || !"Maximum".equalsIgnoreCase(s.aggregation())) {
                    continue;
                }
                for (int i = 0; i < s.size(); i++) {
                    double v = s.value(i);
                    if (v == v && v > bestPeak) {
                        bestPeak = v;
                        best = s;
                    }
                }
            }
            if (best == null) {
                return null;
            }
            return new JvmHeap(replicaKey(best).replace("replica ", ""), best, limit);
        }

        private static boolean heap(MetricSeries s) {
            String t = String.valueOf(s.dimensions().get("poolType")).toLowerCase(Locale.ROOT);
            return t.contains("heap") && !t.contains("non");
        }
    }

    /** A labelled horizontal line (a limit); the label sits above the line, or below it when {@code above} is false. */
    private static ValueMarker levelMarker(double value, String label, Color colour, BasicStroke stroke, boolean above) {
        ValueMarker m = new ValueMarker(value, colour, stroke);
        m.setLabel(label);
        m.setLabelFont(new Font(Font.SANS_SERIF, Font.BOLD, 11));
        m.setLabelPaint(colour);
        m.setLabelBackgroundColor(new Color(255, 255, 255, 0));
        m.setLabelAnchor(above ? RectangleAnchor.TOP_LEFT : RectangleAnchor.BOTTOM_LEFT);
        m.setLabelTextAnchor(above ? TextAnchor.BOTTOM_LEFT : TextAnchor.TOP_LEFT);
        return m;
    }

    private static Double valueBefore(TimeSeries ws, Instant t, Long limitBytes, double unit) {
        if (ws != null) {
            Double best = null;
            for (int i = 0; i < ws.getItemCount(); i++) {
                long ms = ws.getTimePeriod(i).getFirstMillisecond();
                if (ms > t.toEpochMilli()) {
                    break;
                }
                if (ms >= t.toEpochMilli() - Duration.ofMinutes(5).toMillis() && ws.getValue(i) != null) {
                    best = best == null ? ws.getValue(i).doubleValue() : Math.max(best, ws.getValue(i).doubleValue());
                }
            }
            if (best != null) {
                return best;
            }
        }
        return limitBytes == null ? null : limitBytes / unit;
    }

    private static String replicaKey(MetricSeries s) {
        String pod = s.podName() != null ? s.podName() : s.revisionName() != null ? s.revisionName() : "app";
        String revision = s.revisionName();
        // "api-gateway--78f5m0n-nj3lvf7f4-uzcr9" -> "…uzcr9": the suffix tells replicas apart.
        if (revision != null && pod.startsWith(revision) && pod.length() > revision.length() + 1) {
            int dash = pod.lastIndexOf('-');
            return "replica …" + pod.substring(dash + 1);
        }
        return pod;
    }

    private static String subtitle(EvidenceBundle bundle, Long limitBytes, Drawn drawn) {
        String replicas = !drawn.hasData() ? "no working-set data"
                : drawn.summarised() ? drawn.replicas() + " replicas (min–max band, median, worst)"
                : drawn.replicas() + (drawn.replicas() == 1 ? " replica" : " replicas");
        return (limitBytes == null ? "limit unknown" : "limit " + Quantities.bytes(limitBytes))
                + " · " + replicas
                + " · " + Quantities.dateTime(bundle.window().start()) + " – " + Quantities.clock(bundle.window().end(), bundle.window().start());
    }

    private static Instant axisStart(EvidenceBundle bundle, Drawn drawn, TimeSeries restarts, TimeSeries oomKills) {
        Instant windowStart = bundle.window().start();
        Instant end = bundle.window().end();
        Instant first = drawn.dataStart();
        for (TimeSeries marks : List.of(restarts, oomKills)) {
            if (!marks.isEmpty()) {
                Instant t = Instant.ofEpochMilli(marks.getTimePeriod(0).getFirstMillisecond());
                first = first == null || t.isBefore(first) ? t : first;
            }
        }
        if (first == null || !first.isAfter(windowStart)) {
            return windowStart;
        }
        long margin = Duration.between(first, end).toMillis() * 3 / 100;
        Instant start = first.minusMillis(margin);
        return start.isBefore(windowStart) ? windowStart : start;
    }

    /** " (from 02:10)", " (until 03:40)" or " (02:10–03:40)" for a replica that lives only part of the data span. */
    private static String partialLabel(TimeSeries ts, Drawn drawn, Instant reference) {
        if (ts.isEmpty() || !drawn.hasData()) {
            return "";
        }
        Instant first = Instant.ofEpochMilli(ts.getTimePeriod(0).getFirstMillisecond());
        Instant last = Instant.ofEpochMilli(ts.getTimePeriod(ts.getItemCount() - 1).getFirstMillisecond());
        boolean lateStart = first.isAfter(drawn.dataStart().plus(PARTIAL_SLACK));
        boolean earlyEnd = last.isBefore(drawn.dataEnd().minus(PARTIAL_SLACK));
        String from = Quantities.clock(first, reference).replace(" UTC", "");
        String to = Quantities.clock(last, reference).replace(" UTC", "");
        return lateStart && earlyEnd ? " (" + from + "–" + to + ")" : lateStart ? " (from " + from + ")" : earlyEnd ? " (until " + to + ")" : "";
    }

    /** The replica with the highest peak (the first of equals). */
    private static String worstReplica(Map<String, TimeSeries> byReplica) {
        String best = null;
        double bestPeak = Double.NEGATIVE_INFINITY;
        for (Map.Entry<String, TimeSeries> e : byReplica.entrySet()) {
            double max = e.getValue().getMaxY();
            if (!Double.isNaN(max) && max > bestPeak) {
                bestPeak = max;
                best = e.getKey();
            }
        }
        return best;
    }

    /** Per sample time: the median of the replicas with a sample then, between their min and max. */
    private static YIntervalSeries band(Map<String, TimeSeries> byReplica, int replicas) {
        java.util.TreeMap<Long, List<Double>> byTime = new java.util.TreeMap<>();
        for (TimeSeries ts : byReplica.values()) {
            for (int i = 0; i < ts.getItemCount(); i++) {
                Number v = ts.getValue(i);
                if (v != null) {
                    byTime.computeIfAbsent(ts.getTimePeriod(i).getFirstMillisecond(), k -> new ArrayList<>()).add(v.doubleValue());
                }
            }
        }
        YIntervalSeries band = new YIntervalSeries("median of " + replicas + " replicas (band: min–max)");
        byTime.forEach((t, values) -> {
            values.sort(Double::compare);
            int n = values.size();
            double median = n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
            band.add(t, median, values.get(0), values.get(n - 1));
        });
        return band;
    }

    private static TimeSeries copyNamed(TimeSeries ts, String name) {
        TimeSeries copy = new TimeSeries(name);
        for (int i = 0; i < ts.getItemCount(); i++) {
            copy.add(ts.getTimePeriod(i), ts.getValue(i));
        }
        return copy;
    }

    private static Shape triangle(int size) {
        return new Polygon(new int[]{-size, size, 0}, new int[]{size, size, -size}, 3);
    }
}
