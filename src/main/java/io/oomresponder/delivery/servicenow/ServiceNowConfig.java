package io.oomresponder.delivery.servicenow;

import io.oomresponder.delivery.SinkSettings;
import io.oomresponder.config.Settings;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * ServiceNow incident Table API.
 *
 * @param instanceUrl       SERVICENOW_URL, e.g. https://acme.service-now.com
 * @param user              SERVICENOW_USER
 * @param password          SERVICENOW_PASSWORD (secret)
 * @param assignmentGroup   SERVICENOW_ASSIGNMENT_GROUP (sys_id or name), or null
 * @param resolveOnResolved SERVICENOW_RESOLVE_ON_RESOLVED: set state Resolved when the alert resolves (default false)
 * @param closeCode         SERVICENOW_CLOSE_CODE used when resolving (default "Solution provided")
 */
public record ServiceNowConfig(URI instanceUrl, String user, String password, String assignmentGroup, boolean resolveOnResolved, String closeCode) {

    public static final String URL = "SERVICENOW_URL";
    public static final String USER = "SERVICENOW_USER";
    public static final String PASSWORD = "SERVICENOW_PASSWORD";
    public static final String ASSIGNMENT_GROUP = "SERVICENOW_ASSIGNMENT_GROUP";
    public static final String RESOLVE = "SERVICENOW_RESOLVE_ON_RESOLVED";
    public static final String CLOSE_CODE = "SERVICENOW_CLOSE_CODE";

    public ServiceNowConfig {
        Objects.requireNonNull(instanceUrl, "instanceUrl");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(closeCode, "closeCode");
    }

    public static Optional<ServiceNowConfig> from(Settings settings) {
        return SinkSettings.optionalUrl(settings, URL, false).map(url -> new ServiceNowConfig(url,
                SinkSettings.required(settings, USER), SinkSettings.required(settings, PASSWORD),
                settings.get(ASSIGNMENT_GROUP).orElse(null), SinkSettings.bool(settings, RESOLVE, false),
                settings.get(CLOSE_CODE, "Solution provided")));
    }

    @Override
    public String toString() {
        return "ServiceNowConfig[instanceUrl=" + instanceUrl + ", user=" + user + ", password=(hidden), assignmentGroup=" + assignmentGroup
                + ", resolveOnResolved=" + resolveOnResolved + ", closeCode=" + closeCode + "]";
    }
}
