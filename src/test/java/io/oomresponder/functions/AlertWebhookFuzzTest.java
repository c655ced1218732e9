package io.oomresponder.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import io.oomresponder.intake.AlertIntake;
import io.oomresponder.intake.AlertSamples;
import io.oomresponder.intake.ScopeGuard;
import io.oomresponder.json.Json;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.when;

/**
 * Mutates the real alert samples (bytes and JSON structure, fixed seed) and sends each through the
 * AlertWebhook Function: never a 5xx, never an exception, always a JSON answer, bounded time.
 */
class AlertWebhookFuzzTest {

    static final long SEED = 20261127L;
    static final int CASES = 3000;

    static final String[] TOKENS = {"\"", "'", "|", "\n", "..", "{", "}", "[", "]", ",", ":", "null", "-1e999", "\\u0000",
            "\\ud800", "/providers/microsoft.app/containerapps/", "\"schemaId\":1,", "Resolved", "Fired", "1e5", "true", "\t", "\\"};

    @Test
    void mutatedSamplesNeverGetA5xxOrAnEscapingException() throws Exception {
        FunctionMocks.Queue shared = new FunctionMocks.Queue();
        AlertWebhook function = new AlertWebhook(() -> new AlertIntake(ScopeGuard.allowing(AlertSamples.SUBSCRIPTION), Clock.systemUTC()), () -> shared);
        byte[][] current = new byte[1][];
        HttpRequestMessage<Optional<byte[]>> request = FunctionMocks.request(null, Map.of());
        when(request.getBody()).thenAnswer(inv -> Optional.ofNullable(current[0]));
        ExecutionContext context = FunctionMocks.context();
        List<JsonNode> seeds = seeds();
        for (JsonNode seed : seeds) {
            // Warm-up, untimed: the first Event Grid payload loads the SDK's classes (seconds on a busy machine).
            current[0] = AlertSamples.bytes(seed);
            function.run(request, context);
        }
        Random random = new Random(SEED);
        Map<Integer, Integer> statuses = new TreeMap<>();
        long maxNanos = 0;
        long totalNanos = 0;
        String slowest = null;

        for (int i = 0; i < CASES; i++) {
            JsonNode seed = seeds.get(random.nextInt(seeds.size()));
            byte[] body = random.nextBoolean() ? mutateBytes(AlertSamples.bytes(seed), random) : AlertSamples.bytes(mutateTree(seed.deepCopy(), random));
            current[0] = body;
            FunctionMocks.Queue queue = shared.reset();

            long t0 = System.nanoTime();
            HttpResponseMessage res = function.run(request, context);
            long took = System.nanoTime() - t0;

            totalNanos += took;
            int status = res.getStatus().value();
            statuses.merge(status, 1, Integer::sum);
            String text = (String) res.getBody();
            assertThat(status).as("case %d: %s", i, preview(body)).isIn(200, 202, 400, 413);
            assertThat(Json.mapper().readTree(text).isObject()).isTrue();
            assertThat(text).doesNotContain("Exception").doesNotContain("at io.oomresponder");
            if (status == 202 && text.contains("\"accepted\"")) {
                assertThat(queue.value).isNotEmpty();
            } else if (status == 202 && queue.value != null) {
                // An ignored alert leaves only its receipt, for the reconcile.
                assertThat(queue.value).singleElement().satisfies(m -> assertThat(io.oomresponder.intake.IntakeReceipt.fromMessage(m)).isPresent());
            } else {
                assertThat(queue.value).isNull();
            }
            if (took > maxNanos) {
                maxNanos = took;
                slowest = preview(body);
            }
        }
        System.out.printf("fuzz: %d cases, statuses %s, mean %.2f ms, slowest %.1f ms (%s)%n", CASES, statuses, totalNanos / 1e6 / CASES, maxNanos / 1e6, slowest);
        // The mean and slowest figures are printed, not asserted: a loaded 2-core machine stretches any
        // one request (`bench cold-start` and `bench storm` measure intake speed).
        assertThat(statuses.keySet()).as("the fuzz reaches accept, ignore and reject").contains(202, 400);
    }

