package io.oomresponder.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code bench record NAME [ARGS...]}: runs {@code bench NAME ARGS} and records what it printed, so
 * the performance figures in the docs are the benchmarks' own: {@code docs/bench/NAME.txt} holds the
 * latest run (command, date, machine, exit code, output) and {@code docs/performance.md} its
 * generated block ({@link PerformanceDoc}); {@code PerformanceDocTest} checks that the two agree.
 */
@Command(name = "record", mixinStandardHelpOptions = true,
        description = "Runs a bench subcommand and records its figures in docs/bench/NAME.txt and the generated block of docs/performance.md.")
public final class BenchRecord implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The bench subcommand to run and record (e.g. gather).")
    String name;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "Its options, as given to it.")
    List<String> args = new ArrayList<>();

    @Option(names = "--docs", defaultValue = "docs", paramLabel = "DIR", description = "The docs folder to write into (default ${DEFAULT-VALUE}).")
    Path docs;

    @Option(names = "--regenerate", description = "Run nothing: rewrite every generated block and the README's table from the records in docs/bench (after a merge, say).")
    boolean regenerate;

    @Override
    public Integer call() throws Exception {
        if (regenerate) {
            return regenerate();
        }
        if (name == null || name.equals("record") || !new CommandLine(new BenchCommand()).getSubcommands().containsKey(name)) {
            System.err.println("oom-responder bench record: no bench named '" + name + "'");
            return 2;
        }
        Path doc = docs.resolve("performance.md");
        if (!Files.isRegularFile(doc)) {
            System.err.println("oom-responder bench record: " + doc + " not found (run from the repository, or pass --docs)");
            return 2;
        }
        List<String> argv = new ArrayList<>(List.of(name));
        argv.addAll(args);
        String command = "java -jar target/oom-responder.jar bench " + String.join(" ", argv);
        String machine = PerformanceDoc.machine();
        Instant started = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        try (PrintStream tee = new PrintStream(new Tee(original, captured), true, StandardCharsets.UTF_8)) {
            System.setOut(tee);
            exit = new CommandLine(new BenchCommand()).execute(argv.toArray(String[]::new));
        } finally {
            System.setOut(original);
        }
        PerformanceDoc.Run run = new PerformanceDoc.Run(name, command, started, machine, exit,
                captured.toString(StandardCharsets.UTF_8).replace("\r\n", "\n").lines().map(String::stripTrailing)
                        .collect(java.util.stream.Collectors.joining("\n")).strip());
        Files.createDirectories(docs.resolve("bench"));
        Files.writeString(docs.resolve("bench").resolve(name + ".txt"), run.record(), StandardCharsets.UTF_8);
        Files.writeString(doc, PerformanceDoc.withBlock(Files.readString(doc, StandardCharsets.UTF_8), run), StandardCharsets.UTF_8);
        System.err.printf(Locale.ROOT, "recorded %s (exit %d) in %s and %s%n", name, exit, docs.resolve("bench").resolve(name + ".txt"), doc);
        writeReadmeSummary();
        if (PerformanceDoc.headline(run).isEmpty()) {
            System.err.println("oom-responder bench record: none of " + name + "'s lines is quoted in the README (PerformanceDoc.HEADLINES)");
        }
        return exit;
    }

    private int regenerate() throws java.io.IOException {
        Path doc = docs.resolve("performance.md");
        if (!Files.isRegularFile(doc) || !Files.isDirectory(docs.resolve("bench"))) {
            System.err.println("oom-responder bench record: " + doc + " or its bench records not found (run from the repository, or pass --docs)");
            return 2;
        }
        String text = PerformanceDoc.withBlocks(Files.readString(doc, StandardCharsets.UTF_8), PerformanceDoc.records(docs));
        Files.writeString(doc, text, StandardCharsets.UTF_8);
        writeReadmeSummary();
        return 0;
    }

    /** The README beside the docs folder gets its generated performance table from every record. */
    private void writeReadmeSummary() throws java.io.IOException {
        Path readme = docs.toAbsolutePath().normalize().getParent().resolve("README.md");
        if (!Files.isRegularFile(readme)) {
            return;
        }
        String before = Files.readString(readme, StandardCharsets.UTF_8);
        if (!before.contains(PerformanceDoc.SUMMARY_BEGIN)) {
            System.err.println("oom-responder bench record: " + readme + " has no generated performance table; left alone");
            return;
        }
        Files.writeString(readme, PerformanceDoc.withSummary(before, PerformanceDoc.records(docs)), StandardCharsets.UTF_8);
    }

    /** Writes to both streams. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws java.io.IOException {
            a.flush();
            b.flush();
        }
    }
}
