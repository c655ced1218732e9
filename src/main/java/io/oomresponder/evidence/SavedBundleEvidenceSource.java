package io.oomresponder.evidence;

import io.oomresponder.intake.AlertSignal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Evidence from a saved bundle ({@code --evidence FILE}), so replay and diagnose work without
 * Azure. The bundle is returned as saved; the alert passed in is only checked against it, because
 * replaying a bundle under another alert would mix two incidents.
 */
public final class SavedBundleEvidenceSource implements EvidenceSource {

    private final Path file;

    public SavedBundleEvidenceSource(Path file) {
        this.file = Objects.requireNonNull(file, "file");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("evidence bundle " + file + " does not exist");
        }
    }

    /**
     * Reads the bundle.
     *
     * @throws IllegalArgumentException when the bundle belongs to another container app
     * @throws java.io.UncheckedIOException when the file cannot be read as a bundle
     */
    @Override
    public EvidenceBundle gather(AlertSignal alert) {
        EvidenceBundle bundle = EvidenceBundleFile.read(file);
        if (alert != null && !alert.targetResourceId().equalsIgnoreCase(bundle.alert().targetResourceId())) {
            throw new IllegalArgumentException("evidence bundle " + file.getFileName() + " is for "
                    + bundle.alert().targetResourceId() + ", not for the alert's " + alert.targetResourceId());
        }
        return bundle;
    }

    /** The bundle's own alert (replay and diagnose start from it). */
    public AlertSignal alert() {
        return EvidenceBundleFile.read(file).alert();
    }
}
