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

    public FakeAzureWorld(List<EvidenceBundle> truths) {
        for (EvidenceBundle truth : truths) {
            EvidenceBundle effective = withDefaults(truth);
            apps.put(key(effective.app().resourceId()), effective);
        }
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

    /** The apps living in this managed environment (empty when there is no such environment). */
    List<EvidenceBundle> environment(String environmentId) {
        return apps.values().stream()
                .filter(b -> b.app().environmentId().equalsIgnoreCase(environmentId))
                .toList();
    }

    /** The apps whose environment sends its logs to this workspace. */
    List<EvidenceBundle> appsInWorkspace(String workspaceId) {
        return apps.values().stream().filter(b -> b.app().workspaceId().equalsIgnoreCase(workspaceId)).toList();
    }

    private static String key(String resourceId) {
        return resourceId.toLowerCase(Locale.ROOT);
    }

    /** Fills location, environmentId, workspaceId and revisions where the truth lacks them. */
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
        return new EvidenceBundle(truth.schemaVersion(), truth.alert(), truth.window(), effective, truth.replicas(),
                truth.metrics(), truth.systemLogs(), truth.consoleLogs(), truth.gaps());
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
