package io.oomresponder.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oomresponder.config.Settings;
import io.oomresponder.evidence.azure.AppInventory;
import io.oomresponder.evidence.azure.AzureClients;
import io.oomresponder.evidence.azure.AzureSignIn;
import io.oomresponder.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code parameters}: lists the container apps of ARM scopes through ARM (environment, the
 * workspace their system logs go to, memory limit) and writes the deployment's {@code watchedApps}
 * for them, so nobody copies ids and limits into {@code infra/main.parameters.json} by hand.
 */
@Command(name = "parameters", mixinStandardHelpOptions = true,
        description = {"Lists the container apps in ARM scopes (environment, logs workspace, memory limit) and writes infra's watchedApps for them.",
                "An existing parameters file keeps every other parameter; a new one holds watchedApps only. Read-only on Azure (Reader on the scopes)."})
final class ParametersCommand implements Callable<Integer> {

    /** The memory rule's metric: a percent of the limit (follows limit changes) or bytes fixed at deployment. */
    enum MemoryMetric { MemoryPercentage, WorkingSetBytes }

    @Option(names = "--scope", required = true, paramLabel = "SCOPE",
            description = "/subscriptions/<id> or /subscriptions/<id>/resourceGroups/<name>; repeat for several.")
    List<String> scopes;

    @Option(names = "--app", paramLabel = "NAME", description = "Only these apps (repeat); default: every app in the scopes.")
    List<String> only;

    @Option(names = "--memory-metric", defaultValue = "MemoryPercentage", paramLabel = "METRIC",
            description = "Metric of each app's memory rule: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}: a percent of the limit, still right after the memory changes; docs/deploy.md).")
    MemoryMetric memoryMetric;

    @Option(names = "--out", defaultValue = "-", paramLabel = "FILE",
            description = "Parameters file to write: an existing one gets its watchedApps replaced, anything else in it stays (default ${DEFAULT-VALUE}: stdout).")
    String out;

    private final Settings given;

    ParametersCommand() {
        this(null);
    }

    /** @param settings the settings to use instead of the environment (tests point them at the simulator) */
    ParametersCommand(Settings settings) {
        this.given = settings;
    }

    @Override
    public Integer call() throws IOException {
        PrintStream err = System.err;
        Settings settings = given != null ? given : Settings.fromEnvironment();
        AppInventory inventory = new AppInventory(AzureClients.from(settings));
        List<AppInventory.App> found = new ArrayList<>();
        for (String scope : new LinkedHashSet<>(scopes)) {
            try {
                List<AppInventory.App> apps = inventory.list(scope);
                err.println("[arm      ] " + scope + ": " + apps.size() + " container app(s)");
                found.addAll(apps);
            } catch (IllegalArgumentException e) {
                throw CommandFailure.usage(e.getMessage());
            } catch (RuntimeException e) {
                throw CommandFailure.runtime(AzureSignIn.failure(e, "arm")
                        .orElseGet(() -> "cannot list the container apps of " + scope + ": " + FailureLine.describe(e)));
            }
        }
        if (only != null && !only.isEmpty()) {
            Set<String> wanted = new LinkedHashSet<>();
            only.forEach(n -> wanted.add(n.toLowerCase(Locale.ROOT)));
            found.removeIf(a -> !wanted.contains(a.name().toLowerCase(Locale.ROOT)));
            for (String n : wanted) {
                if (found.stream().noneMatch(a -> a.name().equalsIgnoreCase(n))) {
                    throw CommandFailure.usage("--app " + n + ": no such container app in " + String.join(", ", scopes));
                }
            }
        }
        if (found.isEmpty()) {
            throw CommandFailure.runtime("no container app in " + String.join(", ", scopes) + "; nothing to watch");
        }
        found.sort(Comparator.comparing((AppInventory.App a) -> a.subscriptionId().toLowerCase(Locale.ROOT))
                .thenComparing(a -> a.resourceGroup().toLowerCase(Locale.ROOT)).thenComparing(a -> a.name().toLowerCase(Locale.ROOT)));
        ArrayNode watched = Json.mapper().createArrayNode();
        int skipped = 0;
        for (AppInventory.App app : found) {
            if (!app.complete()) {
                err.println("[skipped  ] " + app.name() + " (" + app.resourceGroup() + "): " + app.problem());
                skipped++;
                continue;
            }
            watched.add(entry(app, memoryMetric));
            err.println("[watch    ] " + app.name() + " (" + app.resourceGroup() + "): environment " + last(app.environmentId())
                    + ", workspace " + last(app.workspaceResourceId()) + ", memory " + memory(app.memoryLimitBytes()) + ", rule on " + memoryMetric);
        }
        if (watched.isEmpty()) {
            throw CommandFailure.runtime("none of the " + found.size() + " app(s) found can be watched (see the lines above)");
        }
        write(watched);
        err.println("[done     ] " + watched.size() + " app(s) written to " + ("-".equals(out) ? "stdout" : out)
                + (skipped > 0 ? "; " + skipped + " skipped (add them by hand, see above)" : ""));
        return 0;
    }

    /** One {@code watchedApp} of infra/main.bicep. */
    static ObjectNode entry(AppInventory.App app, MemoryMetric metric) {
        ObjectNode e = Json.mapper().createObjectNode();
        e.put("name", app.name());
        e.put("resourceGroup", app.resourceGroup());
        e.put("subscriptionId", app.subscriptionId());
        if (app.environmentResourceGroup() != null && !app.environmentResourceGroup().equalsIgnoreCase(app.resourceGroup())) {
            e.put("environmentResourceGroup", app.environmentResourceGroup());
        }
        e.put("workspaceResourceId", app.workspaceResourceId());
        long bytes = app.memoryLimitBytes();
        // Bicep has no fractional numbers: MiB holds 0.5Gi and 1.5Gi exactly, bytes anything else.
        if (bytes % (1024 * 1024) == 0) {
            e.put("memoryMiB", bytes / (1024 * 1024));
        } else {
            e.put("memoryBytes", bytes);
        }
        e.put("memoryMetric", metric.name());
        return e;
    }

    private void write(ArrayNode watched) throws IOException {
        ObjectNode file;
        Path path = "-".equals(out) ? null : Path.of(out);
        if (path != null && Files.isRegularFile(path)) {
            JsonNode existing;
            try {
                existing = Json.mapper().readTree(path.toFile());
            } catch (IOException e) {
                throw CommandFailure.usage("--out " + path + " exists but is not JSON: " + FailureLine.describe(e));
            }
            if (!(existing instanceof ObjectNode o) || !o.path("parameters").isObject()) {
                throw CommandFailure.usage("--out " + path + " exists but is not a deployment parameters file (no \"parameters\" object)");
            }
            file = o;
        } else {
            file = Json.mapper().createObjectNode();
            file.put("$schema", "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#");
            file.put("contentVersion", "1.0.0.0");
            file.putObject("parameters");
        }
        ((ObjectNode) file.get("parameters")).putObject("watchedApps").set("value", watched);
        String text = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(file) + System.lineSeparator();
        if (path == null) {
            System.out.print(text);
            System.out.flush();
        } else {
            Files.writeString(path, text, StandardCharsets.UTF_8);
        }
    }

    private static String last(String id) {
        return id == null ? "-" : id.substring(id.lastIndexOf('/') + 1);
    }

    private static String memory(long bytes) {
        return bytes % (1L << 30) == 0 ? bytes / (1L << 30) + " GiB" : bytes / (1L << 20) + " MiB";
    }
}
