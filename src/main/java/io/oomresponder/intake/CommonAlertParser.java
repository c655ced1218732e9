package io.oomresponder.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads one Azure Monitor common alert schema payload ({@code {"schemaId":
 * "azureMonitorCommonAlertSchema", "data": {"essentials", "alertContext"}}}) into an
 * {@link AlertSignal}, or says why it is not one oom-responder acts on. Field names are matched
 * case-insensitively because Azure is inconsistent ({@code alertRuleID}/{@code alertRuleId}, the
 * PascalCase legacy log alert context).
 */
final class CommonAlertParser {

    static final String SCHEMA_ID = "azureMonitorCommonAlertSchema";

    /** Alert ids and rule names longer than this are not Azure's. */
    private static final int MAX_NAME_CHARS = 1024;
    /** Dimensions kept per signal; Azure sends a handful. */
    private static final int MAX_DIMENSIONS = 32;
    /** Queries kept on the signal are cut here; the note only quotes them. */
    private static final int MAX_QUERY_CHARS = 8192;

    private static final Pattern SEVERITY = Pattern.compile("Sev[0-4]");
    /** A log query that looks at OOM kills, exit code 137, restarts or memory. */
    private static final Pattern MEMORY_LOG_QUERY = Pattern.compile(
            "oom|137|restart|terminat|backoff|memory|workingset", Pattern.CASE_INSENSITIVE);

    /**
     * The outcome of reading a payload: a signal, or the reason it is ignored (with the alert's id and
     * condition, so the ignored alert still leaves a receipt).
     */
    record Reading(AlertSignal signal, ContainerAppId app, String ignoredReason, String alertId, AlertSignal.Condition condition) {
        Reading(AlertSignal signal, ContainerAppId app, String ignoredReason) {
            this(signal, app, ignoredReason, signal == null ? null : signal.id(), signal == null ? null : signal.condition());
        }

        static Reading ignored(Header h, String reason) {
            return new Reading(null, null, reason, h.alertId(), h.condition());
        }

        /** The ignored alert's dedupe key ({@code alertId|condition}), as {@link AlertSignal#dedupeKey()} writes it. */
        String ignoredKey() {
            return alertId + "|" + condition;
        }
    }

    private CommonAlertParser() {
    }

    /**
     * @param root   the parsed payload
     * @param prefix JSON path prefix for error fields ("" for a bare payload, "[0].data." inside Event Grid)
     * @throws InvalidAlertException when it is not a usable common alert schema payload
     */
    static Reading read(JsonNode root, String prefix) {
        if (!root.isObject()) {
            throw new InvalidAlertException(path(prefix, "schemaId"), "not an Azure Monitor common alert schema payload (expected a JSON object)");
        }
        String schemaId = text(root, "schemaId", prefix, "schemaId");
        if (schemaId == null || !schemaId.equalsIgnoreCase(SCHEMA_ID)) {
            throw new InvalidAlertException(path(prefix, "schemaId"), "not an Azure Monitor common alert schema payload (schemaId must be " + SCHEMA_ID + ")");
        }
        JsonNode data = object(root, "data", prefix, "data", true);
        String ep = "data.essentials.";
        JsonNode essentials = object(data, "essentials", prefix, "data.essentials", true);

        String alertId = required(essentials, "alertId", prefix, ep + "alertId");
        checkName(alertId, prefix, ep + "alertId");
        String rule = text(essentials, "alertRule", prefix, ep + "alertRule");
        if (rule != null) {
            checkName(rule, prefix, ep + "alertRule");
        }
        AlertSignal.Condition condition = condition(required(essentials, "monitorCondition", prefix, ep + "monitorCondition"), prefix);
        Instant firedAt = instant(required(essentials, "firedDateTime", prefix, ep + "firedDateTime"), prefix, ep + "firedDateTime");
        Instant resolvedAt = instant(text(essentials, "resolvedDateTime", prefix, ep + "resolvedDateTime"), prefix, ep + "resolvedDateTime");
        String severityText = text(essentials, "severity", prefix, ep + "severity");
        String severity = severityText != null && SEVERITY.matcher(severityText).matches() ? severityText : null;
        String service = required(essentials, "monitoringService", prefix, ep + "monitoringService");
        List<String> targets = strings(essentials, "alertTargetIDs", prefix, ep + "alertTargetIDs");
        List<String> configurationItems = strings(essentials, "configurationItems", prefix, ep + "configurationItems");

        Header header = new Header(alertId, rule, condition, firedAt, resolvedAt, severity, root);
        String kind = service.toLowerCase(Locale.ROOT);
        switch (kind) {
            case "platform":
                return metricAlert(header, data, targets, prefix);
            case "log alerts v2":
                return logAlertV2(header, data, targets, configurationItems, prefix);
            case "log analytics":
            case "application insights":
                return legacyLogAlert(header, data, targets, configurationItems, prefix);
            default:
                if (kind.startsWith("activity log")) {
                    return Reading.ignored(header, "activity log alerts are not handled (monitoringService " + clean(service) + ")");
                }
                return Reading.ignored(header, "alerts from monitoringService " + clean(service) + " are not handled");
        }
    }

