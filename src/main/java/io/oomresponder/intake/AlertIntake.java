package io.oomresponder.intake;

import com.azure.core.models.CloudEvent;
import com.azure.core.util.BinaryData;
import com.azure.messaging.eventgrid.EventGridEvent;
import com.azure.messaging.eventgrid.SystemEventNames;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.oomresponder.json.Json;
import io.oomresponder.config.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The front door: decides, for one request body, whether it is an alert to queue, a payload to
 * ignore, an error to refuse, or Event Grid's validation handshake. Accepts the common alert schema
 * as sent by action groups, and the same payload as the data of an Event Grid {@code EventGridEvent}
 * or {@code CloudEvent} (single or batch). It never throws: every input ends in an {@link IntakeResult}.
 */
public final class AlertIntake {

    /** Azure's common alert schema caps payloads at 256 KB; anything larger is not an alert. */
    public static final int MAX_BODY_BYTES = 256 * 1024;
    /** Event Grid delivers at most this many events per batch by default settings we document. */
    private static final int MAX_EVENTS_PER_BODY = 100;

    /**
     * Apps (after joining) one request may queue alerts for (issue 26): one Event Grid request naming
     * 100 apps queued 100 alerts, and ten such requests filled the queue for everyone else. An
     * action group sends one alert per request; an alert bus relaying a storm batches a few.
     */
    public static final int MAX_APPS_PER_REQUEST = 10;
    /**
     * Alerts one Event Grid source (topic, or CloudEvent source) may queue per minute (issue 26): one full
     * batch of 100 events a minute, so one source alone cannot fill serve's 1,000-slot queue in a minute.
     */
    public static final int MAX_ALERTS_PER_SOURCE_PER_MINUTE = 100;
    /** Sources named when an Event Grid event has no topic (a custom topic may leave it out). */
    private static final String UNNAMED_SOURCE = "event-grid";
    private static final List<String> EVENT_GRID_EVENT_FIELDS = List.of("id", "subject", "eventType", "eventTime", "dataVersion", "data");
    private static final List<String> CLOUD_EVENT_FIELDS = List.of("specversion", "id", "source", "type");
    private static final Pattern VALIDATION_CODE = Pattern.compile("[A-Za-z0-9-]{1,128}");

    private static final Logger LOG = LoggerFactory.getLogger(AlertIntake.class);

    // Duplicate keys are refused: two "alertId"s in one payload make its meaning ambiguous.
    private static final ObjectReader READER = Json.mapper().reader()
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Alerts per app and condition that may be queued at once ({@code INTAKE_APP_RATE_LIMIT}). */
    public static final int DEFAULT_APP_RATE_LIMIT = 20;
    /** ...refilled at that many per this window ({@code INTAKE_APP_RATE_WINDOW}). */
    public static final Duration DEFAULT_APP_RATE_WINDOW = Duration.ofMinutes(1);

    private final ScopeGuard scope;
    private final Clock clock;
    private final AppRateLimit rateLimit;

    public AlertIntake(ScopeGuard scope, Clock clock) {
        this(scope, clock, DEFAULT_APP_RATE_LIMIT, DEFAULT_APP_RATE_WINDOW);
    }

    /**
     * @param appRateLimit  alerts per app and condition that may be queued at once
     * @param appRateWindow the time in which that many are allowed again
     */
    public AlertIntake(ScopeGuard scope, Clock clock, int appRateLimit, Duration appRateWindow) {
        this.scope = Objects.requireNonNull(scope, "scope");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.rateLimit = new AppRateLimit(appRateLimit, appRateWindow);
    }

    // The same token bucket as per app, keyed by Event Grid source.
    private final AppRateLimit sourceLimit = new AppRateLimit(MAX_ALERTS_PER_SOURCE_PER_MINUTE, Duration.ofMinutes(1));

    /** Intake configured from settings ({@code ALLOWED_SUBSCRIPTIONS}, {@code ALLOWED_RESOURCE_GROUPS}, {@code INTAKE_APP_RATE_*}). */
    public static AlertIntake fromSettings(Settings settings) {
        AlertIntake intake = new AlertIntake(ScopeGuard.fromSettings(settings), Clock.systemUTC(),
                settings.integer("INTAKE_APP_RATE_LIMIT", DEFAULT_APP_RATE_LIMIT),
                settings.duration("INTAKE_APP_RATE_WINDOW", DEFAULT_APP_RATE_WINDOW));
        intake.scope.warning().ifPresent(LOG::warn);
        return intake;
    }

    public ScopeGuard scope() {
        return scope;
    }

