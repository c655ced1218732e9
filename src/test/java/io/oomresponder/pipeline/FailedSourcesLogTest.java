package io.oomresponder.pipeline;

import io.oomresponder.evidence.EvidenceGap;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Not signed in: one log line per failed evidence source, not one per call (nor the SDK's ~25 ERROR lines). */
class FailedSourcesLogTest {

    @Test
    void eachFailedSourceIsOneWarnLineWithItsGapsSentence() {
        String signIn = "could not sign in to Azure: the credential could not get a token; run `az login`";
        List<EvidenceGap> gaps = List.of(
                new EvidenceGap("arm", "container app: " + signIn), new EvidenceGap("arm", "revisions: " + signIn),
                new EvidenceGap("arm", "replicas: " + signIn), new EvidenceGap("metrics", "metrics WorkingSetBytes: " + signIn),
                new EvidenceGap("metrics", "metrics Replicas: " + signIn), new EvidenceGap("logs", "workspace: workspace unknown"));
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Responder.logFailedSources("/subscriptions/s/resourceGroups/g/providers/Microsoft.App/containerApps/a", gaps);
        } finally {
            System.setErr(err);
        }
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();

        assertThat(lines).hasSize(3).allSatisfy(l -> assertThat(l).contains("WARN").contains("containerApps/a"));
        assertThat(lines.get(0)).contains("arm failed: container app, revisions, replicas: " + signIn);
        assertThat(lines.get(1)).contains("metrics failed: metrics WorkingSetBytes, metrics Replicas: " + signIn);
        assertThat(lines.get(2)).contains("logs failed: workspace: workspace unknown");
    }
}
