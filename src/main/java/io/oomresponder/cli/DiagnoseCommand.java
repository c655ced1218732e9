package io.oomresponder.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oomresponder.diagnosis.Diagnoser;
import io.oomresponder.diagnosis.Diagnosis;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.EvidenceBundleFile;
import io.oomresponder.json.Json;
import io.oomresponder.note.MarkdownRenderer;
import io.oomresponder.note.NoteContent;
import io.oomresponder.note.NoteContext;
import io.oomresponder.note.TextRenderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code diagnose --evidence FILE|DIR [--output text|json|markdown]}: diagnoses saved evidence
 * bundles offline. Text and Markdown are the note's own renderings (the same words as in Teams or a
 * ticket); JSON is the diagnosis. A directory's bundles are diagnosed in parallel and printed in file-name order;
 * JSON output is one object per line per bundle, {@code file} first.
 */
@Command(name = "diagnose", mixinStandardHelpOptions = true, description = "Diagnoses saved evidence bundles offline.")
final class DiagnoseCommand implements Callable<Integer> {

    /** Output formats. */
    enum Output { text, json, markdown }

    @Option(names = "--evidence", required = true, paramLabel = "FILE|DIR", description = "An evidence bundle, or a directory of *.json bundles.")
    Path evidence;

    @Option(names = "--output", defaultValue = "text", paramLabel = "FORMAT", description = "text, json or markdown (default: ${DEFAULT-VALUE}).")
    Output output;

    @Override
    public Integer call() throws IOException {
        List<Path> files = bundleFiles(evidence);
        boolean folder = Files.isDirectory(evidence);
        if (files.isEmpty()) {
            throw CommandFailure.usage(evidence + " holds no *.json files; give an evidence bundle or a folder of them (docs/evidence-bundle.md)");
        }
        Diagnoser diagnoser = new Diagnoser();
        List<Outcome> outcomes = files.parallelStream().map(f -> diagnoseOne(diagnoser, f, folder)).toList();
        PrintStream out = System.out;
        boolean failed = false;
        int diagnosed = 0;
        for (Outcome o : outcomes) {
            String name = folder ? o.file().getFileName().toString() : o.file().toString();
            if (o.skipped()) {
                System.err.println("oom-responder diagnose: skipped " + name + ": not an evidence bundle (no schemaVersion, alert or window)");
                continue;
            }
            if (o.error() != null && !folder) {
                // The one file given is not usable: that is the invocation's fault, said in one line.
                throw CommandFailure.usage(o.error());
            }
            if (o.error() != null) {
                failed = true;
                if (output == Output.json) {
                    ObjectNode n = Json.mapper().createObjectNode();
                    n.put("file", name);
                    n.put("error", o.error());
                    out.println(n);
                } else {
                    System.err.println("oom-responder diagnose: " + name + ": " + o.error());
                }
                continue;
            }
            diagnosed++;
            switch (output) {
                case json -> out.println(json(name, o.diagnosis()));
                // The note's own renderings: what a person reads in the channel, here in the terminal.
                case markdown -> out.println((folder ? "<!-- " + name + " -->\n" : "")
                        + MarkdownRenderer.render(NoteContent.of(o.bundle(), o.diagnosis(), NoteContext.newIncident())));
                case text -> out.println((folder ? "== " + name + "\n" : "")
                        + TextRenderer.render(NoteContent.of(o.bundle(), o.diagnosis(), NoteContext.newIncident())));
            }
        }
        if (diagnosed == 0 && !failed) {
            throw CommandFailure.usage(evidence + " holds no evidence bundles, only other JSON files (docs/evidence-bundle.md)");
        }
        return failed ? 1 : 0;
    }

    /** The bundle files: the file itself, or the directory's *.json files by name. */
    static List<Path> bundleFiles(Path p) throws IOException {
        if (Files.isRegularFile(p)) {
            return List.of(p);
        }
        if (!Files.isDirectory(p)) {
            throw CommandFailure.usage("--evidence " + p + ": no such file or folder");
        }
        try (Stream<Path> s = Files.list(p)) {
            return s.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(".json")
                            && !f.getFileName().toString().equals("labels.json"))
                    .sorted()
                    .toList();
        }
    }

    static String json(String file, Diagnosis d) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("file", file);
        n.setAll((ObjectNode) Json.mapper().valueToTree(d));
        return n.toString();
    }

    /** One file's diagnosis; in a folder, JSON that is not meant as a bundle (demo-out's alert.json, card.json) is skipped. */
    private static Outcome diagnoseOne(Diagnoser diagnoser, Path f, boolean inFolder) {
        try {
            EvidenceBundle bundle = inFolder ? EvidenceBundleFile.readIfBundle(f) : EvidenceBundleFile.read(f);
            if (bundle == null) {
                return new Outcome(f, null, null, null, true);
            }
            return new Outcome(f, bundle, diagnoser.diagnose(bundle), null, false);
        } catch (RuntimeException e) {
            // One bad file must not sink the others; say what is wrong with it, without a stack trace.
            return new Outcome(f, null, null, FailureLine.describe(e), false);
        }
    }

    private record Outcome(Path file, EvidenceBundle bundle, Diagnosis diagnosis, String error, boolean skipped) {
    }
}
