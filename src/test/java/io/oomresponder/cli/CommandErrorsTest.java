package io.oomresponder.cli;

import io.oomresponder.SharedFiles;
import io.oomresponder.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a person sees when a command cannot do its job: one line naming the problem, exit 2 for a
 * wrong invocation (an option, a file it names) and 1 for a failure of the world (a path that
 * cannot be written), and whatever the command had already produced stays.
 */
class CommandErrorsTest {

    @TempDir
    Path tmp;

    private final Path leak = SharedFiles.example("leak-classic.json");

    @Test
    void replayOfAMissingPayloadSaysSoInOneLine() {
        CliRun.inProcess("replay", "--payload", tmp.resolve("missing.json").toString())
                .failsWithOneLine(2, "--payload " + tmp.resolve("missing.json") + ": no such file");
    }

    @Test
    void replayOfAnEvidenceBundleAsPayloadSaysToUseEvidence() {
        CliRun.inProcess("replay", "--payload", leak.toString())
                .failsWithOneLine(2, "--payload " + leak + ": this is an evidence bundle, not an alert payload: use --evidence " + leak);
    }

    @Test
    void aMistypedOptionIsOneLineInTheReadmesFormWithASuggestion() {
        CliRun run = CliRun.inProcess("demo", "--scenaro", "peak/spike");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo("oom-responder demo: unknown option '--scenaro'; did you mean --scenario? (oom-responder demo --help lists the options)");
    }

    @Test
    void aMistypedCommandGetsASuggestionAndAMissingOptionIsNamed() {
        CliRun command = CliRun.inProcess("replya", "--payload", "x.json");
        assertThat(command.exit()).isEqualTo(2);
        assertThat(command.err().strip()).startsWith("oom-responder: unknown command 'replya'; did you mean replay?").doesNotContain("\n");

        CliRun.inProcess("diagnose").failsWithOneLine(2, "oom-responder diagnose: missing required option: '--evidence=FILE|DIR'");
    }

    @Test
    void aMistypedScenarioGetsASuggestionInEveryCommandThatTakesOne() {
        CliRun.inProcess("demo", "--scenario", "leak/clasic", "--out", tmp.toString())
                .failsWithOneLine(2, "oom-responder demo: unknown scenario 'leak/clasic'; did you mean leak/classic?");
        CliRun.inProcess("replay", "--evidence", leak.toString(), "--simulate", "peak/spkie")
                .failsWithOneLine(2, "oom-responder replay: unknown scenario 'peak/spkie'; did you mean peak/spike?");
        CliRun.inProcess("simulate", "--scenario", "healty", "--seed", "1", "--out", tmp.resolve("x.json").toString())
                .failsWithOneLine(2, "oom-responder simulate: unknown scenario 'healty'; did you mean healthy?");
    }

    @Test
    void aScenarioNothingLikeAnyListsTheValidOnesInstead() {
        assertThat(DidYouMean.unknownScenario("zzzzzz")).contains("valid: leak/classic").doesNotContain("did you mean");
        assertThat(DidYouMean.closest("leak/clasic", io.oomresponder.simulator.ScenarioCatalog.names())).contains("leak/classic");
        assertThat(DidYouMean.distance("ab", "ba")).isEqualTo(1);
    }

    @Test
    void replayOfAFolderAsPayloadSaysItIsAFolder() {
        CliRun.inProcess("replay", "--payload", tmp.toString()).failsWithOneLine(2, "is a folder; give one alert payload file");
    }

    @Test
    void replayOfATruncatedBundleSaysItCannotBeRead() throws IOException {
        Path truncated = tmp.resolve("truncated.json");
        Files.write(truncated, java.util.Arrays.copyOf(Files.readAllBytes(leak), 300));

        CliRun.inProcess("replay", "--evidence", truncated.toString()).failsWithOneLine(2, "cannot read evidence bundle " + truncated);
    }

    @Test
    void replayThatCannotSaveItsEvidenceStillPrintsTheNote() throws IOException {
        Path file = Files.writeString(tmp.resolve("A_FILE"), "x");

        CliRun run = CliRun.inProcess("replay", "--evidence", leak.toString(), "--save-evidence", file.resolve("sub/bundle.json").toString())
                .failsWithOneLine(1, file + " is a file, not a folder");

        assertThat(run.out()).contains("verdict LEAK_SUSPECTED");
    }

