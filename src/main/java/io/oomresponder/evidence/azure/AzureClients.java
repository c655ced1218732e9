package io.oomresponder.evidence.azure;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.policy.BearerTokenAuthenticationPolicy;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.http.HttpRequest;
import com.azure.core.util.Context;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.profile.AzureProfile;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.monitor.query.LogsQueryClient;
import com.azure.monitor.query.LogsQueryClientBuilder;
import com.azure.monitor.query.MetricsQueryClient;
import com.azure.monitor.query.MetricsQueryClientBuilder;
import com.azure.resourcemanager.appcontainers.ContainerAppsApiManager;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.oomresponder.config.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import javax.net.ssl.SSLException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one place the Azure SDK clients are built, once, from settings: one HTTP client, one
 * credential, one retry configuration; ARM managers per subscription are built on first use and
 * kept. Metrics are read with the per-resource metrics API through ARM ({@link MetricsQueryClient}),
 * which resource-group roles allow; the subscription-level batch API would need Monitoring Reader on
 * the whole subscription (docs/evidence.md). Every client carries the call-timing policy.
 *
 * <p>Credentials: azure-identity's DefaultAzureCredential (managed identity in Azure). Only in
 * simulator mode ({@code AZURE_SIMULATOR_CERT} set, every endpoint loopback) a static token is used
 * and the simulator's certificate is trusted.
 */
public final class AzureClients {

    private static final Logger LOG = LoggerFactory.getLogger(AzureClients.class);

    public static final String AZURE_TENANT_ID = "AZURE_TENANT_ID";
    public static final String AZURE_CLIENT_ID = "AZURE_CLIENT_ID";
    public static final String EVIDENCE_MAX_RETRIES = "EVIDENCE_MAX_RETRIES";
    public static final String EVIDENCE_RETRY_DELAY = "EVIDENCE_RETRY_DELAY";
    public static final String EVIDENCE_RETRY_MAX_DELAY = "EVIDENCE_RETRY_MAX_DELAY";
    public static final String EVIDENCE_CALL_TIMEOUT = "EVIDENCE_CALL_TIMEOUT";

    static final int DEFAULT_MAX_RETRIES = 3;
    static final Duration DEFAULT_RETRY_DELAY = Duration.ofMillis(800);
    static final Duration DEFAULT_RETRY_MAX_DELAY = Duration.ofSeconds(10);
    static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(20);
    /** More tries than this would outlast any sensible per-source timeout. */
    static final int MAX_RETRIES_LIMIT = 6;

    private final AzureEndpoints endpoints;
    private final String tenantId;
    private final TokenCredential credential;
    private final HttpClient httpClient;
    private final RetryOptions retryOptions;
    private final CallTimingPolicy timing = new CallTimingPolicy();
    private final LogsQueryClient logs;
    private final MetricsQueryClient metrics;
    /**
     * ARM clients per subscription. Bounded, and a client unused for an hour is dropped: they share
     * the one HTTP client, so dropping one releases only its pipeline, and the next alert builds it again.
     */
    private final io.oomresponder.evidence.IdleBoundedMap<String, ContainerAppsApiManager> armBySubscription =
            new io.oomresponder.evidence.IdleBoundedMap<>(256, java.time.Duration.ofHours(1));

    private AzureClients(AzureEndpoints endpoints, String tenantId, TokenCredential credential, HttpClient httpClient,
                         RetryOptions retryOptions) {
        this.endpoints = endpoints;
        this.tenantId = tenantId;
        this.credential = credential;
        this.httpClient = httpClient;
        this.retryOptions = retryOptions;
        this.logs = new LogsQueryClientBuilder()
                .endpoint(endpoints.logs())
                .credential(credential)
                .httpClient(httpClient)
                .retryOptions(retryOptions)
                .addPolicy(timing)
                .buildClient();
        // The client asks for a token for "<endpoint>/.default": the ARM audience of this cloud.
        String arm = endpoints.resourceManager();
        this.metrics = new MetricsQueryClientBuilder()
                .endpoint(arm.substring(0, arm.length() - 1))
                .credential(credential)
                .httpClient(httpClient)
                .retryOptions(retryOptions)
                .addPolicy(timing)
                .buildClient();
    }

