package io.oomresponder.evidence;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/** One sample, written as {@code [instant, value]}; {@code value} is null for an empty bucket. */
@JsonFormat(shape = JsonFormat.Shape.ARRAY)
@JsonPropertyOrder({"time", "value"})
@JsonSerialize(using = MetricPoint.Writer.class)
@JsonDeserialize(using = MetricPoint.Reader.class)
public record MetricPoint(Instant time, Double value) {

    /** Whole numbers below this are written without a fraction (bytes, counts). */
    private static final double EXACT_LONG_LIMIT = 9.007199254740992E15;

    public MetricPoint {
        Objects.requireNonNull(time, "time");
    }

    /**
     * Reads {@code [instant, value|null]} straight from the tokens. A bundle holds tens of thousands
     * of points (300k for 7 days of 30 replicas); the generic array-shaped record reader with
     * Jackson's Instant deserializer made reading a bundle cost more than diagnosing it. The object
     * form {@code {"time":…,"value":…}} and unusual instants (numbers, offsets) are still accepted.
     */
    static final class Reader extends JsonDeserializer<MetricPoint> {
        @Override
        public MetricPoint deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.START_OBJECT) {
                Instant time = null;
                Double value = null;
                for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
                    p.nextToken();
                    switch (field) {
                        case "time" -> time = instant(p, ctxt);
                        case "value" -> value = number(p, ctxt);
                        default -> p.skipChildren();
                    }
                }
                return point(time, value, p, ctxt);
            }
            if (p.currentToken() != JsonToken.START_ARRAY) {
                return (MetricPoint) ctxt.handleUnexpectedToken(MetricPoint.class, p);
            }
            if (p.nextToken() == JsonToken.END_ARRAY) {
                return point(null, null, p, ctxt);
            }
            Instant time = instant(p, ctxt);
            Double value = null;
            if (p.nextToken() != JsonToken.END_ARRAY) {
                value = number(p, ctxt);
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    p.skipChildren(); // tolerant reading: ignore extra elements
                }
            }
            return point(time, value, p, ctxt);
        }

        private static MetricPoint point(Instant time, Double value, JsonParser p, DeserializationContext ctxt) throws IOException {
            if (time == null) {
                return (MetricPoint) ctxt.handleUnexpectedToken(MetricPoint.class, JsonToken.VALUE_NULL, p, "a metric point needs a time");
            }
            return new MetricPoint(time, value);
        }

        private static Instant instant(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                try {
                    return Instant.parse(p.getText());
                } catch (DateTimeParseException e) {
                    // fall through to the configured reader (other ISO forms), which reports errors properly
                }
            }
            return p.currentToken() == JsonToken.VALUE_NULL ? null : ctxt.readValue(p, Instant.class);
        }

        private static Double number(JsonParser p, DeserializationContext ctxt) throws IOException {
            return switch (p.currentToken()) {
                case VALUE_NULL -> null;
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getDoubleValue();
                default -> ctxt.readValue(p, Double.class);
            };
        }
    }

    /** Writes whole numbers as integers: bundles stay compact and read as Azure writes them. */
    static final class Writer extends JsonSerializer<MetricPoint> {
        @Override
        public void serialize(MetricPoint p, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeStartArray();
            gen.writeString(p.time().toString());
            writeValue(gen, p.value() == null ? Double.NaN : p.value());
            gen.writeEndArray();
        }
    }

    /** Writes one {@code [instant, value|null]} pair from columns (NaN is a gap, written as null). */
    static void write(JsonGenerator gen, long epochSecond, double value) throws IOException {
        gen.writeStartArray();
        gen.writeString(Instant.ofEpochSecond(epochSecond).toString());
        writeValue(gen, value);
        gen.writeEndArray();
    }

    private static void writeValue(JsonGenerator gen, double v) throws IOException {
        if (Double.isNaN(v)) {
            gen.writeNull();
        } else if (v == Math.rint(v) && Math.abs(v) < EXACT_LONG_LIMIT) {
            gen.writeNumber((long) v);
        } else {
            gen.writeNumber(v);
        }
    }
}
