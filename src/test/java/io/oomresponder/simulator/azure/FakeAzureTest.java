package io.oomresponder.simulator.azure;

import com.fasterxml.jackson.databind.JsonNode;
import io.oomresponder.SharedFiles;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.EvidenceBundleFile;
import io.oomresponder.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The simulator's wire shapes, checked with a plain HTTPS client (no SDK in between). */
class FakeAzureTest {

    private static FakeAzure fake;
    private static HttpClient http;
    private static EvidenceBundle truth;

    @BeforeAll
    static void start() throws Exception {
        truth = EvidenceBundleFile.read(SharedFiles.example("other-apperror.json"));
        fake = FakeAzure.start(List.of(truth));
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("fake", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(SimulatorCertificate.pem().getBytes(StandardCharsets.US_ASCII))));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        http = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        fake.close();
    }

    @BeforeEach
    void reset() {
        fake.faults().clear();
        fake.clearRequests();
    }

    private static HttpResponse<String> send(String method, String pathAndQuery, String body, boolean bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fake.baseUrl() + pathAndQuery))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (bearer) {
            b.header("Authorization", "Bearer test");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String metricsPath(String extraQuery) {
        return metricsPath("WorkingSetBytes,Replicas", extraQuery);
    }

    private static String metricsPath(String metricNames, String extraQuery) {
        String sub = truth.app().subscriptionId();
        return "/subscriptions/" + sub + "/metrics:getBatch?metricnamespace=Microsoft.App%2FcontainerApps&metricnames=" + metricNames
                + "&aggregation=maximum,average&interval=PT1M&starttime=2026-10-12T06:20:00Z&endtime=2026-10-12T06:25:00Z"
                + "&api-version=2024-02-01" + extraQuery;
    }

    private static String metricsBody() {
        return "{\"resourceids\":[\"" + truth.app().resourceId() + "\"]}";
    }

    @Test
    void everyRouteButTheTokenEndpointWantsABearerToken() throws Exception {
        HttpResponse<String> r = send("GET", "/subscriptions/x/resourceGroups/y/providers/Microsoft.App/containerApps/z?api-version=2025-01-01", null, false);

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(send("POST", "/tenant/oauth2/v2.0/token", "grant_type=client_credentials", false).body()).contains("access_token");
    }

    @Test
    void metricsBatchWritesLowerCaseDimensionNamesAndEmptyBucketsWithoutAggregates() throws Exception {
        HttpResponse<String> r = send("POST", metricsPath("WorkingSetBytes", "&filter=" + URLEncoder.encode("revisionName eq '*' and podName eq '*'", StandardCharsets.UTF_8)), metricsBody(), true);
        HttpResponse<String> byRevision = send("POST", metricsPath("Replicas", "&filter=" + URLEncoder.encode("revisionName eq '*'", StandardCharsets.UTF_8)), metricsBody(), true);

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode value = Json.mapper().readTree(r.body()).at("/values/0");
        assertThat(value.get("starttime").asText()).isEqualTo("2026-10-12T06:20:00Z");
        assertThat(value.get("interval").asText()).isEqualTo("PT1M");
        JsonNode ws = value.at("/value/0");
        assertThat(ws.at("/name/value").asText()).isEqualTo("WorkingSetBytes");
        assertThat(ws.get("unit").asText()).isEqualTo("Bytes");
        JsonNode ts = ws.at("/timeseries/0");
        assertThat(ts.at("/metadatavalues/0/name/value").asText()).isEqualTo("revisionname");
        assertThat(ts.at("/metadatavalues/1/name/value").asText()).isEqualTo("podname");
        assertThat(ts.get("data")).hasSize(5);
        assertThat(byRevision.statusCode()).isEqualTo(200);
        JsonNode replicas = Json.mapper().readTree(byRevision.body()).at("/values/0/value/0/timeseries/0/metadatavalues");
        assertThat(replicas).as("Replicas has only the revision dimension").hasSize(1);
        // The truth starts at 06:22: earlier buckets are bare {timeStamp}, never a 0.
        assertThat(ts.at("/data/0").size()).isEqualTo(1);
        assertThat(ts.at("/data/0/timeStamp").asText()).isEqualTo("2026-10-12T06:20:00Z");
        // The truth has WorkingSetBytes Maximum only: no average key at all.
        assertThat(ts.at("/data/2/maximum").isNumber()).isTrue();
        assertThat(ts.at("/data/2").has("average")).isFalse();
    }

    @Test
    void metricsWithoutASplitCombineReplicasAndTimespanIsRejectedAsTheServiceDoes() throws Exception {
        JsonNode unsplit = Json.mapper().readTree(send("POST", metricsPath(""), metricsBody(), true).body());
        assertThat(unsplit.at("/values/0/value/0/timeseries/0/metadatavalues")).isEmpty();

        HttpResponse<String> timespan = send("POST", metricsPath("&timespan=PT1H"), metricsBody(), true);
        assertThat(timespan.statusCode()).isEqualTo(400);
        JsonNode sample = Json.mapper().readTree(SharedFiles.contract("metrics-batch-getbatch-2024-02-01-example2.json").toFile())
                .at("/responses/default/body/error");
        JsonNode refused = Json.mapper().readTree(timespan.body()).get("error");
        assertThat(refused.get("code").asText()).isEqualTo(sample.get("code").asText());
        assertThat(refused.get("message").asText()).as("Microsoft's own example").isEqualTo(sample.get("message").asText());
    }

    @Test
    void batchRefusesAFilterOnADimensionOneOfTheMetricsLacksWithAzuresMessageUnderError() throws Exception {
        String bothDimensions = "&filter=" + URLEncoder.encode("revisionName eq '*' and podName eq '*'", StandardCharsets.UTF_8);

        HttpResponse<String> r = send("POST", metricsPath("WorkingSetBytes,Replicas", bothDimensions), metricsBody(), true);

        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode error = Json.mapper().readTree(r.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("BadRequest");
        assertThat(error.get("message").asText())
                .startsWith("Metric: Replicas does not support requested dimension combination: revisionname,podname, supported ones are: revisionName, TraceId: {");
        HttpResponse<String> memory = send("POST", metricsPath("MemoryPercentage", bothDimensions), metricsBody(), true);
        assertThat(memory.statusCode()).isEqualTo(400);
        assertThat(memory.body()).contains("Metric: MemoryPercentage does not support requested dimension combination")
                .contains("supported ones are: podName,");
        String podOnly = "&filter=" + URLEncoder.encode("podName eq '*'", StandardCharsets.UTF_8);
        assertThat(send("POST", metricsPath("MemoryPercentage", podOnly), metricsBody(), true).statusCode()).isEqualTo(200);
        assertThat(send("POST", metricsPath("WorkingSetBytes", "&filter=" + URLEncoder.encode("statusCode eq '*'", StandardCharsets.UTF_8)),
                metricsBody(), true).statusCode()).as("statusCode belongs to Requests only").isEqualTo(400);
    }

    @Test
    void batchWithoutAMetricNamespaceIsRefused() throws Exception {
        String path = metricsPath("").replace("metricnamespace=Microsoft.App%2FcontainerApps&", "");

        HttpResponse<String> r = send("POST", path, metricsBody(), true);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("metricnamespace");
    }

    private static String resourceMetricsPath(String metricNames, String filter) {
        return truth.app().resourceId() + "/providers/Microsoft.Insights/metrics?api-version=2024-02-01"
                + "&metricnamespace=Microsoft.App%2FcontainerApps&metricnames=" + metricNames + "&aggregation=maximum&interval=PT1M"
                + "&timespan=" + URLEncoder.encode("2026-10-12T06:20:00Z/2026-10-12T06:25:00Z", StandardCharsets.UTF_8)
                + (filter == null ? "" : "&$filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8));
    }

    @Test
    void perResourceMetricsThroughArmAnswerInTheSpecShapeAndRefuseUnsupportedDimensionsAtTopLevel() throws Exception {
        HttpResponse<String> ok = send("GET", resourceMetricsPath("WorkingSetBytes", "revisionName eq '*' and podName eq '*'"), null, true);

        assertThat(ok.statusCode()).isEqualTo(200);
        JsonNode body = Json.mapper().readTree(ok.body());
        assertThat(body.get("timespan").asText()).isEqualTo("2026-10-12T06:20:00Z/2026-10-12T06:25:00Z");
        assertThat(body.get("interval").asText()).isEqualTo("PT1M");
        assertThat(body.get("namespace").asText()).isEqualTo("Microsoft.App/containerApps");
        assertThat(body.get("resourceregion").asText()).isEqualTo(fake.world().apps().get(0).app().location());
        assertThat(body.at("/value/0/name/value").asText()).isEqualTo("WorkingSetBytes");
        assertThat(body.at("/value/0/timeseries/0/metadatavalues/1/name/value").asText()).isEqualTo("podname");
        assertThat(fake.requests().get(0).endpoint()).isEqualTo(FakeEndpoint.METRICS);

        HttpResponse<String> refused = send("GET", resourceMetricsPath("Replicas", "revisionName eq '*' and podName eq '*'"), null, true);
        assertThat(refused.statusCode()).isEqualTo(400);
        JsonNode error = Json.mapper().readTree(refused.body());
        assertThat(error.has("error")).as("the metrics API writes its error at the top level").isFalse();
        assertThat(error.get("code").asText()).isEqualTo("BadRequest");
        assertThat(error.get("message").asText()).startsWith("Metric: Replicas does not support requested dimension combination: revisionname,podname");

        String otherApp = resourceMetricsPath("Replicas", null).replace("/containerApps/notif-api/", "/containerApps/nope/");
        assertThat(send("GET", otherApp, null, true).statusCode()).isEqualTo(404);
        assertThat(send("POST", resourceMetricsPath("Replicas", null), "{}", true).statusCode()).isEqualTo(405);
    }

    @Test
    void logAnalyticsWritesNumbersAsStringsAndRecordsTheQuery() throws Exception {
        String query = "let app = 'notif-api'; ContainerAppSystemLogs | where ContainerAppName == app | top 2 by TimeGenerated desc";
        String body = Json.mapper().writeValueAsString(java.util.Map.of("query", query, "timespan", "2026-10-12T06:22:00Z/2026-10-12T09:22:00Z"));

        HttpResponse<String> r = send("POST", "/v1/workspaces/" + fake.world().apps().get(0).app().workspaceId() + "/query", body, true);

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode table = Json.mapper().readTree(r.body()).at("/tables/0");
        assertThat(table.get("rows")).hasSize(2);
        assertThat(table.at("/columns/7/name").asText()).isEqualTo("Count");
        assertThat(table.at("/columns/7/type").asText()).isEqualTo("long");
        assertThat(table.at("/rows/0/7").isTextual()).as("Count travels as a string").isTrue();
        assertThat(fake.logQueries()).containsExactly(query);
    }

    @Test
    void aQueryForAnotherAppNameSelectsNothing() throws Exception {
        String query = "let app = 'notif-api\\' or 1==1'; ContainerAppSystemLogs | where ContainerAppName == app";
        String body = Json.mapper().writeValueAsString(java.util.Map.of("query", query, "timespan", "P7D"));

        HttpResponse<String> r = send("POST", "/v1/workspaces/" + fake.world().apps().get(0).app().workspaceId() + "/query", body, true);

        assertThat(Json.mapper().readTree(r.body()).at("/tables/0/rows")).isEmpty();
    }

    @Test
    void injectedFaultsAreServedOnceOrAlwaysAndLogged() throws Exception {
        fake.faults().failNext(FakeEndpoint.METRICS, Fault.throttle(Duration.ofMillis(1500)), 1);
        HttpResponse<String> throttled = send("POST", metricsPath(""), metricsBody(), true);
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).contains("2");
        assertThat(throttled.headers().firstValue("retry-after-ms")).contains("1500");
        assertThat(send("POST", metricsPath(""), metricsBody(), true).statusCode()).isEqualTo(200);

        fake.faults().failAlways(FakeEndpoint.ARM, Fault.status(500));
        String appPath = "/subscriptions/" + truth.app().subscriptionId() + "/resourceGroups/" + truth.app().resourceGroup()
                + "/providers/Microsoft.App/containerApps/notif-api?api-version=2025-01-01";
        assertThat(send("GET", appPath, null, true).statusCode()).isEqualTo(500);
        assertThat(send("GET", appPath, null, true).statusCode()).isEqualTo(500);

        List<RecordedRequest> log = fake.requests();
        assertThat(log).extracting(RecordedRequest::status).containsExactly(429, 200, 500, 500);
        assertThat(log.get(0).rawQuery()).contains("metricnames=WorkingSetBytes,Replicas");
        assertThat(log.get(0).body()).contains("resourceids");
        assertThat(log.get(2).endpoint()).isEqualTo(FakeEndpoint.ARM);
    }

    @Test
    void armServesTheAppAndItsEnvironmentWithTheWorkspaceId() throws Exception {
        String base = "/subscriptions/" + truth.app().subscriptionId() + "/resourceGroups/" + truth.app().resourceGroup() + "/providers/Microsoft.App/";
        JsonNode app = Json.mapper().readTree(send("GET", base + "containerApps/NOTIF-API?api-version=2025-01-01", null, true).body());
        assertThat(app.at("/properties/template/containers/0/resources/memory").asText()).isEqualTo("3Gi");
        assertThat(app.at("/properties/latestRevisionName").asText()).isEqualTo("notif-api--300h86o");
        String envId = app.at("/properties/managedEnvironmentId").asText();
        EnvironmentLogs original = fake.world().environmentLogs(envId);
        String customerId = fake.world().apps().get(0).app().workspaceId();
        try {
            fake.world().setEnvironmentLogs(envId, new EnvironmentLogs(EnvironmentLogs.LOG_ANALYTICS, List.of()));
            JsonNode env = Json.mapper().readTree(send("GET", envId + "?api-version=2025-01-01", null, true).body());
            assertThat(env.at("/properties/appLogsConfiguration/destination").asText()).isEqualTo("log-analytics");
            assertThat(env.at("/properties/appLogsConfiguration/logAnalyticsConfiguration/customerId").asText()).isEqualTo(customerId);

            String workspace = "/subscriptions/" + truth.app().subscriptionId() + "/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/law-a";
            fake.world().setEnvironmentLogs(envId, new EnvironmentLogs(EnvironmentLogs.AZURE_MONITOR, List.of(
                    new EnvironmentLogs.DiagnosticSetting("to-law-a", workspace, customerId, true, true, false))));
            env = Json.mapper().readTree(send("GET", envId + "?api-version=2025-01-01", null, true).body());
            assertThat(env.at("/properties/appLogsConfiguration/destination").asText()).isEqualTo("azure-monitor");
            assertThat(env.at("/properties/appLogsConfiguration/logAnalyticsConfiguration").isMissingNode()).as("azure-monitor names no workspace").isTrue();
            JsonNode settings = Json.mapper().readTree(send("GET", envId + "/providers/Microsoft.Insights/diagnosticSettings?api-version=2021-05-01-preview",
                    null, true).body());
            assertThat(settings.at("/value/0/properties/workspaceId").asText()).isEqualTo(workspace);
            assertThat(settings.at("/value/0/properties/logs/0/category").asText()).isEqualTo("ContainerAppSystemLogs");
            JsonNode ws = Json.mapper().readTree(send("GET", workspace + "?api-version=2023-09-01", null, true).body());
            assertThat(ws.at("/properties/customerId").asText()).isEqualTo(customerId);
        } finally {
            fake.world().setEnvironmentLogs(envId, original);
        }
        HttpResponse<String> noApp = send("GET", base + "containerApps/nope?api-version=2025-01-01", null, true);
        assertThat(noApp.statusCode()).isEqualTo(404);
        assertThat(Json.mapper().readTree(noApp.body()).at("/error/code").asText()).isEqualTo("ResourceNotFound");
        HttpResponse<String> noGroup = send("GET", base.replace("/resourceGroups/" + truth.app().resourceGroup() + "/", "/resourceGroups/rg-gone/")
                + "containerApps/" + truth.app().name() + "?api-version=2025-01-01", null, true);
        assertThat(noGroup.statusCode()).isEqualTo(404);
        assertThat(Json.mapper().readTree(noGroup.body()).at("/error/code").asText()).as("ARM answers for a missing group itself")
                .isEqualTo("ResourceGroupNotFound");
    }

    @Test
    void aWorkspaceHoldsOnlyItsEnvironmentsTableFamilyAndRefusesTheOtherAsLogAnalyticsDoes() throws Exception {
        String envId = truth.app().environmentId() != null ? truth.app().environmentId() : fake.world().apps().get(0).app().environmentId();
        EnvironmentLogs original = fake.world().environmentLogs(envId);
        String workspace = fake.world().apps().get(0).app().workspaceId();
        try {
            fake.world().setEnvironmentLogs(envId, new EnvironmentLogs(EnvironmentLogs.LOG_ANALYTICS, List.of()));
            HttpResponse<String> refused = send("POST", "/v1/workspaces/" + workspace + "/query", Json.mapper().writeValueAsString(java.util.Map.of(
                    "query", "ContainerAppSystemLogs | where ContainerAppName == 'notif-api'", "timespan", "P7D")), true);
            assertThat(refused.statusCode()).isEqualTo(400);
            JsonNode error = Json.mapper().readTree(refused.body()).get("error");
            assertThat(error.get("code").asText()).isEqualTo("BadArgumentError");
            assertThat(error.at("/innererror/code").asText()).isEqualTo("SemanticError");
            assertThat(error.at("/innererror/innererror/code").asText()).isEqualTo("SEM0100");
            assertThat(error.at("/innererror/innererror/message").asText()).contains("'ContainerAppSystemLogs'");

            HttpResponse<String> undocumentedColumn = send("POST", "/v1/workspaces/" + workspace + "/query", Json.mapper().writeValueAsString(java.util.Map.of(
                    "query", "ContainerAppSystemLogs_CL | where ContainerAppName_s == 'notif-api' | project Reason_s", "timespan", "P7D")), true);
            assertThat(undocumentedColumn.statusCode()).as("a bare _CL column Microsoft does not document").isEqualTo(400);

            HttpResponse<String> ok = send("POST", "/v1/workspaces/" + workspace + "/query", Json.mapper().writeValueAsString(java.util.Map.of(
                    "query", "union isfuzzy=true (ContainerAppSystemLogs | project TimeGenerated), (ContainerAppSystemLogs_CL | where ContainerAppName_s == 'notif-api' | project TimeGenerated)",
                    "timespan", "P7D")), true);
            assertThat(ok.statusCode()).as("a fuzzy union drops the missing leg, as Log Analytics does").isEqualTo(200);
        } finally {
            fake.world().setEnvironmentLogs(envId, original);
        }
    }
}
