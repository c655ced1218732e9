package io.oomresponder.evidence;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * ARM's definite answer that the alert's container app does not exist: the read of the app itself
 * answered 404 with {@code ResourceNotFound} (the app is not there: never created, or deleted, since
 * a deleted resource disappears) or {@code ResourceGroupNotFound} (its resource group is not there).
 * Such an alert is not an incident: nothing can be diagnosed, and nobody on call can act on it, so it
 * is reported to the operator's channel instead of to the incident sinks (issue 26).
 *
 * <p>Everything else stays "evidence partly missing", an incident with gaps: a 403 (ARM's
 * {@code AuthorizationFailed} says "or the scope is invalid", so it does not tell a missing app
 * from a missing role), a timeout, a 5xx, a 404 {@code SubscriptionNotFound} (Learn lists a wrong
 * id and missing permissions as its causes), a 404 with another or no code, or a 404 on anything
 * but the app itself (a revision, the environment, metrics, a workspace). Sources in
 * docs/azure-contract.md ("An app that does not exist").
 *
 * @param appResourceId the app the alert names
 * @param code          ARM's error code ({@link #CODES})
 * @param detail        the gap's sentence, with ARM's message (cleaned: no URLs)
 */
public record AppAbsence(String appResourceId, String code, String detail) {

    /** The ARM codes that say the app is not there. Both come with HTTP 404. */
    public static final Set<String> CODES = Set.of("ResourceNotFound", "ResourceGroupNotFound");

    /** What the gather calls the read of the app itself, the start of its gap's detail. */
    public static final String APP_READ = "container app";

    public AppAbsence {
        Objects.requireNonNull(appResourceId, "appResourceId");
        Objects.requireNonNull(code, "code");
    }

    /**
     * Whether the bundle's own gaps say ARM answered 404 with one of {@link #CODES} to the read of the
     * app: the gap of source {@code arm} whose detail is {@code "container app: HTTP 404 <code>..."}.
     */
    public static Optional<AppAbsence> in(EvidenceBundle bundle) {
        if (bundle == null || bundle.app() == null || bundle.app().resourceId() == null) {
            return Optional.empty();
        }
        for (EvidenceGap gap : bundle.gaps()) {
            if ("arm".equals(gap.source()) && gap.code() != null && CODES.contains(gap.code()) && gap.detail() != null
                    && gap.detail().startsWith(APP_READ + ": HTTP 404 " + gap.code())) {
                return Optional.of(new AppAbsence(bundle.app().resourceId(), gap.code(), gap.detail()));
            }
        }
        return Optional.empty();
    }
}
