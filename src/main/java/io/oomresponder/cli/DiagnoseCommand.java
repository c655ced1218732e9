package io.oomresponder.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oomresponder.diagnosis.Diagnoser;
import io.oomresponder.diagnosis.Diagnosis;
import io.oomresponder.evidence.EvidenceBundleFile;
import io.oomresponder.json.Json;
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
 * bundles offline. A directory's bundles are diagnosed in parallel and printed in file-name order;
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
    public Integer call() {
        List<Path> files;
        try {
            files = bundleFiles(evidence);
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("oom-responder diagnose: " + e.getMessage());
            return 1;
        }
        Diagnoser diagnoser = new Diagnoser();
        List<Outcome> outcomes = files.parallelStream().map(f -> diagnoseOne(diagnoser, f)).toList();
        PrintStream out = System.out;
        boolean failed = false;
        for (Outcome o : outcomes) {
            String name = evidence.toFile().isDirectory() ? o.file().getFileName().toString() : o.file().toString();
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
            switch (output) {
                case json -> out.println(json(name, o.diagnosis()));
                case markdown -> out.println(DiagnosisText.markdown(name, o.diagnosis()));
                case text -> out.println(DiagnosisText.text(name, o.diagnosis()));
            }
        }
        return failed ? 1 : 0;
    }

    /** The bundle files: the file itself, or the directory's *.json files by name. */
    static List<Path> bundleFiles(Path p) throws IOException {
        if (Files.isRegularFile(p)) {
            return List.of(p);
        }
        if (!Files.isDirectory(p)) {
            throw new IllegalArgumentException("no such file or directory: " + p);
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

    private static Outcome diagnoseOne(Diagnoser diagnoser, Path f) {
        try {
            return new Outcome(f, diagnoser.diagnose(EvidenceBundleFile.read(f)), null);
        } catch (RuntimeException e) {
            // One bad file must not sink the others; say what is wrong with it, without a stack trace.
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new Outcome(f, null, msg.lines().findFirst().orElse(msg));
        }
    }

    private record Outcome(Path file, Diagnosis diagnosis, String error) {
    }
}
