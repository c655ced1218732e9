package io.oomresponder.bench;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/performance.md's figures are the benchmarks' own: each generated block is exactly what its
 * latest recorded run ({@code docs/bench/NAME.txt}, written by {@code bench record NAME}) renders
 * to, and every recorded run has its block. A figure edited by hand, or a run recorded without its
 * block, fails here; the fix is {@code java -jar target/oom-responder.jar bench record NAME ...}.
 * The README's performance table is generated from the same records and carries no figure of its own.
 */
class PerformanceDocTest {

    private static final Path DOCS = Path.of("docs");
    /** A measured figure: a number with a unit of time, size, ratio or rate, or a count out of a count. */
    private static final Pattern FIGURE = Pattern.compile("\\d[\\d,.]*\\s?(?:ms|s|MB|MiB|GB|KB|%|×|x|bundles/s|alerts/s)(?![\\w/])|\\d+/\\d+");

    @Test
    void everyGeneratedBlockIsItsLatestRecordedRun() throws IOException {
        String doc = Files.readString(DOCS.resolve("performance.md"), StandardCharsets.UTF_8);
        List<PerformanceDoc.Run> records = PerformanceDoc.records(DOCS);
        assertThat(records).as("recorded bench runs").isNotEmpty();
        for (PerformanceDoc.Run run : records) {
            String name = run.name();
            assertThat(doc).as("docs/performance.md's block for %s (regenerate: bench record %s ...)", name, name).contains(run.block());
            assertThat(run.output()).as(name + "'s figures").isNotBlank();
            assertThat(run.command()).startsWith("java -jar target/oom-responder.jar bench " + name);
        }
        assertThat(PerformanceDoc.blockNames(doc)).as("every block has its record")
                .containsExactlyInAnyOrderElementsOf(records.stream().map(PerformanceDoc.Run::name).toList());
        Matcher link = Pattern.compile("\\(#bench-([a-z-]+)\\)").matcher(doc);
        while (link.find()) {
            assertThat(PerformanceDoc.blockNames(doc)).as("the block that docs/performance.md links to as #bench-%s", link.group(1)).contains(link.group(1));
        }
    }

    @Test
    void theReadmesPerformanceTableIsGeneratedFromTheRecordedRunsAndHasNoFiguresOfItsOwn() throws IOException {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        List<PerformanceDoc.Run> records = PerformanceDoc.records(DOCS);
        assertThat(readme).as("README's generated performance table (regenerate: bench record NAME ...)")
                .contains(PerformanceDoc.summary(records));
        for (PerformanceDoc.Run run : records) {
            assertThat(PerformanceDoc.headline(run)).as("the lines of %s that README quotes (PerformanceDoc.HEADLINES)", run.name())
                    .isNotEmpty();
        }
        int start = readme.indexOf("\n## Performance\n");
        assertThat(start).as("README's Performance section").isPositive();
        int end = readme.indexOf("\n## ", start + 1);
        String ownText = readme.substring(start, end < 0 ? readme.length() : end).replace(PerformanceDoc.summary(records), "");
        Matcher figure = FIGURE.matcher(ownText);
        assertThat(figure.find() ? figure.group() : null).as("a figure in README's Performance section outside the generated table").isNull();
    }

    @Test
    void theSummaryQuotesEachRunsHeadlineLinesAndEscapesTableCells() {
        PerformanceDoc.Run run = new PerformanceDoc.Run("flood", PerformanceDoc.COMMAND_PREFIX + "flood --seconds 30", Instant.parse("2026-12-06T09:00:00Z"),
                "Linux 6 amd64, 2 cores, 25.3 GB memory, load average 3.4 at the start, Java 17", 1,
                "serve (JVM options [-Xmx256m]) flooded\nserve memory: RSS 94.0 MB | peak 175.0 MB\nnot quoted 12 ms\nhealth after the flood: 200 in 4 ms");
        String table = PerformanceDoc.summary(List.of(run));

        assertThat(PerformanceDoc.headline(run)).containsExactly("serve memory: RSS 94.0 MB | peak 175.0 MB", "health after the flood: 200 in 4 ms");
        assertThat(table).contains("| [`bench flood`](docs/performance.md#bench-flood) | Pipelined health requests",
                "serve memory: RSS 94.0 MB \\| peak 175.0 MB<br>health after the flood: 200 in 4 ms<br>(2026-12-06 09:00 UTC, load average 3.4 on 2 cores, exit 1)",
                "| `bench record flood --seconds 30` |").doesNotContain("not quoted");
        String readme = "# R\n\n## Performance\n\n" + PerformanceDoc.SUMMARY_BEGIN + "| old |\n" + PerformanceDoc.SUMMARY_END + "\nAfter.\n";
        assertThat(PerformanceDoc.withSummary(readme, List.of(run))).isEqualTo("# R\n\n## Performance\n\n" + table + "\nAfter.\n");
        assertThat(PerformanceDoc.withSummary("# R\n", List.of(run))).isEqualTo("# R\n");
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
        String reordered = PerformanceDoc.withBlocks(twice, List.of(other, again));
        assertThat(PerformanceDoc.blockNames(reordered)).containsExactly("storm", "gather");
        assertThat(reordered).contains("Prose.", "Intro.", "## History\n\nOld.").isEqualTo(PerformanceDoc.withBlocks(reordered, List.of(other, again)));
    }
}
