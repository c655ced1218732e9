package io.oomresponder.bench;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/performance.md's figures are the benchmarks' own: each generated block is exactly what its
 * latest recorded run ({@code docs/bench/NAME.txt}, written by {@code bench record NAME}) renders
 * to, and every recorded run has its block. A figure edited by hand, or a run recorded without its
 * block, fails here; the fix is {@code java -jar target/oom-responder.jar bench record NAME ...}.
 */
class PerformanceDocTest {

    private static final Path DOCS = Path.of("docs");

    @Test
    void everyGeneratedBlockIsItsLatestRecordedRun() throws IOException {
        String doc = Files.readString(DOCS.resolve("performance.md"), StandardCharsets.UTF_8);
        List<Path> records;
        try (Stream<Path> files = Files.list(DOCS.resolve("bench"))) {
            records = files.filter(f -> f.getFileName().toString().endsWith(".txt")).sorted().toList();
        }
        assertThat(records).as("recorded bench runs").isNotEmpty();
        for (Path record : records) {
            String name = record.getFileName().toString().replaceFirst("\\.txt$", "");
            PerformanceDoc.Run run = PerformanceDoc.Run.parse(name, Files.readString(record, StandardCharsets.UTF_8));
            assertThat(doc).as("docs/performance.md's block for %s (regenerate: bench record %s ...)", name, name).contains(run.block());
            assertThat(run.output()).as(name + "'s figures").isNotBlank();
            assertThat(run.command()).startsWith("java -jar target/oom-responder.jar bench " + name);
        }
        assertThat(PerformanceDoc.blockNames(doc)).as("every block has its record")
                .containsExactlyInAnyOrderElementsOf(records.stream().map(r -> r.getFileName().toString().replaceFirst("\\.txt$", "")).toList());
    }

    @Test
    void aRecordedRunReplacesItsOwnBlockAndLeavesTheRestOfTheDocAlone() {
        PerformanceDoc.Run first = new PerformanceDoc.Run("gather", "java -jar target/oom-responder.jar bench gather", Instant.parse("2026-12-06T08:00:00Z"),
                "Linux, 2 cores", 0, "first  300  1400");
        PerformanceDoc.Run other = new PerformanceDoc.Run("storm", "java -jar target/oom-responder.jar bench storm", Instant.parse("2026-12-06T08:05:00Z"),
                "Linux, 2 cores", 1, "storm figures");
        String doc = "# Performance\n\nProse.\n\n" + PerformanceDoc.SECTION + "\n\nIntro.\n\n## History\n\nOld.\n";
        String once = PerformanceDoc.withBlock(PerformanceDoc.withBlock(doc, first), other);
        PerformanceDoc.Run again = new PerformanceDoc.Run("gather", first.command(), Instant.parse("2026-12-06T09:00:00Z"), "Linux, 2 cores", 0,
                "first  300  1300");
        String twice = PerformanceDoc.withBlock(once, again);

        assertThat(twice).contains(again.block(), other.block(), "Prose.", "Intro.", "## History\n\nOld.").doesNotContain(first.block());
        assertThat(twice.indexOf(again.block())).isLessThan(twice.indexOf("## History"));
        assertThat(PerformanceDoc.blockNames(twice)).containsExactly("gather", "storm");
        assertThat(other.block()).contains("(exit 1)", "2026-12-06 08:05 UTC");
        assertThat(PerformanceDoc.Run.parse("storm", other.record())).isEqualTo(other);
    }
}
