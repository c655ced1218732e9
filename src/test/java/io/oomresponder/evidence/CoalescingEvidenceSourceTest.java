package io.oomresponder.evidence;

import io.oomresponder.intake.AlertSignal;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class CoalescingEvidenceSourceTest {

    private static final Instant T0 = Instant.parse("2026-10-12T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(T0.plusSeconds(300), ZoneOffset.UTC);
    private static final EvidenceBundle BASE = EvidenceBundleFile.read(io.oomresponder.SharedFiles.example("peak-spike.json"));

    @Test
    void concurrentAlertsForOneAppShareOneGatherAndKeepTheirOwnAlert() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        EvidenceSource slow = alert -> {
            calls.incrementAndGet();
            await(release);
            return withAlert(alert);
        };
        CoalescingEvidenceSource source = new CoalescingEvidenceSource(slow, CLOCK);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<EvidenceBundle>> results = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            AlertSignal a = alert("app-a", "alert-" + i, T0.plusSeconds(i * 3L));
            results.add(pool.submit(() -> source.gather(a)));
        }
        // Release the one gather only once the other 19 have joined it while it is in flight: a count, not a sleep.
        awaitCount(source::shared, 19);
        release.countDown();
        for (int i = 0; i < results.size(); i++) {
            assertThat(results.get(i).get(10, TimeUnit.SECONDS).alert().id()).isEqualTo("alert-" + i);
        }
        pool.shutdown();
        assertThat(calls.get()).isEqualTo(1);
        assertThat(source.gathers()).isEqualTo(1);
        assertThat(source.shared()).isEqualTo(19);
    }

    @Test
    void alertsForOtherAppsOrFarApartInTimeGatherOnTheirOwn() {
        AtomicInteger calls = new AtomicInteger();
        CoalescingEvidenceSource source = new CoalescingEvidenceSource(a -> {
            calls.incrementAndGet();
            return withAlert(a);
        }, CLOCK);

        source.gather(alert("app-a", "1", T0));
        source.gather(alert("app-b", "2", T0));
        source.gather(alert("app-a", "3", T0.plus(Duration.ofMinutes(30))));

        assertThat(calls.get()).isEqualTo(3);
    }

    @Test
    void aFailedGatherIsNotSharedAndTheNextAlertTriesAgain() {
        AtomicInteger calls = new AtomicInteger();
        CoalescingEvidenceSource source = new CoalescingEvidenceSource(a -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("boom");
            }
            return withAlert(a);
        }, CLOCK);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> source.gather(alert("app-a", "1", T0))).hasMessage("boom");
        assertThat(source.gather(alert("app-a", "2", T0)).alert().id()).isEqualTo("2");
        assertThat(calls.get()).isEqualTo(2);
    }

    private static AlertSignal alert(String app, String id, Instant firedAt) {
        return new AlertSignal(id, "rule", AlertSignal.Signal.RestartCount, AlertSignal.Condition.Fired, firedAt, null,
                "/subscriptions/s/resourceGroups/g/providers/Microsoft.App/containerApps/" + app, null, null, null, null, null,
                Map.of(), null, null);
    }

    private static EvidenceBundle withAlert(AlertSignal alert) {
        return new EvidenceBundle(1, alert, BASE.window(), BASE.app(), BASE.replicas(), BASE.metrics(), BASE.systemLogs(),
                BASE.consoleLogs(), BASE.gaps());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until {@code count} reaches {@code expected}, yielding meanwhile; fails after a minute rather than hang. */
    private static void awaitCount(java.util.function.LongSupplier count, long expected) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (count.getAsLong() < expected) {
            assertThat(System.nanoTime()).as("%d of %d joined within a minute", count.getAsLong(), expected).isLessThan(deadline);
            Thread.yield();
        }
    }
}
