package io.oomresponder.simulator;

import io.oomresponder.simulator.azure.LogTableSchemas;
import io.oomresponder.testing.KustoAnalysis;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The simulated log alert rule's query parses against its environment's table family, with Microsoft's Kusto parser. */
class AlertRuleQueriesKustoTest {

    @Test
    void eachFamilysRuleQueryHasNoDiagnostic() throws Exception {
        assertThat(KustoAnalysis.diagnostics(LogTableSchemas.resourceSpecific(), List.of(AzureAlert.OOM_QUERY)).get(0)).isEmpty();
        assertThat(KustoAnalysis.diagnostics(LogTableSchemas.customLog(), List.of(AzureAlert.OOM_QUERY_CL)).get(0)).isEmpty();
    }
}
