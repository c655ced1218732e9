package io.oomresponder.delivery.eventgrid;

import com.azure.core.credential.AzureKeyCredential;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.models.CloudEvent;
import com.azure.core.models.CloudEventDataFormat;
import com.azure.core.util.BinaryData;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.messaging.eventgrid.EventGridPublisherClient;
import com.azure.messaging.eventgrid.EventGridPublisherClientBuilder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oomresponder.delivery.AlertKeys;
import io.oomresponder.delivery.DeliveryException;
import io.oomresponder.delivery.Notifier;
import io.oomresponder.delivery.Receipt;
import io.oomresponder.delivery.StatusClassifier;
import io.oomresponder.json.Json;
import io.oomresponder.note.RenderedNote;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * Publishes a CloudEvent {@code OomResponder.IncidentDiagnosed} with azure-messaging-eventgrid's
 * {@link EventGridPublisherClient}. The event id is derived from alert, condition and kind, so a
 * resend carries the same id and subscribers can drop the duplicate (CloudEvents: source + id
 * identify an event). The SDK's own retries are off: retry lives in {@code RetryingNotifier}.
 */
public final class EventGridNotifier implements Notifier {

    public static final String NAME = "eventgrid";
    public static final String EVENT_TYPE = "OomResponder.IncidentDiagnosed";

    private final EventGridPublisherClient<CloudEvent> client;

    public EventGridNotifier(EventGridPublisherClient<CloudEvent> client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /** The real client for a config: key credential when given, managed identity otherwise. */
    public static EventGridPublisherClient<CloudEvent> client(EventGridConfig config) {
        return client(config, null);
    }

    /** As {@link #client(EventGridConfig)} with a given transport (tests swap only the transport, never the SDK). */
    public static EventGridPublisherClient<CloudEvent> client(EventGridConfig config, com.azure.core.http.HttpClient transport) {
        EventGridPublisherClientBuilder builder = new EventGridPublisherClientBuilder()
                .endpoint(config.topicEndpoint().toString())
                .retryOptions(new RetryOptions(new FixedDelayOptions(0, Duration.ofMillis(1))));
        if (transport != null) {
            builder.httpClient(transport);
        }
        if (config.accessKey() != null) {
            builder.credential(new AzureKeyCredential(config.accessKey()));
        } else {
            builder.credential(new DefaultAzureCredentialBuilder().build());
        }
        return builder.buildCloudEventPublisherClient();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Receipt send(RenderedNote note) {
        CloudEvent event = event(note);
        try {
            client.sendEvent(event);
            return new Receipt(NAME, event.getId());
        } catch (HttpResponseException e) {
            int status = e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
            DeliveryException failure = StatusClassifier.failure(NAME, note.alertId(), "publish event", status,
                    null, java.time.Clock.systemUTC());
            java.time.Duration retryAfter = retryAfter(e);
            // The SDK's message can quote the response body: only the status travels on.
            throw new DeliveryException(NAME, failure.reason(), failure.retryable(), retryAfter, failure.getMessage(), null);
        } catch (RuntimeException e) {
            throw new DeliveryException(NAME, DeliveryException.Reason.NETWORK, true, null,
                    "sink " + NAME + " could not publish for alert " + note.alertId() + " (" + e.getClass().getSimpleName() + ")", null);
        }
    }

    static CloudEvent event(RenderedNote note) {
        ObjectNode data = Json.mapper().createObjectNode();
        data.put("alertId", note.alertId());
        data.put("dedupeKey", note.dedupeKey());
        data.put("incidentId", note.incidentId());
        data.put("kind", note.kind().name());
        data.put("replay", note.replay());
        data.put("appResourceId", note.appResourceId());
        data.put("severity", note.severity());
        data.put("title", note.title());
        data.set("summary", note.summary());
        byte[] bytes;
        try {
            bytes = Json.mapper().writeValueAsBytes(data);
        } catch (JsonProcessingException e) {
            throw new DeliveryException(NAME, DeliveryException.Reason.OTHER, false, "note for alert " + note.alertId() + " is not serialisable");
        }
        String source = note.appResourceId() == null ? "/oom-responder" : note.appResourceId();
        CloudEvent event = new CloudEvent(source, EVENT_TYPE, BinaryData.fromBytes(bytes), CloudEventDataFormat.JSON, "application/json");
        event.setId(AlertKeys.sha256Hex((note.dedupeKey() == null ? note.alertId() : note.dedupeKey()) + "|" + note.kind()).substring(0, 32));
        event.setSubject(note.alertId());
        if (note.summary() != null && note.summary().hasNonNull("windowEnd")) {
            event.setTime(OffsetDateTime.parse(note.summary().get("windowEnd").asText()).withOffsetSameInstant(ZoneOffset.UTC));
        }
        return event;
    }

    private static java.time.Duration retryAfter(HttpResponseException e) {
        if (e.getResponse() == null) {
            return null;
        }
        String value = e.getResponse().getHeaderValue("Retry-After");
        if (value == null) {
            return null;
        }
        try {
            long seconds = Long.parseLong(value.trim());
            return java.time.Duration.ofSeconds(Math.min(seconds, StatusClassifier.MAX_RETRY_AFTER.toSeconds()));
        } catch (NumberFormatException notSeconds) {
            return null;
        }
    }
}
