package io.oomresponder.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import io.oomresponder.json.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The optional {@code code} of a gap keeps the bundle format compatible in both directions. */
class EvidenceGapFormatTest {

    @Test
    void aGapWrittenBeforeCodeExistedReadsWithANullCode() throws Exception {
        EvidenceGap old = Json.mapper().readValue("{\"source\":\"metrics\",\"detail\":\"metrics batch: HTTP 403 AuthorizationFailed\"}", EvidenceGap.class);

        assertThat(old).isEqualTo(new EvidenceGap("metrics", "metrics batch: HTTP 403 AuthorizationFailed"));
        assertThat(old.code()).isNull();
    }

    @Test
    void aNullCodeIsNotWrittenAndAGivenCodeRoundTrips() throws Exception {
        JsonNode without = Json.mapper().valueToTree(new EvidenceGap("logs", "system events: no answer in time"));
        assertThat(without.has("code")).isFalse();
        assertThat(without.fieldNames()).toIterable().containsExactly("source", "detail");

        EvidenceGap withCode = new EvidenceGap("metrics", "metrics Replicas (by revisionName): HTTP 400 BadRequest: Metric: ...", "BadRequest");
        String json = Json.mapper().writeValueAsString(withCode);
        assertThat(Json.mapper().readValue(json, EvidenceGap.class)).isEqualTo(withCode);
        assertThat(Json.mapper().readTree(json).get("code").asText()).isEqualTo("BadRequest");
    }
}
