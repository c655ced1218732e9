package io.oomresponder.evidence.azure;

import io.oomresponder.config.Settings;
import io.oomresponder.evidence.AppConfig;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.EvidenceGap;
import io.oomresponder.evidence.MetricPoint;
import io.oomresponder.evidence.MetricSeries;
import io.oomresponder.evidence.ScaleSettings;
import io.oomresponder.simulator.azure.FakeAzure;
import io.oomresponder.simulator.azure.FakeAzureWorld;
import io.oomresponder.simulator.azure.FakeEndpoint;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 27 point 1: the gather reads the backlog of the queue a KEDA scale rule names, from the
 * queue's own resource (found by type and name through ARM), with the real SDK clients against the
 * simulator; whatever stops it is one gap with Azure's code, never a crash or a guess.
 */
class QueueBacklogGatherTest {

    private static final String SB = "Microsoft.ServiceBus/namespaces";
    private static final String STORAGE = "Microsoft.Storage/storageAccounts/queueServices";
    private static final String EH = "Microsoft.EventHub/namespaces";

    /** An app whose scale rule names a queue, with that queue's backlog in its truth. */
    private static EvidenceBundle appWithQueue(String app, ScaleSettings.Rule rule, List<MetricSeries> queueSeries) {
        EvidenceBundle base = TruthBundles.detailed(app, app + "--r1", app + "--r1-a", app + "--r1-b");
        AppConfig a = base.app();
        AppConfig withRule = new AppConfig(a.resourceId(), a.name(), a.resourceGroup(), a.subscriptionId(), a.latestRevision(), a.containers(),
                new ScaleSettings(1, 5, List.of(new ScaleSettings.Rule("http-rule", "http", Map.of("concurrentRequests", "30")), rule)),
                a.location(), a.environmentId(), a.workspaceId(), a.revisions(), a.tags(), a.workloadProfileName(), a.workloadProfile());
        List<MetricSeries> metrics = new ArrayList<>(base.metrics());
        metrics.addAll(queueSeries);
        return new EvidenceBundle(base.schemaVersion(), base.alert(), base.window(), withRule, base.replicas(), metrics,
                base.systemLogs(), base.consoleLogs(), List.of());
    }

    private static MetricSeries series(String name, String aggregation, String namespace, String entity, int everyMinutes, double slope) {
        Map<String, String> dims = new LinkedHashMap<>();
        if (entity != null) {
            dims.put("EntityName", entity);
        }
        dims.put("metricNamespace", namespace);
        List<MetricPoint> points = new ArrayList<>();
        for (int m = 0; m < 15; m += everyMinutes) {
            points.add(new MetricPoint(TruthBundles.START.plus(Duration.ofMinutes(m)), 100 + slope * m));
        }
        return new MetricSeries(name, aggregation, "Count", dims, points);
    }

    private static final EvidenceBundle SERVICE_BUS = appWithQueue("sb-app", new ScaleSettings.Rule("queue-scaler", "azure-servicebus",
            Map.of("namespace", "sb-orders", "queueName", "orders", "messageCount", "50")),
            List.of(series("ActiveMessages", "Average", SB, "orders", 1, 40)));
    private static final EvidenceBundle STORAGE_QUEUE = appWithQueue("st-app", new ScaleSettings.Rule("queue-scaler", "azure-queue",
            Map.of("accountName", "stjobs", "queueName", "jobs", "queueLength", "20")),
            // Hourly, as Azure Monitor keeps QueueMessageCount: the window holds the sample at 10:00 only.
            List.of(new MetricSeries("QueueMessageCount", "Average", "Count", Map.of("metricNamespace", STORAGE),
                    List.of(new MetricPoint(Instant.parse("2026-11-20T10:00:00Z"), 1234.0)))));
    private static final EvidenceBundle EVENT_HUBS = appWithQueue("eh-app", new ScaleSettings.Rule("stream-scaler", "azure-eventhub",
            Map.of("eventHubNamespace", "evh-telemetry", "eventHubName", "telemetry", "consumerGroup", "$Default")),
            List.of(series("IncomingMessages", "Total", EH, "telemetry", 1, 0), series("OutgoingMessages", "Total", EH, "telemetry", 1, -3)));

