package io.oomresponder.store;

import static org.assertj.core.api.Assertions.assertThat;

/** The store contract on the in-memory store (no restart: it keeps nothing across processes). */
class InMemoryIncidentStoreTest extends IncidentStoreContract {

    @Override
    protected IncidentStore newStore() {
        return new InMemoryIncidentStore(IncidentPolicy.ofDefaults(), IncidentStore.DEFAULT_CLAIM_LEASE);
    }

    @Override
    protected IncidentStore restartedStore() {
        throw new UnsupportedOperationException("the in-memory store does not survive a restart");
    }

    @Override
    protected boolean durable() {
        return false;
    }

    @org.junit.jupiter.api.Test
    void serveKeepsItsClaimsAndAppsBoundedEvictingFinishedClaimsAndTheLeastRecentlyAlertingApps() {
        InMemoryIncidentStore small = new InMemoryIncidentStore(IncidentPolicy.ofDefaults(), IncidentStore.DEFAULT_CLAIM_LEASE, 10, 3);
        java.time.Instant t = IncidentFixtures.T0;
        small.claim("in-progress|Fired", t);
        for (int i = 0; i < 50; i++) {
            String key = "a" + i + "|Fired";
            small.claim(key, t);
            small.complete(key, t);
        }
        assertThat(small.claimCount()).isLessThanOrEqualTo(10);
        assertThat(small.claim("in-progress|Fired", t.plusSeconds(1))).as("a claim in progress is never evicted").isFalse();
        assertThat(small.claim("a49|Fired", t.plusSeconds(1))).as("the newest finished claims are kept").isFalse();

        for (int i = 0; i < 5; i++) {
            small.recordDiagnosis(IncidentFixtures.fired("/subscriptions/s/resourceGroups/rg/providers/Microsoft.App/containerApps/app" + i,
                    "x" + i, t.plusSeconds(i)), IncidentFixtures.leak(3), null, t.plusSeconds(i));
        }
        assertThat(small.appCount()).isEqualTo(3);
        assertThat(small.incidents("/subscriptions/s/resourceGroups/rg/providers/Microsoft.App/containerApps/app4", 5)).hasSize(1);
        assertThat(small.incidents("/subscriptions/s/resourceGroups/rg/providers/Microsoft.App/containerApps/app0", 5)).isEmpty();
    }
}
