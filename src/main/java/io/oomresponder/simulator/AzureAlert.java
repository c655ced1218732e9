package io.oomresponder.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oomresponder.evidence.SystemLogEvent;
import io.oomresponder.intake.AlertSignal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Builds the Azure Monitor common-alert-schema notification that would have fired for a simulated
 * incident (metric alert or Log Alerts V2 log search alert), and its normalised {@link AlertSignal}.
 * Shapes follow {@code src/test/resources/contracts/alert-*.json}.
 */
final class AzureAlert {

    /** Metric alert rules here evaluate five-minute windows. */
    static final int EVALUATION_WINDOW_MINUTES = 5;
    private static final String NAMESPACE = "Microsoft.App/containerApps";
    private static final DateTimeFormatter FIRED_FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter WINDOW_FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    /** The rule's query on the resource-specific table (an environment whose logs go to Azure Monitor), split by app name. */
    static final String OOM_QUERY = """
            ContainerAppSystemLogs
            | where Reason == "ContainerTerminated" and Log has "OOMKilled"
            | summarize AggregatedValue = count() by ContainerAppName, _ResourceId, bin(TimeGenerated, 5m)""";
    /** The same on the {@code _CL} table (destination log-analytics); undocumented columns through column_ifexists. */
    static final String OOM_QUERY_CL = """
            ContainerAppSystemLogs_CL
            | where column_ifexists("Reason_s", "") == "ContainerTerminated" and Log_s has "OOMKilled"
            | summarize AggregatedValue = count() by ContainerAppName_s, _ResourceId, bin(TimeGenerated, 5m)""";

    /** The query of the environment's table family (one family per environment; see EnvironmentLogs). */
    static String oomQuery(AppIdentity app) {
        return io.oomresponder.simulator.azure.EnvironmentLogs.azureMonitorByDefault(app.environmentName()) ? OOM_QUERY : OOM_QUERY_CL;
    }

    private AzureAlert() {
    }

    /** What the alert needs to know about the run. */
    record Input(AppIdentity app, AlertKind kind, double memoryAlertPercent, long limitBytes, List<ReplicaState> replicas,
                 List<IncidentSimulator.RestartRecord> restarts, List<SystemLogEvent> systemLogs, Instant[] times,
                 SplittableRandom rnd) {
    }

    /** The trigger: which replica, at which minute, and the value that breached. */
    private record Trigger(ReplicaState replica, int minute, int second, double value) {
    }

    static SimulatedAlert build(Input in) {
        AlertKind kind = in.kind();
        Trigger trigger = null;
        if (kind == AlertKind.OOM_LOG) {
            trigger = lastRestart(in, true);
            if (trigger == null) {
                kind = AlertKind.RESTART_COUNT;
            }
        }
        if (kind == AlertKind.RESTART_COUNT) {
            trigger = lastRestart(in, false);
            if (trigger == null) {
                kind = AlertKind.MEMORY_PERCENTAGE;
            }
        }
        if (kind == AlertKind.WORKING_SET || kind == AlertKind.MEMORY_PERCENTAGE) {
            trigger = memoryCrossing(in);
        }
        int minutes = in.times().length;
        Instant end = in.times()[minutes - 1].plus(1, ChronoUnit.MINUTES);
        SplittableRandom rnd = in.rnd();
        Instant firedAt = in.times()[trigger.minute()].plusSeconds(trigger.second() + 60 + rnd.nextInt(140))
                .plusNanos(100L * rnd.nextInt(10_000_000));
        if (!firedAt.isBefore(end)) {
            firedAt = end.minusSeconds(20).plusNanos(100L * rnd.nextInt(10_000_000));
        }
        Instant windowEnd = firedAt.truncatedTo(ChronoUnit.MINUTES);
        Instant windowStart = windowEnd.minus(EVALUATION_WINDOW_MINUTES, ChronoUnit.MINUTES);
        return kind == AlertKind.OOM_LOG
                ? logAlert(in, trigger, firedAt, windowStart, windowEnd)
                : metricAlert(in, kind, trigger, firedAt, windowStart, windowEnd);
    }

