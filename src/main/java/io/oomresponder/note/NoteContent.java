package io.oomresponder.note;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.oomresponder.diagnosis.DecisionStep;
import io.oomresponder.diagnosis.Diagnosis;
import io.oomresponder.diagnosis.Figures;
import io.oomresponder.diagnosis.IncidentState;
import io.oomresponder.diagnosis.Recommendation;
import io.oomresponder.evidence.ConsoleLine;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.EvidenceGap;
import io.oomresponder.evidence.SystemLogEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything a note says, already worded, redacted and ordered, before any markup: the card,
 * the Markdown, HTML and text renderings and the machine sinks (as {@link RenderedNote#summary()})
 * all read this one record, so they never disagree. Untrusted text in it is redacted but not
 * escaped: each rendering escapes for its own markup.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NoteContent(
        String alertId,
        RenderedNote.Kind kind,
        boolean replay,
        String verdict,
        String headline,
        String title,
        double confidence,
        String confidenceLabel,
        String app,
        String appResourceId,
        String resourceGroup,
        String revision,
        String environment,
        String severity,
        Tone tone,
        String status,
        String recurrence,
        String previousNote,
        List<Fact> facts,
        List<String> path,
        String pathLine,
        List<String> reasons,
        List<Step> steps,
        List<Action> actions,
        List<String> findings,
        List<String> gaps,
        List<Excerpt> systemLog,
        List<Excerpt> consoleLog,
        List<Link> links,
        String logQuery,
        String chartUrl,
        Instant windowStart,
        Instant windowEnd,
        Map<String, String> appTags) {

    /** System log events a note shows at most (the newest). */
    public static final int MAX_SYSTEM_LOG_LINES = 8;
    /** Console lines a note shows at most (the newest that look like errors). */
    public static final int MAX_CONSOLE_LINES = 10;
    /** Correlation of memory with requests at or above which memory "follows traffic". */
    public static final double FOLLOWS_TRAFFIC_CORRELATION = 0.6;
    /** Correlation at or below which memory "does not follow traffic". */
    public static final double IGNORES_TRAFFIC_CORRELATION = 0.3;
    /** Confidence at or above which the note says "high confidence". */
    public static final double HIGH_CONFIDENCE = 0.8;
    /** Confidence at or above which the note says "medium confidence". */
    public static final double MEDIUM_CONFIDENCE = 0.5;
    /** What a fact or the chart says when the metrics have no samples (the gaps say why). */
    public static final String NO_DATA = "no data (no working-set metrics)";
    /** The confidence label of a note without a verdict. */
    public static final String NO_VERDICT_LABEL = "none";

    private static final Pattern INTERESTING_CONSOLE = Pattern.compile(
            "(?i)(error|exception|killed|outofmemory|out of memory|oom|panic|fatal|heap|memory|traceback|signal)");
    private static final Pattern INTERESTING_SYSTEM = Pattern.compile("(?i)(137|oom|terminated|backoff|crash|fail|error|unhealthy|probe|kill)");

    public NoteContent {
        Objects.requireNonNull(alertId, "alertId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(headline, "headline");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(tone, "tone");
        facts = facts == null ? List.of() : List.copyOf(facts);
        path = path == null ? List.of() : List.copyOf(path);
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
        steps = steps == null ? List.of() : List.copyOf(steps);
        actions = actions == null ? List.of() : List.copyOf(actions);
        findings = findings == null ? List.of() : List.copyOf(findings);
        gaps = gaps == null ? List.of() : List.copyOf(gaps);
        systemLog = systemLog == null ? List.of() : List.copyOf(systemLog);
        consoleLog = consoleLog == null ? List.of() : List.copyOf(consoleLog);
        links = links == null ? List.of() : List.copyOf(links);
        appTags = appTags == null ? Map.of() : Map.copyOf(appTags);
    }

    /** The colour of a note: Adaptive Card container styles, and the ticket priority. */
    public enum Tone { ATTENTION, WARNING, ACCENT, GOOD }

    /** One labelled figure, e.g. "Peak working set" / "1.02 GiB (99% of limit)". */
    public record Fact(String label, String value) {
    }

    /** One flowchart decision, with its deciding numbers already written out. */
    public record Step(String node, String question, String answer, String numbers) {
    }

    /**
     * One thing to do; {@code kind} is its label ("Now", "Fix (owning team)", "Check", "Prevent"),
     * {@code command} is copyable, or null.
     */
    public record Action(String kind, String title, String detail, String command) {

        /** "Now: Raise the memory limit to 3Gi (mitigation)". */
        public String labelledTitle() {
            return kind == null ? title : kind + ": " + title;
        }
    }

    /** One redacted log line. */
    public record Excerpt(Instant time, String replica, String text) {
    }

    /** A link for the reader. */
    public record Link(String title, String url) {
    }

    /** Words the note uses for the whole evidence and diagnosis. */
    public static NoteContent of(EvidenceBundle bundle, Diagnosis diagnosis, NoteContext context) {
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(diagnosis, "diagnosis");
        Objects.requireNonNull(context, "context");
        var alert = bundle.alert();
        var app = bundle.app();
        Figures f = diagnosis.figures() == null ? emptyFigures() : diagnosis.figures();
        Instant reference = bundle.window().end();

        String appName = Redactor.redact(app.name(), 120);
        String revision = Redactor.redact(firstNonNull(alert.dimensions().get("revisionName"), app.latestRevision()), 160);
        String environment = app.environmentId() == null ? null : Redactor.redact(lastSegment(app.environmentId()), 120);
        String headline = diagnosis.headline();
        String prefix = switch (context.kind()) {
            case NEW_INCIDENT -> "";
            case UPDATE -> "Update: ";
            case RESOLUTION -> "Resolved: ";
        };
        String title = (context.replay() ? "[replay] " : "") + prefix + headline + " in " + appName;
        Tone tone = context.kind() == RenderedNote.Kind.RESOLUTION ? Tone.GOOD : tone(alert.severity(), diagnosis.verdict());
        String status = switch (context.kind()) {
            case NEW_INCIDENT -> null;
            case UPDATE -> "Update of an open incident" + (context.previousNote() == null ? "" : " (first note: " + Redactor.redact(context.previousNote(), 200) + ")");
            case RESOLUTION -> "The alert resolved" + (context.timeToResolve() == null ? "" : " after " + Quantities.duration(context.timeToResolve()));
        };

        List<Step> steps = diagnosis.steps().stream().map(NoteContent::step).toList();
        List<String> path = diagnosis.path();
        String pathLine = (path.isEmpty() ? steps.stream().map(Step::node).toList() : path).stream()
                .reduce((a, b) -> a + " → " + b).map(p -> p + " ⇒ " + headline.toLowerCase(Locale.ROOT)).orElse(headline);

        List<Action> actions = diagnosis.recommendations().stream().map(NoteContent::action).toList();
        List<String> findings = diagnosis.findings().stream().map(s -> Redactor.redact(s, 600)).toList();
        List<String> gaps = new ArrayList<>(bundle.gaps().stream().map(NoteContent::gap).toList());
        gaps.addAll(derivedGaps(bundle, diagnosis, f));
        List<String> reasons = DecidingAnswers.of(diagnosis, f, reference);

        String logQuery = context.logQuery() != null ? context.logQuery() : LogQueries.systemLogQuery(app.name(),
                app.environmentId() == null ? null : lastSegment(app.environmentId()), bundle.window());
        String chartUrl = Markup.safeUrl(context.chartUrl());
        return new NoteContent(
                alert.id() == null ? alert.dedupeKey() : alert.id(),
                context.kind(), context.replay(),
                diagnosis.verdict().name(), headline, title,
                diagnosis.confidence(), confidenceLabel(diagnosis.verdict(), diagnosis.confidence()),
                appName, app.resourceId(), Redactor.redact(app.resourceGroup(), 120), revision, environment,
                alert.severity(), tone, status,
                context.recurrence() == null ? null : Redactor.redact(context.recurrence(), 300),
                context.previousNote() == null ? null : Redactor.redact(context.previousNote(), 200),
                facts(bundle, f, reference, IncidentState.of(bundle), context, diagnosis), path, pathLine, reasons, steps, actions, findings, gaps,
                systemExcerpts(bundle.systemLogs()), consoleExcerpts(bundle.consoleLogs()),
                PortalLinks.of(app.resourceId(), alert.id(), logQuery, bundle.window()),
                logQuery, chartUrl, bundle.window().start(), bundle.window().end(),
                // The app's ARM tags route the note (tag:team=platform -> pagerduty); the context may override them.
                context.appTags().isEmpty() ? app.tags() : context.appTags());
    }

    /**
     * The first {@code n} actions (the card shows three), and the fix among them: when the first
     * {@code n} are all "now" actions and a fix follows, the fix takes the last place, so the reader
     * sees both what to do now and what the owning team must do.
     */
    public List<Action> topActions(int n) {
        List<Action> top = new ArrayList<>(actions.subList(0, Math.min(n, actions.size())));
        String fix = Recommendation.Kind.FIX.label();
        if (n > 1 && top.size() == n && top.stream().noneMatch(a -> fix.equals(a.kind()))) {
            actions.stream().filter(a -> fix.equals(a.kind())).findFirst().ifPresent(a -> top.set(n - 1, a));
        }
        return List.copyOf(top);
    }

    /** "app · revision · environment · Sev1 · high confidence (0.86)". */
    public String subtitle() {
        List<String> parts = new ArrayList<>();
        parts.add(app);
        if (revision != null) {
            parts.add("revision " + revision);
        }
        if (environment != null) {
            parts.add("env " + environment);
        }
        if (severity != null) {
            parts.add(severity);
        }
        parts.add(confidenceWords());
        return String.join(" · ", parts);
    }

    /**
     * The confidence as the note words it: "high confidence (0.93)", or, when there is no verdict,
     * "no verdict: evidence missing" (a number there would read as confidence in a verdict that
     * was not reached). With evidence gaps the count is said next to it.
     */
    public String confidenceWords() {
        String words = NO_VERDICT_LABEL.equals(confidenceLabel) ? "no verdict: evidence missing"
                : confidenceLabel + " confidence (" + String.format(Locale.ROOT, "%.2f", confidence) + ")";
        return gaps.isEmpty() ? words : words + ", " + gaps.size() + (gaps.size() == 1 ? " evidence gap" : " evidence gaps");
    }

    /** The reasoning line: "memory drops after each restart and climbs again · traffic does not explain it · ...". */
    public String reasonLine() {
        return String.join(" · ", reasons);
    }

    /** "high", "medium", "low", or {@link #NO_VERDICT_LABEL} for {@code INSUFFICIENT_EVIDENCE}. */
    static String confidenceLabel(Diagnosis.Verdict verdict, double c) {
        if (verdict == Diagnosis.Verdict.INSUFFICIENT_EVIDENCE) {
            return NO_VERDICT_LABEL;
        }
        return c >= HIGH_CONFIDENCE ? "high" : c >= MEDIUM_CONFIDENCE ? "medium" : "low";
    }

    /**
     * Gaps the figures reveal even when every source answered (an empty metrics answer is not an
     * error): the note never says "every source answered" next to a fact it cannot show. Worded
     * like {@link DecidingAnswers#missing} so the reasons and the gaps say the same thing.
     */
    static List<String> derivedGaps(EvidenceBundle bundle, Diagnosis diagnosis, Figures f) {
        List<String> gaps = new ArrayList<>();
        boolean metricsGapReported = bundle.gaps().stream().anyMatch(g -> g.source() != null && g.source().toLowerCase(Locale.ROOT).contains("metric"));
        Long limit = f.memoryLimitBytes() != null ? f.memoryLimitBytes() : bundle.app().memoryLimitBytes();
        boolean armGapReported = bundle.gaps().stream().anyMatch(g -> g.source() != null && g.source().toLowerCase(Locale.ROOT).startsWith("arm"));
        if (limit == null && !armGapReported) {
            gaps.add("arm: the memory limit is unknown, so growth toward it cannot be judged");
        }
        if (f.peakWorkingSetBytes() == null && !metricsGapReported) {
            gaps.add("metrics: no working-set metrics for the window (peak, growth and replicas unknown)");
        } else if (f.peakWorkingSetBytes() != null && diagnosis.verdict() == Diagnosis.Verdict.INSUFFICIENT_EVIDENCE && !metricsGapReported) {
            gaps.add("metrics: too few working-set samples to judge growth");
        }
        if (diagnosis.path().contains("E") && f.trafficCorrelation() == null && !metricsGapReported) {
            gaps.add("metrics: no Requests samples, so memory was not compared with traffic");
        }
        return gaps;
    }

    private static Tone tone(String severity, Diagnosis.Verdict verdict) {
        if (severity != null) {
            switch (severity.trim().toLowerCase(Locale.ROOT)) {
                case "sev0", "sev1" -> {
                    return Tone.ATTENTION;
                }
                case "sev2" -> {
                    return Tone.WARNING;
                }
                case "sev3", "sev4" -> {
                    return Tone.ACCENT;
                }
                default -> {
                }
            }
        }
        return switch (verdict) {
            case LEAK_SUSPECTED, PEAK_DEMAND -> Tone.ATTENTION;
            case OTHER_CRASH_CAUSE -> Tone.WARNING;
            case INSUFFICIENT_EVIDENCE -> Tone.ACCENT;
        };
    }

    private static List<Fact> facts(EvidenceBundle bundle, Figures f, Instant reference, IncidentState state, NoteContext context,
                                    Diagnosis diagnosis) {
        List<Fact> facts = new ArrayList<>();
        facts.add(new Fact(IncidentLines.STILL_HAPPENING, IncidentLines.stillHappening(state.now(), context, reference)));
        facts.add(new Fact(IncidentLines.USER_IMPACT, IncidentLines.userImpact(state.impact(), f.restarts())));
        Long limit = f.memoryLimitBytes() != null ? f.memoryLimitBytes() : bundle.app().memoryLimitBytes();
        facts.add(new Fact("Memory limit", limit == null ? "unknown" : Quantities.bytes(limit)));
        if (f.peakWorkingSetBytes() != null) {
            String pct = f.peakToLimit() != null ? " (" + Quantities.percent(f.peakToLimit()) + " of limit)" : "";
            String above = f.timeAbove90PctMinutes() != null && f.timeAbove90PctMinutes() > 0
                    ? ", " + Quantities.duration(Duration.ofMinutes(f.timeAbove90PctMinutes())) + " above 90%" : "";
            facts.add(new Fact("Peak working set", Quantities.bytes(f.peakWorkingSetBytes()) + pct + above));
        } else {
            facts.add(new Fact("Peak working set", NO_DATA));
        }
        facts.addAll(jvmFacts(diagnosis));
        if (f.growthBytesPerHour() != null) {
            // The trend statistic stays in the details (the flowchart steps); the main text says the rate.
            facts.add(new Fact("Growth", Quantities.bytesPerHour(f.growthBytesPerHour())));
        }
        if (f.projectedOomEarliest() != null) {
            facts.add(new Fact("Next OOM (projected)", projection(f.projectedOomEarliest(), f.projectedOomLatest(), reference)));
        }
        String restarts = f.restarts() == null ? "unknown (no source of restarts answered)" : count(f.restarts(), "restart") + ", " + count(f.oomKills(), "OOM kill")
                + (f.regrowthsAfterRestart() != null && f.regrowthsAfterRestart() > 0 ? ", regrew " + f.regrowthsAfterRestart() + "×" : "")
                + " in " + Quantities.duration(bundle.window().length());
        facts.add(new Fact("Restarts", restarts));
        if (f.trafficCorrelation() != null) {
            double r = f.trafficCorrelation();
            // Plain words here; the correlation itself is in the flowchart steps (details).
            String words = r >= FOLLOWS_TRAFFIC_CORRELATION ? "memory follows traffic"
                    : Math.abs(r) <= IGNORES_TRAFFIC_CORRELATION ? "memory does not follow traffic" : "memory follows traffic only weakly";
            facts.add(new Fact("Traffic", words));
        }
        Integer max = f.maxReplicas() != null ? f.maxReplicas() : bundle.app().scale() == null ? null : bundle.app().scale().maxReplicas();
        // Replicas are counted from working-set series: without them "0 of max 7" would contradict
        // the restarts above, so the fact says the count is unknown instead.
        Integer seen = f.peakWorkingSetBytes() == null || (f.replicas() != null && f.replicas() == 0) ? null : f.replicas();
        if (seen != null || max != null) {
            String replicas = (seen == null ? "unknown" : seen) + " of max " + (max == null ? "?" : max)
                    + (seen == null ? " (no working-set metrics)" : seen.equals(max) ? " (at the ceiling)" : "");
            facts.add(new Fact("Replicas", replicas));
        }
        if (f.recentRevision() != null) {
            facts.add(new Fact("Recent deployment", Redactor.redact(f.recentRevision(), 160)
                    + (f.recentRevisionCreatedAt() == null ? "" : ", created " + Quantities.clock(f.recentRevisionCreatedAt(), reference))));
        }
        return facts;
    }

    /**
     * The JVM's facts, from the JVM node's numbers (Container Apps' Java metrics): heap used against
     * the heap limit and the container limit, the heap's floor, what grows outside the heap, what the
     * JVM needs against the container, and Java OutOfMemoryErrors. None without the JVM node.
     */
    static List<Fact> jvmFacts(Diagnosis diagnosis) {
        List<Fact> out = new ArrayList<>();
        for (var step : diagnosis.steps()) {
            if (!"JVM".equals(step.node())) {
                continue;
            }
            Map<String, Object> n = step.numbers();
            Double heapLimit = number(n.get("heapLimitBytes"));
            Double used = number(n.get("heapUsedPeakBytes"));
            Double container = number(n.get("containerLimitBytes"));
            if (heapLimit != null && used != null) {
                out.add(new Fact("Heap (JVM)", Quantities.bytes(used) + " peak used of a " + Quantities.bytes(heapLimit) + " heap limit"
                        + (container == null ? "" : "; heap limit = " + Quantities.percent(heapLimit / container) + " of the container's "
                        + Quantities.bytes(container))));
            }
            Double floorStart = number(n.get("heapFloorStartBytes"));
            Double floorEnd = number(n.get("heapFloorEndBytes"));
            if (floorStart != null && floorEnd != null && heapLimit != null) {
                Double gcStart = number(n.get("gcPerMinuteStart"));
                Double gcEnd = number(n.get("gcPerMinuteEnd"));
                out.add(new Fact("Heap after GC", Quantities.bytes(floorStart) + " → " + Quantities.bytes(floorEnd) + " ("
                        + Quantities.percent(floorEnd / heapLimit) + " of heap limit)"
                        + (gcStart == null || gcEnd == null ? "" : ", GCs " + Quantities.number(gcStart) + " → " + Quantities.number(gcEnd) + "/min")));
            }
            Double outside = number(n.get("outsideHeapRiseBytes"));
            if (outside != null && n.get("offHeapPartWords") != null) {
                Double minutes = number(n.get("outsideHeapRiseMinutes"));
                out.add(new Fact("Outside the heap", "+" + Quantities.bytes(outside)
                        + (minutes == null ? "" : " in " + Quantities.duration(Duration.ofMinutes(Math.round(minutes))))
                        + ": " + n.get("offHeapPartWords")));
            }
            Double needs = number(n.get("jvmNeedsToContainer"));
            if (needs != null && needs > 1 && heapLimit != null) {
                out.add(new Fact("JVM vs container", "heap limit + non-heap + buffers = " + Quantities.percent(needs) + " of the container limit"));
            }
            Double errors = number(n.get("javaOutOfMemoryErrors"));
            if (errors != null && errors > 0) {
                Object codes = n.get("exitCodesAfterError");
                out.add(new Fact("Java OutOfMemoryError", Math.round(errors) + "× " + Redactor.redact(String.valueOf(n.get("javaOutOfMemoryErrorMessage")), 80)
                        + (codes instanceof List<?> l && !l.isEmpty() ? ", exit code " + l.stream().map(String::valueOf)
                        .reduce((a, b) -> a + "/" + b).orElse("") : "")));
            }
            break;
        }
        return out;
    }

    private static Double number(Object o) {
        return o instanceof Number x && !Double.isNaN(x.doubleValue()) ? x.doubleValue() : null;
    }

    private static String count(Integer n, String noun) {
        return n == null ? "? " + noun + "s" : n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String projection(Instant earliest, Instant latest, Instant reference) {
        String when = Quantities.clock(earliest, reference);
        if (latest != null && !latest.equals(earliest)) {
            when += " – " + Quantities.clock(latest, reference);
        }
        Duration inEarliest = Duration.between(reference, earliest);
        if (inEarliest.isNegative() || inEarliest.isZero()) {
            return when + " (overdue at the window's end)";
        }
        String in = "in " + Quantities.duration(inEarliest);
        if (latest != null && !latest.equals(earliest)) {
            in += " – " + Quantities.duration(Duration.between(reference, latest));
        }
        return when + " (" + in + ")";
    }

    private static Step step(DecisionStep s) {
        List<String> numbers = new ArrayList<>();
        s.numbers().forEach((k, v) -> numbers.add(k + " = " + numberText(k, v)));
        return new Step(Redactor.redact(s.node(), 20), Redactor.redact(s.question(), 300), Redactor.redact(s.answer(), 300),
                Redactor.redact(String.join(", ", numbers), 600));
    }

    private static String numberText(String key, Object v) {
        if (v instanceof Number n) {
            double d = n.doubleValue();
            String raw = Quantities.number(d);
            return key.toLowerCase(Locale.ROOT).contains("bytes") && Math.abs(d) >= 1024 ? raw + " (" + Quantities.bytes(d) + ")" : raw;
        }
        return String.valueOf(v);
    }

    private static Action action(Recommendation r) {
        return new Action(r.kind().label(), Redactor.redact(r.title(), 200), r.detail() == null ? null : Redactor.redact(r.detail(), 600),
                r.command() == null ? null : Redactor.redact(r.command(), 1000));
    }

    private static String gap(EvidenceGap g) {
        return (g.source() == null ? "unknown" : Redactor.redact(g.source(), 40)) + ": " + Redactor.redact(g.detail(), 300);
    }

    private static List<Excerpt> systemExcerpts(List<SystemLogEvent> events) {
        List<SystemLogEvent> picked = events.stream()
                .filter(e -> e.message() != null)
                .filter(e -> !"Normal".equalsIgnoreCase(e.type()) || INTERESTING_SYSTEM.matcher(e.message() + " " + e.reason()).find())
                .sorted(Comparator.comparing(SystemLogEvent::time, Comparator.nullsFirst(Comparator.naturalOrder())))
                .toList();
        return newest(picked, MAX_SYSTEM_LOG_LINES).stream()
                .map(e -> new Excerpt(e.time(), Redactor.redact(e.replica(), 120),
                        Redactor.redact(oneLine((e.reason() == null ? "" : e.reason() + ": ") + e.message()))))
                .toList();
    }

    private static List<Excerpt> consoleExcerpts(List<ConsoleLine> lines) {
        // Before picking: a key block's body lines are known only from the lines around them.
        java.util.Set<ConsoleLine> keyBlocks = PrivateKeyBlocks.within(lines);
        List<ConsoleLine> picked = lines.stream()
                .filter(l -> l.message() != null && !l.message().isBlank())
                .filter(l -> "stderr".equalsIgnoreCase(l.stream()) || INTERESTING_CONSOLE.matcher(l.message()).find())
                .sorted(Comparator.comparing(ConsoleLine::time, Comparator.nullsFirst(Comparator.naturalOrder())))
                .toList();
        return newest(picked, MAX_CONSOLE_LINES).stream()
                .map(l -> new Excerpt(l.time(), Redactor.redact(l.replica(), 120),
                        keyBlocks.contains(l) ? Redactor.MASK + " (private key block)" : Redactor.redact(oneLine(l.message()))))
                .toList();
    }

    private static <T> List<T> newest(List<T> inOrder, int n) {
        return inOrder.subList(Math.max(0, inOrder.size() - n), inOrder.size());
    }

    private static String oneLine(String s) {
        return s.replace("\r\n", " ⏎ ").replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
    }

    private static String lastSegment(String id) {
        String trimmed = id.endsWith("/") ? id.substring(0, id.length() - 1) : id;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    private static <T> T firstNonNull(T a, T b) {
        return a != null ? a : b;
    }

    private static Figures emptyFigures() {
        return new Figures(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }
}
