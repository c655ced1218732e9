package io.oomresponder.intake;

import com.fasterxml.jackson.databind.JsonNode;
import io.oomresponder.json.Json;
import io.oomresponder.config.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * {@code AlertWebhook}'s own write to the {@code alerts} queue, bounded by a deadline, so that a slow
 * or refusing queue becomes a 503 with Retry-After (which the action group retries) instead of the
 * 500 the Functions host answers when a queue output binding fails after the function returned.
 *
 * <p>Why not the azure-storage-queue client: this runs before the first 202 of a cold worker, inside
 * the action group's 10-second window, and that client brings the Reactor/Netty stack and a
 * credential chain with it. This writer needs only the JDK {@link HttpClient}: one
 * <a href="https://learn.microsoft.com/rest/api/storageservices/put-message">Put Message</a> per
 * alert, base64 text as the Functions host writes and expects it (host.json's default
 * {@code messageEncoding}), authorised either with Shared Key (a connection string, e.g. Azurite;
 * signed by azure-storage-common's {@code StorageSharedKeyCredential}, a signer, not a client) or
 * with a bearer token for {@code https://storage.azure.com/} from the platform's managed identity
 * endpoint ({@code IDENTITY_ENDPOINT} + {@code IDENTITY_HEADER}, as App Service and Functions provide
 * it; the identity-based {@code AzureWebJobsStorage__accountName} form the infra deploys).
 */
public final class AlertQueueWriter {

    /** The Function app's queue (host.json, RespondToAlert's trigger). */
    public static final String QUEUE = "alerts";
    /** Default deadline for writing one request's alerts: leaves room in the action group's 10 s for a cold start. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(4);
    /** Storage REST version sent with every request (supported by Azure and by Azurite 3.37). */
    static final String STORAGE_VERSION = "2025-11-05";

    private static final Logger LOG = LoggerFactory.getLogger(AlertQueueWriter.class);
    private static final DateTimeFormatter RFC1123 = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final URI messagesUri;
    private final URI queueUri;
    private final Authorizer authorizer;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * @param queueUri   {@code <queue service endpoint>/alerts}
     * @param authorizer adds the Authorization header
     * @param timeout    deadline for one {@link #write} call, token included
     */
    AlertQueueWriter(URI queueUri, Authorizer authorizer, Duration timeout) {
        this.queueUri = Objects.requireNonNull(queueUri, "queueUri");
        this.messagesUri = URI.create(queueUri + "/messages");
        this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    /**
     * The writer for {@code AzureWebJobsStorage} (connection string) or its identity-based form
     * ({@code AzureWebJobsStorage__queueServiceUri} / {@code __accountName}, {@code __clientId}), with
     * the deadline {@code INTAKE_QUEUE_TIMEOUT}.
     *
     * @throws IllegalStateException when no storage account is configured
     */
    public static AlertQueueWriter fromSettings(Settings settings) {
        Duration timeout = settings.duration("INTAKE_QUEUE_TIMEOUT", DEFAULT_TIMEOUT);
        Optional<String> connection = settings.get("AzureWebJobsStorage");
        if (connection.isPresent()) {
            return new AlertQueueWriter(URI.create(queueEndpoint(connection.get()) + "/" + QUEUE), Authorizer.sharedKey(connection.get()), timeout);
        }
        String endpoint = settings.get("AzureWebJobsStorage__queueServiceUri")
                .or(() -> settings.get("AzureWebJobsStorage__accountName").map(a -> "https://" + a + ".queue.core.windows.net"))
                .orElseThrow(() -> new IllegalStateException("no storage account: set AzureWebJobsStorage or AzureWebJobsStorage__accountName"));
        String clientId = settings.get("AzureWebJobsStorage__clientId").or(() -> settings.get("AZURE_CLIENT_ID")).orElse(null);
        return new AlertQueueWriter(URI.create(trimSlash(endpoint) + "/" + QUEUE),
                Authorizer.managedIdentity(settings.get("IDENTITY_ENDPOINT").orElse(null), settings.get("IDENTITY_HEADER").orElse(null), clientId, timeout),
                timeout);
    }

    /** The deadline of one write. */
    public Duration timeout() {
        return timeout;
    }

    /**
     * Puts each message on the queue, all before the deadline.
     *
     * @return true when every message was written; false when any was refused or the deadline passed
     *         (the caller answers 503 so the sender retries; a message written before the failure is
     *         handled once, because the pipeline dedupes on the alert id)
     */
    public boolean write(List<String> messages) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            List<CompletableFuture<Integer>> sends = new ArrayList<>();
            for (String m : messages) {
                sends.add(send(m, deadline, true));
            }
            for (CompletableFuture<Integer> s : sends) {
                int status = s.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (status != 201) {
                    LOG.warn("the alerts queue answered {} to Put Message", status);
                    return false;
                }
            }
            return true;
        } catch (TimeoutException e) {
            LOG.warn("the alerts queue did not take the alert within {}", timeout);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            LOG.warn("could not write to the alerts queue: {}", cause == null ? e.toString() : cause.toString());
            return false;
        }
    }

    private CompletableFuture<Integer> send(String message, long deadline, boolean createIfMissing) {
        String text = Base64.getEncoder().encodeToString(message.getBytes(StandardCharsets.UTF_8));
        byte[] body = ("<?xml version=\"1.0\" encoding=\"utf-8\"?><QueueMessage><MessageText>" + text
                + "</MessageText></QueueMessage>").getBytes(StandardCharsets.UTF_8);
        return request("POST", messagesUri, body, deadline).thenCompose(status -> {
            if (status == 404 && createIfMissing) {
                // The infra creates the queue; a fresh Azurite or storage account may not have it yet.
                return request("PUT", queueUri, new byte[0], deadline).thenCompose(created -> send(message, deadline, false));
            }
            return CompletableFuture.completedFuture(status);
        });
    }

    private CompletableFuture<Integer> request(String method, URI uri, byte[] body, long deadline) {
        Duration left = Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
        Map<String, String> signed = new LinkedHashMap<>();
        signed.put("Content-Length", body.length == 0 ? "" : String.valueOf(body.length));
        signed.put("Content-Type", body.length == 0 ? "" : "application/xml");
        signed.put("x-ms-date", RFC1123.format(Instant.now()));
        signed.put("x-ms-version", STORAGE_VERSION);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(left)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
                .header("x-ms-date", signed.get("x-ms-date"))
                .header("x-ms-version", STORAGE_VERSION)
                .header("Authorization", authorizer.authorization(uri, method, signed, deadline));
        if (body.length > 0) {
            b.header("Content-Type", "application/xml");
        }
        return http.sendAsync(b.build(), HttpResponse.BodyHandlers.discarding()).thenApply(HttpResponse::statusCode);
    }

    /** The queue service endpoint of a storage connection string (explicit QueueEndpoint, Azurite's, or the account's). */
    static String queueEndpoint(String connectionString) {
        Map<String, String> parts = new LinkedHashMap<>();
        for (String part : connectionString.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                parts.put(part.substring(0, eq).trim().toLowerCase(Locale.ROOT), part.substring(eq + 1).trim());
            }
        }
        if (parts.containsKey("queueendpoint")) {
            return trimSlash(parts.get("queueendpoint"));
        }
        if ("true".equalsIgnoreCase(parts.get("usedevelopmentstorage"))) {
            return "http://127.0.0.1:10001/devstoreaccount1";
        }
        String account = parts.get("accountname");
        if (account == null) {
            throw new IllegalStateException("AzureWebJobsStorage has neither QueueEndpoint nor AccountName");
        }
        return parts.getOrDefault("defaultendpointsprotocol", "https") + "://" + account + ".queue."
                + parts.getOrDefault("endpointsuffix", "core.windows.net");
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** Produces the Authorization header of one request. */
    interface Authorizer {

        String authorization(URI uri, String method, Map<String, String> signedHeaders, long deadlineNanos);

        /** Shared Key, signed by azure-storage-common from the connection string's account key. */
        static Authorizer sharedKey(String connectionString) {
            var credential = com.azure.storage.common.StorageSharedKeyCredential.fromConnectionString(connectionString);
            return (uri, method, headers, deadline) -> {
                try {
                    return credential.generateAuthorizationHeader(uri.toURL(), method, headers);
                } catch (java.net.MalformedURLException e) {
                    throw new IllegalStateException("queue URL is not a URL: " + e.getMessage());
                }
            };
        }

        /**
         * A bearer token for Storage from the App Service / Functions managed identity endpoint
         * (api-version 2019-08-01, header X-IDENTITY-HEADER), cached until five minutes before it
         * expires. Off the platform (no IDENTITY_ENDPOINT) it falls back to DefaultAzureCredential,
         * which is heavier but only runs on developer machines.
         */
        static Authorizer managedIdentity(String identityEndpoint, String identityHeader, String clientId, Duration timeout) {
            Supplier<Token> fetch = identityEndpoint != null && identityHeader != null
                    ? () -> Token.fromIdentityEndpoint(identityEndpoint, identityHeader, clientId, timeout)
                    : () -> Token.fromDefaultCredential(clientId);
            Token[] cached = new Token[1];
            return (uri, method, headers, deadline) -> {
                synchronized (cached) {
                    if (cached[0] == null || cached[0].expiresAt().isBefore(Instant.now().plus(Duration.ofMinutes(5)))) {
                        cached[0] = fetch.get();
                    }
                    return "Bearer " + cached[0].value();
                }
            };
        }
    }

    /** An access token and when it expires. */
    record Token(String value, Instant expiresAt) {

        static final String STORAGE_RESOURCE = "https://storage.azure.com/";

        static Token fromIdentityEndpoint(String endpoint, String header, String clientId, Duration timeout) {
            String uri = endpoint + (endpoint.contains("?") ? "&" : "?") + "api-version=2019-08-01&resource="
                    + URLEncoder.encode(STORAGE_RESOURCE, StandardCharsets.UTF_8)
                    + (clientId == null ? "" : "&client_id=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8));
            try {
                HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(timeout).build().send(
                        HttpRequest.newBuilder(URI.create(uri)).timeout(timeout).header("X-IDENTITY-HEADER", header).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("the managed identity endpoint answered " + r.statusCode());
                }
                JsonNode json = Json.mapper().readTree(r.body());
                String token = json.path("access_token").asText(null);
                if (token == null) {
                    throw new IllegalStateException("the managed identity endpoint returned no access_token");
                }
                // expires_on is epoch seconds (as a string) in this API version.
                long expiresOn = json.path("expires_on").asLong(Instant.now().plusSeconds(600).getEpochSecond());
                return new Token(token, Instant.ofEpochSecond(expiresOn));
            } catch (IOException e) {
                throw new IllegalStateException("the managed identity endpoint could not be read: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while asking for a token");
            }
        }

        static Token fromDefaultCredential(String clientId) {
            return DeveloperCredential.token(clientId);
        }
    }

    /** Off the platform only: kept in its own class so the Azure identity stack loads only when it is used. */
    private static final class DeveloperCredential {

        static Token token(String clientId) {
            var builder = new com.azure.identity.DefaultAzureCredentialBuilder();
            if (clientId != null) {
                builder.managedIdentityClientId(clientId);
            }
            var token = builder.build().getTokenSync(new com.azure.core.credential.TokenRequestContext().addScopes(Token.STORAGE_RESOURCE + ".default"));
            return new Token(token.getToken(), token.getExpiresAt().toInstant());
        }
    }
}