    /**
     * Builds the clients from settings (see {@link AzureEndpoints} and the EVIDENCE_* constants).
     *
     * @throws IllegalArgumentException for a malformed setting
     * @throws IllegalStateException    when the simulator certificate is set for a non-loopback endpoint
     */
    public static AzureClients from(Settings settings) {
        AzureEndpoints endpoints = AzureEndpoints.from(settings);
        int maxRetries = settings.integer(EVIDENCE_MAX_RETRIES, DEFAULT_MAX_RETRIES);
        if (maxRetries < 0 || maxRetries > MAX_RETRIES_LIMIT) {
            throw new IllegalArgumentException("setting " + EVIDENCE_MAX_RETRIES + " must be 0.." + MAX_RETRIES_LIMIT + ", was " + maxRetries);
        }
        RetryOptions retry = new RetryOptions(new ExponentialBackoffOptions()
                .setMaxRetries(maxRetries)
                .setBaseDelay(settings.duration(EVIDENCE_RETRY_DELAY, DEFAULT_RETRY_DELAY))
                .setMaxDelay(settings.duration(EVIDENCE_RETRY_MAX_DELAY, DEFAULT_RETRY_MAX_DELAY)));
        Duration callTimeout = settings.duration(EVIDENCE_CALL_TIMEOUT, DEFAULT_CALL_TIMEOUT);
        String tenantId = settings.get(AZURE_TENANT_ID).orElse(null);
        TokenCredential credential;
        HttpClient http;
        if (endpoints.simulatorMode()) {
            LOG.warn("Azure simulator mode: trusting the loopback test certificate and using a static token");
            credential = request -> Mono.just(new AccessToken("simulator-token", OffsetDateTime.now().plusHours(1)));
            http = trustingHttpClient(endpoints.simulatorCert(), callTimeout);
        } else {
            DefaultAzureCredentialBuilder builder = new DefaultAzureCredentialBuilder().authorityHost(endpoints.authorityHost());
            settings.get(AZURE_TENANT_ID).ifPresent(builder::tenantId);
            settings.get(AZURE_CLIENT_ID).ifPresent(builder::managedIdentityClientId);
            credential = builder.build();
            http = new NettyAsyncHttpClientBuilder().responseTimeout(callTimeout).build();
        }
        return new AzureClients(endpoints, tenantId, credential, http, retry);
    }

    public AzureEndpoints endpoints() {
        return endpoints;
    }

    /** The ARM client for this subscription. */
    public ContainerAppsApiManager arm(String subscriptionId) {
        return armBySubscription.computeIfAbsent(subscriptionId.toLowerCase(java.util.Locale.ROOT), sub -> {
            AzureEnvironment base = switch (endpoints.cloud()) {
                case AzureChinaCloud -> AzureEnvironment.AZURE_CHINA;
                case AzureUSGovernment -> AzureEnvironment.AZURE_US_GOVERNMENT;
                case AzureCloud -> AzureEnvironment.AZURE;
            };
            Map<String, String> urls = new HashMap<>(base.getEndpoints());
            urls.put("resourceManagerEndpointUrl", endpoints.resourceManager());
            AzureProfile profile = new AzureProfile(tenantId, subscriptionId, new AzureEnvironment(urls));
            return ContainerAppsApiManager.configure()
                    .withHttpClient(httpClient)
                    .withRetryOptions(retryOptions)
                    .withPolicy(timing)
                    .authenticate(credential, profile);
        });
    }

    /** The per-resource metrics client ({@code GET {resourceId}/providers/Microsoft.Insights/metrics} through ARM). */
    public MetricsQueryClient metrics() {
        return metrics;
    }

    public LogsQueryClient logs() {
        return logs;
    }

    /** An ARM pipeline (token, retries, call timing) for the few ARM calls without an SDK client: Alerts Management, diagnostic settings, workspaces. */
    public HttpPipeline armPipeline() {
        return new HttpPipelineBuilder()
                .httpClient(httpClient)
                .policies(new RetryPolicy(retryOptions),
                        new BearerTokenAuthenticationPolicy(credential, endpoints.resourceManager() + ".default"),
                        timing)
                .build();
    }

    /**
     * Prepares what the first gather would otherwise pay for: the ARM clients of these subscriptions
     * (built by reflection) and one TLS connection to the ARM endpoint (Netty's TLS classes, the
     * handshake). The probe request's answer is ignored and not counted in the call timings.
     */
    public void warmUp(Collection<String> subscriptionIds) {
        subscriptionIds.forEach(this::arm);
        try {
            httpClient.sendSync(new HttpRequest(HttpMethod.GET, endpoints.resourceManager()), Context.NONE).close();
        } catch (RuntimeException e) {
            // Only a head start: the gather will meet (and report) any real connection problem.
            LOG.debug("warm-up request to ARM failed: {}", e.toString());
        }
    }

    /**
     * An HTTP client that trusts exactly the simulator's loopback certificate (simulator mode
     * only; other Azure clients built apart, e.g. the chart's blob client, share it).
     */
    public static HttpClient trustingHttpClient(String certLocation, Duration responseTimeout) {
        SslContext ssl = trusting(readPem(certLocation));
        return new NettyAsyncHttpClientBuilder(reactor.netty.http.client.HttpClient.create().secure(spec -> spec.sslContext(ssl)))
                .responseTimeout(responseTimeout)
                .build();
    }

    private static X509Certificate readPem(String location) {
        try (InputStream in = open(location)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + AzureEndpoints.AZURE_SIMULATOR_CERT + " " + location, e);
        } catch (CertificateException e) {
            throw new IllegalArgumentException(AzureEndpoints.AZURE_SIMULATOR_CERT + " " + location + " is not a PEM certificate", e);
        }
    }

    private static InputStream open(String location) throws IOException {
        if (location.startsWith("classpath:")) {
            InputStream in = AzureClients.class.getClassLoader().getResourceAsStream(location.substring("classpath:".length()));
            if (in == null) {
                throw new IOException("no such classpath resource");
            }
            return in;
        }
        return new ByteArrayInputStream(Files.readAllBytes(Path.of(location)));
    }

    /** A client TLS context that trusts exactly this certificate (and nothing else). */
    private static SslContext trusting(X509Certificate cert) {
        try {
            return SslContextBuilder.forClient().trustManager(cert).build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build a TLS context for the simulator certificate", e);
        }
    }
}
