package io.oomresponder.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.oomresponder.json.Json;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs Microsoft's Kusto parser (npm {@code @kusto/language-service-next}, through
 * {@code src/test/resources/kql/analyse.js}) on queries against declared table schemas, in one
 * node process per call (starting node is most of the cost).
 */
public final class KustoAnalysis {

    private KustoAnalysis() {
    }

    /**
     * The diagnostics of each query, as "Severity CODE message", in query order.
     *
     * @param tables table name to schema text {@code (Column:type, ...)}
     */
    public static List<List<String>> diagnostics(Map<String, String> tables, List<String> queries) throws Exception {
        Path project = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        Process node = new ProcessBuilder("node", project.resolve("src/test/resources/kql/analyse.js").toString())
                .directory(project.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        node.getOutputStream().write(Json.mapper().writeValueAsBytes(Map.of("tables", tables, "queries", queries)));
        node.getOutputStream().close();
        byte[] out = node.getInputStream().readAllBytes();
        assertThat(node.waitFor(120, TimeUnit.SECONDS)).as("node finished").isTrue();
        assertThat(node.exitValue()).as(new String(out, StandardCharsets.UTF_8)).isZero();
        List<List<String>> result = new ArrayList<>();
        for (JsonNode perQuery : Json.mapper().readTree(out)) {
            List<String> d = new ArrayList<>();
            perQuery.forEach(x -> d.add(x.get("severity").asText() + " " + x.get("code").asText() + " " + x.get("message").asText()));
            result.add(d);
        }
        assertThat(result).hasSize(queries.size());
        return result;
    }
}
