package io.oomresponder.simulator.azure;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.ScaleSettings;
import io.oomresponder.json.Json;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The queues' own resources (Service Bus and Event Hubs namespaces, storage accounts) that the
 * apps' KEDA scale rules name, in the app's subscription and resource group, and ARM's Resources -
 * List over them ({@code GET /subscriptions/{s}[/resourceGroups/{rg}]/resources}, Learn REST
 * "Resources - List" / "Resources - List By Resource Group", api-version 2021-04-01): a
 * {@code ResourceListResult} of {@code value} (GenericResourceExpanded: id, name, type, location,
 * tags) filtered by {@code $filter} on {@code resourceType} and {@code name} with {@code eq}
 * (the operators Learn lists; the simulator refuses others with 400). Which readings it serves
 * where Microsoft is vague (docs/azure-contract.md, "Queue backlog metrics"):
 * <ul>
 * <li>whether an identity holding roles on resource groups only may list the whole subscription:
 *     Learn does not say; per subscription, either the list answers or it is refused 403
 *     AuthorizationFailed (the resource-group list always answers);</li>
 * <li>the case of the EntityName dimension's name in metric answers ({@code EntityName} or
 *     {@code entityname}, Azure/azure-service-bus#650), per resource.</li>
 * </ul>
 */
final class QueueResources {

    static final String SERVICE_BUS = "Microsoft.ServiceBus/namespaces";
    static final String STORAGE = "Microsoft.Storage/storageAccounts";
    static final String EVENT_HUBS = "Microsoft.EventHub/namespaces";

    private static final Pattern CLAUSE = Pattern.compile("(\\w+)\\s+eq\\s+'((?:[^']|'')*)'", Pattern.CASE_INSENSITIVE);

    /**
     * One queue resource.
     *
     * @param id              its ARM id
     * @param type            its ARM type
     * @param name            its name
     * @param metricNamespace the namespace its backlog metric is in (the truth series' metricNamespace)
     * @param metricsId       the resource id its backlog metrics are asked on (a storage account's queueServices/default)
     * @param app             the app whose truth holds its series
     */
    record Resource(String id, String type, String name, String metricNamespace, String metricsId, EvidenceBundle app) {
        /** Whether the EntityName dimension's name comes back in lower case for this resource (both happen). */
        boolean lowerCaseDimensionName() {
            return Math.floorMod(id.toLowerCase(Locale.ROOT).hashCode(), 2) == 1;
        }
    }

    private final List<Resource> resources;
    /** Names or ids of resources that lists leave out (deleted, or not visible to the identity): tests. */
    private final java.util.Set<String> hidden = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Names of resources whose metrics are refused 403 (no Monitoring Reader on them): tests. */
    private final java.util.Set<String> metricsDenied = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Every list refused 403 (the identity reads no resource list at all): tests. */
    private volatile boolean listsDenied;

    void hide(String name) {
        hidden.add(name.toLowerCase(Locale.ROOT));
    }

    void denyMetrics(String name) {
        metricsDenied.add(name.toLowerCase(Locale.ROOT));
    }

    void denyLists() {
        listsDenied = true;
    }

    boolean metricsDenied(Resource r) {
        return metricsDenied.contains(r.name().toLowerCase(Locale.ROOT));
    }

    QueueResources(Collection<EvidenceBundle> apps) {
        List<Resource> out = new ArrayList<>();
        for (EvidenceBundle app : apps) {
            ScaleSettings scale = app.app().scale();
            if (scale == null) {
                continue;
            }
            for (ScaleSettings.Rule rule : scale.rules()) {
                resourceOf(app, rule).filter(r -> out.stream().noneMatch(o -> o.id().equalsIgnoreCase(r.id()))).ifPresent(out::add);
            }
        }
        this.resources = List.copyOf(out);
    }

    private static Optional<Resource> resourceOf(EvidenceBundle app, ScaleSettings.Rule rule) {
        if (rule.type() == null) {
            return Optional.empty();
        }
        Map<String, String> m = rule.metadata();
        String type;
        String name;
        String namespace;
        switch (rule.type().toLowerCase(Locale.ROOT)) {
            case "azure-servicebus" -> {
                type = SERVICE_BUS;
                name = m.get("namespace");
                namespace = SERVICE_BUS;
            }
            case "azure-queue" -> {
                type = STORAGE;
                name = m.get("accountName");
                namespace = STORAGE + "/queueServices";
            }
            case "azure-eventhub" -> {
                type = EVENT_HUBS;
                name = m.get("eventHubNamespace");
                namespace = EVENT_HUBS;
            }
            default -> {
                return Optional.empty();
            }
        }
        if (name == null || name.isBlank()) {
            return Optional.empty();
        }
        String id = "/subscriptions/" + app.app().subscriptionId() + "/resourceGroups/" + app.app().resourceGroup()
                + "/providers/" + type + "/" + name;
        String metricsId = type.equals(STORAGE) ? id + "/queueServices/default" : id;
        return Optional.of(new Resource(id, type, name, namespace, metricsId, app));
    }

