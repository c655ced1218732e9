package io.oomresponder.simulator.azure;

import java.util.List;
import java.util.Locale;

/**
 * How a simulated managed environment ships its logs, as ARM describes it: its
 * {@code appLogsConfiguration.destination} and, for {@code azure-monitor}, its diagnostic settings.
 * The destination decides the one table family its workspaces hold: {@code log-analytics} writes
 * ContainerAppSystemLogs_CL / ContainerAppConsoleLogs_CL, {@code azure-monitor} (through
 * diagnostic settings) the resource-specific ContainerAppSystemLogs / ContainerAppConsoleLogs.
 *
 * @param destination "log-analytics" or "azure-monitor"
 * @param settings    the diagnostic settings (empty for log-analytics)
 */
public record EnvironmentLogs(String destination, List<DiagnosticSetting> settings) {

    public static final String LOG_ANALYTICS = "log-analytics";
    public static final String AZURE_MONITOR = "azure-monitor";

    public EnvironmentLogs {
        settings = settings == null ? List.of() : List.copyOf(settings);
    }

    /** Whether the workspaces hold the resource-specific tables (else the {@code _CL} ones). */
    public boolean resourceSpecificTables() {
        return AZURE_MONITOR.equals(destination);
    }

    /**
     * One diagnostic setting that sends logs to a Log Analytics workspace.
     *
     * @param name                 the setting's name
     * @param workspaceResourceId  the workspace's ARM id, as the setting names it
     * @param workspaceCustomerId  the workspace's customer id (what the query API takes)
     * @param system               whether it sends ContainerAppSystemLogs
     * @param console              whether it sends ContainerAppConsoleLogs
     * @param allLogs              whether it sends them as the {@code allLogs} category group (else as single categories)
     */
    public record DiagnosticSetting(String name, String workspaceResourceId, String workspaceCustomerId,
                                    boolean system, boolean console, boolean allLogs) {

        /** The workspace's name, the last segment of its id. */
        public String workspaceName() {
            return workspaceResourceId.substring(workspaceResourceId.lastIndexOf('/') + 1);
        }

        boolean isWorkspace(String resourceIdOrCustomerId) {
            return workspaceResourceId.equalsIgnoreCase(resourceIdOrCustomerId) || workspaceCustomerId.equalsIgnoreCase(resourceIdOrCustomerId);
        }
    }

    /** Whether an environment of this name ships its logs to Azure Monitor by default (else to Log Analytics). */
    public static boolean azureMonitorByDefault(String environmentName) {
        return Math.floorMod(environmentName.toLowerCase(Locale.ROOT).hashCode(), 2) != 0;
    }

    /**
     * The ARM id of the workspace an environment's logs go to by default: {@code law-<environment>} in
     * the environment's resource group, whichever the destination (for log-analytics it is the
     * workspace whose customer id the environment names). Simulated log alerts are scoped to it.
     */
    public static String defaultWorkspaceResourceId(String environmentId) {
        String[] seg = environmentId.split("/");
        return "/subscriptions/" + seg[2] + "/resourceGroups/" + seg[4]
                + "/providers/Microsoft.OperationalInsights/workspaces/law-" + seg[seg.length - 1].toLowerCase(Locale.ROOT);
    }

    /** The default for an environment: the destination follows its name, so both kinds occur across scenarios. */
    static EnvironmentLogs defaultFor(String environmentId, String workspaceCustomerId) {
        String[] seg = environmentId.split("/");
        String name = seg[seg.length - 1].toLowerCase(Locale.ROOT);
        if (!azureMonitorByDefault(name)) {
            return new EnvironmentLogs(LOG_ANALYTICS, List.of());
        }
        String workspace = defaultWorkspaceResourceId(environmentId);
        return new EnvironmentLogs(AZURE_MONITOR, List.of(new DiagnosticSetting("send-to-" + "law-" + name, workspace,
                workspaceCustomerId, true, true, true)));
    }
}
