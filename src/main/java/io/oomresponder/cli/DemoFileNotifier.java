package io.oomresponder.cli;

import io.oomresponder.delivery.DeliveryException;
import io.oomresponder.delivery.Notifier;
import io.oomresponder.delivery.Receipt;
import io.oomresponder.json.Json;
import io.oomresponder.note.RenderedNote;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Temporary file sink for the demo (card.json, note.md, chart.png). */
final class DemoFileNotifier implements Notifier {
    private final Path dir;

    DemoFileNotifier(Path dir) {
        this.dir = dir;
    }

    @Override
    public String name() {
        return "file";
    }

    @Override
    public Receipt send(RenderedNote note) {
        try {
            Json.mapper().writerWithDefaultPrettyPrinter().writeValue(dir.resolve("card.json").toFile(), note.card());
            Files.writeString(dir.resolve("note.md"), note.markdown());
            if (note.chartPng() != null) {
                Files.write(dir.resolve("chart.png"), note.chartPng());
            }
            return new Receipt(name(), dir.toString());
        } catch (IOException e) {
            throw new DeliveryException(name(), DeliveryException.Reason.OTHER, true, "cannot write to " + dir + ": " + e.getMessage());
        }
    }
}
