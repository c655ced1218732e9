package io.oomresponder.simulator.azure;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oomresponder.evidence.AppConfig;
import io.oomresponder.evidence.ContainerSpec;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.ProbeSpec;
import io.oomresponder.evidence.Replica;
import io.oomresponder.evidence.RevisionInfo;
import io.oomresponder.evidence.ScaleSettings;
import io.oomresponder.evidence.WorkloadProfile;
import io.oomresponder.json.Json;

import java.util.List;
import java.util.Map;

/**
 * ARM bodies for Microsoft.App (api-version 2025-01-01) in the shapes of
 * {@code src/test/resources/contracts/arm-*.json}, built from a truth bundle.
 */
final class ArmResponses {

    private ArmResponses() {
    }

    static ObjectNode containerApp(EvidenceBundle truth) {
        AppConfig a = truth.app();
        ObjectNode app = Json.mapper().createObjectNode();
        app.put("id", a.resourceId());
        app.put("name", a.name());
        app.put("type", "Microsoft.App/containerApps");
        app.put("location", a.location());
        if (!a.tags().isEmpty()) {
            ObjectNode tags = app.putObject("tags");
            a.tags().forEach(tags::put);
        }
        ObjectNode p = app.putObject("properties");
        p.put("provisioningState", "Succeeded");
        p.put("runningStatus", "Running");
        p.put("managedEnvironmentId", a.environmentId());
        p.put("environmentId", a.environmentId());
        if (a.workloadProfileName() != null) {
            p.put("workloadProfileName", a.workloadProfileName());
        }
        p.put("latestRevisionName", a.latestRevision());
        p.put("latestReadyRevisionName", a.latestRevision());
        ObjectNode configuration = p.putObject("configuration");
        configuration.put("activeRevisionsMode", a.revisions().size() > 1 ? "Multiple" : "Single");
        // An app whose JVM metrics exist has them turned on: configuration.runtime.java.enableMetrics
        // (Learn java-metrics; the appcontainers SDK's Runtime/RuntimeJava).
        if (truth.metrics().stream().anyMatch(m -> m.name().startsWith("Jvm"))) {
            configuration.putObject("runtime").putObject("java").put("enableMetrics", true);
        }
        p.set("template", template(a.containers(), a.scale()));
        return app;
    }

    static ObjectNode revisions(EvidenceBundle truth, boolean empty) {
        AppConfig a = truth.app();
        ObjectNode body = Json.mapper().createObjectNode();
        ArrayNode value = body.putArray("value");
        if (!empty) {
            for (RevisionInfo r : a.revisions()) {
                ObjectNode rev = value.addObject();
                rev.put("id", a.resourceId() + "/revisions/" + r.name());
                rev.put("name", r.name());
                rev.put("type", "Microsoft.App/containerApps/revisions");
                ObjectNode p = rev.putObject("properties");
                if (r.createdAt() != null) {
                    p.put("createdTime", r.createdAt().toString());
                    p.put("lastActiveTime", r.createdAt().toString());
                }
                p.put("fqdn", r.name() + ".example.azurecontainerapps.io");
                p.set("template", template(a.containers(), a.scale()));
                putIfNotNull(p, "active", r.active());
                putIfNotNull(p, "replicas", r.replicas());
                putIfNotNull(p, "trafficWeight", r.trafficWeight());
                p.put("healthState", r.healthState());
                p.put("provisioningState", "Provisioned");
                p.put("runningState", r.runningState());
            }
        }
        body.putNull("nextLink");
        return body;
    }

    static ObjectNode replicas(EvidenceBundle truth, String revision, boolean empty) {
        ObjectNode body = Json.mapper().createObjectNode();
        ArrayNode value = body.putArray("value");
        if (empty) {
            return body;
        }
        for (Replica r : truth.replicas()) {
            if (!revision.equalsIgnoreCase(r.revision())) {
                continue;
            }
            ObjectNode rep = value.addObject();
            rep.put("id", truth.app().resourceId() + "/revisions/" + revision + "/replicas/" + r.name());
            rep.put("name", r.name());
            // Microsoft's own example uses this type string.
            rep.put("type", "Microsoft.Web/containerapps/revisions/replicas");
            ObjectNode p = rep.putObject("properties");
            if (r.createdAt() != null) {
                p.put("createdTime", r.createdAt().toString());
            }
            p.put("runningState", r.runningState());
            p.put("runningStateDetails", r.runningState());
            ArrayNode containers = p.putArray("containers");
            for (Replica.Container c : r.containers()) {
                ObjectNode cn = containers.addObject();
                cn.put("name", c.name());
                cn.put("containerId", "containerd://" + Integer.toHexString((r.name() + c.name()).hashCode()));
                putIfNotNull(cn, "ready", c.ready());
                cn.put("started", true);
                putIfNotNull(cn, "restartCount", c.restartCount());
                cn.put("runningState", "Running");
                cn.put("runningStateDetails", Boolean.FALSE.equals(c.ready()) ? "Back-off restarting" : "Running");
            }
            p.putArray("initContainers");
        }
        return body;
    }

