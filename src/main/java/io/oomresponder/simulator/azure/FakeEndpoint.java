package io.oomresponder.simulator.azure;

/** The Azure APIs the simulator serves; faults and latency are set per endpoint. */
public enum FakeEndpoint {
    /** Azure Resource Manager: container apps, revisions, replicas, managed environments. */
    ARM,
    /** The metrics batch data plane ({@code metrics:getBatch}). */
    METRICS,
    /** The Log Analytics query API. */
    LOGS,
    /** The Entra ID token endpoint. */
    TOKEN,
    /** Blob storage of the Function app's own account (chart links). */
    BLOB
}
