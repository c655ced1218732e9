package io.oomresponder.pipeline;

import io.oomresponder.delivery.Receipt;
import io.oomresponder.diagnosis.Diagnosis;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.GatherTimings;
import io.oomresponder.note.RenderedNote;

import java.util.List;
import java.util.Objects;

/**
 * Everything one pass of the pipeline produced for an alert, for callers that show it (demo,
 * replay) rather than only deliver it.
 *
 * @param outcome     what happened, as the queue sees it
 * @param bundle      the evidence, or null when the alert was a duplicate
 * @param timings     gather timings, or null
 * @param diagnosis   the diagnosis, or null
 * @param diagnoseMs  time spent in the diagnosis
 * @param note        the note, or null when nothing was posted
 * @param receipts    sinks that took the note
 * @param parked      sinks that did not, whose note is stored for redelivery
 */
public record AlertRun(
        ResponseOutcome outcome,
        EvidenceBundle bundle,
        GatherTimings timings,
        Diagnosis diagnosis,
        long diagnoseMs,
        RenderedNote note,
        List<Receipt> receipts,
        List<String> parked) {

    public AlertRun {
        Objects.requireNonNull(outcome, "outcome");
        receipts = receipts == null ? List.of() : List.copyOf(receipts);
        parked = parked == null ? List.of() : List.copyOf(parked);
    }

    static AlertRun only(ResponseOutcome outcome) {
        return new AlertRun(outcome, null, null, null, 0, null, List.of(), List.of());
    }
}
