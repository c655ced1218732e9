package io.oomresponder.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpStatusType;
import com.microsoft.azure.functions.OutputBinding;
import io.oomresponder.host.FunctionResponse;

import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** Mockito'd Functions runtime objects: a request that builds real (recorded) responses, a context, an output binding. */
final class FunctionMocks {

    private FunctionMocks() {
    }

    @SuppressWarnings("unchecked")
    static HttpRequestMessage<Optional<byte[]>> request(byte[] body, Map<String, String> headers) {
        HttpRequestMessage<Optional<byte[]>> req = mock(HttpRequestMessage.class);
        when(req.getBody()).thenReturn(Optional.ofNullable(body));
        when(req.getHeaders()).thenReturn(headers);
        when(req.createResponseBuilder(any(HttpStatusType.class))).thenAnswer(inv -> FunctionResponse.builder(inv.getArgument(0)));
        return req;
    }

    static ExecutionContext context() {
        ExecutionContext ctx = mock(ExecutionContext.class);
        when(ctx.getLogger()).thenReturn(Logger.getLogger("test"));
        when(ctx.getFunctionName()).thenReturn("test");
        when(ctx.getInvocationId()).thenReturn("inv-1");
        return ctx;
    }

    /** A plain output binding that remembers its value. */
    static final class Output<T> implements OutputBinding<T> {
        T value;

        @Override
        public T getValue() {
            return value;
        }

        @Override
        public void setValue(T value) {
            this.value = value;
        }
    }

    /**
     * The alerts queue as AlertWebhook sees it: remembers the messages of the last write (null when
     * nothing was written since {@link #reset}); refuses every write while {@code refuse} is set.
     */
    static final class Queue implements java.util.function.Predicate<java.util.List<String>> {
        java.util.List<String> value;
        boolean refuse;

        @Override
        public boolean test(java.util.List<String> messages) {
            if (refuse) {
                return false;
            }
            value = java.util.List.copyOf(messages);
            return true;
        }

        Queue reset() {
            value = null;
            return this;
        }
    }
}
