package io.oomresponder.simulator.azure;

/** The Azure APIs the simulator serves; faults and latency are set per endpoint. */
public enum FakeEndpoint {
    /** Azure Resource Manager: container apps, revisions, replicas, managed environments. */
    ARM,
    /**
     * The metrics APIs: the batch data plane ({@code metrics:getBatch}) and the per-resource API
     * through ARM ({@code {resourceId}/providers/Microsoft.Insights/metrics}).
     */
    METRICS,
    /** The Log Analytics query API. */
    LOGS,
    /** The Entra ID token endpoint. */
    TOKEN,
    /** Blob storage of the Function app's own account (chart links). */
    BLOB
}
