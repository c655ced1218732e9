package io.oomresponder.evidence.azure;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The parts of a container app's ARM id that the SDK calls need. */
record ContainerAppId(String resourceId, String subscriptionId, String resourceGroup, String name) {

    private static final Pattern ID = Pattern.compile(
            "/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.App/containerApps/([^/]+)/?",
            Pattern.CASE_INSENSITIVE);

    static Optional<ContainerAppId> parse(String resourceId) {
        if (resourceId == null) {
            return Optional.empty();
        }
        Matcher m = ID.matcher(resourceId);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new ContainerAppId(resourceId, m.group(1), m.group(2), m.group(3)));
    }

    /** The managed environment's resource group and name from its id, or empty when malformed. */
    static Optional<String[]> environment(String environmentId) {
        if (environmentId == null) {
            return Optional.empty();
        }
        Matcher m = Pattern.compile("/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.App/managedEnvironments/([^/]+)/?",
                Pattern.CASE_INSENSITIVE).matcher(environmentId);
        return m.matches() ? Optional.of(new String[]{m.group(1), m.group(2), m.group(3)}) : Optional.empty();
    }
}
