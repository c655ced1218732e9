package io.oomresponder.host;

import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatusType;

import java.util.HashMap;
import java.util.Map;

/**
 * A built Functions HTTP response as the Java worker holds it: status, headers, body. The worker's
 * own classes are not available outside the Functions host, so this stands in where this app makes
 * the worker's request objects itself ({@link WorkerInvocation}), and in tests.
 */
public record FunctionResponse(HttpStatusType status, Map<String, String> headers, Object body) implements HttpResponseMessage {

    /** The builder a request's {@code createResponseBuilder(status)} answers. */
    public static HttpResponseMessage.Builder builder(HttpStatusType status) {
        return new Builder(status);
    }

    @Override
    public HttpStatusType getStatus() {
        return status;
    }

    @Override
    public String getHeader(String key) {
        return headers.get(key);
    }

    @Override
    public Object getBody() {
        return body;
    }

    private static final class Builder implements HttpResponseMessage.Builder {
        private HttpStatusType status;
        private final Map<String, String> headers = new HashMap<>();
        private Object body;

        Builder(HttpStatusType status) {
            this.status = status;
        }

        @Override
        public HttpResponseMessage.Builder status(HttpStatusType status) {
            this.status = status;
            return this;
        }

        @Override
        public HttpResponseMessage.Builder header(String key, String value) {
            headers.put(key, value);
            return this;
        }

        @Override
        public HttpResponseMessage.Builder body(Object body) {
            this.body = body;
            return this;
        }

        @Override
        public HttpResponseMessage build() {
            return new FunctionResponse(status, Map.copyOf(headers), body);
        }
    }
}