    private static AzureEvidenceSource source(FakeAzure fake, Map<String, String> extra) {
        Map<String, String> s = new HashMap<>(fake.clientSettings());
        s.put("EVIDENCE_LOOKBACK", "PT20M");
        s.put("EVIDENCE_MAX_LOOKBACK", "PT20M");
        s.put("EVIDENCE_MAX_RETRIES", "0");
        s.putAll(extra);
        return new AzureEvidenceSource(AzureClients.from(new Settings(s)), new Settings(s),
                Clock.fixed(Instant.parse("2026-11-20T10:10:00Z"), ZoneOffset.UTC));
    }

    private static List<MetricSeries> queueSeries(EvidenceBundle b) {
        return b.metrics().stream().filter(s -> s.dimensions().containsKey("metricNamespace")).toList();
    }

    @Test
    void theBacklogOfAServiceBusQueueAStorageAccountAndAnEventHubIsGatheredFromTheQueuesOwnResource() {
        List<EvidenceBundle> truths = List.of(SERVICE_BUS, STORAGE_QUEUE, EVENT_HUBS);
        try (FakeAzure fake = FakeAzure.start(truths); AzureEvidenceSource source = source(fake, Map.of())) {
            for (EvidenceBundle truth : truths) {
                EvidenceBundle b = source.gather(truth.alert());

                assertThat(b.gaps()).as(truth.app().name()).isEmpty();
                GatheredAgainstTruth.assertMetricsMatch(fake.world().app(truth.app().resourceId()).orElseThrow(), b);
                assertThat(queueSeries(b)).as(truth.app().name()).isNotEmpty();
            }
            EvidenceBundle sb = source.gather(SERVICE_BUS.alert());
            assertThat(queueSeries(sb)).singleElement().satisfies(s -> {
                assertThat(s.name()).isEqualTo("ActiveMessages");
                assertThat(s.dimensions()).containsEntry("metricNamespace", SB).containsEntry("EntityName", "orders");
                assertThat(s.points()).filteredOn(p -> p.time().equals(TruthBundles.START.plus(Duration.ofMinutes(14))))
                        .singleElement().satisfies(p -> assertThat(p.value()).isEqualTo(100 + 40 * 14.0));
            });
            assertThat(queueSeries(source.gather(STORAGE_QUEUE.alert()))).singleElement().satisfies(s -> {
                assertThat(s.name()).isEqualTo("QueueMessageCount");
                assertThat(s.dimensions()).as("account-wide: no entity").containsOnlyKeys("metricNamespace");
            });
            assertThat(queueSeries(source.gather(EVENT_HUBS.alert()))).extracting(MetricSeries::name)
                    .containsExactlyInAnyOrder("IncomingMessages", "OutgoingMessages");
            // The storage account's metrics are read on its queue service, at its only grain.
            assertThat(fake.requests(FakeEndpoint.METRICS)).anySatisfy(r -> {
                assertThat(r.rawPath()).containsIgnoringCase("/storageAccounts/stjobs/queueServices/default/providers/");
                assertThat(java.net.URLDecoder.decode(r.rawQuery(), java.nio.charset.StandardCharsets.UTF_8)).contains("interval=PT1H");
            });
        }
    }

    @Test
    void theQueueChainIsAppThenLookupThenMetricsAndALaterAlertSkipsTheLookup() {
        try (FakeAzure fake = FakeAzure.start(List.of(SERVICE_BUS)); AzureEvidenceSource source = source(fake, Map.of())) {
            source.gather(SERVICE_BUS.alert());
            long lookups = fake.requests(FakeEndpoint.ARM).stream().filter(r -> r.rawPath().endsWith("/resources")).count();
            assertThat(lookups).as("the app's subscription and its resource group, at once").isEqualTo(2);

            fake.clearRequests();
            EvidenceBundle again = source.gather(SERVICE_BUS.alert());
            assertThat(queueSeries(again)).isNotEmpty();
            assertThat(fake.requests(FakeEndpoint.ARM)).as("the namespace's id is remembered").noneMatch(r -> r.rawPath().endsWith("/resources"));
        }
    }

