package io.oomresponder.note;

import io.oomresponder.evidence.EvidenceWindow;
import io.oomresponder.evidence.KqlString;

/** The Log Analytics query a reader can run to see the evidence behind a note. */
public final class LogQueries {

    private LogQueries() {
    }

    /**
     * Container exits and OOM kills of the app in the window, from the resource-specific system
     * log table. The app name is escaped as a KQL string literal.
     */
    public static String systemLogQuery(String appName, EvidenceWindow window) {
        return systemLogQuery(appName, null, window);
    }

    /**
     * As above, of the app in this environment only ({@code EnvironmentName}; null: any): one workspace
     * may hold the logs of same-named apps in several environments (issue 26).
     */
    public static String systemLogQuery(String appName, String environmentName, EvidenceWindow window) {
        return "ContainerAppSystemLogs\n"
                + "| where TimeGenerated between (datetime(" + window.start() + ") .. datetime(" + window.end() + "))\n"
                + "| where ContainerAppName == " + KqlString.literal(appName == null ? "" : appName)
                + (environmentName == null || environmentName.isEmpty() ? "" : " and EnvironmentName == " + KqlString.literal(environmentName)) + "\n"
                + "| where Log has_any ('137', 'OOMKilled') or Reason in ('OOMKilled', 'ContainerTerminated', 'ContainerBackOff', 'Error')\n"
                + "| project TimeGenerated, RevisionName, ReplicaName, Reason, Log\n"
                + "| order by TimeGenerated asc";
    }
}
