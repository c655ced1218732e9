package io.oomresponder.evidence.azure;

import io.oomresponder.evidence.azure.EvidenceQueries.TableFamily;

import java.util.List;

/**
 * Where an app's logs can be read: the Log Analytics workspaces (customer ids) holding its system
 * events and its console lines, in the order to try them, and the table family they hold.
 *
 * @param system  workspaces receiving ContainerAppSystemLogs, first to try first
 * @param console workspaces receiving ContainerAppConsoleLogs
 * @param family  the table family they hold; null when unknown (then both are tried, resource-specific first)
 * @param origin  where this came from, for logs and docs: the setting, the environment, or its diagnostic settings
 */
record LogWorkspaces(List<String> system, List<String> console, TableFamily family, String origin) {

    LogWorkspaces {
        system = List.copyOf(system);
        console = List.copyOf(console);
    }

    /** One workspace for both kinds of log. */
    static LogWorkspaces single(String workspaceId, TableFamily family, String origin) {
        return new LogWorkspaces(List.of(workspaceId), List.of(workspaceId), family, origin);
    }

    /** The families to try, in order. */
    List<TableFamily> families() {
        return family != null ? List.of(family) : List.of(TableFamily.RESOURCE_SPECIFIC, TableFamily.CUSTOM_LOG);
    }
}
