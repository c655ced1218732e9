package io.oomresponder.evidence.azure;

import io.oomresponder.simulator.azure.KqlLiterals;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EvidenceQueriesTest {

    @Test
    void systemEventsReadBothTableFamiliesAndAreBounded() {
        String q = EvidenceQueries.systemEvents("orders-api");

        assertThat(q).contains("union isfuzzy=true").contains("ContainerAppSystemLogs\n").contains("ContainerAppSystemLogs_CL")
                .contains("top " + EvidenceQueries.MAX_SYSTEM_EVENTS + " by TimeGenerated desc").contains("let app = 'orders-api';");
        assertBalanced(q);
    }

    @Test
    void consoleLinesAreBoundedPerRestartAndInAll() {
        String q = EvidenceQueries.consoleAroundRestarts("orders-api");

        assertThat(q).contains("ContainerAppConsoleLogs\n").contains("ContainerAppConsoleLogs_CL").contains("union isfuzzy=true")
                .contains("rn <= " + EvidenceQueries.CONSOLE_LINES_PER_RESTART)
                .contains("top " + EvidenceQueries.MAX_CONSOLE_LINES + " by TimeGenerated desc")
                .contains("Replica = ContainerGroupName");
        assertBalanced(q);
    }

    @Test
    void theAppNameIsTheOnlyOutsideValueAndAppearsOnce() {
        String hostile = "x') | union (SecretTable";
        for (String q : new String[]{EvidenceQueries.systemEvents(hostile), EvidenceQueries.consoleAroundRestarts(hostile)}) {
            KqlLiterals parsed = KqlLiterals.parse(q);
            assertThat(parsed.literals()).filteredOn(hostile::equals).hasSize(1);
            assertThat(parsed.code()).doesNotContain("SecretTable");
            assertBalanced(q);
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
