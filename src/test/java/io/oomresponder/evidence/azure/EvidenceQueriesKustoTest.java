package io.oomresponder.evidence.azure;

import io.oomresponder.evidence.EvidenceWindow;
import io.oomresponder.evidence.azure.EvidenceQueries.TableFamily;
import io.oomresponder.note.LogQueries;
import io.oomresponder.simulator.azure.LogTableSchemas;
import io.oomresponder.testing.KustoAnalysis;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every query the collector can send, analysed by Microsoft's own Kusto parser
 * (npm {@code @kusto/language-service-next}, run by {@code src/test/resources/kql/analyse.js}) against
 * the documented schema of the table family it is sent to ({@link LogTableSchemas}): not one
 * diagnostic, error or warning. One node process analyses all queries (starting node is most of the cost).
 */
class EvidenceQueriesKustoTest {

    private static final List<String> APP_NAMES = List.of("orders-api", "a", "x') | union (SecretTable", "it's \\ \"quoted\"\tand\nbroken");

    private static List<List<String>> analyse(Map<String, String> tables, List<String> queries) throws Exception {
        return KustoAnalysis.diagnostics(tables, queries);
    }

    private static Map<String, String> schema(TableFamily family) {
        return family == TableFamily.RESOURCE_SPECIFIC ? LogTableSchemas.resourceSpecific() : LogTableSchemas.customLog();
    }

    private static Map<String, String> queriesFor(TableFamily family) {
        Map<String, String> q = new LinkedHashMap<>();
        for (String app : APP_NAMES) {
            q.put("system events of " + app, EvidenceQueries.systemEvents(app, family));
            q.put("console lines of " + app, EvidenceQueries.consoleAroundRestarts(app, family));
            // With the environment filter (issue 26): EnvironmentName, or EnvironmentName_s through column_ifexists.
            q.put("system events of " + app + " in its environment", EvidenceQueries.systemEvents(app, "cae-" + app, family));
            q.put("console lines of " + app + " in its environment", EvidenceQueries.consoleAroundRestarts(app, "cae-" + app, family));
        }
        return q;
    }

    @Test
    void everyQueryTheCollectorSendsHasNoDiagnosticAgainstItsTableFamily() throws Exception {
        for (TableFamily family : TableFamily.values()) {
            Map<String, String> queries = queriesFor(family);
            if (family == TableFamily.RESOURCE_SPECIFIC) {
                // The query the note hands to its reader reads the resource-specific system log.
                EvidenceWindow w = new EvidenceWindow(Instant.parse("2026-11-20T09:00:00Z"), Instant.parse("2026-11-20T10:00:00Z"), Duration.ofMinutes(1));
                for (String app : APP_NAMES) {
                    queries.put("note query of " + app, LogQueries.systemLogQuery(app, w));
                    queries.put("note query of " + app + " in its environment", LogQueries.systemLogQuery(app, "cae-" + app, w));
                }
            }
            List<List<String>> diagnostics = analyse(schema(family), List.copyOf(queries.values()));
            List<String> names = List.copyOf(queries.keySet());
            for (int i = 0; i < names.size(); i++) {
                assertThat(diagnostics.get(i)).as(family + ": " + names.get(i)).isEmpty();
            }
        }
    }

    @Test
    void aQueryForOneFamilyIsRefusedByTheOtherFamilysSchema() throws Exception {
        List<List<String>> rsAgainstCl = analyse(LogTableSchemas.customLog(),
                List.of(EvidenceQueries.systemEvents("orders-api", TableFamily.RESOURCE_SPECIFIC)));
        List<List<String>> clAgainstRs = analyse(LogTableSchemas.resourceSpecific(),
                List.of(EvidenceQueries.consoleAroundRestarts("orders-api", TableFamily.CUSTOM_LOG)));
        assertThat(rsAgainstCl.get(0)).anyMatch(d -> d.startsWith("Error"));
        assertThat(clAgainstRs.get(0)).anyMatch(d -> d.startsWith("Error"));
    }

    @Test
    void theParserCatchesAMisspeltColumn() throws Exception {
        String misspelt = EvidenceQueries.systemEvents("orders-api", TableFamily.RESOURCE_SPECIFIC).replace("ReplicaName,", "ReplicName,");
        assertThat(analyse(LogTableSchemas.resourceSpecific(), List.of(misspelt)).get(0)).anyMatch(d -> d.contains("KS142"));
    }
}
