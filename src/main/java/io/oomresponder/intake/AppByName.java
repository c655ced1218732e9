package io.oomresponder.intake;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A log search alert that names its container app only by name. A rule scoped to a Log Analytics
 * workspace keeps the workspace in {@code alertTargetIDs}, and {@code configurationItems} come only
 * from declared dimensions (Learn alerts-common-schema); the Container Apps tables name the app in a
 * column, {@code ContainerAppName} in the resource-specific tables and {@code ContainerAppName_s} in
 * the {@code _CL} ones, and the environment in {@code EnvironmentName} / {@code EnvironmentName_s}.
 * Such an alert is accepted with the workspace (or the managed environment its {@code _ResourceId}
 * names) as its target and the names as dimensions; the worker resolves the app through ARM before
 * it gathers anything. The intake never does: it keeps its time budget.
 */
public final class AppByName {

    /** Dimension names that carry the app's name, in the order they are read. */
    public static final java.util.List<String> APP_NAME_DIMENSIONS = java.util.List.of("ContainerAppName", "ContainerAppName_s");
    /** Dimension names that carry the managed environment's name. */
    public static final java.util.List<String> ENVIRONMENT_DIMENSIONS = java.util.List.of("EnvironmentName", "EnvironmentName_s");

    /** Managed environment names: letters, digits and hyphens, 2-60 characters (ARM naming rules, Microsoft.App). */
    private static final Pattern ENVIRONMENT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,58}[A-Za-z0-9]");

    private AppByName() {
    }

    /** The app's name from the alert's dimensions, lower case, or empty. */
    public static Optional<String> appName(AlertSignal alert) {
        return appName(alert.dimensions());
    }

    static Optional<String> appName(Map<String, String> dimensions) {
        return first(dimensions, APP_NAME_DIMENSIONS).map(AsciiNames::lower);
    }

    /** The environment's name from the alert's dimensions, or empty. */
    public static Optional<String> environmentName(AlertSignal alert) {
        return first(alert.dimensions(), ENVIRONMENT_DIMENSIONS);
    }

    /** True when the alert does not name a container app by id but carries an app name to resolve. */
    public static boolean needsResolution(AlertSignal alert) {
        return !ContainerAppId.mentionsContainerApps(alert.targetResourceId()) && appName(alert).isPresent();
    }

    /** The same alert about the resolved app. */
    public static AlertSignal resolvedTo(AlertSignal alert, ContainerAppId app) {
        return new AlertSignal(alert.id(), alert.rule(), alert.signal(), alert.condition(), alert.firedAt(), alert.resolvedAt(),
                app.toString(), alert.raw(), alert.severity(), alert.metricValue(), alert.threshold(), alert.query(),
                alert.dimensions(), alert.windowStart(), alert.windowEnd());
    }

    /** Whether a value read from a payload can be a container app's name (ARM's rule: lower case, 2-32). */
    static boolean isAppName(String value) {
        try {
            new ContainerAppId("00000000-0000-0000-0000-000000000000", "rg", AsciiNames.lower(value));
            return true;
        } catch (IllegalArgumentException | NullPointerException e) {
            return false;
        }
    }

    /** Whether a value read from a payload can be a managed environment's name. */
    static boolean isEnvironmentName(String value) {
        return value != null && ENVIRONMENT_NAME.matcher(value).matches();
    }

    private static Optional<String> first(Map<String, String> dimensions, java.util.List<String> names) {
        for (String name : names) {
            for (Map.Entry<String, String> d : dimensions.entrySet()) {
                if (d.getKey().equalsIgnoreCase(name) && d.getValue() != null && !d.getValue().isBlank()) {
                    return Optional.of(d.getValue());
                }
            }
        }
        return Optional.empty();
    }
}
