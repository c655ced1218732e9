package io.oomresponder.diagnosis;

import io.oomresponder.evidence.AppConfig;
import io.oomresponder.evidence.ContainerSpec;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.ScaleSettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Projection of the next OOM, Consumption sizes, runtime detection, recommendations and findings. */
class LeakOutcomeTest {

    @Test
    void nextOomIsProjectedAtTheObservedSlopeWithARange() {
        SyntheticIncident s = SyntheticIncidents.leak();
        s.replicas = 1;
        s.memory = (r, t, age, q) -> 0.25 * SyntheticIncident.GIB + age * 0.004 * SyntheticIncident.GIB;
        EvidenceBundle b = s.bundle();
        AppTimelines app = AppTimelines.from(b);
        RestartEvents.Result rs = RestartEvents.merge(app, b.systemLogs(), b.consoleLogs(), b.app().memoryLimitBytes());
        List<MemorySegment> segs = MemorySegments.of(app.replicas().get(0), rs.byReplica().get(app.replicas().get(0).name()),
                app.grid(), b.app().memoryLimitBytes());
        MemorySegment open = segs.get(segs.size() - 1);
        double last = app.replicas().get(0).workingSetBytes()[app.grid().size() - 2];
        double minutesLeft = (SyntheticIncident.GIB - last) / (0.004 * SyntheticIncident.GIB);
        Instant expected = app.grid().time(app.grid().size() - 2).plusSeconds((long) (minutesLeft * 60));

        OomProjection p = OomProjection.of(app, List.of(open), List.of(), b.app().memoryLimitBytes());

        assertThat(p).isNotNull();
        assertThat(p.earliest()).isBeforeOrEqualTo(p.expected());
        assertThat(p.latest()).isAfterOrEqualTo(p.expected());
        assertThat(Duration.between(expected, p.expected()).abs()).isLessThan(Duration.ofMinutes(15));
    }

    @Test
    void nextConsumptionSizeIsTheNextValidPair() {
        assertThat(ConsumptionSizes.nextAbove(1L << 30, 0.5, 0)).isEqualTo(new ConsumptionSizes.Size(0.75, 1.5));
        assertThat(ConsumptionSizes.nextAbove(3L << 30, 1.5, 5.0 * (1L << 30))).isEqualTo(new ConsumptionSizes.Size(2.5, 5.0));
        assertThat(ConsumptionSizes.nextAbove(8L << 30, 4, 0)).isNull();
        assertThat(new ConsumptionSizes.Size(0.75, 1.5).memoryText()).isEqualTo("1.5Gi");
    }

    @Test
    void runtimeComesFromImageOrConsoleLines() {
        EvidenceBundle b = SyntheticIncidents.leak().bundle();
        assertThat(RuntimeKind.of(withImage(b, "myacr.azurecr.io/orders:1.0"))).isEqualTo(RuntimeKind.UNKNOWN);
        assertThat(RuntimeKind.of(withImage(b, "myacr.azurecr.io/orders-node:1.0"))).isEqualTo(RuntimeKind.NODE);
        assertThat(RuntimeKind.of(withImage(b, "mcr.microsoft.com/dotnet/aspnet:8.0"))).isEqualTo(RuntimeKind.DOTNET);
        assertThat(RuntimeKind.of(withImage(b, "eclipse-temurin:21-jre"))).isEqualTo(RuntimeKind.JVM);
        assertThat(RuntimeKind.of(withImage(b, "python:3.12-slim"))).isEqualTo(RuntimeKind.PYTHON);
        assertThat(RuntimeKind.of(withImage(b, "ghcr.io/x/api-golang:2"))).isEqualTo(RuntimeKind.GO);
    }

    @Test
    void leakRecommendationsBuyTimeNowThenGiveTheFixToTheOwningTeam() {
        Diagnosis d = new Diagnoser().diagnose(withImage(SyntheticIncidents.leak().bundle(), "eclipse-temurin:21-jre"));

        List<Recommendation> r = d.recommendations();
        // A Java image without Java metrics in the evidence: the last action turns them on (issue 31).
        assertThat(r).extracting(Recommendation::kind).containsExactly(Recommendation.Kind.NOW, Recommendation.Kind.NOW,
                Recommendation.Kind.FIX, Recommendation.Kind.FIX, Recommendation.Kind.PREVENT, Recommendation.Kind.PREVENT);
        assertThat(r.get(5).command()).isEqualTo("az containerapp update --name shop-api --resource-group rg-shop --enable-java-metrics=true");
        assertThat(r.get(0).title()).contains("mitigation");
        assertThat(r.get(0).command()).startsWith("az containerapp update --name shop-api --resource-group rg-shop --cpu ");
        // What the raise buys, at the measured growth: the OOM now, and with the new limit.
        assertThat(r.get(0).detail()).containsPattern("the next OOM is about \\d+ (min|h) after the last sample; with [0-9.]+Gi it moves to about \\d+ (min|h|days)");
        assertThat(r.get(1).command()).startsWith("az containerapp revision restart --name shop-api --resource-group rg-shop --revision ");
        assertThat(r.get(2).title()).isEqualTo("Find and fix the leak");
        assertThat(r.get(3).title()).contains("JVM");
        assertThat(r.get(3).command()).contains("jcmd 1 GC.class_histogram");
        assertThat(r.get(4).title()).startsWith("Alert");
        assertThat(r.get(4).detail()).doesNotContain("RestartCount");
    }

    @Test
    void restartsAtTheLimitWithoutOomLogAreStatedAsDisagreement() {
        SyntheticIncident s = SyntheticIncidents.leak();
        s.oomLogs = false;

        Diagnosis d = new Diagnoser().diagnose(s.bundle());

        assertThat(d.findings()).anyMatch(f -> f.contains("no OOMKilled log line"));
    }

    @Test
    void limitIsParsedFromTheArmQuantityWhenBytesAreMissing() {
        EvidenceBundle b = SyntheticIncidents.leak().bundle();
        AppConfig a = b.app();
        ContainerSpec c = a.containers().get(0);
        AppConfig n = new AppConfig(a.resourceId(), a.name(), a.resourceGroup(), a.subscriptionId(), a.latestRevision(),
                List.of(new ContainerSpec(c.name(), c.image(), c.cpu(), "1Gi", null, c.probes())), a.scale(), null, null, null, null);
        EvidenceBundle noBytes = new EvidenceBundle(1, b.alert(), b.window(), n, b.replicas(), b.metrics(), b.systemLogs(), b.consoleLogs(), b.gaps());

        Diagnosis d = new Diagnoser().diagnose(noBytes);

        assertThat(d.verdict()).isEqualTo(Diagnosis.Verdict.LEAK_SUSPECTED);
        assertThat(d.figures().memoryLimitBytes()).isEqualTo(1L << 30);
    }

    static EvidenceBundle withImage(EvidenceBundle b, String image) {
        AppConfig a = b.app();
        ContainerSpec c = a.containers().get(0);
        AppConfig n = new AppConfig(a.resourceId(), a.name(), a.resourceGroup(), a.subscriptionId(), a.latestRevision(),
                List.of(new ContainerSpec(c.name(), image, c.cpu(), c.memory(), c.memoryBytes(), c.probes())),
                a.scale() == null ? new ScaleSettings(1, 10, List.of()) : a.scale(), a.location(), a.environmentId(),
                a.workspaceId(), a.revisions());
        return new EvidenceBundle(1, b.alert(), b.window(), n, b.replicas(), b.metrics(), b.systemLogs(), b.consoleLogs(), b.gaps());
    }
}
