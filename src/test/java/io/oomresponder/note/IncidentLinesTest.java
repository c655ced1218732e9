package io.oomresponder.note;

import io.oomresponder.diagnosis.IncidentState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The "Still happening?" and "User impact" lines say what was measured, and "not measured" otherwise. */
class IncidentLinesTest {

    private static final Instant END = Instant.parse("2026-11-30T03:00:00Z");

    @Test
    void aResolvedAlertSaysSoWhereStillHappeningGoes() {
        IncidentState.Now now = new IncidentState.Now(END.minusSeconds(60), 0.41, END.minusSeconds(3600), true, 0);
        String line = IncidentLines.stillHappening(now, NoteContext.newIncident().withKind(RenderedNote.Kind.RESOLUTION)
                .withTimeToResolve(Duration.ofMinutes(95)), END);

        assertThat(line).startsWith("Resolved: the alert resolved after 1 h 35 min; at the last sample the working set is 41% of the limit");
    }

    @Test
    void stillHappeningFollowsTheLastSamplesAndNeverRoundsAcrossNinetyPercent() {
        IncidentState.Now quiet = new IncidentState.Now(END.minusSeconds(60), 0.897, END.minusSeconds(7200), true, 0);
        IncidentState.Now growing = new IncidentState.Now(END.minusSeconds(60), 0.5, END.minusSeconds(7200), true, 2);
        IncidentState.Now unknown = new IncidentState.Now(null, null, null, false, null);

        assertThat(IncidentLines.stillHappening(quiet, NoteContext.newIncident(), END))
                .startsWith("Not at the last sample: the working set is 89.7% of the limit").contains("last restart 1 h 59 min before it");
        assertThat(IncidentLines.stillHappening(growing, NoteContext.newIncident(), END)).startsWith("Yes: ").contains("2 replicas still growing");
        assertThat(IncidentLines.stillHappening(unknown, NoteContext.newIncident(), END)).startsWith("Unknown");
    }

    @Test
    void impactSaysNotMeasuredForWhatWasNotGatheredNeverZero() {
        IncidentState.Impact none = new IncidentState.Impact(null, null, 6, null, null, false);
        IncidentState.Impact noSplit = new IncidentState.Impact(null, null, 6, 120.0, 1000.0, false);
        IncidentState.Impact full = new IncidentState.Impact(0.004, 0.14, 6, 120.0, 1000.0, true);

        assertThat(IncidentLines.userImpact(none, 2)).isEqualTo("not measured (no Requests metric around the restarts)");
        assertThat(IncidentLines.userImpact(noSplit, 2)).startsWith("5xx share not measured").contains("about 120 requests (12%) fewer served");
        assertThat(IncidentLines.userImpact(full, 2)).startsWith("5xx 0.4% of requests before the first restart, 14% in the 6 min of restarts");
        assertThat(IncidentLines.userImpact(none, null)).isEqualTo("not measured (no Requests metric)");
    }
}
