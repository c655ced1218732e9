package io.oomresponder.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs in {@code mvn verify}, after {@code package}: {@code bin/oom-responder} makes a class-data archive on
 * a one-shot command's first run, uses it on the next, and answers exactly as the plain {@code java -jar} does.
 */
class LauncherIT {

    private record Run(int exit, String out) {
    }

    private static Run launch(Path cache, Map<String, String> extraEnv, String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(concat(Path.of("bin/oom-responder").toAbsolutePath().toString(), args))
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("XDG_CACHE_HOME", cache.toString());
        pb.environment().put("OOM_RESPONDER_JAR", Path.of("target/oom-responder.jar").toAbsolutePath().toString());
        pb.environment().putAll(extraEnv);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("launcher finished").isTrue();
        return new Run(p.exitValue(), out);
    }

    private static String[] concat(String first, String... rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    @Test
    void oneShotCommandsMakeTheArchiveOnceThenUseItAndAnswerAsThePlainJvm(@TempDir Path cache, @TempDir Path work) throws Exception {
        Path bundle = work.resolve("bundle.json");
        Run simulated = launch(cache, Map.of(), "simulate", "--scenario", "leak/classic", "--seed", "3", "--out", bundle.toString());
        assertThat(simulated.exit()).isZero();
        Path archives = cache.resolve("oom-responder");
        try (var files = Files.list(archives)) {
            assertThat(files.filter(f -> f.getFileName().toString().endsWith(".jsa")).toList()).as("archive made by the first run").hasSize(1);
        }

        Run tuned = launch(cache, Map.of(), "diagnose", "--evidence", bundle.toString(), "--output", "json");
        Run plain = launch(cache, Map.of("OOM_RESPONDER_PLAIN_JVM", "1"), "diagnose", "--evidence", bundle.toString(), "--output", "json");

        assertThat(tuned.exit()).isZero();
        assertThat(tuned.out()).contains("\"verdict\"").isEqualTo(plain.out());
        try (var files = Files.list(archives)) {
            assertThat(files.toList()).as("the archive is reused, not made again").hasSize(1);
        }
    }

    @Test
    void aMissingJarIsOneLineAndExitOne(@TempDir Path cache) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of("bin/oom-responder").toAbsolutePath().toString(), "diagnose")
                .redirectErrorStream(true);
        pb.environment().put("XDG_CACHE_HOME", cache.toString());
        pb.environment().put("OOM_RESPONDER_JAR", cache.resolve("missing.jar").toString());
        Process p = pb.start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains("not found").contains("mvn");
    }
}
