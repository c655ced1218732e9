package io.oomresponder.functions;

import io.oomresponder.intake.AlertSamples;
import io.oomresponder.intake.QueuedAlert;
import io.oomresponder.pipeline.ResponseOutcome;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RespondToAlertTest {

    final QueuedAlert message = QueuedAlert.of(AlertSamples.signal(), Instant.parse("2026-11-27T09:00:00Z"));

    @Test
    void queueMessageIsDeserialisedAndHandedToThePipeline() {
        List<QueuedAlert> seen = new ArrayList<>();
        RespondToAlert function = new RespondToAlert(m -> {
            seen.add(m);
            return new ResponseOutcome(ResponseOutcome.Status.DELIVERED, "posted");
        });

        function.run(message.toJson(), FunctionMocks.context());

        assertThat(seen).containsExactly(message);
    }

    @Test
    void withoutAnySinkEveryAlertIsRefusedSoItStaysQueuedInsteadOfBeingDroppedAfterItsDiagnosis() {
        List<QueuedAlert> seen = new ArrayList<>();
        RespondToAlert function = new RespondToAlert(
                () -> io.oomresponder.delivery.Sinks.noDestination(new io.oomresponder.config.Settings(java.util.Map.of())), m -> {
                    seen.add(m);
                    return new ResponseOutcome(ResponseOutcome.Status.DELIVERED, "0 sink(s) delivered");
                });

        assertThatThrownBy(() -> function.run(message.toJson(), FunctionMocks.context()))
                .hasMessageContaining("no sink is configured").hasMessageContaining("NOTE_FILE_DIR");
        assertThat(seen).isEmpty();
    }

    @Test
    void pipelineFailurePropagatesSoTheHostRetriesAndPoisons() {
        RespondToAlert function = new RespondToAlert(m -> {
            throw new IllegalStateException("Teams answered 503");
        });
        assertThatThrownBy(() -> function.run(message.toJson(), FunctionMocks.context())).hasMessage("Teams answered 503");
    }

    @Test
    void unreadableMessageFailsLoudly() {
        RespondToAlert function = new RespondToAlert(m -> new ResponseOutcome(ResponseOutcome.Status.DELIVERED, ""));
        assertThatThrownBy(() -> function.run("not json", FunctionMocks.context())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aReceiptsMessageIsRecordedAndRunsNoPipeline() {
        List<QueuedAlert> seen = new ArrayList<>();
        List<io.oomresponder.intake.IntakeReceipt> recorded = new ArrayList<>();
        RespondToAlert function = new RespondToAlert(java.util.Optional::empty, m -> {
            seen.add(m);
            return new ResponseOutcome(ResponseOutcome.Status.DELIVERED, "posted");
        }, recorded::addAll);
        io.oomresponder.intake.IntakeReceipt limited = new io.oomresponder.intake.IntakeReceipt(message.dedupeKey(), message.alert().id(),
                message.alert().targetResourceId(), io.oomresponder.intake.IntakeReceipt.RATE_LIMITED, null, Instant.parse("2026-11-27T09:00:01Z"));

        function.run(io.oomresponder.intake.IntakeReceipt.toMessage(List.of(limited)), FunctionMocks.context());

        assertThat(seen).isEmpty();
        assertThat(recorded).containsExactly(limited);
    }
}
