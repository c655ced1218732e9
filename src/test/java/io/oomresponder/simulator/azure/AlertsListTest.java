package io.oomresponder.simulator.azure;

import com.fasterxml.jackson.databind.JsonNode;
import io.oomresponder.SharedFiles;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.EvidenceBundleFile;
import io.oomresponder.intake.AlertSignal;
import io.oomresponder.json.Json;
import io.oomresponder.simulator.Retargeting;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulator's Alerts - Get All, against the 2019-05-05-preview spec in azure-rest-api-specs
 * (alertsmanagement/resource-manager/Microsoft.AlertsManagement/preview/2019-05-05-preview): the
 * {@code value}/{@code nextLink} shape, {@code timeRange}, {@code pageCount}, {@code targetResource},
 * one subscription only, and 400 for what the spec does not allow.
 */
class AlertsListTest {

    static final String SUB = "11111111-2222-3333-4444-555555555555";
    static final String OTHER_SUB = "99999999-2222-3333-4444-555555555555";
    static final Instant NOW = Instant.parse("2026-11-30T18:00:00Z");

    private static FakeAzure fake;
    private static HttpClient http;
    private static final List<String> ALERT_IDS = new ArrayList<>();

    static EvidenceBundle app(EvidenceBundle truth, String sub, String name, Duration ago, int n) {
        EvidenceBundle moved = Retargeting.retarget(truth, "/subscriptions/" + sub + "/resourceGroups/rg-web/providers/Microsoft.App/containerApps/" + name, NOW.minus(ago));
        AlertSignal a = moved.alert();
        String id = "/subscriptions/" + sub + "/providers/Microsoft.AlertsManagement/alerts/00000000-0000-0000-0000-00000000000" + n;
        ALERT_IDS.add(id);
        return moved.withAlert(new AlertSignal(id, a.rule(), a.signal(), a.condition(), a.firedAt(), a.resolvedAt(), a.targetResourceId(), null,
                a.severity(), a.metricValue(), a.threshold(), a.query(), a.dimensions(), a.windowStart(), a.windowEnd()));
    }

    @BeforeAll
    static void start() throws Exception {
        EvidenceBundle truth = EvidenceBundleFile.read(SharedFiles.example("other-apperror.json"));
        fake = FakeAzure.start(List.of(
                app(truth, SUB, "app-ten", Duration.ofMinutes(10), 1),
                app(truth, SUB, "app-thirty", Duration.ofMinutes(30), 2),
                app(truth, SUB, "app-three-hours", Duration.ofHours(3), 3),
                app(truth, OTHER_SUB, "app-elsewhere", Duration.ofMinutes(5), 4)), 0, Clock.fixed(NOW, ZoneOffset.UTC));
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

    static HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer test").GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String list(String query) {
        return fake.baseUrl() + "/subscriptions/" + SUB + "/providers/Microsoft.AlertsManagement/alerts?api-version=2019-05-05-preview" + query;
    }

    static List<String> ids(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.path("value").forEach(v -> out.add(v.path("id").asText()));
        return out;
    }

    @Test
    void lastHourListsThisSubscriptionsAlertsNewestFirstInTheSpecsShape() throws Exception {
        HttpResponse<String> r = get(list("&timeRange=1h"));

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode page = Json.mapper().readTree(r.body());
        assertThat(ids(page)).containsExactly(ALERT_IDS.get(0), ALERT_IDS.get(1));
        assertThat(page.has("nextLink")).isFalse();
        JsonNode first = page.path("value").path(0);
        assertThat(first.path("type").asText()).isEqualTo("Microsoft.AlertsManagement/alerts");
        assertThat(first.at("/properties/essentials/monitorCondition").asText()).isEqualTo("Fired");
        assertThat(first.at("/properties/essentials/targetResource").asText()).endsWith("/containerapps/app-ten");
        assertThat(first.at("/properties/essentials/startDateTime").asText()).isEqualTo(NOW.minus(Duration.ofMinutes(10)).toString());
    }

    @Test
    void theDefaultRangeIsOneDayAndTargetResourceFilters() throws Exception {
        assertThat(ids(Json.mapper().readTree(get(list("")).body()))).hasSize(3);
        String target = "/subscriptions/" + SUB + "/resourceGroups/rg-web/providers/Microsoft.App/containerApps/app-thirty";
        assertThat(ids(Json.mapper().readTree(get(list("&targetResource=" + target)).body()))).containsExactly(ALERT_IDS.get(1));
    }

    @Test
    void pagesFollowNextLinkUntilItIsAbsent() throws Exception {
        JsonNode page = Json.mapper().readTree(get(list("&timeRange=1d&pageCount=2")).body());
        List<String> seen = new ArrayList<>(ids(page));
        assertThat(page.path("nextLink").asText()).startsWith(fake.baseUrl());
        page = Json.mapper().readTree(get(page.path("nextLink").asText()).body());
        seen.addAll(ids(page));

        assertThat(page.has("nextLink")).isFalse();
        assertThat(seen).containsExactly(ALERT_IDS.get(0), ALERT_IDS.get(1), ALERT_IDS.get(2));
    }

    @Test
    void aResourceGroupScopeListsThatGroupFrom2023_07_12_previewOn() throws Exception {
        String rg = fake.baseUrl() + "/subscriptions/" + SUB + "/resourceGroups/rg-web/providers/Microsoft.AlertsManagement/alerts?timeRange=1h&api-version=";
        assertThat(ids(Json.mapper().readTree(get(rg + "2023-07-12-preview").body()))).containsExactly(ALERT_IDS.get(0), ALERT_IDS.get(1));
        assertThat(ids(Json.mapper().readTree(get(rg.replace("rg-web", "rg-other") + "2023-07-12-preview").body()))).isEmpty();
        assertThat(get(rg + "2019-05-05-preview").statusCode()).as("2019-05-05-preview defines only the subscription path").isEqualTo(400);
    }

    @Test
    void whatTheSpecDoesNotAllowIsA400() throws Exception {
        assertThat(get(list("&timeRange=2h")).statusCode()).isEqualTo(400);
        assertThat(get(list("&timeRange=1h&customTimeRange=2026-11-30T17:00:00Z/2026-11-30T18:00:00Z")).statusCode()).isEqualTo(400);
        assertThat(get(list("&pageCount=251")).statusCode()).isEqualTo(400);
        assertThat(get(list("&pageCount=0")).statusCode()).isEqualTo(400);
        assertThat(get(list("&monitorCondition=Open")).statusCode()).isEqualTo(400);
        assertThat(get(list("").replace("2019-05-05-preview", "2018-05-05")).statusCode()).isEqualTo(400);
    }
}