    @Test
    void aNamespaceInAnotherAllowedSubscriptionIsFoundThereOnlyAfterTheAppsOwnShowNone() {
        // The app's rule names a namespace that lives in another subscription (a shared messaging
        // subscription); there, another app's rule names it too, so the simulated world holds it.
        String shared = java.util.stream.Stream.of("21111111-2222-3333-4444-555555555555", "31111111-2222-3333-4444-555555555555",
                        "41111111-2222-3333-4444-555555555555", "51111111-2222-3333-4444-555555555555")
                .filter(sub -> !FakeAzureWorld.refusesSubscriptionResourceList(sub)).findFirst().orElseThrow();
        EvidenceBundle app = appWithQueue("consumer", new ScaleSettings.Rule("queue-scaler", "azure-servicebus",
                Map.of("namespace", "sb-shared", "queueName", "orders")), List.of());
        EvidenceBundle owner = inPlace(appWithQueue("producer", new ScaleSettings.Rule("queue-scaler", "azure-servicebus",
                Map.of("namespace", "sb-shared", "queueName", "orders")), List.of(series("ActiveMessages", "Average", SB, "orders", 1, 5))),
                shared, "rg-messaging");
        // The app itself lives in the first subscription, in another group than the owner's.
        Map<String, String> allowed = Map.of("ALLOWED_SUBSCRIPTIONS", TruthBundles.SUBSCRIPTION + "," + shared);
        try (FakeAzure fake = FakeAzure.start(List.of(owner, app)); AzureEvidenceSource source = source(fake, allowed)) {
            // The consumer's rule makes the world hold a namespace of that name in its own group too: not there.
            fake.world().hideQueueResource("/subscriptions/" + TruthBundles.SUBSCRIPTION + "/resourceGroups/" + TruthBundles.RESOURCE_GROUP
                    + "/providers/Microsoft.ServiceBus/namespaces/sb-shared");
            EvidenceBundle b = source.gather(app.alert());

            assertThat(b.gaps()).isEmpty();
            assertThat(queueSeries(b)).singleElement().satisfies(x -> assertThat(x.dimensions()).containsEntry("EntityName", "orders"));
            assertThat(fake.requests(FakeEndpoint.ARM)).filteredOn(r -> r.rawPath().endsWith("/resources"))
                    .extracting(RecordedRequestPaths::scope)
                    .containsExactlyInAnyOrder("/subscriptions/" + TruthBundles.SUBSCRIPTION,
                            "/subscriptions/" + TruthBundles.SUBSCRIPTION + "/resourceGroups/" + TruthBundles.RESOURCE_GROUP,
                            "/subscriptions/" + shared);

            fake.clearRequests();
            try (AzureEvidenceSource fresh = source(fake, allowed)) {
                assertThat(queueSeries(fresh.gather(owner.alert()))).isNotEmpty();
            }
            assertThat(fake.requests(FakeEndpoint.ARM)).filteredOn(r -> r.rawPath().endsWith("/resources")).as("found near: no other subscription listed")
                    .extracting(RecordedRequestPaths::scope)
                    .containsExactlyInAnyOrder("/subscriptions/" + shared, "/subscriptions/" + shared + "/resourceGroups/rg-messaging");
        }
    }

    /** The scope of a Resources - List request: its path without "/resources". */
    private static final class RecordedRequestPaths {
        static String scope(io.oomresponder.simulator.azure.RecordedRequest r) {
            return r.rawPath().substring(0, r.rawPath().length() - "/resources".length());
        }
    }

    @Test
    void aNamespaceNoListShowsIsOneGapSayingSoAndTheRestIsGathered() {
        try (FakeAzure fake = FakeAzure.start(List.of(SERVICE_BUS)); AzureEvidenceSource source = source(fake, Map.of())) {
            fake.world().hideQueueResource("sb-orders");
            EvidenceBundle b = source.gather(SERVICE_BUS.alert());

            assertThat(b.gaps()).singleElement().satisfies(g -> {
                assertThat(g.source()).isEqualTo("metrics");
                assertThat(g.detail()).startsWith("queue backlog of Service Bus namespace 'sb-orders', entity 'orders' (scale rule queue-scaler): ")
                        .contains("no Service Bus namespace named 'sb-orders' among the resources the identity can read");
            });
            assertThat(queueSeries(b)).isEmpty();
            assertThat(b.series("WorkingSetBytes")).isNotEmpty();
        }
    }

    @Test
    void aRefusedQueueMetricsCallIsOneGapWithAzuresCodeNamingTheRole() {
        try (FakeAzure fake = FakeAzure.start(List.of(SERVICE_BUS)); AzureEvidenceSource source = source(fake, Map.of())) {
            fake.world().denyQueueMetrics("sb-orders");
            EvidenceBundle b = source.gather(SERVICE_BUS.alert());

            assertThat(b.gaps()).singleElement().satisfies(g -> {
                assertThat(g.source()).isEqualTo("metrics");
                assertThat(g.code()).isEqualTo("AuthorizationFailed");
                assertThat(g.detail()).contains("HTTP 403 AuthorizationFailed").contains("Monitoring Reader (or Reader) on the Service Bus namespace");
            });
            assertThat(b.series("WorkingSetBytes")).isNotEmpty();
        }
    }

