package io.oomresponder.pipeline;

import io.oomresponder.config.Settings;
import io.oomresponder.delivery.Notifier;
import io.oomresponder.delivery.Receipt;
import io.oomresponder.delivery.RetryPolicy;
import io.oomresponder.delivery.RetryingNotifier;
import io.oomresponder.delivery.SinkHttpClient;
import io.oomresponder.delivery.SinkSettings;
import io.oomresponder.delivery.Sinks;
import io.oomresponder.delivery.teams.TeamsConfig;
import io.oomresponder.delivery.teams.TeamsNotifier;
import io.oomresponder.note.RenderedNote;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The operator's own channel: the people who run oom-responder, not the people on call for the apps.
 * Alerts that are not incidents go there, and only there: today an alert for an app that ARM says
 * does not exist ({@link io.oomresponder.evidence.AppAbsence}), reported once per app per
 * {@link #period()} (the record is in the incident store, so instances agree). It is a Teams
 * Workflows webhook, the same shape as {@code TEAMS_WEBHOOK_URL} ({@value #WEBHOOK_URL}, a secret:
 * never logged). It is not an incident sink: routes, replays and the poison report never reach it.
 * Without it, such an alert is logged once per period at WARN and counted, and sent nowhere.
 */
public final class OperatorChannel {

    /** The operator channel's Teams Workflows webhook URL (secret: carries {@code sig=}). */
    public static final String WEBHOOK_URL = "OPERATOR_TEAMS_WEBHOOK_URL";
    /** How long one report about an app stands: later alerts for it within this are not reported again. */
    public static final String REPORT_PERIOD = "OPERATOR_REPORT_PERIOD";
    /** A day: an app deleted with its alert rules left behind is mentioned once a day, not once per alert. */
    public static final Duration DEFAULT_REPORT_PERIOD = Duration.ofDays(1);
    /** The name its notes are parked under for redelivery; no incident sink has it. */
    public static final String SINK_NAME = "operator";

    private final Notifier notifier;
    private final Duration period;

    /**
     * @param notifier where reports go (already retrying), or null when no channel is configured
     * @param period   how long one report stands
     */
    public OperatorChannel(Notifier notifier, Duration period) {
        Objects.requireNonNull(period, "period");
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("setting " + REPORT_PERIOD + " must be a positive duration, was " + period);
        }
        this.notifier = notifier == null ? null : named(notifier);
        this.period = period;
    }

    /** No channel: reports are logged and counted only. */
    public static OperatorChannel none() {
        return new OperatorChannel(null, DEFAULT_REPORT_PERIOD);
    }

    /** From {@value #WEBHOOK_URL} (with the sinks' DELIVERY_* retries and HTTP timeout) and {@value #REPORT_PERIOD}. */
    public static OperatorChannel fromSettings(Settings settings, Clock clock) {
        Duration period = settings.duration(REPORT_PERIOD, DEFAULT_REPORT_PERIOD);
        Optional<URI> url = SinkSettings.optionalUrl(settings, WEBHOOK_URL, true);
        if (url.isEmpty()) {
            return new OperatorChannel(null, period);
        }
        SinkHttpClient http = SinkHttpClient.create(settings.duration(Sinks.HTTP_TIMEOUT, SinkHttpClient.DEFAULT_TIMEOUT), clock);
        return new OperatorChannel(RetryingNotifier.of(new TeamsNotifier(new TeamsConfig(url.get()), http), RetryPolicy.from(settings)), period);
    }

    /** The channel's notifier, named {@value #SINK_NAME}, or empty when none is configured. */
    public Optional<Notifier> notifier() {
        return Optional.ofNullable(notifier);
    }

    public Duration period() {
        return period;
    }

    /** The notifier under the channel's own name, so a failed report is parked for it and not for an incident sink. */
    private static Notifier named(Notifier delegate) {
        if (SINK_NAME.equals(delegate.name())) {
            return delegate;
        }
        return new Notifier() {
            @Override
            public String name() {
                return SINK_NAME;
            }

            @Override
            public Receipt send(RenderedNote note) {
                return new Receipt(SINK_NAME, delegate.send(note).reference());
            }

            @Override
            public Receipt send(RenderedNote note, Duration budget) {
                return new Receipt(SINK_NAME, delegate.send(note, budget).reference());
            }
        };
    }
}
