package io.oomresponder.diagnosis;

import java.util.List;

/**
 * Signal: memory kills that come within minutes of a container start, while traffic is ordinary:
 * start-up work (cache warm-up, loading a model) needs more than the limit.
 *
 * @param memoryKills memory-related restarts considered
 * @param startupKills those within {@link #STARTUP_WINDOW_MINUTES} of the previous start at ordinary traffic
 * @param medianMinutesFromStart median minutes from start to the memory kill (only kills after an observed start), NaN when none
 */
record StartupSpikes(int memoryKills, int startupKills, double medianMinutesFromStart) {

    /** A kill this soon after a start is a start-up kill. */
    static final double STARTUP_WINDOW_MINUTES = 10;
    /** Traffic above this multiple of the replica's median is a surge, not ordinary traffic. */
    static final double SURGE_TRAFFIC_MULTIPLE = 1.5;

    double share() {
        return memoryKills == 0 ? 0 : startupKills / (double) memoryKills;
    }

    static StartupSpikes of(AppTimelines app, RestartEvents.Result restarts) {
        int kills = 0;
        int startup = 0;
        double[] minutes = new double[64];
        int n = 0;
        EvidenceGrid grid = app.grid();
        for (ReplicaTimeline r : app.replicas()) {
            List<RestartEvent> ev = restarts.byReplica().getOrDefault(r.name(), List.of());
            double[] req = r.requests();
            double medianTraffic = req == null ? Double.NaN
                    : medianOf(MemorySegments.bucketMeans(req, 0, req.length, Math.min(req.length, TrafficRelation.CORRELATION_POINTS)));
            Integer lastStart = null;
            if (r.createdAt() != null && !r.createdAt().isBefore(grid.start())) {
                lastStart = grid.clampedIndex(r.createdAt());
            }
            for (RestartEvent e : ev) {
                if (e.memoryRelated()) {
                    kills++;
                    if (lastStart != null) {
                        double m = (e.index() - lastStart) * grid.stepMinutes();
                        if (n == minutes.length) {
                            minutes = java.util.Arrays.copyOf(minutes, n * 2);
                        }
                        minutes[n++] = m;
                        boolean surge = false;
                        if (!Double.isNaN(medianTraffic) && medianTraffic > 0) {
                            double q = r.requests()[e.index()];
                            surge = !Double.isNaN(q) && q > SURGE_TRAFFIC_MULTIPLE * medianTraffic;
                        }
                        if (m <= STARTUP_WINDOW_MINUTES && !surge) {
                            startup++;
                        }
                    }
                }
                lastStart = e.index();
            }
        }
        return new StartupSpikes(kills, startup, TrafficRelation.median(minutes, n));
    }

    static double medianOf(double[] v) {
        double[] c = new double[v.length];
        int n = 0;
        for (double x : v) {
            if (!Double.isNaN(x)) {
                c[n++] = x;
            }
        }
        return TrafficRelation.median(c, n);
    }
}
