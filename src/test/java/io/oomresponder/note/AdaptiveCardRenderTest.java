package io.oomresponder.note;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oomresponder.json.Json;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Renders the cards with Microsoft's Adaptive Cards JS renderer (npm adaptivecards 3.0.6) in
 * headless Chromium: every card must parse against schema version 1.4 without a single parse or
 * validation event, render into the DOM, and the screenshots land in target/cards/.
 *
 * <p>Skipped only when Chromium is not installed ({@code apt-get install -y chromium}); CI
 * installs it. The renderer comes from {@code node_modules} (CI runs {@code npm ci} first).
 */
class AdaptiveCardRenderTest {

    private static final Path OUT = Path.of("target", "cards");
    private static final Duration CHROMIUM_TIMEOUT = Duration.ofSeconds(90);
    private static Path chromium;
    private static Path renderer;

    @BeforeAll
    static void findTools() {
        chromium = findChromium();
        Assumptions.assumeTrue(chromium != null,
                "Chromium not found (looked at $CHROMIUM, /usr/bin/chromium, /usr/bin/chromium-browser and PATH): install it with `apt-get install -y chromium` to run the Adaptive Card render test");
        renderer = Path.of("node_modules", "adaptivecards", "dist", "adaptivecards.min.js").toAbsolutePath();
        assertThat(renderer).as("Adaptive Cards renderer missing: run `npm ci` in the project root").exists();
    }

    @Test
    void everyCardRendersWithoutParseOrValidationEventsInMicrosoftsRenderer() throws Exception {
        Map<String, ObjectNode> cards = sampleCards();
        Path page = writePage(cards, "all");

        String dom = runChromium("--dump-dom", page);

        assertThat(dom).as("renderer output:\n%s", between(dom, "<pre id=\"events\">", "</pre>"))
                .contains("data-rendered=\"ok\"");
        assertThat(dom).as("a broken card must be reported by the same check").contains("data-canary=\"caught\"");
        // every card rendered its facts, with our headline text in the DOM
        assertThat(dom.split("class=\"ac-factset\"", -1).length - 1).isEqualTo(cards.size());
        assertThat(dom).contains("Memory leak suspected", "Peak demand over the memory limit", "Not a memory problem", "ac-factset");
        // hostile console text was not turned into markup
        assertThat(dom).doesNotContain("<script>alert").doesNotContain("href=\"javascript:");
    }