    /**
     * Decides what to do with one request body.
     *
     * @param body    the raw request body (may be null)
     * @param headers request headers (names in any case); not used for the decision: the body alone decides, so a
     *                forged {@code aeg-event-type} header changes nothing
     * @return the decision; never null, never throws
     */
    public IntakeResult accept(byte[] body, Map<String, String> headers) {
        IntakeResult read = read(body);
        IntakeResult result = read instanceof IntakeResult.Accepted a ? admit(a) : read;
        log(result);
        return result;
    }

    /**
     * What the body is, without joining or rate limits (a replay reads a past alert this way; it is
     * never queued). Never throws.
     */
    public IntakeResult read(byte[] body) {
        try {
            return decide(body);
        } catch (InvalidAlertException e) {
            return new IntakeResult.Rejected(400, e.getMessage(), e.field());
        } catch (RuntimeException e) {
            // A bug here must not become a 5xx that makes the action group back off; say so loudly in the log.
            LOG.error("intake failed on a payload it should have classified", e);
            return new IntakeResult.Rejected(400, "payload could not be read as an alert", "body");
        }
    }

    /**
     * One request fans out into at most one queued alert per app, signal and condition (an Event Grid
     * batch of 100 events about one app is one incident: one gather, one note), and each app stays
     * within its rate limit.
     */
    private IntakeResult admit(IntakeResult.Accepted accepted) {
        Map<String, QueuedAlert> first = new LinkedHashMap<>();
        List<IntakeReceipt> receipts = new ArrayList<>(accepted.receipts());
        Instant now = clock.instant();
        for (QueuedAlert q : accepted.alerts()) {
            AlertSignal a = q.alert();
            QueuedAlert kept = first.putIfAbsent(appKey(a) + "|" + a.signal() + "|" + a.condition(), q);
            if (kept != null) {
                receipts.add(IntakeReceipt.of(a, IntakeReceipt.JOINED, "joined " + kept.dedupeKey(), now));
            }
        }
        int joined = accepted.alerts().size() - first.size();
        List<QueuedAlert> admitted = new ArrayList<>();
        int limited = 0;
        String limitedReason = "rate limited: at most " + rateLimit.capacity() + " alerts per app and condition per "
                + rateLimit.window() + " (INTAKE_APP_RATE_LIMIT); the app's open incident already has its note";
        int overAppBound = Math.max(0, first.size() - MAX_APPS_PER_REQUEST);
        if (overAppBound > 0) {
            LOG.warn("one request named {} apps; queued the first {}, left out {} (MAX_APPS_PER_REQUEST)", first.size(), MAX_APPS_PER_REQUEST, overAppBound);
            first.values().stream().skip(MAX_APPS_PER_REQUEST).forEach(q -> receipts.add(IntakeReceipt.of(q.alert(), IntakeReceipt.IGNORED,
                    "over the bound of " + MAX_APPS_PER_REQUEST + " apps per request", now)));
        }
        int overSourceBound = 0;
        String sourceReason = "over the bound of " + MAX_ALERTS_PER_SOURCE_PER_MINUTE + " alerts per Event Grid source per minute";
        for (QueuedAlert q : first.values().stream().limit(MAX_APPS_PER_REQUEST).toList()) {
            // The source's bound first: a flooding source must not drain the apps' own buckets.
            if (accepted.fromEventGrid() && !sourceLimit.tryAcquire(accepted.eventSource(), now)) {
                overSourceBound++;
                receipts.add(IntakeReceipt.of(q.alert(), IntakeReceipt.IGNORED, sourceReason, now));
            } else if (rateLimit.tryAcquire(appKey(q.alert()) + "|" + q.alert().condition(), now)) {
                admitted.add(q);
            } else {
                limited++;
                receipts.add(IntakeReceipt.of(q.alert(), IntakeReceipt.RATE_LIMITED, null, now));
                LOG.info("alert {} for {} ignored: over the app's rate limit", q.dedupeKey(), q.alert().targetResourceId());
            }
        }
        if (joined > 0) {
            LOG.info("{} alert(s) of one request joined another of the same app, signal and condition", joined);
        }
        if (overSourceBound > 0) {
            LOG.warn("Event Grid source {} is over its bound; left out {} alert(s) (MAX_ALERTS_PER_SOURCE_PER_MINUTE)", accepted.eventSource(), overSourceBound);
        }
        if (admitted.isEmpty()) {
            return new IntakeResult.Ignored(limited > 0 ? limitedReason : sourceReason, receipts);
        }
        return new IntakeResult.Accepted(admitted, joined, limited, receipts, overAppBound, accepted.eventSource(), overSourceBound);
    }

