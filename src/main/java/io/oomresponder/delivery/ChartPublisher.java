package io.oomresponder.delivery;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.util.BinaryData;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.UserDelegationKey;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import com.azure.storage.blob.sas.BlobSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.storage.common.sas.SasProtocol;
import io.oomresponder.evidence.azure.AzureClients;
import io.oomresponder.evidence.azure.AzureEndpoints;
import io.oomresponder.config.Settings;
import io.oomresponder.note.RenderedNote;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Puts a note's chart where Teams can show it: the PNG is uploaded to a private container of the
 * Function app's own storage account, and the card links it with a short-lived, read-only
 * <em>user-delegation</em> SAS. The SAS is signed with a user delegation key that the managed
 * identity obtains with Microsoft Entra ID (DefaultAzureCredential), never with an account key:
 * the account has shared keys off, and revoking the identity's role or the delegation keys
 * revokes every link (Learn: "Create a user delegation SAS").
 *
 * <p>Roles the identity needs (infra/modules/storage.bicep): Storage Blob Data Contributor on the
 * container (upload) and a role with {@code generateUserDelegationKey} at the account (Storage
 * Blob Delegator), because a delegation key is requested for the whole blob service.
 *
 * <p>A failed upload never stops a note: the card goes out without the image and the failure is
 * logged (no URL, no token).
 */
