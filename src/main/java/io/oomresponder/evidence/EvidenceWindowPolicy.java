package io.oomresponder.evidence;

import io.oomresponder.intake.AlertSignal;
import io.oomresponder.config.Settings;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The evidence window around an alert: {@code firedAt - lookback} to {@code firedAt + 5 min},
 * capped at now, whole minutes at PT1M grain. Replays use the alert's own time; "now" only caps
 * the end. When the first pass shows a replica's memory already high and rising at the start of the
 * window (a slow leak that began earlier), the window widens once, to {@code maxLookback}.
 */
public final class EvidenceWindowPolicy {

    public static final String EVIDENCE_LOOKBACK = "EVIDENCE_LOOKBACK";
    public static final String EVIDENCE_MAX_LOOKBACK = "EVIDENCE_MAX_LOOKBACK";

    public static final Duration DEFAULT_LOOKBACK = Duration.ofHours(6);
    public static final Duration DEFAULT_MAX_LOOKBACK = Duration.ofHours(24);
    /** Evidence after the alert shows whether the restart helped. */
    public static final Duration AFTER_FIRED = Duration.ofMinutes(5);
    public static final Duration GRAIN = Duration.ofMinutes(1);

    /** A segment that starts at or above this share of the limit began before the window. */
    static final double WIDEN_FIRST_SAMPLE_FRACTION_OF_LIMIT = 0.5;
    /** ... if it then rises by at least this share of the limit before its first drop. */
    static final double WIDEN_MIN_RISE_FRACTION_OF_LIMIT = 0.1;
    /** A fall of this share of the limit between two samples is a restart, which ends the segment. */
    static final double RESTART_DROP_FRACTION_OF_LIMIT = 0.2;

    private final Duration lookback;
    private final Duration maxLookback;

    public EvidenceWindowPolicy(Duration lookback, Duration maxLookback) {
        Objects.requireNonNull(lookback, "lookback");
        Objects.requireNonNull(maxLookback, "maxLookback");
        if (lookback.isNegative() || lookback.isZero()) {
            throw new IllegalArgumentException("setting " + EVIDENCE_LOOKBACK + " must be positive, was " + lookback);
        }
        if (maxLookback.compareTo(lookback) < 0) {
            throw new IllegalArgumentException("setting " + EVIDENCE_MAX_LOOKBACK + " (" + maxLookback + ") must not be shorter than "
                    + EVIDENCE_LOOKBACK + " (" + lookback + ")");
        }
        this.lookback = lookback;
        this.maxLookback = maxLookback;
    }

    public static EvidenceWindowPolicy from(Settings settings) {
        return new EvidenceWindowPolicy(settings.duration(EVIDENCE_LOOKBACK, DEFAULT_LOOKBACK),
                settings.duration(EVIDENCE_MAX_LOOKBACK, DEFAULT_MAX_LOOKBACK));
    }

    /** The first-pass window for this alert, given the current time. */
    public EvidenceWindow initial(AlertSignal alert, Instant now) {
        return window(alert.firedAt().minus(lookback), alert, now);
    }

    /** The widened window, or empty when the lookback is already the maximum. */
    public java.util.Optional<EvidenceWindow> widened(AlertSignal alert, Instant now) {
        if (maxLookback.compareTo(lookback) <= 0) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(window(alert.firedAt().minus(maxLookback), alert, now));
    }

    private static EvidenceWindow window(Instant from, AlertSignal alert, Instant now) {
        Instant start = from.truncatedTo(ChronoUnit.MINUTES);
        Instant wanted = ceilMinute(alert.firedAt().plus(AFTER_FIRED));
        Instant end = wanted.isAfter(now) ? now : wanted;
        // An alert stamped after our clock (skew) still gets a non-empty window.
        if (!end.isAfter(start)) {
            end = ceilMinute(alert.firedAt());
        }
        return new EvidenceWindow(start, end, GRAIN);
    }

    private static Instant ceilMinute(Instant t) {
        Instant floor = t.truncatedTo(ChronoUnit.MINUTES);
        return floor.equals(t) ? t : floor.plus(GRAIN);
    }

    /**
     * Whether some replica's working set (Maximum) was already at least half the limit at its first
     * sample and rose by a tenth of the limit before its first restart: the growth began before
     * the window, so the window should widen. False when the limit is unknown.
     */
    public boolean growthBeganBeforeWindow(List<MetricSeries> workingSetMaximum, Long limitBytes) {
        if (limitBytes == null || limitBytes <= 0) {
            return false;
        }
        double limit = limitBytes;
        for (MetricSeries s : workingSetMaximum) {
            List<Double> segment = firstSegment(s, limit);
            if (segment.size() < 2) {
                continue;
            }
            double first = segment.get(0);
            double peak = segment.stream().mapToDouble(Double::doubleValue).max().orElse(first);
            if (first >= WIDEN_FIRST_SAMPLE_FRACTION_OF_LIMIT * limit && peak - first >= WIDEN_MIN_RISE_FRACTION_OF_LIMIT * limit) {
                return true;
            }
        }
        return false;
    }

    /** The non-null samples from the first one up to (not including) the first big drop. */
    private static List<Double> firstSegment(MetricSeries s, double limit) {
        List<Double> out = new ArrayList<>();
        for (MetricPoint p : s.points()) {
            if (p.value() == null) {
                continue;
            }
            if (!out.isEmpty() && out.get(out.size() - 1) - p.value() >= RESTART_DROP_FRACTION_OF_LIMIT * limit) {
                break;
            }
            out.add(p.value());
        }
        return out;
    }
}
