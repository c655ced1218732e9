package io.oomresponder.evidence.azure;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.identity.CredentialUnavailableException;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.EvidenceGap;
import io.oomresponder.config.Settings;
import io.oomresponder.simulator.azure.FakeAzure;
import io.oomresponder.simulator.azure.FakeEndpoint;
import io.oomresponder.simulator.azure.Fault;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

/** A failed sign-in or a refused read is its own gap, worded with what to do, through the real SDK clients. */
class AzureSignInTest {

    private static EvidenceBundle truth;
    private static FakeAzure fake;
    private static AzureEvidenceSource source;

    @BeforeAll
    static void start() {
        truth = TruthBundles.detailed("orders-api", "orders-api--r2x9", "orders-api--r2x9-a", "orders-api--r2x9-b");
        fake = FakeAzure.start(List.of(truth));
        Map<String, String> settings = new HashMap<>(fake.clientSettings());
        settings.put("EVIDENCE_LOOKBACK", "PT10M");
        settings.put("EVIDENCE_MAX_LOOKBACK", "PT10M");
        settings.put("EVIDENCE_MAX_RETRIES", "1");
        settings.put("EVIDENCE_RETRY_DELAY", "PT0.05S");
        settings.put("EVIDENCE_SOURCE_TIMEOUT", "PT60S");
        source = AzureEvidenceSource.fromSettings(new Settings(settings), Clock.fixed(Instant.parse("2026-11-20T12:00:00Z"), ZoneOffset.UTC));
    }

    @AfterAll
    static void stop() {
        source.close();
        fake.close();
    }

    @BeforeEach
    void reset() {
        fake.faults().clear();
    }

    @Test
    void aRefusedTokenOnEverySourceIsASignInGapWithTheHintAndNothingElseIsGathered() {
        for (FakeEndpoint e : List.of(FakeEndpoint.ARM, FakeEndpoint.METRICS, FakeEndpoint.LOGS)) {
            fake.faults().failAlways(e, Fault.status(401));
        }

        EvidenceBundle b = source.gather(truth.alert());

        assertThat(b.gaps()).extracting(EvidenceGap::source).contains("arm", "metrics");
        List<String> signIn = b.gaps().stream().map(EvidenceGap::detail).filter(AzureSignIn::isSignInGap).toList();
        assertThat(signIn).isNotEmpty().allSatisfy(d -> assertThat(d)
                .contains("could not sign in to Azure: Azure refused the token (HTTP 401")
                .contains("run `az login`, or set AZURE_CLIENT_ID for a managed identity"));
        assertThat(b.metrics()).isEmpty();
        assertThat(b.replicas()).isEmpty();
        assertThat(b.app().containers()).isEmpty();
    }

    @Test
    void forbiddenMetricsNameTheMissingRoleAndLeaveTheRestGathered() {
        fake.faults().failAlways(FakeEndpoint.METRICS, Fault.status(403));

        EvidenceBundle b = source.gather(truth.alert());

        assertThat(b.gaps()).extracting(EvidenceGap::source).containsOnly("metrics");
        assertThat(b.gaps()).extracting(EvidenceGap::detail).allSatisfy(d -> assertThat(d)
                .contains("not authorized to read from Azure (HTTP 403")
                .contains("Monitoring Reader"));
        assertThat(b.replicas()).hasSize(2);
    }

    @Test
    void aCredentialThatCannotSignInIsNamedWithTheHint() {
        var unavailable = new CompletionException(new CredentialUnavailableException("EnvironmentCredential authentication unavailable."));
        var failed = new ClientAuthenticationException("DefaultAzureCredential authentication failed. ---> https://login.example/secret", null);

        assertThat(AzureSignIn.failure(unavailable, "arm")).hasValueSatisfying(d -> assertThat(d)
                .startsWith("could not sign in to Azure: no credential available")
                .endsWith("run `az login`, or set AZURE_CLIENT_ID for a managed identity"));
        assertThat(AzureSignIn.failure(failed, "logs")).hasValueSatisfying(d -> assertThat(d)
                .startsWith("could not sign in to Azure: the credential could not get a token")
                .doesNotContain("https://", "secret"));
    }

    @Test
    void otherFailuresAreNotSignInFailures() {
        assertThat(AzureSignIn.failure(new UncheckedIOException(new java.io.IOException(new ConnectException("refused"))), "arm")).isEmpty();
        assertThat(AzureSignIn.failure(new IllegalStateException("boom"), "metrics")).isEmpty();
        assertThat(AzureSignIn.isSignInGap("metrics batch: HTTP 500")).isFalse();
    }
}