public final class ChartPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(ChartPublisher.class);

    /** {@code false} turns chart links off (the card then shows no image; tickets still attach the PNG). */
    public static final String CHART_UPLOAD = "CHART_UPLOAD";
    /** The private container the charts go to. */
    public static final String CHART_CONTAINER = "CHART_CONTAINER";
    /** How long a chart link stays readable. */
    public static final String CHART_LINK_LIFETIME = "CHART_LINK_LIFETIME";
    /** The blob service URL, when it is not the one of the Functions host storage account. */
    public static final String CHART_STORAGE_URL = "CHART_STORAGE_URL";

    static final String DEFAULT_CONTAINER = "charts";
    static final Duration DEFAULT_LIFETIME = Duration.ofDays(1);
    /** A user delegation key, and so a user-delegation SAS, is valid for at most 7 days (Get User Delegation Key). */
    static final Duration MAX_LIFETIME = Duration.ofDays(7);
    /** Start times are backdated this much: the reader's clock may be behind the storage service's. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    /**
     * A key is reused while it covers a new link's wanted expiry less this: near the 7-day maximum no
     * key can cover a full lifetime from a later time, and fetching a key per chart is what this avoids.
     * Such a link is cut to its key's expiry, so it lasts at least the lifetime less this and the skew.
     */
    static final Duration KEY_REUSE_SLACK = Duration.ofHours(1);

    private final BlobServiceClient service;
    private final BlobContainerClient container;
    private final Duration lifetime;
    private final Clock clock;
    private final Object keyLock = new Object();
    private UserDelegationKey key;
    private volatile boolean containerReady;

    /**
     * @param service   a blob service client authenticated with a token credential (user delegation
     *                  keys cannot be had with a shared key)
     * @param container the private container
     * @param lifetime  how long each link is readable, at most 7 days
     * @param clock     "now" for the SAS start and expiry
     */
    public ChartPublisher(BlobServiceClient service, String container, Duration lifetime, Clock clock) {
        this.service = Objects.requireNonNull(service, "service");
        this.container = service.getBlobContainerClient(Objects.requireNonNull(container, "container"));
        this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
        if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("setting " + CHART_LINK_LIFETIME + " must be more than 0 and at most P7D, was " + lifetime);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The publisher the settings ask for, or empty when chart links are off ({@code CHART_UPLOAD=false})
     * or there is no blob endpoint reachable with an identity ({@code CHART_STORAGE_URL}, or the
     * identity-based {@code AzureWebJobsStorage__blobServiceUri} / {@code __accountName}). A
     * connection string alone (Azurite, shared key) gives no publisher: a user-delegation SAS
     * needs an Entra ID token.
     */
    public static Optional<ChartPublisher> fromSettings(Settings settings, Clock clock) {
        String upload = settings.get(CHART_UPLOAD, "true").trim().toLowerCase(Locale.ROOT);
        if (!upload.equals("true") && !upload.equals("false")) {
            throw new IllegalArgumentException("setting " + CHART_UPLOAD + " must be true or false, was '" + upload + "'");
        }
        if (upload.equals("false")) {
            LOG.info("chart links are off ({}=false)", CHART_UPLOAD);
            return Optional.empty();
        }
        Optional<String> url = blobServiceUrl(settings);
        if (url.isEmpty()) {
            LOG.info("chart links are off: no identity-based blob endpoint ({} or AzureWebJobsStorage__accountName)", CHART_STORAGE_URL);
            return Optional.empty();
        }
        String container = settings.get(CHART_CONTAINER).orElse(DEFAULT_CONTAINER);
        Duration lifetime = settings.duration(CHART_LINK_LIFETIME, DEFAULT_LIFETIME);
        BlobServiceClientBuilder builder = new BlobServiceClientBuilder().endpoint(url.get());
        String simulatorCert = settings.get(AzureEndpoints.AZURE_SIMULATOR_CERT).orElse(null);
        if (simulatorCert != null) {
            // The embedded simulator (demo, tests): loopback only, its certificate, a static token.
            if (!loopback(url.get())) {
                throw new IllegalStateException(AzureEndpoints.AZURE_SIMULATOR_CERT + " is set but " + CHART_STORAGE_URL + " is not a loopback address");
            }
            builder.credential(staticToken()).httpClient(AzureClients.trustingHttpClient(simulatorCert, Duration.ofSeconds(20)));
        } else {
            DefaultAzureCredentialBuilder credential = new DefaultAzureCredentialBuilder();
            settings.get("AZURE_TENANT_ID").ifPresent(credential::tenantId);
            settings.get("AZURE_CLIENT_ID").ifPresent(credential::managedIdentityClientId);
            builder.credential(credential.build());
        }
        return Optional.of(new ChartPublisher(builder.buildClient(), container, lifetime, clock));
    }

    /** The blob service URL from settings: CHART_STORAGE_URL, else the host storage's identity-based settings. */
    static Optional<String> blobServiceUrl(Settings settings) {
        Optional<String> explicit = settings.get(CHART_STORAGE_URL).or(() -> settings.get("AzureWebJobsStorage__blobServiceUri"));
        if (explicit.isPresent()) {
            return explicit;
        }
        return settings.get("AzureWebJobsStorage__accountName").map(name -> "https://" + name + ".blob." + storageSuffix(settings) + "/");
    }

    private static String storageSuffix(Settings settings) {
        return switch (settings.get("AZURE_CLOUD").orElse("AzureCloud")) {
            case "AzureChinaCloud" -> "core.chinacloudapi.cn";
            case "AzureUSGovernment" -> "core.usgovcloudapi.net";
            default -> "core.windows.net";
        };
    }

    /**
     * Uploads the note's chart and returns a read-only link to it, valid for the configured
     * lifetime; empty when the note has no chart or the upload failed (logged).
     */
    public Optional<String> publish(RenderedNote note, byte[] png) {
        if (png == null || png.length == 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(upload(blobName(note, png, clock.instant()), png));
        } catch (RuntimeException e) {
            // Never the URL or a token: the exception's message may carry the request URL with a SAS.
            LOG.warn("chart for alert {} not published ({}); the card goes out without the image",
                    note.alertId(), e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    /** Uploads and signs; throws on failure. */
    String upload(String blobName, byte[] png) {
        ensureContainer();
        BlobClient blob = container.getBlobClient(blobName);
        blob.uploadWithResponse(new BlobParallelUploadOptions(BinaryData.fromBytes(png))
                .setHeaders(new BlobHttpHeaders().setContentType("image/png").setCacheControl("private, max-age=3600")), null, null);
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
        UserDelegationKey signingKey = delegationKey(now);
        BlobServiceSasSignatureValues values = new BlobServiceSasSignatureValues(linkExpiry(now, signingKey.getSignedExpiry()),
                new BlobSasPermission().setReadPermission(true))
                .setStartTime(now.minus(CLOCK_SKEW))
                .setProtocol(SasProtocol.HTTPS_ONLY);
        return blob.getBlobUrl() + "?" + blob.generateUserDelegationSas(values, signingKey);
    }

    /** A link lasts the lifetime, but never past the key it is signed with: the service refuses such a SAS (403). */
    OffsetDateTime linkExpiry(OffsetDateTime now, OffsetDateTime keyExpiry) {
        OffsetDateTime wanted = now.plus(lifetime);
        return wanted.isAfter(keyExpiry) ? keyExpiry : wanted;
    }

    /**
     * A delegation key covering a SAS that starts now and lasts the lifetime: one key serves every
     * chart until it no longer covers a new link's expiry (keys last twice the lifetime, at most 7 days
     * less the skew; near that maximum a key is reused while it covers all but {@link #KEY_REUSE_SLACK}).
     */
    UserDelegationKey delegationKey(OffsetDateTime now) {
        synchronized (keyLock) {
            // The latest expiry any key fetched now can have is now + 7 days - skew; ask no more of an older key than that, less the slack.
            OffsetDateTime wanted = now.plus(lifetime);
            OffsetDateTime reachable = now.plus(MAX_LIFETIME).minus(CLOCK_SKEW);
            OffsetDateTime neededUntil = (wanted.isAfter(reachable) ? reachable : wanted).minus(wanted.isAfter(reachable.minus(KEY_REUSE_SLACK)) ? KEY_REUSE_SLACK : Duration.ZERO);
            if (key == null || key.getSignedExpiry().isBefore(neededUntil) || key.getSignedStart().isAfter(now.minus(CLOCK_SKEW))) {
                Duration keyLife = lifetime.multipliedBy(2).compareTo(MAX_LIFETIME) > 0 ? MAX_LIFETIME : lifetime.multipliedBy(2);
                key = service.getUserDelegationKey(now.minus(CLOCK_SKEW), now.plus(keyLife).minus(CLOCK_SKEW));
            }
            return key;
        }
    }

    private void ensureContainer() {
        if (!containerReady) {
            // Private: no publicAccess; infra creates it too, so this is for Azurite and first runs.
            container.createIfNotExists();
            containerReady = true;
        }
    }

    /** "2026/09/30/<alert guid>-new_incident-<12 hex of the PNG>.png": unguessable without the SAS, one per note. */
    static String blobName(RenderedNote note, byte[] png, Instant now) {
        String alert = note.alertId();
        alert = alert.substring(alert.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        if (alert.length() > 80) {
            alert = alert.substring(0, 80);
        }
        String day = DateTimeFormatter.ofPattern("yyyy/MM/dd", Locale.ROOT).withZone(ZoneOffset.UTC).format(now);
        return day + "/" + alert + "-" + note.kind().name().toLowerCase(Locale.ROOT) + "-" + sha256(png).substring(0, 12) + ".png";
    }

    /** The container the charts go to. */
    public String containerName() {
        return container.getBlobContainerName();
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean loopback(String url) {
        String host = URI.create(url).getHost();
        return "127.0.0.1".equals(host) || "localhost".equalsIgnoreCase(host) || "[::1]".equals(host);
    }

    private static TokenCredential staticToken() {
        return request -> Mono.just(new AccessToken("simulator-token", OffsetDateTime.now().plusHours(1)));
    }

}