    static List<JsonNode> seeds() {
        List<JsonNode> seeds = new ArrayList<>(AlertSamples.contractSamples().values());
        seeds.add(AlertSamples.containerAppMetric("alert-common-schema-full-metric-resolved.json", "WorkingSetBytes"));
        seeds.add(AlertSamples.containerAppMetric("alert-context-metric-static-threshold.json", "MemoryPercentage"));
        seeds.add(AlertSamples.containerAppMetric("alert-context-metric-dynamic-threshold.json", "RestartCount"));
        seeds.add(AlertSamples.containerAppLogV2());
        seeds.add(AlertSamples.containerAppLegacyLog());
        ObjectNode event = Json.mapper().createObjectNode();
        event.put("id", "e1").put("subject", "s").put("eventType", "Contoso.AlertFired").put("eventTime", "2026-11-27T09:00:00Z").put("dataVersion", "1");
        event.set("data", AlertSamples.containerAppLogV2());
        seeds.add(Json.mapper().createArrayNode().add(event));
        ObjectNode cloud = Json.mapper().createObjectNode();
        cloud.put("specversion", "1.0").put("id", "c1").put("source", "/contoso").put("type", "Contoso.AlertFired");
        cloud.set("data", AlertSamples.containerAppMetric("alert-context-metric-static-threshold.json", "WorkingSetBytes"));
        seeds.add(cloud);
        return seeds;
    }

    static byte[] mutateBytes(byte[] in, Random r) {
        byte[] b = in;
        int rounds = 1 + r.nextInt(3);
        for (int k = 0; k < rounds && b.length > 0; k++) {
            int at = r.nextInt(b.length);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            switch (r.nextInt(5)) {
                case 0 -> { // flip a byte
                    b = b.clone();
                    b[at] = (byte) r.nextInt(256);
                    continue;
                }
                case 1 -> { // delete a range
                    int len = Math.min(b.length - at, 1 + r.nextInt(40));
                    out.write(b, 0, at);
                    out.write(b, at + len, b.length - at - len);
                }
                case 2 -> { // duplicate a range
                    int len = Math.min(b.length - at, 1 + r.nextInt(200));
                    out.write(b, 0, at + len);
                    out.write(b, at, b.length - at);
                }
                case 3 -> { // insert a hostile token
                    byte[] t = TOKENS[r.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8);
                    out.write(b, 0, at);
                    out.write(t, 0, t.length);
                    out.write(b, at, b.length - at);
                }
                default -> out.write(b, 0, at); // truncate
            }
            b = out.toByteArray();
        }
        return b;
    }

    /** Replaces, removes or renames one random field of the tree (repeatedly). */
    static JsonNode mutateTree(JsonNode root, Random r) {
        int rounds = 1 + r.nextInt(3);
        for (int k = 0; k < rounds; k++) {
            List<ContainerNode<?>> containers = new ArrayList<>();
            collect(root, containers);
            ContainerNode<?> parent = containers.get(r.nextInt(containers.size()));
            if (parent instanceof ObjectNode o && o.size() > 0) {
                List<String> names = new ArrayList<>();
                o.fieldNames().forEachRemaining(names::add);
                String name = names.get(r.nextInt(names.size()));
                switch (r.nextInt(4)) {
                    case 0 -> o.remove(name);
                    case 1 -> o.set(name.toUpperCase(), o.remove(name));
                    default -> o.set(name, randomValue(r));
                }
            } else if (parent instanceof ArrayNode a) {
                if (a.size() > 0 && r.nextBoolean()) {
                    a.set(r.nextInt(a.size()), randomValue(r));
                } else {
                    a.add(randomValue(r));
                }
            }
        }
        return root;
    }

    static void collect(JsonNode node, List<ContainerNode<?>> into) {
        if (node instanceof ContainerNode<?> c) {
            into.add(c);
            Iterator<JsonNode> it = node.elements();
            while (it.hasNext()) {
                collect(it.next(), into);
            }
        }
    }

    static JsonNode randomValue(Random r) {
        var f = Json.mapper().getNodeFactory();
        return switch (r.nextInt(10)) {
            case 0 -> f.nullNode();
            case 1 -> f.numberNode(r.nextDouble() * 1e12 - 5e11);
            case 2 -> f.textNode("x".repeat(r.nextInt(5000)));
            case 3 -> f.arrayNode();
            case 4 -> f.objectNode();
            case 5 -> f.booleanNode(r.nextBoolean());
            case 6 -> f.textNode("/subscriptions/" + AlertSamples.SUBSCRIPTION + "/resourcegroups/rg/providers/microsoft.app/containerapps/a" + TOKENS[r.nextInt(TOKENS.length)] + "b");
            case 7 -> f.textNode(List.of("Fired", "Resolved", "Platform", "Log Alerts V2", "Log Analytics", "azureMonitorCommonAlertSchema", "2026-11-27T09:00:00Z", "WorkingSetBytes").get(r.nextInt(8)));
            case 8 -> {
                JsonNode deep = f.arrayNode();
                for (int d = 0; d < 150; d++) {
                    deep = f.arrayNode().add(deep);
                }
                yield deep;
            }
            default -> f.numberNode(r.nextInt());
        };
    }

    static String preview(byte[] body) {
        String s = new String(body, 0, Math.min(body.length, 120), StandardCharsets.UTF_8).replace('\n', ' ');
        return body.length + " bytes: " + s;
    }

}
