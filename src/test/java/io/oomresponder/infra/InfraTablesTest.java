package io.oomresponder.infra;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deployment creates exactly the tables the incident store uses, and the docs name them all:
 * the store's code names each as {@code tablePrefix + "Name"}, main.bicep as
 * {@code '${incidentTablePrefix}Name'}.
 */
class InfraTablesTest {

    @Test
    void theInfraCreatesEveryTableTheStoreUsesAndTheDocsNameThem() throws IOException {
        Set<String> used = new TreeSet<>();
        try (Stream<Path> files = Files.list(Path.of("src/main/java/io/oomresponder/store"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = Pattern.compile("tablePrefix \\+ \"(\\w+)\"").matcher(Files.readString(f));
                while (m.find()) {
                    used.add(m.group(1));
                }
            }
        }
        Set<String> created = new TreeSet<>();
        Matcher m = Pattern.compile("'\\$\\{incidentTablePrefix}(\\w+)'").matcher(Files.readString(Path.of("infra/main.bicep")));
        while (m.find()) {
            created.add(m.group(1));
        }

        assertThat(used).as("tables in the store's code").hasSizeGreaterThanOrEqualTo(4);
        assertThat(created).as("tables main.bicep creates").isEqualTo(used);
        String readme = Files.readString(Path.of("README.md"));
        String infraReadme = Files.readString(Path.of("infra/README.md"));
        String deploy = Files.readString(Path.of("docs/deploy.md"));
        for (String table : used) {
            assertThat(readme).contains("`<prefix>" + table + "`");
            assertThat(infraReadme).contains("`oomresponder" + table + "`");
            assertThat(deploy).contains("`oomresponder" + table + "`");
        }
    }

    @Test
    void theInfraReadmesParameterTableIsOneTableThatListsEveryParameterOfMainBicep() throws IOException {
        java.util.List<String> lines = Files.readAllLines(Path.of("infra/README.md"));
        int header = lines.indexOf("## Parameters (`main.bicep`)");
        assertThat(header).isNotNegative();
        int first = header + 1;
        while (!lines.get(first).startsWith("|")) {
            first++;
        }
        int last = first;
        while (last < lines.size() && lines.get(last).startsWith("|")) {
            last++;
        }
        String table = String.join("\n", lines.subList(first, last));
        Matcher params = Pattern.compile("(?m)^param (\\w+) ").matcher(Files.readString(Path.of("infra/main.bicep")));
        int count = 0;
        while (params.find()) {
            count++;
            assertThat(table).as("parameter %s is a row of the one parameter table", params.group(1)).contains("`" + params.group(1) + "`");
        }
        assertThat(count).isGreaterThan(10);
    }

    @Test
    void thePrivateNetworkOptionTurnsPublicAccessOffOnStorageAndKeyVaultAndChartLinksOff() throws IOException {
        String main = Files.readString(Path.of("infra/main.bicep"));
        assertThat(main.split("publicNetworkAccess: privateNetworking \\? 'Disabled' : 'Enabled'", -1)).as("storage and keyVault").hasSize(3);
        assertThat(main).contains("module network 'modules/network.bicep' = if (privateNetworking)")
                .contains("virtualNetworkSubnetId: privateNetworking ? network.outputs.integrationSubnetId : ''")
                .contains("CHART_UPLOAD: 'false'");
        for (String module : new String[]{"infra/modules/storage.bicep", "infra/modules/keyvault.bicep"}) {
            String text = Files.readString(Path.of(module));
            assertThat(text).as(module).contains("publicNetworkAccess: publicNetworkAccess")
                    .doesNotContain("publicNetworkAccess: 'Enabled'").contains("defaultAction: publicNetworkAccess == 'Enabled' ? 'Allow' : 'Deny'");
        }
        String network = Files.readString(Path.of("infra/modules/network.bicep"));
        assertThat(network).contains("serviceName: 'Microsoft.App/environments'").contains("privatelink.vaultcore.azure.net")
                .contains("name: 'blob'").contains("name: 'queue'").contains("name: 'table'").contains("name: 'vault'");
        assertThat(Path.of("infra/main.parameters.private.example.json")).content().contains("\"privateNetworking\"");
    }
}