    @Test
    void listsRefusedEverywhereAreOneGapWithAzuresCode() {
        try (FakeAzure fake = FakeAzure.start(List.of(EVENT_HUBS)); AzureEvidenceSource source = source(fake, Map.of())) {
            fake.world().denyResourceLists();
            EvidenceBundle b = source.gather(EVENT_HUBS.alert());

            assertThat(b.gaps()).singleElement().satisfies(g -> {
                assertThat(g.code()).isEqualTo("AuthorizationFailed");
                assertThat(g.detail()).contains("Event Hubs namespace 'evh-telemetry'").contains("HTTP 403 AuthorizationFailed");
            });
        }
    }

    @Test
    void twoNamespacesOfTheSameNameAreAGapNotAGuess() {
        // Two apps in two resource groups of one subscription whose rules name namespaces of the same name.
        String subscription = java.util.stream.Stream.of("11111111-2222-3333-4444-555555555555", "21111111-2222-3333-4444-555555555555",
                        "31111111-2222-3333-4444-555555555555", "41111111-2222-3333-4444-555555555555")
                .filter(sub -> !FakeAzureWorld.refusesSubscriptionResourceList(sub)).findFirst().orElseThrow();
        EvidenceBundle first = inPlace(SERVICE_BUS, subscription, "rg-one");
        EvidenceBundle second = inPlace(appWithQueue("sb-other", new ScaleSettings.Rule("queue-scaler", "azure-servicebus",
                Map.of("namespace", "sb-orders", "queueName", "orders")), List.of()), subscription, "rg-two");
        try (FakeAzure fake = FakeAzure.start(List.of(first, second)); AzureEvidenceSource source = source(fake, Map.of())) {
            EvidenceBundle b = source.gather(first.alert());

            assertThat(b.gaps()).singleElement().satisfies(g -> assertThat(g.detail())
                    .contains("2 resources of type Microsoft.ServiceBus/namespaces are named 'sb-orders'").contains("none is chosen"));
            assertThat(queueSeries(b)).isEmpty();
        }
    }

    @Test
    void aRuleThatNamesNoNamespaceIsNotReadAndAddsNoGap() {
        EvidenceBundle connectionString = appWithQueue("cs-app", new ScaleSettings.Rule("queue-scaler", "azure-servicebus",
                Map.of("queueName", "orders", "connectionFromEnv", "SB_CONNECTION")), List.of());
        try (FakeAzure fake = FakeAzure.start(List.of(connectionString)); AzureEvidenceSource source = source(fake, Map.of())) {
            EvidenceBundle b = source.gather(connectionString.alert());

            assertThat(b.gaps()).isEmpty();
            assertThat(fake.requests(FakeEndpoint.ARM)).noneMatch(r -> r.rawPath().endsWith("/resources"));
        }
    }

    /** The same app in another subscription and resource group (its alert retargeted). */
    private static EvidenceBundle inPlace(EvidenceBundle b, String subscription, String group) {
        AppConfig a = b.app();
        String id = "/subscriptions/" + subscription + "/resourceGroups/" + group + "/providers/Microsoft.App/containerApps/" + a.name();
        AppConfig moved = new AppConfig(id, a.name(), group, subscription, a.latestRevision(), a.containers(), a.scale(), a.location(),
                a.environmentId(), a.workspaceId(), a.revisions(), a.tags(), a.workloadProfileName(), a.workloadProfile());
        var alert = b.alert();
        var movedAlert = new io.oomresponder.intake.AlertSignal(alert.id() + "-" + group, alert.rule(), alert.signal(), alert.condition(),
                alert.firedAt(), alert.resolvedAt(), id, alert.raw(), alert.severity(), alert.metricValue(), alert.threshold(),
                alert.query(), alert.dimensions(), alert.windowStart(), alert.windowEnd());
        return new EvidenceBundle(b.schemaVersion(), movedAlert, b.window(), moved, b.replicas(), b.metrics(), b.systemLogs(), b.consoleLogs(), List.of());
    }
}
