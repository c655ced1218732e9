package io.oomresponder.simulator.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.MetricPoint;
import io.oomresponder.evidence.MetricSeries;
import io.oomresponder.json.Json;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answers both Azure Monitor metrics APIs from the truth series:
 * <ul>
 * <li>the batch API, {@code POST /subscriptions/{sub}/metrics:getBatch} (api-version 2024-02-01):
 *     metricnamespace (required), metricnames, aggregation, interval, starttime/endtime, filter, top;
 *     errors wrapped in {@code {"error": {code, message}}};</li>
 * <li>the per-resource API through ARM, {@code GET {resourceId}/providers/Microsoft.Insights/metrics}
 *     (api-version 2024-02-01): timespan {@code start/end}, interval, metricnames, aggregation,
 *     {@code $filter}, top, metricnamespace; errors as a top-level {@code {code, message}}.</li>
 * </ul>
 * Both refuse, with 400 BadRequest and Azure's message, a filter naming a dimension that one of
 * the requested metrics does not have ({@link #DEFINITIONS}, from Learn's supported-metrics
 * reference): the service does not drop such a filter. Dimension names come back in lower case as
 * the service writes them, and empty buckets as {@code {timeStamp}} with no aggregate. Sources of
 * every behaviour: docs/azure-contract.md.
 */
final class MetricsResponder {

    /** The Requests dimension of the HTTP status class. */
    static final String STATUS_CODE_CATEGORY = "statusCodeCategory";

    /** The service's default number of time series per metric when {@code top} is absent. */
    static final int DEFAULT_TOP = 10;

    /** Container Apps metrics the simulator knows: unit and which dimensions each has. */
    private static final Map<String, MetricDefinition> DEFINITIONS = definitions();

    private static final Pattern FILTER_CLAUSE = Pattern.compile("(\\w+)\\s+eq\\s+'([^']*)'", Pattern.CASE_INSENSITIVE);

    private final FakeAzureWorld world;

    MetricsResponder(FakeAzureWorld world) {
        this.world = world;
    }

    /** The batch API's body; throws {@link FakeAzureError} for a request Azure would reject. */
    ObjectNode respondBatch(Map<String, String> query, JsonNode body, boolean empty) {
        require(query, "metricnamespace");
        if (query.containsKey("timespan")) {
            throw new FakeAzureError(400, "BadRequest", "Detected invalid time range parameters for API version 2024-02-01. Please use only starttime and endtime to specify a time range.");
        }
        Instant start = OffsetDateTime.parse(require(query, "starttime")).toInstant();
        Instant end = OffsetDateTime.parse(require(query, "endtime")).toInstant();
        Request request = request(query, query.get("filter"));
        ObjectNode response = Json.mapper().createObjectNode();
        ArrayNode values = response.putArray("values");
        for (JsonNode idNode : body.path("resourceids")) {
            String resourceId = idNode.asText();
            EvidenceBundle truth = world.app(resourceId)
                    .orElseThrow(() -> new FakeAzureError(404, "ResourceNotFound", "The resource " + resourceId + " was not found."));
            ObjectNode item = values.addObject();
            item.put("starttime", start.toString());
            item.put("endtime", end.toString());
            item.put("interval", request.interval().toString());
            item.put("namespace", "Microsoft.App/containerApps");
            item.put("resourceregion", truth.app().location());
            item.put("resourceid", truth.app().resourceId());
            item.set("value", metrics(truth, request, start, end, empty));
        }
        return response;
    }

    /**
     * The per-resource API's body for this container app id; throws {@link FakeAzureError} (to be
     * written as a top-level {@code {code, message}}) for a request Azure would reject.
     */
    ObjectNode respondForResource(String resourceId, Map<String, String> query, boolean empty) {
        if (world.app(resourceId).isEmpty()) {
            java.util.Optional<QueueResources.Resource> queue = world.queues().byMetricsId(resourceId);
            if (queue.isPresent()) {
                return respondForQueue(queue.get(), query, empty);
            }
        }
        EvidenceBundle truth = world.app(resourceId)
                .orElseThrow(() -> new FakeAzureError(404, "ResourceNotFound", "The Resource 'Microsoft.App/containerApps/"
                        + resourceId.substring(resourceId.lastIndexOf('/') + 1) + "' was not found."));
        String namespace = query.get("metricnamespace");
        if (namespace != null && !namespace.equalsIgnoreCase("Microsoft.App/containerApps")) {
            throw new FakeAzureError(400, "BadRequest", "Metric namespace " + namespace + " is not valid for this resource.");
        }
        Instant[] range = timespan(query);
        Instant start = range[0];
        Instant end = range[1];
        Request request = request(query, query.get("$filter"));
        ObjectNode response = Json.mapper().createObjectNode();
        response.put("cost", 0);
        response.put("timespan", start + "/" + end);
        response.put("interval", request.interval().toString());
        response.set("value", metrics(truth, request, start, end, empty));
        response.put("namespace", "Microsoft.App/containerApps");
        response.put("resourceregion", truth.app().location());
        return response;
    }

    /**
     * The per-resource API on a queue's own resource (a Service Bus or Event Hubs namespace, a
     * storage account's queueServices/default), from the truth series tagged with its metrics
     * namespace: the metrics and dimensions Learn's supported-metrics reference lists for it
     * ({@link #QUEUE_DEFINITIONS}). The EntityName dimension's name comes back as "EntityName" or
     * "entityname" by resource (both are seen, Azure/azure-service-bus#650).
     */
    private ObjectNode respondForQueue(QueueResources.Resource queue, Map<String, String> query, boolean empty) {
        String namespace = query.get("metricnamespace");
        if (namespace != null && !namespace.equalsIgnoreCase(queue.metricNamespace())) {
            throw new FakeAzureError(400, "BadRequest", "Metric namespace " + namespace + " is not valid for this resource.");
        }
        if (world.queues().metricsDenied(queue)) {
            throw new FakeAzureError(403, "AuthorizationFailed", "The client does not have authorization to perform action "
                    + "'microsoft.insights/metrics/read' over scope '" + queue.metricsId() + "' or the scope is invalid.");
        }
        Instant[] range = timespan(query);
        Map<String, MetricDefinition> definitions = QUEUE_DEFINITIONS.get(queue.metricNamespace().toLowerCase(Locale.ROOT));
        Request request = request(query, query.get("$filter"), definitions, queue.metricNamespace());
        List<MetricSeries> truth = queue.app().metrics().stream()
                .filter(s -> queue.metricNamespace().equalsIgnoreCase(s.dimensions().get(QUEUE_NAMESPACE_DIMENSION)))
                .toList();
        ArrayNode metrics = Json.mapper().createArrayNode();
        for (MetricDefinition def : request.metrics()) {
            List<MetricSeries> named = truth.stream().filter(s -> s.name().equalsIgnoreCase(def.name())).toList();
            metrics.add(metric(queue.metricsId(), named, def, request.aggregations(), range[0], range[1], request.interval(), request.top(),
                    request.filter(), empty, queue.lowerCaseDimensionName() ? Naming.LOWER : Naming.AS_DEFINED));
        }
        ObjectNode response = Json.mapper().createObjectNode();
        response.put("cost", 0);
        response.put("timespan", range[0] + "/" + range[1]);
        response.put("interval", request.interval().toString());
        response.set("value", metrics);
        response.put("namespace", queue.metricNamespace());
        response.put("resourceregion", queue.app().app().location());
        return response;
    }

    /** The per-resource API's {@code timespan=start/end}. */
    private static Instant[] timespan(Map<String, String> query) {
        String timespan = require(query, "timespan");
        String[] range = timespan.split("/");
        if (range.length != 2) {
            throw new FakeAzureError(400, "BadRequest", "Invalid timespan " + timespan + ": expected start/end.");
        }
        return new Instant[]{OffsetDateTime.parse(range[0]).toInstant(), OffsetDateTime.parse(range[1]).toInstant()};
    }

    /** How a time series' metadata names its dimensions. */
    private enum Naming {
        /** The Container Apps answers: name.value in lower case, localizedValue as defined. */
        APP,
        /** Both as Learn spells the dimension ("EntityName"). */
        AS_DEFINED,
        /** Both in lower case ("entityname"). */
        LOWER
    }

    /** The series dimension naming a queue series' metrics namespace (diagnosis.QueueBacklog, simulator.QueueWorkload). */
    static final String QUEUE_NAMESPACE_DIMENSION = "metricNamespace";

    /** What both APIs share: metric names, aggregations, interval, top and the dimension filter. */
    private record Request(List<MetricDefinition> metrics, List<String> aggregations, Duration interval, int top,
                           Map<String, String> filter) {
    }

    private static Request request(Map<String, String> query, String filterText) {
        return request(query, filterText, DEFINITIONS, "Microsoft.App/containerApps");
    }

    private static Request request(Map<String, String> query, String filterText, Map<String, MetricDefinition> definitions, String resourceType) {
        List<String> aggregations = split(query.getOrDefault("aggregation", "average")).stream()
                .map(a -> a.toLowerCase(Locale.ROOT)).toList();
        Duration interval = Duration.parse(query.getOrDefault("interval", "PT1M"));
        int top = query.containsKey("top") ? Integer.parseInt(query.get("top")) : DEFAULT_TOP;
        Map<String, String> filter = parseFilter(filterText);
        List<MetricDefinition> metrics = new ArrayList<>();
        for (String name : split(require(query, "metricnames"))) {
            MetricDefinition def = definitions.get(name.toLowerCase(Locale.ROOT));
            if (def == null) {
                String[] provider = resourceType.split("/", 2);
                throw new FakeAzureError(400, "BadRequest", "Failed to find metric configuration for provider: " + provider[0]
                        + ", resource Type: " + provider[1] + ", metric: " + name);
            }
            requireSupported(def, filter);
            metrics.add(def);
        }
        return new Request(metrics, aggregations, interval, top, filter);
    }

    /**
     * The service refuses the whole call when the filter names a dimension the metric lacks; the
     * message is the one Learn quotes ("Metric: X does not support requested dimension combination:
     * ..., supported ones are: ..., TraceId: {...}"), with the requested names in lower case.
     */
    private static void requireSupported(MetricDefinition def, Map<String, String> filter) {
        boolean unsupported = filter.keySet().stream().anyMatch(k -> def.dimensions().stream().noneMatch(d -> d.equalsIgnoreCase(k)));
        if (unsupported) {
            String requested = filter.keySet().stream().map(k -> k.toLowerCase(Locale.ROOT)).collect(java.util.stream.Collectors.joining(","));
            throw new FakeAzureError(400, "BadRequest", "Metric: " + def.name() + " does not support requested dimension combination: "
                    + requested + ", supported ones are: " + String.join(",", def.dimensions()) + ", TraceId: {" + UUID.randomUUID() + "}");
        }
    }

    private ArrayNode metrics(EvidenceBundle truth, Request request, Instant start, Instant end, boolean empty) {
        ArrayNode metrics = Json.mapper().createArrayNode();
        for (MetricDefinition def : request.metrics()) {
            metrics.add(metric(truth.app().resourceId(), truth.series(def.name()), def, request.aggregations(), start, end,
                    request.interval(), request.top(), request.filter(), empty, Naming.APP));
        }
        return metrics;
    }

    private ObjectNode metric(String resourceId, List<MetricSeries> candidates, MetricDefinition def, List<String> aggregations, Instant start,
                              Instant end, Duration interval, int top, Map<String, String> filter, boolean empty, Naming naming) {
        ObjectNode m = Json.mapper().createObjectNode();
        m.put("id", resourceId + "/providers/Microsoft.Insights/metrics/" + def.name());
        m.put("type", "Microsoft.Insights/metrics");
        m.putObject("name").put("value", def.name()).put("localizedValue", def.name());
        m.put("displayDescription", def.name());
        m.put("unit", def.unit());
        ArrayNode timeseries = m.putArray("timeseries");
        m.put("errorCode", "Success");
        if (empty) {
            return m;
        }
        // The dimensions to split by: those the filter names with '*' or a value, that this metric has.
        List<String> split = def.dimensions().stream()
                .filter(d -> filter.keySet().stream().anyMatch(k -> k.equalsIgnoreCase(d))).toList();
        Map<Map<String, String>, List<MetricSeries>> groups = new LinkedHashMap<>();
        // The model holds Requests twice: per replica (all status classes together) and app-wide per
        // statusCodeCategory. A split by status class reads the second view, any other query the first;
        // the status view has no replica, so a split by both finds no series (docs/azure-contract.md).
        boolean byStatus = split.stream().anyMatch(d -> d.equalsIgnoreCase(STATUS_CODE_CATEGORY) || d.equalsIgnoreCase("statusCode"));
        for (MetricSeries s : candidates) {
            if (!matchesFilter(s, filter, def)) {
                continue;
            }
            if (s.dimensions().containsKey(STATUS_CODE_CATEGORY) != byStatus
                    || byStatus && split.stream().anyMatch(d -> !s.dimensions().containsKey(d))) {
                continue;
            }
            Map<String, String> key = new LinkedHashMap<>();
            for (String d : split) {
                key.put(d, s.dimensions().get(d));
            }
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
        }
        int written = 0;
        for (var group : groups.entrySet()) {
            if (written >= top) {
                break;
            }
            ArrayNode data = Json.mapper().createArrayNode();
            boolean anyValue = false;
            for (Instant t = floor(start, interval); t.isBefore(end); t = t.plus(interval)) {
                ObjectNode point = data.addObject();
                point.put("timeStamp", t.toString());
                for (String agg : aggregations) {
                    Double v = combine(group.getValue(), agg, t, t.plus(interval));
                    if (v != null) {
                        point.put(agg, v);
                        anyValue = true;
                    }
                }
            }
            // The service leaves out a time series with no data in the range.
            if (!anyValue) {
                continue;
            }
            ObjectNode ts = timeseries.addObject();
            ArrayNode meta = ts.putArray("metadatavalues");
            group.getKey().forEach((d, v) -> {
                ObjectNode mv = meta.addObject();
                String lower = d.toLowerCase(Locale.ROOT);
                mv.putObject("name").put("value", naming == Naming.AS_DEFINED ? d : lower).put("localizedValue", naming == Naming.LOWER ? lower : d);
                mv.put("value", v == null ? "" : v);
            });
            ts.set("data", data);
            written++;
        }
        return m;
    }

    private static boolean matchesFilter(MetricSeries s, Map<String, String> filter, MetricDefinition def) {
        for (var clause : filter.entrySet()) {
            if ("*".equals(clause.getValue())) {
                continue;
            }
            String dim = def.dimensions().stream().filter(d -> d.equalsIgnoreCase(clause.getKey())).findFirst().orElse(null);
            if (dim != null && !clause.getValue().equals(s.dimensions().get(dim))) {
                return false;
            }
        }
        return true;
    }

    /** Combines the truth points in [from, to) of the series whose aggregation is {@code agg}. */
    private static Double combine(List<MetricSeries> series, String agg, Instant from, Instant to) {
        Double result = null;
        int n = 0;
        long fromSecond = from.getEpochSecond() + (from.getNano() > 0 ? 1 : 0);
        long toSecond = to.getEpochSecond() + (to.getNano() > 0 ? 1 : 0);
        for (MetricSeries s : series) {
            if (s.aggregation() == null || !s.aggregation().equalsIgnoreCase(agg)) {
                continue;
            }
            // Sample times are in order: start at the first in the bucket instead of walking every sample
            // for every bucket (a day at PT1M was 2 million visits a series, and the widest window is asked for first).
            for (int i = firstAtOrAfter(s, fromSecond); i < s.size() && s.epochSecond(i) < toSecond; i++) {
                if (!s.hasValue(i)) {
                    continue;
                }
                double v = s.value(i);
                n++;
                if (result == null) {
                    result = v;
                } else {
                    result = switch (agg) {
                        case "maximum" -> Math.max(result, v);
                        case "minimum" -> Math.min(result, v);
                        case "average" -> result + (v - result) / n;
                        default -> result + v;
                    };
                }
            }
        }
        return result;
    }

    /** The index of the first sample at or after {@code second} (binary search over the ordered times). */
    private static int firstAtOrAfter(MetricSeries s, long second) {
        int lo = 0;
        int hi = s.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (s.epochSecond(mid) < second) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static Instant floor(Instant t, Duration interval) {
        long step = interval.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), step) * step);
    }

    static Map<String, String> parseFilter(String filter) {
        Map<String, String> out = new LinkedHashMap<>();
        if (filter == null || filter.isBlank()) {
            return out;
        }
        Matcher m = FILTER_CLAUSE.matcher(filter);
        while (m.find()) {
            out.put(m.group(1), m.group(2));
        }
        return out;
    }

    private static List<String> split(String csv) {
        List<String> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    private static String require(Map<String, String> query, String name) {
        String v = query.get(name);
        if (v == null || v.isBlank()) {
            throw new FakeAzureError(400, "BadRequest", "Missing required query parameter " + name);
        }
        return v;
    }

    private record MetricDefinition(String name, String unit, List<String> dimensions) {
    }

    /**
     * The queues' backlog metrics by metrics namespace (lower case), from Learn's supported-metrics
     * reference: Microsoft.ServiceBus/namespaces (ActiveMessages, Messages, DeadletteredMessages:
     * Count, EntityName), Microsoft.Storage/storageAccounts/queueServices (QueueMessageCount,
     * QueueCount, QueueCapacity: PT1H, no dimension), Microsoft.EventHub/namespaces
     * (IncomingMessages, OutgoingMessages: Count, EntityName). The simulator holds truth for
     * ActiveMessages, QueueMessageCount, IncomingMessages and OutgoingMessages; the others answer
     * without time series.
     */
    private static final Map<String, Map<String, MetricDefinition>> QUEUE_DEFINITIONS = queueDefinitions();

    private static Map<String, Map<String, MetricDefinition>> queueDefinitions() {
        List<String> entity = List.of("EntityName");
        Map<String, Map<String, MetricDefinition>> out = new LinkedHashMap<>();
        out.put("microsoft.servicebus/namespaces", byName(List.of(new MetricDefinition("ActiveMessages", "Count", entity),
                new MetricDefinition("Messages", "Count", entity), new MetricDefinition("DeadletteredMessages", "Count", entity))));
        out.put("microsoft.storage/storageaccounts/queueservices", byName(List.of(new MetricDefinition("QueueMessageCount", "Count", List.of()),
                new MetricDefinition("QueueCount", "Count", List.of()), new MetricDefinition("QueueCapacity", "Bytes", List.of()))));
        out.put("microsoft.eventhub/namespaces", byName(List.of(new MetricDefinition("IncomingMessages", "Count", entity),
                new MetricDefinition("OutgoingMessages", "Count", entity))));
        return out;
    }

    private static Map<String, MetricDefinition> byName(List<MetricDefinition> defs) {
        Map<String, MetricDefinition> out = new LinkedHashMap<>();
        defs.forEach(d -> out.put(d.name().toLowerCase(Locale.ROOT), d));
        return out;
    }

    /**
     * Learn, "Supported metrics for Microsoft.App/containerApps" (REST names, units, dimensions),
     * Java metrics included.
     * MemoryPercentage and CpuPercentage (preview) list podName only; Replicas revisionName only.
     */
    private static Map<String, MetricDefinition> definitions() {
        List<String> both = List.of("revisionName", "podName");
        Map<String, MetricDefinition> d = new LinkedHashMap<>();
        for (MetricDefinition def : List.of(
                new MetricDefinition("WorkingSetBytes", "Bytes", both),
                new MetricDefinition("MemoryPercentage", "Percent", List.of("podName")),
                new MetricDefinition("CpuPercentage", "Percent", List.of("podName")),
                new MetricDefinition("UsageNanoCores", "NanoCores", both),
                new MetricDefinition("RestartCount", "Count", both),
                new MetricDefinition("Replicas", "Count", List.of("revisionName")),
                new MetricDefinition("Requests", "Count", List.of("revisionName", "podName", "statusCodeCategory", "statusCode")),
                new MetricDefinition("RxBytes", "Bytes", both),
                new MetricDefinition("TxBytes", "Bytes", both),
                // Java metrics (category "Java"), only emitted for an app with Java metrics turned on.
                new MetricDefinition("JvmMemoryUsed", "Bytes", List.of("revisionName", "podName", "container", "poolName", "poolType")),
                new MetricDefinition("JvmMemoryCommitted", "Bytes", List.of("revisionName", "podName", "container", "poolName", "poolType")),
                new MetricDefinition("JvmMemoryLimit", "Bytes", List.of("revisionName", "podName", "container", "poolName", "poolType")),
                new MetricDefinition("JvmMemoryTotalUsed", "Bytes", List.of("revisionName", "podName", "container", "poolType")),
                new MetricDefinition("JvmMemoryTotalCommitted", "Bytes", List.of("revisionName", "podName", "container", "poolType")),
                new MetricDefinition("JvmMemoryTotalLimit", "Bytes", List.of("revisionName", "podName", "container", "poolType")),
                new MetricDefinition("JvmBufferMemoryUsage", "Bytes", List.of("revisionName", "podName", "container", "poolName")),
                new MetricDefinition("JvmBufferMemoryLimit", "Bytes", List.of("revisionName", "podName", "container", "poolName")),
                new MetricDefinition("JvmBufferCount", "Count", List.of("revisionName", "podName", "container", "poolName")),
                new MetricDefinition("JvmGcCount", "Count", List.of("revisionName", "podName", "container", "gcName")),
                new MetricDefinition("JvmGcDuration", "Milliseconds", List.of("revisionName", "podName", "container", "gcName")),
                new MetricDefinition("JvmThreadCount", "Count", List.of("revisionName", "podName", "container", "daemon", "threadState")))) {
            d.put(def.name().toLowerCase(Locale.ROOT), def);
        }
        return d;
    }
}
