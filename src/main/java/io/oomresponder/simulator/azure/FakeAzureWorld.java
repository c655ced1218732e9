package io.oomresponder.simulator.azure;

import io.oomresponder.evidence.AppConfig;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.Replica;
import io.oomresponder.evidence.RevisionInfo;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The container apps the simulator serves, each given as a truth {@link EvidenceBundle}. Extras the
 * ARM and Log Analytics routes need but a bundle may lack (location, managed environment,
 * workspace id, revisions) get deterministic defaults, so a test can compare what the collector
 * gathered with {@link #app(String)}.
 */
public final class FakeAzureWorld {

    /** Region used when a truth bundle names none. */
    public static final String DEFAULT_LOCATION = "westeurope";

    private final Map<String, EvidenceBundle> apps = new LinkedHashMap<>();
    private final QueueResources queues;
    /** Per environment id (lower case): how it ships its logs. Tests may replace an entry. */
    private final Map<String, EnvironmentLogs> environmentLogs = new java.util.concurrent.ConcurrentHashMap<>();

    public FakeAzureWorld(List<EvidenceBundle> truths) {
        for (EvidenceBundle truth : truths) {
            EvidenceBundle effective = withDefaults(truth);
            apps.put(key(effective.app().resourceId()), effective);
            environmentLogs.putIfAbsent(key(effective.app().environmentId()),
                    EnvironmentLogs.defaultFor(effective.app().environmentId(), effective.app().workspaceId()));
        }
        this.queues = new QueueResources(apps.values());
    }

    /** From now on, resource lists leave out the queue resource(s) with this name, or with this ARM id (deleted, or not visible to the identity). */
    public void hideQueueResource(String nameOrId) {
        queues.hide(nameOrId);
    }

    /** From now on, metrics of the queue resource with this name are refused 403 (no Monitoring Reader on it). */
    public void denyQueueMetrics(String name) {
        queues.denyMetrics(name);
    }

    /** From now on, every resource list is refused 403 (the identity may list no resources). */
    public void denyResourceLists() {
        queues.denyLists();
    }

    /** Whether this subscription's resource list is refused to the (resource-group-scoped) identity: one of the readings the simulator serves. */
    public static boolean refusesSubscriptionResourceList(String subscriptionId) {
        return QueueResources.subscriptionListRefused(subscriptionId);
    }

    /** The queues' own resources the apps' scale rules name (namespaces, storage accounts), with their backlog truth. */
    QueueResources queues() {
        return queues;
    }

    /** How this environment ships its logs (the default follows its name; see {@link EnvironmentLogs#defaultFor}). */
    public EnvironmentLogs environmentLogs(String environmentId) {
        return environmentLogs.get(key(environmentId));
    }

    /** Replaces how an environment ships its logs (e.g. several diagnostic settings); served from the next request on. */
    public void setEnvironmentLogs(String environmentId, EnvironmentLogs logs) {
        if (!environmentLogs.containsKey(key(environmentId))) {
            throw new IllegalArgumentException("no app lives in environment " + environmentId);
        }
        environmentLogs.put(key(environmentId), logs);
    }

    /** Workspaces (customer ids) whose queries the caller may not run: answered 403 as Log Analytics does without a reader role. */
    private final java.util.Set<String> deniedWorkspaces = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** From now on, queries to this workspace are refused with 403 (the identity lacks a reader role on it). */
    public void denyWorkspace(String workspaceCustomerId) {
        deniedWorkspaces.add(workspaceCustomerId.toLowerCase(Locale.ROOT));
    }

    boolean denied(String workspaceCustomerId) {
        return deniedWorkspaces.contains(workspaceCustomerId.toLowerCase(Locale.ROOT));
    }

    /** The workspace with this ARM id that some diagnostic setting names, with the setting. */
    Optional<EnvironmentLogs.DiagnosticSetting> workspace(String workspaceResourceId) {
        return workspaces().stream().filter(s -> s.workspaceResourceId().equalsIgnoreCase(workspaceResourceId)).findFirst();
    }

    /**
     * Every Log Analytics workspace the environments write to, once each: those their diagnostic
     * settings name, and for a {@code log-analytics} environment the workspace of its customer id
     * ({@link EnvironmentLogs#defaultWorkspaceResourceId}). Each is given as a setting that sends both logs.
     */
    List<EnvironmentLogs.DiagnosticSetting> workspaces() {
        Map<String, EnvironmentLogs.DiagnosticSetting> out = new LinkedHashMap<>();
        for (EvidenceBundle b : apps.values()) {
            String env = b.app().environmentId();
            EnvironmentLogs logs = environmentLogs(env);
            if (logs.resourceSpecificTables()) {
                logs.settings().forEach(st -> out.putIfAbsent(key(st.workspaceResourceId()), st));
            } else {
                String id = EnvironmentLogs.defaultWorkspaceResourceId(env);
                out.putIfAbsent(key(id), new EnvironmentLogs.DiagnosticSetting("log-analytics", id, b.app().workspaceId(), true, true, true));
            }
        }
        return List.copyOf(out.values());
    }

    /** When an alert was last modified (acknowledged, closed, ...), by alert id in lower case; unmodified alerts are absent. */
    private final Map<String, Instant> alertModified = new java.util.concurrent.ConcurrentHashMap<>();

    /** From now on the alert with this id was last modified at {@code at} (a person changed its state). */
    public void modifyAlert(String alertId, Instant at) {
        alertModified.put(key(alertId), at);
    }

    /** The alert's {@code lastModifiedDateTime}: when it was modified, else when it fired. */
    Instant lastModified(EvidenceBundle truth) {
        return alertModified.getOrDefault(key(truth.alert().id()), truth.alert().firedAt());
    }

    /** The effective truth for this container app id (case-insensitive, as ARM ids are). */
    public Optional<EvidenceBundle> app(String resourceId) {
        return Optional.ofNullable(apps.get(key(resourceId)));
    }

    public List<EvidenceBundle> apps() {
        return List.copyOf(apps.values());
    }

    /** The app with this subscription, resource group and name (case-insensitive). */
    Optional<EvidenceBundle> app(String subscription, String resourceGroup, String name) {
        return app("/subscriptions/" + subscription + "/resourceGroups/" + resourceGroup
                + "/providers/Microsoft.App/containerApps/" + name);
    }

    /**
     * Whether the resource group holds anything of this world (an app, an environment or a workspace):
     * ARM answers 404 ResourceGroupNotFound for a resource in a group that does not exist.
     */
    boolean resourceGroupExists(String subscription, String resourceGroup) {
        String prefix = ("/subscriptions/" + subscription + "/resourceGroups/" + resourceGroup + "/").toLowerCase(java.util.Locale.ROOT);
        java.util.function.Predicate<String> inGroup = id -> id != null && id.toLowerCase(java.util.Locale.ROOT).startsWith(prefix);
        return apps.values().stream().anyMatch(b -> inGroup.test(b.app().resourceId()) || inGroup.test(b.app().environmentId()))
                || workspaces().stream().anyMatch(w -> inGroup.test(w.workspaceResourceId()));
    }

    /** The apps living in this managed environment (empty when there is no such environment). */
    List<EvidenceBundle> environment(String environmentId) {
        return apps.values().stream()
                .filter(b -> b.app().environmentId().equalsIgnoreCase(environmentId))
                .toList();
    }

    /**
     * The apps whose environment sends this kind of log (system or console) to this workspace
     * (customer id), and whether the workspace holds the resource-specific tables for them.
     */
    List<EvidenceBundle> appsInWorkspace(String workspaceId, boolean system) {
        return apps.values().stream().filter(b -> {
            EnvironmentLogs logs = environmentLogs(b.app().environmentId());
            if (!logs.resourceSpecificTables()) {
                return b.app().workspaceId().equalsIgnoreCase(workspaceId);
            }
            return logs.settings().stream().anyMatch(st -> st.workspaceCustomerId().equalsIgnoreCase(workspaceId) && (system ? st.system() : st.console()));
        }).toList();
    }

    /** Whether any environment sends any log to this workspace (customer id): else the query API answers 404. */
    boolean workspaceExists(String workspaceId) {
        return apps.values().stream().anyMatch(b -> b.app().workspaceId().equalsIgnoreCase(workspaceId))
                || environmentLogs.values().stream().flatMap(l -> l.settings().stream()).anyMatch(st -> st.workspaceCustomerId().equalsIgnoreCase(workspaceId));
    }

    /** The table families this workspace holds: those of the environments sending to it (true = resource-specific). */
    java.util.Set<Boolean> familiesIn(String workspaceId) {
        java.util.Set<Boolean> out = new java.util.HashSet<>();
        for (EvidenceBundle b : apps.values()) {
            EnvironmentLogs logs = environmentLogs(b.app().environmentId());
            if (logs.resourceSpecificTables()) {
                if (logs.settings().stream().anyMatch(st -> st.workspaceCustomerId().equalsIgnoreCase(workspaceId))) {
                    out.add(true);
                }
            } else if (b.app().workspaceId().equalsIgnoreCase(workspaceId)) {
                out.add(false);
            }
        }
        return out;
    }

    /** Whether this app's environment writes the resource-specific tables (else the {@code _CL} ones). */
    boolean writesResourceSpecificTables(EvidenceBundle app) {
        return environmentLogs(app.app().environmentId()).resourceSpecificTables();
    }

    private static String key(String resourceId) {
        return resourceId.toLowerCase(Locale.ROOT);
    }

    /** Fills location, environmentId, workspaceId, revisions and the system log's container where the truth lacks them. */
    static EvidenceBundle withDefaults(EvidenceBundle truth) {
        AppConfig a = truth.app();
        String location = a.location() != null ? a.location() : DEFAULT_LOCATION;
        String environmentId = a.environmentId() != null ? a.environmentId()
                : "/subscriptions/" + a.subscriptionId() + "/resourceGroups/" + a.resourceGroup()
                + "/providers/Microsoft.App/managedEnvironments/" + a.name() + "-env";
        String workspaceId = a.workspaceId() != null ? a.workspaceId()
                : UUID.nameUUIDFromBytes(environmentId.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8)).toString();
        List<RevisionInfo> revisions = a.revisions().isEmpty() ? defaultRevisions(truth) : a.revisions();
        AppConfig effective = a.withPlace(location, environmentId, workspaceId, revisions);
        // The system log's ContainerName column: named by the event, else by its message ("Container 'app' was ...").
        List<io.oomresponder.evidence.SystemLogEvent> system = truth.systemLogs().stream()
                .map(e -> e.container() != null ? e : new io.oomresponder.evidence.SystemLogEvent(e.time(), e.revision(), e.replica(),
                        e.reason(), e.type(), e.message(), e.containerName()))
                .toList();
        return new EvidenceBundle(truth.schemaVersion(), truth.alert(), truth.window(), effective, truth.replicas(),
                truth.metrics(), system, truth.consoleLogs(), truth.gaps());
    }

    /** One active revision per revision its replicas run, plus the latest revision; the latest takes the traffic. */
    private static List<RevisionInfo> defaultRevisions(EvidenceBundle truth) {
        Map<String, List<Replica>> byRevision = new LinkedHashMap<>();
        if (truth.app().latestRevision() != null) {
            byRevision.put(truth.app().latestRevision(), new ArrayList<>());
        }
        for (Replica r : truth.replicas()) {
            if (r.revision() != null) {
                byRevision.computeIfAbsent(r.revision(), k -> new ArrayList<>()).add(r);
            }
        }
        List<RevisionInfo> out = new ArrayList<>();
        for (var e : byRevision.entrySet()) {
            Instant created = e.getValue().stream().map(Replica::createdAt).filter(t -> t != null)
                    .min(Comparator.naturalOrder()).orElse(truth.window().start());
            boolean latest = e.getKey().equals(truth.app().latestRevision());
            out.add(new RevisionInfo(e.getKey(), created, true, latest ? 100 : 0, e.getValue().size(), "Running", "Healthy"));
        }
        return out;
    }
}