    private static Trigger lastRestart(Input in, boolean loggedOomOnly) {
        int last = in.times().length - 2;
        IncidentSimulator.RestartRecord best = null;
        for (IncidentSimulator.RestartRecord r : in.restarts()) {
            if (r.minute() <= last && (!loggedOomOnly || (r.oom() && r.systemLogged()))
                    && (best == null || r.minute() > best.minute() || (r.minute() == best.minute() && r.second() > best.second()))) {
                best = r;
            }
        }
        return best == null ? null : new Trigger(best.replica(), best.minute(), best.second(), 1);
    }

    /** The last minute a replica's working set crossed the rule threshold from below (or its highest minute). */
    private static Trigger memoryCrossing(Input in) {
        double threshold = in.limitBytes() * in.memoryAlertPercent() / 100.0;
        int last = in.times().length - 2;
        Trigger best = null;
        Trigger highest = null;
        for (ReplicaState r : in.replicas()) {
            double previous = Double.NaN;
            for (int m = r.firstMinute; m <= Math.min(last, r.endMinute - 1); m++) {
                double v = r.workingSetMax[m];
                if (Double.isNaN(v)) {
                    continue;
                }
                if (v >= threshold && !(previous >= threshold) && (best == null || m > best.minute())) {
                    best = new Trigger(r, m, 59, v);
                }
                if (highest == null || v > highest.value()) {
                    highest = new Trigger(r, m, 59, v);
                }
                previous = v;
            }
        }
        return best != null ? best : highest;
    }

    private static SimulatedAlert metricAlert(Input in, AlertKind kind, Trigger t, Instant firedAt, Instant windowStart, Instant windowEnd) {
        AppIdentity app = in.app();
        SplittableRandom rnd = in.rnd();
        String metric;
        String aggregation;
        String threshold;
        double value;
        String rule;
        Map<String, String> dims = new LinkedHashMap<>();
        switch (kind) {
            case RESTART_COUNT -> {
                metric = "RestartCount";
                aggregation = "Total";
                threshold = "0";
                rule = app.appName() + "-restarts";
                dims.put("revisionName", t.replica().revision);
                dims.put("podName", t.replica().name);
                value = restartsBetween(in, t.replica(), windowStart, windowEnd);
            }
            case WORKING_SET -> {
                metric = "WorkingSetBytes";
                aggregation = "Maximum";
                threshold = String.valueOf(Math.round(in.limitBytes() * in.memoryAlertPercent() / 100.0));
                rule = app.appName() + "-memory-high";
                dims.put("revisionName", t.replica().revision);
                dims.put("podName", t.replica().name);
                value = Math.round(t.value());
            }
            default -> {
                metric = "MemoryPercentage";
                aggregation = "Maximum";
                threshold = String.valueOf(Math.round(in.memoryAlertPercent()));
                rule = app.appName() + "-memory-percentage";
                dims.put("podName", t.replica().name);
                value = Math.round(t.value() * 10_000.0 / in.limitBytes()) / 100.0;
            }
        }
        String alertId = alertId(app, rnd);
        String ruleId = "/subscriptions/" + app.subscriptionId() + "/resourceGroups/" + app.resourceGroup()
                + "/providers/microsoft.insights/metricAlerts/" + rule;
        ObjectNode essentials = essentials(alertId, rule, ruleId, kind == AlertKind.RESTART_COUNT ? "Sev2" : "Sev3", "Metric",
                "Platform", app.resourceId().toLowerCase(Locale.ROOT), app.appName(),
                app.subscriptionId() + "_" + app.resourceGroup() + "_microsoft.insights_metricAlerts_" + rule + "_" + (rnd.nextInt(Integer.MAX_VALUE) - 1_000_000_000),
                firedAt, description(kind, app));
        ObjectNode criterion = JsonNodeFactory.instance.objectNode();
        criterion.put("metricName", metric);
        criterion.put("metricNamespace", NAMESPACE);
        criterion.put("operator", "GreaterThan");
        criterion.put("threshold", threshold);
        criterion.put("timeAggregation", aggregation);
        ArrayNode dimensions = criterion.putArray("dimensions");
        dims.forEach((k, v) -> dimensions.addObject().put("name", k).put("value", v));
        criterion.put("metricValue", value);
        criterion.put("webTestName", (String) null);
        ObjectNode context = JsonNodeFactory.instance.objectNode();
        context.putNull("properties");
        context.put("conditionType", "SingleResourceMultipleMetricCriteria");
        ObjectNode condition = context.putObject("condition");
        condition.put("windowSize", "PT" + EVALUATION_WINDOW_MINUTES + "M");
        condition.putArray("allOf").add(criterion);
        condition.put("windowStartTime", WINDOW_FORMAT.format(windowStart));
        condition.put("windowEndTime", WINDOW_FORMAT.format(windowEnd));
        ObjectNode payload = envelope(essentials, context);
        AlertSignal.Signal signal = switch (kind) {
            case RESTART_COUNT -> AlertSignal.Signal.RestartCount;
            case WORKING_SET -> AlertSignal.Signal.WorkingSetBytes;
            default -> AlertSignal.Signal.MemoryPercentage;
        };
        AlertSignal normalised = new AlertSignal(alertId, rule, signal, AlertSignal.Condition.Fired, firedAt, null, app.resourceId(),
                null, essentials.get("severity").asText(), value, threshold, null, dims, windowStart, windowEnd);
        return new SimulatedAlert(payload, normalised);
    }

