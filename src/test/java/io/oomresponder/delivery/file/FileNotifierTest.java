package io.oomresponder.delivery.file;

import io.oomresponder.delivery.Notes;
import io.oomresponder.delivery.Receipt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class FileNotifierTest {

    @TempDir
    Path dir;

    @Test
    void writesEveryRenderingIntoOneFolderPerAlertAndOverwritesOnResend() throws Exception {
        FileNotifier sink = new FileNotifier(new FileConfig(dir), System.out);

        Receipt first = sink.send(Notes.leak());
        Receipt second = sink.send(Notes.leak());
        sink.send(Notes.leakResolved());

        assertThat(first.reference()).isEqualTo(second.reference());
        try (var folders = Files.list(dir)) {
            assertThat(folders.toList()).hasSize(1);
        }
        Path folder = Path.of(first.reference());
        assertThat(folder.getFileName().toString()).isEqualTo("ef192851-7a8c-fc1e-b38f-18b975c81f24");
        assertThat(folder.resolve("note.md")).content().startsWith("# Resolved: ");
        assertThat(folder.resolve("new-incident-note.md")).content().startsWith("# Memory leak suspected");
        assertThat(folder.resolve("card.json")).exists();
        assertThat(folder.resolve("teams-message.json")).content().contains("application/vnd.microsoft.card.adaptive");
        assertThat(Files.readAllBytes(folder.resolve("chart.png"))).startsWith((byte) 0x89, (byte) 'P');
        try (var files = Files.list(folder)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void stdoutPrintsTheTextNote() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new FileNotifier(new FileConfig(null), new PrintStream(out, true, StandardCharsets.UTF_8)).send(Notes.leak());
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("MEMORY LEAK SUSPECTED IN API-GATEWAY", "WHAT TO DO");
    }
}
