package io.oomresponder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A clone has the repository and nothing beside it: no source, script, CI file or the pom may
 * reach for the team's reference folder next to the project. Everything the tests and the product
 * read lives in the project (see {@link SharedFiles}).
 */
class StandaloneProjectTest {

    /**
     * The folder named "shared" beside the project (or the team's absolute copy of it), written as
     * a parent-relative path with either separator, as the absolute path, or as path segments
     * passed to {@code Path.of}. Character classes keep this file from matching itself.
     */
    private static final Pattern OUTSIDE_FOLDER = Pattern.compile(
            "\\.\\.[/\\\\]shared\\b|/work/[s]hared\\b|\"\\.\\.\"\\s*,\\s*\"shared\"");

    @Test
    void noSourceScriptCiFileOrPomMentionsTheFolderBesideTheProject() {
        Path base = Path.of("").toAbsolutePath();
        assertThat(base.resolve("pom.xml")).as("tests run from the project folder").isRegularFile();
        List<Path> roots = Stream.of("src", "scripts", ".ci", "pom.xml").map(base::resolve).filter(Files::exists).toList();

        List<String> offenders = mentions(roots);

        assertThat(offenders).as("files that read outside the project").isEmpty();
    }

    @Test
    void theScanFindsEachSpellingOfTheOutsideFolder(@TempDir Path dir) throws IOException {
        String up = "..";
        Files.writeString(dir.resolve("a.sh"), "cat " + up + "/shared/contracts/x.json\n");
        Files.writeString(dir.resolve("b.java"), "Path p = Path.of(\"" + up + "\", \"shared\");\n");
        Files.writeString(dir.resolve("c.xml"), "<dir>${project.basedir}/" + up + "\\shared</dir>\n");
        Files.writeString(dir.resolve("d.txt"), "/work/" + "shared/notes/x.md\n");
        Files.writeString(dir.resolve("e.txt"), "a shared executor and shared/notes are fine\n");

        List<String> offenders = mentions(List.of(dir));

        assertThat(offenders).hasSize(4).noneMatch(o -> o.contains("e.txt"));
    }

    /** "path:line" of every line matching {@link #OUTSIDE_FOLDER} under the given files and folders. */
    static List<String> mentions(List<Path> roots) {
        List<String> found = new ArrayList<>();
        for (Path root : roots) {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(Files::isRegularFile).sorted().forEach(f -> {
                    // ISO-8859-1 decodes any byte, so binary files (chart PNGs) cannot break the scan.
                    String[] lines = read(f).split("\n", -1);
                    for (int i = 0; i < lines.length; i++) {
                        if (OUTSIDE_FOLDER.matcher(lines[i]).find()) {
                            found.add(f + ":" + (i + 1) + ": " + lines[i].strip());
                        }
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return found;
    }

    private static String read(Path f) {
        try {
            return new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
