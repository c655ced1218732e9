package io.oomresponder.simulator;

import io.oomresponder.diagnosis.Diagnosis;

import java.util.Objects;

/**
 * The answer a scenario was built to have: the verdict an experienced SRE would give and the
 * leading cause ({@code null} when the verdict has none, e.g. a healthy app or missing evidence).
 */
public record Label(Diagnosis.Verdict verdict, Diagnosis.Cause cause) {

    public Label {
        Objects.requireNonNull(verdict, "verdict");
    }
}
