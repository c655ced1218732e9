package io.oomresponder.diagnosis;

import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.EvidenceWindow;
import io.oomresponder.evidence.MetricPoint;
import io.oomresponder.evidence.MetricSeries;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Degraded copies of a bundle, the ways real evidence arrives: gaps, coarser grain, fewer metrics. */
final class BundleVariants {

    private BundleVariants() {
    }

    private static EvidenceBundle withMetrics(EvidenceBundle b, List<MetricSeries> metrics, EvidenceWindow w) {
        return new EvidenceBundle(b.schemaVersion(), b.alert(), w, b.app(), b.replicas(), metrics, b.systemLogs(), b.consoleLogs(), b.gaps());
    }

    /** Every n-th sample of every series (offset per series) becomes null. */
    static EvidenceBundle withNulls(EvidenceBundle b, int every) {
        List<MetricSeries> out = new ArrayList<>();
        int k = 0;
        for (MetricSeries s : b.metrics()) {
            List<MetricPoint> pts = new ArrayList<>();
            int off = k++ % every;
            for (int i = 0; i < s.points().size(); i++) {
                MetricPoint p = s.points().get(i);
                pts.add(i % every == off && !s.name().equals("RestartCount") ? new MetricPoint(p.time(), null) : p);
            }
            out.add(new MetricSeries(s.name(), s.aggregation(), s.unit(), s.dimensions(), pts));
        }
        return withMetrics(b, out, b.window());
    }

    /** Re-aggregated to n-times coarser grain: Maximum keeps the max, Total sums, Average averages. */
    static EvidenceBundle coarsened(EvidenceBundle b, int factor) {
        List<MetricSeries> out = new ArrayList<>();
        for (MetricSeries s : b.metrics()) {
            List<MetricPoint> pts = new ArrayList<>();
            List<MetricPoint> in = s.points();
            for (int i = 0; i < in.size(); i += factor) {
                Double agg = null;
                int n = 0;
                for (int j = i; j < Math.min(in.size(), i + factor); j++) {
                    Double v = in.get(j).value();
                    if (v == null) {
                        continue;
                    }
                    n++;
                    if (agg == null) {
                        agg = v;
                    } else if ("Maximum".equals(s.aggregation())) {
                        agg = Math.max(agg, v);
                    } else {
                        agg = agg + v;
                    }
                }
                if (agg != null && "Average".equals(s.aggregation())) {
                    agg = agg / n;
                }
                pts.add(new MetricPoint(in.get(i).time(), agg));
            }
            out.add(new MetricSeries(s.name(), s.aggregation(), s.unit(), s.dimensions(), pts));
        }
        EvidenceWindow w = new EvidenceWindow(b.window().start(), b.window().end(), Duration.ofMinutes(factor));
        return withMetrics(b, out, w);
    }

    /** WorkingSetBytes only as Average (a 3-sample moving mean of the Maximum stands in for it). */
    static EvidenceBundle onlyAverage(EvidenceBundle b) {
        List<MetricSeries> out = new ArrayList<>();
        for (MetricSeries s : b.metrics()) {
            if (!s.name().equals("WorkingSetBytes")) {
                out.add(s);
                continue;
            }
            if (!"Maximum".equals(s.aggregation())) {
                continue;
            }
            List<MetricPoint> pts = new ArrayList<>();
            List<MetricPoint> in = s.points();
            for (int i = 0; i < in.size(); i++) {
                double sum = 0;
                int n = 0;
                for (int j = Math.max(0, i - 1); j <= Math.min(in.size() - 1, i + 1); j++) {
                    if (in.get(j).value() != null) {
                        sum += in.get(j).value();
                        n++;
                    }
                }
                pts.add(new MetricPoint(in.get(i).time(), n == 0 ? null : sum / n * 0.97));
            }
            out.add(new MetricSeries(s.name(), "Average", s.unit(), s.dimensions(), pts));
        }
        return withMetrics(b, out, b.window());
    }

    /** Without one metric. */
    static EvidenceBundle without(EvidenceBundle b, String metric) {
        return withMetrics(b, b.metrics().stream().filter(s -> !s.name().equals(metric)).toList(), b.window());
    }
}
