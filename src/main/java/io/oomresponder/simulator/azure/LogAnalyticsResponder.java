package io.oomresponder.simulator.azure;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oomresponder.evidence.ConsoleLine;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.SystemLogEvent;
import io.oomresponder.json.Json;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answers {@code POST /v1/workspaces/{id}/query} for the two query shapes the evidence collector
 * sends (system events; console lines before each restart), from the truth logs of the apps in
 * that workspace. It reads just enough of the KQL: which table family, the app-name literal, and
 * the row bounds. Numbers and bools are written as strings, as the service's example does.
 */
final class LogAnalyticsResponder {

    /** Lines kept before each restart per replica, and in all, when the query names no bound. */
    static final int DEFAULT_LINES_PER_RESTART = 50;
    static final int DEFAULT_TOTAL_LINES = 500;
    static final int DEFAULT_SYSTEM_ROWS = 1000;

    private static final Pattern PER_RESTART = Pattern.compile("rn\\s*<=\\s*(\\d+)");
    private static final Pattern TOP = Pattern.compile("\\btop\\s+(\\d+)\\s+by\\b");

    private final FakeAzureWorld world;
    private final Supplier<Instant> now;

    LogAnalyticsResponder(FakeAzureWorld world, Supplier<Instant> now) {
        this.world = world;
        this.now = now;
    }

    ObjectNode respond(String workspaceId, String query, String timespan, boolean empty) {
        if (!world.workspaceExists(workspaceId)) {
            throw new FakeAzureError(404, "WorkspaceNotFoundError", "The workspace could not be found");
        }
        if (world.denied(workspaceId)) {
            throw new FakeAzureError(403, "InsufficientAccessError", "The provided credentials have insufficient access to perform the requested operation");
        }
        KqlLiterals parsed;
        try {
            parsed = KqlLiterals.parse(query);
        } catch (IllegalArgumentException e) {
            throw new FakeAzureError(400, "BadArgumentError", "Query could not be parsed: " + e.getMessage());
        }
        String code = parsed.code();
        Set<Boolean> held = world.familiesIn(workspaceId);
        KqlTableCheck.check(code, held);
        Instant[] span = timespan(timespan);
        boolean console = code.contains("ContainerAppConsoleLogs");
        boolean resourceSpecific = KqlTableCheck.readsResourceSpecific(code, held);
        // Console queries also read system events (their anchors): an app counts when it sends both kinds here.
        List<EvidenceBundle> selected = world.appsInWorkspace(workspaceId, true).stream()
                .filter(a -> !console || world.appsInWorkspace(workspaceId, false).contains(a))
                .filter(a -> world.writesResourceSpecificTables(a) == resourceSpecific)
                .filter(a -> parsed.literals().contains(a.app().name()))
                .filter(a -> inEnvironment(a, parsed, resourceSpecific, workspaceId)).toList();
        if (console) {
            return console(empty ? List.of() : selected, span, code);
        }
        if (code.contains("ContainerAppSystemLogs")) {
            return system(empty ? List.of() : selected, span, code, resourceSpecific);
        }
        throw new FakeAzureError(400, "BadArgumentError", "The simulator answers only Container Apps system and console log queries");
    }

    /**
     * Whether the app's rows pass the query's environment filter ({@code let env = '…'} and a
     * comparison with {@code EnvironmentName} / {@code EnvironmentName_s}). Resource-specific rows
     * carry {@code EnvironmentName} (Azure Monitor tables reference, ContainerAppConsoleLogs /
     * ContainerAppSystemLogs). For the {@code _CL} tables Microsoft publishes no schema: whether a
     * workspace's rows carry {@code EnvironmentName_s} varies by workspace (both readings served); where
     * they do not, the query's {@code column_ifexists} default lets every row through, as Kusto would.
     */
    private static boolean inEnvironment(EvidenceBundle app, KqlLiterals parsed, boolean resourceSpecific, String workspaceId) {
        String code = parsed.code();
        if (!code.contains("let env =") || parsed.literals().size() < 2) {
            return true;
        }
        String env = parsed.literals().get(1);
        if (env.isEmpty()) {
            return true;
        }
        if (resourceSpecific ? !code.contains("EnvironmentName ==") : !parsed.literals().contains("EnvironmentName_s")) {
            return true;
        }
        if (!resourceSpecific && !customLogsCarryEnvironmentName(workspaceId)) {
            return true;
        }
        String envId = app.app().environmentId();
        String name = envId == null ? "" : envId.substring(envId.lastIndexOf('/') + 1);
        return name.equals(env);
    }

    /** Whether this workspace's {@code _CL} rows have an {@code EnvironmentName_s} column (undocumented: varied by workspace). */
    static boolean customLogsCarryEnvironmentName(String workspaceId) {
        return (workspaceId.toLowerCase(java.util.Locale.ROOT).hashCode() & 1) == 0;
    }

