package io.oomresponder.simulator.azure;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The columns of the Container Apps log tables, as Microsoft documents them; the simulator's
 * structural query check and the Kusto parser test declare these. Two families, one per
 * environment's log destination:
 *
 * <ul>
 *   <li>resource-specific ContainerAppSystemLogs and ContainerAppConsoleLogs: the Azure Monitor
 *       tables reference (MicrosoftDocs/azure-reference-other,
 *       {@code azure-monitor-ref/tables/includes/containerappsystemlogs-include.md} and
 *       {@code containerappconsolelogs-include.md}, commit 161a4d90; Learn
 *       https://learn.microsoft.com/azure/azure-monitor/reference/tables/containerappsystemlogs);</li>
 *   <li>{@code _CL} ContainerAppSystemLogs_CL and ContainerAppConsoleLogs_CL: Microsoft publishes no
 *       schema; the columns declared are those Learn's Container Apps log queries use
 *       ({@code ContainerAppName_s}, {@code Log_s}; https://learn.microsoft.com/azure/container-apps/log-monitoring)
 *       and the standard columns every Log Analytics table has. Any other {@code _CL} column must be
 *       read through {@code column_ifexists} (the strictest reading).</li>
 * </ul>
 */
public final class LogTableSchemas {

    private LogTableSchemas() {
    }

    /** Table name to Kusto schema text {@code (Column:type, ...)}, resource-specific family. */
    public static Map<String, String> resourceSpecific() {
        Map<String, String> t = new LinkedHashMap<>();
        t.put("ContainerAppSystemLogs", "(_BilledSize:real, ComponentName:string, ComponentType:string, ContainerAppName:string,"
                + " ContainerName:string, Count:int, EnvironmentName:string, EventSource:string, _IsBillable:string, JobName:string,"
                + " Location:string, Log:string, OperationName:string, Reason:string, ReplicaName:string, _ResourceId:string,"
                + " RevisionName:string, SourceSystem:string, _SubscriptionId:string, TenantId:string, TimeGenerated:datetime, Type:string)");
        t.put("ContainerAppConsoleLogs", "(_BilledSize:real, ContainerAppName:string, ContainerGroupId:string, ContainerGroupName:string,"
                + " ContainerId:string, ContainerImage:string, ContainerName:string, EnvironmentName:string, _IsBillable:string,"
                + " JobName:string, Location:string, Log:string, OperationName:string, _ResourceId:string, RevisionName:string,"
                + " SourceSystem:string, Stream:string, _SubscriptionId:string, TenantId:string, TimeGenerated:datetime, Type:string)");
        return t;
    }

    /** Table name to Kusto schema text, {@code _CL} family (documented columns only). */
    public static Map<String, String> customLog() {
        String columns = "(TimeGenerated:datetime, ContainerAppName_s:string, Log_s:string, TenantId:string, Type:string,"
                + " _ResourceId:string, SourceSystem:string)";
        Map<String, String> t = new LinkedHashMap<>();
        t.put("ContainerAppSystemLogs_CL", columns);
        t.put("ContainerAppConsoleLogs_CL", columns);
        return t;
    }

    /** Whether this {@code _CL} column is one Microsoft documents (others need column_ifexists). */
    static boolean documentedCustomColumn(String column) {
        return customLog().get("ContainerAppSystemLogs_CL").contains(" " + column + ":")
                || customLog().get("ContainerAppSystemLogs_CL").contains("(" + column + ":");
    }
}
