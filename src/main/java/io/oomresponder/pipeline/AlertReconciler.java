package io.oomresponder.pipeline;

import io.oomresponder.config.Settings;
import io.oomresponder.evidence.azure.AzureAlerts;
import io.oomresponder.evidence.azure.AzureClients;
import io.oomresponder.intake.ActionGroupRetries;
import io.oomresponder.intake.AlertSignal;
import io.oomresponder.intake.QueuedAlert;
import io.oomresponder.intake.ScopeGuard;
import io.oomresponder.store.ReceivedAlert;
import io.oomresponder.store.ReceivedAlerts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Finds alerts lost at the door. An action group that met a cold or failing endpoint gives up after
 * its retries and then does not call it for a while ({@link ActionGroupRetries}); Azure Monitor still lists those alerts. Every
 * few minutes this compares the alerts Azure Monitor fired in the last hour for the watched
 * subscriptions (Alerts Management API) with the alerts received ({@link ReceivedAlerts}), returns the
 * missing ones as queue messages (handled late rather than never), and reports the apps for which
 * Azure Monitor fired alerts while none arrived: the action group's block, or a broken action group.
 *
 * <p>An alert younger than the grace period is left alone: the action group may still be retrying it
 * (its last retry starts {@link ActionGroupRetries#retriesSpan()} after the first call). A replayed alert that is in fact still
 * queued is harmless: the pipeline dedupes on the alert id.
 */
public final class AlertReconciler {

    /**
     * Default RECONCILE_GRACE: longer than the action group's retries (their delays add up to
     * {@link ActionGroupRetries#retriesSpan()}, 75 s, plus the time each attempt may take) and Azure
     * Monitor's own delay in listing the alert; {@code AlertReconcilerTest} checks the margin.
     */
    public static final Duration DEFAULT_GRACE = Duration.ofMinutes(5);
    /** What Alerts - Get All is asked for ({@code timeRange=1h}). */
    static final Duration WINDOW = Duration.ofHours(1);

    private static final Logger LOG = LoggerFactory.getLogger(AlertReconciler.class);

    private final Function<String, List<AlertSignal>> firedLastHour;
    private final ReceivedAlerts received;
    private final List<String> scopes;
    private final ScopeGuard scope;
    private final Duration grace;
    private final Clock clock;
    private volatile Report last;

    /**
     * @param firedLastHour per scope, the container-app alerts Azure Monitor fired in the last
     *                      hour ({@link AzureAlerts#firedLastHour})
     * @param received      the alerts received
     * @param scopes        the watched scopes: {@code /subscriptions/<id>} or {@code /subscriptions/<id>/resourceGroups/<name>}
     * @param scope         the intake's scope: alerts outside it would be ignored anyway
     * @param grace         how old a fired alert must be before its absence counts
     * @param clock         now
     */
    public AlertReconciler(Function<String, List<AlertSignal>> firedLastHour, ReceivedAlerts received, List<String> scopes,
                           ScopeGuard scope, Duration grace, Clock clock) {
        this.firedLastHour = Objects.requireNonNull(firedLastHour, "firedLastHour");
        this.received = Objects.requireNonNull(received, "received");
        this.scopes = List.copyOf(scopes);
        this.scope = Objects.requireNonNull(scope, "scope");
        this.grace = Objects.requireNonNull(grace, "grace");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The production reconcile: Azure's Alerts Management API through the evidence clients, over the
     * subscriptions named in ALLOWED_SUBSCRIPTIONS (none when it is unset or {@code *}: then the
     * reconcile reports that it has nothing to watch), narrowed to each of ALLOWED_RESOURCE_GROUPS
     * when that is set (the infra grants its read roles per resource group, and a subscription-wide
     * list needs a subscription role), RECONCILE_GRACE.
     */
    public static AlertReconciler fromSettings(Settings settings, AzureClients clients, ReceivedAlerts received, Clock clock) {
        AzureAlerts alerts = new AzureAlerts(clients);
        return new AlertReconciler(alerts::firedLastHour, received, scopes(settings), ScopeGuard.fromSettings(settings),
                settings.duration("RECONCILE_GRACE", DEFAULT_GRACE), clock);
    }

    /** The scopes to list: every allowed subscription, or every allowed subscription × allowed resource group. */
    static List<String> scopes(Settings settings) {
        List<String> groups = names(settings.get("ALLOWED_RESOURCE_GROUPS", ""));
        List<String> out = new ArrayList<>();
        for (String subscription : names(settings.get("ALLOWED_SUBSCRIPTIONS", ""))) {
            if (groups.isEmpty()) {
                out.add("/subscriptions/" + subscription);
            }
            for (String group : groups) {
                out.add("/subscriptions/" + subscription + "/resourceGroups/" + group);
            }
        }
        return out;
    }

    private static List<String> names(String list) {
        List<String> out = new ArrayList<>();
        for (String s : list.split(",")) {
            String t = s.trim().toLowerCase(Locale.ROOT);
            if (!t.isEmpty() && !t.equals("*")) {
                out.add(t);
            }
        }
        return out;
    }

    /** An app Azure Monitor fired alerts for while none of its alerts arrived. */
    public record SilentApp(String appResourceId, int fired, Instant latestFiredAt) {
    }

    /**
     * One reconcile.
     *
     * @param at          when it ran
     * @param fired       container-app alerts Azure Monitor fired in the window (in scope, older than the grace)
     * @param received    of those, how many had arrived
     * @param missing     the ones that had not, as queue messages to handle now
     * @param silentApps  apps with fired alerts and none received
     * @param failures    scopes whose list could not be read, with the reason
     */
    public record Report(Instant at, int fired, int received, List<QueuedAlert> missing, List<SilentApp> silentApps,
                         Map<String, String> failures) {
    }

    /** Compares, logs, remembers the report for health answers, and returns it. Never throws for an Azure failure. */
    public Report sweep() {
        Instant now = clock.instant();
        Instant cutoff = now.minus(grace);
        // Receipts are read from here on; an alert that fired earlier may have its receipt before it, so it
        // is never judged: Get All's timeRange may filter on lastModifiedDateTime and list an old alert.
        Instant receiptsFrom = now.minus(WINDOW).minus(grace);
        Set<String> arrived = new HashSet<>();
        Set<String> appsHeardFrom = new HashSet<>();
        for (ReceivedAlert r : received.since(receiptsFrom, now)) {
            arrived.add(r.dedupeKey().toLowerCase(Locale.ROOT));
            if (r.appResourceId() != null) {
                appsHeardFrom.add(r.appResourceId().toLowerCase(Locale.ROOT));
            }
        }
        int fired = 0;
        int found = 0;
        List<QueuedAlert> missing = new ArrayList<>();
        Map<String, List<AlertSignal>> firedByApp = new LinkedHashMap<>();
        Map<String, String> failures = new LinkedHashMap<>();
        for (String where : scopes) {
            List<AlertSignal> alerts;
            try {
                alerts = firedLastHour.apply(where);
            } catch (RuntimeException e) {
                failures.put(where, e.getMessage());
                LOG.warn("reconcile: could not list the alerts Azure Monitor fired in {}: {}", where, e.getMessage());
                continue;
            }
            for (AlertSignal a : alerts) {
                if (a.firedAt().isAfter(cutoff) || a.firedAt().isBefore(receiptsFrom)
                        || !io.oomresponder.intake.ContainerAppId.mentionsContainerApps(a.targetResourceId())
                        || scope.refusal(io.oomresponder.intake.ContainerAppId.parse(a.targetResourceId())).isPresent()) {
                    continue;
                }
                fired++;
                firedByApp.computeIfAbsent(a.targetResourceId().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(a);
                if (arrived.contains(a.dedupeKey().toLowerCase(Locale.ROOT))) {
                    found++;
                } else {
                    missing.add(QueuedAlert.of(a, now));
                    LOG.warn("reconcile: alert {} for {} fired at {} never reached the intake; queueing it now", a.id(), a.targetResourceId(), a.firedAt());
                }
            }
        }
        List<SilentApp> silent = new ArrayList<>();
        for (Map.Entry<String, List<AlertSignal>> e : firedByApp.entrySet()) {
            if (!appsHeardFrom.contains(e.getKey())) {
                Instant latest = e.getValue().stream().map(AlertSignal::firedAt).max(Instant::compareTo).orElseThrow();
                String app = e.getValue().get(0).targetResourceId();
                silent.add(new SilentApp(app, e.getValue().size(), latest));
                LOG.warn("reconcile: Azure Monitor fired {} alert(s) for {} in the last hour (latest {}) and none arrived: "
                        + ActionGroupRetries.SILENT_CAUSE, e.getValue().size(), app, latest);
            }
        }
        if (scopes.isEmpty()) {
            LOG.info("reconcile: no subscription to watch (ALLOWED_SUBSCRIPTIONS is unset or *)");
        }
        Report report = new Report(now, fired, found, List.copyOf(missing), List.copyOf(silent), Map.copyOf(failures));
        last = report;
        return report;
    }

    /** The last report, or null before the first sweep. */
    public Report last() {
        return last;
    }

    /** The watched scopes. */
    public List<String> scopes() {
        return scopes;
    }

    /**
     * Records the intake's receipts of alerts it joined, rate-limited or ignored, so the reconcile never
     * queues them again (that would undo the storm guard and the intake's own decisions).
     */
    public static void recordReceipts(ReceivedAlerts received, List<io.oomresponder.intake.IntakeReceipt> receipts) {
        for (io.oomresponder.intake.IntakeReceipt r : receipts) {
            try {
                received.record(new ReceivedAlert(r.dedupeKey(), r.alertId(), r.target(), r.receivedAt(), r.outcome()));
            } catch (RuntimeException e) {
                LOG.warn("could not record the intake's receipt of {} ({}): {}", r.dedupeKey(), r.outcome(), e.toString());
            }
        }
    }

    /** Records one alert as received (the queue worker calls this before anything slow). */
    public static void recordReceipt(ReceivedAlerts received, QueuedAlert message) {
        if (message.replay()) {
            return;
        }
        try {
            received.record(new ReceivedAlert(message.dedupeKey(), message.alert().id(), message.alert().targetResourceId(), message.receivedAt()));
        } catch (RuntimeException e) {
            // The alert itself matters more than its receipt; the reconcile may replay it later (deduped).
            LOG.warn("could not record the receipt of {}: {}", message.dedupeKey(), e.toString());
        }
    }
}
