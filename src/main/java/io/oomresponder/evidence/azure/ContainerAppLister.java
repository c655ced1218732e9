package io.oomresponder.evidence.azure;

import com.azure.core.http.rest.PagedIterable;
import com.azure.resourcemanager.appcontainers.models.ContainerApp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lists the container apps of one ARM scope, a subscription or one of its resource groups, through
 * the appcontainers SDK (Container Apps - List By Subscription / List By Resource Group). The SDK's
 * {@link PagedIterable} follows every {@code nextLink}, so apps on later pages are never missed.
 * Read-only; needs Reader (or any role with {@code Microsoft.App/containerApps/read}) on the scope.
 *
 * <p>Used by the worker to find the app a workspace-scoped log alert names only by its name
 * ({@code AppResolver}), and meant for any command that lists the apps in scope.
 */
public final class ContainerAppLister {

    /** More apps than this in one scope are not read (a bound on memory and time, far above any real environment). */
    public static final int MAX_APPS = 10_000;

    private static final Pattern SCOPE = Pattern.compile(
            "/subscriptions/([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})(?:/resourceGroups/([-\\w.()]{1,90}))?/?");

    private final AzureClients clients;

    /** @param clients the evidence clients (their ARM client per subscription) */
    public ContainerAppLister(AzureClients clients) {
        this.clients = Objects.requireNonNull(clients, "clients");
    }

    /**
     * One container app as the list shows it.
     *
     * @param resourceId     its ARM id, as ARM wrote it
     * @param name           its name
     * @param subscriptionId its subscription
     * @param resourceGroup  its resource group, as ARM wrote it
     * @param environmentId  the managed environment it runs in (ARM id), or null when ARM gave none
     * @param location       its region, or null
     */
    public record ListedApp(String resourceId, String name, String subscriptionId, String resourceGroup,
                            String environmentId, String location) {
    }

    /**
     * Every container app in the scope, all pages followed, at most {@link #MAX_APPS}.
     *
     * @param scope {@code /subscriptions/<guid>} or {@code /subscriptions/<guid>/resourceGroups/<name>}
     * @throws IllegalArgumentException when the scope is neither
     * @throws RuntimeException         what the SDK throws when ARM refuses (e.g. {@code ManagementException} 403)
     */
    public List<ListedApp> list(String scope) {
        Matcher m = scope == null ? null : SCOPE.matcher(scope);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("not a subscription or resource group scope: /subscriptions/<guid>[/resourceGroups/<name>]");
        }
        String subscription = m.group(1);
        String group = m.group(2);
        var apps = clients.arm(subscription).containerApps();
        PagedIterable<ContainerApp> pages = group == null ? apps.list() : apps.listByResourceGroup(group);
        List<ListedApp> out = new ArrayList<>();
        for (ContainerApp app : pages) {
            if (out.size() >= MAX_APPS) {
                break;
            }
            out.add(new ListedApp(app.id(), app.name(), subscription, app.resourceGroupName(),
                    ArmEvidenceReader.environmentId(app), app.location()));
        }
        return out;
    }
}
