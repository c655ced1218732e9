package io.oomresponder.evidence;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Sizes of the workload profile types, from Learn "Workload profiles in Azure Container Apps"
 * (https://learn.microsoft.com/azure/container-apps/workload-profiles-overview, profile types
 * table). ARM names only the type ({@code workloadProfileType}); the size is the published one.
 * For Dedicated types it is one node's size (the platform keeps part of each node for itself, so
 * an app gets somewhat less); for Consumption it is the most one replica may have in a
 * workload-profiles environment. Types missing here (new or regional ones) read as unknown.
 */
public final class WorkloadProfileSizes {

    /** vCPUs and memory of a profile type. */
    public record Size(double vCpus, String memory) {
    }

    private static final Map<String, Size> SIZES = Map.ofEntries(
            Map.entry("consumption", new Size(4, "8Gi")),
            Map.entry("d4", new Size(4, "16Gi")),
            Map.entry("d8", new Size(8, "32Gi")),
            Map.entry("d16", new Size(16, "64Gi")),
            Map.entry("d32", new Size(32, "128Gi")),
            Map.entry("e4", new Size(4, "32Gi")),
            Map.entry("e8", new Size(8, "64Gi")),
            Map.entry("e16", new Size(16, "128Gi")),
            Map.entry("e32", new Size(32, "256Gi")),
            Map.entry("nc24-a100", new Size(24, "220Gi")),
            Map.entry("nc48-a100", new Size(48, "440Gi")));

    private WorkloadProfileSizes() {
    }

    /** The published size of this workloadProfileType (case-insensitive), if Learn lists it. */
    public static Optional<Size> sizeOf(String type) {
        return type == null ? Optional.empty() : Optional.ofNullable(SIZES.get(type.toLowerCase(Locale.ROOT)));
    }
}
