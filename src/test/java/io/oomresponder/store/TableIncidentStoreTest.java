package io.oomresponder.store;

import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.TableServiceClientBuilder;
import com.azure.data.tables.models.TableEntity;
import io.oomresponder.config.Settings;
import io.oomresponder.testing.AzuriteExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static io.oomresponder.store.IncidentFixtures.APP;
import static io.oomresponder.store.IncidentFixtures.T0;
import static io.oomresponder.store.IncidentFixtures.fired;
import static io.oomresponder.store.IncidentFixtures.leak;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The store contract on Azure Table storage (Azurite, real azure-data-tables client), plus the table layout. */
@ExtendWith(AzuriteExtension.class)
class TableIncidentStoreTest extends IncidentStoreContract {

    private static final AtomicInteger TABLE_SETS = new AtomicInteger();
    private static String connectionString;
    private static TableServiceClient service;
    private String prefix;

    @BeforeAll
    static void connect(AzuriteExtension.Azurite azurite) {
        connectionString = azurite.connectionString();
        service = new TableServiceClientBuilder().connectionString(connectionString).buildClient();
    }

    @Override
    protected IncidentStore newStore() {
        // Each test gets its own three tables: tests share one Azurite.
        prefix = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 8) + TABLE_SETS.incrementAndGet();
        return new TableIncidentStore(service, prefix, IncidentPolicy.ofDefaults(), IncidentStore.DEFAULT_CLAIM_LEASE);
    }

    @Override
    protected IncidentStore restartedStore() {
        // A new process: its own client, built from the settings, on the same tables.
        return TableIncidentStore.fromSettings(new Settings(Map.of(
                "INCIDENT_STORE_CONNECTION", connectionString, "INCIDENT_TABLE_PREFIX", prefix)));
    }

    @Override
    protected boolean durable() {
        return true;
    }

    @Test
    void tablesAreCreatedOnFirstUseAndReusedByTheNextInstance() {
        TableIncidentStore first = (TableIncidentStore) store;
        assertThat(first.tableNames()).containsExactly(prefix + "Deliveries", prefix + "Incidents", prefix + "Undelivered");
        assertThat(first.claim("k|Fired", T0)).isTrue();

        assertThat(service.listTables().stream().map(t -> t.getName())).contains(prefix + "Deliveries", prefix + "Incidents", prefix + "Undelivered");
        assertThat(restartedStore().claim("k|Fired", T0.plusSeconds(1))).isFalse();
    }

    @Test
    void incidentRowsAreKeyedByEncodedAppIdAndInvertedSequence() {
        IncidentDecision d = store.recordDiagnosis(fired("layout", T0), leak(3), "orders-api--v7", T0);

        List<TableEntity> rows = service.getTableClient(prefix + "Incidents").listEntities().stream().toList();
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.getPartitionKey()).isEqualTo(TableKeys.encode(APP.toLowerCase())).doesNotContain("/");
            assertThat(row.getRowKey()).isEqualTo(TableIncidentStore.rowKey(1)).hasSize(19);
            assertThat(row.getProperty("IncidentId")).isEqualTo(d.incident().id());
            assertThat(row.getProperty("Status")).isEqualTo("OPEN");
            assertThat((String) row.getProperty("Data")).contains("orders-api--v7", "LEAK_SUSPECTED");
        });
        TableEntity claim = service.getTableClient(prefix + "Deliveries").listEntities().stream().findFirst().orElse(null);
        assertThat(claim).as("recordDiagnosis alone claims nothing").isNull();
    }

    @Test
    void staleVersionOfAnUndeliveredNoteIsNotWritten() {
        var note = IncidentFixtures.note(store.recordDiagnosis(fired("stale", T0), leak(3), null, T0), fired("stale", T0));
        store.saveUndelivered(UndeliveredNote.firstFailure(note, "teams", T0, T0, "x"));
        UndeliveredNote read = store.dueForRedelivery(T0, 1).get(0);

        assertThat(store.reschedule(read.withAttempt(T0.plusSeconds(60)))).isPresent();
        assertThat(store.reschedule(read.withAttempt(T0.plusSeconds(120)))).as("read before the first change").isEmpty();
        assertThat(store.markRedelivered(read)).isFalse();
        assertThat(store.markExpired(read, "x")).isFalse();
    }

    @Test
    void unreadableStoredNoteIsSkippedAndDoesNotBlockTheOthers() {
        var good = IncidentFixtures.note(store.recordDiagnosis(fired("good", T0), leak(3), null, T0), fired("good", T0));
        store.saveUndelivered(UndeliveredNote.firstFailure(good, "teams", T0, T0, "x"));
        service.getTableClient(prefix + "Undelivered").createEntity(new TableEntity(TableIncidentStore.UNDELIVERED_PARTITION, "damaged")
                .addProperty("Status", "PENDING").addProperty("NextAttemptAt", T0.atOffset(java.time.ZoneOffset.UTC))
                .addProperty("NoteParts", 1).addProperty("Note00", new byte[] {1, 2, 3}));

        assertThat(store.dueForRedelivery(T0, 10)).singleElement()
                .satisfies(n -> assertThat(n.note().alertId()).isEqualTo(IncidentFixtures.alertId("good")));
    }

    @Test
    void storeIsChosenFromSettings() {
        assertThat(IncidentStore.fromSettings(new Settings(Map.of()))).isInstanceOf(InMemoryIncidentStore.class);
        assertThat(IncidentStore.fromSettings(new Settings(Map.of("AzureWebJobsStorage", connectionString, "INCIDENT_TABLE_PREFIX", prefix))))
                .isInstanceOf(TableIncidentStore.class)
                .satisfies(s -> assertThat(s.claim("settings|Fired", T0)).isTrue());
        assertThat(TableIncidentStore.isConfigured(new Settings(Map.of("AzureWebJobsStorage__accountName", "stoom")))).isTrue();
    }

    @Test
    void identityBasedSettingsBuildAClientForTheAccountsTableEndpoint() {
        // As infra/main.bicep sets them: the endpoint (with a trailing slash) and the user-assigned identity.
        TableServiceClient fromEndpoint = TableIncidentStore.serviceClient(new Settings(Map.of(
                "INCIDENT_STORE_ENDPOINT", "https://stoomresponder.table.core.windows.net/", "AZURE_CLIENT_ID", "00000000-0000-0000-0000-0000000000aa")));
        TableServiceClient fromAccountName = TableIncidentStore.serviceClient(new Settings(Map.of(
                "AzureWebJobsStorage__accountName", "stoomresponder", "AzureWebJobsStorage__clientId", "00000000-0000-0000-0000-0000000000aa")));

        assertThat(fromEndpoint.getTableClient("oomresponderIncidents").getTableEndpoint()).startsWith("https://stoomresponder.table.core.windows.net");
        assertThat(fromEndpoint.getAccountName()).isEqualTo("stoomresponder");
        assertThat(fromAccountName.getServiceEndpoint()).isEqualTo("https://stoomresponder.table.core.windows.net");
    }

    @Test
    void badConnectionStringIsReportedWithoutQuotingIt() {
        Settings bad = new Settings(Map.of("INCIDENT_STORE_CONNECTION", "AccountName=x;AccountKey=SECRETKEY;nonsense"));

        assertThatThrownBy(() -> TableIncidentStore.fromSettings(bad))
                .hasMessage("setting INCIDENT_STORE_CONNECTION is not a usable storage connection string")
                .hasNoCause();
    }

    @Test
    void badTablePrefixIsRejected() {
        assertThatThrownBy(() -> new TableIncidentStore(service, "1-bad", IncidentPolicy.ofDefaults(), IncidentStore.DEFAULT_CLAIM_LEASE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("table prefix");
    }
}
