package io.oomresponder.infra;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the offline infra validator ({@code node infra/validate.mjs}: tree-sitter Bicep parse, api-version
 * list, module params, parameters file, role table) so that {@code mvn verify} fails on a broken template.
 * The negative cases run it against a damaged copy of infra/ to prove each check can fail.
 */
class InfraValidationTest {

    private static final long VALIDATOR_TIMEOUT_SECONDS = 60;

    @TempDir
    Path temp;

    private static Path projectDir() {
        return Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    }

    private record Run(int exitCode, String output) {
    }

    private static Run validate(Path infraDir) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", projectDir().resolve("infra/validate.mjs").toString()));
        if (infraDir != null) {
            command.addAll(List.of("--infra", infraDir.toString()));
        }
        Process process = new ProcessBuilder(command).directory(projectDir().toFile()).redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(VALIDATOR_TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("validator finished").isTrue();
        return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** A copy of infra/ with one file rewritten. */
    private Path damagedCopy(String file, UnaryOperator<String> damage) throws IOException {
        Path source = projectDir().resolve("infra");
        Path copy = temp.resolve("infra");
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
        Path victim = copy.resolve(file);
        String before = Files.readString(victim);
        String after = damage.apply(before);
        assertThat(after).as("the damage changed " + file).isNotEqualTo(before);
        Files.writeString(victim, after);
        return copy;
    }

    @Test
    void committedInfraPassesEveryCheck() throws Exception {
        Run run = validate(null);
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("infra: valid").contains("10 .bicep files");
    }

    @Test
    void untouchedCopyIsValidSoTheNegativeCasesTestOnlyTheirDamage() throws Exception {
        Run run = validate(damagedCopy("README.md", s -> s + "\n"));
        assertThat(run.exitCode()).as(run.output()).isZero();
    }

    @Test
    void bicepSyntaxErrorFailsWithFileAndLine() throws Exception {
        Path copy = damagedCopy("modules/storage.bicep", s -> s.replaceFirst("  properties: \\{\\n    publicAccess: 'None'\\n  \\}\\n", "  properties: {\n    publicAccess: 'None'\n"));
        Run run = validate(copy);
        assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
        assertThat(run.output()).containsPattern("INVALID modules/storage\\.bicep:\\d+:\\d+: syntax error");
    }

    @Test
    void apiVersionMissingFromTheListFails() throws Exception {
        Path copy = damagedCopy("modules/keyvault.bicep", s -> s.replace("Microsoft.KeyVault/vaults@2023-07-01'", "Microsoft.KeyVault/vaults@2019-09-01'"));
        Run run = validate(copy);
        assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
        assertThat(run.output())
                .contains("Microsoft.KeyVault/vaults@2019-09-01 is not listed in api-versions.txt")
                .contains("Microsoft.KeyVault/vaults@2023-07-01 is listed but no template uses it");
    }

    @Test
    void misspelledModuleParamFails() throws Exception {
        Path copy = damagedCopy("main.bicep", s -> s.replace("    deploymentContainerName: deploymentContainerName\n", "    deploymentContainer: deploymentContainerName\n"));
        Run run = validate(copy);
        assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
        assertThat(run.output())
                .contains("module modules/storage.bicep has no param 'deploymentContainer'")
                .contains("module modules/storage.bicep: required param 'deploymentContainerName' is not passed");
    }

    @Test
    void parametersFileWithUnknownOrMissingParametersFails() throws Exception {
        Path copy = damagedCopy("main.parameters.json", s -> s
                .replace("\"environmentName\"", "\"environment\"")
                .replace("\"workingSetPercent\": {\n      \"value\": 90", "\"workingSetPercent\": {\n      \"value\": \"90\""));
        Run run = validate(copy);
        assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
        assertThat(run.output())
                .contains("parameter 'environment' is not declared in main.bicep")
                .contains("required parameter 'environmentName' (no default in main.bicep) is not provided")
                .contains("parameter 'workingSetPercent' is int but the value is string");
    }

    @Test
    void watchedAppWithoutWorkspaceFails() throws Exception {
        Path copy = damagedCopy("main.parameters.example.json", s -> s.replaceFirst(
                "\"workspaceResourceId\": \"[^\"]+\",\\s*\"memoryGiB\"", "\"memoryGiB\""));
        Run run = validate(copy);
        assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
        assertThat(run.output()).contains("watchedApps[0] lacks required 'workspaceResourceId' of type watchedApp");
    }

    @Test
    void roleAssignedButMissingFromTheReadmeTableFails() throws Exception {
        Path copy = damagedCopy("README.md", s -> s.replace("4633458b-17de-408a-b874-0445c86b69e6", "(removed)"));
        Run run = validate(copy);
        assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
        assertThat(run.output()).contains("role definition 4633458b-17de-408a-b874-0445c86b69e6 is assigned but missing from README.md");
    }

    @Test
    void paramWithoutDescriptionFails() throws Exception {
        Path copy = damagedCopy("modules/identity.bicep", s -> s.replace("@description('Tags for the identity.')\n", ""));
        Run run = validate(copy);
        assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
        assertThat(run.output()).containsPattern("INVALID modules/identity\\.bicep:\\d+:1: param 'tags' has no @description");
    }

    @Test
    void readmeRowNamingTheWrongRoleFails() throws Exception {
        Path copy = damagedCopy("README.md", s -> s.replace("| Monitoring Reader `43d0d8ad", "| Monitoring Contributor `43d0d8ad"));
        Run run = validate(copy);
        assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
        assertThat(run.output()).contains("the row with 43d0d8ad-25c7-4714-9337-8ba259a9fe05 does not name the role 'Monitoring Reader'");
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
    void typoInAReferenceAFunctionOrAModuleOutputFails() throws Exception {
        Path copy = damagedCopy("main.bicep", s -> s
                .replace("INCIDENT_STORE_ENDPOINT: storage.outputs.tableEndpoint", "INCIDENT_STORE_ENDPOINT: storage.outputs.tableUrl")
                .replace("toLower(a.resourceGroup)", "toLowr(a.resourceGroup)")
                .replace("subscriptionId: a.subscriptionId\n  resourceGroup: a.resourceGroup", "subscriptionId: b.subscriptionId\n  resourceGroup: a.resourceGroup"));
        Run run = validate(copy);
        assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
        assertThat(run.output())
                .contains("module modules/storage.bicep has no output 'tableUrl'")
                .contains("unknown function 'toLowr'")
                .contains("'b' is not declared");
    }
}
