package io.oomresponder.diagnosis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.EvidenceBundleFile;
import io.oomresponder.json.Json;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Transforms of a bundle that change nothing that matters to a diagnosis (names, time, memory
 * units, unrelated metadata), applied to the bundle's JSON as another tool would write it, and one
 * that does (a negative control). Independent of the diagnosis: they edit the public format.
 */
final class BundleTransforms {

    /** A named transform. */
    record Transform(String name, UnaryOperator<EvidenceBundle> apply) {
    }

    private static final Pattern INSTANT = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?Z");

    private BundleTransforms() {
    }

    /** Every invariance transform of issue 27 point 5, plus our own. */
    static List<Transform> invariances() {
        return List.of(
                new Transform("rename app, revisions and replicas", BundleTransforms::renamed),
                new Transform("move the window 37 days 5 h 13 min later", b -> shifted(b, Duration.ofDays(37).plusHours(5).plusMinutes(13))),
                new Transform("move the window 400 days earlier", b -> shifted(b, Duration.ofDays(-400))),
                new Transform("scale memory units ×2 (1Gi at 60% reads as 2Gi at 60%)", b -> memoryScaled(b, 2)),
                new Transform("scale memory units ×0.5", b -> memoryScaled(b, 0.5)),
                new Transform("add a KEDA Service Bus rule and a 'connected to queue' line", BundleTransforms::withQueueMetadata),
                new Transform("add ARM tags", BundleTransforms::withTags),
                // Our own:
                new Transform("reverse the order of metric series, replicas and revisions", BundleTransforms::reordered),
                new Transform("add unrelated console chatter", BundleTransforms::withChatter),
                new Transform("rename the alert rule and id", BundleTransforms::alertRenamed));
    }

    /** A transform that changes what matters: memory flattened to its window median. The diagnosis must move. */
    static Transform negativeControl() {
        return new Transform("flatten the working set (negative control)", BundleTransforms::flattened);
    }

    static JsonNode tree(EvidenceBundle b) {
        return Json.mapper().valueToTree(b);
    }

    static EvidenceBundle bundle(JsonNode tree) {
        return EvidenceBundleFile.fromTree(tree, null);
    }

