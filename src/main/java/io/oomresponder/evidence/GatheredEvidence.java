package io.oomresponder.evidence;

import java.util.Objects;

/** A gathered bundle and what gathering it cost (the demo writes the timings into timings.json). */
public record GatheredEvidence(EvidenceBundle bundle, GatherTimings timings) {

    public GatheredEvidence {
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(timings, "timings");
    }
}
