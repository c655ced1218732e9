package io.oomresponder.store;

import com.azure.core.exception.HttpResponseException;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import io.oomresponder.config.Settings;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link ReceivedAlerts} in Azure Table storage, table {@code <prefix>Received}: partition = the UTC
 * hour the alert arrived ({@code yyyyMMddHH}), row = the encoded dedupe key, so the reconcile reads
 * the last hour or two with one partition query each. Insert-if-absent; a duplicate is ignored.
 */
public final class TableReceivedAlerts implements ReceivedAlerts {

    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyyMMddHH").withZone(ZoneOffset.UTC);

    private final TableServiceClient service;
    private final String tableName;
    private volatile TableClient table;

    public TableReceivedAlerts(TableServiceClient service, String tablePrefix) {
        this.service = service;
        this.tableName = tablePrefix + "Received";
    }

    /** Same account and prefix as {@link TableIncidentStore#fromSettings}. */
    public static TableReceivedAlerts fromSettings(Settings settings) {
        return new TableReceivedAlerts(TableIncidentStore.serviceClient(settings),
                settings.get("INCIDENT_TABLE_PREFIX", TableIncidentStore.DEFAULT_TABLE_PREFIX));
    }

    private TableClient table() {
        TableClient t = table;
        if (t == null) {
            synchronized (this) {
                if (table == null) {
                    service.createTableIfNotExists(tableName);
                    table = service.getTableClient(tableName);
                }
                t = table;
            }
        }
        return t;
    }

    @Override
    public void record(ReceivedAlert alert) {
        TableEntity e = new TableEntity(HOUR.format(alert.receivedAt()), TableKeys.encode(alert.dedupeKey()))
                .addProperty("DedupeKey", alert.dedupeKey())
                .addProperty("AlertId", alert.alertId())
                .addProperty("App", alert.appResourceId())
                .addProperty("ReceivedAt", alert.receivedAt().toString())
                .addProperty("Outcome", alert.outcome());
        try {
            table().createEntity(e);
        } catch (HttpResponseException ex) {
            if (ex.getResponse() == null || ex.getResponse().getStatusCode() != 409) {
                throw ex;
            }
            // 409: already recorded (a redelivery of the same message); the first record stands.
        }
    }

    @Override
    public List<ReceivedAlert> since(Instant from, Instant now) {
        List<ReceivedAlert> out = new ArrayList<>();
        for (Instant hour = from.truncatedTo(ChronoUnit.HOURS); !hour.isAfter(now); hour = hour.plus(1, ChronoUnit.HOURS)) {
            String filter = "PartitionKey eq " + TableKeys.literal(HOUR.format(hour));
            for (TableEntity e : table().listEntities(new ListEntitiesOptions().setFilter(filter), null, null)) {
                Instant at = Instant.parse((String) e.getProperty("ReceivedAt"));
                if (!at.isBefore(from)) {
                    out.add(new ReceivedAlert((String) e.getProperty("DedupeKey"), (String) e.getProperty("AlertId"),
                            (String) e.getProperty("App"), at, (String) e.getProperty("Outcome")));
                }
            }
        }
        return out;
    }

    /** Partitions are UTC hours: every row of an hour wholly before {@code before} goes, oldest first. */
    @Override
    public int sweep(Instant before) {
        String filter = "PartitionKey lt " + TableKeys.literal(HOUR.format(before.truncatedTo(ChronoUnit.HOURS)));
        int n = 0;
        for (TableEntity e : table().listEntities(new ListEntitiesOptions().setFilter(filter).setSelect(List.of("PartitionKey", "RowKey")), null, null)) {
            if (n >= StoreRetention.MAX_DELETES_PER_SWEEP) {
                break;
            }
            try {
                table().deleteEntity(e.getPartitionKey(), e.getRowKey());
            } catch (HttpResponseException ex) {
                if (ex.getResponse() == null || ex.getResponse().getStatusCode() != 404) {
                    throw ex;
                }
            }
            n++;
        }
        return n;
    }

    @Override
    public String mode() {
        return "azure-table";
    }
}