    private static EvidenceBundle viaText(EvidenceBundle b, UnaryOperator<String> edit) {
        try {
            String text = Json.mapper().writeValueAsString(b);
            return bundle(Json.mapper().readTree(edit.apply(text)));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static EvidenceBundle renamed(EvidenceBundle b) {
        // Longest names first: replica names contain revision names, which contain the app name.
        Set<String> names = new LinkedHashSet<>();
        b.replicas().forEach(r -> names.add(r.name()));
        b.metrics().forEach(s -> {
            if (s.podName() != null) {
                names.add(s.podName());
            }
            if (s.revisionName() != null) {
                names.add(s.revisionName());
            }
        });
        b.app().revisions().forEach(r -> names.add(r.name()));
        names.add(b.app().name());
        List<String> sorted = new ArrayList<>(names);
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        return viaText(b, text -> {
            String out = text;
            int k = 0;
            for (String n : sorted) {
                if (n == null || n.length() < 3) {
                    continue;
                }
                out = out.replace(n, "zq" + Integer.toString(k++, 36) + "x" + Integer.toHexString(n.hashCode() & 0xfffff));
            }
            return out;
        });
    }

    static EvidenceBundle shifted(EvidenceBundle b, Duration by) {
        return viaText(b, text -> {
            Matcher m = INSTANT.matcher(text);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(sb, Instant.parse(m.group()).plus(by).toString());
            }
            m.appendTail(sb);
            return sb.toString();
        });
    }

    static EvidenceBundle memoryScaled(EvidenceBundle b, double factor) {
        ObjectNode t = (ObjectNode) tree(b);
        for (JsonNode c : t.path("app").path("containers")) {
            ObjectNode o = (ObjectNode) c;
            if (o.hasNonNull("memoryBytes")) {
                long bytes = Math.round(o.get("memoryBytes").asLong() * factor);
                o.put("memoryBytes", bytes);
                o.put("memory", (bytes / (double) (1L << 30)) + "Gi");
            }
        }
        for (JsonNode s : t.path("metrics")) {
            // Every memory series: the working set and the JVM's own (heap, pools, buffers; unit Bytes).
            if (s.path("name").asText().equals("WorkingSetBytes")
                    || (s.path("name").asText().startsWith("Jvm") && s.path("unit").asText().equals("Bytes"))) {
                scalePoints((ArrayNode) s.get("points"), factor);
            }
        }
        return bundle(t);
    }

    private static void scalePoints(ArrayNode points, double factor) {
        for (JsonNode p : points) {
            if (p.get(1) != null && p.get(1).isNumber()) {
                ((ArrayNode) p).set(1, Json.mapper().getNodeFactory().numberNode(p.get(1).asDouble() * factor));
            }
        }
    }

    /** The flip: a KEDA Service Bus scale rule and one harmless console line about a queue. */
    static EvidenceBundle withQueueMetadata(EvidenceBundle b) {
        ObjectNode t = (ObjectNode) tree(b);
        ObjectNode scale = t.with("app").with("scale");
        ArrayNode rules = scale.withArray("rules");
        ObjectNode rule = rules.addObject();
        rule.put("name", "orders-queue");
        rule.put("type", "azure-servicebus");
        rule.putObject("metadata").put("queueName", "orders").put("messageCount", "100").put("namespace", "sb-shop");
        ArrayNode console = t.withArray("consoleLogs");
        ObjectNode line = Json.mapper().createObjectNode();
        line.put("time", b.window().start().plusSeconds(30).toString());
        line.put("stream", "stdout");
        line.put("message", "connected to queue 'orders'");
        console.insert(0, line);
        return bundle(t);
    }

    /** The reverse: no queue scale rule, no console line about a queue or pending work, no queue metrics. */
    static EvidenceBundle withoutQueueEvidence(EvidenceBundle b) {
        ObjectNode t = (ObjectNode) tree(b);
        ArrayNode rules = (ArrayNode) t.path("app").path("scale").path("rules");
        for (int i = rules.size() - 1; i >= 0; i--) {
            String type = rules.get(i).path("type").asText("").toLowerCase(Locale.ROOT);
            if (!type.equals("http") && !type.equals("tcp") && !type.contains("cpu") && !type.contains("memory")) {
                rules.remove(i);
            }
        }
        ArrayNode console = (ArrayNode) t.path("consoleLogs");
        for (int i = console.size() - 1; i >= 0; i--) {
            String m = console.get(i).path("message").asText("").toLowerCase(Locale.ROOT);
            if (m.contains("queue") || m.contains("pending") || m.contains("backlog") || m.contains("buffer")) {
                console.remove(i);
            }
        }
        ArrayNode metrics = (ArrayNode) t.path("metrics");
        for (int i = metrics.size() - 1; i >= 0; i--) {
            if (metrics.get(i).path("dimensions").has("metricNamespace")) {
                metrics.remove(i);
            }
        }
        return bundle(t);
    }

    static EvidenceBundle withTags(EvidenceBundle b) {
        ObjectNode t = (ObjectNode) tree(b);
        t.with("app").with("tags").put("cost-center", "4711").put("team", "payments-queue").put("env", "prod");
        return bundle(t);
    }

    static EvidenceBundle reordered(EvidenceBundle b) {
        ObjectNode t = (ObjectNode) tree(b);
        reverse((ArrayNode) t.path("metrics"));
        reverse((ArrayNode) t.path("replicas"));
        if (t.path("app").path("revisions").isArray()) {
            reverse((ArrayNode) t.path("app").path("revisions"));
        }
        return bundle(t);
    }

    private static void reverse(ArrayNode a) {
        List<JsonNode> items = new ArrayList<>();
        a.forEach(items::add);
        a.removeAll();
        for (int i = items.size() - 1; i >= 0; i--) {
            a.add(items.get(i));
        }
    }

    static EvidenceBundle withChatter(EvidenceBundle b) {
        ObjectNode t = (ObjectNode) tree(b);
        ArrayNode console = t.withArray("consoleLogs");
        long span = Duration.between(b.window().start(), b.window().end()).getSeconds();
        for (int i = 0; i < 40; i++) {
            ObjectNode line = Json.mapper().createObjectNode();
            line.put("time", b.window().start().plusSeconds(span * i / 40 + 7).toString());
            line.put("stream", "stdout");
            line.put("message", "INFO cache warmed: " + (i * 37 % 101) + " entries, config reloaded from /etc/app/settings.json");
            console.add(line);
        }
        List<JsonNode> lines = new ArrayList<>();
        console.forEach(lines::add);
        lines.sort(Comparator.comparing(n -> n.path("time").asText()));
        console.removeAll();
        console.addAll(lines);
        return bundle(t);
    }

    static EvidenceBundle alertRenamed(EvidenceBundle b) {
        ObjectNode t = (ObjectNode) tree(b);
        ObjectNode a = t.with("alert");
        a.put("rule", "renamed-rule-" + Math.abs(a.path("rule").asText().hashCode()));
        a.put("id", "/subscriptions/x/providers/Microsoft.AlertsManagement/alerts/" + Math.abs(a.path("id").asText().hashCode()));
        return bundle(t);
    }

    /**
     * RestartCount as per-bucket counts instead of Azure's running counter: each sample becomes the
     * rise since the replica's previous sample (the first sample of a replica created before the
     * window, the counter's baseline, becomes 0). A series that already falls is per-bucket: kept.
     */
    static EvidenceBundle perBucketRestartCounts(EvidenceBundle b) {
        ObjectNode t = (ObjectNode) tree(b);
        java.util.Map<String, Instant> created = new java.util.HashMap<>();
        b.replicas().forEach(r -> created.put(r.name(), r.createdAt()));
        for (JsonNode s : t.path("metrics")) {
            if (!s.path("name").asText().equals("RestartCount") || fallsAnywhere(s.get("points"))) {
                continue;
            }
            Instant made = created.get(s.path("dimensions").path("podName").asText());
            boolean inWindow = made != null && !made.isBefore(b.window().start());
            double prev = inWindow ? 0 : Double.NaN;
            for (JsonNode p : s.get("points")) {
                if (p.get(1) == null || !p.get(1).isNumber()) {
                    continue;
                }
                double v = p.get(1).asDouble();
                double rise = prev != prev ? 0 : Math.max(0, v - prev);
                prev = v;
                ((ArrayNode) p).set(1, Json.mapper().getNodeFactory().numberNode(rise));
            }
        }
        return bundle(t);
    }

    /**
     * RestartCount as Azure's running counter: a series that falls (per-bucket counts) becomes the
     * running sum of its buckets from the replica's restarts before the window (ARM's restartCount
     * less the window's restarts, at least 0). A series that does not fall is left as it is.
     */
    static EvidenceBundle runningRestartCounter(EvidenceBundle b) {
        ObjectNode t = (ObjectNode) tree(b);
        java.util.Map<String, Integer> arm = new java.util.HashMap<>();
        b.replicas().forEach(r -> arm.put(r.name(), r.totalRestarts()));
        for (JsonNode s : t.path("metrics")) {
            if (!s.path("name").asText().equals("RestartCount") || !fallsAnywhere(s.get("points"))) {
                continue;
            }
            double inWindow = 0;
            for (JsonNode p : s.get("points")) {
                if (p.get(1) != null && p.get(1).isNumber()) {
                    inWindow += p.get(1).asDouble();
                }
            }
            double counter = Math.max(0, arm.getOrDefault(s.path("dimensions").path("podName").asText(), 0) - inWindow);
            for (JsonNode p : s.get("points")) {
                if (p.get(1) == null || !p.get(1).isNumber()) {
                    continue;
                }
                counter += p.get(1).asDouble();
                ((ArrayNode) p).set(1, Json.mapper().getNodeFactory().numberNode(counter));
            }
        }
        return bundle(t);
    }

    private static boolean fallsAnywhere(JsonNode points) {
        double prev = Double.NaN;
        for (JsonNode p : points) {
            if (p.get(1) == null || !p.get(1).isNumber()) {
                continue;
            }
            double v = p.get(1).asDouble();
            if (prev == prev && v < prev - 0.5) {
                return true;
            }
            prev = v;
        }
        return false;
    }

    static EvidenceBundle flattened(EvidenceBundle b) {
        ObjectNode t = (ObjectNode) tree(b);
        Long limit = b.app().replicaMemoryLimitBytes();
        double level = limit == null ? 1e8 : 0.3 * limit;
        for (JsonNode s : t.path("metrics")) {
            String name = s.path("name").asText();
            if (name.equals("WorkingSetBytes") || name.equals("MemoryPercentage")) {
                double v = name.equals("MemoryPercentage") ? 30 : level;
                for (JsonNode p : s.get("points")) {
                    if (p.get(1) != null && p.get(1).isNumber()) {
                        ((ArrayNode) p).set(1, Json.mapper().getNodeFactory().numberNode(v));
                    }
                }
            }
        }
        // The JVM's own memory (Java metrics) flattened too: each series held at its first value.
        for (JsonNode s : t.path("metrics")) {
            String name = s.path("name").asText();
            if (name.startsWith("Jvm") && (s.path("unit").asText().equals("Bytes") || name.equals("JvmThreadCount"))) {
                Double first = null;
                for (JsonNode p : s.get("points")) {
                    if (p.get(1) != null && p.get(1).isNumber()) {
                        first = first == null ? p.get(1).asDouble() : first;
                        ((ArrayNode) p).set(1, Json.mapper().getNodeFactory().numberNode(first));
                    }
                }
            }
        }
        // Memory no longer grows or peaks, and nothing says a kill was about memory.
        ArrayNode logs = (ArrayNode) t.path("systemLogs");
        for (JsonNode l : logs) {
            ((ObjectNode) l).put("message", l.path("message").asText().replace("OOMKilled", "Error").replace("137", "1"));
        }
        ArrayNode console = (ArrayNode) t.path("consoleLogs");
        for (int i = console.size() - 1; i >= 0; i--) {
            String m = console.get(i).path("message").asText();
            if (RestartEvents.mentionsOom(m) || m.equals("Killed")) {
                console.remove(i);
            }
        }
        return bundle(t);
    }
}
