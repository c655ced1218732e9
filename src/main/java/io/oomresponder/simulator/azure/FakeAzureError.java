package io.oomresponder.simulator.azure;

/**
 * A request the simulated service rejects, answered with an Azure-style error body; Log Analytics
 * nests the cause as {@code innererror: {code, message, innererror: {code, message}}}.
 */
final class FakeAzureError extends RuntimeException {

    private final int status;
    private final String code;
    private final String innerCode;
    private final String innerMessage;
    private final String detailCode;
    private final String detailMessage;

    FakeAzureError(int status, String code, String message) {
        this(status, code, message, null, null, null, null);
    }

    FakeAzureError(int status, String code, String message, String innerCode, String innerMessage, String detailCode, String detailMessage) {
        super(message);
        this.status = status;
        this.code = code;
        this.innerCode = innerCode;
        this.innerMessage = innerMessage;
        this.detailCode = detailCode;
        this.detailMessage = detailMessage;
    }

    /** Log Analytics' answer to a query that names a table or column the workspace does not have. */
    static FakeAzureError semantic(String semCode, String message) {
        return new FakeAzureError(400, "BadArgumentError", "The request had some invalid properties",
                "SemanticError", "A semantic error occurred.", semCode, message);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    String innerCode() {
        return innerCode;
    }

    String innerMessage() {
        return innerMessage;
    }

    String detailCode() {
        return detailCode;
    }

    String detailMessage() {
        return detailMessage;
    }
}
