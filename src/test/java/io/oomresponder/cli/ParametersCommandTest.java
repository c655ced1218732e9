package io.oomresponder.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.oomresponder.config.Settings;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.json.Json;
import io.oomresponder.simulator.PlacedApps;
import io.oomresponder.simulator.azure.EnvironmentLogs;
import io.oomresponder.simulator.azure.FakeAzure;
import io.oomresponder.simulator.azure.FakeEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code parameters} against the simulator's ARM: the apps of a scope over several pages, two
 * environments (one sending logs to Azure Monitor through a diagnostic setting, one to Log Analytics
 * naming only the workspace's customer id), and the file it writes passes the infra validator.
 */
class ParametersCommandTest {

    private static final String SUB = "11111111-2222-3333-4444-555555555555";
    /** An environment of each log destination (the simulator's default follows the name). */
    private static final String MONITOR_ENV = envName(true);
    private static final String ANALYTICS_ENV = envName(false);

    private FakeAzure fake;
    private final Map<String, EvidenceBundle> truths = new HashMap<>();

    @TempDir
    Path tmp;

    private static String envName(boolean azureMonitor) {
        return IntStream.range(0, 100).mapToObj(i -> "cae-" + i).filter(n -> EnvironmentLogs.azureMonitorByDefault(n) == azureMonitor)
                .findFirst().orElseThrow();
    }

    @BeforeEach
    void start() {
        List<EvidenceBundle> apps = new ArrayList<>();
        String monitor = PlacedApps.environment(SUB, "rg-platform", MONITOR_ENV);
        String analytics = PlacedApps.environment(SUB, "rg-platform", ANALYTICS_ENV);
        String[] scenarios = {"leak/classic", "peak/spike", "leak/sidecar", "healthy", "startup/heavy"};
        for (int i = 0; i < scenarios.length; i++) {
            String name = "app-" + i;
            EvidenceBundle placed = PlacedApps.place(scenarios[i], 7, SUB, i < 3 ? "rg-one" : "rg-two", name, i % 2 == 0 ? monitor : analytics);
            truths.put(name, placed);
            apps.add(placed);
        }
        fake = FakeAzure.start(apps);
        fake.setContainerAppListPageSize(2);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private record Result(int exit, String err) {
    }

    private Result run(String... args) {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int exit = new CommandLine(new ParametersCommand(new Settings(fake.clientSettings()))).setExecutionExceptionHandler(Main::oneLineFailure).execute(args);
            return new Result(exit, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(err);
        }
    }

    @Test
    void everyAppOfTheScopeOverEveryPageGetsItsEnvironmentsWorkspaceAndItsMemoryLimit() throws Exception {
        Path out = tmp.resolve("watched.json");

        Result r = run("--scope", "/subscriptions/" + SUB, "--out", out.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode watched = Json.mapper().readTree(out.toFile()).at("/parameters/watchedApps/value");
        assertThat(watched).hasSize(5);
        assertThat(fake.requests(FakeEndpoint.ARM).stream().filter(q -> q.rawPath().endsWith("/containerApps")).count())
                .as("5 apps at 2 a page: 3 pages").isEqualTo(3);
        String monitorWorkspace = fake.world().environmentLogs(PlacedApps.environment(SUB, "rg-platform", MONITOR_ENV)).settings().get(0).workspaceResourceId();
        for (JsonNode e : watched) {
            EvidenceBundle truth = truths.get(e.path("name").asText());
            assertThat(truth).as(e.toString()).isNotNull();
            assertThat(e.path("resourceGroup").asText()).isEqualTo(truth.app().resourceGroup());
            assertThat(e.path("subscriptionId").asText()).isEqualTo(SUB);
            assertThat(e.path("environmentResourceGroup").asText()).isEqualTo("rg-platform");
            assertThat(e.path("memoryMiB").asLong() * 1024 * 1024).isEqualTo(truth.app().replicaMemoryLimitBytes());
            assertThat(e.path("memoryMetric").asText()).isEqualTo("MemoryPercentage");
            boolean viaMonitor = truth.app().environmentId().endsWith("/" + MONITOR_ENV);
            assertThat(e.path("workspaceResourceId").asText()).as(e.path("name").asText())
                    .isEqualToIgnoringCase(viaMonitor ? monitorWorkspace
                            : EnvironmentLogs.defaultWorkspaceResourceId(truth.app().environmentId()));
        }
        assertThat(r.err()).contains("5 container app(s)").contains("5 app(s) written");
    }

    @Test
    void anExistingParametersFileKeepsEverythingButWatchedAppsAndStillPassesTheInfraValidator() throws Exception {
        Path infra = tmp.resolve("infra");
        Path source = Path.of("infra");
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = infra.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Path params = infra.resolve("main.parameters.example.json");
        JsonNode before = Json.mapper().readTree(params.toFile());

        Result r = run("--scope", "/subscriptions/" + SUB + "/resourceGroups/rg-two", "--memory-metric", "WorkingSetBytes", "--out", params.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode after = Json.mapper().readTree(params.toFile());
        assertThat(after.at("/parameters/watchedApps/value")).extracting(n -> n.path("name").asText()).containsExactly("app-3", "app-4");
        assertThat(after.at("/parameters/watchedApps/value")).allSatisfy(n -> assertThat(n.path("memoryMetric").asText()).isEqualTo("WorkingSetBytes"));
        before.path("parameters").fieldNames().forEachRemaining(name -> {
            if (!name.equals("watchedApps")) {
                assertThat(after.path("parameters").path(name)).as(name).isEqualTo(before.path("parameters").path(name));
            }
        });
        Process node = new ProcessBuilder("node", Path.of("infra/validate.mjs").toAbsolutePath().toString(), "--infra", infra.toString())
                .redirectErrorStream(true).start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue()).as(output).isZero();
    }

    @Test
    void anAppWhoseWorkspaceCannotBeFoundIsSkippedWithTheReasonAndTheOthersAreWritten() throws Exception {
        String analytics = PlacedApps.environment(SUB, "rg-platform", ANALYTICS_ENV);
        // The Log Analytics environment's workspace lives in a subscription the list does not show.
        fake.world().setEnvironmentLogs(analytics, new EnvironmentLogs(EnvironmentLogs.AZURE_MONITOR, List.of()));
        Path out = tmp.resolve("w.json");

        Result r = run("--scope", "/subscriptions/" + SUB, "--out", out.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Json.mapper().readTree(out.toFile()).at("/parameters/watchedApps/value")).extracting(n -> n.path("name").asText())
                .containsExactly("app-0", "app-2", "app-4");
        assertThat(r.err()).contains("[skipped  ] app-1 (rg-one): environment " + ANALYTICS_ENV
                + " sends its logs to Azure Monitor, but no diagnostic setting sends ContainerAppSystemLogs to a workspace");
    }

    @Test
    void aScopeThatIsNotOneAndAnUnknownAppAreUsageErrors() {
        Result notAScope = run("--scope", "/subscriptions/nope");
        assertThat(notAScope.exit()).isEqualTo(2);
        assertThat(notAScope.err()).contains("oom-responder parameters: --scope /subscriptions/nope is not /subscriptions/<guid>[/resourceGroups/<name>]");
        Result unknown = run("--scope", "/subscriptions/" + SUB, "--app", "app-9");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("--app app-9: no such container app");
    }
}
