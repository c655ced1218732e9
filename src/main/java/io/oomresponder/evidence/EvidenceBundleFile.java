package io.oomresponder.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import io.oomresponder.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
        return fromTree(readTree(file), file);
    }

    /** The file as a JSON tree (to look at it before deciding it is a bundle). */
    public static JsonNode readTree(Path file) {
        try {
            return Json.mapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read evidence bundle " + file + ": " + firstLine(e.getMessage()), e);
        }
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
