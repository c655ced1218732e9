package io.oomresponder.diagnosis;

import java.util.ArrayList;
import java.util.List;

/**
 * The measurements nodes C to H share once B has a limit and a working set: each replica's
 * working set cut into segments at its restarts, how those segments grow, and how memory relates
 * to traffic.
 *
 * @param segments per replica with samples, its segments between restarts
 * @param open     each replica's last segment when it does not end in a restart (still running)
 * @param resets   what memory did right after each memory kill while traffic held ({@link RestartResets})
 */
record MemoryGrowth(List<List<MemorySegment>> segments, List<MemorySegment> open, GrowthPattern growth, TrafficRelation traffic,
                    RestartResets resets) {

    /** Restarts after which memory reset and grew again: by the segments' own rule, or held resets under unchanged traffic. */
    int regrowths() {
        return Math.max(growth.regrowths(), resets.heldResets());
    }

    static MemoryGrowth of(RestartsNode.Outcome a, DiagnosisThresholds t) {
        List<List<MemorySegment>> segments = new ArrayList<>();
        List<MemorySegment> open = new ArrayList<>();
        for (ReplicaTimeline r : a.app().replicas()) {
            if (r.workingSetSamples() == 0) {
                continue;
            }
            List<MemorySegment> segs = MemorySegments.of(r, a.restarts().byReplica().getOrDefault(r.name(), List.of()), a.app().grid(), a.limit());
            segments.add(segs);
            if (!segs.isEmpty() && !segs.get(segs.size() - 1).endsInRestart()) {
                open.add(segs.get(segs.size() - 1));
            }
        }
        return new MemoryGrowth(segments, open, GrowthPattern.of(segments, t), TrafficRelation.of(a.app(), a.restarts()),
                RestartResets.of(a.app(), segments, a.limit(), t));
    }
}
