package io.oomresponder.evidence.azure;

import io.oomresponder.evidence.azure.EvidenceQueries.TableFamily;
import io.oomresponder.simulator.azure.KqlLiterals;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EvidenceQueriesTest {

    @Test
    void eachQueryNamesOnlyItsOwnTableFamilyAndIsBounded() {
        String rs = EvidenceQueries.systemEvents("orders-api", TableFamily.RESOURCE_SPECIFIC);
        String cl = EvidenceQueries.systemEvents("orders-api", TableFamily.CUSTOM_LOG);

        assertThat(rs).contains("ContainerAppSystemLogs\n").doesNotContain("_CL").doesNotContain("union")
                .contains("ContainerName").contains("top " + EvidenceQueries.MAX_SYSTEM_EVENTS + " by TimeGenerated desc")
                .contains("let app = 'orders-api';");
        assertThat(cl).contains("ContainerAppSystemLogs_CL").doesNotContain("ContainerAppSystemLogs\n").doesNotContain("union");
        assertBalanced(rs);
        assertBalanced(cl);
    }

    @Test
    void consoleLinesAreBoundedPerRestartAndInAll() {
        for (TableFamily family : TableFamily.values()) {
            String q = EvidenceQueries.consoleAroundRestarts("orders-api", family);
            assertThat(q).contains("rn <= " + EvidenceQueries.CONSOLE_LINES_PER_RESTART)
                    .contains("top " + EvidenceQueries.MAX_CONSOLE_LINES + " by TimeGenerated desc");
            assertThat(q.contains("_CL")).isEqualTo(family == TableFamily.CUSTOM_LOG);
            assertBalanced(q);
        }
        assertThat(EvidenceQueries.consoleAroundRestarts("a", TableFamily.RESOURCE_SPECIFIC)).contains("Replica = ContainerGroupName");
    }

    @Test
    void theDestinationNamesTheFamily() {
        assertThat(TableFamily.ofDestination("log-analytics")).isEqualTo(TableFamily.CUSTOM_LOG);
        assertThat(TableFamily.ofDestination("azure-monitor")).isEqualTo(TableFamily.RESOURCE_SPECIFIC);
        assertThat(TableFamily.ofDestination("none")).isNull();
        assertThat(TableFamily.ofDestination(null)).isNull();
    }

    @Test
    void theAppNameIsTheOnlyOutsideValueAndAppearsOnce() {
        String hostile = "x') | union (SecretTable";
        for (TableFamily family : TableFamily.values()) {
            for (String q : new String[]{EvidenceQueries.systemEvents(hostile, family), EvidenceQueries.consoleAroundRestarts(hostile, family)}) {
                KqlLiterals parsed = KqlLiterals.parse(q);
                assertThat(parsed.literals()).filteredOn(hostile::equals).hasSize(1);
                assertThat(parsed.code()).doesNotContain("SecretTable");
                assertBalanced(q);
            }
        }
    }

    /** Parentheses outside literals balance: no value opened or closed a group. */
    private static void assertBalanced(String kql) {
        String code = KqlLiterals.parse(kql).code();
        int depth = 0;
        for (char c : code.toCharArray()) {
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            assertThat(depth).isNotNegative();
        }
        assertThat(depth).isZero();
    }
}