    /** The Alerts Management API's view of the alert a truth fired (GET .../Microsoft.AlertsManagement/alerts/{id}). */
    static ObjectNode alert(EvidenceBundle truth, java.time.Instant lastModified) {
        var a = truth.alert();
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("id", a.id());
        out.put("type", "Microsoft.AlertsManagement/alerts");
        out.put("name", a.rule());
        ObjectNode e = out.putObject("properties").putObject("essentials");
        e.put("severity", a.severity() == null ? "Sev3" : a.severity());
        e.put("signalType", a.signal() == io.oomresponder.intake.AlertSignal.Signal.OOMKilledLog ? "Log" : "Metric");
        e.put("alertState", "New");
        e.put("monitorCondition", a.condition().name());
        e.put("monitorService", a.signal() == io.oomresponder.intake.AlertSignal.Signal.OOMKilledLog ? "Log Alerts V2" : "Platform");
        e.put("targetResource", a.targetResourceId().toLowerCase(java.util.Locale.ROOT));
        e.put("targetResourceName", truth.app().name());
        e.put("targetResourceGroup", truth.app().resourceGroup());
        e.put("targetResourceType", "containerapps");
        e.put("alertRule", "/subscriptions/" + truth.app().subscriptionId() + "/resourceGroups/" + truth.app().resourceGroup()
                + "/providers/microsoft.insights/metricalerts/" + a.rule());
        e.put("startDateTime", a.firedAt().toString());
        e.put("lastModifiedDateTime", lastModified.toString());
        if (a.resolvedAt() != null) {
            e.put("monitorConditionResolvedDateTime", a.resolvedAt().toString());
        }
        return out;
    }

    /**
     * The managed environment of these apps (all in it). Its {@code workloadProfiles} are the
     * Consumption profile plus each distinct profile its apps run on; an environment none of whose
     * apps names a profile is a Consumption-only environment and lists none.
     */
    static ObjectNode managedEnvironment(List<EvidenceBundle> appsInIt, EnvironmentLogs logShipping) {
        AppConfig a = appsInIt.get(0).app();
        String id = a.environmentId();
        ObjectNode env = Json.mapper().createObjectNode();
        env.put("id", id);
        env.put("name", id.substring(id.lastIndexOf('/') + 1));
        env.put("type", "Microsoft.App/managedEnvironments");
        env.put("location", a.location());
        ObjectNode p = env.putObject("properties");
        p.put("provisioningState", "Succeeded");
        p.put("defaultDomain", "example.azurecontainerapps.io");
        ObjectNode logs = p.putObject("appLogsConfiguration");
        logs.put("destination", logShipping.destination());
        if (!logShipping.resourceSpecificTables()) {
            // Only the log-analytics destination names a workspace; azure-monitor leaves it to diagnostic settings.
            logs.putObject("logAnalyticsConfiguration").put("customerId", a.workspaceId());
        }
        Map<String, WorkloadProfile> profiles = new java.util.LinkedHashMap<>();
        for (EvidenceBundle b : appsInIt) {
            WorkloadProfile wp = b.app().workloadProfile();
            if (wp != null && wp.name() != null) {
                profiles.putIfAbsent(wp.name().toLowerCase(java.util.Locale.ROOT), wp);
            }
        }
        if (!profiles.isEmpty()) {
            ArrayNode declared = p.putArray("workloadProfiles");
            if (!profiles.containsKey(WorkloadProfile.CONSUMPTION.toLowerCase(java.util.Locale.ROOT))) {
                declared.addObject().put("name", WorkloadProfile.CONSUMPTION).put("workloadProfileType", WorkloadProfile.CONSUMPTION);
            }
            for (WorkloadProfile wp : profiles.values()) {
                ObjectNode n = declared.addObject();
                n.put("name", wp.name());
                n.put("workloadProfileType", wp.type() == null ? WorkloadProfile.CONSUMPTION : wp.type());
                putIfNotNull(n, "minimumCount", wp.minimumCount());
                putIfNotNull(n, "maximumCount", wp.maximumCount());
            }
        }
        return env;
    }

    /**
     * {@code GET {environmentId}/providers/Microsoft.Insights/diagnosticSettings}: the list of
     * settings, each sending its categories (or the allLogs group) to a workspace by ARM id.
     */
    static ObjectNode diagnosticSettings(String environmentId, EnvironmentLogs logShipping) {
        ObjectNode body = Json.mapper().createObjectNode();
        ArrayNode value = body.putArray("value");
        for (EnvironmentLogs.DiagnosticSetting st : logShipping.settings()) {
            ObjectNode s = value.addObject();
            s.put("id", environmentId + "/providers/microsoft.insights/diagnosticSettings/" + st.name());
            s.put("type", "Microsoft.Insights/diagnosticSettings");
            s.put("name", st.name());
            ObjectNode p = s.putObject("properties");
            p.putNull("storageAccountId");
            p.putNull("serviceBusRuleId");
            p.put("workspaceId", st.workspaceResourceId());
            p.putNull("eventHubAuthorizationRuleId");
            p.putNull("eventHubName");
            p.putArray("metrics");
            ArrayNode logs = p.putArray("logs");
            if (st.allLogs()) {
                logs.addObject().putNull("category").put("categoryGroup", "allLogs").put("enabled", true);
            } else {
                logs.addObject().put("category", "ContainerAppSystemLogs").putNull("categoryGroup").put("enabled", st.system());
                logs.addObject().put("category", "ContainerAppConsoleLogs").putNull("categoryGroup").put("enabled", st.console());
            }
            p.putNull("logAnalyticsDestinationType");
        }
        return body;
    }

