package io.oomresponder.evidence.azure;

import io.oomresponder.evidence.KqlString;
import java.util.Locale;

/**
 * The KQL the collector sends to Log Analytics, one text per table family: an environment whose
 * logs go to {@code azure-monitor} (diagnostic settings) fills the resource-specific tables
 * ContainerAppSystemLogs/ContainerAppConsoleLogs, one whose destination is {@code log-analytics}
 * fills ContainerAppSystemLogs_CL/ContainerAppConsoleLogs_CL. A query names only the family the
 * workspace holds, so Microsoft's Kusto parser finds no unknown table or column in it (see
 * {@code EvidenceQueriesKustoTest}). In the {@code _CL} tables only {@code TimeGenerated} and
 * {@code ContainerAppName_s} are read directly; the other columns go through
 * {@code column_ifexists}, because Microsoft publishes no schema for those tables. The app name
 * enters only as a {@link KqlString} literal; the time range travels as the request's timespan.
 *
 * <p>Rows are also filtered on the app's environment (issue 26): two apps of one name in different
 * environments (or resource groups) may log to one workspace. The resource-specific tables have
 * {@code EnvironmentName} (Azure Monitor tables reference); the {@code _CL} tables have
 * {@code EnvironmentName_s} where the workspace has it (community queries, no Microsoft schema), read
 * through {@code column_ifexists} so a workspace without the column still answers, unfiltered.
 */
final class EvidenceQueries {

    /** System events are few (a handful per restart); this bounds a crash-looping app. */
    static final int MAX_SYSTEM_EVENTS = 1000;
    static final int CONSOLE_LINES_PER_RESTART = 50;
    static final int MAX_CONSOLE_LINES = 500;

    /** Which of the two table families a workspace holds for an environment. */
    enum TableFamily {
        /** ContainerAppSystemLogs / ContainerAppConsoleLogs (Azure Monitor tables reference). */
        RESOURCE_SPECIFIC,
        /** ContainerAppSystemLogs_CL / ContainerAppConsoleLogs_CL (custom-log tables). */
        CUSTOM_LOG;

        /** The family an environment's {@code appLogsConfiguration.destination} writes; null when it writes none. */
        static TableFamily ofDestination(String destination) {
            if (destination == null) {
                return null;
            }
            return switch (destination.toLowerCase(Locale.ROOT)) {
                case "log-analytics" -> CUSTOM_LOG;
                case "azure-monitor" -> RESOURCE_SPECIFIC;
                default -> null;
            };
        }
    }

    private EvidenceQueries() {
    }

    /** The environment's name, the last segment of its resource id; null when unknown. */
    static String environmentName(String environmentId) {
        if (environmentId == null || environmentId.isBlank()) {
            return null;
        }
        String trimmed = environmentId.endsWith("/") ? environmentId.substring(0, environmentId.length() - 1) : environmentId;
        String name = trimmed.substring(trimmed.lastIndexOf('/') + 1);
        return name.isEmpty() ? null : name;
    }

    /** As {@link #systemEvents(String, String, TableFamily)} without an environment filter. */
    static String systemEvents(String appName, TableFamily family) {
        return systemEvents(appName, null, family);
    }

    /**
     * Every system event of the app (terminations, OOM kills, back-offs, probe failures, starts),
     * oldest first; of its environment only when {@code environment} is not null.
     */
    static String systemEvents(String appName, String environment, TableFamily family) {
        return """
                // oom-responder: Container Apps system events
                let app = %s;
                let env = %s;
                %s
                | top %d by TimeGenerated desc
                | order by TimeGenerated asc
                """.formatted(KqlString.literal(appName), KqlString.literal(environment == null ? "" : environment),
                systemRows(family, true), MAX_SYSTEM_EVENTS);
    }

    /** As {@link #consoleAroundRestarts(String, String, TableFamily)} without an environment filter. */
    static String consoleAroundRestarts(String appName, TableFamily family) {
        return consoleAroundRestarts(appName, null, family);
    }

