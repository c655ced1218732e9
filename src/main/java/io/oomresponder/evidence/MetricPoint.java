package io.oomresponder.evidence;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import java.io.IOException;
import java.time.Instant;
import java.util.Objects;

/** One sample, written as {@code [instant, value]}; {@code value} is null for an empty bucket. */
@JsonFormat(shape = JsonFormat.Shape.ARRAY)
@JsonPropertyOrder({"time", "value"})
@JsonSerialize(using = MetricPoint.Writer.class)
public record MetricPoint(Instant time, Double value) {

    /** Whole numbers below this are written without a fraction (bytes, counts). */
    private static final double EXACT_LONG_LIMIT = 9.007199254740992E15;

    public MetricPoint {
        Objects.requireNonNull(time, "time");
    }

    /** Writes whole numbers as integers: bundles stay compact and read as Azure writes them. */
    static final class Writer extends JsonSerializer<MetricPoint> {
        @Override
        public void serialize(MetricPoint p, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeStartArray();
            gen.writeString(p.time().toString());
            Double v = p.value();
            if (v == null) {
                gen.writeNull();
            } else if (v == Math.rint(v) && Math.abs(v) < EXACT_LONG_LIMIT) {
                gen.writeNumber(v.longValue());
            } else {
                gen.writeNumber(v);
            }
            gen.writeEndArray();
        }
    }
}