    private record Header(String alertId, String rule, AlertSignal.Condition condition, Instant firedAt,
                          Instant resolvedAt, String severity, JsonNode raw) {
    }

    // ---- metric alerts -------------------------------------------------------------------

    private static Reading metricAlert(Header h, JsonNode data, List<String> targets, String prefix) {
        String cp = "data.alertContext.";
        JsonNode context = object(data, "alertContext", prefix, "data.alertContext", true);
        String conditionType = text(context, "conditionType", prefix, cp + "conditionType");
        if (conditionType != null && conditionType.toLowerCase(Locale.ROOT).contains("webtest")) {
            return Reading.ignored(h, "availability test alerts are not handled");
        }
        ContainerAppId app = firstContainerApp(targets, prefix, "data.essentials.alertTargetIDs");
        if (app == null) {
            return Reading.ignored(h, notAContainerApp(targets));
        }
        JsonNode condition = object(context, "condition", prefix, cp + "condition", true);
        JsonNode allOf = array(condition, "allOf", prefix, cp + "condition.allOf");
        String firstMetric = null;
        for (int i = 0; i < allOf.size(); i++) {
            String cfp = cp + "condition.allOf[" + i + "].";
            JsonNode criterion = allOf.get(i);
            if (!criterion.isObject()) {
                throw new InvalidAlertException(path(prefix, cp + "condition.allOf[" + i + "]"), "each condition.allOf entry must be an object");
            }
            String metric = required(criterion, "metricName", prefix, cfp + "metricName");
            String namespace = text(criterion, "metricNamespace", prefix, cfp + "metricNamespace");
            firstMetric = firstMetric == null ? metric : firstMetric;
            AlertSignal.Signal signal = memorySignal(metric);
            if (signal == null || (namespace != null && !AsciiNames.equalIgnoringCase(namespace, ContainerAppId.RESOURCE_TYPE))) {
                continue;
            }
            AlertSignal s = new AlertSignal(h.alertId(), h.rule(), signal, h.condition(), h.firedAt(), h.resolvedAt(),
                    app.toString(), h.raw(), h.severity(),
                    number(criterion, "metricValue", prefix, cfp + "metricValue"),
                    threshold(criterion, prefix, cfp + "threshold"),
                    null,
                    dimensions(criterion, prefix, cfp + "dimensions"),
                    instant(text(condition, "windowStartTime", prefix, cp + "condition.windowStartTime"), prefix, cp + "condition.windowStartTime"),
                    instant(text(condition, "windowEndTime", prefix, cp + "condition.windowEndTime"), prefix, cp + "condition.windowEndTime"));
            return new Reading(s, app, null);
        }
        return Reading.ignored(h, "metric " + clean(firstMetric) + " is not one oom-responder handles (RestartCount, WorkingSetBytes, MemoryPercentage of " + ContainerAppId.RESOURCE_TYPE + ")");
    }

    private static AlertSignal.Signal memorySignal(String metric) {
        for (AlertSignal.Signal s : List.of(AlertSignal.Signal.RestartCount, AlertSignal.Signal.WorkingSetBytes, AlertSignal.Signal.MemoryPercentage)) {
            if (AsciiNames.equalIgnoringCase(s.name(), metric)) {
                return s;
            }
        }
        return null;
    }

    // ---- log search alerts -----------------------------------------------------------------