    /**
     * Workspaces - List ({@code GET /subscriptions/{s}/providers/Microsoft.OperationalInsights/workspaces}):
     * {@code value} only, no {@code nextLink} (Learn REST, WorkspaceListResult).
     */
    static ObjectNode workspaces(List<EnvironmentLogs.DiagnosticSetting> inSubscription, String location) {
        ObjectNode body = Json.mapper().createObjectNode();
        ArrayNode value = body.putArray("value");
        inSubscription.forEach(w -> value.add(workspace(w, location)));
        return body;
    }

    /** {@code GET} a Log Analytics workspace: its {@code properties.customerId} is what the query API takes. */
    static ObjectNode workspace(EnvironmentLogs.DiagnosticSetting setting, String location) {
        ObjectNode ws = Json.mapper().createObjectNode();
        ws.put("id", setting.workspaceResourceId());
        ws.put("name", setting.workspaceName());
        ws.put("type", "Microsoft.OperationalInsights/workspaces");
        ws.put("location", location);
        ObjectNode p = ws.putObject("properties");
        p.put("provisioningState", "Succeeded");
        p.put("customerId", setting.workspaceCustomerId());
        p.putObject("sku").put("name", "PerGB2018");
        p.put("retentionInDays", 30);
        return ws;
    }

    private static ObjectNode template(List<ContainerSpec> containers, ScaleSettings scale) {
        ObjectNode t = Json.mapper().createObjectNode();
        ArrayNode cs = t.putArray("containers");
        for (ContainerSpec c : containers) {
            ObjectNode cn = cs.addObject();
            cn.put("image", c.image());
            cn.put("name", c.name());
            ObjectNode res = cn.putObject("resources");
            putIfNotNull(res, "cpu", c.cpu());
            res.put("memory", c.memory());
            if (!c.probes().isEmpty()) {
                ArrayNode probes = cn.putArray("probes");
                for (ProbeSpec p : c.probes()) {
                    probes.add(probe(p));
                }
            }
        }
        if (scale != null) {
            ObjectNode s = t.putObject("scale");
            putIfNotNull(s, "minReplicas", scale.minReplicas());
            putIfNotNull(s, "maxReplicas", scale.maxReplicas());
            ArrayNode rules = s.putArray("rules");
            for (ScaleSettings.Rule r : scale.rules()) {
                rules.add(scaleRule(r));
            }
        }
        return t;
    }

    private static ObjectNode probe(ProbeSpec p) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("type", p.type());
        if ("TCP".equalsIgnoreCase(p.transport())) {
            ObjectNode tcp = n.putObject("tcpSocket");
            putIfNotNull(tcp, "port", p.port());
        } else {
            ObjectNode http = n.putObject("httpGet");
            http.put("path", p.path());
            putIfNotNull(http, "port", p.port());
            http.put("scheme", "HTTPS".equalsIgnoreCase(p.transport()) ? "HTTPS" : "HTTP");
        }
        putIfNotNull(n, "initialDelaySeconds", p.initialDelaySeconds());
        putIfNotNull(n, "periodSeconds", p.periodSeconds());
        putIfNotNull(n, "timeoutSeconds", p.timeoutSeconds());
        putIfNotNull(n, "failureThreshold", p.failureThreshold());
        return n;
    }

    /** The bundle's rule types map to ARM's one-of members: http, tcp, azureQueue, custom{type}. */
    private static ObjectNode scaleRule(ScaleSettings.Rule r) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("name", r.name());
        String type = r.type() == null ? "custom" : r.type();
        switch (type) {
            case "http" -> metadata(n.putObject("http"), r.metadata());
            case "tcp" -> metadata(n.putObject("tcp"), r.metadata());
            case "azure-queue" -> {
                ObjectNode q = n.putObject("azureQueue");
                q.put("queueName", r.metadata().get("queueName"));
                if (r.metadata().get("accountName") != null) {
                    q.put("accountName", r.metadata().get("accountName"));
                }
                String length = r.metadata().get("queueLength");
                if (length != null) {
                    q.put("queueLength", Integer.parseInt(length));
                }
            }
            default -> {
                ObjectNode c = n.putObject("custom");
                c.put("type", type);
                metadata(c, r.metadata());
            }
        }
        return n;
    }

    private static void metadata(ObjectNode parent, Map<String, String> metadata) {
        ObjectNode m = parent.putObject("metadata");
        metadata.forEach(m::put);
    }

    private static void putIfNotNull(ObjectNode n, String field, Object value) {
        if (value instanceof Integer i) {
            n.put(field, i);
        } else if (value instanceof Double d) {
            n.put(field, d);
        } else if (value instanceof Boolean b) {
            n.put(field, b);
        }
    }
}
