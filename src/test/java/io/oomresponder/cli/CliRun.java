package io.oomresponder.cli;

import io.oomresponder.bench.ChildServe;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the CLI as a user would and keeps what they would see: the exit code, stdout and stderr.
 * In-process for commands whose input is all on the command line; as a child JVM when the
 * environment matters (settings, credentials), with an environment holding no oom-responder
 * setting but those given.
 */
record CliRun(int exit, String out, String err) {

    /** The CLI in this JVM, with stdout and stderr captured. */
    static synchronized CliRun inProcess(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int exit = Main.run(args);
            return new CliRun(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /**
     * The CLI in a fresh JVM with only these settings (plus PATH and a HOME with no Azure CLI login).
     * Output is read while the process runs, so a chatty child cannot block on a full pipe, and a
     * child that does not finish within {@code limit} is killed and fails the test.
     */
    static CliRun child(Map<String, String> env, Path home, Duration limit, String... args) {
        List<String> cmd = new ArrayList<>(List.of(ChildServe.javaBinary(), "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> e = pb.environment();
        String path = e.get("PATH");
        e.clear();
        if (path != null) {
            e.put("PATH", path);
        }
        e.put("HOME", home.toString());
        e.putAll(env);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            CompletableFuture<String> out = drain(p.getInputStream());
            CompletableFuture<String> err = drain(p.getErrorStream());
            boolean finished = p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                p.destroyForcibly().waitFor();
            }
            assertThat(finished).as("%s finished within %s; stderr so far: %s", args, limit, err.getNow("")).isTrue();
            return new CliRun(p.exitValue(), out.join(), err.join());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** Reads a stream to its end on a thread of its own (the common pool may have one thread on 2 cores). */
    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }, task -> {
            Thread t = new Thread(task, "cli-run-drain");
            t.setDaemon(true);
            t.start();
        });
    }

    /** The stderr lines the CLI itself wrote as its verdict ("oom-responder CMD: ..."). */
    List<String> failureLines() {
        return err.lines().filter(l -> l.startsWith("oom-responder ")).toList();
    }

    /** One failure line containing {@code text}, and nothing on stderr that looks like a stack trace. */
    CliRun failsWithOneLine(int expectedExit, String text) {
        assertThat(exit).as("exit code; stderr: %s", err).isEqualTo(expectedExit);
        assertThat(failureLines()).as("stderr: %s", err).hasSize(1);
        assertThat(failureLines().get(0)).contains(text);
        assertThat(err).doesNotContain("Exception", "\tat ", "Caused by");
        return this;
    }
}
