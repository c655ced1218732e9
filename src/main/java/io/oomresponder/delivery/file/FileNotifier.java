package io.oomresponder.delivery.file;

import io.oomresponder.delivery.AlertKeys;
import io.oomresponder.delivery.DeliveryException;
import io.oomresponder.delivery.Notifier;
import io.oomresponder.delivery.Receipt;
import io.oomresponder.json.Json;
import io.oomresponder.note.AdaptiveCard;
import io.oomresponder.note.RenderedNote;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Objects;

/**
 * Writes notes to files (one folder per alert: note.md, note.html, note.txt, card.json,
 * teams-message.json, summary.json, chart.png, and the same per kind, e.g. resolution-note.md) or
 * prints the text rendering to standard output. A second send of the same alert overwrites its
 * files: an update, never a duplicate. Files are replaced atomically.
 */
public final class FileNotifier implements Notifier {

    public static final String NAME = "file";

    private final FileConfig config;
    private final PrintStream stdout;

    public FileNotifier(FileConfig config, PrintStream stdout) {
        this.config = Objects.requireNonNull(config, "config");
        this.stdout = Objects.requireNonNull(stdout, "stdout");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Receipt send(RenderedNote note) {
        if (config.stdout()) {
            stdout.println(note.text() != null ? note.text() : note.markdown());
            stdout.println("-".repeat(72));
            stdout.flush();
            return new Receipt(NAME, "stdout");
        }
        Path dir = config.directory().resolve(AlertKeys.shortId(note.alertId()));
        String kind = note.kind().name().toLowerCase(Locale.ROOT).replace('_', '-');
        try {
            Files.createDirectories(dir);
            for (String prefix : new String[]{"", kind + "-"}) {
                write(dir.resolve(prefix + "note.md"), note.markdown());
                write(dir.resolve(prefix + "note.html"), note.html());
                write(dir.resolve(prefix + "note.txt"), note.text());
                if (note.card() != null) {
                    write(dir.resolve(prefix + "card.json"), note.card().toPrettyString());
                    write(dir.resolve(prefix + "teams-message.json"), AdaptiveCard.teamsMessage(note.card()).toPrettyString());
                }
                if (note.summary() != null) {
                    write(dir.resolve(prefix + "summary.json"), Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(note.summary()));
                }
                if (note.chartPng() != null) {
                    write(dir.resolve(prefix + "chart.png"), note.chartPng());
                }
            }
            return new Receipt(NAME, dir.toString());
        } catch (IOException e) {
            throw new DeliveryException(NAME, DeliveryException.Reason.OTHER, true, null,
                    "cannot write note for alert " + note.alertId() + " under " + dir + ": " + e.getClass().getSimpleName(), e);
        }
    }

    private static void write(Path file, String text) throws IOException {
        if (text != null) {
            write(file, text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
