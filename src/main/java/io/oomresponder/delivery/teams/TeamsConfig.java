package io.oomresponder.delivery.teams;

import io.oomresponder.delivery.SinkSettings;
import io.oomresponder.config.Settings;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Teams Workflows webhook ("When a Teams webhook request is received"). The URL carries a
 * {@code sig=} signature: it is a secret, never logged and never in {@link #toString()}.
 *
 * @param webhookUrl the flow's HTTP trigger URL (TEAMS_WEBHOOK_URL, secret)
 */
public record TeamsConfig(URI webhookUrl) {

    public static final String WEBHOOK_URL = "TEAMS_WEBHOOK_URL";

    public TeamsConfig {
        Objects.requireNonNull(webhookUrl, "webhookUrl");
    }

    /** The config when TEAMS_WEBHOOK_URL is set; fails on an invalid URL. */
    public static Optional<TeamsConfig> from(Settings settings) {
        return SinkSettings.optionalUrl(settings, WEBHOOK_URL, true).map(TeamsConfig::new);
    }

    @Override
    public String toString() {
        return "TeamsConfig[webhookUrl=" + webhookUrl.getScheme() + "://" + webhookUrl.getHost() + "/…(hidden)]";
    }
}
