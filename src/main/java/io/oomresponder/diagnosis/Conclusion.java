package io.oomresponder.diagnosis;

import java.util.List;

/**
 * What a terminal node of the flowchart (D, G or H) concluded: its step, the verdict, the causes
 * in rank order and the confidence, plus what the advice needs from it.
 *
 * @param projection the projected next OOM (G only), or null
 * @param scale      the scale pressure the advice may use, or null
 * @param sizedTight memory sits flat near the limit without growing (D before any restart)
 */
record Conclusion(DecisionStep step, Diagnosis.Verdict verdict, List<Diagnosis.Cause> causes, double confidence,
                  OomProjection projection, ScalePressure scale, boolean sizedTight) {

    /** A confidence clamped to 0.05..0.99 and rounded to 3 decimals; NaN (nothing measured) is 0.5. */
    static double clamp(double v) {
        if (Double.isNaN(v)) {
            return 0.5;
        }
        return Math.round(Math.max(0.05, Math.min(0.99, v)) * 1000) / 1000.0;
    }
}
