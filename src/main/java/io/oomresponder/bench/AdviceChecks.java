package io.oomresponder.bench;

import io.oomresponder.diagnosis.DecisionStep;
import io.oomresponder.diagnosis.Diagnosis;
import io.oomresponder.diagnosis.Recommendation;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.EvidenceGap;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether a diagnosis' advice follows its own cause and numbers (issue 27, point 4). Each check is
 * a rule the advice must keep whatever the verdict's accuracy; {@link #violations} lists the broken
 * ones, empty when the advice passes.
 * <ul>
 * <li>Scale-out only when the first cause is TOO_FEW_REPLICAS and the numbers show the app pinned
 * at maxReplicas: never for a leak, for start-up work or for a scheduled job.</li>
 * <li>A leak leads with "now" actions: a memory raise that says how much time it buys when the
 * growth was projected, and a restart of the leaking revision; then the fix, labelled for the owning team.</li>
 * <li>A crash that is not a memory kill gets no memory advice first and no "alert before the next OOM".</li>
 * <li>No advice against the project's own design: no RestartCount metric alert.</li>
 * <li>Actions come in the order now, fix, check, prevent.</li>
 * <li>Without evidence, the first action names the failure: a sign-in, a missing role.</li>
 * </ul>
 */
public final class AdviceChecks {

    private AdviceChecks() {
    }

    /** The rules this diagnosis' advice breaks, in words; empty when it keeps them all. */
    public static List<String> violations(EvidenceBundle bundle, Diagnosis d) {
        List<String> v = new ArrayList<>();
        List<Recommendation> recs = d.recommendations();
        if (recs.isEmpty()) {
            v.add("no advice at all");
            return v;
        }
        Diagnosis.Cause first = d.causes().isEmpty() ? null : d.causes().get(0);
        Recommendation top = recs.get(0);
        boolean scaleOut = recs.stream().anyMatch(AdviceChecks::isScaleOut);
        if (scaleOut && (first != Diagnosis.Cause.TOO_FEW_REPLICAS || !pinned(d))) {
            v.add("scale-out advised without load per replica at maxReplicas (first cause " + first + ")");
        }
        for (int i = 1; i < recs.size(); i++) {
            if (recs.get(i).kind().ordinal() < recs.get(i - 1).kind().ordinal()) {
                v.add("actions out of order: " + recs.get(i - 1).kind() + " before " + recs.get(i).kind());
                break;
            }
        }
        if (d.verdict() == Diagnosis.Verdict.LEAK_SUSPECTED) {
            if (top.kind() != Recommendation.Kind.NOW) {
                v.add("a leak's first action is not a 'now' action: " + top.title());
            }
            Recommendation raise = recs.stream().filter(r -> r.kind() == Recommendation.Kind.NOW && raisesMemory(r)).findFirst().orElse(null);
            if (raise == null) {
                v.add("a leak without a memory raise to buy time");
            } else if (d.figures() != null && d.figures().projectedOomEarliest() != null && !raise.detail().contains("it moves to about")) {
                v.add("a projected leak whose memory raise does not say how much time it buys");
            }
            if (recs.stream().noneMatch(r -> r.kind() == Recommendation.Kind.NOW && r.command() != null
                    && r.command().contains("revision restart"))) {
                v.add("a leak without a restart of the leaking revision");
            }
            if (recs.stream().noneMatch(r -> r.kind() == Recommendation.Kind.FIX)) {
                v.add("a leak without the fix for the owning team");
            }
        }
        if (first == Diagnosis.Cause.NON_MEMORY_CRASH) {
            if (raisesMemory(top) || top.title().toLowerCase(Locale.ROOT).contains("raise")) {
                v.add("a crash that is not a memory kill gets memory advice first: " + top.title());
            }
            if (recs.stream().anyMatch(r -> r.title().contains("Alert before the next OOM"))) {
                v.add("a crash that is not a memory kill gets 'alert before the next OOM'");
            }
        }
        for (Recommendation r : recs) {
            String text = (r.title() + " " + (r.detail() == null ? "" : r.detail()) + " " + (r.command() == null ? "" : r.command()));
            if (text.contains("RestartCount alert") || text.contains("--metric RestartCount") || text.contains("RestartCount >")) {
                v.add("advises a RestartCount metric alert, against docs/deploy.md: " + r.title());
            }
        }
        if (d.verdict() == Diagnosis.Verdict.INSUFFICIENT_EVIDENCE) {
            boolean signIn = bundle.gaps().stream().anyMatch(g -> g.detail() != null && g.detail().contains(EvidenceGap.SIGN_IN_FAILED));
            boolean denied = bundle.gaps().stream().anyMatch(g -> "AuthorizationFailed".equals(g.code())
                    || g.detail() != null && g.detail().contains("403"));
            if (signIn && !top.title().toLowerCase(Locale.ROOT).contains("sign")) {
                v.add("a sign-in failure whose first action is not signing in: " + top.title());
            } else if (!signIn && denied && !top.title().toLowerCase(Locale.ROOT).contains("access")) {
                v.add("a 403 whose first action is not granting access: " + top.title());
            } else if (!signIn && !denied && (top.title().toLowerCase(Locale.ROOT).contains("sign")
                    || top.title().toLowerCase(Locale.ROOT).contains("access"))) {
                v.add("no sign-in or 403 failure, but the first action is about one: " + top.title());
            }
        }
        return v;
    }

    private static boolean isScaleOut(Recommendation r) {
        return r.title().startsWith("Scale out") || r.command() != null && r.command().contains("--max-replicas");
    }

    private static boolean raisesMemory(Recommendation r) {
        return r.command() != null && r.command().contains("--memory") || r.title().contains("workload profile with more memory")
                || r.title().startsWith("Raise the memory limit");
    }

    /** The app sat at maxReplicas for part of the window, per step H's numbers. */
    private static boolean pinned(Diagnosis d) {
        for (DecisionStep s : d.steps()) {
            Object share = s.numbers().get("pinnedAtMaxReplicasShare");
            if (share instanceof Number n && n.doubleValue() > 0) {
                return true;
            }
        }
        return false;
    }
}
