package io.oomresponder.functions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.oomresponder.config.Settings;
import io.oomresponder.delivery.Sinks;
import io.oomresponder.intake.HttpAnswer;
import io.oomresponder.json.Json;

import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /api/health}: whether the Function app can deliver what it diagnoses. Answers 200
 * {@code {"status":"ok","sinks":[...]}} or, when no sink is configured, 503
 * {@code {"status":"misconfigured","problems":[...]}}, the same sentence {@code serve} refuses to
 * start with. Names the sink settings that are set, never their values. Reads settings only: no
 * Azure client is built for a probe.
 */
public final class Health {

    private final Supplier<Settings> settings;

    public Health() {
        this(Settings::fromEnvironment);
    }

    /** @param settings normally the process environment (the app settings) */
    Health(Supplier<Settings> settings) {
        this.settings = settings;
    }

    @FunctionName("Health")
    public HttpResponseMessage run(
            @HttpTrigger(name = "req", methods = {HttpMethod.GET}, route = "health",
                    authLevel = AuthorizationLevel.FUNCTION, dataType = "binary")
            HttpRequestMessage<Optional<byte[]>> request,
            ExecutionContext context) {
        return FunctionAnswers.guarded(request, context, () -> FunctionAnswers.respond(request, answer(settings.get())));
    }

    /** The health answer for these settings. */
    static HttpAnswer answer(Settings settings) {
        ObjectNode body = Json.mapper().createObjectNode();
        Optional<String> problem = Sinks.noDestination(settings);
        var sinks = Sinks.SWITCHES.stream().filter(s -> settings.get(s).isPresent()).toList();
        if (problem.isPresent()) {
            body.put("status", "misconfigured");
            body.putArray("problems").add(problem.get());
            body.putArray("sinkSettings");
            return new HttpAnswer(503, body.toString(), Map.of());
        }
        body.put("status", "ok");
        sinks.forEach(body.putArray("sinkSettings")::add);
        return HttpAnswer.ok(body);
    }
}
