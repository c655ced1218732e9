package io.oomresponder.delivery.azuredevops;

import io.oomresponder.delivery.SinkSettings;
import io.oomresponder.config.Settings;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Azure DevOps Boards work items.
 *
 * @param organizationUrl ADO_ORG_URL, e.g. https://dev.azure.com/contoso
 * @param project         ADO_PROJECT
 * @param pat             ADO_PAT, a personal access token with Work Items (read and write) (secret)
 * @param workItemType    ADO_WORK_ITEM_TYPE (default Bug)
 * @param areaPath        ADO_AREA_PATH, or null for the project default
 * @param closeOnResolved ADO_CLOSE_ON_RESOLVED: set the state on Resolved (default false)
 * @param closedState     ADO_CLOSED_STATE (default Closed; "Done" in the Basic process)
 */
public record AzureDevOpsConfig(URI organizationUrl, String project, String pat, String workItemType, String areaPath,
                                boolean closeOnResolved, String closedState) {

    public static final String ORG_URL = "ADO_ORG_URL";
    public static final String PROJECT = "ADO_PROJECT";
    public static final String PAT = "ADO_PAT";
    public static final String WORK_ITEM_TYPE = "ADO_WORK_ITEM_TYPE";
    public static final String AREA_PATH = "ADO_AREA_PATH";
    public static final String CLOSE_ON_RESOLVED = "ADO_CLOSE_ON_RESOLVED";
    public static final String CLOSED_STATE = "ADO_CLOSED_STATE";

    public AzureDevOpsConfig {
        Objects.requireNonNull(organizationUrl, "organizationUrl");
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(pat, "pat");
        Objects.requireNonNull(workItemType, "workItemType");
        Objects.requireNonNull(closedState, "closedState");
    }

    public static Optional<AzureDevOpsConfig> from(Settings settings) {
        return SinkSettings.optionalUrl(settings, ORG_URL, false).map(url -> new AzureDevOpsConfig(url,
                SinkSettings.required(settings, PROJECT), SinkSettings.required(settings, PAT), settings.get(WORK_ITEM_TYPE, "Bug"),
                settings.get(AREA_PATH).orElse(null), SinkSettings.bool(settings, CLOSE_ON_RESOLVED, false), settings.get(CLOSED_STATE, "Closed")));
    }

    @Override
    public String toString() {
        return "AzureDevOpsConfig[organizationUrl=" + organizationUrl + ", project=" + project + ", pat=(hidden), workItemType=" + workItemType
                + ", areaPath=" + areaPath + ", closeOnResolved=" + closeOnResolved + ", closedState=" + closedState + "]";
    }
}
