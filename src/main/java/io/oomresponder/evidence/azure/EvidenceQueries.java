package io.oomresponder.evidence.azure;

/**
 * The KQL the collector sends to Log Analytics. Both queries read the resource-specific tables
 * (ContainerAppSystemLogs/ContainerAppConsoleLogs, Azure Monitor destination) and the legacy
 * {@code _CL} tables (Log Analytics destination) with {@code union isfuzzy=true}, because which set
 * exists depends on the environment; {@code _CL} columns go through {@code column_ifexists} since
 * Microsoft publishes no column list for them. The app name enters only as a {@link KqlString}
 * literal; the time range travels as the request's timespan, not in the text.
 */
final class EvidenceQueries {

    /** System events are few (a handful per restart); this bounds a crash-looping app. */
    static final int MAX_SYSTEM_EVENTS = 1000;
    static final int CONSOLE_LINES_PER_RESTART = 50;
    static final int MAX_CONSOLE_LINES = 500;

    private EvidenceQueries() {
    }

    /** Every system event of the app (terminations, OOM kills, back-offs, probe failures, starts), oldest first. */
    static String systemEvents(String appName) {
        return """
                // oom-responder: Container Apps system events
                let app = %s;
                union isfuzzy=true
                    (ContainerAppSystemLogs
                        | where ContainerAppName == app
                        | project TimeGenerated, RevisionName, ReplicaName, Reason, Type, Log, Count = tolong(Count)),
                    (ContainerAppSystemLogs_CL
                        | where ContainerAppName_s == app
                        | project TimeGenerated, RevisionName = column_ifexists("RevisionName_s", ""),
                            ReplicaName = column_ifexists("ReplicaName_s", ""), Reason = column_ifexists("Reason_s", ""),
                            Type = column_ifexists("Type_s", ""), Log = column_ifexists("Log_s", ""),
                            Count = tolong(column_ifexists("Count_d", real(null))))
                | top %d by TimeGenerated desc
                | order by TimeGenerated asc
                """.formatted(KqlString.literal(appName), MAX_SYSTEM_EVENTS);
    }

    /**
     * The last {@value #CONSOLE_LINES_PER_RESTART} console lines of each replica before each of its
     * restarts (termination, OOM kill, back-off) and before its last line (an OOM kill can leave no
     * system event), at most {@value #MAX_CONSOLE_LINES} in all, newest kept, oldest first.
     */
    static String consoleAroundRestarts(String appName) {
        return """
                // oom-responder: console lines before each restart
                let app = %s;
                let systemEvents = union isfuzzy=true
                    (ContainerAppSystemLogs
                        | where ContainerAppName == app
                        | project TimeGenerated, Replica = ReplicaName, Reason, Log),
                    (ContainerAppSystemLogs_CL
                        | where ContainerAppName_s == app
                        | project TimeGenerated, Replica = column_ifexists("ReplicaName_s", ""),
                            Reason = column_ifexists("Reason_s", ""), Log = column_ifexists("Log_s", ""));
                let lines = union isfuzzy=true
                    (ContainerAppConsoleLogs
                        | where ContainerAppName == app
                        | project TimeGenerated, RevisionName, Replica = ContainerGroupName, ContainerName, Stream, Log),
                    (ContainerAppConsoleLogs_CL
                        | where ContainerAppName_s == app
                        | project TimeGenerated, RevisionName = column_ifexists("RevisionName_s", ""),
                            Replica = column_ifexists("ContainerGroupName_s", ""), ContainerName = column_ifexists("ContainerName_s", ""),
                            Stream = column_ifexists("Stream_s", ""), Log = column_ifexists("Log_s", ""));
                let anchors = union
                    (systemEvents
                        | where Reason in ("ContainerTerminated", "OOMKilled", "ContainerBackOff", "BackOff", "Error") or Log contains "exit code"
                        | project Replica, Anchor = TimeGenerated),
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
                """.formatted(KqlString.literal(appName), CONSOLE_LINES_PER_RESTART, MAX_CONSOLE_LINES);
    }
}
