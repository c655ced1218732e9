package io.oomresponder.delivery.teams;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.oomresponder.delivery.DeliveryException;
import io.oomresponder.delivery.Notifier;
import io.oomresponder.delivery.Receipt;
import io.oomresponder.delivery.SinkHttpClient;
import io.oomresponder.json.Json;
import io.oomresponder.note.AdaptiveCard;
import io.oomresponder.note.RenderedNote;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.Objects;

/**
 * Posts the note's Adaptive Card to a Teams Workflows webhook as
 * {@code {"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive",...}]}}.
 *
 * <p>When Teams answers 413 (message too large) the card is shrunk to smaller budgets and sent
 * again at once: a shorter card now beats a full one never.
 *
 * <p>Idempotency: a Workflows webhook returns no message id, so a post cannot be updated; the
 * incident store's dedupe (one note per alert and condition) keeps Teams from seeing duplicates,
 * and update/resolution notes say "Update:" / "Resolved:" in their headline.
 */
public final class TeamsNotifier implements Notifier {

    public static final String NAME = "teams";
    /** Message budgets tried after a 413, in order. */
    public static final List<Integer> SHRINK_BUDGETS_BYTES = List.of(20_000, 12_000, 6_000);

    private static final Logger LOG = LoggerFactory.getLogger(TeamsNotifier.class);

    private final TeamsConfig config;
    private final SinkHttpClient http;

    public TeamsNotifier(TeamsConfig config, SinkHttpClient http) {
        this.config = Objects.requireNonNull(config, "config");
        this.http = Objects.requireNonNull(http, "http");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Receipt send(RenderedNote note) {
        if (note.card() == null) {
            throw new DeliveryException(NAME, DeliveryException.Reason.CONFIGURATION, false, "note for alert " + note.alertId() + " has no card");
        }
        JsonNode card = note.card();
        try {
            post(note.alertId(), card);
            return new Receipt(NAME, null);
        } catch (DeliveryException e) {
            if (e.reason() != DeliveryException.Reason.TOO_LARGE) {
                throw e;
            }
            DeliveryException last = e;
            for (int budget : SHRINK_BUDGETS_BYTES) {
                JsonNode smaller = AdaptiveCard.shrink(card, budget);
                if (AdaptiveCard.messageBytes(smaller) >= AdaptiveCard.messageBytes(card)) {
                    continue;
                }
                LOG.info("Teams refused the card for alert {} as too large; resending at most {} bytes", note.alertId(), budget);
                try {
                    post(note.alertId(), smaller);
                    return new Receipt(NAME, "shrunk to " + AdaptiveCard.messageBytes(smaller) + " bytes");
                } catch (DeliveryException again) {
                    if (again.reason() != DeliveryException.Reason.TOO_LARGE) {
                        throw again;
                    }
                    last = again;
                    card = smaller;
                }
            }
            throw last;
        }
    }

    private void post(String alertId, JsonNode card) {
        String body;
        try {
            body = Json.mapper().writeValueAsString(AdaptiveCard.teamsMessage(card));
        } catch (JsonProcessingException e) {
            throw new DeliveryException(NAME, DeliveryException.Reason.OTHER, false, "card for alert " + alertId + " is not serialisable");
        }
        HttpRequest request = http.request(config.webhookUrl())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        http.send(NAME, alertId, "post card", request);
    }
}
