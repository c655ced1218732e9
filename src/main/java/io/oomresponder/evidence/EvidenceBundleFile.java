package io.oomresponder.evidence;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oomresponder.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads and writes evidence bundles as JSON files (the format of {@code docs/evidence-bundle.md}). */
public final class EvidenceBundleFile {

    private EvidenceBundleFile() {
    }

    /**
     * Reads a bundle of the version this code understands.
     *
     * @throws UncheckedIOException when the file cannot be read or is not JSON
     * @throws IllegalArgumentException when it is JSON but not a version-1 evidence bundle
     */
    public static EvidenceBundle read(Path file) {
        EvidenceBundle bundle = readIfBundle(file);
        if (bundle == null) {
            throw new IllegalArgumentException(file + " is not an evidence bundle (no schemaVersion, alert or window; see docs/evidence-bundle.md)");
        }
        return bundle;
    }

    /**
     * Reads a bundle in one streaming pass, or answers null when the file is JSON but not meant as a
     * bundle (see {@link #isBundleShaped}). The metric series, nearly all of a big bundle, go straight
     * into their columns; only the small rest (alert, app, logs, ...) passes through a tree, so that
     * the version can be checked before any of it is interpreted. A week of thirty replicas read as one
     * tree took about 400 MB of heap.
     *
     * @throws UncheckedIOException when the file cannot be read or is not JSON
     * @throws IllegalArgumentException when it is meant as a bundle but is not of version 1
     */
    public static EvidenceBundle readIfBundle(Path file) {
        ObjectNode rest = Json.mapper().createObjectNode();
        List<MetricSeries> metrics = null;
        try (JsonParser p = Json.mapper().createParser(file.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
                JsonToken value = p.nextToken();
                if ("metrics".equals(field) && value == JsonToken.START_ARRAY) {
                    metrics = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        metrics.add(p.readValueAs(MetricSeries.class));
                    }
                } else {
                    rest.set(field, p.readValueAsTree());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read evidence bundle " + file + ": " + firstLine(e.getMessage()), e);
        }
        if (!isBundleShaped(rest) && metrics == null) {
            return null;
        }
        if (metrics != null) {
            rest.set("metrics", Json.mapper().createArrayNode()); // the shape check and the version check see a bundle
        }
        EvidenceBundle withoutMetrics = fromTree(rest, file);
        return metrics == null ? withoutMetrics : withoutMetrics.withMetrics(metrics);
    }

    /**
     * Whether this JSON is meant as an evidence bundle: it names a {@code schemaVersion}, or has a
     * bundle's {@code alert} and {@code window}. Other JSON (an alert payload, a diagnosis, a card)
     * is not, and a folder scan skips it.
     */
    public static boolean isBundleShaped(JsonNode tree) {
        return tree != null && tree.isObject() && (tree.has("schemaVersion") || tree.has("alert") && tree.has("window"));
    }

    /**
     * The bundle in this tree. A bundle of another version is refused rather than read as version 1,
     * because version 1's field meanings are the only ones this code knows.
     */
    public static EvidenceBundle fromTree(JsonNode tree, Path file) {
        if (!isBundleShaped(tree)) {
            throw new IllegalArgumentException(file + " is not an evidence bundle (no schemaVersion, alert or window; see docs/evidence-bundle.md)");
        }
        JsonNode version = tree.get("schemaVersion");
        if (version == null || version.isNull()) {
            throw new IllegalArgumentException(file + " has no schemaVersion; an evidence bundle starts with \"schemaVersion\": "
                    + EvidenceBundle.SCHEMA_VERSION + " (docs/evidence-bundle.md)");
        }
        if (!version.isIntegralNumber() || version.asInt() != EvidenceBundle.SCHEMA_VERSION) {
            throw new IllegalArgumentException(file + " has schemaVersion " + version + "; this version of oom-responder reads schemaVersion "
                    + EvidenceBundle.SCHEMA_VERSION + " only (docs/evidence-bundle.md)");
        }
        try {
            return Json.mapper().treeToValue(tree, EvidenceBundle.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new UncheckedIOException("cannot read evidence bundle " + file + ": " + firstLine(e.getMessage()),
                    e instanceof IOException io ? io : new IOException(e));
        }
    }

    public static void write(EvidenceBundle bundle, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Json.mapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), bundle);
        } catch (IOException e) {
            // The cause says why (the CLI puts it into words); the JDK's file exceptions carry only a path.
            throw new UncheckedIOException("cannot write evidence bundle " + file, e);
        }
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse(message);
    }
}
