package io.oomresponder.evidence;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;

import java.io.IOException;
import java.time.Instant;

/**
 * Scalar values of a bundle read from the streaming parser, as data binding would read them, for the
 * hand-written readers of the parts a bundle has thousands of (series points, log lines). Anything
 * out of the ordinary goes to data binding itself, so errors and coercions stay its own.
 */
final class BundleScalars {

    private BundleScalars() {
    }

    /** The current token as a String field: null for null, the text of a scalar, data binding's error otherwise. */
    static String text(JsonParser p, DeserializationContext ctxt) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t == JsonToken.VALUE_STRING || t.isNumeric() || t.isBoolean()) {
            return p.getText();
        }
        return ctxt.readValue(p, String.class);
    }

    /**
     * The current token as an Instant field. The plain UTC form ({@code 2026-09-23T04:06:23.123Z}) is read
     * from the parser's buffer: {@code DateTimeFormatter} per log line was most of the cost of reading a
     * week of console logs in a fresh JVM. Every other form goes to the registered Instant reader.
     */
    static Instant instant(JsonParser p, DeserializationContext ctxt) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t == JsonToken.VALUE_STRING) {
            Instant fast = IsoInstants.instantOrNull(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            if (fast != null) {
                return fast;
            }
        }
        return ctxt.readValue(p, Instant.class);
    }
}
