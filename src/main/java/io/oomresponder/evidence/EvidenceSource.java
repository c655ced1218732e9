package io.oomresponder.evidence;

import io.oomresponder.intake.AlertSignal;

/**
 * Where evidence for an alert comes from: Azure (live) or a saved bundle (replay, diagnose).
 * A source never throws for a failed sub-source; it records a gap instead.
 */
public interface EvidenceSource {

    /** Gathers the evidence around the alert. */
    EvidenceBundle gather(AlertSignal alert);

    /**
     * Finds the container app of an alert that names it only by name ({@link io.oomresponder.intake.AppByName}).
     * Only a source that reads Azure can; the others say so.
     */
    default AppResolution resolveApp(AlertSignal alert) {
        return AppResolution.unresolved("this evidence source cannot look up container apps in Azure (a saved bundle names its app itself)", java.util.List.of());
    }

    /** Gathers the evidence and says what it cost; sources that call Azure count their calls. */
    default GatheredEvidence gatherTimed(AlertSignal alert) {
        long t0 = System.nanoTime();
        EvidenceBundle bundle = gather(alert);
        return new GatheredEvidence(bundle, GatherTimings.none((System.nanoTime() - t0) / 1_000_000));
    }
}