    /**
     * A log search alert (scheduled query rule 2020-05-01+). Its container app is found, in this
     * order: in {@code alertTargetIDs} (a 2021-08-01+ rule split on a resource-id column makes that
     * resource the target; Learn alerts-types, "Monitor the same condition on multiple resources"
     * and alerts-common-schema), in a {@code _ResourceId}/{@code ResourceId} dimension, then in
     * {@code configurationItems}. Targets of other types (the workspace) are skipped.
     */
    private static Reading logAlertV2(Header h, JsonNode data, List<String> targets, List<String> configurationItems, String prefix) {
        String cp = "data.alertContext.";
        JsonNode context = object(data, "alertContext", prefix, "data.alertContext", true);
        JsonNode condition = object(context, "condition", prefix, cp + "condition", true);
        JsonNode allOf = array(condition, "allOf", prefix, cp + "condition.allOf");
        List<String> candidates = new ArrayList<>(targets);
        List<Map<String, String>> dims = new ArrayList<>();
        for (int i = 0; i < allOf.size(); i++) {
            JsonNode criterion = allOf.get(i);
            if (!criterion.isObject()) {
                throw new InvalidAlertException(path(prefix, cp + "condition.allOf[" + i + "]"), "each condition.allOf entry must be an object");
            }
            Map<String, String> d = dimensions(criterion, prefix, cp + "condition.allOf[" + i + "].dimensions");
            dims.add(d);
            resourceIdDimension(d, candidates);
        }
        candidates.addAll(configurationItems);
        ContainerAppId app = firstContainerApp(candidates, prefix, "data.essentials.configurationItems");
        Map<String, String> dimensions = new LinkedHashMap<>(dims.get(0));
        String target = app != null ? app.toString() : byNameTarget(candidates, dimensions, prefix, cp + "condition.allOf[0].dimensions");
        if (target == null) {
            return Reading.ignored(h, NO_APP_IN_LOG_ALERT);
        }
        JsonNode first = allOf.get(0);
        String fp = cp + "condition.allOf[0].";
        String query = text(first, "searchQuery", prefix, fp + "searchQuery");
        if (query == null || !MEMORY_LOG_QUERY.matcher(query).find()) {
            return Reading.ignored(h, "log search alert query does not look for OOM kills, exit code 137 or restarts");
        }
        AlertSignal s = new AlertSignal(h.alertId(), h.rule(), AlertSignal.Signal.OOMKilledLog, h.condition(), h.firedAt(), h.resolvedAt(),
                target, h.raw(), h.severity(),
                number(first, "metricValue", prefix, fp + "metricValue"),
                threshold(first, prefix, fp + "threshold"),
                cut(query),
                dimensions,
                instant(text(condition, "windowStartTime", prefix, cp + "condition.windowStartTime"), prefix, cp + "condition.windowStartTime"),
                instant(text(condition, "windowEndTime", prefix, cp + "condition.windowEndTime"), prefix, cp + "condition.windowEndTime"));
        return new Reading(s, app, null);
    }

    /** A legacy log alert (Log Analytics / Application Insights): targets first, then as {@link #logAlertV2}, then its search results. */
    private static Reading legacyLogAlert(Header h, JsonNode data, List<String> targets, List<String> configurationItems, String prefix) {
        String cp = "data.alertContext.";
        JsonNode context = object(data, "alertContext", prefix, "data.alertContext", true);
        List<String> candidates = new ArrayList<>(targets);
        Map<String, String> dimensions = dimensions(context, prefix, cp + "Dimensions");
        resourceIdDimension(dimensions, candidates);
        candidates.addAll(strings(context, "AffectedConfigurationItems", prefix, cp + "AffectedConfigurationItems"));
        candidates.addAll(configurationItems);
        candidates.addAll(searchResultResourceIds(context));
        ContainerAppId app = firstContainerApp(candidates, prefix, "data.essentials.configurationItems");
        String target = app != null ? app.toString() : byNameTarget(candidates, dimensions, prefix, cp + "Dimensions");
        if (target == null) {
            return Reading.ignored(h, NO_APP_IN_LOG_ALERT);
        }
        String query = text(context, "SearchQuery", prefix, cp + "SearchQuery");
        if (query == null || !MEMORY_LOG_QUERY.matcher(query).find()) {
            return Reading.ignored(h, "log search alert query does not look for OOM kills, exit code 137 or restarts");
        }
        Double value = number(context, "ResultCount", prefix, cp + "ResultCount");
        AlertSignal s = new AlertSignal(h.alertId(), h.rule(), AlertSignal.Signal.OOMKilledLog, h.condition(), h.firedAt(), h.resolvedAt(),
                target, h.raw(), h.severity(), value,
                threshold(context, prefix, cp + "Threshold"),
                cut(query), dimensions,
                instant(text(context, "SearchIntervalStartTimeUtc", prefix, cp + "SearchIntervalStartTimeUtc"), prefix, cp + "SearchIntervalStartTimeUtc"),
                instant(firstText(context, prefix, cp, "SearchIntervalEndtimeUtc", "SearchIntervalEndTimeUtc", "SearchIntervalEndtimeInUtc"), prefix, cp + "SearchIntervalEndtimeUtc"));
        return new Reading(s, app, null);
    }

