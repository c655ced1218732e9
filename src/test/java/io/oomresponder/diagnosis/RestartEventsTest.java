package io.oomresponder.diagnosis;

import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.SystemLogEvent;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RestartEventsTest {

    private static RestartEvents.Result merge(EvidenceBundle b) {
        return RestartEvents.merge(AppTimelines.from(b), b.systemLogs(), b.consoleLogs(), b.app().memoryLimitBytes());
    }

    @Test
    void metricAndLogOfOneRestartMergeIntoOneOomKill() {
        SyntheticIncident s = SyntheticIncidents.leak();
        s.replicas = 1;
        EvidenceBundle b = s.bundle();

        List<RestartEvent> all = merge(b).all();

        assertThat(all).isNotEmpty();
        assertThat(all).hasSize(b.systemLogs().size());
        assertThat(all).allMatch(e -> e.kind() == RestartEvent.Kind.OOM_KILLED);
        // A restart in the first bucket is already in the counter's first value: it shows in the
        // logs and the working set, not as a rise.
        assertThat(all).filteredOn(e -> e.index() > 0).allMatch(e -> e.sources().contains(RestartEvent.Source.RESTART_COUNT_METRIC)
                && e.sources().contains(RestartEvent.Source.SYSTEM_LOG)
                && e.sources().contains(RestartEvent.Source.WORKING_SET_DROP));
    }

    @Test
    void restartAtTheLimitWithoutLogIsKeptApartFromLoggedKills() {
        SyntheticIncident s = SyntheticIncidents.leak();
        s.oomLogs = false;

        List<RestartEvent> all = merge(s.bundle()).all();

        assertThat(all).isNotEmpty().allMatch(e -> e.kind() == RestartEvent.Kind.MEMORY_AT_LIMIT);
        assertThat(all).allMatch(RestartEvent::memoryRelated);
    }

    @Test
    void exit137WithLowMemoryIsNotAnOom() {
        List<RestartEvent> all = merge(SyntheticIncidents.exit137WithoutOom().bundle()).all();

        assertThat(all).isNotEmpty().allMatch(e -> e.kind() == RestartEvent.Kind.NON_OOM_EXIT && e.exitCode() == 137);
    }

    @Test
    void probeFailuresMarkTheRestartAsNonMemory() {
        List<RestartEvent> all = merge(SyntheticIncidents.probeFailures().bundle()).all();

        assertThat(all).isNotEmpty().allMatch(e -> e.kind() == RestartEvent.Kind.NON_OOM_EXIT);
    }

    @Test
    void workingSetDropsStandInWhenTheRestartMetricIsMissing() {
        SyntheticIncident s = SyntheticIncidents.leak();
        s.oomLogs = false;
        EvidenceBundle b = BundleVariants.without(s.bundle(), "RestartCount");
        int armTotal = b.replicas().stream().mapToInt(r -> r.totalRestarts() - s.restartsBefore).sum();

        List<RestartEvent> all = merge(b).all();

        assertThat(all).hasSize(armTotal);
        assertThat(all).allMatch(e -> e.sources().equals(java.util.Set.of(RestartEvent.Source.WORKING_SET_DROP)));
    }

    @Test
    void restartsAreTheRisesOfTheRunningCounter() {
        double n = Double.NaN;
        assertThat(RestartEvents.rises(new double[]{3, 3, n, 4, 4, 6}, false)).containsExactly(0, 0, 0, 1, 0, 2);
        // The counter's first value is the restarts before the window...
        assertThat(RestartEvents.rises(new double[]{5, 5, 5}, false)).containsExactly(0, 0, 0);
        // ...unless the replica was created in the window: then it started at 0.
        assertThat(RestartEvents.rises(new double[]{1, 1, 2}, true)).containsExactly(1, 0, 1);
    }

    @Test
    void perBucketCountsReadRightToo() {
        // A series that falls is not a counter: each bucket's value is that bucket's restarts.
        assertThat(RestartEvents.rises(new double[]{0, 1, 0, 2, 0}, false)).containsExactly(0, 1, 0, 2, 0);
    }

    @Test
    void perBucketRestartCountsOfAnOlderSourceGiveTheSameRestarts() {
        SyntheticIncident counter = SyntheticIncidents.leak();
        SyntheticIncident perBucket = SyntheticIncidents.leak();
        perBucket.cumulativeRestartCount = false;

        assertThat(merge(perBucket.bundle()).all().size()).isEqualTo(merge(counter.bundle()).all().size());
    }

    @Test
    void logMeaningsAreRecognised() {
        assertThat(RestartEvents.meaning("ContainerTerminated", "Container 'app' was terminated with exit code '137' and reason 'OOMKilled'"))
                .isEqualTo(RestartEvents.LogMeaning.OOM);
        assertThat(RestartEvents.meaning("ContainerTerminated", "Container 'app' was terminated with exit code '137'"))
                .isEqualTo(RestartEvents.LogMeaning.EXIT_137);
        assertThat(RestartEvents.meaning("Error", "Container 'app' was terminated with exit code '1' and reason 'Error'"))
                .isEqualTo(RestartEvents.LogMeaning.OTHER_EXIT);
        assertThat(RestartEvents.meaning("ContainerBackOff", "Persistent Failiure to start container"))
                .isEqualTo(RestartEvents.LogMeaning.PROBE_OR_BACKOFF);
        assertThat(RestartEvents.meaning("ContainerStarted", "Started container 'app'")).isEqualTo(RestartEvents.LogMeaning.NONE);
    }

    @Test
    void oomLogOfAnUnknownReplicaIsCountedApart() {
        EvidenceBundle b = SyntheticIncidents.healthy().bundle();
        EvidenceBundle withLog = new EvidenceBundle(1, b.alert(), b.window(), b.app(), b.replicas(), b.metrics(),
                List.of(new SystemLogEvent(b.window().start().plusSeconds(600), "x", "other-pod", "ContainerTerminated", "Warning",
                        "Container 'app' was terminated with exit code '137' and reason 'OOMKilled'")), List.of(), List.of());

        assertThat(merge(withLog).unattributedOomLogs()).isEqualTo(1);
    }

    @Test
    void consoleOomPhrasesAreFoundInAnyCaseAndOnlyWhereTheyAre() {
        for (String line : List.of("java.lang.OutOfMemoryError: Java heap space", "fatal: OUT OF MEMORY", "MemoryError",
                "Cannot Allocate Memory (errno=12)", "container was OOMKilled", "x oomkill", "MEMORYERROR at the end")) {
            assertThat(RestartEvents.mentionsOom(line)).as(line).isTrue();
        }
        for (String line : List.of("INFO request completed method=GET path=/api/users/me status=200 duration_ms=326",
                "memory at 80%", "room kill", "out of mem", "outof memory", "", "m", "oom")) {
            assertThat(RestartEvents.mentionsOom(line)).as(line).isFalse();
        }
    }
}
