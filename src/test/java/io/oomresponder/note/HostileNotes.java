package io.oomresponder.note;

import io.oomresponder.evidence.ConsoleLine;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.EvidenceGap;
import io.oomresponder.evidence.MetricPoint;
import io.oomresponder.evidence.MetricSeries;
import io.oomresponder.evidence.SystemLogEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Oversized and hostile evidence for card size and escaping tests. */
final class HostileNotes {

    static final String SECRET_TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJvb20ifQ.c2lnbmF0dXJlLXNlY3JldA";
    static final String ACCOUNT_KEY = "AccountKey=c3VwZXJzZWNyZXRrZXk1234567890abcdefABCDEF==";

    private HostileNotes() {
    }

    /** The leak diagnosis with 60 long flowchart steps (far more than a card can hold). */
    static io.oomresponder.diagnosis.Diagnosis longDiagnosis() {
        var leak = SampleDiagnoses.leak();
        List<io.oomresponder.diagnosis.DecisionStep> steps = new ArrayList<>(leak.steps());
        for (int i = 0; i < 60; i++) {
            steps.add(new io.oomresponder.diagnosis.DecisionStep("X" + i, "Synthetic question " + i + " " + "q".repeat(250), "answer " + "a".repeat(250),
                    Map.of("value", i, "note", "n".repeat(300))));
        }
        return new io.oomresponder.diagnosis.Diagnosis(leak.verdict(), leak.path(), leak.confidence(), leak.causes(), leak.figures(), steps,
                leak.recommendations(), leak.findings());
    }

    /** The leak bundle with 30 replicas, 400 long console lines with markup and secrets, and 20 gaps. */
    static EvidenceBundle oversized() {
        EvidenceBundle leak = SampleDiagnoses.bundle("leak-classic.json");
        List<MetricSeries> metrics = new ArrayList<>(leak.metrics());
        MetricSeries template = leak.series("WorkingSetBytes").get(0);
        for (int r = 0; r < 27; r++) {
            List<MetricPoint> points = template.points().stream().map(p -> new MetricPoint(p.time(), p.value() == null ? null : p.value() * 0.9)).toList();
            metrics.add(new MetricSeries("WorkingSetBytes", "Maximum", "Bytes",
                    Map.of("revisionName", template.revisionName(), "podName", template.revisionName() + "-extra-r" + r), points));
        }
        List<ConsoleLine> console = new ArrayList<>();
        List<SystemLogEvent> system = new ArrayList<>();
        Instant t = leak.window().start();
        for (int i = 0; i < 400; i++) {
            String line = "ERROR <script>alert('x')</script> **bold** [link](javascript:alert(1)) ``` `x` | table | "
                    + "Authorization: Bearer " + SECRET_TOKEN + " DefaultEndpointsProtocol=https;AccountName=a;" + ACCOUNT_KEY + ";"
                    + " password=hunter2 " + "x".repeat(4000);
            console.add(new ConsoleLine(t.plusSeconds(i * 60L), "rev", "replica-" + i, "app", "stderr", line));
            system.add(new SystemLogEvent(t.plusSeconds(i * 60L), "rev", "replica-" + i, "ContainerTerminated", "Warning",
                    "Container 'app' was terminated with exit code '137' and reason 'OOMKilled' sig=abcdef0123 " + "y".repeat(2000)));
        }
        List<EvidenceGap> gaps = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            gaps.add(new EvidenceGap("logs", "query " + i + " failed: 429 Too Many Requests " + "z".repeat(500)));
        }
        return new EvidenceBundle(1, leak.alert(), leak.window(), leak.app(), leak.replicas(), metrics, system, console, gaps);
    }
}
