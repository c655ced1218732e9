package io.oomresponder.delivery.jira;

import io.oomresponder.delivery.SinkSettings;
import io.oomresponder.config.Settings;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Jira Cloud REST v3.
 *
 * @param siteUrl           JIRA_URL, e.g. https://acme.atlassian.net
 * @param email             JIRA_EMAIL, the account of the API token
 * @param apiToken          JIRA_API_TOKEN (secret)
 * @param projectKey        JIRA_PROJECT, e.g. OPS
 * @param issueType         JIRA_ISSUE_TYPE (default Bug)
 * @param resolveTransition JIRA_RESOLVE_TRANSITION: the transition name to apply on Resolved (e.g. Done), or null for none
 */
public record JiraConfig(URI siteUrl, String email, String apiToken, String projectKey, String issueType, String resolveTransition) {

    public static final String URL = "JIRA_URL";
    public static final String EMAIL = "JIRA_EMAIL";
    public static final String API_TOKEN = "JIRA_API_TOKEN";
    public static final String PROJECT = "JIRA_PROJECT";
    public static final String ISSUE_TYPE = "JIRA_ISSUE_TYPE";
    public static final String RESOLVE_TRANSITION = "JIRA_RESOLVE_TRANSITION";

    public JiraConfig {
        Objects.requireNonNull(siteUrl, "siteUrl");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(apiToken, "apiToken");
        Objects.requireNonNull(projectKey, "projectKey");
        Objects.requireNonNull(issueType, "issueType");
        if (!projectKey.matches("[A-Z][A-Z0-9_]{0,19}")) {
            throw new IllegalArgumentException("setting " + PROJECT + " must be a Jira project key such as OPS, was '" + projectKey + "'");
        }
    }

    public static Optional<JiraConfig> from(Settings settings) {
        return SinkSettings.optionalUrl(settings, URL, false).map(url -> new JiraConfig(url,
                SinkSettings.required(settings, EMAIL), SinkSettings.required(settings, API_TOKEN), SinkSettings.required(settings, PROJECT),
                settings.get(ISSUE_TYPE, "Bug"), settings.get(RESOLVE_TRANSITION).orElse(null)));
    }

    @Override
    public String toString() {
        return "JiraConfig[siteUrl=" + siteUrl + ", email=" + email + ", apiToken=(hidden), projectKey=" + projectKey
                + ", issueType=" + issueType + ", resolveTransition=" + resolveTransition + "]";
    }
}
