package io.oomresponder.evidence.azure;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.identity.CredentialUnavailableException;

import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Recognises a failure to sign in to Azure (no credential, a token Azure refuses: HTTP 401) or to
 * be allowed to read (HTTP 403), and words it as its own evidence gap with what to do about it.
 * Without this, a replay with no Azure login would read as "no metrics, no logs" and the note
 * would advise on memory with nothing known. The wording never carries the SDK's message, which
 * may hold URLs, tenant ids or token fragments.
 */
public final class AzureSignIn {

    /** Every sign-in gap starts with this. */
    public static final String SIGN_IN_FAILED = io.oomresponder.evidence.EvidenceGap.SIGN_IN_FAILED;
    /** Every authorization gap starts with this. */
    public static final String NOT_AUTHORIZED = "not authorized to read from Azure";
    /** What a person does about a failed sign-in. */
    public static final String HINT = "run `az login`, or set AZURE_CLIENT_ID for a managed identity";

    private AzureSignIn() {
    }

    /**
     * The gap detail when {@code error} is an authentication or authorization failure, else empty.
     *
     * @param source arm, metrics or logs (names the role that is missing on a 403), or null
     */
    public static Optional<String> failure(Throwable error, String source) {
        return failure(error, source, null);
    }

    /**
     * As {@link #failure(Throwable, String)}, with the service's error code when the caller already
     * read it from the body (the metrics client does not parse it into the exception).
     */
    public static Optional<String> failure(Throwable error, String source, String knownCode) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof CompletionException || e instanceof ExecutionException) {
                continue;
            }
            if (e instanceof HttpResponseException h && h.getResponse() != null) {
                int status = h.getResponse().getStatusCode();
                String code = code(h).isEmpty() && knownCode != null && !knownCode.isBlank()
                        ? " " + knownCode.replaceAll("[^A-Za-z0-9_.-]", "") : code(h);
                if (status == 401) {
                    return Optional.of(SIGN_IN_FAILED + ": Azure refused the token (HTTP 401" + code + "); " + HINT);
                }
                if (status == 403) {
                    return Optional.of(NOT_AUTHORIZED + " (HTTP 403" + code + "): the signed-in identity needs " + role(source)
                            + " (README, Signing in to Azure)");
                }
                return Optional.empty();
            }
            if (e instanceof CredentialUnavailableException) {
                return Optional.of(SIGN_IN_FAILED + ": no credential available (DefaultAzureCredential found no environment "
                        + "credential, managed identity or Azure CLI login); " + HINT);
            }
            if (e instanceof ClientAuthenticationException) {
                return Optional.of(SIGN_IN_FAILED + ": the credential could not get a token; " + HINT);
            }
        }
        return Optional.empty();
    }

    /** Whether a gap detail is one of ours (sign-in or authorization). */
    public static boolean isSignInGap(String detail) {
        return detail != null && (detail.contains(SIGN_IN_FAILED) || detail.contains(NOT_AUTHORIZED));
    }

    private static String role(String source) {
        if ("metrics".equals(source)) {
            return "Monitoring Reader (or Reader) on the app's resource group";
        }
        if ("logs".equals(source)) {
            return "Log Analytics Reader on the environment's Log Analytics workspace";
        }
        return "Reader on the app's resource group";
    }

    /** Azure's error code as the service wrote it (read from the body: some clients' error models come back empty). */
    private static String code(HttpResponseException h) {
        String code = AzureServiceError.of(h).map(AzureServiceError::code).orElse(null);
        return code == null || code.isBlank() ? "" : " " + code;
    }
}
