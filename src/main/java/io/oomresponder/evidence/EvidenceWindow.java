package io.oomresponder.evidence;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** The span and grain of the evidence: {@code start}, {@code end} (UTC) and {@code grain} (e.g. PT1M). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EvidenceWindow(Instant start, Instant end, Duration grain) {

    public EvidenceWindow {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("window end " + end + " is before its start " + start);
        }
        grain = grain == null ? Duration.ofMinutes(1) : grain;
    }

    public Duration length() {
        return Duration.between(start, end);
    }
}
