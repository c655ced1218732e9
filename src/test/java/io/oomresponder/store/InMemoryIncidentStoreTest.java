package io.oomresponder.store;

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
}
