package io.oomresponder.delivery.file;

import io.oomresponder.config.Settings;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The file/stdout sink: NOTE_FILE_DIR is a directory (one folder per alert) or "-" for standard
 * output. Not secret.
 *
 * @param directory where notes go, or null for standard output
 */
public record FileConfig(Path directory) {

    public static final String DIRECTORY = "NOTE_FILE_DIR";

    public static Optional<FileConfig> from(Settings settings) {
        return settings.get(DIRECTORY).map(v -> new FileConfig("-".equals(v) ? null : Path.of(v)));
    }

    public boolean stdout() {
        return directory == null;
    }
}
