package io.oomresponder.evidence.azure;

import io.oomresponder.SharedFiles;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.EvidenceBundleFile;
import io.oomresponder.evidence.GatheredEvidence;
import io.oomresponder.json.Json;
import io.oomresponder.pipeline.Settings;
import io.oomresponder.simulator.azure.FakeAzure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The real SDK clients against the fake Azure over HTTPS, on the shared example bundles. */
class AzureEvidenceSourceTest {

    private static EvidenceBundle leak;
    private static EvidenceBundle appError;
    private static EvidenceBundle peak;
    private static FakeAzure fake;

    @BeforeAll
    static void startFakeAzure() {
        leak = EvidenceBundleFile.read(SharedFiles.example("leak-classic.json"));
        appError = EvidenceBundleFile.read(SharedFiles.example("other-apperror.json"));
        peak = EvidenceBundleFile.read(SharedFiles.example("peak-spike.json"));
        fake = FakeAzure.start(List.of(leak, appError, peak));
    }

    @AfterAll
    static void stopFakeAzure() {
        fake.close();
    }

    private static AzureEvidenceSource source(EvidenceBundle truth, Map<String, String> extra) {
        Map<String, String> s = new HashMap<>(fake.clientSettings());
        s.put("EVIDENCE_LOOKBACK", "PT24H");
        s.put("EVIDENCE_MAX_LOOKBACK", "PT24H");
        s.put("EVIDENCE_RETRY_DELAY", "PT0.05S");
        s.putAll(extra);
        Clock clock = Clock.fixed(truth.alert().firedAt().plus(Duration.ofHours(1)), ZoneOffset.UTC);
        return AzureEvidenceSource.fromSettings(new Settings(s), clock);
    }

    @Test
    void gatheredBundleEqualsTheTruthTheSimulatorServes() {
        for (EvidenceBundle example : List.of(appError, peak, leak)) {
            EvidenceBundle truth = fake.world().app(example.app().resourceId()).orElseThrow();
            try (AzureEvidenceSource source = source(truth, Map.of())) {
                GatheredEvidence gathered = source.gatherTimed(truth.alert());
                EvidenceBundle b = gathered.bundle();

                assertThat(b.gaps()).isEmpty();
                assertThat(b.app()).isEqualTo(truth.app());
                assertThat(b.replicas()).containsExactlyInAnyOrderElementsOf(truth.replicas());
                GatheredAgainstTruth.assertMetricsMatch(truth, b);
                GatheredAgainstTruth.assertLogsMatch(truth, b);
                assertThat(SharedFiles.schemaErrors(Json.mapper().valueToTree(b))).isEmpty();
                assertThat(gathered.timings().calls()).isGreaterThanOrEqualTo(6);
            }
        }
    }
}
