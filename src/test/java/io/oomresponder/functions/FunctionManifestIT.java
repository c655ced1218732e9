package io.oomresponder.functions;

import com.fasterxml.jackson.databind.JsonNode;
import io.oomresponder.json.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs in {@code mvn verify} (failsafe, after {@code package}): the deployable Function app that the
 * azure-functions-maven-plugin wrote has one function.json per entry point, with the right trigger.
 */
class FunctionManifestIT {

    static Path app() {
        return Path.of(System.getProperty("oom.functions.dir", "target/azure-functions/oom-responder"));
    }

    @ParameterizedTest(name = "{0} is a {1} ({2})")
    @CsvSource({
            "AlertWebhook,   httpTrigger,     alerts",
            "Replay,         httpTrigger,     replay",
            "ReplayDeliver,  httpTrigger,     replay/deliver",
            "Health,         httpTrigger,     health",
            "AlertEvents,    eventGridTrigger, ''",
            "RespondToAlert, queueTrigger,    alerts",
            "RedeliverNotes, timerTrigger,    ''",
            "RedrivePoisonedAlerts, timerTrigger, ''",
            "SweepStore,     timerTrigger,    ''",
            "ReconcileAlerts, timerTrigger,   ''"})
    void eachFunctionHasItsFunctionJsonWithTheRightTrigger(String function, String trigger, String routeOrQueue) throws Exception {
        Path manifest = app().resolve(function).resolve("function.json");
        assertThat(manifest).as("run mvn package first").exists();

        JsonNode json = Json.mapper().readTree(manifest.toFile());
        JsonNode in = json.path("bindings").path(0);

        assertThat(json.path("entryPoint").asText()).isEqualTo("io.oomresponder.functions." + function + ".run");
        assertThat(in.path("type").asText()).isEqualTo(trigger);
        assertThat(in.path("direction").asText()).isEqualTo("in");
        if (trigger.equals("httpTrigger")) {
            assertThat(in.path("route").asText()).isEqualTo(routeOrQueue);
            // Delivering a replay is admin-level (the host's master key); everything else takes a function key.
            assertThat(in.path("authLevel").asText()).isEqualTo(function.equals("ReplayDeliver") ? "ADMIN" : "FUNCTION");
        }
        if (trigger.equals("queueTrigger")) {
            assertThat(in.path("queueName").asText()).isEqualTo(routeOrQueue);
        }
        assertThat(app().resolve(json.path("scriptFile").asText().replace("../", ""))).exists();
    }

    @ParameterizedTest(name = "{0} writes to the alerts queue through its binding")
    @CsvSource({"AlertEvents", "ReconcileAlerts"})
    void eventGridIntakeWritesToTheAlertsQueue(String function) throws Exception {
        JsonNode json = Json.mapper().readTree(app().resolve(function).resolve("function.json").toFile());
        assertThat(json.path("bindings").findValues("queueName")).extracting(JsonNode::asText).contains("alerts");
        assertThat(app().resolve("host.json")).exists();
    }

    /** A failed output binding makes the host answer 500, which action groups never retry: AlertWebhook writes the queue itself. */
    @org.junit.jupiter.api.Test
    void alertWebhookHasNoQueueOutputBindingTheHostCouldTurnInto500() throws Exception {
        JsonNode json = Json.mapper().readTree(app().resolve("AlertWebhook").resolve("function.json").toFile());
        assertThat(json.path("bindings").findValues("type")).extracting(JsonNode::asText).doesNotContain("queue");
    }
}