    /** The app an alert is about, for joining and rate limits: its id, or (named only by name) the workspace and the name. */
    private static String appKey(AlertSignal a) {
        String target = AsciiNames.lower(a.targetResourceId());
        return AppByName.needsResolution(a) ? target + "#" + AppByName.appName(a).orElse("") : target;
    }

    private IntakeResult decide(byte[] body) {
        if (body == null || body.length == 0) {
            throw new InvalidAlertException("body", "request body is empty");
        }
        if (body.length > MAX_BODY_BYTES) {
            return new IntakeResult.Rejected(413, "request body is larger than " + MAX_BODY_BYTES + " bytes", "body");
        }
        String text = utf8(body);
        JsonNode root = parse(text);
        if (root.isArray()) {
            return events(root, text);
        }
        if (root.isObject() && CommonAlertParser.field(root, "schemaId").isMissingNode()) {
            if (root.has("specversion")) {
                return events(root, text);
            }
            if (root.has("eventType") && root.has("data")) {
                return events(root, text);
            }
        }
        return signal(CommonAlertParser.read(root, ""));
    }

    private IntakeResult signal(CommonAlertParser.Reading reading) {
        if (reading.ignoredReason() != null) {
            return new IntakeResult.Ignored(reading.ignoredReason(), List.of(new IntakeReceipt(reading.ignoredKey(), reading.alertId(), null,
                    IntakeReceipt.IGNORED, reading.ignoredReason(), clock.instant())));
        }
        var refusal = reading.app() == null ? scope.refusalBeforeResolution() : scope.refusal(reading.app());
        if (refusal.isPresent()) {
            return new IntakeResult.Ignored(refusal.get(), List.of(IntakeReceipt.of(reading.signal(), IntakeReceipt.IGNORED, refusal.get(), clock.instant())));
        }
        return new IntakeResult.Accepted(List.of(QueuedAlert.of(reading.signal(), clock.instant())));
    }

    // ---- Event Grid ----------------------------------------------------------------------

    private IntakeResult events(JsonNode root, String text) {
        JsonNode first = root.isArray() ? root.path(0) : root;
        if (root.isArray() && root.isEmpty()) {
            throw new InvalidAlertException("body", "event array is empty");
        }
        if (root.size() > MAX_EVENTS_PER_BODY && root.isArray()) {
            throw new InvalidAlertException("body", "more than " + MAX_EVENTS_PER_BODY + " events in one request");
        }
        for (JsonNode e : root.isArray() ? root : List.of(root)) {
            if (!e.isObject()) {
                throw new InvalidAlertException("body", "each event must be a JSON object");
            }
        }
        boolean cloudEvents = first.has("specversion");
        // Check what the SDK requires first: it logs an ERROR of its own for each event it refuses.
        List<String> required = cloudEvents ? CLOUD_EVENT_FIELDS : EVENT_GRID_EVENT_FIELDS;
        int index = 0;
        for (JsonNode e : root.isArray() ? root : List.of(root)) {
            for (String name : required) {
                JsonNode v = e.get(name);
                if (v == null || v.isNull() || (!name.equals("data") && !v.isTextual())) {
                    String at = root.isArray() ? "[" + index + "]." + name : name;
                    throw new InvalidAlertException(at, cloudEvents
                            ? "not a valid CloudEvent (id, source, type and specversion are required strings)"
                            : "not a valid Event Grid event (id, subject, eventType, eventTime, dataVersion and data are required)");
                }
            }
            index++;
        }
        List<JsonNode> datas = new ArrayList<>();
        List<String> types = new ArrayList<>();
        String source = null;
        try {
            if (cloudEvents) {
                for (CloudEvent e : CloudEvent.fromString(text)) {
                    source = source == null ? e.getSource() : source;
                    types.add(e.getType());
                    datas.add(data(e.getData()));
                }
            } else {
                List<EventGridEvent> events = EventGridEvent.fromString(text);
                if (events.size() == 1 && SystemEventNames.EVENT_GRID_SUBSCRIPTION_VALIDATION.equalsIgnoreCase(events.get(0).getEventType())) {
                    return handshake(data(events.get(0).getData()));
                }
                for (EventGridEvent e : events) {
                    source = source == null ? e.getTopic() : source;
                    types.add(e.getEventType());
                    datas.add(data(e.getData()));
                }
            }
        } catch (InvalidAlertException e) {
            throw e;
        } catch (RuntimeException e) {
            // The SDK refuses events lacking id, subject, eventType, dataVersion (EventGridEvent) or id, source, type, specversion (CloudEvent).
            LOG.debug("Event Grid SDK refused the events: {}", e.getMessage());
            throw new InvalidAlertException("body", cloudEvents
                    ? "not a valid CloudEvent (id, source, type and specversion are required strings)"
                    : "not a valid Event Grid event (id, subject, eventType, eventTime, dataVersion and data are required)");
        }
        List<QueuedAlert> accepted = new ArrayList<>();
        List<IntakeReceipt> receipts = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        IntakeResult.Rejected firstRejection = null;
        for (int i = 0; i < datas.size(); i++) {
            String prefix = (root.isArray() ? "[" + i + "]." : "") + "data.";
            JsonNode data = datas.get(i);
            if (data == null || CommonAlertParser.field(data, "schemaId").isMissingNode()) {
                ignored.add("event of type " + CommonAlertParser.clean(types.get(i)) + " carries no common alert schema payload");
                continue;
            }
            try {
                IntakeResult r = signal(CommonAlertParser.read(data, prefix));
                receipts.addAll(r.receipts());
                if (r instanceof IntakeResult.Accepted a) {
                    accepted.addAll(a.alerts());
                } else if (r instanceof IntakeResult.Ignored ig) {
                    ignored.add(ig.reason());
                }
            } catch (InvalidAlertException e) {
                LOG.info("event {} rejected: {} (field {})", i, e.getMessage(), e.field());
                if (firstRejection == null) {
                    firstRejection = new IntakeResult.Rejected(400, e.getMessage(), e.field());
                }
            }
        }
        if (!accepted.isEmpty()) {
            // Part of a batch was usable: queue it; the rest is logged above (Event Grid would redeliver the whole batch otherwise).
            // One request comes from one subscription's topic; the first named source stands for the batch.
            String from = source == null || source.isBlank() ? UNNAMED_SOURCE : AsciiNames.lower(source);
            return new IntakeResult.Accepted(accepted, 0, 0, receipts, 0, from, 0);
        }
        if (firstRejection != null) {
            return firstRejection;
        }
        return new IntakeResult.Ignored(String.join("; ", ignored.subList(0, Math.min(3, ignored.size()))), receipts);
    }