    private static SimulatedAlert logAlert(Input in, Trigger t, Instant firedAt, Instant windowStart, Instant windowEnd) {
        AppIdentity app = in.app();
        SplittableRandom rnd = in.rnd();
        String rule = app.appName() + "-oomkilled";
        String alertId = alertId(app, rnd);
        String ruleId = "/subscriptions/" + app.subscriptionId() + "/resourceGroups/" + app.resourceGroup()
                + "/providers/microsoft.insights/scheduledqueryrules/" + rule;
        // The rule is scoped to the workspace the environment's logs go to. Splitting by a resource-id column
        // does not change the target of a workspace-scoped rule: alertTargetIDs keep the workspace, and
        // configurationItems come only from a declared _ResourceId/ResourceId/Resource/Computer dimension
        // (Learn alerts-common-schema, configurationItems; scheduledQueryRules resourceIdColumn).
        String workspaceArmId = io.oomresponder.simulator.azure.EnvironmentLogs.defaultWorkspaceResourceId(app.environmentId()).toLowerCase(Locale.ROOT);
        boolean resourceSpecific = io.oomresponder.simulator.azure.EnvironmentLogs.azureMonitorByDefault(app.environmentName());
        // Which dimensions the rule declares is the user's choice: with or without _ResourceId, varied by app and time.
        boolean declaresResourceId = Math.floorMod(java.util.Objects.hash(app.appName(), firedAt.getNano()), 2) == 1;
        // In these tables _ResourceId is the resource that sent the row: the managed environment for rows its
        // diagnostic settings route (resource-specific); Microsoft does not say for the _CL tables, so the
        // environment or an empty value.
        String resourceIdValue = resourceSpecific || firedAt.getNano() % 3 != 0 ? app.environmentId().toLowerCase(Locale.ROOT) : "";
        Map<String, String> dims = new LinkedHashMap<>();
        dims.put(resourceSpecific ? "ContainerAppName" : "ContainerAppName_s", app.appName());
        if (declaresResourceId) {
            dims.put("_ResourceId", resourceIdValue);
        }
        long count = in.systemLogs().stream()
                .filter(e -> "ContainerTerminated".equals(e.reason()) && e.message() != null && e.message().contains("OOMKilled"))
                .filter(e -> !e.time().isBefore(windowStart) && e.time().isBefore(windowEnd))
                .count();
        ObjectNode essentials = essentials(alertId, rule, ruleId, "Sev2", "Log", "Log Alerts V2", workspaceArmId,
                declaresResourceId && !resourceIdValue.isEmpty() ? resourceIdValue : null,
                AppIdentity.guid(rnd), firedAt, "Container Apps replicas killed for running out of memory");
        String query = oomQuery(app);
        ObjectNode criterion = JsonNodeFactory.instance.objectNode();
        criterion.put("searchQuery", query);
        criterion.putNull("metricMeasureColumn");
        criterion.put("targetResourceTypes", "['Microsoft.OperationalInsights/workspaces']");
        criterion.put("operator", "GreaterThan");
        criterion.put("threshold", "0");
        criterion.put("timeAggregation", "Count");
        ArrayNode dimensionList = criterion.putArray("dimensions");
        dims.forEach((k, v) -> dimensionList.addObject().put("name", k).put("value", v));
        criterion.put("metricValue", (double) Math.max(1, count));
        ObjectNode failing = criterion.putObject("failingPeriods");
        failing.put("numberOfEvaluationPeriods", 1);
        failing.put("minFailingPeriodsToAlert", 1);
        String timespan = WINDOW_FORMAT.format(windowStart) + "/" + WINDOW_FORMAT.format(windowEnd);
        String encodedQuery = URLEncoder.encode(query, StandardCharsets.UTF_8).replace("+", "%20");
        String encodedSpan = URLEncoder.encode(timespan, StandardCharsets.UTF_8);
        String portal = "https://portal.azure.com#@" + AppIdentity.guid(rnd) + "/blade/Microsoft_Azure_Monitoring_Logs/LogsBlade/source/Alerts.EmailLinks/scope/"
                + URLEncoder.encode("{\"resources\":[{\"resourceId\":\"" + workspaceArmId + "\"}]}", StandardCharsets.UTF_8)
                + "/q/" + encodedQuery + "/prettify/1/timespan/" + encodedSpan;
        String api = "https://api.loganalytics.io/v1" + workspaceArmId + "/query?query=" + encodedQuery + "&timespan=" + encodedSpan;
        criterion.put("linkToSearchResultsUI", portal);
        criterion.put("linkToFilteredSearchResultsUI", portal);
        criterion.put("linkToSearchResultsAPI", api);
        criterion.put("linkToFilteredSearchResultsAPI", api);
        ObjectNode context = JsonNodeFactory.instance.objectNode();
        context.putObject("properties");
        context.put("conditionType", "LogQueryCriteria");
        ObjectNode condition = context.putObject("condition");
        condition.put("windowSize", "PT" + EVALUATION_WINDOW_MINUTES + "M");
        condition.putArray("allOf").add(criterion);
        condition.put("windowStartTime", WINDOW_FORMAT.format(windowStart));
        condition.put("windowEndTime", WINDOW_FORMAT.format(windowEnd));
        ObjectNode payload = envelope(essentials, context);
        AlertSignal normalised = new AlertSignal(alertId, rule, AlertSignal.Signal.OOMKilledLog, AlertSignal.Condition.Fired, firedAt,
                null, app.resourceId(), null, "Sev2", (double) Math.max(1, count), "0", query,
                dims, windowStart, windowEnd);
        return new SimulatedAlert(payload, normalised);
    }

