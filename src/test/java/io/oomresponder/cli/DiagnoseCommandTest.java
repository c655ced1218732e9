package io.oomresponder.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.oomresponder.SharedFiles;
import io.oomresponder.json.Json;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DiagnoseCommandTest {

    private static String run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            assertThat(code).isZero();
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void directoryGivesOneJsonLinePerBundleInFileNameOrder() throws Exception {
        String out = run("diagnose", "--evidence", SharedFiles.root().resolve("evidence-bundle/examples").toString(), "--output", "json");

        List<String> lines = out.lines().toList();
        assertThat(lines).hasSize(3);
        List<String> files = new ArrayList<>();
        for (String l : lines) {
            JsonNode n = Json.mapper().readTree(l);
            Iterator<String> names = n.fieldNames();
            assertThat(names.next()).isEqualTo("file");
            assertThat(names.next()).isEqualTo("verdict");
            files.add(n.get("file").asText());
            assertThat(n.get("path").isArray()).isTrue();
            assertThat(n.get("confidence").asDouble()).isBetween(0.0, 1.0);
        }
        assertThat(files).containsExactly("leak-classic.json", "other-apperror.json", "peak-spike.json");
        assertThat(Json.mapper().readTree(lines.get(0)).get("verdict").asText()).isEqualTo("LEAK_SUSPECTED");
    }

    @Test
    void textIsTheNotesTextRenderingWithThePathQuestionsAnswersAndNumbers() {
        String out = run("diagnose", "--evidence", SharedFiles.example("peak-spike.json").toString());

        assertThat(out).contains("PEAK DEMAND OVER THE MEMORY LIMIT IN CA-BILLING-WORKER").contains("verdict PEAK_DEMAND")
                .contains("PATH  A → B → C → E → F → H → J").contains("C  Does memory grow toward the limit?")
                .contains("memoryKills = ").contains("Still happening?").contains("User impact")
                .contains("$ az containerapp update --name ca-billing-worker");
        // The note's words, not raw doubles or the cause enum.
        assertThat(out).doesNotContainPattern("\\d\\.\\d{6,}E\\d").doesNotContain("Causes: ");
        assertThat(out.indexOf("WHAT TO DO")).as("what to do comes before the flowchart details").isLessThan(out.indexOf("PATH  "));
    }

    @Test
    void markdownIsTheNotesMarkdownWithItsSteps() {
        String out = run("diagnose", "--evidence", SharedFiles.example("other-apperror.json").toString(), "--output", "markdown");

        assertThat(out).contains("## What to do").contains("## Flowchart path").contains("**D** ").contains("`OTHER_CRASH_CAUSE`");
    }

    @Test
    void missingFileIsAnErrorWithoutStackTrace() {
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(Main.run("diagnose", "--evidence", "/nonexistent/bundle.json")).isEqualTo(2);
        } finally {
            System.setErr(oldErr);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no such file").doesNotContain("Exception");
    }
}
