package io.oomresponder.evidence.azure;

import com.azure.core.util.Context;
import com.azure.resourcemanager.appcontainers.models.ContainerApp;
import com.azure.resourcemanager.appcontainers.models.ManagedEnvironment;
import io.oomresponder.evidence.ContainerSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The container apps of an ARM scope with what the deployment's alert rules need for each: its
 * managed environment (and that environment's resource group), the Log Analytics workspace its
 * system logs go to (ARM id: the log alerts' scope) and its replica's memory limit. Read-only: the
 * list of apps (Container Apps - List By Subscription / Resource Group; the SDK follows every
 * {@code nextLink}), one read per distinct environment, and for the environment's workspace either
 * its diagnostic settings ({@code azure-monitor}) or the subscription's workspaces list matched by
 * customer id ({@code log-analytics}, whose environment names only the customer id).
 */
public final class AppInventory {

    /** More apps than this in one scope are not read (the same bound as {@link ContainerAppLister#MAX_APPS}). */
    public static final int MAX_APPS = ContainerAppLister.MAX_APPS;

    private static final Pattern SCOPE = Pattern.compile(
            "/subscriptions/([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})(?:/resourceGroups/([-\\w.()]{1,90}))?/?");

    private final AzureClients clients;
    private final DiagnosticSettingsReader armReads;
    /** Per environment id (lower case): where its system logs go, or why that is unknown. */
    private final Map<String, Workspace> workspaces = new HashMap<>();

    public AppInventory(AzureClients clients) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.armReads = new DiagnosticSettingsReader(clients.armPipeline(), clients.endpoints().resourceManager());
    }

    /**
     * One app and what its rules need.
     *
     * @param name                     the app's name
     * @param resourceGroup            its resource group, as ARM wrote it
     * @param subscriptionId           its subscription
     * @param environmentId            its managed environment, or null
     * @param environmentResourceGroup the environment's resource group, or null
     * @param workspaceResourceId      the ARM id of the workspace its system logs go to, or null (see {@code problem})
     * @param memoryLimitBytes         the replica's memory limit (the sum of its containers'), or null when ARM gave none
     * @param problem                  why something above could not be found, or null
     */
    public record App(String name, String resourceGroup, String subscriptionId, String environmentId, String environmentResourceGroup,
                      String workspaceResourceId, Long memoryLimitBytes, String problem) {

        /** Whether a watched-app entry can be written for it (workspace and memory limit known). */
        public boolean complete() {
            return workspaceResourceId != null && memoryLimitBytes != null && memoryLimitBytes > 0;
        }
    }

    /**
     * Every app of the scope, all pages followed, in the list's order.
     *
     * @param scope {@code /subscriptions/<guid>} or {@code /subscriptions/<guid>/resourceGroups/<name>}
     * @throws IllegalArgumentException when the scope is neither
     * @throws RuntimeException         what the SDK throws when ARM refuses the list (e.g. 403)
     */
    public List<App> list(String scope) {
        Matcher m = scope == null ? null : SCOPE.matcher(scope);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("--scope " + scope + " is not /subscriptions/<guid>[/resourceGroups/<name>]");
        }
        String subscription = m.group(1);
        var api = clients.arm(subscription).containerApps();
        Iterable<ContainerApp> apps = m.group(2) == null ? api.list() : api.listByResourceGroup(m.group(2));
        List<App> out = new ArrayList<>();
        for (ContainerApp app : apps) {
            if (out.size() >= MAX_APPS) {
                break;
            }
            out.add(describe(app, subscription));
        }
        return out;
    }

    private App describe(ContainerApp app, String subscription) {
        String environmentId = ArmEvidenceReader.environmentId(app);
        Optional<String[]> env = ArmEvidenceReader.environmentParts(environmentId);
        long memory = 0;
        for (ContainerSpec c : ArmEvidenceReader.containers(app)) {
            memory += c.memoryBytes() == null ? 0 : c.memoryBytes();
        }
        Long limit = memory > 0 ? memory : null;
        if (env.isEmpty()) {
            return new App(app.name(), app.resourceGroupName(), subscription, environmentId, null, null, limit,
                    "ARM names no managed environment for it");
        }
        Workspace ws = workspaces.computeIfAbsent(environmentId.toLowerCase(Locale.ROOT), k -> workspaceOf(environmentId, env.get()));
        String problem = ws.problem() != null ? ws.problem() : limit == null ? "ARM gives no memory for its containers" : null;
        return new App(app.name(), app.resourceGroupName(), subscription, environmentId, env.get()[1], ws.resourceId(), limit, problem);
    }

    /** The workspace an environment's system logs go to, or why it is not known. */
    private record Workspace(String resourceId, String problem) {
    }

    private Workspace workspaceOf(String environmentId, String[] env) {
        try {
            ManagedEnvironment environment = clients.arm(env[0]).managedEnvironments().getByResourceGroup(env[1], env[2]);
            var logs = environment.appLogsConfiguration();
            String destination = logs == null ? null : logs.destination();
            if ("azure-monitor".equalsIgnoreCase(destination)) {
                List<String> ids = armReads.systemLogWorkspaceResourceIds(environmentId, Context.NONE);
                return ids.isEmpty()
                        ? new Workspace(null, "environment " + env[2] + " sends its logs to Azure Monitor, but no diagnostic setting sends ContainerAppSystemLogs to a workspace")
                        : new Workspace(ids.get(0), null);
            }
            String customerId = logs == null || logs.logAnalyticsConfiguration() == null ? null : logs.logAnalyticsConfiguration().customerId();
            if (customerId == null || customerId.isBlank()) {
                return new Workspace(null, "environment " + env[2] + " sends its logs to no Log Analytics workspace (destination "
                        + (destination == null ? "none" : destination) + ")");
            }
            return armReads.workspaceResourceIdOf(customerId, env[0], Context.NONE)
                    .map(id -> new Workspace(id, null))
                    .orElseGet(() -> new Workspace(null, "environment " + env[2] + " writes to workspace customer id " + customerId
                            + ", which is not among the workspaces of subscription " + env[0] + " you can read: set workspaceResourceId by hand"));
        } catch (RuntimeException e) {
            return new Workspace(null, "cannot read environment " + env[2] + " or its workspace: "
                    + AzureSignIn.failure(e, "arm").orElseGet(() -> e instanceof DiagnosticSettingsReader.ArmCallFailed
                            || e instanceof AzureEvidenceSource.MissingPrerequisite ? e.getMessage() : e.getClass().getSimpleName()));
        }
    }
}
