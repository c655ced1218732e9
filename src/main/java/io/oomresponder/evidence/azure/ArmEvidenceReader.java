package io.oomresponder.evidence.azure;

import com.azure.resourcemanager.appcontainers.models.Container;
import com.azure.resourcemanager.appcontainers.models.ContainerApp;
import com.azure.resourcemanager.appcontainers.models.ContainerAppProbe;
import com.azure.resourcemanager.appcontainers.models.ManagedEnvironment;
import com.azure.resourcemanager.appcontainers.models.ReplicaContainer;
import com.azure.resourcemanager.appcontainers.models.Revision;
import com.azure.resourcemanager.appcontainers.models.Scale;
import com.azure.resourcemanager.appcontainers.models.ScaleRule;
import io.oomresponder.evidence.ContainerSpec;
import io.oomresponder.evidence.MemoryQuantity;
import io.oomresponder.evidence.ProbeSpec;
import io.oomresponder.evidence.Replica;
import io.oomresponder.evidence.RevisionInfo;
import io.oomresponder.evidence.ScaleSettings;
import io.oomresponder.evidence.WorkloadProfile;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Maps the appcontainers SDK's ARM models to the bundle's records. */
final class ArmEvidenceReader {

    private ArmEvidenceReader() {
    }

    static List<ContainerSpec> containers(ContainerApp app) {
        List<ContainerSpec> out = new ArrayList<>();
        if (app.template() == null || app.template().containers() == null) {
            return out;
        }
        for (Container c : app.template().containers()) {
            Double cpu = c.resources() == null ? null : c.resources().cpu();
            String memory = c.resources() == null ? null : c.resources().memory();
            List<ProbeSpec> probes = new ArrayList<>();
            if (c.probes() != null) {
                for (ContainerAppProbe p : c.probes()) {
                    probes.add(probe(p));
                }
            }
            out.add(new ContainerSpec(c.name(), c.image(), cpu, memory, MemoryQuantity.bytes(memory), probes));
        }
        return out;
    }

    static ScaleSettings scale(ContainerApp app) {
        Scale s = app.template() == null ? null : app.template().scale();
        if (s == null) {
            return null;
        }
        List<ScaleSettings.Rule> rules = new ArrayList<>();
        if (s.rules() != null) {
            for (ScaleRule r : s.rules()) {
                rules.add(rule(r));
            }
        }
        return new ScaleSettings(s.minReplicas(), s.maxReplicas(), rules);
    }

    static String latestRevision(ContainerApp app) {
        return app.latestRevisionName() != null ? app.latestRevisionName() : app.latestReadyRevisionName();
    }

    /** The app's ARM tags, in ARM's order; empty when it has none. */
    static Map<String, String> tags(ContainerApp app) {
        return app.tags() == null ? Map.of() : new LinkedHashMap<>(app.tags());
    }

    /**
     * The environment's declaration of the app's workload profile, sized from Learn's table. An app
     * without {@code workloadProfileName} in an environment that has profiles runs on Consumption;
     * an environment without profiles (Consumption only) gives null.
     */
    static WorkloadProfile workloadProfile(String workloadProfileName, ManagedEnvironment environment) {
        List<com.azure.resourcemanager.appcontainers.models.WorkloadProfile> declared =
                environment == null || environment.workloadProfiles() == null ? List.of() : environment.workloadProfiles();
        if (declared.isEmpty()) {
            return null;
        }
        String wanted = workloadProfileName == null ? WorkloadProfile.CONSUMPTION : workloadProfileName;
        for (var p : declared) {
            if (wanted.equalsIgnoreCase(p.name())) {
                return WorkloadProfile.of(p.name(), p.workloadProfileType(), p.minimumCount(), p.maximumCount());
            }
        }
        // The app names a profile the environment no longer lists: keep the name, size unknown.
        return new WorkloadProfile(wanted, null, null, null, null, null, null);
    }

    /** Whether this environment lists the named profile (an app without a name needs none, or Consumption). */
    static boolean declares(ManagedEnvironment environment, String workloadProfileName) {
        if (workloadProfileName == null) {
            return true;
        }
        return environment.workloadProfiles() != null
                && environment.workloadProfiles().stream().anyMatch(p -> workloadProfileName.equalsIgnoreCase(p.name()));
    }

