package io.oomresponder.note;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oomresponder.evidence.EvidenceBundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AdaptiveCardTest {

    static List<String> examples() {
        return SampleDiagnoses.examples();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void everyExampleCardFollowsTheRulesAndFitsTeams(String example) {
        NoteContent content = NoteContent.of(SampleDiagnoses.bundle(example), SampleDiagnoses.forExample(example), NoteContext.newIncident());
        ObjectNode card = AdaptiveCard.build(content);

        assertThat(AdaptiveCardRules.problems(card)).isEmpty();
        assertThat(AdaptiveCard.messageBytes(card)).isLessThan(AdaptiveCard.MAX_MESSAGE_BYTES);
        assertThat(card.toString()).doesNotContain("\"trimmed\"");
        record(example + ": " + AdaptiveCard.messageBytes(card) + " bytes\n");
    }

    @Test
    void oversizedEvidenceIsTrimmedBelowTheLimitKeepingVerdictFactsAndActions() {
        EvidenceBundle big = HostileNotes.oversized();
        NoteContent content = NoteContent.of(big, HostileNotes.longDiagnosis(), NoteContext.newIncident());
        ObjectNode full = AdaptiveCard.full(content);
        ObjectNode card = AdaptiveCard.build(content);

        assertThat(AdaptiveCard.messageBytes(card)).isLessThanOrEqualTo(AdaptiveCard.MAX_MESSAGE_BYTES);
        assertThat(AdaptiveCardRules.problems(card)).isEmpty();
        String json = card.toString();
        assertThat(AdaptiveCard.messageBytes(full)).isGreaterThan(AdaptiveCard.MAX_MESSAGE_BYTES);
        assertThat(json).contains("Memory leak suspected", "\"id\":\"facts\"", "\"id\":\"actions\"", "jcmd 1 GC.heap_dump", "\"id\":\"trimmed\"");
        // console excerpts go first
        assertThat(full.toString()).contains("\"id\":\"console\"");
        assertThat(json).doesNotContain("\"id\":\"console\"");
        record(String.format("oversized: full %d bytes, trimmed %d bytes%n", AdaptiveCard.messageBytes(full), AdaptiveCard.messageBytes(card)));
    }

    /** Measured card sizes, for the docs. */
    private static synchronized void record(String line) {
        try {
            java.nio.file.Path out = java.nio.file.Path.of("target", "notes", "card-sizes.txt");
            java.nio.file.Files.createDirectories(out.getParent());
            java.nio.file.Files.writeString(out, line, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void shrinkingToASmallBudgetDropsEvidenceInOrderButNeverTheActions() {
        NoteContent content = NoteContent.of(HostileNotes.oversized(), SampleDiagnoses.leak(), NoteContext.newIncident());
        ObjectNode card = AdaptiveCard.shrink(AdaptiveCard.full(content), 6_000);

        String json = card.toString();
        assertThat(json).doesNotContain("\"id\":\"console\"", "\"id\":\"systemLog\"", "\"id\":\"steps\"", "\"id\":\"gaps\"");
        assertThat(json).contains("\"id\":\"headline\"", "\"id\":\"actions\"", "Capture a heap dump", "az containerapp update");
        assertThat(AdaptiveCardRules.problems(card)).isEmpty();
    }

    @Test
    void untrustedTextIsRedactedAndNeverMarkdownInTheCard() {
        NoteContent content = NoteContent.of(HostileNotes.oversized(), SampleDiagnoses.leak(), NoteContext.newIncident());
        ObjectNode full = AdaptiveCard.full(content);
        String json = full.toString();

        assertThat(json).doesNotContain(HostileNotes.SECRET_TOKEN, "hunter2", "c3VwZXJzZWNyZXRrZXk", "abcdef0123");
        // log lines live only in TextRuns, which Adaptive Cards never parse as Markdown
        JsonNode console = find(full, "console");
        console.path("items").forEach(item -> {
            if (!"TextBlock".equals(item.path("type").asText())) {
                assertThat(item.path("type").asText()).isEqualTo("RichTextBlock");
                assertThat(item.path("inlines").get(0).path("type").asText()).isEqualTo("TextRun");
            }
        });
    }

    @Test
    void teamsMessageWrapsTheCardAsTheWorkflowsTemplateExpects() {
        ObjectNode card = AdaptiveCard.build(NoteContent.of(SampleDiagnoses.bundle("peak-spike.json"), SampleDiagnoses.peak(), NoteContext.newIncident()));
        JsonNode message = AdaptiveCard.teamsMessage(card);

        assertThat(message.path("type").asText()).isEqualTo("message");
        assertThat(message.path("attachments")).hasSize(1);
        JsonNode attachment = message.path("attachments").get(0);
        assertThat(attachment.path("contentType").asText()).isEqualTo("application/vnd.microsoft.card.adaptive");
        assertThat(attachment.has("contentUrl")).isTrue();
        assertThat(attachment.path("contentUrl").isNull()).isTrue();
        assertThat(attachment.path("content")).isEqualTo(card);
    }

    @Test
    void theStructuralCheckCatchesMistakes() {
        ObjectNode card = AdaptiveCard.build(NoteContent.of(SampleDiagnoses.bundle("peak-spike.json"), SampleDiagnoses.peak(), NoteContext.newIncident()));
        card.put("version", "1.6");
        ((ObjectNode) card.withArray("body").get(0)).put("style", "loud");
        card.withArray("body").addObject().put("type", "Table");
        card.withArray("body").addObject().put("type", "Image").put("url", "data:image/png;base64,AAAA");

        assertThat(AdaptiveCardRules.problems(card)).hasSize(4);
    }

    static JsonNode find(JsonNode node, String id) {
        if (id.equals(node.path("id").asText(null))) {
            return node;
        }
        for (JsonNode child : node) {
            JsonNode found = find(child, id);
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}
