package io.oomresponder.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatusType;
import com.microsoft.azure.functions.OutputBinding;
import io.oomresponder.intake.HttpAnswer;
import io.oomresponder.intake.IntakeResult;
import io.oomresponder.intake.QueuedAlert;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;

/** The few lines every HTTP entry point shares: queue output, status mapping, and no exception escaping. */
final class FunctionAnswers {

    private FunctionAnswers() {
    }

    /**
     * The queue messages of an intake decision: one JSON message per accepted alert, then one message
     * with the receipts of the alerts it joined, rate-limited or ignored (for the reconcile).
     */
    static List<String> messages(IntakeResult result) {
        List<String> messages = new ArrayList<>();
        if (result instanceof IntakeResult.Accepted a) {
            for (QueuedAlert q : a.alerts()) {
                messages.add(q.toJson());
            }
        }
        if (!result.receipts().isEmpty()) {
            messages.add(io.oomresponder.intake.IntakeReceipt.toMessage(result.receipts()));
        }
        return messages;
    }

    /** Puts accepted alerts on the queue output as JSON messages (one per alert). */
    static void enqueue(IntakeResult result, OutputBinding<List<String>> msg) {
        if (result instanceof IntakeResult.Accepted a) {
            List<String> messages = new ArrayList<>();
            for (QueuedAlert q : a.alerts()) {
                messages.add(q.toJson());
            }
            msg.setValue(messages);
        }
    }


    static HttpResponseMessage respond(HttpRequestMessage<?> request, IntakeResult result) {
        return respond(request, HttpAnswer.of(result));
    }

    static HttpResponseMessage respond(HttpRequestMessage<?> request, HttpAnswer answer) {
        HttpResponseMessage.Builder b = request.createResponseBuilder(HttpStatusType.custom(answer.status()))
                .header("Content-Type", "application/json")
                .body(answer.body());
        for (Map.Entry<String, String> h : answer.headers().entrySet()) {
            b.header(h.getKey(), h.getValue());
        }
        return b.build();
    }

    /**
     * Runs an HTTP handler so that nothing escapes: an unexpected failure is logged with its stack
     * trace and answered with a JSON 500 that says nothing about the inside.
     */
    /**
     * {@link #guarded} for the alert intake: an unexpected failure, including a class that failed to
     * initialise, is answered 503 with Retry-After, because an action group never retries a 500 and
     * the alert would be lost; a retry is harmless (the pipeline dedupes on the alert id).
     */
    static HttpResponseMessage guardedRetryable(HttpRequestMessage<?> request, ExecutionContext context, Supplier<HttpResponseMessage> handler) {
        try {
            return handler.get();
        } catch (RuntimeException | LinkageError e) {
            context.getLogger().log(Level.SEVERE, context.getFunctionName() + " failed; answering 503 so the sender retries", e);
            return respond(request, HttpAnswer.retryLater("could not take the alert now; retry later (invocation " + context.getInvocationId() + ")"));
        }
    }

    static HttpResponseMessage guarded(HttpRequestMessage<?> request, ExecutionContext context, Supplier<HttpResponseMessage> handler) {
        try {
            return handler.get();
        } catch (RuntimeException e) {
            context.getLogger().log(Level.SEVERE, context.getFunctionName() + " failed", e);
            return respond(request, HttpAnswer.error(500, "internal error; see the function's logs (invocation " + context.getInvocationId() + ")", null));
        }
    }
}
