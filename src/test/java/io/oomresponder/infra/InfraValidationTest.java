package io.oomresponder.infra;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the offline infra validator ({@code node infra/validate.mjs}: tree-sitter Bicep parse, api-version
 * list, module params and outputs, references, parameters file, role table) so that {@code mvn verify}
 * fails on a broken template. The negative cases validate damaged copies of infra/ to prove that each
 * check can fail; all copies go through one node process, because starting node is most of the cost.
 */
class InfraValidationTest {

    private static final long VALIDATOR_TIMEOUT_SECONDS = 120;

    /** A copy of infra/ with one file rewritten. */
    private record Damage(String file, UnaryOperator<String> rewrite) {
    }

    /** What the validator said about one directory. */
    private record Verdict(boolean valid, String output) {
    }

    private record Run(int exitCode, String output) {
    }

    private static final Map<String, Damage> SCENARIOS = new LinkedHashMap<>();

    static {
        SCENARIOS.put("harmless", new Damage("README.md", s -> s + "\n"));
        SCENARIOS.put("syntax", new Damage("modules/storage.bicep", s -> s.replaceFirst(
                "  properties: \\{\\n    publicAccess: 'None'\\n  \\}\\n", "  properties: {\n    publicAccess: 'None'\n")));
        SCENARIOS.put("apiVersion", new Damage("modules/keyvault.bicep", s -> s.replace(
                "Microsoft.KeyVault/vaults@2023-07-01'", "Microsoft.KeyVault/vaults@2019-09-01'")));
        SCENARIOS.put("moduleParam", new Damage("main.bicep", s -> s.replace(
                "    deploymentContainerName: deploymentContainerName\n", "    deploymentContainer: deploymentContainerName\n")));
        SCENARIOS.put("parametersFile", new Damage("main.parameters.json", s -> s
                .replace("\"environmentName\"", "\"environment\"")
                .replace("\"workingSetPercent\": {\n      \"value\": 90", "\"workingSetPercent\": {\n      \"value\": \"90\"")));
        SCENARIOS.put("watchedAppField", new Damage("main.parameters.example.json", s -> s.replaceFirst(
                "\"workspaceResourceId\": \"[^\"]+\",\\s*\"memoryGiB\"", "\"memoryGiB\"")));
        SCENARIOS.put("readmeMissingRole", new Damage("README.md", s -> s.replace(
                "4633458b-17de-408a-b874-0445c86b69e6", "(removed)")));
        SCENARIOS.put("readmeWrongRoleName", new Damage("README.md", s -> s.replace(
                "| Monitoring Reader `43d0d8ad", "| Monitoring Contributor `43d0d8ad")));
        SCENARIOS.put("noDescription", new Damage("modules/identity.bicep", s -> s.replace(
                "@description('Tags for the identity.')\n", "")));
        SCENARIOS.put("references", new Damage("main.bicep", s -> s
                .replace("INCIDENT_STORE_ENDPOINT: storage.outputs.tableEndpoint", "INCIDENT_STORE_ENDPOINT: storage.outputs.tableUrl")
                .replace("toLower(a.resourceGroup)", "toLowr(a.resourceGroup)")
                .replace("subscriptionId: a.subscriptionId\n  resourceGroup: a.resourceGroup",
                        "subscriptionId: b.subscriptionId\n  resourceGroup: a.resourceGroup")));
        SCENARIOS.put("unknownAppSetting", new Damage("main.bicep", s -> s.replace(
                "      INCIDENT_TABLE_PREFIX: incidentTablePrefix\n",
                "      INCIDENT_TABLE_PREFIX: incidentTablePrefix\n      TICKET_TOKEN: incidentTablePrefix\n")));
        SCENARIOS.put("unknownSecretSetting", new Damage("main.bicep", s -> s.replace(
                "  WEBHOOK_SECRET: webhookSecret\n", "  WEBHOOK_HMAC_SECRET: webhookSecret\n")));
        SCENARIOS.put("unknownPlatformSetting", new Damage("modules/functionapp.bicep", s -> s.replace(
                "  AZURE_CLIENT_ID: identityClientId\n", "  AZURE_CLIENT_ID: identityClientId\n  ALERT_QUEUE: 'alerts'\n")));
        SCENARIOS.put("noAlwaysReadyHttp", new Damage("modules/functionapp.bicep", s -> s.replace(
                "            name: 'http'\n", "            name: 'blob'\n")));
        SCENARIOS.put("alwaysReadyDefaultZero", new Damage("main.bicep", s -> s.replace(
                "param alwaysReadyHttpInstances int = 1\n", "param alwaysReadyHttpInstances int = 0\n")));
        SCENARIOS.put("restartCounterMetricAlert", new Damage("modules/app-alerts.bicep", s -> s.replace(
                "metricName: 'WorkingSetBytes'", "metricName: 'RestartCount'")));
        SCENARIOS.put("unsupportedMetricDimension", new Damage("modules/app-alerts.bicep", s -> s.replace(
                "metricName: 'WorkingSetBytes'", "metricName: 'Replicas'")));
        SCENARIOS.put("noRestartTrigger", new Damage("modules/app-alerts.bicep", s -> s.replace(
                "loadTextContent('../queries/restarts.kql')", "loadTextContent('../queries/oom-kills.kql')")));
        SCENARIOS.put("logAlertTargetsTheWorkspace", new Damage("modules/app-alerts.bicep", s -> s.replaceFirst(
                "name: '_ResourceId'", "name: 'ReplicaName'")));
        SCENARIOS.put("logAlertQueryWithoutEnvironment", new Damage("queries/oom-kills.kql", s -> s.replace(
                "ContainerAppName, EnvironmentName, RevisionName", "ContainerAppName, RevisionName").replace(
                "        EnvironmentName = tostring(column_ifexists('EnvironmentName_s', '')),\n", "")));
        SCENARIOS.put("roleAssignedAtSubscriptionScope", new Damage("modules/watched-group-reader.bicep", s -> s.replace(
                "targetScope = 'resourceGroup'", "targetScope = 'subscription'")));
        SCENARIOS.put("moduleAtSubscriptionScope", new Damage("main.bicep", s -> s.replace(
                "  scope: resourceGroup(g.subscriptionId, g.resourceGroup)", "  scope: subscription(g.subscriptionId)")));
        SCENARIOS.put("chartKeyRoleOnTheContainer", new Damage("modules/storage.bicep", s -> s.replace(
                "name: guid(account.id, principalId, storageBlobDelegatorRoleId)\n  scope: account",
                "name: guid(account.id, principalId, storageBlobDelegatorRoleId)\n  scope: chartContainer")));
        SCENARIOS.put("publicCharts", new Damage("modules/storage.bicep", s -> s.replace(
                "name: chartContainerName\n  properties: {\n    publicAccess: 'None'", "name: chartContainerName\n  properties: {\n    publicAccess: 'Blob'")));
        SCENARIOS.put("computedAppSettingName", new Damage("main.bicep", s -> s.replace(
                "toObject(givenSinkSecrets, s => s.key, s =>", "toObject(givenSinkSecrets, s => toUpper(s.key), s =>")));
    }

