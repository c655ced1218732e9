package io.oomresponder.delivery;

import io.oomresponder.delivery.azuredevops.AzureDevOpsConfig;
import io.oomresponder.delivery.azuredevops.AzureDevOpsNotifier;
import io.oomresponder.delivery.eventgrid.EventGridConfig;
import io.oomresponder.delivery.eventgrid.EventGridNotifier;
import io.oomresponder.delivery.file.FileConfig;
import io.oomresponder.delivery.file.FileNotifier;
import io.oomresponder.delivery.jira.JiraConfig;
import io.oomresponder.delivery.jira.JiraNotifier;
import io.oomresponder.delivery.pagerduty.PagerDutyConfig;
import io.oomresponder.delivery.pagerduty.PagerDutyNotifier;
import io.oomresponder.delivery.servicenow.ServiceNowConfig;
import io.oomresponder.delivery.servicenow.ServiceNowNotifier;
import io.oomresponder.delivery.teams.TeamsConfig;
import io.oomresponder.delivery.teams.TeamsNotifier;
import io.oomresponder.delivery.webhook.WebhookConfig;
import io.oomresponder.delivery.webhook.WebhookNotifier;
import io.oomresponder.config.Settings;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the configured sinks from settings, once per process. A sink is configured when its
 * key setting is present (TEAMS_WEBHOOK_URL, ADO_ORG_URL, JIRA_URL, SERVICENOW_URL,
 * PAGERDUTY_ROUTING_KEY, WEBHOOK_URL, EVENTGRID_TOPIC_ENDPOINT, NOTE_FILE_DIR); its other settings
 * are then validated, and a bad one fails startup with the setting's name.
 */
public final class Sinks {

    public static final String HTTP_TIMEOUT = "DELIVERY_HTTP_TIMEOUT";

    /** The settings that each turn one sink on; without any of them a note goes nowhere. */
    public static final List<String> SWITCHES = List.of("TEAMS_WEBHOOK_URL", "ADO_ORG_URL", "JIRA_URL", "SERVICENOW_URL",
            "PAGERDUTY_ROUTING_KEY", "WEBHOOK_URL", "EVENTGRID_TOPIC_ENDPOINT", FileConfig.DIRECTORY);

    /** The switches in a sentence: "TEAMS_WEBHOOK_URL, ..., EVENTGRID_TOPIC_ENDPOINT or NOTE_FILE_DIR". */
    public static String switchesInWords() {
        return String.join(", ", SWITCHES.subList(0, SWITCHES.size() - 1)) + " or " + SWITCHES.get(SWITCHES.size() - 1);
    }

    /**
     * Why a service with these settings would drop every note, or empty when at least one sink is
     * configured. A long-running responder must not start like that: its log would say "delivered to
     * 0 sinks" for every alert while nobody hears of them.
     */
    public static Optional<String> noDestination(Settings settings) {
        if (SWITCHES.stream().anyMatch(s -> settings.get(s).isPresent())) {
            return Optional.empty();
        }
        return Optional.of("no sink is configured, so every note would be dropped: set one of " + switchesInWords()
                + " (a folder, or - for standard output) to say where notes go (README, Configuration)");
    }

    private Sinks() {
    }

    /** The configured notifiers by name, without retry (see {@link NoteDelivery}). */
    public static Map<String, Notifier> fromSettings(Settings settings, Clock clock, PrintStream stdout) {
        SinkHttpClient http = SinkHttpClient.create(settings.duration(HTTP_TIMEOUT, SinkHttpClient.DEFAULT_TIMEOUT), clock);
        Map<String, Notifier> sinks = new LinkedHashMap<>();
        TeamsConfig.from(settings).ifPresent(c -> sinks.put(TeamsNotifier.NAME, new TeamsNotifier(c, http)));
        AzureDevOpsConfig.from(settings).ifPresent(c -> sinks.put(AzureDevOpsNotifier.NAME, new AzureDevOpsNotifier(c, http)));
        JiraConfig.from(settings).ifPresent(c -> sinks.put(JiraNotifier.NAME, new JiraNotifier(c, http)));
        ServiceNowConfig.from(settings).ifPresent(c -> sinks.put(ServiceNowNotifier.NAME, new ServiceNowNotifier(c, http)));
        PagerDutyConfig.from(settings).ifPresent(c -> sinks.put(PagerDutyNotifier.NAME, new PagerDutyNotifier(c, http)));
        WebhookConfig.from(settings).ifPresent(c -> sinks.put(WebhookNotifier.NAME, new WebhookNotifier(c, http)));
        EventGridConfig.from(settings).ifPresent(c -> sinks.put(EventGridNotifier.NAME, new EventGridNotifier(EventGridNotifier.client(c))));
        FileConfig.from(settings).ifPresent(c -> sinks.put(FileNotifier.NAME, new FileNotifier(c, stdout)));
        return Collections.unmodifiableMap(sinks);
    }
}
