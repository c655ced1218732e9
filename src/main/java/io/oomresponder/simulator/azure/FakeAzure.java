package io.oomresponder.simulator.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A fake Azure on 127.0.0.1 over HTTPS, for the demo and for tests that run the real Azure SDK
 * clients: ARM (container app, revisions, replicas, managed environment), the metrics APIs (batch,
 * and per resource through ARM) and the Log Analytics query API, all served from a {@link FakeAzureWorld} of truth evidence bundles,
 * with per-endpoint faults and latency ({@link #faults()}) and a request log ({@link #requests()}).
 * Every route but the token endpoint answers 401 without a Bearer token, as Azure does.
 *
 * <p>The certificate is the pre-generated loopback one ({@link SimulatorCertificate}); point
 * clients at it with {@link #clientSettings()}.
 */
public final class FakeAzure implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FakeAzure.class);

    /** Tenant and client ids the simulator settings use; nothing checks them. */
    public static final String TENANT_ID = "00000000-0000-0000-0000-00000000face";

    private final FakeAzureWorld world;
    private final FaultPlan faults = new FaultPlan();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Clock clock;
    private final HttpsServer server;
    private final ExecutorService executor;
    private final MetricsResponder metrics;
    private final LogAnalyticsResponder logs;
    private final BlobResponder blobs;
    private final AlertsListResponder alertsList;
    private final ContainerAppsListResponder appsList;

    private FakeAzure(FakeAzureWorld world, int port, Clock clock) throws IOException {
        this.world = world;
        this.clock = clock;
        this.metrics = new MetricsResponder(world);
        this.logs = new LogAnalyticsResponder(world, clock::instant);
        this.blobs = new BlobResponder(clock);
        this.alertsList = new AlertsListResponder(world, clock::instant, this::baseUrl);
        this.appsList = new ContainerAppsListResponder(world, this::baseUrl);
        this.server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(SimulatorCertificate.serverContext()));
        // Cached: the collector's calls arrive in parallel and some of them hang on purpose.
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-azure-" + Integer.toHexString(r.hashCode()));
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a fake Azure on a free loopback port serving these apps. */
    public static FakeAzure start(List<EvidenceBundle> apps) {
        return start(apps, 0, Clock.systemUTC());
    }

    /**
     * Starts a fake Azure on {@code port} (0 = any free port) serving these apps; {@code clock}
     * resolves relative Log Analytics timespans.
     */
    public static FakeAzure start(List<EvidenceBundle> apps, int port, Clock clock) {
        try {
            FakeAzure fake = new FakeAzure(new FakeAzureWorld(apps), port, clock);
            LOG.info("fake Azure listening on {} with {} container app(s)", fake.baseUrl(), apps.size());
            return fake;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake Azure on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
    }

    /** {@code https://127.0.0.1:PORT}, without a trailing slash. */
    public String baseUrl() {
        return "https://127.0.0.1:" + port();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public FakeAzureWorld world() {
        return world;
    }

    /**
     * Container apps per page of the ARM list (Container Apps - List By Subscription / By Resource
     * Group); Learn documents no page size, so tests choose one (default {@value ContainerAppsListResponder#DEFAULT_PAGE_SIZE}).
     */
    public void setContainerAppListPageSize(int appsPerPage) {
        appsList.setPageSize(appsPerPage);
    }

    /** Faults and latency, changeable while the server runs. */
    public FaultPlan faults() {
        return faults;
    }

    /** Every request answered so far, in order of completion. */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    public List<RecordedRequest> requests(FakeEndpoint endpoint) {
        return requests.stream().filter(r -> r.endpoint() == endpoint).toList();
    }

    /** The KQL text of every Log Analytics query received, in order. */
    public List<String> logQueries() {
        List<String> out = new ArrayList<>();
        for (RecordedRequest r : requests(FakeEndpoint.LOGS)) {
            JsonNode body = readJson(r.body());
            if (body != null && body.hasNonNull("query")) {
                out.add(body.get("query").asText());
            }
        }
        return out;
    }

    public void clearRequests() {
        requests.clear();
    }

    /**
     * The settings that point {@code io.oomresponder.evidence.azure.AzureClients} at this fake:
     * every endpoint, the loopback certificate and the static test token.
     */
    public Map<String, String> clientSettings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("AZURE_RESOURCE_MANAGER_ENDPOINT", baseUrl() + "/");
        s.put("AZURE_LOGS_ENDPOINT", baseUrl() + "/v1");
        s.put("AZURE_AUTHORITY_HOST", baseUrl() + "/");
        s.put("AZURE_TENANT_ID", TENANT_ID);
        s.put("AZURE_SIMULATOR_CERT", "classpath:" + SimulatorCertificate.PEM_RESOURCE);
        // The Function app's own storage account, for chart links (blob + user-delegation SAS).
        s.put("CHART_STORAGE_URL", baseUrl() + "/" + BlobResponder.ACCOUNT);
        return s;
    }

    /** The bytes of a blob the simulated storage account holds, or null. */
    public byte[] blob(String container, String name) {
        return blobs.blob(container, name);
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        Instant start = clock.instant();
        String path = ex.getRequestURI().getRawPath();
        String rawQuery = ex.getRequestURI().getRawQuery();
        byte[] raw = ex.getRequestBody().readAllBytes();
        String body = new String(raw, StandardCharsets.UTF_8);
        FakeEndpoint endpoint = endpointOf(path);
        if (endpoint == FakeEndpoint.BLOB) {
            // Blob storage answers XML and bytes, not ARM JSON: its own responder and reply.
            BlobResponder.Answer answer;
            try {
                answer = blobs.answer(ex, ex.getRequestMethod(), path, parseQuery(rawQuery), raw);
            } catch (RuntimeException e) {
                LOG.warn("fake Azure blob failed on {} {}: {}", ex.getRequestMethod(), path, e.toString());
                answer = new BlobResponder.Answer(500, Map.of(), new byte[0]);
            }
            requests.add(new RecordedRequest(endpoint, ex.getRequestMethod(), path, rawQuery, "", start,
                    clock.instant(), Thread.currentThread().getName(), answer.status()));
            try {
                BlobResponder.send(ex, answer);
            } finally {
                ex.close();
            }
            return;
        }
        Reply reply;
        try {
            reply = answer(ex, endpoint, path, rawQuery, body);
        } catch (RuntimeException e) {
            LOG.warn("fake Azure failed on {} {}: {}", ex.getRequestMethod(), path, e.toString());
            reply = new Reply(500, error("InternalServerError", "simulator error: " + e.getClass().getSimpleName()), Map.of());
        }
        // Recorded before the answer leaves, so a client that has its response also finds it in the log.
        requests.add(new RecordedRequest(endpoint, ex.getRequestMethod(), path, rawQuery, body, start,
                clock.instant(), Thread.currentThread().getName(), reply.status()));
        try {
            send(ex, reply);
        } finally {
            ex.close();
        }
    }

    /** An answer not yet sent. */
    private record Reply(int status, ObjectNode body, Map<String, String> headers) {
    }

    private Reply answer(HttpExchange ex, FakeEndpoint endpoint, String path, String rawQuery, String body) {
        pause(faults.latencyFor(endpoint));
        if (endpoint != FakeEndpoint.TOKEN) {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return new Reply(401, error("AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing."),
                        Map.of("WWW-Authenticate", "Bearer"));
            }
        }
        Optional<Fault> fault = faults.take(endpoint);
        boolean empty = false;
        if (fault.isPresent()) {
            Fault f = fault.get();
            switch (f.kind()) {
                case STATUS -> {
                    return new Reply(f.status(), error(codeFor(f.status()), messageFor(f.status())), Map.of());
                }
                case THROTTLE -> {
                    long ms = f.duration().toMillis();
                    return new Reply(429, error("TooManyRequests", "injected throttling"), Map.of(
                            "Retry-After", Long.toString((ms + 999) / 1000),
                            "retry-after-ms", Long.toString(ms)));
                }
                case HANG -> {
                    awaitClosing(f.duration());
                    return new Reply(504, error("GatewayTimeout", "injected hang"), Map.of());
                }
                case DELAY -> pause(f.duration());
                case EMPTY -> empty = true;
            }
        }
        try {
            return new Reply(200, route(ex.getRequestMethod(), endpoint, path, parseQuery(rawQuery), body, empty), Map.of());
        } catch (FakeAzureError e) {
            // The per-resource metrics API writes its error at the top level, not under "error"
            // (Learn, "Migrate from the metrics API to the getBatch API", error response changes).
            ObjectNode errorBody = isResourceMetrics(path) ? topLevelError(e.code(), e.getMessage()) : error(e.code(), e.getMessage());
            if (e.innerCode() != null) {
                ObjectNode inner = ((ObjectNode) errorBody.get("error")).putObject("innererror");
                inner.put("code", e.innerCode()).put("message", e.innerMessage());
                if (e.detailCode() != null) {
                    inner.putObject("innererror").put("code", e.detailCode()).put("message", e.detailMessage());
                }
            }
            return new Reply(e.status(), errorBody, Map.of());
        }
    }

    private ObjectNode route(String method, FakeEndpoint endpoint, String path, Map<String, String> query, String body, boolean empty) {
        List<String> seg = segments(path);
        switch (endpoint) {
            case TOKEN -> {
                ObjectNode token = Json.mapper().createObjectNode();
                token.put("token_type", "Bearer").put("expires_in", 3599).put("ext_expires_in", 3599)
                        .put("access_token", "fake-aad-token");
                return token;
            }
            case METRICS -> {
                if (isResourceMetrics(path)) {
                    requireMethod(method, "GET");
                    String resourceId = "/" + String.join("/", seg.subList(0, seg.size() - 3));
                    return metrics.respondForResource(resourceId, query, empty);
                }
                requireMethod(method, "POST");
                return metrics.respondBatch(query, requireJson(body), empty);
            }
            case LOGS -> {
                requireMethod(method, "POST");
                JsonNode req = requireJson(body);
                return logs.respond(seg.get(2), req.path("query").asText(""), req.path("timespan").asText(null), empty);
            }
            default -> {
                requireMethod(method, "GET");
                if (seg.size() == 5 && seg.get(0).equalsIgnoreCase("subscriptions") && seg.get(2).equalsIgnoreCase("providers")
                        && seg.get(3).equalsIgnoreCase("Microsoft.AlertsManagement") && seg.get(4).equalsIgnoreCase("alerts")) {
                    return alertsList.respond(seg.get(1), null, query);
                }
                if (seg.size() == 7 && seg.get(0).equalsIgnoreCase("subscriptions") && seg.get(2).equalsIgnoreCase("resourceGroups")
                        && seg.get(4).equalsIgnoreCase("providers") && seg.get(5).equalsIgnoreCase("Microsoft.AlertsManagement")
                        && seg.get(6).equalsIgnoreCase("alerts")) {
                    return alertsList.respond(seg.get(1), seg.get(3), query);
                }
                if (QueueResources.handles(seg)) {
                    return world.queues().list(seg, query);
                }
                if (ContainerAppsListResponder.handles(seg)) {
                    return appsList.respond(seg, query);
                }
                if (seg.size() == 5 && seg.get(0).equalsIgnoreCase("subscriptions") && seg.get(2).equalsIgnoreCase("providers")
                        && seg.get(3).equalsIgnoreCase("Microsoft.OperationalInsights") && seg.get(4).equalsIgnoreCase("workspaces")) {
                    String subscription = seg.get(1);
                    return ArmResponses.workspaces(world.workspaces().stream()
                            .filter(w -> w.workspaceResourceId().split("/")[2].equalsIgnoreCase(subscription)).toList(), FakeAzureWorld.DEFAULT_LOCATION);
                }
                return arm(seg, empty);
            }
        }
    }

    /**
     * /subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.App/{containerApps|managedEnvironments}/{name}[/revisions[/{rev}/replicas]],
     * and /subscriptions/{s}/providers/Microsoft.AlertsManagement/alerts/{id} (the alert that each app's truth fired).
     */
    private ObjectNode arm(List<String> seg, boolean empty) {
        if (seg.size() == 6 && seg.get(0).equalsIgnoreCase("subscriptions") && seg.get(2).equalsIgnoreCase("providers")
                && seg.get(3).equalsIgnoreCase("Microsoft.AlertsManagement") && seg.get(4).equalsIgnoreCase("alerts")) {
            String id = "/" + String.join("/", seg);
            return world.apps().stream().filter(a -> id.equalsIgnoreCase(a.alert().id())).findFirst()
                    .map(a -> ArmResponses.alert(a, world.lastModified(a)))
                    .orElseThrow(() -> notFound("Microsoft.AlertsManagement/alerts", seg.get(5)));
        }
        if (seg.size() == 8 && seg.get(0).equalsIgnoreCase("subscriptions") && seg.get(2).equalsIgnoreCase("resourceGroups")
                && seg.get(4).equalsIgnoreCase("providers") && seg.get(5).equalsIgnoreCase("Microsoft.OperationalInsights")
                && seg.get(6).equalsIgnoreCase("workspaces")) {
            String id = "/" + String.join("/", seg);
            var setting = world.workspace(id).orElseThrow(() -> notFound("Microsoft.OperationalInsights/workspaces", seg.get(7)));
            return ArmResponses.workspace(setting, FakeAzureWorld.DEFAULT_LOCATION);
        }
        if (seg.size() < 8 || !seg.get(0).equalsIgnoreCase("subscriptions") || !seg.get(2).equalsIgnoreCase("resourceGroups")
                || !seg.get(4).equalsIgnoreCase("providers") || !seg.get(5).equalsIgnoreCase("Microsoft.App")) {
            throw new FakeAzureError(404, "NotFound", "No route for this path");
        }
        String sub = seg.get(1);
        String rg = seg.get(3);
        String type = seg.get(6);
        String name = seg.get(7);
        if (!world.resourceGroupExists(sub, rg)) {
            // ARM answers for a missing group itself, before any provider (docs/azure-contract.md, "An app that does not exist").
            throw new FakeAzureError(404, "ResourceGroupNotFound", "Resource group '" + rg + "' could not be found.");
        }
        if (type.equalsIgnoreCase("managedEnvironments")) {
            String id = "/subscriptions/" + sub + "/resourceGroups/" + rg + "/providers/Microsoft.App/managedEnvironments/" + name;
            List<EvidenceBundle> inIt = world.environment(id);
            if (inIt.isEmpty()) {
                throw notFound("Microsoft.App/managedEnvironments", name);
            }
            if (seg.size() == 8) {
                return ArmResponses.managedEnvironment(inIt, world.environmentLogs(id));
            }
            if (seg.size() == 11 && seg.get(8).equalsIgnoreCase("providers") && seg.get(9).equalsIgnoreCase("Microsoft.Insights")
                    && seg.get(10).equalsIgnoreCase("diagnosticSettings")) {
                return ArmResponses.diagnosticSettings(inIt.get(0).app().environmentId(), world.environmentLogs(id));
            }
            throw new FakeAzureError(404, "NotFound", "No route for this path");
        }
        if (!type.equalsIgnoreCase("containerApps")) {
            throw new FakeAzureError(404, "NotFound", "No route for this path");
        }
        EvidenceBundle app = world.app(sub, rg, name).orElseThrow(() -> notFound("Microsoft.App/containerApps", name));
        if (seg.size() == 8) {
            return ArmResponses.containerApp(app);
        }
        if (seg.size() == 9 && seg.get(8).equalsIgnoreCase("revisions")) {
            return ArmResponses.revisions(app, empty);
        }
        if (seg.size() == 11 && seg.get(8).equalsIgnoreCase("revisions") && seg.get(10).equalsIgnoreCase("replicas")) {
            String revision = seg.get(9);
            if (app.app().revisions().stream().noneMatch(r -> r.name().equalsIgnoreCase(revision))) {
                throw notFound("Microsoft.App/containerApps/revisions", revision);
            }
            return ArmResponses.replicas(app, revision, empty);
        }
        throw new FakeAzureError(404, "NotFound", "No route for this path");
    }

    private static FakeAzureError notFound(String type, String name) {
        return new FakeAzureError(404, "ResourceNotFound", "The Resource '" + type + "/" + name + "' was not found.");
    }

    static FakeEndpoint endpointOf(String rawPath) {
        if (BlobResponder.handles(rawPath)) {
            return FakeEndpoint.BLOB;
        }
        String p = rawPath.toLowerCase(Locale.ROOT);
        if (p.startsWith("/v1/workspaces/")) {
            return FakeEndpoint.LOGS;
        }
        if (p.endsWith("/metrics:getbatch") || isResourceMetrics(rawPath)) {
            return FakeEndpoint.METRICS;
        }
        if (p.contains("/oauth2/")) {
            return FakeEndpoint.TOKEN;
        }
        return FakeEndpoint.ARM;
    }

    /** {@code {resourceId}/providers/Microsoft.Insights/metrics}: the per-resource metrics API through ARM. */
    static boolean isResourceMetrics(String rawPath) {
        return rawPath.toLowerCase(Locale.ROOT).endsWith("/providers/microsoft.insights/metrics");
    }

    private static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        for (String s : rawPath.split("/")) {
            if (!s.isEmpty()) {
                out.add(percentDecode(s));
            }
        }
        return out;
    }

    /** Decodes %XX sequences as UTF-8; '+' stays '+' (path rules, not form rules). */
    static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            out.put(percentDecode(k.replace('+', ' ')).toLowerCase(Locale.ROOT), percentDecode(v.replace('+', ' ')));
        }
        return out;
    }

    private static void requireMethod(String method, String expected) {
        if (!expected.equalsIgnoreCase(method)) {
            throw new FakeAzureError(405, "MethodNotAllowed", "The simulator answers " + expected + " here");
        }
    }

    private static JsonNode requireJson(String body) {
        JsonNode node = readJson(body);
        if (node == null || !node.isObject()) {
            throw new FakeAzureError(400, "BadRequest", "The request body must be a JSON object");
        }
        return node;
    }

    private static JsonNode readJson(String body) {
        try {
            return body == null || body.isBlank() ? null : Json.mapper().readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String codeFor(int status) {
        return switch (status) {
            case 401 -> "AuthenticationFailed";
            case 403 -> "AuthorizationFailed";
            case 404 -> "ResourceNotFound";
            case 503 -> "ServiceUnavailable";
            default -> status >= 500 ? "InternalServerError" : "BadRequest";
        };
    }

    /**
     * The message of an injected status: ARM's wording for a missing role (Learn, "Troubleshoot
     * Azure RBAC", AuthorizationFailed), without the caller's ids and scope; a plain note otherwise.
     */
    private static String messageFor(int status) {
        return status == 403
                ? "The client does not have authorization to perform the action over the scope, or the scope is invalid."
                + " If access was recently granted, please refresh your credentials."
                : "injected fault " + status;
    }

    private static ObjectNode topLevelError(String code, String message) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("code", code).put("message", message);
        return body;
    }

    private static ObjectNode error(String code, String message) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.putObject("error").put("code", code).put("message", message);
        return body;
    }

    private static void send(HttpExchange ex, Reply reply) throws IOException {
        byte[] bytes = Json.mapper().writeValueAsBytes(reply.body());
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.getResponseHeaders().set("x-ms-request-id", java.util.UUID.randomUUID().toString());
        reply.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        ex.sendResponseHeaders(reply.status(), bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void pause(Duration d) {
        if (!d.isZero()) {
            awaitClosing(d);
        }
    }

    /** Waits {@code d}, or less when the server closes, so a hanging request never outlives the fake. */
    private void awaitClosing(Duration d) {
        try {
            closing.await(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