    @TempDir
    static Path temp;

    private static final Map<String, Verdict> VERDICTS = new LinkedHashMap<>();

    private static Path projectDir() {
        return Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    }

    private static Run validate(List<Path> infraDirs) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", projectDir().resolve("infra/validate.mjs").toString()));
        for (Path dir : infraDirs) {
            command.addAll(List.of("--infra", dir.toString()));
        }
        Process process = new ProcessBuilder(command).directory(projectDir().toFile()).redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(VALIDATOR_TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("validator finished").isTrue();
        return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static Path damagedCopy(String name, Damage damage) throws IOException {
        Path source = projectDir().resolve("infra");
        Path copy = temp.resolve(name);
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = copy.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Path victim = copy.resolve(damage.file());
        String before = Files.readString(victim);
        String after = damage.rewrite().apply(before);
        assertThat(after).as("scenario " + name + " changed " + damage.file()).isNotEqualTo(before);
        Files.writeString(victim, after);
        return copy;
    }

    @BeforeAll
    static void validateEveryDamagedCopyInOneProcess() throws Exception {
        List<Path> dirs = new ArrayList<>();
        for (Map.Entry<String, Damage> scenario : SCENARIOS.entrySet()) {
            dirs.add(damagedCopy(scenario.getKey(), scenario.getValue()));
        }
        Run run = validate(dirs);
        assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
        String[] sections = run.output().split("(?m)^== infra ");
        for (String section : sections) {
            if (section.isBlank()) {
                continue;
            }
            String dir = section.substring(0, section.indexOf('\n'));
            String name = Path.of(dir).getFileName().toString();
            VERDICTS.put(name, new Verdict(section.contains("\ninfra: valid"), section));
        }
        assertThat(VERDICTS.keySet()).containsExactlyElementsOf(SCENARIOS.keySet());
    }

    private static Verdict invalid(String scenario) {
        Verdict verdict = VERDICTS.get(scenario);
        assertThat(verdict.valid()).as(verdict.output()).isFalse();
        return verdict;
    }

    @Test
    void committedInfraPassesEveryCheck() throws Exception {
        Run run = validate(List.of());
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("infra: valid").contains("11 .bicep files");
    }

    @Test
    void copyWithAHarmlessChangeIsValidSoTheOtherCasesTestOnlyTheirDamage() {
        Verdict verdict = VERDICTS.get("harmless");
        assertThat(verdict.valid()).as(verdict.output()).isTrue();
    }

    @Test
    void chartLinksNeedTheDelegationKeyRoleOnTheAccountAndAPrivateContainer() {
        assertThat(invalid("chartKeyRoleOnTheContainer").output())
                .contains("chart links: no role with generateUserDelegationKey (e.g. Storage Blob Delegator) is assigned at the storage account scope");
        assertThat(invalid("publicCharts").output()).contains("the charts container must have publicAccess 'None'");
    }

    @Test
    void flexSiteWithoutAnAlwaysReadyHttpInstanceFails() {
        assertThat(invalid("noAlwaysReadyHttp").output())
                .containsPattern("INVALID modules/functionapp\\.bicep:\\d+:\\d+: Flex Consumption site has no scaleAndConcurrency.alwaysReady entry named 'http'");
        assertThat(invalid("alwaysReadyDefaultZero").output())
                .contains("alwaysReadyHttpInstances (passed to modules/functionapp.bicep as alwaysReadyHttpInstances) defaults to 0");
    }

    @Test
    void bicepSyntaxErrorFailsWithFileAndLine() {
        assertThat(invalid("syntax").output()).containsPattern("INVALID modules/storage\\.bicep:\\d+:\\d+: syntax error");
    }

    @Test
    void apiVersionMissingFromTheListFails() {
        assertThat(invalid("apiVersion").output())
                .contains("Microsoft.KeyVault/vaults@2019-09-01 is not listed in api-versions.txt")
                .contains("Microsoft.KeyVault/vaults@2023-07-01 is listed but no template uses it");
    }

    @Test
    void misspelledModuleParamFails() {
        assertThat(invalid("moduleParam").output())
                .contains("module modules/storage.bicep has no param 'deploymentContainer'")
                .contains("module modules/storage.bicep: required param 'deploymentContainerName' is not passed");
    }

    @Test
    void parametersFileWithUnknownOrMissingParametersFails() {
        assertThat(invalid("parametersFile").output())
                .contains("parameter 'environment' is not declared in main.bicep")
                .contains("required parameter 'environmentName' (no default in main.bicep) is not provided")
                .contains("parameter 'workingSetPercent' is int but the value is string");
    }

    @Test
    void watchedAppWithoutWorkspaceFails() {
        assertThat(invalid("watchedAppField").output())
                .contains("watchedApps[0] lacks required 'workspaceResourceId' of type watchedApp");
    }

    @Test
    void roleAssignedButMissingFromTheReadmeTableFails() {
        assertThat(invalid("readmeMissingRole").output())
                .contains("role definition 4633458b-17de-408a-b874-0445c86b69e6 is assigned but missing from README.md");
    }

    @Test
    void readmeRowNamingTheWrongRoleFails() {
        assertThat(invalid("readmeWrongRoleName").output())
                .contains("the row with 43d0d8ad-25c7-4714-9337-8ba259a9fe05 does not name the role 'Monitoring Reader'");
    }

    @Test
    void paramWithoutDescriptionFails() {
        assertThat(invalid("noDescription").output())
                .containsPattern("INVALID modules/identity\\.bicep:\\d+:1: param 'tags' has no @description");
    }

    @Test
    void typoInAReferenceAFunctionOrAModuleOutputFails() {
        assertThat(invalid("references").output())
                .contains("module modules/storage.bicep has no output 'tableUrl'")
                .contains("unknown function 'toLowr'")
                .contains("'b' is not declared");
    }

    @Test
    void appSettingTheCodeDoesNotReadFailsWherePlatformSettingsPass() {
        assertThat(invalid("unknownAppSetting").output())
                .containsPattern("INVALID main\\.bicep:\\d+:\\d+: app setting 'TICKET_TOKEN' is not read by the code")
                .doesNotContain("'INCIDENT_TABLE_PREFIX'")
                .doesNotContain("'AzureWebJobsStorage__clientId'")
                .doesNotContain("'APPLICATIONINSIGHTS_CONNECTION_STRING'");
    }

    @Test
    void secretSettingNameIsFollowedThroughToObjectAndChecked() {
        assertThat(invalid("unknownSecretSetting").output())
                .contains("app setting 'WEBHOOK_HMAC_SECRET' is not read by the code")
                .doesNotContain("'TEAMS_WEBHOOK_URL'");
    }

    @Test
    void metricAlertOnTheRestartCounterFails() {
        assertThat(invalid("restartCounterMetricAlert").output())
                .containsPattern("INVALID modules/app-alerts\\.bicep:\\d+:\\d+: metric alert on RestartCount, a running counter per replica")
                .contains("microsoft/azure-container-apps #1384");
    }

    @Test
    void metricAlertSplitByADimensionItsMetricLacksFails() {
        assertThat(invalid("unsupportedMetricDimension").output())
                .contains("metric Replicas has no dimension 'podName' (supported: revisionName)")
                .doesNotContain("running counter");
    }

    @Test
    void withoutALogAlertOnTerminationsThereIsNoRestartTriggerAndItFails() {
        assertThat(invalid("noRestartTrigger").output()).contains("no log search alert loads queries/restarts.kql");
    }

    @Test
    void logAlertWithoutTheAppDimensionsFails() {
        assertThat(invalid("logAlertTargetsTheWorkspace").output())
                .containsPattern("INVALID modules/app-alerts\\.bicep:\\d+:\\d+: log search alert does not declare the dimension '_ResourceId'");
        assertThat(invalid("logAlertQueryWithoutEnvironment").output())
                .contains("log search alert declares 'EnvironmentName' but its query does not project it");
    }

    @Test
    void roleAssignmentAtSubscriptionScopeFails() {
        assertThat(invalid("roleAssignedAtSubscriptionScope").output())
                .contains("role assignment in a subscription-scoped template")
                .contains("no template assigns Reader or Monitoring Reader at resource-group scope");
    }

    @Test
    void moduleDeployedAtSubscriptionScopeFails() {
        assertThat(invalid("moduleAtSubscriptionScope").output())
                .containsPattern("INVALID main\\.bicep:\\d+:\\d+: module deployed with scope: subscription\\(\\)");
    }

    @Test
    void settingAddedInTheFunctionAppModuleIsFollowedThroughTheLoopAndChecked() {
        assertThat(invalid("unknownPlatformSetting").output())
                .containsPattern("INVALID modules/functionapp\\.bicep:\\d+:\\d+: app setting 'ALERT_QUEUE' is not read by the code");
    }

    @Test
    void settingNameTheValidatorCannotWorkOutFails() {
        assertThat(invalid("computedAppSettingName").output())
                .contains("cannot tell which app setting names the call 'toObject(givenSinkSecrets");
    }

    @Test
    void templatesSetTheSinkSettingsUnderTheCodesNamesAndNoInventedOnes() throws Exception {
        String main = Files.readString(projectDir().resolve("infra/main.bicep"));
        assertThat(main)
                .doesNotContain("TICKET_TOKEN").doesNotContain("WEBHOOK_HMAC_SECRET").doesNotContain("ALERT_QUEUE")
                .contains("CHART_CONTAINER: storage.outputs.chartContainerName").contains("TEAMS_WEBHOOK_URL: teamsWebhookUrl").contains("OPERATOR_TEAMS_WEBHOOK_URL: operatorTeamsWebhookUrl").contains("ADO_PAT: adoPat").contains("JIRA_API_TOKEN: jiraApiToken")
                .contains("SERVICENOW_PASSWORD: serviceNowPassword").contains("PAGERDUTY_ROUTING_KEY: pagerDutyRoutingKey")
                .contains("WEBHOOK_URL: webhookUrl").contains("WEBHOOK_SECRET: webhookSecret").contains("EVENTGRID_TOPIC_KEY: eventGridTopicKey")
                .contains("@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/");
        Run run = validate(List.of());
        assertThat(run.output()).containsPattern("\\b34 app settings\\b");
    }

    @Test
    void azdProjectDeploysTheMavenBuildAsTheApiFunctionService() throws Exception {
        String yaml = Files.readString(projectDir().resolve("azure.yaml"));
        assertThat(yaml)
                .containsPattern("(?m)^services:\\n  api:\\n")
                .containsPattern("(?m)^    project: \\.$")
                .containsPattern("(?m)^    language: java$")
                .containsPattern("(?m)^    host: function$")
                .containsPattern("(?m)^  path: infra$");
        // azd stages target/azure-functions/<functionAppName>; the Function app must carry the service tag.
        assertThat(Files.readString(projectDir().resolve("pom.xml"))).contains("<functionAppName>");
        assertThat(Files.readString(projectDir().resolve("infra/modules/functionapp.bicep"))).contains("'azd-service-name': 'api'");
    }

    @Test
    void oomQueryCarriesThePlaceholdersTheAlertModuleFillsAndSplitsByResourceId() throws Exception {
        String kql = Files.readString(projectDir().resolve("infra/queries/oom-kills.kql"));
        String module = Files.readString(projectDir().resolve("infra/modules/app-alerts.bicep"));
        String code = kql.lines().filter(l -> !l.startsWith("//")).reduce("", (a, b) -> a + b + "\n");
        assertThat(code).contains("let appName = '{appName}';").contains("let appResourceId = '{appResourceId}';");
        assertThat(module).contains("'{appName}', kqlAppName").contains("'{appResourceId}', kqlAppResourceId");
        assertThat(code).contains("ContainerAppSystemLogs\n").contains("ContainerAppSystemLogs_CL").contains("| extend _ResourceId = appResourceId")
                .contains("EnvironmentName");
        assertThat(module).contains("name: '_ResourceId'").contains("name: 'ContainerAppName'").contains("name: 'EnvironmentName'")
                .doesNotContain("resourceIdColumn");
    }

    @Test
    void restartQueryCountsTerminationsOfTheOneAppNotBackOffsAndTargetsTheApp() throws Exception {
        String kql = Files.readString(projectDir().resolve("infra/queries/restarts.kql"));
        String code = kql.lines().filter(l -> !l.startsWith("//")).reduce("", (a, b) -> a + b + "\n");
        assertThat(code).contains("let appName = '{appName}';").contains("let appResourceId = '{appResourceId}';");
        assertThat(code).contains("ContainerAppSystemLogs\n").contains("ContainerAppSystemLogs_CL").contains("| extend _ResourceId = appResourceId");
        assertThat(code).contains("'ContainerTerminated'").contains("Log has 'exit code'").doesNotContainIgnoringCase("backoff");
        String module = Files.readString(projectDir().resolve("infra/modules/app-alerts.bicep"));
        assertThat(module).doesNotContain("metricName: 'RestartCount'").contains("threshold: restartCountThreshold");
    }
}