    private static double restartsBetween(Input in, ReplicaState r, Instant from, Instant to) {
        double sum = 0;
        for (int m = 0; m < in.times().length; m++) {
            Instant t = in.times()[m];
            if (!t.isBefore(from) && !t.isAfter(to)) {
                sum += r.restarts[m];
            }
        }
        return Math.max(1, sum);
    }

    private static String alertId(AppIdentity app, SplittableRandom rnd) {
        return "/subscriptions/" + app.subscriptionId() + "/providers/Microsoft.AlertsManagement/alerts/" + AppIdentity.guid(rnd);
    }

    private static String description(AlertKind kind, AppIdentity app) {
        return switch (kind) {
            case RESTART_COUNT -> "Replica restarts of " + app.appName();
            case WORKING_SET -> "Working set of " + app.appName() + " close to its memory limit";
            default -> "Memory percentage of " + app.appName() + " is high";
        };
    }

    private static ObjectNode essentials(String alertId, String rule, String ruleId, String severity, String signalType,
                                         String monitoringService, String target, String configurationItem, String originAlertId,
                                         Instant firedAt, String description) {
        ObjectNode e = JsonNodeFactory.instance.objectNode();
        e.put("alertId", alertId);
        e.put("alertRule", rule);
        e.put("alertRuleId", ruleId);
        e.put("severity", severity);
        e.put("signalType", signalType);
        e.put("monitorCondition", "Fired");
        e.put("monitoringService", monitoringService);
        e.putArray("alertTargetIDs").add(target);
        ArrayNode items = e.putArray("configurationItems");
        if (configurationItem != null) {
            items.add(configurationItem);
        }
        e.put("originAlertId", originAlertId);
        e.put("firedDateTime", FIRED_FORMAT.format(firedAt));
        e.put("description", description);
        e.put("essentialsVersion", "1.0");
        e.put("alertContextVersion", "1.0");
        return e;
    }

    private static ObjectNode envelope(ObjectNode essentials, ObjectNode context) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("schemaId", "azureMonitorCommonAlertSchema");
        ObjectNode data = payload.putObject("data");
        data.set("essentials", essentials);
        data.set("alertContext", context);
        data.putNull("customProperties");
        return payload;
    }
}
