package io.oomresponder.simulator.azure;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.json.Json;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Alerts - Get All ({@code GET /subscriptions/{s}/providers/Microsoft.AlertsManagement/alerts}) over
 * the alert each simulated app's truth fired, as azure-rest-api-specs
 * {@code alertsmanagement/.../2019-05-05-preview/AlertsManagement.json} describes it: {@code value}
 * + {@code nextLink} paging, {@code pageCount} 1..250 (default 25), {@code timeRange} 1h/1d/7d/30d
 * (default 1d) or {@code customTimeRange} start/end but not both, and the {@code targetResource},
 * {@code targetResourceGroup} and {@code monitorCondition} filters; newest first
 * ({@code lastModifiedDateTime} descending, the default sort). Anything outside that is a 400.
 * Where the spec is vague (which time the range filters on) the alert's {@code lastModifiedDateTime}
 * is used, the reading under which an alert that fired long ago and was modified recently is listed
 * (it equals {@code startDateTime} for an alert nobody modified; {@link FakeAzureWorld#modifyAlert}).
 */
final class AlertsListResponder {

    static final Set<String> API_VERSIONS = Set.of("2019-05-05-preview", "2023-07-12-preview");
    private static final Map<String, Duration> TIME_RANGES = Map.of("1h", Duration.ofHours(1), "1d", Duration.ofDays(1),
            "7d", Duration.ofDays(7), "30d", Duration.ofDays(30));
    private static final int DEFAULT_PAGE = 25;
    private static final int MAX_PAGE = 250;

    private final FakeAzureWorld world;
    private final Supplier<Instant> now;
    private final Supplier<String> baseUrl;

    AlertsListResponder(FakeAzureWorld world, Supplier<Instant> now, Supplier<String> baseUrl) {
        this.world = world;
        this.now = now;
        this.baseUrl = baseUrl;
    }

    /**
     * @param resourceGroup null for the subscription scope; a resource group scope exists only from 2023-07-12-preview ({scope} path)
     * @param query         the query parameters, names in lower case (ARM reads them case-insensitively)
     */
    ObjectNode respond(String subscription, String resourceGroup, Map<String, String> query) {
        String version = query.get("api-version");
        if (version == null || !API_VERSIONS.contains(version) || (resourceGroup != null && !version.equals("2023-07-12-preview"))) {
            throw new FakeAzureError(400, "InvalidApiVersionParameter", "The api-version '" + version + "' is invalid for Microsoft.AlertsManagement/alerts at this scope.");
        }
        Instant end = now.get();
        Instant start;
        if (query.containsKey("timerange") && query.containsKey("customtimerange")) {
            throw new FakeAzureError(400, "BadRequest", "Either timeRange or customTimeRange could be used but not both.");
        }
        if (query.containsKey("customtimerange")) {
            String[] parts = query.get("customtimerange").split("/");
            try {
                start = Instant.parse(parts[0]);
                end = Instant.parse(parts[1]);
            } catch (DateTimeParseException | ArrayIndexOutOfBoundsException e) {
                throw new FakeAzureError(400, "BadRequest", "customTimeRange must be <start-time>/<end-time> in ISO-8601.");
            }
        } else {
            Duration range = TIME_RANGES.get(query.getOrDefault("timerange", "1d"));
            if (range == null) {
                throw new FakeAzureError(400, "BadRequest", "timeRange must be one of 1h, 1d, 7d, 30d.");
            }
            start = end.minus(range);
        }
        int pageCount;
        try {
            pageCount = Integer.parseInt(query.getOrDefault("pagecount", String.valueOf(DEFAULT_PAGE)));
        } catch (NumberFormatException e) {
            pageCount = -1;
        }
        if (pageCount < 1 || pageCount > MAX_PAGE) {
            throw new FakeAzureError(400, "BadRequest", "pageCount must be between 1 and 250.");
        }
        String condition = query.get("monitorcondition");
        if (condition != null && !condition.equals("Fired") && !condition.equals("Resolved")) {
            throw new FakeAzureError(400, "BadRequest", "monitorCondition must be Fired or Resolved.");
        }
        String prefix = "/subscriptions/" + subscription.toLowerCase(Locale.ROOT) + "/";
        Instant from = start;
        Instant to = end;
        List<EvidenceBundle> matching = world.apps().stream()
                .filter(a -> a.alert().id().toLowerCase(Locale.ROOT).startsWith(prefix))
                .filter(a -> !world.lastModified(a).isBefore(from) && !world.lastModified(a).isAfter(to))
                .filter(a -> condition == null || a.alert().condition().name().equals(condition))
                .filter(a -> !query.containsKey("targetresource") || a.alert().targetResourceId().equalsIgnoreCase(query.get("targetresource")))
                .filter(a -> !query.containsKey("targetresourcegroup") || a.app().resourceGroup().equalsIgnoreCase(query.get("targetresourcegroup")))
                .filter(a -> resourceGroup == null || a.app().resourceGroup().equalsIgnoreCase(resourceGroup))
                .sorted(Comparator.comparing((EvidenceBundle a) -> world.lastModified(a)).reversed())
                .toList();
        int offset = 0;
        if (query.containsKey("ctoken")) {
            try {
                offset = Integer.parseInt(query.get("ctoken"));
            } catch (NumberFormatException e) {
                throw new FakeAzureError(400, "BadRequest", "invalid continuation token");
            }
        }
        ObjectNode out = Json.mapper().createObjectNode();
        ArrayNode value = out.putArray("value");
        int stop = Math.min(matching.size(), offset + pageCount);
        for (int i = Math.max(0, offset); i < stop; i++) {
            value.add(ArmResponses.alert(matching.get(i), world.lastModified(matching.get(i))));
        }
        if (stop < matching.size()) {
            StringBuilder next = new StringBuilder(baseUrl.get()).append("/subscriptions/").append(subscription)
                    .append(resourceGroup == null ? "" : "/resourceGroups/" + resourceGroup)
                    .append("/providers/Microsoft.AlertsManagement/alerts?");
            query.forEach((k, v) -> {
                if (!k.equals("ctoken")) {
                    next.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)).append('&');
                }
            });
            next.append("ctoken=").append(stop);
            out.put("nextLink", next.toString());
        }
        return out;
    }
}
