package io.oomresponder.store;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.rest.Response;
import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.TableServiceClientBuilder;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.oomresponder.delivery.Receipt;
import io.oomresponder.diagnosis.Diagnosis;
import io.oomresponder.intake.AlertSignal;
import io.oomresponder.json.Json;
import io.oomresponder.note.RenderedNote;
import io.oomresponder.config.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The incident store on Azure Table storage (the Function app's own account by default), with
 * the real azure-data-tables client. Three tables, created if absent on first use:
 * <ul>
 *   <li>{@code <prefix>Deliveries}: one entity per alert notification, PartitionKey = encoded
 *       {@code alertId|condition}, RowKey {@code claim}; State CLAIMED (with Owner and LeaseUntil, renewed
 *       by the handler's heartbeat) or DONE. In the same partition: {@code sink-<sink>} for each sink
 *       that took the note, and {@code failure} with the latest failure's reason.</li>
 *   <li>{@code <prefix>Incidents}: PartitionKey = encoded lower-case app resource id, RowKey =
 *       the incident's sequence inverted ({@code Long.MAX_VALUE - n}, 19 digits) so the newest incident
 *       of an app comes first; the incident itself as JSON in {@code Data}, plus readable columns.</li>
 *   <li>{@code <prefix>Undelivered}: PartitionKey {@code note}, RowKey = encoded
 *       {@link UndeliveredNote#key()}; Status, NextAttemptAt, Attempts, ..., the note gzipped in
 *       binary properties {@code Note00..}.</li>
 * </ul>
 * Keys are made with {@link TableKeys#encode}. Every write is conditional: claims and new
 * incidents are inserts (409 = someone else was first), changes are ETag-matched replaces or
 * merges (412 = someone else changed it; the decision is made again on fresh data).
 */
public final class TableIncidentStore implements IncidentStore {

    private static final Logger LOG = LoggerFactory.getLogger(TableIncidentStore.class);

    /** Table names are {@code <prefix>Deliveries}, {@code <prefix>Incidents}, {@code <prefix>Undelivered}. */
    public static final String DEFAULT_TABLE_PREFIX = "oomresponder";
    private static final Pattern TABLE_PREFIX = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,47}");

    static final String CLAIM_ROW = "claim";
    /** Per-sink delivery records share the claim's partition: RowKey {@code sink-<encoded sink name>}. */
    static final String SINK_ROW_PREFIX = "sink-";
    /** The latest failure of an alert, in the claim's partition. */
    static final String FAILURE_ROW = "failure";
    /**
     * A report to the operator (e.g. of an app that does not exist), alone in its partition
     * ({@code operator-report|<subject>}): Subject, ReportedAt and Until; swept once Until is past.
     */
    static final String REPORT_ROW = "report";
    static final String REPORT_PARTITION_PREFIX = "operator-report|";
    static final String UNDELIVERED_PARTITION = "note";
    /** Incidents read per decision: the newest ones of the app, enough for the recurrence window in practice. */
    static final int INCIDENTS_LOADED = 50;
    /** Rounds of read-decide-write when other instances keep writing the same app first (an alert storm). */
    static final int MAX_WRITE_ATTEMPTS = 60;
    /** Binary properties hold at most 64 KiB. */
    static final int NOTE_CHUNK_BYTES = 60 * 1024;
    /** Entities hold at most 1 MiB in all; keep room for the other columns. */
    static final int MAX_NOTE_BYTES = 900 * 1024;
    /** String properties hold at most 32 K UTF-16 chars. */
    static final int MAX_DATA_CHARS = 30_000;
    /** Undelivered notes scanned per sweep before sorting by due time. */
    static final int MAX_DUE_SCANNED = 1_000;

    /** Lock stripes that serialise one process's decisions per app (other processes still race on ETags). */
    static final int APP_LOCK_STRIPES = 64;

    private static final int CONFLICT = 409;
    private static final int PRECONDITION_FAILED = 412;
    private static final int NOT_FOUND = 404;

    private final TableServiceClient service;
    private final String deliveriesTable;
    private final String incidentsTable;
    private final String undeliveredTable;
    private final IncidentPolicy policy;
    private final Duration claimLease;
    private volatile Tables tables;
    private final Object[] appLocks = new Object[APP_LOCK_STRIPES];

    /**
     * @param service     the Table service client (connection string, or endpoint + credential)
     * @param tablePrefix letters and digits, starting with a letter (INCIDENT_TABLE_PREFIX)
     * @param policy      the grouping rules
     * @param claimLease  how long an unfinished claim holds (ALERT_CLAIM_LEASE)
     */
    public TableIncidentStore(TableServiceClient service, String tablePrefix, IncidentPolicy policy, Duration claimLease) {
        this.service = Objects.requireNonNull(service, "service");
        if (tablePrefix == null || !TABLE_PREFIX.matcher(tablePrefix).matches()) {
            throw new IllegalArgumentException("table prefix must be 1-48 letters or digits starting with a letter, was '" + tablePrefix + "'");
        }
        this.deliveriesTable = tablePrefix + "Deliveries";
        this.incidentsTable = tablePrefix + "Incidents";
        this.undeliveredTable = tablePrefix + "Undelivered";
        this.policy = Objects.requireNonNull(policy, "policy");
        if (claimLease == null || claimLease.isNegative() || claimLease.isZero()) {
            throw new IllegalArgumentException("claimLease must be a positive duration, was " + claimLease);
        }
        this.claimLease = claimLease;
        for (int i = 0; i < appLocks.length; i++) {
            appLocks[i] = new Object();
        }
    }

    /** Whether the settings name a storage account for the store. */
    public static boolean isConfigured(Settings settings) {
        return settings.get("INCIDENT_STORE_CONNECTION").isPresent()
                || settings.get("INCIDENT_STORE_ENDPOINT").isPresent()
                || settings.get("AzureWebJobsStorage").isPresent()
                || settings.get("AzureWebJobsStorage__tableServiceUri").isPresent()
                || settings.get("AzureWebJobsStorage__accountName").isPresent();
    }

    /**
     * The store for these settings: the Table service client of {@link #serviceClient(Settings)},
     * tables named by INCIDENT_TABLE_PREFIX (default {@value #DEFAULT_TABLE_PREFIX}), the policy of
     * {@link IncidentPolicy#fromSettings} and ALERT_CLAIM_LEASE (default PT5M).
     */
    public static TableIncidentStore fromSettings(Settings settings) {
        return new TableIncidentStore(serviceClient(settings), settings.get("INCIDENT_TABLE_PREFIX", DEFAULT_TABLE_PREFIX),
                IncidentPolicy.fromSettings(settings), settings.duration("ALERT_CLAIM_LEASE", DEFAULT_CLAIM_LEASE));
    }

    /**
     * The Table service client, from the first of these settings that is set:
     * <ol>
     *   <li>INCIDENT_STORE_CONNECTION: a storage connection string (secret);</li>
     *   <li>INCIDENT_STORE_ENDPOINT: a Table endpoint URL, with DefaultAzureCredential;</li>
     *   <li>AzureWebJobsStorage: the Function app's connection string (secret);</li>
     *   <li>AzureWebJobsStorage__tableServiceUri, or AzureWebJobsStorage__accountName
     *       ({@code https://<name>.table.core.windows.net}): identity-based, with DefaultAzureCredential
     *       using the user-assigned identity AzureWebJobsStorage__clientId when set.</li>
     * </ol>
     *
     * @throws IllegalStateException when none is set
     */
    public static TableServiceClient serviceClient(Settings settings) {
        Optional<String> own = settings.get("INCIDENT_STORE_CONNECTION");
        if (own.isPresent()) {
            return fromConnectionString(own.get(), "INCIDENT_STORE_CONNECTION");
        }
        Optional<String> endpoint = settings.get("INCIDENT_STORE_ENDPOINT");
        if (endpoint.isPresent()) {
            return fromEndpoint(endpoint.get(), settings.get("INCIDENT_STORE_CLIENT_ID").or(() -> settings.get("AZURE_CLIENT_ID")));
        }
        Optional<String> jobs = settings.get("AzureWebJobsStorage");
        if (jobs.isPresent()) {
            return fromConnectionString(jobs.get(), "AzureWebJobsStorage");
        }
        Optional<String> uri = settings.get("AzureWebJobsStorage__tableServiceUri")
                .or(() -> settings.get("AzureWebJobsStorage__accountName").map(a -> "https://" + a + ".table.core.windows.net"));
        if (uri.isPresent()) {
            return fromEndpoint(uri.get(), settings.get("AzureWebJobsStorage__clientId"));
        }
        throw new IllegalStateException("no incident storage configured: set INCIDENT_STORE_CONNECTION, INCIDENT_STORE_ENDPOINT or AzureWebJobsStorage");
    }

    private static TableServiceClient fromConnectionString(String connection, String setting) {
        try {
            return new TableServiceClientBuilder().connectionString(connection).buildClient();
        } catch (IllegalArgumentException | IllegalStateException e) {
            // The SDK's message may quote the string, and with it the account key.
            throw new IllegalArgumentException("setting " + setting + " is not a usable storage connection string");
        }
    }

    private static TableServiceClient fromEndpoint(String endpoint, Optional<String> clientId) {
        var credential = new DefaultAzureCredentialBuilder();
        clientId.ifPresent(credential::managedIdentityClientId);
        return new TableServiceClientBuilder().endpoint(endpoint).credential(credential.build()).buildClient();
    }

    /** The three table names, for logs and infrastructure checks. */
    public List<String> tableNames() {
        return List.of(deliveriesTable, incidentsTable, undeliveredTable);
    }

    // ---- claims -------------------------------------------------------------------------------

    @Override
    public Duration claimLease() {
        return claimLease;
    }

    @Override
    public ClaimResult tryClaim(String dedupeKey, String owner, Instant now) {
        Objects.requireNonNull(dedupeKey, "dedupeKey");
        Objects.requireNonNull(owner, "owner");
        TableClient table = tables().deliveries;
        String pk = TableKeys.encode(dedupeKey);
        for (int attempt = 0; attempt < 3; attempt++) {
            TableEntity claim = new TableEntity(pk, CLAIM_ROW)
                    .addProperty("DedupeKey", dedupeKey)
                    .addProperty("State", "CLAIMED")
                    .addProperty("Owner", owner)
                    .addProperty("ClaimedAt", odt(now))
                    .addProperty("LeaseUntil", odt(now.plus(claimLease)));
            try {
                table.createEntity(claim);
                return ClaimResult.CLAIMED;
            } catch (HttpResponseException e) {
                requireStatus(e, CONFLICT);
            }
            TableEntity existing = get(table, pk, CLAIM_ROW);
            if (existing == null) {
                continue; // released between our insert and read: try the insert again
            }
            if ("DONE".equals(existing.getProperty("State"))) {
                return ClaimResult.COMPLETED;
            }
            if (instant(existing, "LeaseUntil").isAfter(now)) {
                return ClaimResult.HELD_ELSEWHERE;
            }
            // The previous claimant stopped renewing (it died mid-alert): take over, if nobody else did first.
            claim.addProperty("odata.etag", existing.getETag());
            LOG.info("taking over the expired claim of alert {}", dedupeKey);
            if (conditionally(() -> table.updateEntityWithResponse(claim, TableEntityUpdateMode.REPLACE, true, null, Context.NONE))) {
                return ClaimResult.CLAIMED;
            }
            return ClaimResult.HELD_ELSEWHERE;
        }
        return ClaimResult.HELD_ELSEWHERE;
    }

    @Override
    public boolean renewClaim(String dedupeKey, String owner, Instant now) {
        TableClient table = tables().deliveries;
        TableEntity existing = get(table, TableKeys.encode(dedupeKey), CLAIM_ROW);
        if (existing == null || !"CLAIMED".equals(existing.getProperty("State")) || !owner.equals(existing.getProperty("Owner"))) {
            return false;
        }
        TableEntity renewed = new TableEntity(existing.getPartitionKey(), CLAIM_ROW)
                .addProperty("LeaseUntil", odt(now.plus(claimLease)))
                .addProperty("odata.etag", existing.getETag());
        // ETag-matched: a takeover between the read and this write wins, and this handler learns it lost.
        return conditionally(() -> table.updateEntityWithResponse(renewed, TableEntityUpdateMode.MERGE, true, null, Context.NONE));
    }

    @Override
    public void complete(String dedupeKey, Instant now) {
        TableEntity done = new TableEntity(TableKeys.encode(dedupeKey), CLAIM_ROW)
                .addProperty("DedupeKey", dedupeKey)
                .addProperty("State", "DONE")
                .addProperty("CompletedAt", odt(now));
        tables().deliveries.upsertEntityWithResponse(done, TableEntityUpdateMode.MERGE, null, Context.NONE);
    }

    @Override
    public void release(String dedupeKey) {
        release(dedupeKey, null);
    }

    @Override
    public void release(String dedupeKey, String owner) {
        TableClient table = tables().deliveries;
        TableEntity existing = get(table, TableKeys.encode(dedupeKey), CLAIM_ROW);
        if (existing != null && "CLAIMED".equals(existing.getProperty("State"))
                && (owner == null || owner.equals(existing.getProperty("Owner")))) {
            conditionally(() -> table.deleteEntityWithResponse(existing, true, null, Context.NONE));
        }
    }

    @Override
    public void recordSinkDelivered(String dedupeKey, String sink, Instant now) {
        TableEntity row = new TableEntity(TableKeys.encode(dedupeKey), SINK_ROW_PREFIX + TableKeys.encode(sink))
                .addProperty("Sink", sink)
                .addProperty("DeliveredAt", odt(now));
        tables().deliveries.upsertEntityWithResponse(row, TableEntityUpdateMode.REPLACE, null, Context.NONE);
    }

    @Override
    public java.util.Set<String> deliveredSinks(String dedupeKey) {
        String pk = TableKeys.encode(dedupeKey);
        // RowKeys "sink-..." sort between "sink-" and "sink." ('.' follows '-').
        String filter = "PartitionKey eq " + TableKeys.literal(pk) + " and RowKey ge " + TableKeys.literal(SINK_ROW_PREFIX)
                + " and RowKey lt " + TableKeys.literal("sink.");
        java.util.Set<String> sinks = new java.util.TreeSet<>();
        tables().deliveries.listEntities(new ListEntitiesOptions().setFilter(filter), null, Context.NONE)
                .forEach(e -> sinks.add((String) e.getProperty("Sink")));
        return sinks;
    }

    @Override
    public void recordFailure(String dedupeKey, String reason, Instant now) {
        TableEntity row = new TableEntity(TableKeys.encode(dedupeKey), FAILURE_ROW)
                .addProperty("Reason", reason.length() > UndeliveredNote.MAX_ERROR_CHARS ? reason.substring(0, UndeliveredNote.MAX_ERROR_CHARS) : reason)
                .addProperty("FailedAt", odt(now));
        tables().deliveries.upsertEntityWithResponse(row, TableEntityUpdateMode.REPLACE, null, Context.NONE);
    }

    @Override
    public Optional<String> lastFailure(String dedupeKey) {
        TableEntity row = get(tables().deliveries, TableKeys.encode(dedupeKey), FAILURE_ROW);
        return row == null ? Optional.empty() : Optional.ofNullable((String) row.getProperty("Reason"));
    }

    @Override
    public boolean claimOperatorReport(String subject, Instant now, Duration period) {
        Objects.requireNonNull(subject, "subject");
        TableClient table = tables().deliveries;
        String pk = TableKeys.encode(REPORT_PARTITION_PREFIX + subject);
        for (int attempt = 0; attempt < 3; attempt++) {
            TableEntity report = new TableEntity(pk, REPORT_ROW)
                    .addProperty("Subject", subject)
                    .addProperty("ReportedAt", odt(now))
                    .addProperty("Until", odt(now.plus(period)));
            try {
                table.createEntity(report);
                return true;
            } catch (HttpResponseException e) {
                requireStatus(e, CONFLICT);
            }
            TableEntity existing = get(table, pk, REPORT_ROW);
            if (existing == null) {
                continue; // swept between our insert and read: try the insert again
            }
            if (instant(existing, "Until").isAfter(now)) {
                return false;
            }
            // The last report is older than its period: report again, unless another instance just did.
            report.addProperty("odata.etag", existing.getETag());
            return conditionally(() -> table.updateEntityWithResponse(report, TableEntityUpdateMode.REPLACE, true, null, Context.NONE));
        }
        return false;
    }

    @Override
    public RetentionReport sweepRetention(StoreRetention retention, Instant now) {
        Tables t = tables();
        String claimsBefore = datetime(retention.claimsBefore(now));
        int claims = 0;
        String finished = "RowKey eq " + TableKeys.literal(CLAIM_ROW) + " and ((State eq 'DONE' and CompletedAt lt " + claimsBefore
                + ") or (State eq 'CLAIMED' and LeaseUntil lt " + claimsBefore + "))";
        for (TableEntity claim : page(t.deliveries, finished)) {
            // The partition's sink and failure rows first, the claim last: a sweep cut short leaves a claim, never orphans.
            for (TableEntity row : page(t.deliveries, "PartitionKey eq " + TableKeys.literal(claim.getPartitionKey()))) {
                if (!CLAIM_ROW.equals(row.getRowKey())) {
                    conditionally(() -> t.deliveries.deleteEntityWithResponse(row, false, null, Context.NONE));
                }
            }
            if (conditionally(() -> t.deliveries.deleteEntityWithResponse(claim, true, null, Context.NONE))) {
                claims++;
            }
        }
        // Operator reports whose period is over count with the claims (same table, same kind of record).
        for (TableEntity report : page(t.deliveries, "RowKey eq " + TableKeys.literal(REPORT_ROW) + " and Until lt " + datetime(now))) {
            if (conditionally(() -> t.deliveries.deleteEntityWithResponse(report, true, null, Context.NONE))) {
                claims++;
            }
        }
        int incidents = 0;
        for (TableEntity e : page(t.incidents, "LastAlertAt lt " + datetime(retention.incidentsBefore(now)))) {
            if (conditionally(() -> t.incidents.deleteEntityWithResponse(e, true, null, Context.NONE))) {
                incidents++;
            }
        }
        int notes = 0;
        for (TableEntity e : page(t.undelivered, "PartitionKey eq " + TableKeys.literal(UNDELIVERED_PARTITION)
                + " and Status eq " + TableKeys.literal(UndeliveredNote.Status.EXPIRED.name())
                + " and FirstFailedAt lt " + datetime(retention.notesBefore(now)))) {
            if (conditionally(() -> t.undelivered.deleteEntityWithResponse(e, true, null, Context.NONE))) {
                notes++;
            }
        }
        RetentionReport report = new RetentionReport(claims, incidents, notes);
        if (report.total() > 0) {
            LOG.info("retention sweep deleted {} claim(s), {} incident(s), {} expired note(s)", claims, incidents, notes);
        }
        return report;
    }

    /** At most {@link StoreRetention#MAX_DELETES_PER_SWEEP} rows matching the filter, read before any is deleted. */
    private static List<TableEntity> page(TableClient table, String filter) {
        ListEntitiesOptions options = new ListEntitiesOptions().setFilter(filter);
        return table.listEntities(options, null, Context.NONE).stream().limit(StoreRetention.MAX_DELETES_PER_SWEEP).toList();
    }

    private static String datetime(Instant t) {
        return "datetime'" + t.truncatedTo(ChronoUnit.MILLIS) + "'";
    }

    // ---- incidents ----------------------------------------------------------------------------

    @Override
    public IncidentDecision recordDiagnosis(AlertSignal alert, Diagnosis diagnosis, String revision, Instant now) {
        Objects.requireNonNull(alert, "alert");
        // Threads of this process take turns per app, so a burst of alerts for one app costs one round each
        // instead of rounds lost to each other; other processes are kept out by the conditional writes.
        synchronized (appLock(alert.targetResourceId())) {
            return decideAndWrite(alert, diagnosis, revision, now);
        }
    }

    private IncidentDecision decideAndWrite(AlertSignal alert, Diagnosis diagnosis, String revision, Instant now) {
        TableClient table = tables().incidents;
        for (int attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
            IncidentDecision decision = policy.decide(incidents(alert.targetResourceId(), INCIDENTS_LOADED), alert, diagnosis, revision, now);
            if (decision.repeat() || decision.action() == IncidentDecision.Action.IGNORE) {
                return decision;
            }
            Incident incident = decision.incident();
            TableEntity entity = toEntity(incident);
            try {
                Response<Void> response;
                if (decision.action() == IncidentDecision.Action.NEW_INCIDENT) {
                    response = table.createEntityWithResponse(entity, null, Context.NONE);
                } else {
                    entity.addProperty("odata.etag", incident.version());
                    response = table.updateEntityWithResponse(entity, TableEntityUpdateMode.REPLACE, true, null, Context.NONE);
                }
                return decision.withIncident(incident.withVersion(etag(response)));
            } catch (HttpResponseException e) {
                requireStatus(e, CONFLICT, PRECONDITION_FAILED, NOT_FOUND);
                LOG.debug("incident {} was written concurrently (HTTP {}), deciding again (round {})",
                        incident.id(), e.getResponse().getStatusCode(), attempt);
                pause(attempt);
            }
        }
        throw new IllegalStateException("incidents of " + alert.targetResourceId() + " kept changing under alert "
                + alert.dedupeKey() + " for " + MAX_WRITE_ATTEMPTS + " rounds");
    }

    @Override
    public List<Incident> incidents(String appResourceId, int max) {
        if (max <= 0) {
            return List.of();
        }
        String filter = "PartitionKey eq " + TableKeys.literal(TableKeys.encode(Incident.appKey(appResourceId)));
        ListEntitiesOptions options = new ListEntitiesOptions().setFilter(filter).setTop(Math.min(max, 1000));
        // RowKeys are inverted sequences, and the service returns a partition in RowKey order: newest first.
        return tables().incidents.listEntities(options, null, Context.NONE).stream()
                .limit(max)
                .map(TableIncidentStore::toIncident)
                .toList();
    }

    @Override
    public Optional<Incident> incident(String appResourceId, String incidentId) {
        TableEntity entity = get(tables().incidents, TableKeys.encode(Incident.appKey(appResourceId)), rowKey(Incident.sequenceOf(incidentId)));
        if (entity == null) {
            return Optional.empty();
        }
        Incident incident = toIncident(entity);
        return incident.id().equals(incidentId) ? Optional.of(incident) : Optional.empty();
    }

    @Override
    public void recordDelivered(RenderedNote note, Receipt receipt) {
        if (note.replay() || note.incidentId() == null || note.appResourceId() == null || receipt == null) {
            return;
        }
        synchronized (appLock(note.appResourceId())) {
            recordReference(note, receipt);
        }
    }

    private void recordReference(RenderedNote note, Receipt receipt) {
        TableClient table = tables().incidents;
        for (int attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
            Optional<Incident> found = incident(note.appResourceId(), note.incidentId());
            if (found.isEmpty()) {
                LOG.warn("note for alert {} names incident {}, which is not stored", note.alertId(), note.incidentId());
                return;
            }
            Incident updated = found.get().withNoteReference(receipt.sink(), receipt.reference());
            if (updated == found.get()) {
                return;
            }
            TableEntity entity = toEntity(updated).addProperty("odata.etag", updated.version());
            if (conditionally(() -> table.updateEntityWithResponse(entity, TableEntityUpdateMode.REPLACE, true, null, Context.NONE))) {
                return;
            }
            pause(attempt);
        }
        LOG.warn("could not record the {} reference of incident {}: it kept changing", receipt.sink(), note.incidentId());
    }

    // ---- undelivered notes --------------------------------------------------------------------

    @Override
    public boolean saveUndelivered(UndeliveredNote note) {
        try {
            tables().undelivered.createEntity(toEntity(note));
            return true;
        } catch (HttpResponseException e) {
            requireStatus(e, CONFLICT);
            return false;
        }
    }

    @Override
    public List<UndeliveredNote> dueForRedelivery(Instant now, int max) {
        String filter = "PartitionKey eq " + TableKeys.literal(UNDELIVERED_PARTITION)
                + " and Status eq " + TableKeys.literal(UndeliveredNote.Status.PENDING.name())
                + " and NextAttemptAt le datetime'" + now.truncatedTo(ChronoUnit.MILLIS).plusMillis(1) + "'";
        return list(filter).stream()
                .sorted(Comparator.comparing(UndeliveredNote::nextAttemptAt))
                .limit(max)
                .toList();
    }

    @Override
    public Optional<UndeliveredNote> reschedule(UndeliveredNote note) {
        TableEntity change = stateOf(note);
        try {
            Response<Void> r = tables().undelivered.updateEntityWithResponse(change, TableEntityUpdateMode.MERGE, true, null, Context.NONE);
            return Optional.of(note.withVersion(etag(r)));
        } catch (HttpResponseException e) {
            requireStatus(e, PRECONDITION_FAILED, NOT_FOUND);
            return Optional.empty();
        }
    }

    @Override
    public boolean markRedelivered(UndeliveredNote note) {
        TableEntity entity = new TableEntity(UNDELIVERED_PARTITION, TableKeys.encode(note.key())).addProperty("odata.etag", note.version());
        return conditionally(() -> tables().undelivered.deleteEntityWithResponse(entity, true, null, Context.NONE));
    }

    @Override
    public boolean markExpired(UndeliveredNote note, String reason) {
        TableEntity change = stateOf(note.expired(reason));
        return conditionally(() -> tables().undelivered.updateEntityWithResponse(change, TableEntityUpdateMode.MERGE, true, null, Context.NONE));
    }

    @Override
    public List<UndeliveredNote> undelivered(UndeliveredNote.Status status) {
        return list("PartitionKey eq " + TableKeys.literal(UNDELIVERED_PARTITION) + " and Status eq " + TableKeys.literal(status.name()));
    }

    private List<UndeliveredNote> list(String filter) {
        ListEntitiesOptions options = new ListEntitiesOptions().setFilter(filter);
        List<UndeliveredNote> notes = new ArrayList<>();
        for (TableEntity e : (Iterable<TableEntity>) tables().undelivered.listEntities(options, null, Context.NONE).stream()
                .limit(MAX_DUE_SCANNED)::iterator) {
            try {
                notes.add(toUndelivered(e));
            } catch (RuntimeException unreadable) {
                // One damaged row must not stop every other note from being redelivered.
                LOG.error("undelivered note {} in table {} is not readable and is skipped: {}", e.getRowKey(), undeliveredTable, unreadable.toString());
            }
        }
        return notes;
    }

    // ---- entities -----------------------------------------------------------------------------

    static String rowKey(long sequence) {
        return String.format("%019d", Long.MAX_VALUE - sequence);
    }

    private static TableEntity toEntity(Incident incident) {
        TableEntity e = new TableEntity(TableKeys.encode(Incident.appKey(incident.appResourceId())), rowKey(incident.sequence()))
                .addProperty("IncidentId", incident.id())
                .addProperty("AppResourceId", incident.appResourceId())
                .addProperty("Sequence", incident.sequence())
                .addProperty("Status", incident.status().name())
                .addProperty("OpenedAt", odt(incident.openedAt()))
                .addProperty("LastAlertAt", odt(incident.lastAlertAt()))
                .addProperty("AlertCount", incident.alertCount())
                .addProperty("Data", data(incident));
        if (incident.resolvedAt() != null) {
            e.addProperty("ResolvedAt", odt(incident.resolvedAt()));
        }
        return e;
    }

    /** The incident as JSON, its history shortened further if it would not fit one string property. */
    private static String data(Incident incident) {
        try {
            String json = Json.mapper().writeValueAsString(incident);
            int keep = incident.history().size();
            while (json.length() > MAX_DATA_CHARS && keep > 2) {
                keep = keep / 2;
                List<IncidentEvent> h = incident.history();
                List<IncidentEvent> shorter = new ArrayList<>();
                shorter.add(h.get(0));
                shorter.addAll(h.subList(h.size() - (keep - 1), h.size()));
                json = Json.mapper().writeValueAsString(new Incident(incident.id(), incident.appResourceId(), incident.sequence(),
                        incident.status(), incident.openedAt(), incident.lastAlertAt(), incident.resolvedAt(), incident.alertCount(),
                        incident.notesPosted(), incident.firingAlerts(), incident.revisions(), incident.noteReferences(),
                        incident.lastPosted(), shorter, null));
            }
            return json;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("incident " + incident.id() + " cannot be written as JSON", e);
        }
    }

    private static Incident toIncident(TableEntity entity) {
        try {
            return Json.mapper().readValue((String) entity.getProperty("Data"), Incident.class).withVersion(entity.getETag());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored incident " + entity.getProperty("IncidentId") + " is not readable", e);
        }
    }

    private static TableEntity toEntity(UndeliveredNote note) {
        TableEntity e = stateOf(note)
                .addProperty("Sink", note.sink())
                .addProperty("AlertId", note.note().alertId())
                .addProperty("Title", note.note().title())
                .addProperty("FirstFailedAt", odt(note.firstFailedAt()));
        if (note.note().incidentId() != null) {
            e.addProperty("IncidentId", note.note().incidentId());
        }
        List<byte[]> chunks = noteChunks(note.note());
        e.addProperty("NoteParts", chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            e.addProperty(String.format("Note%02d", i), chunks.get(i));
        }
        return e;
    }

    /** Only the columns that change between attempts, with the version the change is conditional on. */
    private static TableEntity stateOf(UndeliveredNote note) {
        TableEntity e = new TableEntity(UNDELIVERED_PARTITION, TableKeys.encode(note.key()))
                .addProperty("Status", note.status().name())
                .addProperty("Attempts", note.attempts())
                .addProperty("NextAttemptAt", odt(note.nextAttemptAt()))
                .addProperty("LastError", note.lastError() == null ? "" : note.lastError());
        if (note.version() != null) {
            e.addProperty("odata.etag", note.version());
        }
        return e;
    }

    private static UndeliveredNote toUndelivered(TableEntity e) {
        int parts = ((Number) e.getProperty("NoteParts")).intValue();
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        for (int i = 0; i < parts; i++) {
            zipped.writeBytes((byte[]) e.getProperty(String.format("Note%02d", i)));
        }
        RenderedNote note;
        try (var in = new GZIPInputStream(new java.io.ByteArrayInputStream(zipped.toByteArray()))) {
            note = Json.mapper().readValue(in, RenderedNote.class);
        } catch (IOException ex) {
            throw new UncheckedIOException("stored note " + e.getRowKey() + " is not readable", ex);
        }
        String error = (String) e.getProperty("LastError");
        return new UndeliveredNote(note, (String) e.getProperty("Sink"), UndeliveredNote.Status.valueOf((String) e.getProperty("Status")),
                instant(e, "FirstFailedAt"), ((Number) e.getProperty("Attempts")).intValue(), instant(e, "NextAttemptAt"),
                error == null || error.isEmpty() ? null : error, e.getETag());
    }

    /** The note as gzipped JSON in chunks that fit binary properties; without the chart if it would not fit one entity. */
    static List<byte[]> noteChunks(RenderedNote note) {
        byte[] zipped = gzipJson(note);
        if (zipped.length > MAX_NOTE_BYTES && note.chartPng() != null) {
            LOG.warn("note for alert {} is {} bytes compressed: storing it without its chart", note.alertId(), zipped.length);
            zipped = gzipJson(new RenderedNote(note.alertId(), note.dedupeKey(), note.incidentId(), note.kind(), note.replay(),
                    note.appResourceId(), note.severity(), note.title(), note.card(), note.markdown(), note.html(), note.text(),
                    null, note.summary()));
        }
        if (zipped.length > MAX_NOTE_BYTES) {
            throw new IllegalArgumentException("note for alert " + note.alertId() + " is too large to store (" + zipped.length + " bytes compressed)");
        }
        List<byte[]> chunks = new ArrayList<>();
        for (int from = 0; from < zipped.length; from += NOTE_CHUNK_BYTES) {
            chunks.add(Arrays.copyOfRange(zipped, from, Math.min(zipped.length, from + NOTE_CHUNK_BYTES)));
        }
        return chunks;
    }

    private static byte[] gzipJson(RenderedNote note) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var zip = new GZIPOutputStream(out)) {
            Json.mapper().writeValue(zip, note);
        } catch (IOException e) {
            throw new UncheckedIOException("note for alert " + note.alertId() + " cannot be written", e);
        }
        return out.toByteArray();
    }

    // ---- plumbing -----------------------------------------------------------------------------

    private Tables tables() {
        Tables t = tables;
        if (t == null) {
            synchronized (this) {
                t = tables;
                if (t == null) {
                    // Created on first use, not at construction: keeps cold start free of storage round trips.
                    for (String name : tableNames()) {
                        service.createTableIfNotExists(name);
                    }
                    t = new Tables(service.getTableClient(deliveriesTable), service.getTableClient(incidentsTable),
                            service.getTableClient(undeliveredTable));
                    tables = t;
                }
            }
        }
        return t;
    }

    private static TableEntity get(TableClient table, String pk, String rk) {
        try {
            return table.getEntity(pk, rk);
        } catch (HttpResponseException e) {
            requireStatus(e, NOT_FOUND);
            return null;
        }
    }

    private Object appLock(String appResourceId) {
        return appLocks[Math.floorMod(Incident.appKey(appResourceId).hashCode(), appLocks.length)];
    }

    /** Runs a conditional write: true when it applied, false when the entity had changed or was gone. */
    private static boolean conditionally(Runnable write) {
        try {
            write.run();
            return true;
        } catch (HttpResponseException e) {
            requireStatus(e, PRECONDITION_FAILED, NOT_FOUND);
            return false;
        }
    }

    private static void requireStatus(HttpResponseException e, int... expected) {
        int status = e.getResponse() == null ? -1 : e.getResponse().getStatusCode();
        for (int s : expected) {
            if (s == status) {
                return;
            }
        }
        throw e;
    }

    /** A short random pause so that instances racing on one app do not collide in lockstep. */
    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 5L * Math.min(attempt, 10) + 2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing an incident", e);
        }
    }

    /** Table storage keeps 7 fraction digits at most; milliseconds are plenty here. */
    /**
     * The new ETag of a write. Azurite 3.37.0 drops the closing quote in write responses
     * ({@code W/"datetime'...'} where GET gives {@code W/"datetime'...'"}), and a later If-Match with
     * it is a 400; the quote is restored (real Azure already sends it, so nothing changes there).
     */
    static String etag(Response<?> response) {
        String etag = response.getHeaders().getValue(HttpHeaderName.ETAG);
        if (etag != null && etag.startsWith("W/\"") && !etag.endsWith("\"")) {
            return etag + "\"";
        }
        return etag;
    }

    private static OffsetDateTime odt(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS).atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(TableEntity e, String property) {
        Object v = e.getProperty(property);
        if (v instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (v instanceof String s) {
            return OffsetDateTime.parse(s).toInstant();
        }
        throw new IllegalStateException("entity " + e.getRowKey() + " has no " + property);
    }

    private record Tables(TableClient deliveries, TableClient incidents, TableClient undelivered) {
    }
}
