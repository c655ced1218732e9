package io.oomresponder.evidence.azure;

import io.oomresponder.config.Settings;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;

/**
 * Where the Azure APIs are: the cloud's defaults ({@code AZURE_CLOUD} = AzureCloud,
 * AzureChinaCloud or AzureUSGovernment), each overridable by an explicit endpoint setting
 * (sovereign and private clouds need them; the simulator uses the same mechanism).
 *
 * @param cloud            the cloud whose defaults and token audiences apply
 * @param resourceManager  ARM base URL, ending in "/"; the metrics are read through it too
 *                         ({@code {resourceId}/providers/Microsoft.Insights/metrics}, see docs/evidence.md
 *                         for why not the regional metrics batch endpoint)
 * @param logs             Log Analytics query base URL, ending in "/v1"
 * @param authorityHost    Entra ID authority host
 * @param simulatorCert    PEM file (or {@code classpath:} resource) of the simulator's loopback
 *                         certificate; when set, the simulator mode is on
 */
public record AzureEndpoints(
        Cloud cloud,
        String resourceManager,
        String logs,
        String authorityHost,
        String simulatorCert) {

    /** Setting names (documented in docs/sections/evidence.md). */
    public static final String AZURE_CLOUD = "AZURE_CLOUD";
    public static final String AZURE_RESOURCE_MANAGER_ENDPOINT = "AZURE_RESOURCE_MANAGER_ENDPOINT";
    public static final String AZURE_LOGS_ENDPOINT = "AZURE_LOGS_ENDPOINT";
    public static final String AZURE_AUTHORITY_HOST = "AZURE_AUTHORITY_HOST";
    public static final String AZURE_SIMULATOR_CERT = "AZURE_SIMULATOR_CERT";

    /** The public clouds and their default endpoints. */
    public enum Cloud {
        AzureCloud("https://management.azure.com/", "https://api.loganalytics.io/v1", "https://login.microsoftonline.com/"),
        AzureChinaCloud("https://management.chinacloudapi.cn/", "https://api.loganalytics.azure.cn/v1", "https://login.chinacloudapi.cn/"),
        AzureUSGovernment("https://management.usgovcloudapi.net/", "https://api.loganalytics.us/v1", "https://login.microsoftonline.us/");

        final String resourceManager;
        final String logs;
        final String authority;

        Cloud(String resourceManager, String logs, String authority) {
            this.resourceManager = resourceManager;
            this.logs = logs;
            this.authority = authority;
        }
    }

    public AzureEndpoints {
        Objects.requireNonNull(cloud, "cloud");
        resourceManager = withTrailingSlash(requireHttps(AZURE_RESOURCE_MANAGER_ENDPOINT, resourceManager));
        logs = withoutTrailingSlash(requireHttps(AZURE_LOGS_ENDPOINT, logs));
        // The Logs client's default host includes the API version path; an override must too.
        if (!logs.endsWith("/v1")) {
            logs = logs + "/v1";
        }
        authorityHost = withTrailingSlash(requireHttps(AZURE_AUTHORITY_HOST, authorityHost));
        if (simulatorCert != null && !allLoopback(List.of(resourceManager, logs, authorityHost))) {
            throw new IllegalStateException(AZURE_SIMULATOR_CERT + " is set but not every Azure endpoint is a loopback address;"
                    + " the simulator certificate is trusted only for 127.0.0.1/localhost");
        }
    }

    /** Reads the endpoint settings; an explicit endpoint wins over the cloud default. */
    public static AzureEndpoints from(Settings settings) {
        String cloudName = settings.get(AZURE_CLOUD, Cloud.AzureCloud.name());
        Cloud cloud;
        try {
            cloud = Cloud.valueOf(cloudName);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("setting " + AZURE_CLOUD + " must be AzureCloud, AzureChinaCloud or AzureUSGovernment, was '" + cloudName + "'");
        }
        return new AzureEndpoints(cloud,
                settings.get(AZURE_RESOURCE_MANAGER_ENDPOINT, cloud.resourceManager),
                settings.get(AZURE_LOGS_ENDPOINT, cloud.logs),
                settings.get(AZURE_AUTHORITY_HOST, cloud.authority),
                settings.get(AZURE_SIMULATOR_CERT).orElse(null));
    }

    public boolean simulatorMode() {
        return simulatorCert != null;
    }

    static boolean allLoopback(List<String> urls) {
        for (String url : urls) {
            String host = URI.create(url).getHost();
            if (host == null) {
                return false;
            }
            if (host.equalsIgnoreCase("localhost")) {
                continue;
            }
            // Only literal addresses: a name could resolve elsewhere tomorrow.
            if (!host.matches("[0-9.]+|\\[[0-9a-fA-F:]+]")) {
                return false;
            }
            try {
                if (!InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress()) {
                    return false;
                }
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return true;
    }

    private static String requireHttps(String setting, String url) {
        Objects.requireNonNull(url, setting);
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("setting " + setting + " is not a URL: '" + url + "'");
        }
        // The SDK's bearer-token policy refuses anything but https; fail at start, not per alert.
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("setting " + setting + " must be an https URL, was '" + url + "'");
        }
        return url;
    }

    private static String withTrailingSlash(String url) {
        return url.endsWith("/") ? url : url + "/";
    }

    private static String withoutTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