    @Test
    void demoIntoAFolderUnderAFileSaysWhichIsTheFile() throws IOException {
        Path file = Files.writeString(tmp.resolve("A_FILE"), "x");

        CliRun.inProcess("demo", "--out", file.resolve("sub").toString()).failsWithOneLine(1, file + " is a file, not a folder");
    }

    @Test
    void simulateIntoAnImpossiblePathSaysWhy() throws IOException {
        Path file = Files.writeString(tmp.resolve("A_FILE"), "x");

        CliRun.inProcess("simulate", "--scenario", "leak/classic", "--seed", "3", "--out", file.resolve("sub/b.json").toString())
                .failsWithOneLine(1, file + " is a file, not a folder");
        CliRun.inProcess("simulate", "--corpus", file.resolve("corpus").toString(), "--count", "1")
                .failsWithOneLine(1, file + " is a file, not a folder");
    }

    @Test
    void diagnoseOfAnEmptyFolderIsAnError() {
        CliRun.inProcess("diagnose", "--evidence", tmp.toString()).failsWithOneLine(2, "holds no *.json files");
    }

    @Test
    void diagnoseOfAMissingPathIsAUsageError() {
        CliRun.inProcess("diagnose", "--evidence", tmp.resolve("nope").toString()).failsWithOneLine(2, "no such file or folder");
    }

    @Test
    void aBundleOfAnotherSchemaVersionOrNoneIsRefusedWithWhatIsExpected() throws IOException {
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) Json.mapper().readTree(leak.toFile());
        Path v99 = tmp.resolve("v99.json");
        Json.mapper().writeValue(v99.toFile(), tree.deepCopy().put("schemaVersion", 99));
        Path none = tmp.resolve("none.json");
        var withoutVersion = tree.deepCopy();
        withoutVersion.remove("schemaVersion");
        Json.mapper().writeValue(none.toFile(), withoutVersion);

        CliRun.inProcess("diagnose", "--evidence", v99.toString())
                .failsWithOneLine(2, "has schemaVersion 99; this version of oom-responder reads schemaVersion 1 only");
        CliRun.inProcess("diagnose", "--evidence", none.toString())
                .failsWithOneLine(2, "has no schemaVersion; an evidence bundle starts with \"schemaVersion\": 1");
        CliRun.inProcess("replay", "--evidence", v99.toString()).failsWithOneLine(2, "schemaVersion 99");
    }

    @Test
    void diagnoseOfADemoOutFolderSkipsTheOtherJsonFilesWithANote() throws IOException {
        Files.copy(leak, tmp.resolve("bundle.json"));
        Files.writeString(tmp.resolve("alert.json"), "{\"schemaId\": \"azureMonitorCommonAlertSchema\", \"data\": {}}");
        Files.writeString(tmp.resolve("timings.json"), "{\"gatherMs\": 12}");
        Files.writeString(tmp.resolve("list.json"), "[1, 2]");

        CliRun run = CliRun.inProcess("diagnose", "--evidence", tmp.toString(), "--output", "json");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out().lines()).hasSize(1).allSatisfy(l -> assertThat(l).contains("\"file\":\"bundle.json\"", "LEAK_SUSPECTED"));
        assertThat(run.failureLines()).containsExactly(
                "oom-responder diagnose: skipped alert.json: not an evidence bundle (no schemaVersion, alert or window)",
                "oom-responder diagnose: skipped list.json: not an evidence bundle (no schemaVersion, alert or window)",
                "oom-responder diagnose: skipped timings.json: not an evidence bundle (no schemaVersion, alert or window)");
    }

    @Test
    void diagnoseOfAFolderWithNoBundleAmongItsJsonIsAnError() throws IOException {
        Files.writeString(tmp.resolve("card.json"), "{\"type\": \"AdaptiveCard\"}");

        CliRun run = CliRun.inProcess("diagnose", "--evidence", tmp.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.failureLines()).last().asString().contains("holds no evidence bundles, only other JSON files");
    }
}
