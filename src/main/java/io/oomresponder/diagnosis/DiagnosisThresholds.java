package io.oomresponder.diagnosis;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;

/**
 * The thresholds of the diagnosis whose value is a choice rather than a source or a physical
 * argument (docs/diagnosis.md, "Named constants and why"), given to {@link Diagnoser} explicitly so
 * that {@code bench sensitivity} can measure how much the verdict hinges on each without global
 * state. Each value is declared, documented and used by the node type that decides with it; the
 * production path uses {@link #DEFAULTS}, which are those declared values.
 *
 * @param minWorkingSetSamples      {@link WorkingSetNode#MIN_WORKING_SET_SAMPLES}
 * @param sustainedNearLimitMinutes {@link GrowthTowardLimitNode#SUSTAINED_NEAR_LIMIT_MINUTES}
 * @param earlyNearLimit            {@link GrowthTowardLimitNode#EARLY_NEAR_LIMIT}
 * @param sizedTightLevel           {@link OtherCauseNode#SIZED_TIGHT_LEVEL}
 * @param minRiseToLimit            {@link GrowthPattern#MIN_RISE_TO_LIMIT}
 * @param minRiseToLimitOpen        {@link GrowthPattern#MIN_RISE_TO_LIMIT_OPEN}
 * @param segmentEndNearLimit       {@link GrowthPattern#SEGMENT_END_NEAR_LIMIT_FRACTION}
 * @param minPartialTimeRho         {@link GrowthPattern#MIN_PARTIAL_TIME_RHO}
 * @param minTrafficRise            {@link GrowthPattern#MIN_TRAFFIC_RISE}
 * @param followsTrafficRho         {@link GrowthVsTrafficNode#FOLLOWS_TRAFFIC_RHO}
 * @param backlogRho                {@link LeakOrBufferNode#BACKLOG_RHO}
 * @param minPinnedShare            {@link ScalePressure#MIN_PINNED_SHARE}
 * @param minLoadTrendRho           {@link ScalePressure#MIN_LOAD_TREND_RHO}
 * @param minLoadRise               {@link ScalePressure#MIN_LOAD_RISE}
 * @param minSpikes                 {@link PeriodicSpikes#MIN_SPIKES}
 * @param maxIntervalVariation      {@link PeriodicSpikes#MAX_INTERVAL_VARIATION}
 * @param maxDutyShare              {@link PeriodicSpikes#MAX_DUTY_SHARE}
 * @param minBaselineShare          {@link PeriodicSpikes#MIN_BASELINE_SHARE}
 * @param minSpikeHeightToLimit     {@link PeriodicSpikes#MIN_SPIKE_HEIGHT_TO_LIMIT}
 */
public record DiagnosisThresholds(int minWorkingSetSamples, int sustainedNearLimitMinutes, double earlyNearLimit, double sizedTightLevel,
                                  double minRiseToLimit, double minRiseToLimitOpen, double segmentEndNearLimit, double minPartialTimeRho,
                                  double minTrafficRise, double followsTrafficRho, double backlogRho, double minPinnedShare,
                                  double minLoadTrendRho, double minLoadRise, int minSpikes, double maxIntervalVariation,
                                  double maxDutyShare, double minBaselineShare, double minSpikeHeightToLimit) {

    /** The documented values, declared by the node types. */
    public static final DiagnosisThresholds DEFAULTS = new DiagnosisThresholds(WorkingSetNode.MIN_WORKING_SET_SAMPLES,
            GrowthTowardLimitNode.SUSTAINED_NEAR_LIMIT_MINUTES, GrowthTowardLimitNode.EARLY_NEAR_LIMIT, OtherCauseNode.SIZED_TIGHT_LEVEL,
            GrowthPattern.MIN_RISE_TO_LIMIT, GrowthPattern.MIN_RISE_TO_LIMIT_OPEN, GrowthPattern.SEGMENT_END_NEAR_LIMIT_FRACTION,
            GrowthPattern.MIN_PARTIAL_TIME_RHO, GrowthPattern.MIN_TRAFFIC_RISE, GrowthVsTrafficNode.FOLLOWS_TRAFFIC_RHO,
            LeakOrBufferNode.BACKLOG_RHO, ScalePressure.MIN_PINNED_SHARE, ScalePressure.MIN_LOAD_TREND_RHO, ScalePressure.MIN_LOAD_RISE,
            PeriodicSpikes.MIN_SPIKES, PeriodicSpikes.MAX_INTERVAL_VARIATION, PeriodicSpikes.MAX_DUTY_SHARE,
            PeriodicSpikes.MIN_BASELINE_SHARE, PeriodicSpikes.MIN_SPIKE_HEIGHT_TO_LIMIT);

    /** Every threshold is a positive count, duration, share or correlation. */
    public DiagnosisThresholds {
        double[] all = {minWorkingSetSamples, sustainedNearLimitMinutes, earlyNearLimit, sizedTightLevel, minRiseToLimit,
                minRiseToLimitOpen, segmentEndNearLimit, minPartialTimeRho, minTrafficRise, followsTrafficRho, backlogRho,
                minPinnedShare, minLoadTrendRho, minLoadRise, minSpikes, maxIntervalVariation, maxDutyShare, minBaselineShare,
                minSpikeHeightToLimit};
        for (double v : all) {
            if (!(v > 0)) {
                throw new IllegalArgumentException("diagnosis thresholds must be positive: " + v);
            }
        }
    }

    /**
     * These thresholds with one of them, named by its record component, set to {@code value} (a
     * count is rounded to an int): how {@code bench sensitivity} moves one threshold at a time.
     *
     * @throws IllegalArgumentException when no component has that name
     */
    public DiagnosisThresholds with(String component, Number value) {
        RecordComponent[] all = DiagnosisThresholds.class.getRecordComponents();
        Object[] args = new Object[all.length];
        Class<?>[] types = new Class<?>[all.length];
        boolean found = false;
        try {
            for (int i = 0; i < all.length; i++) {
                types[i] = all[i].getType();
                boolean named = all[i].getName().equals(component);
                found |= named;
                args[i] = !named ? all[i].getAccessor().invoke(this)
                        : types[i] == int.class ? (Object) (int) Math.round(value.doubleValue()) : (Object) value.doubleValue();
            }
            if (!found) {
                throw new IllegalArgumentException("no diagnosis threshold named " + component);
            }
            return DiagnosisThresholds.class.getDeclaredConstructor(types).newInstance(args);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