    static String environmentId(ContainerApp app) {
        return app.managedEnvironmentId() != null ? app.managedEnvironmentId() : app.environmentId();
    }

    private static final java.util.regex.Pattern ENVIRONMENT_ID = java.util.regex.Pattern.compile(
            "/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.App/managedEnvironments/([^/]+)/?",
            java.util.regex.Pattern.CASE_INSENSITIVE);

    /** The managed environment's subscription, resource group and name from its id, or empty when malformed. */
    static java.util.Optional<String[]> environmentParts(String environmentId) {
        if (environmentId == null) {
            return java.util.Optional.empty();
        }
        java.util.regex.Matcher m = ENVIRONMENT_ID.matcher(environmentId);
        return m.matches() ? java.util.Optional.of(new String[]{m.group(1), m.group(2), m.group(3)}) : java.util.Optional.empty();
    }

    static RevisionInfo revision(Revision r) {
        return new RevisionInfo(r.name(), instant(r.createdTime()), r.active(), r.trafficWeight(), r.replicas(),
                r.runningState() == null ? null : r.runningState().toString(),
                r.healthState() == null ? null : r.healthState().toString());
    }

    static Replica replica(com.azure.resourcemanager.appcontainers.models.Replica r, String revision) {
        List<Replica.Container> containers = new ArrayList<>();
        if (r.containers() != null) {
            for (ReplicaContainer c : r.containers()) {
                containers.add(new Replica.Container(c.name(), c.restartCount(), c.ready()));
            }
        }
        return new Replica(r.name(), revision, instant(r.createdTime()),
                r.runningState() == null ? null : r.runningState().toString(), containers);
    }

    private static ProbeSpec probe(ContainerAppProbe p) {
        String transport = null;
        String path = null;
        Integer port = null;
        if (p.httpGet() != null) {
            transport = p.httpGet().scheme() == null ? "HTTP" : p.httpGet().scheme().toString();
            path = p.httpGet().path();
            port = p.httpGet().port();
        } else if (p.tcpSocket() != null) {
            transport = "TCP";
            port = p.tcpSocket().port();
        }
        return new ProbeSpec(p.type() == null ? null : p.type().toString(), transport, path, port,
                p.initialDelaySeconds(), p.periodSeconds(), p.timeoutSeconds(), p.failureThreshold());
    }

    /** ARM's one-of rule members become the bundle's type names: http, tcp, azure-queue, or the custom scaler's type. */
    private static ScaleSettings.Rule rule(ScaleRule r) {
        if (r.http() != null) {
            return new ScaleSettings.Rule(r.name(), "http", r.http().metadata());
        }
        if (r.tcp() != null) {
            return new ScaleSettings.Rule(r.name(), "tcp", r.tcp().metadata());
        }
        if (r.azureQueue() != null) {
            Map<String, String> m = new LinkedHashMap<>();
            if (r.azureQueue().queueName() != null) {
                m.put("queueName", r.azureQueue().queueName());
            }
            if (r.azureQueue().queueLength() != null) {
                m.put("queueLength", r.azureQueue().queueLength().toString());
            }
            // The account whose queue it is (KEDA's accountName): where the backlog metric lives (issue 27).
            if (r.azureQueue().accountName() != null) {
                m.put("accountName", r.azureQueue().accountName());
            }
            return new ScaleSettings.Rule(r.name(), "azure-queue", m);
        }
        if (r.custom() != null) {
            return new ScaleSettings.Rule(r.name(), r.custom().type(), r.custom().metadata());
        }
        return new ScaleSettings.Rule(r.name(), null, Map.of());
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    /**
     * Whether the app has Container Apps' Java metrics on: {@code properties.configuration.runtime.java.enableMetrics}
     * (Learn java-metrics: {@code --enable-java-metrics}; the SDK's Runtime/RuntimeJava).
     */
    static boolean javaMetricsEnabled(ContainerApp app) {
        return app != null && app.configuration() != null && app.configuration().runtime() != null
                && app.configuration().runtime().java() != null && Boolean.TRUE.equals(app.configuration().runtime().java().enableMetrics());
    }
}
