package io.oomresponder.evidence;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oomresponder.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

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
     * bundle (see {@link #isBundleShaped}). The parts a big bundle is made of (metric series, console
     * and system logs) go straight into their objects and columns; only the small rest (alert, app,
     * replicas, ...) passes through a tree. A week of thirty replicas read as one tree took about
     * 400 MB of heap. When a streamed part cannot be read, the file is scanned once more without them,
     * so that a file that is not a bundle, or of another version, is still told as such rather than by
     * a detail of its contents.
     *
     * @throws UncheckedIOException when the file cannot be read or is not JSON
     * @throws IllegalArgumentException when it is meant as a bundle but is not of version 1
     */
    public static EvidenceBundle readIfBundle(Path file) {
        ObjectNode rest = Json.mapper().createObjectNode();
        List<MetricSeries> metrics = null;
        List<SystemLogEvent> systemLogs = null;
        List<ConsoleLine> consoleLogs = null;
        try (JsonParser p = Json.mapper().createParser(file.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
                JsonToken value = p.nextToken();
                if (value == JsonToken.START_ARRAY && STREAMED.contains(field)) {
                    try {
                        switch (field) {
                            case "metrics" -> metrics = noNulls(field, p.readValueAs(METRICS));
                            case "systemLogs" -> systemLogs = noNulls(field, p.readValueAs(SYSTEM_LOGS));
                            default -> consoleLogs = noNulls(field, p.readValueAs(CONSOLE_LOGS));
                        }
                    } catch (IOException | RuntimeException e) {
                        RuntimeException error = partUnreadable(file, field, e);
                        if (error == null) {
                            return null;
                        }
                        throw error;
                    }
                    rest.set(field, Json.mapper().createArrayNode()); // the shape check and the version check see the part
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
        EvidenceBundle small = fromTree(rest, file);
        return new EvidenceBundle(small.schemaVersion(), small.alert(), small.window(), small.app(), small.replicas(),
                metrics == null ? small.metrics() : metrics,
                systemLogs == null ? small.systemLogs() : systemLogs,
                consoleLogs == null ? small.consoleLogs() : consoleLogs,
                small.gaps());
    }

    /** The list, or the error naming its first null entry (the bundle holds no null series, event or line). */
    private static <T> List<T> noNulls(String field, List<T> list) throws IOException {
        int at = list.indexOf(null);
        if (at >= 0) {
            throw new IOException("entry " + at + " is null");
        }
        return list;
    }

    /** The parts read straight from the stream, not through a tree. */
    private static final Set<String> STREAMED = Set.of("metrics", "systemLogs", "consoleLogs");
    private static final TypeReference<List<MetricSeries>> METRICS = new TypeReference<>() { };
    private static final TypeReference<List<SystemLogEvent>> SYSTEM_LOGS = new TypeReference<>() { };
    private static final TypeReference<List<ConsoleLine>> CONSOLE_LOGS = new TypeReference<>() { };

    /**
     * The error for a streamed part that cannot be read: the whole file's (another version) when it has
     * one, found by reading it again without the streamed parts, else the part's; null when the file is
     * not meant as a bundle at all.
     */
    private static RuntimeException partUnreadable(Path file, String field, Exception cause) {
        ObjectNode rest = Json.mapper().createObjectNode();
        try (JsonParser p = Json.mapper().createParser(file.toFile())) {
            p.nextToken();
            for (String f = p.nextFieldName(); f != null; f = p.nextFieldName()) {
                p.nextToken();
                if (STREAMED.contains(f)) {
                    p.skipChildren();
                } else {
                    rest.set(f, p.readValueAsTree());
                }
            }
        } catch (IOException e) {
            return new UncheckedIOException("cannot read evidence bundle " + file + ": " + firstLine(e.getMessage()), e);
        }
        if (!isBundleShaped(rest)) {
            return null;
        }
        checkVersion(rest, file);
        return new UncheckedIOException("cannot read evidence bundle " + file + ": " + field + ": " + firstLine(cause.getMessage()),
                cause instanceof IOException io ? io : new IOException(cause));
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
     * Whether this file is meant as an evidence bundle, by {@link #isBundleShaped}'s rule, read from
     * its top-level field names only (a big bundle's series are skipped, not built). False for a file
     * that is not a JSON object or cannot be read.
     */
    public static boolean isBundleShaped(Path file) {
        try (JsonParser p = Json.mapper().createParser(file.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            boolean alert = false;
            boolean window = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if ("schemaVersion".equals(name)) {
                    return true;
                }
                alert |= "alert".equals(name);
                window |= "window".equals(name);
                p.nextToken();
                p.skipChildren();
            }
            return alert && window;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The bundle in this tree. A bundle of another version is refused rather than read as version 1,
     * because version 1's field meanings are the only ones this code knows.
     */
    public static EvidenceBundle fromTree(JsonNode tree, Path file) {
        checkVersion(tree, file);
        try {
            return Json.mapper().treeToValue(tree, EvidenceBundle.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new UncheckedIOException("cannot read evidence bundle " + file + ": " + firstLine(e.getMessage()),
                    e instanceof IOException io ? io : new IOException(e));
        }
    }

    private static void checkVersion(JsonNode tree, Path file) {
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