    /** {@code _ResourceId} values in the embedded search results of a legacy log alert (first rows only). */
    private static List<String> searchResultResourceIds(JsonNode context) {
        List<String> ids = new ArrayList<>();
        JsonNode tables = field(field(context, "SearchResults"), "tables");
        if (!tables.isArray()) {
            return ids;
        }
        for (JsonNode table : tables) {
            JsonNode columns = field(table, "columns");
            JsonNode rows = field(table, "rows");
            if (!columns.isArray() || !rows.isArray()) {
                continue;
            }
            for (int c = 0; c < columns.size(); c++) {
                String name = field(columns.get(c), "name").asText("");
                if (name.equalsIgnoreCase("_ResourceId") || name.equalsIgnoreCase("ResourceId")) {
                    for (int r = 0; r < Math.min(rows.size(), 10); r++) {
                        JsonNode cell = rows.get(r).path(c);
                        if (cell.isTextual()) {
                            ids.add(cell.asText());
                        }
                    }
                }
            }
        }
        return ids;
    }

    static final String NO_APP_IN_LOG_ALERT = "log search alert names no container app: no app id in alertTargetIDs, a _ResourceId"
            + " dimension or configurationItems, and no ContainerAppName (or ContainerAppName_s) dimension; declare ContainerAppName"
            + " (and EnvironmentName) as dimensions of the rule (docs/deploy.md, \"Log alert rules\")";

    /** A Log Analytics workspace or a managed environment: what a workspace-scoped log alert names instead of the app. */
    private static final Pattern WORKSPACE_OR_ENVIRONMENT = Pattern.compile(
            "/subscriptions/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/resourceGroups/[A-Za-z0-9_().-]{1,90}"
                    + "/providers/(microsoft\\.operationalinsights/workspaces|microsoft\\.app/managedEnvironments)/[A-Za-z0-9-]{1,63}",
            Pattern.CASE_INSENSITIVE);

    /**
     * The target of a log alert that names its app only by a ContainerAppName dimension (a rule scoped
     * to a workspace, {@link AppByName}): the managed environment a {@code _ResourceId} dimension or
     * configuration item names, else the workspace in {@code alertTargetIDs}. Null when no app name
     * is there, or nothing says where to look for it.
     *
     * @throws InvalidAlertException when the app or environment name, or the workspace id, is malformed
     */
    private static String byNameTarget(List<String> candidates, Map<String, String> dimensions, String prefix, String field) {
        for (Map.Entry<String, String> d : dimensions.entrySet()) {
            boolean appDimension = AppByName.APP_NAME_DIMENSIONS.stream().anyMatch(n -> n.equalsIgnoreCase(d.getKey()));
            boolean environmentDimension = AppByName.ENVIRONMENT_DIMENSIONS.stream().anyMatch(n -> n.equalsIgnoreCase(d.getKey()));
            if (appDimension && !d.getValue().isBlank() && !AppByName.isAppName(d.getValue())) {
                throw new InvalidAlertException(path(prefix, field), d.getKey() + " is not a container app name");
            }
            if (environmentDimension && !d.getValue().isBlank() && !AppByName.isEnvironmentName(d.getValue())) {
                throw new InvalidAlertException(path(prefix, field), d.getKey() + " is not a managed environment name");
            }
        }
        if (AppByName.appName(dimensions).isEmpty()) {
            return null;
        }
        String workspace = null;
        for (String c : candidates) {
            String lower = AsciiNames.lower(c);
            boolean environment = lower.contains("/providers/microsoft.app/managedenvironments/");
            if (!environment && !lower.contains("/providers/microsoft.operationalinsights/workspaces/")) {
                continue;
            }
            if (!WORKSPACE_OR_ENVIRONMENT.matcher(c).matches()) {
                throw new InvalidAlertException(path(prefix, "data.essentials.alertTargetIDs"), "target is not a well-formed workspace or managed environment id");
            }
            if (environment) {
                return c;
            }
            workspace = workspace == null ? c : workspace;
        }
        return workspace;
    }

    private static void resourceIdDimension(Map<String, String> dimensions, List<String> into) {
        for (Map.Entry<String, String> d : dimensions.entrySet()) {
            if (d.getKey().equalsIgnoreCase("_ResourceId") || d.getKey().equalsIgnoreCase("ResourceId")) {
                into.add(d.getValue());
            }
        }
    }

