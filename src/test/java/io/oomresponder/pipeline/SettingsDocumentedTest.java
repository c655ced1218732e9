package io.oomresponder.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.oomresponder.json.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The settings the code reads, {@code local.settings.json.example} and the README's configuration
 * table name the same settings, and the example's values are the README's defaults. Engineers add
 * settings in parallel; this keeps the three in step.
 *
 * <p>"The code reads" is found in the sources: every {@link Settings} read ({@code get},
 * {@code duration}, {@code integer}, and {@code SinkSettings.optionalUrl/required/bool}) whose name
 * argument is a literal or a {@code static final String} constant (in the same file or
 * {@code OtherClass.CONSTANT}) with a setting's shape.
 */
class SettingsDocumentedTest {

    /** UPPER_SNAKE with at least one underscore, or the Functions host's AzureWebJobs* names. */
    private static final Pattern SETTING_SHAPE = Pattern.compile("[A-Z][A-Z0-9]*(_[A-Z0-9]+)+|AzureWebJobs\\w*");
    private static final Pattern READ = reads("get|duration|integer", "optionalUrl|required|bool");
    private static final Pattern CONSTANT = Pattern.compile("static final String (\\w+)\\s*=\\s*\"([^\"]*)\"");

    /**
     * Example values that are deliberately not the default, because a local Functions host needs
     * them: Azurite for storage, the Java worker, and every subscription (no real subscription id
     * belongs in an example file).
     */
    private static final Set<String> DEVELOPMENT_VALUES = Set.of("AzureWebJobsStorage", "FUNCTIONS_WORKER_RUNTIME", "ALLOWED_SUBSCRIPTIONS");

    private final Path base = Path.of("").toAbsolutePath();

    @Test
    void everySettingTheCodeReadsIsInTheExampleAndTheReadme() {
        Set<String> code = readByCode(base.resolve("src/main/java"));
        Set<String> example = example().keySet();
        Set<String> readme = readmeDefaults().keySet();

        assertThat(code).as("settings found in the sources (scan sanity)").contains("EVIDENCE_LOOKBACK", "ALERT_CLAIM_LEASE", "NOTE_FILE_DIR");
        assertThat(minus(code, example)).as("read by the code, missing from local.settings.json.example").isEmpty();
        assertThat(minus(code, readme)).as("read by the code, missing from the README configuration table").isEmpty();
        assertThat(minus(example, code)).as("in local.settings.json.example, never read by the code").isEmpty();
        assertThat(minus(readme, code)).as("in the README configuration table, never read by the code").isEmpty();
    }

    @Test
    void theExampleValuesAreTheReadmeDefaults() {
        Map<String, String> defaults = readmeDefaults();
        List<String> disagreements = new ArrayList<>();
        example().forEach((name, value) -> {
            if (value.isEmpty() || DEVELOPMENT_VALUES.contains(name) || !defaults.containsKey(name)) {
                return;
            }
            if (!defaults.get(name).contains("`" + value + "`")) {
                disagreements.add(name + ": example " + value + ", README default " + defaults.get(name));
            }
        });
        assertThat(disagreements).isEmpty();
    }

    @Test
    void theScanFindsLiteralAndConstantNames(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("Names.java"), "final class Names { static final String LEASE = \"SOME_LEASE\"; }");
        Files.writeString(dir.resolve("Reader.java"), """
                final class Reader {
                    static final String URL = "SINK_URL";
                    static final String NOT_READ = "NEVER_READ";
                    void read(Settings settings, Map<String, String> m) {
                        settings.duration("SOME_TIMEOUT", Duration.ZERO);
                        settings.get(Names.LEASE);
                        SinkSettings.optionalUrl(settings, URL, false);
                        m.get("payload");
                        settings.get(name);
                    }
                }
                """);
        assertThat(readByCode(dir)).containsExactlyInAnyOrder("SOME_TIMEOUT", "SOME_LEASE", "SINK_URL");
    }

    /** Settings reads by these {@code Settings} and {@code SinkSettings} methods, capturing the name argument. */
    static Pattern reads(String settingsMethods, String sinkSettingsMethods) {
        String name = "([A-Za-z_][\\w.]*|\"[^\"]*\")";
        return Pattern.compile("\\.(?:" + settingsMethods + ")\\(\\s*" + name
                + (sinkSettingsMethods == null ? "" : "|SinkSettings\\.(?:" + sinkSettingsMethods + ")\\(\\s*\\w+\\s*,\\s*" + name));
    }

    static Set<String> readByCode(Path sources) {
        return readByCode(sources, READ);
    }

    /** The setting names read by {@code read} calls in these sources, literals and constants resolved. */
    static Set<String> readByCode(Path sources, Pattern read) {
        Map<String, String> texts = new HashMap<>();
        try (Stream<Path> files = Files.walk(sources)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> texts.put(f.getFileName().toString().replace(".java", ""), read(f)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Map<String, String>> constants = new HashMap<>();
        texts.forEach((cls, text) -> {
            Map<String, String> own = new HashMap<>();
            Matcher m = CONSTANT.matcher(text);
            while (m.find()) {
                own.put(m.group(1), m.group(2));
            }
            constants.put(cls, own);
        });
        Set<String> names = new TreeSet<>();
        texts.forEach((cls, text) -> {
            Matcher m = read.matcher(text);
            while (m.find()) {
                String arg = m.group(1) != null || m.groupCount() < 2 ? m.group(1) : m.group(2);
                String value;
                if (arg.startsWith("\"")) {
                    value = arg.substring(1, arg.length() - 1);
                } else if (arg.contains(".")) {
                    String[] parts = arg.split("\\.");
                    value = constants.getOrDefault(parts[parts.length - 2], Map.of()).get(parts[parts.length - 1]);
                } else {
                    value = constants.get(cls).get(arg);
                }
                if (value != null && SETTING_SHAPE.matcher(value).matches()) {
                    names.add(value);
                }
            }
        });
        return names;
    }

    private Map<String, String> example() {
        try {
            JsonNode values = Json.mapper().readTree(base.resolve("local.settings.json.example").toFile()).path("Values");
            Map<String, String> out = new LinkedHashMap<>();
            values.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Setting name to its README default cell. A row naming several settings whose default cell
     * lists as many values (separated by ", " or " / ") gives each its own value.
     */
    private Map<String, String> readmeDefaults() {
        String readme = read(base.resolve("README.md"));
        int start = readme.indexOf("\n## Configuration");
        assertThat(start).as("README has a Configuration section").isPositive();
        int end = readme.indexOf("\n#", start + 5);
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : readme.substring(start, end < 0 ? readme.length() : end).split("\n")) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.split("\\|");
            List<String> rowNames = new ArrayList<>();
            Matcher m = Pattern.compile("`([^`]+)`").matcher(cells[1]);
            while (m.find()) {
                if (SETTING_SHAPE.matcher(m.group(1)).matches()) {
                    rowNames.add(m.group(1));
                }
            }
            String defaults = cells[2].trim();
            String[] each = defaults.split(" / ");
            if (each.length != rowNames.size()) {
                each = defaults.split(", ");
            }
            for (int i = 0; i < rowNames.size(); i++) {
                out.put(rowNames.get(i), each.length == rowNames.size() ? each[i].trim() : defaults);
            }
        }
        return out;
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.removeAll(b);
        return out;
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
