package io.oomresponder.evidence.azure;

import io.oomresponder.evidence.ScaleSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The queue a KEDA scale rule names, as far as the rule's metadata names it: which service, the
 * namespace or storage account (the ARM resource whose metrics hold the backlog) and the entity.
 * Metadata names are KEDA's (keda.sh scalers: azure-service-bus {@code namespace}, {@code queueName}
 * or {@code topicName} + {@code subscriptionName}; azure-storage-queue {@code accountName},
 * {@code queueName}; azure-event-hub {@code eventHubNamespace}, {@code eventHubName}); Container
 * Apps passes a custom rule's metadata to KEDA as is, and its own {@code azureQueue} rule carries
 * {@code accountName} and {@code queueName}. A rule that authenticates with a connection string need
 * not name its namespace: it is then only inside a secret, which the responder does not read, and
 * the rule yields no target.
 *
 * @param service      which service's backlog metric to read
 * @param ruleName     the scale rule's name (for gaps and logs)
 * @param resourceName the namespace or storage account name
 * @param entity       the queue, topic or event hub the rule scales on; null for a storage queue rule without one
 */
record QueueTarget(Service service, String ruleName, String resourceName, String entity) {

    /** The services whose backlog the gather reads, with where Azure Monitor keeps it. */
    enum Service {
        /** Learn, supported metrics for Microsoft.ServiceBus/namespaces: ActiveMessages (Average, PT1M, EntityName). */
        SERVICE_BUS("azure-servicebus", "Microsoft.ServiceBus/namespaces", "Microsoft.ServiceBus/namespaces", "",
                "Service Bus namespace", List.of("ActiveMessages"), "Average", true),
        /**
         * Learn, supported metrics for Microsoft.Storage/storageAccounts/queueServices: QueueMessageCount
         * (Average, PT1H, no dimension) on the account's {@code queueServices/default}: all the
         * account's queues together, once an hour.
         */
        STORAGE_QUEUE("azure-queue", "Microsoft.Storage/storageAccounts", "Microsoft.Storage/storageAccounts/queueServices", "/queueServices/default",
                "storage account", List.of("QueueMessageCount"), "Average", false),
        /** Learn, supported metrics for Microsoft.EventHub/namespaces: IncomingMessages, OutgoingMessages (Total, PT1M, EntityName). */
        EVENT_HUBS("azure-eventhub", "Microsoft.EventHub/namespaces", "Microsoft.EventHub/namespaces", "",
                "Event Hubs namespace", List.of("IncomingMessages", "OutgoingMessages"), "Total", true);

        final String kedaType;
        /** The ARM resource type that is looked up by name. */
        final String resourceType;
        /** The metrics namespace the backlog metric lives in (and the series' metricNamespace tag). */
        final String metricNamespace;
        /** Appended to the resource id for the metrics call (the storage account's queue service). */
        final String metricsSubResource;
        final String label;
        final List<String> metrics;
        final String aggregation;
        /** Whether the metric splits by EntityName (else it is for the whole account). */
        final boolean byEntity;

        Service(String kedaType, String resourceType, String metricNamespace, String metricsSubResource, String label,
                List<String> metrics, String aggregation, boolean byEntity) {
            this.kedaType = kedaType;
            this.resourceType = resourceType;
            this.metricNamespace = metricNamespace;
            this.metricsSubResource = metricsSubResource;
            this.label = label;
            this.metrics = metrics;
            this.aggregation = aggregation;
            this.byEntity = byEntity;
        }
    }

    /** "Service Bus namespace 'sb-orders', entity 'orders' (rule queue-scaler)": for gaps and logs. */
    String describe() {
        return service.label + " '" + resourceName + "'" + (entity == null ? "" : ", entity '" + entity + "'")
                + " (scale rule " + ruleName + ")";
    }

    /** The queue targets of the app's scale rules, once each (same service, resource and entity). */
    static List<QueueTarget> of(ScaleSettings scale) {
        List<QueueTarget> out = new ArrayList<>();
        if (scale == null) {
            return out;
        }
        for (ScaleSettings.Rule rule : scale.rules()) {
            of(rule).filter(t -> out.stream().noneMatch(t::sameQueue)).ifPresent(out::add);
        }
        return out;
    }

    /** The target this rule names, or empty: not a queue rule, or the rule does not name its resource (or its entity). */
    static Optional<QueueTarget> of(ScaleSettings.Rule rule) {
        if (rule == null || rule.type() == null) {
            return Optional.empty();
        }
        Map<String, String> m = rule.metadata();
        String type = rule.type().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "azure-servicebus" -> target(Service.SERVICE_BUS, rule, get(m, "namespace"),
                    get(m, "queueName") != null ? get(m, "queueName") : get(m, "topicName"));
            case "azure-queue" -> target(Service.STORAGE_QUEUE, rule, get(m, "accountName"), get(m, "queueName"));
            case "azure-eventhub" -> target(Service.EVENT_HUBS, rule, get(m, "eventHubNamespace"), get(m, "eventHubName"));
            default -> Optional.empty();
        };
    }

    private static Optional<QueueTarget> target(Service service, ScaleSettings.Rule rule, String resource, String entity) {
        if (resource == null || !validName(resource) || service.byEntity && (entity == null || entity.isBlank())) {
            return Optional.empty();
        }
        return Optional.of(new QueueTarget(service, rule.name() == null ? "unnamed" : rule.name(), resource, entity));
    }

    private boolean sameQueue(QueueTarget other) {
        return service == other.service && resourceName.equalsIgnoreCase(other.resourceName)
                && (entity == null ? other.entity == null : entity.equalsIgnoreCase(other.entity));
    }

    /**
     * Namespace and account names are letters, digits and hyphens (Learn naming rules for
     * Microsoft.ServiceBus, Microsoft.EventHub, Microsoft.Storage); anything else is not used in a
     * query (a rule may hold a placeholder or a typo).
     */
    private static boolean validName(String name) {
        return name.length() <= 64 && name.matches("[A-Za-z0-9][A-Za-z0-9-]*");
    }

    /** A metadata value by KEDA's name, matched regardless of case; blank counts as absent. */
    private static String get(Map<String, String> metadata, String key) {
        for (var e : metadata.entrySet()) {
            if (e.getKey() != null && e.getKey().equalsIgnoreCase(key) && e.getValue() != null && !e.getValue().isBlank()) {
                return e.getValue().trim();
            }
        }
        return null;
    }
}
