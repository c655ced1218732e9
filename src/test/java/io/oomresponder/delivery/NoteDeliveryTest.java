package io.oomresponder.delivery;

import io.oomresponder.delivery.file.FileNotifier;
import io.oomresponder.delivery.teams.TeamsNotifier;
import io.oomresponder.note.RenderedNote;
import io.oomresponder.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NoteDeliveryTest {

    @TempDir
    Path dir;

    @Test
    void aFailingSinkIsReportedAfterItsRetriesWhileTheOthersDeliver() {
        List<Duration> slept = new ArrayList<>();
        Notifier broken = new Notifier() {
            @Override
            public String name() {
                return "teams";
            }

            @Override
            public Receipt send(RenderedNote note) {
                throw new DeliveryException("teams", DeliveryException.Reason.SERVER_ERROR, true, "sink teams answered HTTP 503");
            }
        };
        Map<String, Notifier> sinks = new LinkedHashMap<>();
        sinks.put("teams", new RetryingNotifier(broken, new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(4)), slept::add, () -> 0.5));
        sinks.put("file", new FileNotifier(new io.oomresponder.delivery.file.FileConfig(dir), System.out));
        NoteDelivery delivery = new NoteDelivery(sinks, SinkRouting.everySink(sinks.keySet()));

        DeliveryOutcome outcome = delivery.deliver(Notes.leak());

        assertThat(outcome.delivered()).extracting(Receipt::sink).containsExactly("file");
        assertThat(outcome.failed()).singleElement().satisfies(e -> {
            assertThat(e.sink()).isEqualTo("teams");
            assertThat(e.retryable()).isTrue();
            assertThat(e.getMessage()).contains("gave up after 3 attempts");
        });
        assertThat(slept).hasSize(2);
        assertThat(outcome.complete()).isFalse();
        assertThatThrownBy(outcome::throwIfFailed).isInstanceOf(DeliveryException.class);
    }

    @Test
    void sinksAreBuiltFromSettingsAndValidatedWithoutShowingSecrets() {
        Settings settings = new Settings(Map.of(
                "TEAMS_WEBHOOK_URL", "https://prod-01.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=SECRETSIG",
                "NOTE_FILE_DIR", dir.toString(),
                "DELIVERY_ROUTES", "rg:rg-apps-eus2 -> file; * -> teams,file"));
        NoteDelivery delivery = NoteDelivery.fromSettings(settings, Notes.clock(), new PrintStream(new ByteArrayOutputStream()));

        assertThat(delivery.sinkNames()).containsExactlyInAnyOrder(TeamsNotifier.NAME, FileNotifier.NAME);
        assertThat(delivery.route(Notes.leak())).containsExactly("file");
        assertThat(delivery.notifiersFor(Notes.leak())).singleElement().isInstanceOf(RetryingNotifier.class)
                .extracting(Notifier::name).isEqualTo("file");

        assertThatThrownBy(() -> NoteDelivery.fromSettings(settings.with(Map.of("TEAMS_WEBHOOK_URL", "ftp://x/?sig=SECRETSIG")), Notes.clock(), System.out))
                .hasMessageContaining("TEAMS_WEBHOOK_URL").hasMessageNotContaining("SECRETSIG");
        assertThatThrownBy(() -> NoteDelivery.fromSettings(new Settings(Map.of("JIRA_URL", "https://acme.atlassian.net")), Notes.clock(), System.out))
                .hasMessageContaining("JIRA_EMAIL");
        assertThatThrownBy(() -> NoteDelivery.fromSettings(new Settings(Map.of("SERVICENOW_URL", "https://acme.service-now.com",
                "SERVICENOW_USER", "u", "SERVICENOW_PASSWORD", "p", "SERVICENOW_RESOLVE_ON_RESOLVED", "maybe")), Notes.clock(), System.out))
                .hasMessageContaining("SERVICENOW_RESOLVE_ON_RESOLVED");
    }

    @Test
    void redeliveryToAnUnconfiguredSinkIsAPermanentFailure() {
        NoteDelivery delivery = new NoteDelivery(Map.of(), SinkRouting.everySink(List.of()));
        assertThatThrownBy(() -> delivery.deliverTo("jira", Notes.leak()))
                .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retryable()).isFalse());
    }
}
