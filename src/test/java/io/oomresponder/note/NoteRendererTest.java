package io.oomresponder.note;

import com.fasterxml.jackson.databind.JsonNode;
import io.oomresponder.evidence.EvidenceBundle;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class NoteRendererTest {

    private final NoteRenderer renderer = new NoteRenderer();

    @Test
    void leakNoteCarriesVerdictFactsActionsAndChart() throws Exception {
        EvidenceBundle bundle = SampleDiagnoses.bundle("leak-classic.json");
        RenderedNote note = renderer.render(bundle, SampleDiagnoses.leak(), NoteContext.newIncident()
                .withRecurrence("3rd memory incident for this app in 7 days; last verdict LEAK_SUSPECTED on revision api-gateway--78f5m0n"));

        assertThat(note.alertId()).isEqualTo(bundle.alert().id());
        assertThat(note.dedupeKey()).isEqualTo(bundle.alert().dedupeKey());
        assertThat(note.title()).isEqualTo("Memory leak suspected in api-gateway");
        assertThat(note.card().get("version").asText()).isEqualTo("1.4");
        assertThat(note.card().toString()).contains("Memory leak suspected", "1 GiB", "100% of limit", "+305 MiB/h",
                "13:40 UTC – 14:10 UTC", "20 restarts, 20 OOM kills", "3 of max 3", "A → B → C → E → F → G → I",
                "jcmd 1 GC.heap_dump", "3rd memory incident");
        assertThat(note.markdown()).contains("## Flowchart path", "growthBytesPerHour = 320000000 (305 MiB)", "## Evidence gaps",
                "az containerapp update -n api-gateway");
        assertThat(note.text()).contains("MEMORY LEAK SUSPECTED IN API-GATEWAY", "WHAT TO DO", "$ az containerapp");
        assertThat(note.html()).contains("<h3>Facts</h3>", "<pre><code>az containerapp update");
        assertThat(note.chartPng()).isNotNull();
        assertThat(note.chartPng()).startsWith(new byte[]{(byte) 0x89, 'P', 'N', 'G'});
        assertThat(AdaptiveCard.messageBytes(note.card())).isLessThan(AdaptiveCard.MAX_MESSAGE_BYTES);

        Path out = Path.of("target", "notes");
        Files.createDirectories(out);
        Files.write(out.resolve("leak-chart.png"), note.chartPng());
        Files.writeString(out.resolve("leak-note.md"), note.markdown());
        Files.writeString(out.resolve("leak-note.txt"), note.text());
        Files.writeString(out.resolve("leak-card.json"), note.card().toPrettyString());
    }

    @Test
    void summaryRoundTripsToTheSameContent() {
        RenderedNote note = renderer.render(SampleDiagnoses.bundle("peak-spike.json"), SampleDiagnoses.peak(), NoteContext.newIncident());
        NoteContent content = NoteRenderer.content(note);
        assertThat(content.verdict()).isEqualTo("PEAK_DEMAND");
        assertThat(content.facts()).extracting(NoteContent.Fact::label).contains("Memory limit", "Traffic", "Replicas", "Still happening?", "User impact");
        assertThat(content.consoleLog()).isNotEmpty();
    }

    @Test
    void aRenderedNoteSurvivesStorageAsJsonForRedelivery() throws Exception {
        RenderedNote note = renderer.render(SampleDiagnoses.bundle("leak-classic.json"), SampleDiagnoses.leak(),
                NoteContext.newIncident().withIncidentId("inc-1").withChartUrl("https://x.test/c.png"));
        String stored = io.oomresponder.json.Json.mapper().writeValueAsString(note);

        RenderedNote back = io.oomresponder.json.Json.mapper().readValue(stored, RenderedNote.class);

        assertThat(back.card()).isEqualTo(note.card());
        assertThat(back.chartPng()).isEqualTo(note.chartPng());
        assertThat(back.markdown()).isEqualTo(note.markdown());
        assertThat(NoteRenderer.content(back)).isEqualTo(NoteRenderer.content(note));
        assertThat(back.incidentId()).isEqualTo("inc-1");
    }

    @Test
    void resolutionNoteSaysHowLongItTookAndIsGreen() {
        RenderedNote note = renderer.render(SampleDiagnoses.bundle("leak-classic.json"), SampleDiagnoses.leak(),
                NoteContext.newIncident().withKind(RenderedNote.Kind.RESOLUTION).withTimeToResolve(Duration.ofMinutes(125)));
        assertThat(note.title()).startsWith("Resolved: ");
        assertThat(note.markdown()).contains("The alert resolved after 2 h 05 min");
        JsonNode headline = note.card().get("body").get(0);
        assertThat(headline.get("style").asText()).isEqualTo("good");
    }

    @Test
    void replayIsMarkedEverywhere() {
        RenderedNote note = renderer.render(SampleDiagnoses.bundle("other-apperror.json"), SampleDiagnoses.other(),
                NoteContext.newIncident().withReplay(true));
        assertThat(note.replay()).isTrue();
        assertThat(note.title()).startsWith("[replay] ");
        assertThat(note.card().toString()).contains("[replay] Not a memory problem");
    }

    @Test
    void chartImageOnlyWithAPublicHttpsUrlAndNeverInline() {
        EvidenceBundle bundle = SampleDiagnoses.bundle("leak-classic.json");
        RenderedNote without = renderer.render(bundle, SampleDiagnoses.leak(), NoteContext.newIncident());
        RenderedNote with = renderer.render(bundle, SampleDiagnoses.leak(), NoteContext.newIncident()
                .withChartUrl("https://example.blob.core.windows.net/charts/a.png?sv=2024&sig=abc"));
        RenderedNote scripted = renderer.render(bundle, SampleDiagnoses.leak(), NoteContext.newIncident().withChartUrl("javascript:alert(1)"));

        assertThat(without.card().toString()).doesNotContain("\"Image\"").doesNotContain("base64");
        assertThat(with.card().toString()).contains("\"type\":\"Image\"", "https://example.blob.core.windows.net/charts/a.png");
        assertThat(scripted.card().toString()).doesNotContain("javascript:");
    }
}
