package io.oomresponder.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alert storm of {@code bench storm} in reduced size (100 alerts for 10 apps instead of 500 for
 * 50), through serve's HTTP route, queue and the real pipeline against the fake Azure.
 */
public class AlertStormTest {

    private static final int APPS = 10;
    private static final int ALERTS_PER_APP = 10;

    @Test
    void aStormGathersOncePerAppOpensOneIncidentPerAppAndAccountsForEveryAlert() throws Exception {
        AlertStorm.Report r = AlertStorm.run(APPS, ALERTS_PER_APP, 9100, 2, Duration.ofMinutes(2));
        System.out.print(r.render());

        assertThat(r.finished()).isTrue();
        assertThat(r.accepted()).isEqualTo(APPS * ALERTS_PER_APP);
        // Every alert is accounted for: a note, a duplicate or absorbed by its app's incident.
        assertThat(r.accountedFor()).isEqualTo(APPS * ALERTS_PER_APP);
        assertThat(r.poisoned()).isZero();
        assertThat(r.duplicate()).isEqualTo(APPS);
        // Evidence once per app per window: the coalescing counter and the fake Azure's own log agree.
        assertThat(r.gathers()).isEqualTo(APPS);
        assertThat(r.appGets()).hasSize(APPS).allSatisfy((app, gets) -> assertThat(gets).as(app).isEqualTo(1L));
        assertThat(r.sharedGathers()).isEqualTo((long) APPS * (ALERTS_PER_APP - 2));
        // One incident and one note per app.
        assertThat(r.incidentsPerApp()).hasSize(APPS).allSatisfy((app, n) -> assertThat(n).as(app).isEqualTo(1));
        assertThat(r.notesPerApp()).hasSize(APPS).allSatisfy((app, n) -> assertThat(n).as(app).isEqualTo(1L));
        assertThat(r.delivered()).isEqualTo(APPS);
    }
}
