package io.oomresponder.delivery;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import io.oomresponder.evidence.azure.AzureClients;
import io.oomresponder.note.RenderedNote;
import io.oomresponder.config.Settings;
import io.oomresponder.testing.AzuriteExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The chart link path against Azurite's Blob service with OAuth (it issues user delegation keys
 * and checks user-delegation SAS like the service): upload to a private container, a read-only
 * HTTPS-only SAS signed with a delegation key obtained through a bearer token, never an account key.
 */
@ExtendWith(AzuriteExtension.class)
class ChartPublisherTest {

    private static final String TENANT = "00000000-0000-0000-0000-00000000face";
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 1, 2, 3, 4, 5, 6, 7, 8};
    private static HttpClient https;

    @BeforeAll
    static void trustTheLoopbackCertificate() {
        // Azurite serves the simulator's loopback certificate (AzuriteExtension.OAuthBlob).
        https = HttpClient.newBuilder().sslContext(io.oomresponder.simulator.azure.SimulatorCertificate.clientContext())
                .connectTimeout(Duration.ofSeconds(20)).build();
    }

    @Test
    void theChartIsUploadedPrivatelyAndLinkedWithAReadOnlyUserDelegationSas(AzuriteExtension.OAuthBlob azurite) throws Exception {
        ChartPublisher publisher = new ChartPublisher(service(azurite), "charts-publish", Duration.ofHours(1), Clock.systemUTC());

        String url = publisher.publish(note("/subscriptions/s/providers/Microsoft.AlertsManagement/alerts/6f1c2d3e-aaaa-bbbb-cccc-000000000001"), PNG)
                .orElseThrow();

        assertThat(url).startsWith(azurite.blobEndpoint() + "/charts-publish/");
        Map<String, String> query = query(url);
        assertThat(query).containsEntry("sp", "r").containsEntry("spr", "https").containsEntry("sr", "b")
                .containsKeys("sig", "skoid", "sktid", "ske", "sv", "se");
        assertThat(query.get("sktid")).as("signed by the token's tenant: a user delegation key").isEqualTo(TENANT);

        HttpResponse<byte[]> read = get(url);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).isEqualTo(PNG);
        assertThat(read.headers().firstValue("Content-Type")).hasValue("image/png");

        assertThat(get(url.substring(0, url.indexOf('?'))).statusCode()).as("the container is private").isNotEqualTo(200);
        String forged = url.replaceAll("sig=[^&]+", "sig=" + java.net.URLEncoder.encode(Base64.getEncoder().encodeToString(new byte[32]), StandardCharsets.UTF_8));
        assertThat(get(forged).statusCode()).as("a forged signature").isEqualTo(403);
        HttpResponse<String> write = https.send(HttpRequest.newBuilder(URI.create(url)).header("x-ms-blob-type", "BlockBlob")
                .PUT(HttpRequest.BodyPublishers.ofString("overwritten")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(write.statusCode()).as("the link is read-only").isEqualTo(403);
        assertThat(get(url).body()).isEqualTo(PNG);
    }

    @Test
    void oneDelegationKeySignsManyChartsAndEachNoteGetsItsOwnBlob(AzuriteExtension.OAuthBlob azurite) {
        ChartPublisher publisher = new ChartPublisher(service(azurite), "charts-many", Duration.ofHours(1), Clock.systemUTC());
        String first = publisher.publish(note("/x/alerts/1"), PNG).orElseThrow();
        byte[] other = PNG.clone();
        other[15] = 9;
        String second = publisher.publish(note("/x/alerts/2"), other).orElseThrow();

        assertThat(first.substring(0, first.indexOf('?'))).isNotEqualTo(second.substring(0, second.indexOf('?')));
        assertThat(query(first).get("ske")).as("the same delegation key").isEqualTo(query(second).get("ske"));
    }

    @Test
    void atTheSevenDayMaximumTheLinkEndsWithItsKeyAndOneKeySignsManyCharts(AzuriteExtension.OAuthBlob azurite) throws Exception {
        ChartPublisher publisher = new ChartPublisher(service(azurite), "charts-week", Duration.ofDays(7), Clock.systemUTC());

        String first = publisher.publish(note("/x/alerts/w1"), PNG).orElseThrow();
        byte[] other = PNG.clone();
        other[14] = 9;
        String second = publisher.publish(note("/x/alerts/w2"), other).orElseThrow();

        for (String url : List.of(first, second)) {
            Map<String, String> q = query(url);
            java.time.OffsetDateTime se = java.time.OffsetDateTime.parse(q.get("se"));
            java.time.OffsetDateTime ske = java.time.OffsetDateTime.parse(q.get("ske"));
            assertThat(se).as("the SAS never outlives its delegation key").isBeforeOrEqualTo(ske);
            assertThat(Duration.between(java.time.OffsetDateTime.now(), se))
                    .as("still close to the week asked for").isGreaterThan(Duration.ofDays(7).minus(ChartPublisher.CLOCK_SKEW).minus(ChartPublisher.KEY_REUSE_SLACK).minusMinutes(1));
            assertThat(get(url).statusCode()).isEqualTo(200);
        }
        assertThat(query(first).get("ske")).as("no key per chart").isEqualTo(query(second).get("ske"));
    }

    @Test
    void aLinkIsCutToItsKeysExpiryAndNeverBeyond() {
        BlobServiceClient unused = new BlobServiceClientBuilder().endpoint("https://127.0.0.1:1/devstoreaccount1").credential(token()).buildClient();
        ChartPublisher week = new ChartPublisher(unused, "c", Duration.ofDays(7), Clock.systemUTC());
        java.time.OffsetDateTime now = java.time.OffsetDateTime.parse("2026-12-06T08:00:00Z");
        java.time.OffsetDateTime keyExpiry = now.plusDays(7).minus(ChartPublisher.CLOCK_SKEW);

        assertThat(week.linkExpiry(now, keyExpiry)).isEqualTo(keyExpiry);
        assertThat(week.linkExpiry(now, now.plusDays(8))).isEqualTo(now.plusDays(7));
        ChartPublisher day = new ChartPublisher(unused, "c", Duration.ofDays(1), Clock.systemUTC());
        assertThat(day.linkExpiry(now, keyExpiry)).as("a short link is not stretched").isEqualTo(now.plusDays(1));
    }

    @Test
    void aFailedUploadGivesNoLinkAndNoException() {
        // Nothing listens on port 1: the note must still go out, without the image.
        BlobServiceClient dead = new BlobServiceClientBuilder().endpoint("https://127.0.0.1:1/devstoreaccount1")
                .credential(token()).httpClient(AzureClients.trustingHttpClient("classpath:simulator/fake-azure.pem", Duration.ofSeconds(2)))
                .retryOptions(new com.azure.storage.common.policy.RequestRetryOptions(null, 1, 2, null, null, null))
                .buildClient();
        ChartPublisher publisher = new ChartPublisher(dead, "charts", Duration.ofHours(1), Clock.systemUTC());

        assertThat(publisher.publish(note("/x/alerts/3"), PNG)).isEmpty();
    }

    @Test
    void settingsChooseTheIdentityBasedEndpointAndCanTurnLinksOff() {
        assertThat(ChartPublisher.blobServiceUrl(new Settings(Map.of("AzureWebJobsStorage__accountName", "stoomresp"))))
                .hasValue("https://stoomresp.blob.core.windows.net/");
        assertThat(ChartPublisher.blobServiceUrl(new Settings(Map.of("AzureWebJobsStorage__accountName", "st", "AZURE_CLOUD", "AzureChinaCloud"))))
                .hasValue("https://st.blob.core.chinacloudapi.cn/");
        assertThat(ChartPublisher.fromSettings(new Settings(Map.of("AzureWebJobsStorage__accountName", "st", "CHART_UPLOAD", "false")),
                Clock.systemUTC())).isEmpty();
        assertThat(ChartPublisher.fromSettings(new Settings(Map.of("AzureWebJobsStorage", "UseDevelopmentStorage=true")), Clock.systemUTC()))
                .as("a shared-key connection string cannot sign a user-delegation SAS").isEmpty();
        assertThat(ChartPublisher.fromSettings(new Settings(Map.of("AzureWebJobsStorage__accountName", "st")), Clock.systemUTC()))
                .hasValueSatisfying(p -> assertThat(p.containerName()).isEqualTo("charts"));
        assertThatThrownBy(() -> ChartPublisher.fromSettings(new Settings(Map.of("CHART_STORAGE_URL", "https://st.blob.core.windows.net/",
                "CHART_LINK_LIFETIME", "P8D")), Clock.systemUTC())).hasMessageContaining("CHART_LINK_LIFETIME");
        assertThatThrownBy(() -> ChartPublisher.fromSettings(new Settings(Map.of("CHART_UPLOAD", "yes")), Clock.systemUTC()))
                .hasMessageContaining("CHART_UPLOAD");
    }

    private static BlobServiceClient service(AzuriteExtension.OAuthBlob azurite) {
        return new BlobServiceClientBuilder().endpoint(azurite.blobEndpoint()).credential(token())
                .httpClient(AzureClients.trustingHttpClient("classpath:simulator/fake-azure.pem", Duration.ofSeconds(20))).buildClient();
    }

    /** An Entra-shaped token for Azurite's basic OAuth: right issuer, audience and lifetime; the signature is not checked there. */
    private static TokenCredential token() {
        return request -> {
            long now = System.currentTimeMillis() / 1000;
            String header = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
            String claims = b64("{\"aud\":\"https://storage.azure.com\",\"iss\":\"https://sts.windows.net/" + TENANT + "/\",\"iat\":" + (now - 60)
                    + ",\"nbf\":" + (now - 60) + ",\"exp\":" + (now + 3600) + ",\"oid\":\"11111111-2222-3333-4444-555555555555\",\"tid\":\"" + TENANT + "\"}");
            return Mono.just(new AccessToken(header + "." + claims + ".c2ln", OffsetDateTime.now().plusHours(1)));
        };
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static RenderedNote note(String alertId) {
        return new RenderedNote(alertId, alertId + "|c", null, RenderedNote.Kind.NEW_INCIDENT, false,
                "/subscriptions/s/resourceGroups/g/providers/Microsoft.App/containerApps/a", "Sev2", "title", null, "", "", "", PNG, null);
    }

    private static HttpResponse<byte[]> get(String url) throws Exception {
        return https.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static Map<String, String> query(String url) {
        Map<String, String> out = new java.util.HashMap<>();
        for (String pair : URI.create(url).getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            out.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }
}
