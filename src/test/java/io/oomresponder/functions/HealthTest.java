package io.oomresponder.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.HttpResponseMessage;
import io.oomresponder.config.Settings;
import io.oomresponder.json.Json;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HealthTest {

    @Test
    void withoutAnySinkTheFunctionAppsHealthIs503AndSaysWhereNotesMustGo() throws Exception {
        HttpResponseMessage res = new Health(() -> new Settings(Map.of("ALLOWED_SUBSCRIPTIONS", "*")))
                .run(FunctionMocks.request(null, Map.of()), FunctionMocks.context());

        assertThat(res.getStatus().value()).isEqualTo(503);
        JsonNode body = Json.mapper().readTree((String) res.getBody());
        assertThat(body.path("status").asText()).isEqualTo("misconfigured");
        assertThat(body.path("problems").path(0).asText()).contains("no sink is configured", "TEAMS_WEBHOOK_URL", "NOTE_FILE_DIR");
    }

    @Test
    void withASinkItIsOkAndNamesTheSettingsButNeverTheirValues() throws Exception {
        String secretUrl = "https://prod.example.com/workflows/abc?sig=SECRET-SIG";
        HttpResponseMessage res = new Health(() -> new Settings(Map.of("TEAMS_WEBHOOK_URL", secretUrl, "NOTE_FILE_DIR", "-")))
                .run(FunctionMocks.request(null, Map.of()), FunctionMocks.context());

        assertThat(res.getStatus().value()).isEqualTo(200);
        String text = (String) res.getBody();
        assertThat(text).doesNotContain("SECRET-SIG", "example.com");
        JsonNode body = Json.mapper().readTree(text);
        assertThat(body.path("status").asText()).isEqualTo("ok");
        assertThat(body.path("sinkSettings")).extracting(JsonNode::asText).containsExactly("TEAMS_WEBHOOK_URL", "NOTE_FILE_DIR");
    }
}