    private ObjectNode system(List<EvidenceBundle> apps, Instant[] span, String code, boolean resourceSpecific) {
        int limit = bound(TOP, code, DEFAULT_SYSTEM_ROWS);
        ObjectNode body = Json.mapper().createObjectNode();
        ArrayNode rows = table(body, "TimeGenerated:datetime", "RevisionName:string", "ReplicaName:string", "ContainerName:string",
                "Reason:string", "Type:string", "Log:string", "Count:long");
        // top N by time desc, then oldest first; ties keep the truth's order.
        List<SystemLogEvent> events = apps.stream().flatMap(a -> a.systemLogs().stream())
                .filter(e -> within(e.time(), span))
                .sorted(Comparator.comparing(SystemLogEvent::time))
                .toList();
        // Container Apps folds repeats of one event into a row with a Count; identical events at
        // the same instant are folded here the same way. Count is written as a string, as the service does.
        List<SystemLogEvent> newest = events.subList(Math.max(0, events.size() - limit), events.size());
        for (int i = 0; i < newest.size(); ) {
            SystemLogEvent e = newest.get(i);
            int count = 1;
            while (i + count < newest.size() && newest.get(i + count).equals(e)) {
                count++;
            }
            ArrayNode r = rows.addArray();
            // ContainerName is a column of the resource-specific table; the _CL query's column_ifexists gives "".
            r.add(e.time().toString()).add(e.revision()).add(e.replica()).add(resourceSpecific ? e.containerName() : "").add(e.reason()).add(e.type())
                    .add(e.message()).add(Integer.toString(count));
            i += count;
        }
        return body;
    }

    /** The last N lines before each restart of each replica, plus each replica's last N lines; newest TOTAL, oldest first. */
    private ObjectNode console(List<EvidenceBundle> apps, Instant[] span, String code) {
        int perRestart = bound(PER_RESTART, code, DEFAULT_LINES_PER_RESTART);
        int total = bound(TOP, code, DEFAULT_TOTAL_LINES);
        ObjectNode body = Json.mapper().createObjectNode();
        ArrayNode rows = table(body, "TimeGenerated:datetime", "RevisionName:string", "Replica:string",
                "ContainerName:string", "Stream:string", "Log:string");
        for (EvidenceBundle app : apps) {
            // Indices into the truth list, so equal lines at the same instant stay distinct and in order.
            List<ConsoleLine> all = app.consoleLogs();
            Map<String, List<Integer>> byReplica = new LinkedHashMap<>();
            for (int i = 0; i < all.size(); i++) {
                if (within(all.get(i).time(), span)) {
                    byReplica.computeIfAbsent(String.valueOf(all.get(i).replica()), k -> new ArrayList<>()).add(i);
                }
            }
            Map<String, List<Instant>> anchors = new HashMap<>();
            for (SystemLogEvent e : app.systemLogs()) {
                if (within(e.time(), span) && isRestart(e)) {
                    anchors.computeIfAbsent(String.valueOf(e.replica()), k -> new ArrayList<>()).add(e.time());
                }
            }
            Comparator<Integer> byTime = Comparator.comparing((Integer i) -> all.get(i).time()).thenComparing(i -> i);
            Set<Integer> kept = new java.util.TreeSet<>(byTime);
            for (var entry : byReplica.entrySet()) {
                List<Integer> lines = new ArrayList<>(entry.getValue());
                lines.sort(byTime);
                List<Instant> points = new ArrayList<>(anchors.getOrDefault(entry.getKey(), List.of()));
                points.add(all.get(lines.get(lines.size() - 1)).time());
                for (Instant anchor : points) {
                    List<Integer> before = lines.stream().filter(i -> !all.get(i).time().isAfter(anchor)).toList();
                    kept.addAll(before.subList(Math.max(0, before.size() - perRestart), before.size()));
                }
            }
            List<Integer> ordered = new ArrayList<>(kept);
            for (Integer i : ordered.subList(Math.max(0, ordered.size() - total), ordered.size())) {
                ConsoleLine l = all.get(i);
                ArrayNode r = rows.addArray();
                r.add(l.time().toString()).add(l.revision()).add(l.replica()).add(l.container()).add(l.stream()).add(l.message());
            }
        }
        return body;
    }

    private static boolean isRestart(SystemLogEvent e) {
        String reason = e.reason() == null ? "" : e.reason();
        String message = e.message() == null ? "" : e.message().toLowerCase(Locale.ROOT);
        return List.of("ContainerTerminated", "OOMKilled", "ContainerBackOff", "BackOff", "Error").contains(reason)
                || message.contains("exit code");
    }

    private static ArrayNode table(ObjectNode body, String... columns) {
        ObjectNode table = body.putArray("tables").addObject();
        table.put("name", "PrimaryResult");
        ArrayNode cols = table.putArray("columns");
        for (String c : columns) {
            String[] parts = c.split(":");
            cols.addObject().put("name", parts[0]).put("type", parts[1]);
        }
        return table.putArray("rows");
    }

    private static int bound(Pattern p, String code, int fallback) {
        Matcher m = p.matcher(code);
        return m.find() ? Integer.parseInt(m.group(1)) : fallback;
    }

    private static boolean within(Instant t, Instant[] span) {
        return t != null && !t.isBefore(span[0]) && t.isBefore(span[1]);
    }

    /** "start/end" (what QueryTimeInterval sends for a fixed window) or a duration ending now. */
    private Instant[] timespan(String timespan) {
        if (timespan == null || timespan.isBlank()) {
            return new Instant[]{Instant.MIN, Instant.MAX};
        }
        try {
            String[] parts = timespan.split("/");
            if (parts.length == 2) {
                return new Instant[]{OffsetDateTime.parse(parts[0]).toInstant(), OffsetDateTime.parse(parts[1]).toInstant()};
            }
            Instant end = now.get();
            return new Instant[]{end.minus(Duration.parse(parts[0])), end};
        } catch (RuntimeException e) {
            throw new FakeAzureError(400, "BadArgumentError", "Invalid timespan " + timespan);
        }
    }
}
