package io.oomresponder.evidence;

import io.oomresponder.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads and writes evidence bundles as JSON files. */
public final class EvidenceBundleFile {

    private EvidenceBundleFile() {
    }

    public static EvidenceBundle read(Path file) {
        try {
            return Json.mapper().readValue(file.toFile(), EvidenceBundle.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read evidence bundle " + file + ": " + e.getMessage(), e);
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
            throw new UncheckedIOException("cannot write evidence bundle " + file + ": " + e.getMessage(), e);
        }
    }
}
