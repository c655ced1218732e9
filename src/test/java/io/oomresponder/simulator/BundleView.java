package io.oomresponder.simulator;

import io.oomresponder.diagnosis.RestartCountReading;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.MetricPoint;
import io.oomresponder.evidence.MetricSeries;

import java.util.ArrayList;
import java.util.List;

/** Per-replica arrays read back from a bundle, for asserting family properties. */
final class BundleView {

    final EvidenceBundle bundle;
    final long limitBytes;

    BundleView(EvidenceBundle bundle) {
        this.bundle = bundle;
        this.limitBytes = bundle.app().memoryLimitBytes();
    }

    List<String> pods() {
        return bundle.series("WorkingSetBytes").stream().filter(s -> "Maximum".equals(s.aggregation())).map(MetricSeries::podName).toList();
    }

    double[] values(String metric, String aggregation, String pod) {
        MetricSeries series = bundle.series(metric).stream()
                .filter(s -> aggregation.equals(s.aggregation()) && pod.equals(s.podName()))
                .findFirst().orElseThrow();
        double[] v = new double[series.points().size()];
        for (int i = 0; i < v.length; i++) {
            MetricPoint p = series.points().get(i);
            v[i] = p.value() == null ? Double.NaN : p.value();
        }
        return v;
    }

    double[] workingSet(String pod) {
        return values("WorkingSetBytes", "Maximum", pod);
    }

    double[] requests(String pod) {
        return values("Requests", "Total", pod);
    }

    /** Requests per minute of the whole app (missing samples count as nothing). */
    double[] totalRequests() {
        double[] total = null;
        for (String pod : pods()) {
            double[] r = requests(pod);
            if (total == null) {
                total = new double[r.length];
            }
            for (int m = 0; m < r.length; m++) {
                total[m] += Double.isNaN(r[m]) ? 0 : r[m];
            }
        }
        return total;
    }

    /** Non-null values of every Replicas series. */
    List<Double> replicaCounts() {
        return bundle.series("Replicas").stream().flatMap(s -> s.points().stream())
                .map(MetricPoint::value).filter(java.util.Objects::nonNull).toList();
    }

    /**
     * Minutes at which the pod restarted, read from its RestartCount series as the product reads it
     * (a running counter or per-bucket counts: the simulator serves both, by seed).
     */
    List<Integer> restartMinutes(String pod) {
        double[] r = RestartCountReading.restartsPerSample(values("RestartCount", "Maximum", pod));
        List<Integer> minutes = new ArrayList<>();
        for (int m = 0; m < r.length; m++) {
            for (int k = 0; k < Math.round(r[m]); k++) {
                minutes.add(m);
            }
        }
        return minutes;
    }

    /** Restarts of every pod in the window. */
    int totalRestarts() {
        return pods().stream().mapToInt(p -> restartMinutes(p).size()).sum();
    }

    long oomLogLines() {
        return bundle.systemLogs().stream().filter(e -> e.message() != null && e.message().contains("OOMKilled")).count();
    }

    double maxWorkingSetFraction() {
        double max = 0;
        for (String pod : pods()) {
            for (double v : workingSet(pod)) {
                if (!Double.isNaN(v)) {
                    max = Math.max(max, v);
                }
            }
        }
        return max / limitBytes;
    }

    /** First non-null value in [from, to), or NaN. */
    static double first(double[] v, int from, int to) {
        for (int m = Math.max(0, from); m < Math.min(v.length, to); m++) {
            if (!Double.isNaN(v[m])) {
                return v[m];
            }
        }
        return Double.NaN;
    }

    /** Last non-null value in [from, to), or NaN. */
    static double last(double[] v, int from, int to) {
        for (int m = Math.min(v.length, to) - 1; m >= Math.max(0, from); m--) {
            if (!Double.isNaN(v[m])) {
                return v[m];
            }
        }
        return Double.NaN;
    }

    /** Pearson correlation over minutes where both are present and {@code keep} is true. */
    static double correlation(List<double[]> xs, List<double[]> ys, List<boolean[]> keep) {
        double n = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
        for (int k = 0; k < xs.size(); k++) {
            double[] x = xs.get(k);
            double[] y = ys.get(k);
            for (int m = 0; m < x.length; m++) {
                if (Double.isNaN(x[m]) || Double.isNaN(y[m]) || !keep.get(k)[m]) {
                    continue;
                }
                n++;
                sx += x[m];
                sy += y[m];
                sxx += x[m] * x[m];
                syy += y[m] * y[m];
                sxy += x[m] * y[m];
            }
        }
        double cov = sxy / n - (sx / n) * (sy / n);
        double vx = sxx / n - (sx / n) * (sx / n);
        double vy = syy / n - (sy / n) * (sy / n);
        return cov / Math.sqrt(vx * vy);
    }
}