    /**
     * The last {@value #CONSOLE_LINES_PER_RESTART} console lines of each replica before each of its
     * restarts (termination, OOM kill, back-off) and before its last line (an OOM kill can leave no
     * system event), at most {@value #MAX_CONSOLE_LINES} in all, newest kept, oldest first.
     */
    static String consoleAroundRestarts(String appName, String environment, TableFamily family) {
        return """
                // oom-responder: console lines before each restart
                let app = %s;
                let env = %s;
                let systemEvents = %s;
                let lines = %s;
                let anchors = union
                    (systemEvents
                        | where Reason in ("ContainerTerminated", "OOMKilled", "ContainerBackOff", "BackOff", "Error") or Log contains "exit code"
                        | project Replica = ReplicaName, Anchor = TimeGenerated),
                    (lines | summarize Anchor = max(TimeGenerated) by Replica);
                lines
                | join kind=inner anchors on Replica
                | where TimeGenerated <= Anchor
                | order by Replica asc, Anchor asc, TimeGenerated desc
                | extend rn = row_number(1, prev(Replica) != Replica or prev(Anchor) != Anchor)
                | where rn <= %d
                | distinct TimeGenerated, RevisionName, Replica, ContainerName, Stream, Log
                | top %d by TimeGenerated desc
                | order by TimeGenerated asc
                """.formatted(KqlString.literal(appName), KqlString.literal(environment == null ? "" : environment),
                systemRows(family, false), consoleRows(family), CONSOLE_LINES_PER_RESTART, MAX_CONSOLE_LINES);
    }

    private static String systemRows(TableFamily family, boolean all) {
        return switch (family) {
            case RESOURCE_SPECIFIC -> all
                    ? """
                    ContainerAppSystemLogs
                    | where ContainerAppName == app and (isempty(env) or EnvironmentName == env)
                    | project TimeGenerated, RevisionName, ReplicaName, ContainerName, Reason, Type, Log, Count = tolong(Count)"""
                    : """
                    ContainerAppSystemLogs
                        | where ContainerAppName == app and (isempty(env) or EnvironmentName == env)
                        | project TimeGenerated, ReplicaName, Reason, Log""";
            case CUSTOM_LOG -> all
                    ? """
                    ContainerAppSystemLogs_CL
                    | where ContainerAppName_s == app and (isempty(env) or column_ifexists("EnvironmentName_s", env) == env)
                    | project TimeGenerated, RevisionName = column_ifexists("RevisionName_s", ""),
                        ReplicaName = column_ifexists("ReplicaName_s", ""), ContainerName = column_ifexists("ContainerName_s", ""),
                        Reason = column_ifexists("Reason_s", ""), Type = column_ifexists("Type_s", ""), Log = column_ifexists("Log_s", ""),
                        Count = tolong(column_ifexists("Count_d", real(null)))"""
                    : """
                    ContainerAppSystemLogs_CL
                        | where ContainerAppName_s == app and (isempty(env) or column_ifexists("EnvironmentName_s", env) == env)
                        | project TimeGenerated, ReplicaName = column_ifexists("ReplicaName_s", ""),
                            Reason = column_ifexists("Reason_s", ""), Log = column_ifexists("Log_s", "")""";
        };
    }

    private static String consoleRows(TableFamily family) {
        return switch (family) {
            case RESOURCE_SPECIFIC -> """
                    ContainerAppConsoleLogs
                        | where ContainerAppName == app and (isempty(env) or EnvironmentName == env)
                        | project TimeGenerated, RevisionName, Replica = ContainerGroupName, ContainerName, Stream, Log""";
            case CUSTOM_LOG -> """
                    ContainerAppConsoleLogs_CL
                        | where ContainerAppName_s == app and (isempty(env) or column_ifexists("EnvironmentName_s", env) == env)
                        | project TimeGenerated, RevisionName = column_ifexists("RevisionName_s", ""),
                            Replica = column_ifexists("ContainerGroupName_s", ""), ContainerName = column_ifexists("ContainerName_s", ""),
                            Stream = column_ifexists("Stream_s", ""), Log = column_ifexists("Log_s", "")""";
        };
    }
}
