package io.oomresponder.evidence.azure;

import com.azure.core.http.HttpPipeline;
import com.azure.core.util.Context;
import com.azure.monitor.query.MetricsQueryClient;
import com.azure.monitor.query.models.AggregationType;
import com.azure.monitor.query.models.MetricsQueryOptions;
import com.azure.monitor.query.models.QueryTimeInterval;
import com.fasterxml.jackson.databind.JsonNode;
import io.oomresponder.evidence.EvidenceWindow;
import io.oomresponder.evidence.MetricSeries;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the backlog of the queue a scale rule names (issue 27): finds the namespace or storage
 * account by type and name with ARM's Resources - List ({@code GET {scope}/resources?$filter=resourceType eq '…' and name eq '…'},
 * api-version {@value #RESOURCES_API}; Learn REST "Resources - List": {@code eq} on resourceType and
 * name), then asks its backlog metric through the same per-resource metrics client the app's
 * metrics use, split by the entity where the metric has the dimension. Each series is tagged with
 * {@code metricNamespace} (what {@code diagnosis.QueueBacklog} reads) and keeps {@code EntityName}.
 */
final class QueueBacklogReader {

    static final String RESOURCES_API = "2021-04-01";
    /** The series dimension the diagnosis reads to tell a queue's series from the app's (diagnosis.QueueBacklog). */
    static final String NAMESPACE_DIMENSION = "metricNamespace";
    /** Learn names the Service Bus and Event Hubs dimension EntityName; the service writes it in either case (Azure/azure-service-bus#650). */
    static final String ENTITY_DIMENSION = "EntityName";
    /** A filtered list is short; pages beyond this are not followed. */
    private static final int MAX_PAGES = 5;

    private final HttpPipeline arm;
    private final String resourceManager;
    private final MetricsQueryClient metrics;

    QueueBacklogReader(HttpPipeline arm, String resourceManager, MetricsQueryClient metrics) {
        this.arm = arm;
        this.resourceManager = resourceManager.endsWith("/") ? resourceManager.substring(0, resourceManager.length() - 1) : resourceManager;
        this.metrics = metrics;
    }

    /**
     * The ids of the resources of the target's type and name that this scope lists for the caller.
     *
     * @param scope {@code /subscriptions/{id}} or {@code /subscriptions/{id}/resourceGroups/{name}}
     * @throws DiagnosticSettingsReader.ArmCallFailed when ARM refuses the list
     */
    List<String> idsIn(String scope, QueueTarget target, Context context) {
        String filter = "resourceType eq '" + odata(target.service().resourceType) + "' and name eq '" + odata(target.resourceName()) + "'";
        String url = resourceManager + scope + "/resources?$filter=" + encode(filter) + "&api-version=" + RESOURCES_API;
        List<String> ids = new ArrayList<>();
        for (int page = 0; page < MAX_PAGES && url != null; page++) {
            JsonNode body = DiagnosticSettingsReader.get(arm, url, context);
            for (JsonNode r : body.path("value")) {
                String id = r.path("id").asText("");
                // The filter is the service's; an answer that ignores it must not name another resource.
                if (!id.isBlank() && r.path("type").asText("").equalsIgnoreCase(target.service().resourceType)
                        && r.path("name").asText("").equalsIgnoreCase(target.resourceName())
                        && ids.stream().noneMatch(id::equalsIgnoreCase)) {
                    ids.add(id);
                }
            }
            String next = body.path("nextLink").asText("");
            url = next.isBlank() ? null : next;
        }
        return ids;
    }

    /**
     * The backlog series of the target over the window, tagged with its metrics namespace: one
     * call, split by EntityName on the rule's entity where the metric has that dimension; the
     * storage account's queue count is asked at its only grain, one hour.
     */
    List<MetricSeries> backlog(QueueTarget target, String resourceId, EvidenceWindow window, int top, Context context) {
        QueueTarget.Service service = target.service();
        Duration grain = service.byEntity ? window.grain() : Duration.ofHours(1);
        MetricsQueryOptions options = new MetricsQueryOptions()
                .setMetricNamespace(service.metricNamespace)
                .setTimeInterval(new QueryTimeInterval(window.start().atOffset(ZoneOffset.UTC), window.end().atOffset(ZoneOffset.UTC)))
                .setGranularity(grain)
                .setAggregations(List.of(AggregationType.fromString(service.aggregation)))
                .setTop(top);
        if (service.byEntity) {
            options.setFilter(ENTITY_DIMENSION + " eq '" + odata(target.entity()) + "'");
        }
        var result = metrics.queryResourceWithResponse(AzureEvidenceSource.resourceUri(resourceId + service.metricsSubResource),
                service.metrics, options, context).getValue();
        List<MetricSeries> out = new ArrayList<>();
        for (MetricSeries s : MetricsEvidenceReader.series(result)) {
            Map<String, String> dims = new LinkedHashMap<>(s.dimensions());
            dims.put(NAMESPACE_DIMENSION, service.metricNamespace);
            out.add(s.withDimensions(dims));
        }
        return out;
    }

    /** An OData string literal's content: a quote is doubled. */
    static String odata(String value) {
        return value.replace("'", "''");
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
