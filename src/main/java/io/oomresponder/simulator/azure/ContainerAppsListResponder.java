package io.oomresponder.simulator.azure;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.json.Json;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Container Apps - List By Subscription ({@code GET /subscriptions/{s}/providers/Microsoft.App/containerApps})
 * and List By Resource Group ({@code GET /subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.App/containerApps}),
 * as Learn REST describes them: a {@code ContainerAppCollection} of {@code value} (each app as GET
 * returns it) and {@code nextLink}, "the URL to get the next set of results". Learn states no page
 * size, so the page size is the simulator's setting ({@link #setPageSize}); the last page has no
 * {@code nextLink}. A subscription or group with no app answers an empty {@code value}.
 */
final class ContainerAppsListResponder {

    /** Small, so that two or three apps already span pages and every client has to follow nextLink. */
    static final int DEFAULT_PAGE_SIZE = 2;

    private final FakeAzureWorld world;
    private final Supplier<String> baseUrl;
    private volatile int pageSize = DEFAULT_PAGE_SIZE;

    ContainerAppsListResponder(FakeAzureWorld world, Supplier<String> baseUrl) {
        this.world = world;
        this.baseUrl = baseUrl;
    }

    void setPageSize(int appsPerPage) {
        if (appsPerPage < 1) {
            throw new IllegalArgumentException("a page holds at least one app");
        }
        this.pageSize = appsPerPage;
    }

    /** {@code subscriptions/{s}/providers/Microsoft.App/containerApps} or {@code subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.App/containerApps}. */
    static boolean handles(List<String> seg) {
        if (seg.isEmpty() || !seg.get(0).equalsIgnoreCase("subscriptions")) {
            return false;
        }
        if (seg.size() == 5) {
            return seg.get(2).equalsIgnoreCase("providers") && seg.get(3).equalsIgnoreCase("Microsoft.App")
                    && seg.get(4).equalsIgnoreCase("containerApps");
        }
        return seg.size() == 7 && seg.get(2).equalsIgnoreCase("resourceGroups") && seg.get(4).equalsIgnoreCase("providers")
                && seg.get(5).equalsIgnoreCase("Microsoft.App") && seg.get(6).equalsIgnoreCase("containerApps");
    }

    /** @param query the query parameters, names in lower case */
    ObjectNode respond(List<String> seg, Map<String, String> query) {
        if (!query.containsKey("api-version")) {
            throw new FakeAzureError(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
        }
        String subscription = seg.get(1);
        String group = seg.size() == 7 ? seg.get(3) : null;
        List<EvidenceBundle> apps = world.apps().stream()
                .filter(a -> a.app().subscriptionId().equalsIgnoreCase(subscription))
                .filter(a -> group == null || a.app().resourceGroup().equalsIgnoreCase(group))
                .sorted(Comparator.comparing(a -> a.app().resourceId().toLowerCase(Locale.ROOT)))
                .toList();
        int offset = 0;
        String token = query.get("$skiptoken");
        if (token != null) {
            try {
                offset = Integer.parseInt(token);
            } catch (NumberFormatException e) {
                throw new FakeAzureError(400, "InvalidSkipToken", "The skip token is not valid.");
            }
        }
        int size = pageSize;
        ObjectNode out = Json.mapper().createObjectNode();
        ArrayNode value = out.putArray("value");
        int stop = Math.min(apps.size(), Math.max(0, offset) + size);
        for (int i = Math.max(0, offset); i < stop; i++) {
            value.add(ArmResponses.containerApp(apps.get(i)));
        }
        if (stop < apps.size()) {
            out.put("nextLink", baseUrl.get() + "/" + String.join("/", seg) + "?api-version="
                    + URLEncoder.encode(query.get("api-version"), StandardCharsets.UTF_8) + "&$skipToken=" + stop);
        }
        return out;
    }
}
