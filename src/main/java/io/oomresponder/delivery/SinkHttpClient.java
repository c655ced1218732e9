package io.oomresponder.delivery;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The JDK HTTP client as every HTTP sink uses it: one request, a timeout, and the answer mapped
 * by {@link StatusClassifier}. It never retries and never puts URLs or bodies in its errors.
 */
public final class SinkHttpClient {

    /** Default per-request timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);
    private static final Logger LOG = LoggerFactory.getLogger(SinkHttpClient.class);

    private final HttpClient http;
    private final Duration timeout;
    private final Clock clock;

    public SinkHttpClient(HttpClient http, Duration timeout, Clock clock) {
        this.http = Objects.requireNonNull(http, "http");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A client with its own JDK HttpClient (HTTP/1.1, no redirects: a redirect would resend credentials). */
    public static SinkHttpClient create(Duration timeout, Clock clock) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        return new SinkHttpClient(http, timeout, clock);
    }

    /** A request builder with the timeout set. */
    public HttpRequest.Builder request(java.net.URI uri) {
        return HttpRequest.newBuilder(uri).timeout(timeout).header("User-Agent", "oom-responder");
    }

    /**
     * Sends and returns the 2xx response.
     *
     * @param operation what the request does ("create work item"), for the error message
     * @throws DeliveryException for any other status or a network failure
     */
    public HttpResponse<String> send(String sink, String alertId, String operation, HttpRequest request) {
        HttpResponse<String> response = exchange(sink, alertId, operation, request);
        if (!StatusClassifier.delivered(response.statusCode())) {
            throw StatusClassifier.failure(sink, alertId, operation, response.statusCode(), response.headers(), clock);
        }
        return response;
    }

    /** Sends and returns the response whatever its status (for lookups where 404 is an answer). */
    public HttpResponse<String> exchange(String sink, String alertId, String operation, HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            LOG.debug("sink {} {} for alert {}: HTTP {}", sink, operation, alertId, response.statusCode());
            return response;
        } catch (HttpTimeoutException e) {
            throw new DeliveryException(sink, DeliveryException.Reason.NETWORK, true, null,
                    "sink " + sink + " timed out on " + operation + " for alert " + alertId, null);
        } catch (IOException e) {
            // The exception text can contain the URL (with its signature): keep only its type.
            throw new DeliveryException(sink, DeliveryException.Reason.NETWORK, true, null,
                    "sink " + sink + " unreachable on " + operation + " for alert " + alertId + " (" + e.getClass().getSimpleName() + ")", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException(sink, DeliveryException.Reason.OTHER, true, null,
                    "interrupted while sending to " + sink + " for alert " + alertId, null);
        }
    }
}