    // ---- targets -----------------------------------------------------------------------------

    /** The first candidate naming a container app; a malformed one is an error, other resource types are skipped. */
    private static ContainerAppId firstContainerApp(List<String> candidates, String prefix, String field) {
        for (String candidate : candidates) {
            if (ContainerAppId.mentionsContainerApps(candidate)) {
                try {
                    return ContainerAppId.parse(candidate);
                } catch (IllegalArgumentException e) {
                    throw new InvalidAlertException(path(prefix, field), "target is not a well-formed container app id: " + e.getMessage());
                }
            }
        }
        return null;
    }

    private static String notAContainerApp(List<String> targets) {
        if (targets.isEmpty()) {
            return "alert names no target resource (alertTargetIDs is empty)";
        }
        String t = AsciiNames.lower(targets.get(0));
        int p = t.lastIndexOf("/providers/");
        String type = "unknown type";
        if (p >= 0) {
            String[] parts = t.substring(p + "/providers/".length()).split("/");
            if (parts.length >= 2) {
                type = parts[0] + "/" + parts[1];
            }
        }
        return "alert target is not a container app (" + clean(type) + ")";
    }

    // ---- typed field access ----------------------------------------------------------------

    /** The field with this name in any letter case, or a missing node. */
    static JsonNode field(JsonNode obj, String name) {
        if (obj == null || !obj.isObject()) {
            return MissingNode.getInstance();
        }
        JsonNode exact = obj.get(name);
        if (exact != null) {
            return exact;
        }
        Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return MissingNode.getInstance();
    }

    private static JsonNode object(JsonNode parent, String name, String prefix, String path, boolean required) {
        JsonNode n = field(parent, name);
        if (n.isObject()) {
            return n;
        }
        if (n.isMissingNode() || n.isNull()) {
            if (required) {
                throw new InvalidAlertException(path(prefix, path), path + " is missing");
            }
            return MissingNode.getInstance();
        }
        throw new InvalidAlertException(path(prefix, path), path + " must be an object");
    }

    private static JsonNode array(JsonNode parent, String name, String prefix, String path) {
        JsonNode n = field(parent, name);
        if (n.isMissingNode() || n.isNull()) {
            throw new InvalidAlertException(path(prefix, path), path + " is missing");
        }
        if (!n.isArray()) {
            throw new InvalidAlertException(path(prefix, path), path + " must be an array");
        }
        if (n.isEmpty()) {
            throw new InvalidAlertException(path(prefix, path), path + " is empty");
        }
        return n;
    }

    /** A string field, null when absent or null; any other type is an error. */
    private static String text(JsonNode parent, String name, String prefix, String path) {
        JsonNode n = field(parent, name);
        if (n.isMissingNode() || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new InvalidAlertException(path(prefix, path), path + " must be a string");
        }
        return n.asText();
    }

