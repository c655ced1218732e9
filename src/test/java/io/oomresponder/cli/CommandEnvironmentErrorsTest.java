package io.oomresponder.cli;

import io.oomresponder.SharedFiles;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.EvidenceBundleFile;
import io.oomresponder.simulator.azure.FakeAzure;
import io.oomresponder.simulator.azure.FakeEndpoint;
import io.oomresponder.simulator.azure.Fault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failures that depend on the environment (settings, a busy port, Azure refusing or unreachable),
 * each in a fresh JVM with exactly the settings given, as a person would meet them.
 */
class CommandEnvironmentErrorsTest {

    /** A JVM start and a replay on a loaded 2-core machine; generous, and only a bound against hangs. */
    private static final Duration LIMIT = Duration.ofSeconds(120);

    @TempDir
    Path home;

    private final Path leak = SharedFiles.example("leak-classic.json");

    @Test
    void serveWithABadSettingStopsBeforeItSaysItServes() {
        CliRun run = CliRun.child(Map.of("EVIDENCE_LOOKBACK", "banana"), home, LIMIT, "serve", "--port", "0")
                .failsWithOneLine(2, "setting EVIDENCE_LOOKBACK must be an ISO-8601 duration such as PT6H, was 'banana'");

        assertThat(run.err()).doesNotContain("serving on");
    }

    @Test
    void serveOnABusyPortSaysWhichPort() throws IOException {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = busy.getLocalPort();

            CliRun.child(Map.of("NOTE_FILE_DIR", "-"), home, LIMIT, "serve", "--port", String.valueOf(port))
                    .failsWithOneLine(1, "cannot listen on 127.0.0.1:" + port);
        }
    }

    @Test
    void serveWithoutAnySinkRefusesToStartUntilToldWhereNotesGo() {
        CliRun run = CliRun.child(Map.of(), home, LIMIT, "serve", "--port", "0")
                .failsWithOneLine(2, "no sink is configured, so every note would be dropped: set one of TEAMS_WEBHOOK_URL");

        assertThat(run.err()).contains("NOTE_FILE_DIR").doesNotContain("serving on");
    }

    @Test
    void deliverWithoutAnySinkIsAUsageError() {
        CliRun.child(Map.of(), home, LIMIT, "replay", "--evidence", leak.toString(), "--deliver")
                .failsWithOneLine(2, "--deliver, but no sink is configured: set one of TEAMS_WEBHOOK_URL");
    }

    @Test
    void unreadableDeliveryRoutesAreAUsageErrorNamingTheSetting() {
        CliRun.child(Map.of("DELIVERY_ROUTES", "garbage ->", "NOTE_FILE_DIR", home.resolve("notes").toString()), home, LIMIT,
                        "replay", "--evidence", leak.toString(), "--deliver")
                .failsWithOneLine(2, "setting DELIVERY_ROUTES: cannot read rule 'garbage ->'");
    }

    @Test
    void aOneShotDeliveryThatFailedDoesNotClaimItWasStored() throws IOException {
        Path file = Files.writeString(home.resolve("A_FILE"), "x");

        CliRun run = CliRun.child(Map.of("NOTE_FILE_DIR", file.resolve("notes").toString(), "DELIVERY_MAX_ATTEMPTS", "1"), home, LIMIT,
                        "replay", "--evidence", leak.toString(), "--deliver")
                .failsWithOneLine(1, "the note was not delivered to file; nothing will retry it");

        assertThat(run.out()).as("the note is still printed").contains("verdict LEAK_SUSPECTED");
        assertThat(run.err()).doesNotContain("stored for redelivery");
    }

    @Test
    void anAlertIdWhenAzureCannotBeReachedIsOneLine() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        String base = "https://127.0.0.1:" + closed;
        Map<String, String> env = Map.of("AZURE_RESOURCE_MANAGER_ENDPOINT", base + "/", "AZURE_METRICS_ENDPOINT", base,
                "AZURE_LOGS_ENDPOINT", base + "/v1", "AZURE_AUTHORITY_HOST", base + "/",
                "AZURE_SIMULATOR_CERT", "classpath:simulator/fake-azure.pem", "EVIDENCE_MAX_RETRIES", "0");

        CliRun.child(env, home, LIMIT, "replay", "--alert-id",
                        "/subscriptions/3af27f80-3f99-4221-ac28-404b162a01de/providers/Microsoft.AlertsManagement/alerts/ef192851-7a8c-fc1e-b38f-18b975c81f24")
                .failsWithOneLine(1, "cannot read the alert from Azure's Alerts Management API");
    }

    @Test
    void aReplayWhoseEveryAzureSourceRefusedTheTokenPrintsTheNoteAndFails() {
        EvidenceBundle truth = EvidenceBundleFile.read(leak);
        try (FakeAzure azure = FakeAzure.start(List.of(truth))) {
            for (FakeEndpoint e : List.of(FakeEndpoint.ARM, FakeEndpoint.METRICS, FakeEndpoint.LOGS)) {
                azure.faults().failAlways(e, Fault.status(401));
            }
            Map<String, String> env = new HashMap<>(azure.clientSettings());
            env.put("EVIDENCE_MAX_RETRIES", "0");

            CliRun run = CliRun.child(env, home, LIMIT, "replay", "--app", truth.app().resourceId(), "--at", truth.alert().firedAt().toString())
                    .failsWithOneLine(1, "no evidence came from Azure, every source failed");

            assertThat(run.failureLines().get(0)).contains("could not sign in to Azure", "run `az login`, or set AZURE_CLIENT_ID for a managed identity");
            assertThat(run.out()).as("the note names the gap").contains("could not sign in to Azure");
        }
    }
}
