package io.oomresponder.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oomresponder.delivery.Notifier;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.intake.AlertIntake;
import io.oomresponder.intake.ScopeGuard;
import io.oomresponder.json.Json;
import io.oomresponder.note.NoteRenderer;
import io.oomresponder.simulator.Retargeting;
import io.oomresponder.simulator.ScenarioCatalog;
import io.oomresponder.simulator.SimulatedIncident;
import io.oomresponder.store.InMemoryIncidentStore;
import io.oomresponder.store.IncidentPolicy;
import io.oomresponder.store.IncidentStore;
import io.oomresponder.store.Redelivery;
import io.oomresponder.store.RedeliveryPolicy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code POST /api/replay} against someone holding only the function key: a saved bundle is checked
 * like the payload (scope, same app), delivery needs its own permission, and a replayed note pages
 * only when the request names the paging sink.
 */
class ReplayPermissionTest {

    private static final String OTHER_SUBSCRIPTION = "72780829-2923-4542-a965-0de9311509d6";

    private static SimulatedIncident leak;
    private static ScopeGuard scope;

    private final RecordingNotifier teams = new RecordingNotifier("teams");
    private final RecordingNotifier pager = new RecordingNotifier("pagerduty");
    /** Counts gathers: a replay with a saved bundle must not call Azure. */
    private final AtomicInteger gathers = new AtomicInteger();

    @BeforeAll
    static void scenario() {
        leak = ScenarioCatalog.generate("leak/classic", 11);
        scope = ScopeGuard.allowing(leak.truth().app().subscriptionId());
    }

    private Responder responder() {
        Clock clock = Clock.fixed(leak.truth().alert().firedAt().plusSeconds(600), ZoneOffset.UTC);
        IncidentStore store = new InMemoryIncidentStore(IncidentPolicy.ofDefaults(), IncidentStore.DEFAULT_CLAIM_LEASE);
        List<Notifier> sinks = List.of(teams, pager);
        return new Responder(alert -> {
            gathers.incrementAndGet();
            return leak.truth().withAlert(alert);
        }, store, new NoteRenderer(false), SinkRoutes.toAll(sinks),
                new Redelivery(store, sinks, null, RedeliveryPolicy.ofDefaults(), clock), clock, "memory", new AlertIntake(scope, clock));
    }

    private static byte[] request(EvidenceBundle evidence, boolean deliver, String... sinks) {
        ObjectNode r = Json.mapper().createObjectNode();
        r.set("payload", leak.alertPayload());
        if (evidence != null) {
            r.set("evidence", Json.mapper().valueToTree(evidence));
        }
        r.put("deliver", deliver);
        if (sinks.length > 0) {
            r.set("sinks", Json.mapper().valueToTree(List.of(sinks)));
        }
        return r.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String appIn(String subscription, String group, String name) {
        return "/subscriptions/" + subscription + "/resourceGroups/" + group + "/providers/Microsoft.App/containerApps/" + name;
    }

    @Test
    void aBundleAboutAnotherAppInScopeIsRefused() {
        EvidenceBundle other = Retargeting.retarget(leak.truth(), appIn(leak.truth().app().subscriptionId(), "rg-other", "payments-api"),
                leak.truth().alert().firedAt());
        try (Responder responder = responder()) {
            assertThatThrownBy(() -> responder.replay(request(other, false), ReplayPermission.MAY_DELIVER))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another app");
        }
    }

    @Test
    void aBundleOutsideTheAllowedSubscriptionsIsRefusedEvenWhenThePayloadIsInScope() {
        EvidenceBundle outside = Retargeting.retarget(leak.truth(), appIn(OTHER_SUBSCRIPTION, "rg-x", "image-resizer"),
                leak.truth().alert().firedAt());
        try (Responder responder = responder()) {
            assertThatThrownBy(() -> responder.replay(request(outside, true), ReplayPermission.MAY_DELIVER))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of scope");
        }
        assertThat(teams.notes).isEmpty();
    }

    @Test
    void aBundleWhoseAlertNamesAnotherAppIsRefused() {
        EvidenceBundle forged = leak.truth().withAlert(Retargeting.retarget(leak.truth(),
                appIn(OTHER_SUBSCRIPTION, "rg-x", "victim"), leak.truth().alert().firedAt()).alert());
        try (Responder responder = responder()) {
            assertThatThrownBy(() -> responder.replay(request(forged, false), ReplayPermission.MAY_DELIVER))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of scope");
        }
    }

    @Test
    void aBundleOfThePayloadsAppIsRenderedWithoutGathering() throws Exception {
        try (Responder responder = responder()) {
            JsonNode answer = Json.mapper().readTree(responder.replay(request(leak.truth(), false), ReplayPermission.DRY_RUN_ONLY));
            assertThat(answer.path("status").asText()).isEqualTo("replayed");
            assertThat(answer.path("markdown").asText()).contains(leak.truth().app().name());
        }
        assertThat(gathers).hasValue(0);
    }

    @Test
    void deliveringWithoutThePermissionIsRefusedAndSendsNothing() {
        try (Responder responder = responder()) {
            assertThatThrownBy(() -> responder.replay(request(null, true), ReplayPermission.DRY_RUN_ONLY))
                    .isInstanceOf(ReplayRefusedException.class);
        }
        assertThat(teams.notes).isEmpty();
        assertThat(pager.notes).isEmpty();
        assertThat(gathers).as("refused before any evidence is gathered").hasValue(0);
    }

    @Test
    void aDeliveredReplayNeverPagesUnlessThePagingSinkIsNamed() throws Exception {
        try (Responder responder = responder()) {
            JsonNode routed = Json.mapper().readTree(responder.replay(request(null, true), ReplayPermission.MAY_DELIVER));
            assertThat(routed.path("delivered").toString()).isEqualTo("[\"teams\"]");
            assertThat(teams.notes).hasSize(1);
            assertThat(pager.notes).as("routed to every sink, yet no page").isEmpty();

            JsonNode named = Json.mapper().readTree(responder.replay(request(null, true, "pagerduty"), ReplayPermission.MAY_DELIVER));
            assertThat(named.path("delivered").toString()).isEqualTo("[\"pagerduty\"]");
            assertThat(pager.notes).hasSize(1);
            assertThat(pager.notes.get(0).replay()).isTrue();

            assertThatThrownBy(() -> responder.replay(request(null, true, "nosuch"), ReplayPermission.MAY_DELIVER))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not configured");
        }
    }
}
