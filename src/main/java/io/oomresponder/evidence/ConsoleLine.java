package io.oomresponder.evidence;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

import java.io.IOException;
import java.time.Instant;

/**
 * One console line of a container (ContainerAppConsoleLogs). A week of logs is ten thousand of them,
 * so they are read with the streaming parser ({@link Reader}) rather than through data binding.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonDeserialize(using = ConsoleLine.Reader.class)
public record ConsoleLine(Instant time, String revision, String replica, String container, String stream, String message) {

    /** Reads a line as data binding would: unknown fields skipped, a missing field null. */
    static final class Reader extends JsonDeserializer<ConsoleLine> {
        @Override
        public ConsoleLine deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                return (ConsoleLine) ctxt.handleUnexpectedToken(ConsoleLine.class, p);
            }
            Instant time = null;
            String revision = null;
            String replica = null;
            String container = null;
            String stream = null;
            String message = null;
            for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
                p.nextToken();
                switch (field) {
                    case "time" -> time = BundleScalars.instant(p, ctxt);
                    case "revision" -> revision = BundleScalars.text(p, ctxt);
                    case "replica" -> replica = BundleScalars.text(p, ctxt);
                    case "container" -> container = BundleScalars.text(p, ctxt);
                    case "stream" -> stream = BundleScalars.text(p, ctxt);
                    case "message" -> message = BundleScalars.text(p, ctxt);
                    default -> p.skipChildren();
                }
            }
            return new ConsoleLine(time, revision, replica, container, stream, message);
        }
    }
}