    private static IntakeResult handshake(JsonNode data) {
        JsonNode code = data == null ? null : CommonAlertParser.field(data, "validationCode");
        if (code == null || !code.isTextual() || !VALIDATION_CODE.matcher(code.asText()).matches()) {
            throw new InvalidAlertException("[0].data.validationCode", "subscription validation event without a valid validationCode");
        }
        LOG.info("answering Event Grid subscription validation");
        return new IntakeResult.Handshake(code.asText());
    }

    /** An event's data as JSON: an object as is, a string holding JSON parsed again, anything else null. */
    private static JsonNode data(BinaryData data) {
        if (data == null) {
            return null;
        }
        JsonNode node = parse(data.toString());
        if (node.isTextual()) {
            String inner = node.asText().trim();
            return inner.startsWith("{") ? parse(inner) : null;
        }
        return node.isObject() ? node : null;
    }

    // ---- bytes and JSON ------------------------------------------------------------------------

    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidAlertException("body", "request body is not valid UTF-8");
        }
    }

    private static JsonNode parse(String text) {
        try {
            JsonNode node = READER.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new InvalidAlertException("body", "request body is empty");
            }
            return node;
        } catch (StreamConstraintsException e) {
            throw new InvalidAlertException("body", "JSON exceeds a parser limit (nesting deeper than " + Json.MAX_NESTING_DEPTH + " levels, or an oversized number or name)");
        } catch (JsonProcessingException e) {
            String m = e.getOriginalMessage();
            if (m != null && m.startsWith("Duplicate field")) {
                throw new InvalidAlertException("body", "JSON has a duplicate field: " + CommonAlertParser.clean(m.substring("Duplicate field ".length())));
            }
            throw new InvalidAlertException("body", "request body is not valid JSON");
        }
    }

    private static void log(IntakeResult result) {
        if (result instanceof IntakeResult.Accepted a) {
            a.alerts().forEach(q -> LOG.info("alert accepted: {} for {}", q.dedupeKey(), q.alert().targetResourceId()));
        } else if (result instanceof IntakeResult.Ignored i) {
            LOG.info("alert ignored: {}", i.reason());
        } else if (result instanceof IntakeResult.Rejected r) {
            LOG.info("alert rejected ({}): {} (field {})", r.status(), r.error(), r.field());
        }
    }
}
