package io.oomresponder.diagnosis;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Flowchart node E: how does the growth compare with traffic and time? Memory follows traffic when
 * its median Spearman ρ with requests reaches {@link #FOLLOWS_TRAFFIC_RHO}; each growing segment is
 * leak-like (grows with time) or traffic-driven ({@link GrowthPattern}).
 */
final class GrowthVsTrafficNode {

    /** Memory whose median rank correlation with requests reaches this follows traffic. */
    static final double FOLLOWS_TRAFFIC_RHO = 0.5;

    /**
     * What node E established.
     *
     * @param rho            median Spearman ρ of working set with requests (NaN without Requests)
     * @param followsTraffic {@code rho ≥ FOLLOWS_TRAFFIC_RHO}
     */
    record Outcome(DecisionStep step, double rho, boolean followsTraffic) {
    }

    private GrowthVsTrafficNode() {
    }

    static Outcome decide(RestartsNode.Outcome a, MemoryGrowth m, DiagnosisThresholds t) {
        TrafficRelation traffic = m.traffic();
        GrowthPattern growth = m.growth();
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("trafficCorrelation", Narrative.round(traffic.medianCorrelation()));
        e.put("replicasWithTraffic", traffic.replicasMeasured());
        e.put("segmentsGrowingWithTime", growth.leakLike());
        e.put("segmentsGrowingWithTraffic", growth.trafficDriven());
        e.put("medianPartialCorrelationWithTimeGivenTraffic", Narrative.round(growth.medianPartial()));
        DecisionStep step = new DecisionStep("E", "How does the growth compare with traffic and time?",
                answer(traffic, growth, a.app().hasRequests(), t), e);
        return outcome(step, traffic, t);
    }

    static Outcome early(MemoryGrowth m, DiagnosisThresholds t) {
        double rho = m.traffic().medianCorrelation();
        GrowthPattern growth = m.growth();
        double followsRho = t.followsTrafficRho();
        boolean follows = !Double.isNaN(rho) && rho >= followsRho;
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("trafficCorrelation", Narrative.round(rho));
        e.put("followsTrafficThreshold", followsRho);
        e.put("segmentsGrowingWithTime", growth.leakLike());
        e.put("segmentsGrowingWithTraffic", growth.trafficDriven());
        DecisionStep step = new DecisionStep("E", "Does memory grow with traffic or with time?", Double.isNaN(rho)
                ? "No Requests metric: growth is judged against time only."
                : follows ? "Memory follows traffic: Spearman ρ " + Narrative.num(rho, followsRho) + " ≥ " + followsRho + "."
                : "Memory does not follow traffic: Spearman ρ " + Narrative.num(rho, followsRho) + " < " + followsRho + "; "
                + growth.leakLike() + " replica(s) grow steadily with time.", e);
        return outcome(step, m.traffic(), t);
    }

    private static Outcome outcome(DecisionStep step, TrafficRelation traffic, DiagnosisThresholds t) {
        double rho = traffic.medianCorrelation();
        return new Outcome(step, rho, rho >= t.followsTrafficRho());
    }

    private static String answer(TrafficRelation t, GrowthPattern g, boolean hasRequests, DiagnosisThresholds th) {
        if (!hasRequests) {
            return "No Requests metric in the bundle: growth is judged against time only (" + g.growing()
                    + " growing segment(s)).";
        }
        String s = "Memory vs requests: median Spearman ρ " + Narrative.num(t.medianCorrelation()) + " over "
                + t.replicasMeasured() + " replica(s). ";
        s += g.leakLike() + " growing segment(s) keep growing with time when traffic is held fixed (partial ρ ≥ "
                + th.minPartialTimeRho() + " or traffic flat/falling); " + g.trafficDriven() + " grow with traffic.";
        return s;
    }
}
