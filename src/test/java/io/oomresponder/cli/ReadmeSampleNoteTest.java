package io.oomresponder.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's sample note is the demo's note, not a hand-written one: this test runs the demo and
 * compares its text note (excerpted by {@link #excerpt}) with the block between the README's
 * markers. After a change to the note's wording, regenerate the block with
 * {@code mvn -B -q test -Dtest=ReadmeSampleNoteTest -Dreadme.update=true} (the README says so).
 */
class ReadmeSampleNoteTest {

    static final String BEGIN = "<!-- sample-note:begin (generated from the demo; regenerate: mvn -B -q test -Dtest=ReadmeSampleNoteTest -Dreadme.update=true) -->";
    static final String END = "<!-- sample-note:end -->";
    static final String ELIDED_PATH = "  ... each step with its question, answer and deciding numbers ...";
    static final String ELIDED_REST = "... findings, evidence gaps, the redacted system log lines and links follow ...";

    @Test
    void theReadmesSampleNoteIsTheDemosNote(@TempDir Path out) throws IOException {
        assertThat(Main.run("demo", "--out", out.toString())).isZero();
        String note = Files.readString(out.resolve("note.txt"), StandardCharsets.UTF_8);
        String generated = block(excerpt(note));
        Path readme = Path.of("README.md");
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        assertThat(begin).as("README.md has the sample-note markers").isNotNegative();
        assertThat(end).isGreaterThan(begin);
        String current = text.substring(begin, end + END.length());
        if (Boolean.getBoolean("readme.update") && !current.equals(generated)) {
            Files.writeString(readme, text.substring(0, begin) + generated + text.substring(end + END.length()), StandardCharsets.UTF_8);
            current = generated;
        }
        assertThat(current).as("README's sample note against the demo's; regenerate: mvn -B -q test -Dtest=ReadmeSampleNoteTest -Dreadme.update=true")
                .isEqualTo(generated);
    }

    @Test
    void theExcerptKeepsTheHeadVerbatimAndCutsEachStepToItsHeadlineAndCommands() {
        String note = String.join("\n",
                "TITLE", "", "FACTS", "  Memory limit  1 GiB", "", "WHY   because", "",
                "PATH  A → B ⇒ x", "  A  question -> answer", "     figure = 1", "",
                "WHAT TO DO", "  1. Fix it — long explanation.", "     $ az containerapp show", "  2. Watch — more.", "",
                "FINDINGS", "  - something", "");

        assertThat(excerpt(note)).containsExactly(
                "TITLE", "", "FACTS", "  Memory limit  1 GiB", "", "WHY   because", "",
                "PATH  A → B ⇒ x", ELIDED_PATH, "",
                "WHAT TO DO", "  1. Fix it", "     $ az containerapp show", "  2. Watch", "",
                ELIDED_REST);
    }

    /**
     * The part of the demo's text note the README shows: everything up to the path verbatim, the
     * path's first line, each step to do by its headline and its commands, and the rest elided.
     */
    static List<String> excerpt(String note) {
        List<String> lines = note.lines().toList();
        List<String> kept = new ArrayList<>();
        int i = 0;
        while (i < lines.size() && !lines.get(i).startsWith("PATH")) {
            kept.add(lines.get(i++));
        }
        if (i < lines.size()) {
            kept.add(lines.get(i++));
            kept.add(ELIDED_PATH);
            kept.add("");
        }
        while (i < lines.size() && !lines.get(i).startsWith("WHAT TO DO")) {
            i++;
        }
        if (i < lines.size()) {
            kept.add(lines.get(i++));
            for (; i < lines.size() && !lines.get(i).isBlank(); i++) {
                String line = lines.get(i);
                if (line.strip().startsWith("$ ")) {
                    kept.add(line);
                } else if (line.matches(" {2}\\d+\\. .*")) {
                    int dash = line.indexOf(" — ");
                    kept.add(dash < 0 ? line : line.substring(0, dash));
                }
            }
            kept.add("");
        }
        kept.add(ELIDED_REST);
        return kept;
    }

    static String block(List<String> excerpt) {
        return BEGIN + "\n```\n" + String.join("\n", excerpt) + "\n```\n" + END;
    }
}
