package io.oomresponder.delivery.eventgrid;

import io.oomresponder.delivery.SinkSettings;
import io.oomresponder.config.Settings;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * An Event Grid topic (CloudEvents 1.0 input schema).
 *
 * @param topicEndpoint EVENTGRID_TOPIC_ENDPOINT, e.g. https://my-topic.westeurope-1.eventgrid.azure.net/api/events
 * @param accessKey     EVENTGRID_TOPIC_KEY (secret), or null to use the managed identity (DefaultAzureCredential,
 *                      role "EventGrid Data Sender" on the topic)
 */
public record EventGridConfig(URI topicEndpoint, String accessKey) {

    public static final String ENDPOINT = "EVENTGRID_TOPIC_ENDPOINT";
    public static final String KEY = "EVENTGRID_TOPIC_KEY";

    public EventGridConfig {
        Objects.requireNonNull(topicEndpoint, "topicEndpoint");
    }

    public static Optional<EventGridConfig> from(Settings settings) {
        return SinkSettings.optionalUrl(settings, ENDPOINT, false).map(url -> new EventGridConfig(url, settings.get(KEY).orElse(null)));
    }

    @Override
    public String toString() {
        return "EventGridConfig[topicEndpoint=" + topicEndpoint + ", accessKey=" + (accessKey == null ? "(managed identity)" : "(hidden)") + "]";
    }
}
