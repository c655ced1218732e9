package io.oomresponder.diagnosis;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/**
 * The numbers behind a diagnosis, every one traceable to the bundle. Null means "could not be
 * computed from the evidence", never zero.
 *
 * @param memoryLimitBytes           the container's memory limit
 * @param peakWorkingSetBytes        the highest working set of any replica in the window
 * @param peakToLimit                peak / limit (0..1+)
 * @param timeAbove90PctMinutes      minutes any replica spent above 90% of the limit
 * @param growthBytesPerHour         median growth rate of the growing segments (Theil–Sen)
 * @param trendStrength              median rank correlation of working set with time (-1..1)
 * @param trafficCorrelation         median Spearman correlation of working set with requests (-1..1)
 * @param restarts                   restarts in the window, all sources merged
 * @param oomKills                   restarts with OOM evidence
 * @param nonOomExits                restarts with evidence of another exit (exit 1, probe failures, ...)
 * @param regrowthsAfterRestart      restarts after which memory grew again toward the limit
 * @param replicas                   replicas seen in the window
 * @param maxReplicas                the app's maxReplicas, or null
 * @param projectedOomEarliest       earliest projected next OOM time at the observed slope, or null
 * @param projectedOomLatest         latest projected next OOM time, or null
 * @param recentRevision             a revision created shortly before the first OOM, or null
 * @param recentRevisionCreatedAt    when that revision was created, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Figures(
        Long memoryLimitBytes,
        Double peakWorkingSetBytes,
        Double peakToLimit,
        Integer timeAbove90PctMinutes,
        Double growthBytesPerHour,
        Double trendStrength,
        Double trafficCorrelation,
        Integer restarts,
        Integer oomKills,
        Integer nonOomExits,
        Integer regrowthsAfterRestart,
        Integer replicas,
        Integer maxReplicas,
        Instant projectedOomEarliest,
        Instant projectedOomLatest,
        String recentRevision,
        Instant recentRevisionCreatedAt) {
}
