package io.oomresponder.simulator;

import io.oomresponder.evidence.EvidenceBundle;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetargetingTest {

    @Test
    void movesTheIncidentToAnotherAppAndTimeKeepingItsShape() {
        EvidenceBundle truth = ScenarioCatalog.generate("leak/classic", 3).truth();
        String app = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-x/providers/Microsoft.App/containerApps/orders";
        Instant firedAt = Instant.parse("2025-01-15T10:00:00Z");

        EvidenceBundle moved = Retargeting.retarget(truth, app, firedAt);

        Duration shift = Duration.between(truth.alert().firedAt(), firedAt);
        assertThat(moved.app().name()).isEqualTo("orders");
        assertThat(moved.app().resourceGroup()).isEqualTo("rg-x");
        assertThat(moved.alert().targetResourceId()).isEqualTo(app);
        assertThat(moved.window().start()).isEqualTo(truth.window().start().plus(shift));
        assertThat(moved.metrics().get(0).points().get(5).time()).isEqualTo(truth.metrics().get(0).points().get(5).time().plusSeconds(shift.getSeconds()));
        assertThat(moved.metrics().get(0).points().get(5).value()).isEqualTo(truth.metrics().get(0).points().get(5).value());
        assertThat(moved.systemLogs()).hasSameSizeAs(truth.systemLogs());
    }

    @Test
    void refusesSomethingThatIsNotAContainerAppId() {
        EvidenceBundle truth = ScenarioCatalog.generate("healthy", 3).truth();
        assertThatThrownBy(() -> Retargeting.retarget(truth, "/subscriptions/x", Instant.now()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