    private static String firstText(JsonNode parent, String prefix, String cp, String... names) {
        for (String name : names) {
            String v = text(parent, name, prefix, cp + name);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static String required(JsonNode parent, String name, String prefix, String path) {
        String v = text(parent, name, prefix, path);
        if (v == null || v.isBlank()) {
            throw new InvalidAlertException(path(prefix, path), path + " is missing");
        }
        return v;
    }

    /** An array of strings; absent or null is empty, anything else is an error. */
    private static List<String> strings(JsonNode parent, String name, String prefix, String path) {
        JsonNode n = field(parent, name);
        if (n.isMissingNode() || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw new InvalidAlertException(path(prefix, path), path + " must be an array of strings");
        }
        List<String> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            if (!n.get(i).isTextual()) {
                throw new InvalidAlertException(path(prefix, path + "[" + i + "]"), path + " must be an array of strings");
            }
            out.add(n.get(i).asText());
        }
        return out;
    }

    /** A number, also accepted as a numeric string; null when absent. */
    private static Double number(JsonNode parent, String name, String prefix, String path) {
        JsonNode n = field(parent, name);
        if (n.isMissingNode() || n.isNull()) {
            return null;
        }
        if (n.isNumber()) {
            return finite(n.asDouble(), prefix, path);
        }
        if (n.isTextual()) {
            try {
                return finite(Double.parseDouble(n.asText().trim()), prefix, path);
            } catch (NumberFormatException e) {
                throw new InvalidAlertException(path(prefix, path), path + " must be a number");
            }
        }
        throw new InvalidAlertException(path(prefix, path), path + " must be a number");
    }

    private static Double finite(double v, String prefix, String path) {
        if (!Double.isFinite(v)) {
            throw new InvalidAlertException(path(prefix, path), path + " must be a finite number");
        }
        return v;
    }

    /** Azure writes thresholds as strings ("25"); a number is accepted too and kept as text. */
    private static String threshold(JsonNode parent, String prefix, String path) {
        JsonNode n = field(parent, "threshold");
        if (n.isMissingNode() || n.isNull()) {
            return null;
        }
        if (n.isNumber()) {
            return n.asText();
        }
        if (n.isTextual() && n.asText().length() <= 64) {
            return n.asText();
        }
        throw new InvalidAlertException(path(prefix, path), path + " must be a string or a number");
    }

    /** {@code [{name, value}]} into a map (first value of a name wins); absent or null is empty. */
    private static Map<String, String> dimensions(JsonNode parent, String prefix, String path) {
        String name = path.substring(path.lastIndexOf('.') + 1);
        JsonNode n = field(parent, name);
        Map<String, String> out = new LinkedHashMap<>();
        if (n.isMissingNode() || n.isNull()) {
            return out;
        }
        if (!n.isArray()) {
            throw new InvalidAlertException(path(prefix, path), path + " must be an array of {name, value}");
        }
        for (int i = 0; i < n.size() && out.size() < MAX_DIMENSIONS; i++) {
            JsonNode d = n.get(i);
            JsonNode k = field(d, "name");
            JsonNode v = field(d, "value");
            if (!d.isObject() || !k.isTextual() || !(v.isTextual() || v.isNumber() || v.isNull() || v.isMissingNode())) {
                throw new InvalidAlertException(path(prefix, path + "[" + i + "]"), path + " must be an array of {name, value} with string names");
            }
            if (k.asText().length() > MAX_NAME_CHARS || v.asText("").length() > MAX_NAME_CHARS) {
                throw new InvalidAlertException(path(prefix, path + "[" + i + "]"), path + " entry is too long");
            }
            out.putIfAbsent(k.asText(), v.isNull() || v.isMissingNode() ? "" : v.asText());
        }
        return out;
    }

    private static AlertSignal.Condition condition(String value, String prefix) {
        for (AlertSignal.Condition c : AlertSignal.Condition.values()) {
            if (c.name().equalsIgnoreCase(value)) {
                return c;
            }
        }
        throw new InvalidAlertException(path(prefix, "data.essentials.monitorCondition"), "data.essentials.monitorCondition must be Fired or Resolved");
    }

    /**
     * Legacy log alerts write their search interval in US culture without an offset, e.g.
     * {@code 3/22/2019 1:36:31 PM} (Learn alerts-payload-samples, "Log search alert" samples);
     * the field names end in "Utc", so they are read as UTC.
     */
    private static final DateTimeFormatter LEGACY_US_TIME = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .appendPattern("M/d/yyyy h:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .appendLiteral(' ')
            .appendPattern("a")
            .toFormatter(Locale.US)
            .withResolverStyle(ResolverStyle.SMART);

    private static Instant instant(String value, String prefix, String path) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            try {
                // Azure sometimes drops the offset on log alert times; they are UTC.
                return Instant.parse(v + "Z");
            } catch (DateTimeParseException again) {
                try {
                    return LocalDateTime.parse(v, LEGACY_US_TIME).toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException legacy) {
                    throw new InvalidAlertException(path(prefix, path), path + " is not an ISO-8601 time");
                }
            }
        }
    }

    /** Alert ids and rule names go into keys and notes: no control characters, quotes, pipes or backslashes. */
    private static void checkName(String value, String prefix, String path) {
        if (value.length() > MAX_NAME_CHARS) {
            throw new InvalidAlertException(path(prefix, path), path + " is longer than " + MAX_NAME_CHARS + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '"' || c == '\'' || c == '|' || c == '\\') {
                throw new InvalidAlertException(path(prefix, path), path + " contains a control character, quote, pipe or backslash");
            }
        }
    }

    private static String cut(String query) {
        return query.length() <= MAX_QUERY_CHARS ? query : query.substring(0, MAX_QUERY_CHARS);
    }

    /** A short, printable fragment of untrusted text for a reason message. */
    static String clean(String s) {
        if (s == null) {
            return "(none)";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 80; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.toString();
    }

    private static String path(String prefix, String field) {
        return prefix + field;
    }
}
