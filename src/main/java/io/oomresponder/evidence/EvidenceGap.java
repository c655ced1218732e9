package io.oomresponder.evidence;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Something that could not be gathered: {@code source} is arm, metrics or logs; {@code detail} says
 * what and why in a sentence; {@code code} is the error code the Azure service itself returned
 * (e.g. {@code BadRequest}, {@code AuthorizationFailed}), or null when the failure had none (a
 * timeout, a refused connection). {@code code} is optional in the bundle format: bundles written
 * before it existed read with a null code, and a null code is not written.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EvidenceGap(String source, String detail, @JsonInclude(JsonInclude.Include.NON_NULL) String code) {

    /** How a gap's detail begins when the responder could not sign in to Azure at all. */
    public static final String SIGN_IN_FAILED = "could not sign in to Azure";

    /** A gap without a service error code. */
    public EvidenceGap(String source, String detail) {
        this(source, detail, null);
    }
}