    /** The resource whose metrics are asked on this id (case-insensitive, as ARM ids are). */
    Optional<Resource> byMetricsId(String resourceId) {
        return resources.stream().filter(r -> r.metricsId().equalsIgnoreCase(resourceId)).findFirst();
    }

    /** Whether these segments are a Resources - List path: {@code subscriptions/{s}/resources} or {@code subscriptions/{s}/resourceGroups/{rg}/resources}. */
    static boolean handles(List<String> seg) {
        return !seg.isEmpty() && seg.get(0).equalsIgnoreCase("subscriptions")
                && (seg.size() == 3 && seg.get(2).equalsIgnoreCase("resources")
                || seg.size() == 5 && seg.get(2).equalsIgnoreCase("resourceGroups") && seg.get(4).equalsIgnoreCase("resources"));
    }

    /**
     * Whether this subscription's list is refused to an identity with resource-group roles (one of
     * the two readings, by subscription).
     */
    static boolean subscriptionListRefused(String subscription) {
        return Math.floorMod(("resources-list:" + subscription.toLowerCase(Locale.ROOT)).hashCode(), 2) == 1;
    }

    /** The Resources - List answer; the queue resources are the only resources the simulator lists. */
    ObjectNode list(List<String> seg, Map<String, String> query) {
        if (!query.containsKey("api-version")) {
            throw new FakeAzureError(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
        }
        String subscription = seg.get(1);
        String group = seg.size() == 5 ? seg.get(3) : null;
        if (listsDenied || group == null && subscriptionListRefused(subscription)) {
            throw new FakeAzureError(403, "AuthorizationFailed", "The client does not have authorization to perform action "
                    + "'Microsoft.Resources/subscriptions/" + (group == null ? "" : "resourceGroups/") + "resources/read' over scope '/subscriptions/"
                    + subscription + (group == null ? "" : "/resourceGroups/" + group)
                    + "' or the scope is invalid. If access was recently granted, please refresh your credentials.");
        }
        Map<String, String> filter = filter(query.get("$filter"));
        ObjectNode out = Json.mapper().createObjectNode();
        ArrayNode value = out.putArray("value");
        for (Resource r : resources) {
            String[] parts = r.id().split("/");
            if (!parts[2].equalsIgnoreCase(subscription) || group != null && !parts[4].equalsIgnoreCase(group)
                    || hidden.contains(r.name().toLowerCase(Locale.ROOT)) || hidden.contains(r.id().toLowerCase(Locale.ROOT))) {
                continue;
            }
            if (filter.containsKey("resourcetype") && !filter.get("resourcetype").equalsIgnoreCase(r.type())
                    || filter.containsKey("name") && !filter.get("name").equalsIgnoreCase(r.name())
                    || filter.containsKey("resourcegroup") && !filter.get("resourcegroup").equalsIgnoreCase(parts[4])
                    || filter.containsKey("location") && !filter.get("location").equalsIgnoreCase(r.app().app().location())) {
                continue;
            }
            ObjectNode item = value.addObject();
            item.put("id", r.id());
            item.put("name", r.name());
            item.put("type", r.type());
            item.put("location", r.app().app().location());
            item.putObject("tags");
        }
        return out;
    }

    /** {@code resourceType eq '…' and name eq '…'}: clause names in lower case; other operators are refused. */
    private static Map<String, String> filter(String text) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        Matcher m = CLAUSE.matcher(text);
        int matched = 0;
        while (m.find()) {
            out.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2).replace("''", "'"));
            matched++;
        }
        String rest = CLAUSE.matcher(text).replaceAll("").replaceAll("(?i)\\band\\b", "").trim();
        if (matched == 0 || !rest.isEmpty()) {
            throw new FakeAzureError(400, "InvalidFilterInQueryString", "The $filter '" + text + "' is not supported by the simulator: "
                    + "it answers eq clauses on resourceType and name joined by and.");
        }
        for (String key : out.keySet()) {
            if (!key.equals("resourcetype") && !key.equals("name") && !key.equals("resourcegroup") && !key.equals("location")) {
                throw new FakeAzureError(400, "InvalidFilterInQueryString", "The property '" + key + "' cannot be used in $filter.");
            }
        }
        return out;
    }
}
