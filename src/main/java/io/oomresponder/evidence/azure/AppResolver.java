package io.oomresponder.evidence.azure;

import com.azure.core.util.Context;
import com.azure.resourcemanager.appcontainers.models.ManagedEnvironment;
import io.oomresponder.evidence.AppResolution;
import io.oomresponder.evidence.IdleBoundedMap;
import io.oomresponder.intake.AlertSignal;
import io.oomresponder.intake.AppByName;
import io.oomresponder.intake.AsciiNames;
import io.oomresponder.intake.ContainerAppId;
import io.oomresponder.intake.ScopeGuard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Finds the container app a workspace-scoped log alert names only by name ({@link AppByName}), in the
 * worker, never in the intake. It lists the container apps of the allowed scopes
 * ({@link ScopeGuard#armScopes}, every page, {@link ContainerAppLister}) and keeps those with the
 * alert's app name whose managed environment
 * <ul>
 * <li>is the environment the alert names (its {@code _ResourceId} dimension, or an
 * {@code EnvironmentName} dimension), and</li>
 * <li>sends its logs to the alert's workspace: through {@code appLogsConfiguration.logAnalyticsConfiguration.customerId}
 * (destination log-analytics) or through a diagnostic setting naming the workspace (destination azure-monitor).</li>
 * </ul>
 * One app left: resolved. None or several: the answer says why and names every app of that name it
 * saw, so the note that follows is never silent.
 */
public final class AppResolver {

    private static final Logger LOG = LoggerFactory.getLogger(AppResolver.class);

    /** A scope's list is reused this long: a storm of log alerts lists each scope once, a new app is seen within a minute. */
    static final Duration LIST_REUSE = Duration.ofMinutes(1);

    /** Where an environment's logs go changes rarely; remembered this long. */
    static final Duration ENVIRONMENT_MEMORY = Duration.ofMinutes(10);

    private final AzureClients clients;
    private final ContainerAppLister lister;
    private final DiagnosticSettingsReader diagnosticSettings;
    private final ScopeGuard scope;
    private final IdleBoundedMap<String, Set<String>> customerIdsByEnvironment = new IdleBoundedMap<>(1_000, ENVIRONMENT_MEMORY);
    private final java.util.Map<String, Listed> listByScope = new java.util.concurrent.ConcurrentHashMap<>();

    /** A scope's apps and when they were listed. */
    private record Listed(List<ContainerAppLister.ListedApp> apps, long atNanos) {
    }

    AppResolver(AzureClients clients, DiagnosticSettingsReader diagnosticSettings, ScopeGuard scope) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.lister = new ContainerAppLister(clients);
        this.diagnosticSettings = Objects.requireNonNull(diagnosticSettings, "diagnosticSettings");
        this.scope = Objects.requireNonNull(scope, "scope");
    }

    /** Resolves the alert's app; never throws for Azure trouble (it becomes the problem). */
    public AppResolution resolve(AlertSignal alert) {
        String name = AppByName.appName(alert).orElse(null);
        if (name == null) {
            return AppResolution.unresolved("the alert carries no ContainerAppName dimension", List.of());
        }
        String target = alert.targetResourceId();
        String lowerTarget = AsciiNames.lower(target);
        String environmentId = lowerTarget.contains("/providers/microsoft.app/managedenvironments/") ? target : null;
        String workspaceId = lowerTarget.contains("/providers/microsoft.operationalinsights/workspaces/") ? target : null;
        String environmentName = AppByName.environmentName(alert).orElse(null);
        String subscription = target.split("/").length > 2 ? target.split("/")[2] : null;
        List<String> scopes = scope.armScopes(subscription);
        if (scopes.isEmpty()) {
            return AppResolution.unresolved("no subscription to look for app " + name + " in (ALLOWED_SUBSCRIPTIONS)", List.of());
        }
        String customerId = null;
        if (workspaceId != null && environmentId == null) {
            try {
                customerId = diagnosticSettings.workspaceCustomerId(workspaceId, Context.NONE);
            } catch (RuntimeException e) {
                return AppResolution.unresolved("could not read the alert's workspace " + workspaceId + " (" + brief(e)
                        + "); the identity needs Reader on it to match app " + name + " to its environment", List.of());
            }
        }
        List<String> candidates = new ArrayList<>();
        List<ContainerAppLister.ListedApp> matches = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (String where : scopes) {
            List<ContainerAppLister.ListedApp> listed;
            try {
                listed = listed(where);
            } catch (RuntimeException e) {
                failures.add(where + " (" + brief(e) + ")");
                continue;
            }
            for (ContainerAppLister.ListedApp app : listed) {
                if (!app.name().equalsIgnoreCase(name)) {
                    continue;
                }
                String env = app.environmentId() == null ? "" : app.environmentId();
                String envName = env.substring(env.lastIndexOf('/') + 1);
                String label = app.resourceId() + " (environment " + (envName.isEmpty() ? "unknown" : envName) + ")";
                if (environmentId != null && !env.equalsIgnoreCase(environmentId)) {
                    candidates.add(label + ": not in the alert's environment");
                    continue;
                }
                if (environmentName != null && !envName.equalsIgnoreCase(environmentName)) {
                    candidates.add(label + ": not in environment " + environmentName);
                    continue;
                }
                if (customerId != null) {
                    String why = logsGoTo(env, customerId);
                    if (why != null) {
                        candidates.add(label + ": " + why);
                        continue;
                    }
                }
                if (scope.refusal(ContainerAppId.parse(app.resourceId())).isPresent()) {
                    candidates.add(label + ": outside the allowed scope");
                    continue;
                }
                candidates.add(label + ": matches");
                matches.add(app);
            }
        }
        String where = environmentId != null ? "environment " + environmentId : workspaceId != null ? "workspace " + workspaceId : target;
        if (matches.size() == 1) {
            ContainerAppLister.ListedApp app = matches.get(0);
            LOG.info("alert {}: app {} of {} resolved to {}", alert.id(), name, where, app.resourceId());
            return AppResolution.of(ContainerAppId.parse(app.resourceId()).toString(), app.environmentId(), candidates);
        }
        String listedIn = String.join(", ", scopes) + (failures.isEmpty() ? "" : "; could not list " + String.join(", ", failures));
        if (matches.isEmpty()) {
            return AppResolution.unresolved("no container app named " + name + " in " + listedIn + " runs in an environment whose logs go to the alert's "
                    + where + (environmentName == null ? "" : " and is named " + environmentName), candidates);
        }
        return AppResolution.unresolved(matches.size() + " container apps named " + name + " send their logs to the alert's " + where
                + "; declare EnvironmentName (or _ResourceId) as a dimension of the rule so the alert says which", candidates);
    }

    /** The scope's apps, listed again once {@link #LIST_REUSE} has passed. */
    private List<ContainerAppLister.ListedApp> listed(String where) {
        long now = System.nanoTime();
        Listed known = listByScope.get(where);
        if (known != null && now - known.atNanos() < LIST_REUSE.toNanos()) {
            return known.apps();
        }
        List<ContainerAppLister.ListedApp> apps = lister.list(where);
        listByScope.put(where, new Listed(List.copyOf(apps), now));
        return apps;
    }

    /** Null when the environment sends its logs to the workspace with this customer id; else why not. */
    private String logsGoTo(String environmentId, String customerId) {
        Set<String> ids;
        try {
            ids = customerIdsByEnvironment.computeIfAbsent(AsciiNames.lower(environmentId), k -> customerIdsOf(environmentId));
        } catch (RuntimeException e) {
            return "could not read its environment (" + brief(e) + ")";
        }
        return ids.contains(customerId.toLowerCase(Locale.ROOT)) ? null : "its environment sends no logs to the alert's workspace";
    }

    /** The customer ids of the workspaces an environment's logs go to: its own, or its diagnostic settings'. */
    private Set<String> customerIdsOf(String environmentId) {
        String[] parts = ArmEvidenceReader.environmentParts(environmentId)
                .orElseThrow(() -> new IllegalStateException("malformed environment id"));
        ManagedEnvironment env = clients.arm(parts[0]).managedEnvironments().getByResourceGroup(parts[1], parts[2]);
        var logs = env.appLogsConfiguration();
        Set<String> out = new java.util.HashSet<>();
        if (logs != null && logs.logAnalyticsConfiguration() != null && logs.logAnalyticsConfiguration().customerId() != null) {
            out.add(logs.logAnalyticsConfiguration().customerId().toLowerCase(Locale.ROOT));
        }
        if (logs != null && "azure-monitor".equalsIgnoreCase(logs.destination())) {
            try {
                LogWorkspaces ws = diagnosticSettings.workspacesOf(environmentId, Context.NONE);
                ws.system().forEach(id -> out.add(id.toLowerCase(Locale.ROOT)));
                ws.console().forEach(id -> out.add(id.toLowerCase(Locale.ROOT)));
            } catch (AzureEvidenceSource.MissingPrerequisite e) {
                // No setting sends logs to a workspace: the set stays empty, and the reason says so.
            }
        }
        return Set.copyOf(out);
    }

    /** A short cause without Azure's message body: the exception type and our own first line. */
    private static String brief(RuntimeException e) {
        if (e instanceof com.azure.core.exception.HttpResponseException h && h.getResponse() != null) {
            return "HTTP " + h.getResponse().getStatusCode();
        }
        String m = e.getMessage();
        String first = m == null ? "" : m.lines().findFirst().orElse("");
        return e.getClass().getSimpleName() + (first.isEmpty() ? "" : ": " + (first.length() > 120 ? first.substring(0, 120) : first));
    }
}
