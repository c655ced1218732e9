package io.oomresponder.delivery.webhook;

import io.oomresponder.delivery.SinkSettings;
import io.oomresponder.config.Settings;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * A generic signed webhook.
 *
 * @param url    WEBHOOK_URL (treated as a secret: URLs often carry tokens)
 * @param secret WEBHOOK_SECRET, the HMAC-SHA256 key (secret, required with the URL)
 */
public record WebhookConfig(URI url, String secret) {

    public static final String URL = "WEBHOOK_URL";
    public static final String SECRET = "WEBHOOK_SECRET";
    /** A shorter key makes the signature guessable. */
    public static final int MIN_SECRET_CHARS = 16;

    public WebhookConfig {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(secret, "secret");
        if (secret.length() < MIN_SECRET_CHARS) {
            throw new IllegalArgumentException("setting " + SECRET + " must be at least " + MIN_SECRET_CHARS + " characters");
        }
    }

    public static Optional<WebhookConfig> from(Settings settings) {
        return SinkSettings.optionalUrl(settings, URL, true).map(url -> new WebhookConfig(url,
                settings.get(SECRET).orElseThrow(() -> new IllegalArgumentException("setting " + SECRET + " is required when " + URL + " is set"))));
    }

    @Override
    public String toString() {
        return "WebhookConfig[url=" + url.getScheme() + "://" + url.getHost() + "/…(hidden), secret=(hidden)]";
    }
}
