package io.oomresponder.simulator.azure;

/** A request the simulated service rejects, answered with an Azure-style error body. */
final class FakeAzureError extends RuntimeException {

    private final int status;
    private final String code;

    FakeAzureError(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }
}
