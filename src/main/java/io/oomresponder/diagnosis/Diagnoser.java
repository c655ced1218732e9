package io.oomresponder.diagnosis;

import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.RevisionInfo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The memory playbook's flowchart as code: A a replica restarts or is OOM-killed → B memory limit
 * and working set → C does memory grow toward the limit? (no → D other crash cause) → E growth
 * compared with traffic and time → F does memory reset after a restart and grow again? (yes → G
 * leak or unbounded buffer → I profile; no → H peak demand → J raise memory, scale out, reduce
 * footprint). Pure: the bundle is the only input; no I/O, clock, randomness or logging.
 *
 * <p>Each node is its own type, which takes what the earlier nodes established and returns its
 * {@link DecisionStep} with the numbers that decided it; this class only wires them in order:
 * <ul>
 * <li>A {@link RestartsNode}, B {@link WorkingSetNode} (no limit or working set →
 * INSUFFICIENT_EVIDENCE, confidence 0), then the shared measurements {@link MemoryGrowth};</li>
 * <li>C {@link GrowthTowardLimitNode}, D {@link OtherCauseNode}, E {@link GrowthVsTrafficNode},
 * F {@link RegrowthNode}, G {@link LeakOrBufferNode}, H {@link PeakDemandNode}; a terminal node
 * (D, G, H) returns a {@link Conclusion}: verdict, ranked causes, confidence.</li>
 * <li>With no restart in the window (an early warning), the same node types decide through their
 * {@code early} methods: C′ young leak / daily peak / neither, then D, or E, F and G or H.</li>
 * </ul>
 *
 * <p>Confidence is the geometric mean of the strengths (each 0..1) of the statistics that decided
 * the verdict, clamped to 0.05..0.99 ({@link Conclusion#clamp}); each terminal node documents its
 * own. INSUFFICIENT_EVIDENCE states 0: there is no verdict on memory to be confident in.
 */
public final class Diagnoser {

    /** A revision created this long before the first memory kill is a regression suspect. */
    static final Duration REGRESSION_LOOKBACK = Duration.ofHours(24);

    private final DiagnosisThresholds thresholds;

    /** The diagnosis with the documented thresholds ({@link DiagnosisThresholds#DEFAULTS}). */
    public Diagnoser() {
        this(DiagnosisThresholds.DEFAULTS);
    }

    /** The diagnosis with other thresholds, to measure how much a verdict hinges on them ({@code bench sensitivity}). */
    public Diagnoser(DiagnosisThresholds thresholds) {
        this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
    }

    /** Diagnoses one bundle. */
    public Diagnosis diagnose(EvidenceBundle bundle) {
        DiagnosisThresholds t = thresholds;
        Objects.requireNonNull(bundle, "bundle");
        List<String> path = new ArrayList<>();
        List<DecisionStep> steps = new ArrayList<>();
        RestartsNode.Outcome a = visit(path, steps, RestartsNode.decide(bundle), RestartsNode.Outcome::step);
        List<String> findings = new ArrayList<>(SourceDisagreement.findings(bundle, a.app(), a.restarts()));
        RuntimeKind runtime = RuntimeKind.of(bundle);
        Long limit = a.limit();

        WorkingSetNode.Outcome b = visit(path, steps, WorkingSetNode.decide(a, t), WorkingSetNode.Outcome::step);
        if (!b.known()) {
            // No verdict on memory, so no confidence in one: never "not enough evidence · high confidence".
            // Counts whose sources never answered are unknown (null), not 0.
            boolean known = a.restartsKnown();
            Figures f = new Figures(limit, nanToNull(b.peak()), null, null, null, null, null, known ? a.all().size() : null,
                    known ? a.oomKills() : null, known ? a.nonOom() : null, null, a.replicasSeen(), a.maxReplicas(), null, null, null, null);
            List<Diagnosis.Cause> causes = List.of();
            return new Diagnosis(Diagnosis.Verdict.INSUFFICIENT_EVIDENCE, path, 0, causes, f, steps,
                    Playbook.recommend(Diagnosis.Verdict.INSUFFICIENT_EVIDENCE, causes, bundle.app(), limit, runtime, null, null, null,
                            false, bundle.gaps()),
                    findings);
        }
        MemoryGrowth m = MemoryGrowth.of(a, t);
        // The JVM's own memory (Java metrics, Java OutOfMemoryErrors): node JVM after C / C′.
        JvmMemoryNode.Outcome jvm = JvmMemoryNode.decide(a, b);
        RevisionInfo suspect = null;
        Conclusion end;
        if (a.earlyWarning()) {
            end = earlyWarning(a, b, m, jvm, t, path, steps);
        } else {
            GrowthTowardLimitNode.Outcome c = visit(path, steps, JvmMemoryNode.amend(GrowthTowardLimitNode.decide(a, b, m, t), jvm),
                    GrowthTowardLimitNode.Outcome::step);
            Instant firstKill = a.all().stream().filter(RestartEvent::memoryRelated).map(RestartEvent::time).findFirst().orElse(null);
            suspect = regressionSuspect(bundle, firstKill);
            if (suspect != null) {
                findings.add("Revision " + suspect.name() + " was created " + Narrative.time(suspect.createdAt())
                        + ", shortly before the first memory kill (" + Narrative.time(firstKill) + "): a regression is possible.");
            }
            if (jvm.relevant()) {
                visit(path, steps, jvm, JvmMemoryNode.Outcome::step);
            }
            if (jvm.conclusion() != null) {
                end = conclude(path, steps, jvm.conclusion());
            } else if (!c.growsToLimit()) {
                end = conclude(path, steps, OtherCauseNode.decide(a, b));
            } else {
                GrowthVsTrafficNode.Outcome e = visit(path, steps, GrowthVsTrafficNode.decide(a, m, t), GrowthVsTrafficNode.Outcome::step);
                RegrowthNode.Outcome f = visit(path, steps, RegrowthNode.decide(a, m, e, t), RegrowthNode.Outcome::step);
                end = f.leak() ? conclude(path, steps, LeakOrBufferNode.decide(a, m, f, t))
                        : conclude(path, steps, PeakDemandNode.decide(a, b, m, e, t));
                if (f.leak()) {
                    // A queue scale rule or a log line about a queue is metadata: a question in the note, never a ranking.
                    findings.addAll(LeakOrBufferNode.questions(bundle, LeakOrBufferNode.bufferSignals(bundle, a.app(), m.segments(), t)));
                }
            }
        }
        GrowthPattern g = m.growth();
        OomProjection p = end.projection();
        Figures f = new Figures(limit, nanToNull(b.peak()), Narrative.round(b.peakToLimit()), b.aboveMinutes(),
                g.growing() == 0 ? null : Narrative.round(g.growthBytesPerHour()),
                Double.isNaN(g.medianTau()) ? null : Narrative.round(g.medianTau()),
                Narrative.round(m.traffic().medianCorrelation()), a.all().size(), a.oomKills(), a.nonOom(), m.regrowths(),
                a.replicasSeen(), a.maxReplicas(), p == null ? null : p.earliest(), p == null ? null : p.latest(),
                suspect == null ? null : suspect.name(), suspect == null ? null : suspect.createdAt());
        return new Diagnosis(end.verdict(), path, end.confidence(), end.causes(), f, steps,
                JvmAdvice.merge(Playbook.recommend(end.verdict(), end.causes(), bundle.app(), limit, runtime, b.peakToLimit(), end.scale(), p,
                        end.sizedTight()), JvmAdvice.recommend(jvm, bundle.app(), runtime)),
                findings, Diagnosis.headlineOf(end.verdict(), end.causes(), end.sizedTight()));
    }

    /**
     * The early-warning path: a memory alert with no restart in the window (C′). Three shapes: a young
     * leak (G), a daily peak (H), and an app sized tight or nothing on memory (D).
     */
    private static Conclusion earlyWarning(RestartsNode.Outcome a, WorkingSetNode.Outcome b, MemoryGrowth m, JvmMemoryNode.Outcome jvm,
                                           DiagnosisThresholds t, List<String> path, List<DecisionStep> steps) {
        GrowthTowardLimitNode.EarlyOutcome c = visit(path, steps, GrowthTowardLimitNode.early(a, b, m, t), GrowthTowardLimitNode.EarlyOutcome::step);
        if (jvm.relevant()) {
            visit(path, steps, jvm, JvmMemoryNode.Outcome::step);
        }
        if (jvm.conclusion() != null) {
            return conclude(path, steps, jvm.conclusion());
        }
        if (!c.growsToLimit()) {
            return conclude(path, steps, OtherCauseNode.early(m, c, t));
        }
        GrowthVsTrafficNode.Outcome e = visit(path, steps, GrowthVsTrafficNode.early(m, t), GrowthVsTrafficNode.Outcome::step);
        RegrowthNode.Outcome f = visit(path, steps, RegrowthNode.early(m, c), RegrowthNode.Outcome::step);
        return f.leak() ? conclude(path, steps, LeakOrBufferNode.early(a, m, e)) : conclude(path, steps, PeakDemandNode.early(a, b, e, t));
    }

    /** Records a node's step on the path and hands its outcome on. */
    private static <T> T visit(List<String> path, List<DecisionStep> steps, T outcome, java.util.function.Function<T, DecisionStep> step) {
        DecisionStep s = step.apply(outcome);
        path.add(s.node());
        steps.add(s);
        return outcome;
    }

    /** Records a terminal node and the action node it leads to (G → I profile, H → J resize). */
    private static Conclusion conclude(List<String> path, List<DecisionStep> steps, Conclusion end) {
        visit(path, steps, end, Conclusion::step);
        switch (end.step().node()) {
            case "G" -> path.add("I");
            case "H" -> path.add("J");
            default -> {
            }
        }
        return end;
    }

    private static RevisionInfo regressionSuspect(EvidenceBundle bundle, Instant firstKill) {
        if (firstKill == null) {
            return null;
        }
        RevisionInfo best = null;
        for (RevisionInfo r : bundle.app().revisions()) {
            if (r.createdAt() != null && r.createdAt().isBefore(firstKill)
                    && !r.createdAt().isBefore(firstKill.minus(REGRESSION_LOOKBACK))
                    && (best == null || r.createdAt().isAfter(best.createdAt()))) {
                best = r;
            }
        }
        return best;
    }

    private static Double nanToNull(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
