package io.oomresponder.delivery.pagerduty;

import io.oomresponder.delivery.SinkSettings;
import io.oomresponder.config.Settings;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * PagerDuty Events API v2.
 *
 * @param eventsUrl  PAGERDUTY_EVENTS_URL, default https://events.pagerduty.com/v2/enqueue
 * @param routingKey PAGERDUTY_ROUTING_KEY, the service's integration key (secret)
 */
public record PagerDutyConfig(URI eventsUrl, String routingKey) {

    public static final String ROUTING_KEY = "PAGERDUTY_ROUTING_KEY";
    public static final String EVENTS_URL = "PAGERDUTY_EVENTS_URL";
    public static final String DEFAULT_EVENTS_URL = "https://events.pagerduty.com/v2/enqueue";

    public PagerDutyConfig {
        Objects.requireNonNull(eventsUrl, "eventsUrl");
        Objects.requireNonNull(routingKey, "routingKey");
    }

    public static Optional<PagerDutyConfig> from(Settings settings) {
        return settings.get(ROUTING_KEY).map(key -> new PagerDutyConfig(
                SinkSettings.url(EVENTS_URL, settings.get(EVENTS_URL, DEFAULT_EVENTS_URL), false), key));
    }

    @Override
    public String toString() {
        return "PagerDutyConfig[eventsUrl=" + eventsUrl + ", routingKey=(hidden)]";
    }
}
