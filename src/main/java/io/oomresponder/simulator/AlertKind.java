package io.oomresponder.simulator;

/** Which alert rule noticed the incident. */
enum AlertKind {
    /** Metric alert: RestartCount Total greater than 0 over five minutes. */
    RESTART_COUNT,
    /** Log search alert (Log Alerts V2) on OOMKilled lines of ContainerAppSystemLogs, scoped to the workspace, naming the app by ContainerAppName. */
    OOM_LOG,
    /** Metric alert: WorkingSetBytes Maximum over a byte threshold. */
    WORKING_SET,
    /** Metric alert: MemoryPercentage Maximum over a percentage. */
    MEMORY_PERCENTAGE
}
