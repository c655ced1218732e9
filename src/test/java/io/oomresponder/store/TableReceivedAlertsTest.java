package io.oomresponder.store;

import com.azure.data.tables.TableServiceClientBuilder;
import io.oomresponder.testing.AzuriteExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The receipts table against Azurite, and the in-memory one, read back by time as the reconcile reads them. */
@ExtendWith(AzuriteExtension.class)
class TableReceivedAlertsTest {

    static final Instant T = Instant.parse("2026-11-30T17:55:00Z");

    static void recordThreeAcrossAnHourBoundary(ReceivedAlerts r) {
        r.record(new ReceivedAlert("/subscriptions/s/providers/Microsoft.AlertsManagement/alerts/1|Fired", "a1", "/app/one", T.minusSeconds(7200)));
        r.record(new ReceivedAlert("/subscriptions/s/providers/Microsoft.AlertsManagement/alerts/2|Fired", "a2", "/app/one", T));
        r.record(new ReceivedAlert("/subscriptions/s/providers/Microsoft.AlertsManagement/alerts/3|Fired", "a3", "/app/two", T.plusSeconds(600)));
        // A redelivery of the same message: the first record stands, nothing is thrown.
        r.record(new ReceivedAlert("/subscriptions/s/providers/Microsoft.AlertsManagement/alerts/3|Fired", "a3", "/app/two", T.plusSeconds(660)));
    }

    @Test
    void theSweepDeletesReceiptsOfHoursBeforeTheRetentionAndKeepsTheOutcome(AzuriteExtension.Azurite azurite) {
        TableReceivedAlerts table = new TableReceivedAlerts(new TableServiceClientBuilder().connectionString(azurite.connectionString()).buildClient(),
                "receivedsweep" + Long.toHexString(System.nanoTime()));
        recordThreeAcrossAnHourBoundary(table);
        table.record(new ReceivedAlert("/subscriptions/s/providers/Microsoft.AlertsManagement/alerts/4|Fired", "a4", "/app/one", T, "rate-limited"));

        int deleted = table.sweep(T.minusSeconds(3600));

        assertThat(deleted).as("only the receipt two hours old").isEqualTo(1);
        assertThat(table.since(T.minusSeconds(3 * 3600), T.plusSeconds(700))).extracting(ReceivedAlert::alertId).containsExactlyInAnyOrder("a2", "a3", "a4");
        assertThat(table.since(T.minusSeconds(60), T.plusSeconds(700))).filteredOn(a -> a.alertId().equals("a4")).singleElement()
                .extracting(ReceivedAlert::outcome).isEqualTo("rate-limited");
        InMemoryReceivedAlerts memory = new InMemoryReceivedAlerts();
        recordThreeAcrossAnHourBoundary(memory);
        assertThat(memory.sweep(T.minusSeconds(3600))).isEqualTo(1);
        assertThat(memory.since(T.minusSeconds(3 * 3600), T.plusSeconds(700))).hasSize(2);
    }

    @Test
    void tableKeepsEachReceiptOnceAndReadsTheLastHoursAcrossPartitions(AzuriteExtension.Azurite azurite) {
        TableReceivedAlerts table = new TableReceivedAlerts(new TableServiceClientBuilder().connectionString(azurite.connectionString()).buildClient(),
                "receivedtest" + Long.toHexString(System.nanoTime()));
        recordThreeAcrossAnHourBoundary(table);

        List<ReceivedAlert> lastHour = table.since(T.minusSeconds(3600), T.plusSeconds(700));

        assertThat(lastHour).extracting(ReceivedAlert::alertId).containsExactlyInAnyOrder("a2", "a3");
        assertThat(lastHour).filteredOn(a -> a.alertId().equals("a3")).singleElement()
                .extracting(ReceivedAlert::receivedAt).isEqualTo(T.plusSeconds(600));
        assertThat(table.mode()).isEqualTo("azure-table");
    }

    @Test
    void memoryReadsTheSameWay() {
        InMemoryReceivedAlerts memory = new InMemoryReceivedAlerts();
        recordThreeAcrossAnHourBoundary(memory);
        assertThat(memory.since(T.minusSeconds(3600), T.plusSeconds(700))).extracting(ReceivedAlert::alertId).containsExactlyInAnyOrder("a2", "a3");
    }
}