    @Test
    void screenshotsOfTheSampleCards() throws Exception {
        Map<String, ObjectNode> cards = sampleCards();
        List<Path> shots = new ArrayList<>();
        List<java.util.concurrent.Callable<String>> runs = new ArrayList<>();
        for (String name : List.of("leak-classic", "leak-classic-details", "peak-spike")) {
            Path page = writePage(Map.of(name, cards.get(name)), name);
            Path png = OUT.resolve(name + ".png").toAbsolutePath();
            Files.deleteIfExists(png);
            runs.add(() -> runChromium("--screenshot=" + png, page));
            shots.add(png);
        }
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (var f : pool.invokeAll(runs)) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        for (Path png : shots) {
            assertThat(png).exists();
            byte[] bytes = Files.readAllBytes(png);
            assertThat(bytes.length).as(png + " size").isGreaterThan(5_000);
            assertThat(new String(bytes, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
        }
    }

    /**
     * Every scenario's card as it is sent: the chart drawn, uploaded to the simulator's blob storage
     * through ChartPublisher (user-delegation SAS), and the card built around the link. Chromium
     * renders each card with Microsoft's renderer, with no parse or validation event, and loads
     * every chart image over HTTPS from the link (the loopback certificate is self-signed, hence
     * --ignore-certificate-errors); the leak card's screenshot is the one docs/note.md shows.
     */
    @Test
    void everyScenariosCardShowsItsChartImageFromTheBlobLink() throws Exception {
        java.time.Clock clock = java.time.Clock.systemUTC();
        Map<String, ObjectNode> cards = new LinkedHashMap<>();
        Map<String, Integer> bytes = new LinkedHashMap<>();
        try (var azure = io.oomresponder.simulator.azure.FakeAzure.start(List.of(), 0, clock)) {
            var publisher = io.oomresponder.delivery.ChartPublisher.fromSettings(new io.oomresponder.config.Settings(azure.clientSettings()), clock)
                    .orElseThrow();
            NoteRenderer renderer = new NoteRenderer();
            io.oomresponder.diagnosis.Diagnoser diagnoser = new io.oomresponder.diagnosis.Diagnoser();
            for (var scenario : io.oomresponder.simulator.ScenarioCatalog.scenarios()) {
                var bundle = io.oomresponder.simulator.ScenarioCatalog.generate(scenario, ScenarioCards.SEED,
                        io.oomresponder.simulator.ScenarioOverrides.NONE).truth();
                var diagnosis = diagnoser.diagnose(bundle);
                RenderedNote drawn = renderer.render(bundle, diagnosis, NoteContext.newIncident());
                String link = publisher.publish(drawn, drawn.chartPng()).orElseThrow();
                RenderedNote sent = renderer.render(bundle, diagnosis, NoteContext.newIncident().withChartUrl(link), drawn.chartPng());
                String name = "chart-" + scenario.scenarioName().replace('/', '-');
                cards.put(name, (ObjectNode) sent.card());
                bytes.put(name, AdaptiveCard.messageBytes(sent.card()));
            }
            Path page = writePage(cards, "scenario-charts");
            String dom = runChromium("--dump-dom", page, "--ignore-certificate-errors", "--virtual-time-budget=20000");

            assertThat(dom).as("renderer output:\n%s", between(dom, "<pre id=\"events\">", "</pre>")).contains("data-rendered=\"ok\"");
            assertThat(dom).as("images: %s", between(dom, "<pre id=\"images\">", "</pre>"))
                    .contains("data-images-loaded=\"" + cards.size() + "\"").contains("data-images-failed=\"0\"");
            bytes.forEach((name, size) -> assertThat(size).as(name + " Teams message bytes").isLessThan(AdaptiveCard.MAX_MESSAGE_BYTES));
            // Every leak card shows what to do now and the fix, labelled, within its 28 KB (issue 28).
            for (var e : cards.entrySet()) {
                if (e.getKey().startsWith("chart-leak")) {
                    String card = e.getValue().toString();
                    assertThat(card).as(e.getKey()).contains(". Now: ").contains(". Fix (owning team): ");
                }
            }
            assertThat(dom).as("the labels as rendered").contains("Now: ").contains("Fix (owning team): ");
            // The Java cases (issue 31): the JVM's facts are rendered beside the container limit.
            assertThat(dom).contains("Heap (JVM)").contains("heap limit").contains("Heap after GC").contains("Outside the heap")
                    .contains("JVM vs container").contains("Java OutOfMemoryError");

            Path jvm = writePage(Map.of("jvm-heap-leak", cards.get("chart-jvm-heap-leak")), "jvm-heap-leak-chart");
            Path jvmPng = OUT.resolve("jvm-heap-leak-chart.png").toAbsolutePath();
            Files.deleteIfExists(jvmPng);
            runChromium("--screenshot=" + jvmPng, jvm, "--ignore-certificate-errors", "--virtual-time-budget=20000", "--window-size=464,1500");
            assertThat(Files.size(jvmPng)).isGreaterThan(20_000);

            Path leak = writePage(Map.of("leak-classic", cards.get("chart-leak-classic")), "leak-classic-chart");
            Path png = OUT.resolve("leak-classic-chart.png").toAbsolutePath();
            Files.deleteIfExists(png);
            runChromium("--screenshot=" + png, leak, "--ignore-certificate-errors", "--virtual-time-budget=20000", "--window-size=464,1500");
            assertThat(Files.size(png)).isGreaterThan(20_000);
            Files.writeString(OUT.resolve("scenario-card-bytes.txt"), bytes.toString());
        }
    }

    /** The three example cards, the leak card with its details open, a resolution and an oversized (trimmed) card. */
    private static Map<String, ObjectNode> sampleCards() {
        Map<String, ObjectNode> cards = new LinkedHashMap<>();
        for (String example : SampleDiagnoses.examples()) {
            NoteContext context = example.startsWith("leak")
                    ? NoteContext.newIncident().withRecurrence("3rd memory incident for this app in 7 days; last verdict LEAK_SUSPECTED on revision api-gateway--78f5m0n")
                    .withChartUrl("https://example.invalid/chart.png")
                    : NoteContext.newIncident();
            cards.put(example.replace(".json", ""), AdaptiveCard.build(NoteContent.of(SampleDiagnoses.bundle(example), SampleDiagnoses.forExample(example), context)));
        }
        ObjectNode details = cards.get("leak-classic").deepCopy();
        // show the folded evidence, as after a tap on "Details"
        details.withArray("body").forEach(e -> {
            if ("details".equals(e.path("id").asText())) {
                ((ObjectNode) e).put("isVisible", true);
            }
        });
        cards.put("leak-classic-details", details);
        cards.put("leak-resolved", AdaptiveCard.build(NoteContent.of(SampleDiagnoses.bundle("leak-classic.json"), SampleDiagnoses.leak(),
                NoteContext.newIncident().withKind(RenderedNote.Kind.RESOLUTION).withTimeToResolve(Duration.ofMinutes(95)))));
        cards.put("oversized", AdaptiveCard.build(NoteContent.of(HostileNotes.oversized(), HostileNotes.longDiagnosis(), NoteContext.newIncident())));
        cards.putAll(ScenarioCards.all());
        return cards;
    }

    private static Path writePage(Map<String, ObjectNode> cards, String name) throws IOException {
        Path dir = OUT.resolve("pages");
        Files.createDirectories(dir);
        StringBuilder data = new StringBuilder("window.CARDS = {\n");
        for (var e : cards.entrySet()) {
            // JSON is valid JS; "</" is escaped so a card string cannot close the script element
            data.append(Json.mapper().writeValueAsString(e.getKey())).append(": ")
                    .append(Json.mapper().writeValueAsString(e.getValue()).replace("</", "<\\/")).append(",\n");
        }
        data.append("};\n");
        Path dataFile = dir.resolve(name + "-data.js");
        Files.writeString(dataFile, data.toString());
        String html = """
                <!DOCTYPE html>
                <html><head><meta charset="utf-8">
                <style>body { margin: 0; padding: 12px; background: #f5f5f5; font-family: 'Liberation Sans', 'DejaVu Sans', sans-serif; }
                .card { width: 440px; background: #fff; border: 1px solid #ddd; border-radius: 6px; margin-bottom: 16px; } #images { display: none; }</style>
                <script src="%s"></script>
                <script src="%s"></script>
                </head><body><div id="cards"></div><pre id="events"></pre><pre id="images"></pre>
                <script>
                const problems = [];
                try {
                  const hostConfig = new AdaptiveCards.HostConfig({
                    fontFamily: "Liberation Sans, DejaVu Sans, sans-serif",
                    containerStyles: {
                      default: { backgroundColor: "#FFFFFF", foregroundColors: { default: { default: "#242424", subtle: "#616161" }, attention: { default: "#C4314B" }, good: { default: "#237B4B" }, warning: { default: "#835C00" }, accent: { default: "#5B5FC7" } } },
                      emphasis: { backgroundColor: "#F5F5F5" },
                      attention: { backgroundColor: "#FCF4F6" }, good: { backgroundColor: "#F1FAF1" }, warning: { backgroundColor: "#FBF6D9" }, accent: { backgroundColor: "#EFF6FC" }
                    }
                  });
                  for (const [name, json] of Object.entries(window.CARDS)) {
                    const card = new AdaptiveCards.AdaptiveCard();
                    card.hostConfig = hostConfig;
                    const context = new AdaptiveCards.SerializationContext(AdaptiveCards.Versions.v1_4);
                    card.parse(json, context);
                    for (let i = 0; i < context.eventCount; i++) {
                      const ev = context.getEventAt(i);
                      problems.push(name + ": parse event " + ev.event + ": " + ev.message);
                    }
                    for (const ev of card.validateProperties().validationEvents) {
                      problems.push(name + ": validation event " + ev.event + ": " + ev.message);
                    }
                    const rendered = card.render();
                    if (!rendered) { problems.push(name + ": render() returned nothing"); continue; }
                    const box = document.createElement("div");
                    box.className = "card";
                    box.setAttribute("data-card", name);
                    box.appendChild(rendered);
                    document.getElementById("cards").appendChild(box);
                  }
                  // Canary: a 1.5 element in a 1.4 card must raise an event, or this page proves nothing.
                  const canary = new AdaptiveCards.AdaptiveCard();
                  const canaryContext = new AdaptiveCards.SerializationContext(AdaptiveCards.Versions.v1_4);
                  canary.parse({ type: "AdaptiveCard", version: "1.4", body: [{ type: "Table", columns: [], rows: [] }] }, canaryContext);
                  document.body.setAttribute("data-canary", canaryContext.eventCount + canary.validateProperties().validationEvents.length > 0 ? "caught" : "missed");
                } catch (e) {
                  problems.push("exception: " + e + "\\n" + (e.stack || ""));
                }
                document.getElementById("events").textContent = problems.join("\\n");
                document.body.setAttribute("data-rendered", problems.length === 0 ? "ok" : "failed");
                // Images: count those that loaded (naturalWidth > 0) and those that failed, once all settled.
                const images = Array.from(document.querySelectorAll("#cards img"));
                Promise.all(images.map(img => img.complete ? Promise.resolve() : new Promise(r => { img.onload = r; img.onerror = r; })))
                  .then(() => {
                    const loaded = images.filter(img => img.naturalWidth > 0);
                    document.body.setAttribute("data-images-loaded", String(loaded.length));
                    document.body.setAttribute("data-images-failed", String(images.length - loaded.length));
                    document.getElementById("images").textContent = images.map(img => (img.naturalWidth > 0 ? "ok " : "FAILED ") + img.src.split("?")[0]).join("\\n");
                  });
                </script></body></html>
                """.formatted(renderer.toUri(), dataFile.toAbsolutePath().toUri());
        Path page = dir.resolve(name + ".html");
        Files.writeString(page, html);
        return page;
    }

    private static String runChromium(String mode, Path page, String... extra) throws Exception {
        Path profile = Files.createTempDirectory("oom-chromium-");
        Path stderr = OUT.resolve("chromium-stderr-" + profile.getFileName() + ".log");
        try {
            List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update", "--no-first-run", "--hide-scrollbars",
                    "--user-data-dir=" + profile, "--allow-file-access-from-files"));
            command.addAll(List.of(extra));
            if (java.util.Arrays.stream(extra).noneMatch(a -> a.startsWith("--window-size="))) {
                command.add("--window-size=464,1400");
            }
            command.add(mode);
            command.add(page.toAbsolutePath().toUri().toString());
            // Output goes to a file, not a pipe: nothing is read before waitFor, so its timeout really fires
            // (reading the pipe first blocked until chromium closed it, however long that took).
            Path stdout = OUT.resolve("chromium-stdout-" + profile.getFileName() + ".txt");
            Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
            if (!p.waitFor(CHROMIUM_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError("chromium did not finish within " + CHROMIUM_TIMEOUT + "; stderr in " + stderr);
            }
            assertThat(p.exitValue()).as("chromium exit code; stderr in " + stderr).isZero();
            return Files.readString(stdout, StandardCharsets.UTF_8);
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static Path findChromium() {
        List<String> candidates = new ArrayList<>();
        if (System.getenv("CHROMIUM") != null) {
            candidates.add(System.getenv("CHROMIUM"));
        }
        candidates.addAll(List.of("/usr/bin/chromium", "/usr/bin/chromium-browser"));
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isBlank()) {
                candidates.add(Path.of(dir, "chromium").toString());
            }
        }
        return candidates.stream().map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
    }

    private static String between(String s, String from, String to) {
        int a = s.indexOf(from);
        int b = a < 0 ? -1 : s.indexOf(to, a);
        return a < 0 || b < 0 ? "(no events element)" : s.substring(a + from.length(), b);
    }
}
